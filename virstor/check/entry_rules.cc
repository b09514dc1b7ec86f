// The rules about the map's entries: each on its own, then the allocated
// ones against each other and against the components they point into.
#include <algorithm>
#include <tuple>

#include "virstor/check/passes.h"

namespace virstor_check {

namespace {

// The component an entry points into, when its number is in range and found.
const component *target(const device &d, const map_entry &e) {
  return e.provider_no < d.count() ? d.number(e.provider_no) : nullptr;
}

// Why taste refuses the entry, or "". A missing component's chunk count
// is unknown (the device is incomplete anyway).
std::string range_problem(const device &d, const map_entry &e) {
  if (e.provider_no >= d.count())
    return text("names component %u, but the device has %u", e.provider_no, d.count());
  const component *c = target(d, e);
  if (c && e.provider_chunk >= c->md.chunk_count)
    return text("names chunk %u of component %u (%s), which has %u", e.provider_chunk,
                e.provider_no, c->name.c_str(), c->md.chunk_count);
  return "";
}

// Taste checks every entry, allocated or not, and refuses the whole map
// at the first bad one.
void check_ranges(const device &d, const allocation_map &map, capped_rule &found) {
  for (uint64_t v = 0; v < map.size(); v++) {
    std::string problem = range_problem(d, map.at(v));
    if (problem.empty()) continue;
    found.add(d.reference->name, text("virtual chunk %ju ", (uintmax_t)v) + problem +
                                     ": taste refuses the whole map (\"Invalid entry\")");
  }
}

void check_stale(const allocation_map &map, const std::string &home, capped_rule &found) {
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    if (e.allocated() || (e.provider_no == 0 && e.provider_chunk == 0)) continue;
    found.add(home, text("unallocated virtual chunk %ju still names chunk %u of component %u",
                         (uintmax_t)v, e.provider_chunk, e.provider_no));
  }
}

void check_entry_flags(const allocation_map &map, const std::string &home, capped_rule &found) {
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    if ((e.flags & ~kMapAllocated) == 0) continue;
    found.add(home, text("virtual chunk %ju has flags 0x%04x: bits other than ALLOCATED",
                         (uintmax_t)v, e.flags));
  }
}

// An allocated entry: where its data lies.
struct placement {
  uint16_t no;
  uint32_t chunk;
  uint64_t virtual_chunk;
  bool operator<(const placement &o) const {
    return std::tie(no, chunk, virtual_chunk) < std::tie(o.no, o.chunk, o.virtual_chunk);
  }
};

std::vector<placement> placements(const device &d, const allocation_map &map) {
  std::vector<placement> all;
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    if (e.allocated() && entry_target(d, e)) all.push_back({e.provider_no, e.provider_chunk, v});
  }
  std::sort(all.begin(), all.end());
  return all;
}

// Each virtual chunk that shares a physical chunk with an earlier one.
void check_doubles(const device &d, const allocation_map &map, capped_rule &found) {
  std::vector<placement> all = placements(d, map);
  size_t first = 0;
  for (size_t i = 1; i < all.size(); i++) {
    if (all[i].no != all[first].no || all[i].chunk != all[first].chunk) {
      first = i;
      continue;
    }
    found.add(d.number(all[i].no)->name,
              text("virtual chunks %ju and %ju both map to chunk %u of component %u",
                   (uintmax_t)all[first].virtual_chunk, (uintmax_t)all[i].virtual_chunk,
                   all[i].chunk, all[i].no));
  }
}

void check_reserved(const device &d, const allocation_map &map, capped_rule &found) {
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    const component *c = entry_target(d, e);
    if (!e.allocated() || !c || e.provider_chunk >= c->md.chunk_reserved) continue;
    found.add(c->name, text("virtual chunk %ju is on chunk %u, one of the %u reserved for the "
                            "map: data and map overwrite each other",
                            (uintmax_t)v, e.provider_chunk, c->md.chunk_reserved));
  }
}

void check_metadata_reach(const device &d, const allocation_map &map, capped_rule &found) {
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    const component *c = entry_target(d, e);
    uint64_t end = ((uint64_t)e.provider_chunk + 1) * d.chunk_size();
    if (!e.allocated() || !c || end <= (uint64_t)c->metadata_offset()) continue;
    found.add(c->name, text("virtual chunk %ju is on chunk %u, which ends at %ju, past the "
                            "metadata sector at %jd",
                            (uintmax_t)v, e.provider_chunk, (uintmax_t)end,
                            (intmax_t)c->metadata_offset()));
  }
}

// Runs one capped rule.
template <class Rule>
void run(const char *rule, const device &d, sink &out, Rule body) {
  capped_rule found(out, rule, d.name);
  body(found);
  found.finish();
}

}  // namespace

const component *entry_target(const device &d, const map_entry &e) {
  const component *c = target(d, e);
  return c && e.provider_chunk < c->md.chunk_count ? c : nullptr;
}

void check_entries(const device &d, const allocation_map &map, sink &out) {
  const std::string &home = d.reference->name;
  run("entry-out-of-range", d, out, [&](capped_rule &f) { check_ranges(d, map, f); });
  run("stale-entry", d, out, [&](capped_rule &f) { check_stale(map, home, f); });
  run("unknown-entry-flags", d, out, [&](capped_rule &f) { check_entry_flags(map, home, f); });
  run("double-mapping", d, out, [&](capped_rule &f) { check_doubles(d, map, f); });
  run("chunk-in-reserved", d, out, [&](capped_rule &f) { check_reserved(d, map, f); });
  run("chunk-over-metadata", d, out, [&](capped_rule &f) { check_metadata_reach(d, map, f); });
}

}  // namespace virstor_check
