// sim/scenario/stall.h — the directives that hold GEOM threads back:
// "@stall THREAD [WHEN]" and "@resume THREAD" (geom/g_stall.h).
//
// Each returns "" on success or a message for the failure list.
#pragma once

#include <string>

#include "sim/machine/machine.h"
#include "sim/scenario/directive.h"

namespace sim {

// Stalls or resumes d.thread now, from a simulated thread of the running
// kernel (the system then runs until quiescent, as after any directive).
std::string stall_now(machine &m, const directive &d);
// Arms a trigger that stalls d.thread when it fires ("after" / "at").
std::string arm_stall(machine &m, const directive &d);

}  // namespace sim
