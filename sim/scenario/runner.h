// sim/scenario/runner.h — replaying scripts against their expected output.
//
// Each script FILE.sh has its expected transcript in FILE.out next to it.
// A script passes when every run (one per seed, or once if it pins its
// seed with @seed) passes and produces exactly the expected transcript;
// --update rewrites FILE.out from the first seed's run instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/interpreter.h"

namespace sim {

struct runner_options {
  std::vector<std::string> files;
  uint64_t seed_from = 1, seed_to = 1;  // inclusive range
  kern::sched_mode mode = kern::sched_mode::det;
  bool update = false;
  bool verbose = false;     // print every transcript
  bool show_diff = true;    // print the first differences on mismatch
  std::string trace_path, dot_path, junit_path;
  int time_limit_s = 300;  // per script line, host seconds (0: none)
};

struct script_report {
  std::string file;
  bool passed = false;
  int exit_code = 0;  // 0, 1 (failed), 2 (bad script), 3 (panic)
  std::vector<std::string> messages;
  double seconds = 0;
};

// Runs everything, printing progress and the "N passed, N failed" line to
// `out`. Returns the exit status: 0 all passed, 1 an expectation or a
// transcript failed, 2 a bad script or usage, 3 an unexpected panic.
int run_files(const runner_options &opt, std::string &out, std::vector<script_report> &reports);

std::string expected_path(const std::string &script_path);

// Writes a JUnit XML report.
bool write_junit(const std::string &path, const std::vector<script_report> &reports);

}  // namespace sim
