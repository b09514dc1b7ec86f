// virstor/check/passes.h — the checker's passes, in the order check()
// runs them. Each pass reports through the sink; the rule ids are those of
// rules.cc.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "virstor/check/map.h"
#include "virstor/check/model.h"

namespace virstor_check {

// One component's metadata sector on its own. Marks the component refused
// when taste would ignore it.
void check_component(component &c, sink &out);

// Components of one name under different ids.
void check_ids(const std::vector<device> &devices, sink &out);

// The members of one device against each other: count, geometry, numbers.
void check_members(const device &d, sink &out);

// The map's place on component 0, then reading it. No map when it cannot
// or should not be read; `why` then says why, for the summary.
std::optional<allocation_map> load_map(const device &d,
                                       const std::vector<component_source> &sources, sink &out,
                                       std::string &why);

// The component a map entry points into when the kernel accepts the
// entry (a component of the device, and a chunk below its chunk_count),
// else nullptr.
const component *entry_target(const device &d, const map_entry &e);

// Every map entry on its own and against the others.
void check_entries(const device &d, const allocation_map &map, sink &out);

// What the map allocates on each component, by number (entries the
// kernel accepts only: the others are entry-out-of-range).
struct tally {
  uint64_t allocated = 0;
  bool any = false;
  uint32_t highest = 0;  // highest allocated chunk, when any
};
std::map<unsigned, tally> count_allocations(const device &d, const allocation_map &map);

// The components' metadata (chunk_next, flags) against the map.
void check_allocation(const device &d, const allocation_map &map,
                      const std::map<unsigned, tally> &tallies, sink &out);

}  // namespace virstor_check
