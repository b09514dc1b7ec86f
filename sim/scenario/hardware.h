// sim/scenario/hardware.h — the directives that act on the machine's
// hardware: disks, images, pulls, power cuts, the write log.
//
// The interpreter calls these; they translate a parsed directive into
// calls on the machine and its drivers. Each returns "" on success or a
// message for the transcript/failure list. `out` receives report lines.
#pragma once

#include <string>

#include "sim/machine/machine.h"
#include "sim/media/power.h"
#include "sim/scenario/directive.h"

namespace sim {

std::string hw_add_disk(machine &m, const directive &d);
std::string hw_map_image(machine &m, const directive &d, const std::string &script_dir);
// Pulls a disk (DISK class) or md unit now, from a userland thread.
std::string hw_pull(machine &m, const std::string &name, std::string &out);
// The trigger of an "after" / "at" directive (its action: cut the power).
trigger hw_trigger(const directive &d);
// Arms a power-cut trigger ("after" / "at"); "now" is machine::power_cut.
std::string hw_arm_power_cut(machine &m, const directive &d);
// Arms a trigger that pulls d.pull_target instead.
std::string hw_arm_pull(machine &m, const directive &d);
// What the last power cut lost or tore, one line each (empty if nothing).
std::string hw_power_cut_report(machine &m);
std::string hw_write_log(machine &m, const std::string &disk, std::string &out);

}  // namespace sim
