// virstor/check/summary.h — what the report says about each device
// besides its findings: its components, geometry and allocations.
#pragma once

#include "virstor/check/passes.h"

namespace virstor_check {

// Name, id, geometry and members; the map is not checked yet.
device_summary summarize(const device &d);

// The map was read: the allocations it holds, per component.
void add_allocations(device_summary &s, const allocation_map &map,
                     const std::map<unsigned, tally> &tallies);

}  // namespace virstor_check
