// sim/explore/crash_check.h — the default checks after a crash: does the
// data the workload made durable read back, and does the device still
// behave when it is written again?
//
// Run on the kernel that booted over a crash state (geomsim explore) or
// over the disks a reproducer's @crash left (the @crash-check directive),
// with the recording of the workload and the point of the cut:
//  1. the GEOM configuration is read (kern.geom.confxml, as `geom list`
//     does), so every geom's dumpconf method runs once;
//  2. every device the workload wrote is opened; if it is missing while
//     data written to it was durable, that is a finding (device-missing);
//  3. every sector the workload wrote is read and compared with
//     expectations_at(): durable data that does not read back (lost),
//     data that belongs elsewhere (misplaced), unreadable (read-failed);
//  4. the continuation: NEW data, a pattern fixed by the device's name and
//     the offset, is written in blocks where the workload wrote nothing
//     (spread over the device, so that a thin-provisioning class must
//     allocate) and over data the workload wrote; then everything is read
//     again. The new blocks must read back (new-data-lost; write-failed
//     if a write fails) and every sector the continuation did not write
//     must read exactly what it read in step 3 (changed): a write must
//     never change data it did not address.
// A call that never returns ends the check (hang); so does a panic (the
// caller sees the kernel panicked).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/explore/expectations.h"
#include "sim/explore/recording.h"

namespace sim::explore {

struct crash_finding {
  std::string kind;     // device-missing, lost, misplaced, read-failed,
                        // write-failed, new-data-lost, changed, hang
  std::string device;
  std::string message;  // one line
};

struct crash_check_result {
  std::vector<std::string> lines;       // the report, one line each
  std::vector<crash_finding> findings;  // what failed
};

// Names a script step for messages ("line 12, 'dd if=...'"); may be empty.
using line_namer = std::function<std::string(int step)>;

// Checks the running kernel of `m` after a cut that came right after the
// first `after` events of `rec`.
crash_check_result crash_check(machine &m, const recording &rec, size_t after,
                               const line_namer &name_line);
// The same with the expectations at that point already worked out (all
// the states of one point share them).
crash_check_result crash_check(machine &m, const recording &rec, const expectations &x,
                               const line_namer &name_line);

// Blocks written where the workload wrote nothing, and over its data.
constexpr int kContinuationBlocks = 4;

}  // namespace sim::explore
