// check(): the passes in order (see passes.h), and the report's counts.
#include "virstor/check/virstor_check.h"

#include <algorithm>

#include "virstor/check/summary.h"

namespace virstor_check {

namespace {

// Members first; then the map, when it can be read, and what it allocates.
device_summary check_device(const device &d, const std::vector<component_source> &sources,
                            sink &out) {
  check_members(d, out);
  device_summary s = summarize(d);
  std::optional<allocation_map> map = load_map(d, sources, out, s.map_note);
  if (!map) return s;
  check_entries(d, *map, out);
  std::map<unsigned, tally> tallies = count_allocations(d, *map);
  check_allocation(d, *map, tallies, out);
  add_allocations(s, *map, tallies);
  return s;
}

int count_of(const report &r, severity sev) {
  return (int)std::count_if(r.findings.begin(), r.findings.end(),
                            [sev](const finding &f) { return f.sev == sev; });
}

}  // namespace

int report::errors() const { return count_of(*this, severity::error); }
int report::warnings() const { return count_of(*this, severity::warning); }

report check(const std::vector<component_source> &sources) {
  report r;
  sink out(r.findings);
  std::vector<component> components = read_components(sources, out);
  for (component &c : components) check_component(c, out);
  std::vector<device> devices = group_devices(components);
  check_ids(devices, out);
  for (const device &d : devices) r.devices.push_back(check_device(d, sources, out));
  return r;
}

}  // namespace virstor_check
