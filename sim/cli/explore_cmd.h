// sim/cli/explore_cmd.h — `geomsim explore` and `geomsim virstor-check` on
// the command line: their options, help texts and exit statuses.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sim/explore/explorer.h"

namespace sim::cli {

// The parsed words of `geomsim explore`.
struct explore_args {
  CLI::App *cmd = nullptr;
  bool help = false;
  explore::explore_options opt;
  std::string seed, shard, max_drop, exhaustive, max_states, jobs, time_limit;
  bool no_progress = false;
};
void add_explore(CLI::App &app, explore_args &a);
// Checks the words and runs; returns the exit status.
int run_explore(explore_args &a);

struct virstor_check_args {
  CLI::App *cmd = nullptr;
  bool help = false, quiet = false;
  std::string sector = "512";
  std::vector<std::string> images;
};
void add_virstor_check(CLI::App &app, virstor_check_args &a);
int run_virstor_check(virstor_check_args &a);

extern const char *kExploreHelp;
extern const char *kVirstorCheckHelp;

}  // namespace sim::cli
