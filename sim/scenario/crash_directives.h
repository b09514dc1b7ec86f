// sim/scenario/crash_directives.h — the directives of crash exploration:
// @crash (a power cut with exactly the fates it names) and @virstor-check
// (the offline virstor checker over the machine's disks).
//
// The interpreter calls these; @crash-check lives in the interpreter (it
// needs the running kernel and the recording), its checks in
// sim/explore/crash_check.h. Each returns "" or a message.
#pragma once

#include <string>
#include <vector>

#include "sim/explore/crash_check.h"
#include "sim/machine/machine.h"
#include "sim/scenario/directive.h"

namespace sim {

// Arms the cut of a @crash line on the machine's power domain.
std::string arm_crash(machine &m, const directive &d);

// Checks the machine's disks and files (or those named) for virstor
// metadata and maps as they are on stable media; `lines` gets the report,
// `findings` one entry per error ("checker:RULE").
// Without `report`, only the findings (geomsim explore's states, which
// nobody reads the transcript of).
void check_virstor_disks(machine &m, const directive &d, std::vector<std::string> &lines,
                         std::vector<explore::crash_finding> &findings, bool report = true);

}  // namespace sim
