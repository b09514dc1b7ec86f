// Results of crash states, and their JSON. See sim/explore/tally.h.
#include "sim/explore/tally.h"

#include <algorithm>

namespace sim::explore {

using json = nlohmann::ordered_json;

void tally::add(const crash_state &s, const state_outcome &o) {
  run++;
  tally_row &r = rows[o.signature];
  if (r.count++ == 0 || s.index < r.first) {
    r.signature = o.signature;
    r.outcome = outcome_name(o.kind);
    r.failed = o.failed();
    r.first = s.index;
    r.first_id = s.id;
    r.details = o.details;
  }
  if (keep_states)
    states.push_back({{"index", s.index}, {"id", s.id}, {"outcome", outcome_name(o.kind)},
                      {"signature", o.signature}});
}

bool tally::merge(const tally &o, std::string &error) {
  if (o.workload != workload || o.seed != seed || o.options != options || o.total != total) {
    error = "results of another workload, seed or options (" + o.workload + ", seed " +
            std::to_string(o.seed) + ")";
    return false;
  }
  for (int id : o.shard_ids)
    if (o.shards != shards || shard_ids.count(id) != 0) {
      error = "shard " + std::to_string(id) + "/" + std::to_string(o.shards) +
              " overlaps results already merged (shards of " + std::to_string(shards) + ")";
      return false;
    }
  shard_ids.insert(o.shard_ids.begin(), o.shard_ids.end());
  run += o.run;
  for (const auto &[sig, r] : o.rows) {
    tally_row &mine = rows[sig];
    const uint64_t count = mine.count + r.count;
    if (mine.count == 0 || r.first < mine.first) mine = r;
    mine.count = count;
  }
  states.insert(states.end(), o.states.begin(), o.states.end());
  std::sort(states.begin(), states.end(),
            [](const json &a, const json &b) { return a["index"] < b["index"]; });
  return true;
}

std::vector<const tally_row *> tally::ordered() const {
  std::vector<const tally_row *> v;
  for (const auto &[sig, r] : rows) v.push_back(&r);
  std::sort(v.begin(), v.end(), [](auto *a, auto *b) { return a->first < b->first; });
  return v;
}

uint64_t tally::failed_states() const {
  uint64_t n = 0;
  for (const auto &[sig, r] : rows)
    if (r.failed) n += r.count;
  return n;
}

json tally::to_json() const {
  json sigs = json::array();
  for (const tally_row *r : ordered())
    sigs.push_back({{"signature", r->signature}, {"outcome", r->outcome}, {"failed", r->failed},
                    {"count", r->count}, {"first_index", r->first}, {"first_state", r->first_id},
                    {"details", r->details}, {"reproducer", r->reproducer},
                    {"reproduces", r->reproduces}, {"note", r->note}});
  json j = {{"geomsim_explore", 1}, {"workload", workload}, {"seed", seed},
            {"options", options},   {"states_total", total}, {"states_selected", selected},
            {"states_run", run},    {"shards", shards},
            {"shard", shard_ids},   {"signatures", sigs}};
  if (keep_states) j["states"] = states;
  return j;
}

namespace {

tally_row row_from(const json &s) {
  tally_row r;
  r.signature = s.at("signature").get<std::string>();
  r.outcome = s.at("outcome").get<std::string>();
  r.failed = s.at("failed").get<bool>();
  r.count = s.at("count").get<uint64_t>();
  r.first = s.at("first_index").get<uint64_t>();
  r.first_id = s.at("first_state").get<std::string>();
  r.details = s.at("details").get<std::vector<std::string>>();
  r.reproducer = s.value("reproducer", "");
  r.reproduces = s.value("reproduces", false);
  r.note = s.value("note", "");
  return r;
}

}  // namespace

bool tally::from_json(const json &j, tally &out, std::string &error) {
  try {
    if (!j.is_object() || j.value("geomsim_explore", 0) != 1) {
      error = "not a result of geomsim explore (no \"geomsim_explore\": 1)";
      return false;
    }
    out.workload = j.at("workload").get<std::string>();
    out.seed = j.at("seed").get<uint64_t>();
    out.options = j.at("options");
    out.total = j.at("states_total").get<uint64_t>();
    out.selected = j.at("states_selected").get<uint64_t>();
    out.run = j.at("states_run").get<uint64_t>();
    out.shards = j.at("shards").get<int>();
    out.shard_ids = j.at("shard").get<std::set<int>>();
    for (const json &s : j.at("signatures")) {
      tally_row r = row_from(s);
      out.rows[r.signature] = r;
    }
    out.keep_states = j.contains("states");
    if (out.keep_states) out.states = j.at("states").get<std::vector<json>>();
    return true;
  } catch (const std::exception &e) {
    error = std::string("malformed result: ") + e.what();
    return false;
  }
}

}  // namespace sim::explore
