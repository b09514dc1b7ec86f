// sim/explore/tally.h — the results of running crash states: one row per
// signature, and (for --json) one entry per state; as JSON, so shards
// and local jobs can be merged.
//
// JSON (docs/explore.md has the schema): an object with "geomsim_explore"
// (format version 1), the workload, seed and options that must agree for
// results to merge, the state counts, "signatures" (one object per row)
// and "states" (one per state run, by index; only with --json).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/explore/crash_state.h"
#include "sim/explore/outcome.h"

namespace sim::explore {

struct tally_row {
  std::string signature;
  std::string outcome;
  bool failed = false;
  uint64_t count = 0;
  uint64_t first = UINT64_MAX;  // index of the first state with it
  std::string first_id;
  std::vector<std::string> details;  // the first state's
  std::string reproducer;            // its path, once written
  bool reproduces = false;
  std::string note;                  // why it does not reproduce
};

struct tally {
  // What results must share to be merged.
  std::string workload;
  uint64_t seed = 1;
  nlohmann::ordered_json options;
  uint64_t total = 0, selected = 0, run = 0;
  // Which shards of how many these results cover (merged: several).
  int shards = 1;
  std::set<int> shard_ids;
  std::map<std::string, tally_row> rows;  // by signature
  bool keep_states = false;
  std::vector<nlohmann::ordered_json> states;

  void add(const crash_state &s, const state_outcome &o);
  // Adds another shard's results (same workload, seed and options).
  bool merge(const tally &other, std::string &error);
  // Rows by first state: the report's order.
  std::vector<const tally_row *> ordered() const;
  uint64_t failed_states() const;

  nlohmann::ordered_json to_json() const;
  // False with a message if `j` is not a result of geomsim explore.
  static bool from_json(const nlohmann::ordered_json &j, tally &out, std::string &error);
};

}  // namespace sim::explore
