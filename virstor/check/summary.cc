// The per-device summary of the report.
#include "virstor/check/summary.h"

namespace virstor_check {

device_summary summarize(const device &d) {
  device_summary s;
  s.name = d.name;
  s.id = d.id;
  s.count = d.count();
  s.chunk_size = d.chunk_size();
  s.virtual_chunks = s.chunk_size ? d.reference->md.md_virsize / s.chunk_size : 0;
  for (const component *c : d.members)
    s.components.push_back({c->name, c->md.no, c->md.chunk_count, c->md.chunk_reserved, 0});
  s.missing = d.missing();
  return s;
}

void add_allocations(device_summary &s, const allocation_map &map,
                     const std::map<unsigned, tally> &tallies) {
  s.map_checked = true;
  for (uint64_t v = 0; v < map.size(); v++) s.allocated += map.at(v).allocated();
  for (component_summary &c : s.components) {
    auto it = tallies.find(c.no);
    if (it != tallies.end()) c.allocated = it->second.allocated;
  }
}

}  // namespace virstor_check
