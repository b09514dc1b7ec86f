// sim/explore/explorer.h — geomsim explore: find crash-consistency bugs by
// running a workload once and then every crash state of it.
//
// For each workload script:
//  1. it runs once, in the det scheduler, recorded (recording.h): every
//     write each disk receives and every write a program makes to a
//     device. Host image files are only read (copy-on-write). A workload
//     that fails, or writes nothing a power cut could keep, is an error;
//  2. its crash states are enumerated in a fixed order (crash_state.h);
//     --max-states keeps the first N, --shard I/N every N-th from I;
//  3. each state boots a fresh machine (same loader settings, modules,
//     seeds as the workload's machine would have had at its next boot)
//     over copy-on-write disks holding exactly what the state keeps, and
//     runs the post-crash script: @virstor-check (the offline checker, on
//     the disks as the cut left them), @boot, then the workload's own
//     lines after @after-crash, or @crash-check (crash_check.h);
//  4. states are grouped by signature (outcome.h); the report prints one
//     row per signature, and for each failing one writes a reproducer
//     (reproducer.h) and replays it to confirm it;
//  5. --json writes every state's result; --merge combines the JSON of
//     several shards into one report (and writes the reproducers).
// Output is deterministic: the same workload, options and seed give the
// same report, byte for byte (timings go to standard error only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kern/sched.h"

namespace sim::explore {

struct explore_options {
  std::vector<std::string> scripts;
  uint64_t seed = 1;
  std::vector<std::string> disks;  // explored media by name; empty: all
  std::string cache;               // "", "write-through", "write-back"
  int max_drop = 2;
  int exhaustive = 4;
  bool torn = false;
  uint64_t max_states = 0;         // 0: all
  int shard = 0, shards = 1;
  int jobs = 1;
  std::string json_path;
  std::string out_dir = "geomsim-explore";  // reproducers
  std::vector<std::string> merge;  // --merge: JSON files
  bool progress = false;           // a progress line on standard error
  int time_limit_s = 300;          // per line of the workload and per state
  // Filled in if not null: how many states ran, and the host seconds they
  // took (the workload's run and the reproducers left out).
  struct timing {
    uint64_t states = 0;
    double seconds = 0;
  } *timing_out = nullptr;
};

// Runs everything; the report goes to `out`, errors and timings to
// standard error. Returns 0 (no state failed), 1 (failures found) or 2
// (bad usage, a workload that fails before any crash).
int explore(const explore_options &opt, std::string &out);

}  // namespace sim::explore
