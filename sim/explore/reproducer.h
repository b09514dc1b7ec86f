// sim/explore/reproducer.h — a script that replays one crash state.
//
// A reproducer is the workload with the crash made explicit, then the
// post-crash lines, with expectations that hold exactly when the state's
// outcome happens again:
//
//   # header: the state, its outcome, what the cut keeps
//   @seed S                      (the seed explore ran the workload with)
//   @crash after record 14 lose 12   (or: at WRITE ada0 nth=7 tear ada0:3)
//   ...the workload's lines, up to the one during which the power goes...
//   @virstor-check [expect RULE,...]
//   @boot
//   @crash-check expect lost,changed   (or the workload's @after-crash lines)
//
// A panic adds `@expect panic TEXT` after the line that panicked. `geomsim
// run` replays it with the same outcome: it passes while the defect is
// there (its .out, written beside it, holds the transcript), and fails
// once the defect is fixed. Host images (@image) get `cow`, so replaying
// never changes them.
#pragma once

#include <string>

#include "sim/explore/crash_state.h"
#include "sim/explore/outcome.h"
#include "sim/explore/recording.h"
#include "sim/scenario/script.h"

namespace sim::explore {

struct reproducer_input {
  const script *workload = nullptr;
  const recording *rec = nullptr;
  const crash_state *state = nullptr;
  const state_outcome *outcome = nullptr;
  const run_outcome *post = nullptr;  // the state's post-crash run
  uint64_t seed = 1;
};

// The reproducer's text.
std::string reproducer_text(const reproducer_input &in);

struct reproducer_result {
  std::string path;        // DIR/WORKLOAD.STATE.sh
  bool reproduces = false; // its replay passed and gave the same signature
  std::string note;        // why not, if not
};

// Writes the reproducer and its .out into `dir`, and replays it.
reproducer_result write_reproducer(const reproducer_input &in, const std::string &dir);

}  // namespace sim::explore
