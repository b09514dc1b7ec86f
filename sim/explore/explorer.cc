// geomsim explore. See sim/explore/explorer.h.
#include "sim/explore/explorer.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "sim/explore/reproducer.h"
#include "sim/explore/tally.h"
#include "sim/scenario/interpreter.h"

namespace sim::explore {

namespace {

using json = nlohmann::ordered_json;
using clk = std::chrono::steady_clock;

// A workload, recorded, with what its states share.
struct workload {
  script s;
  script post;  // what runs after each crash
  recording rec;
  uint64_t seed = 1;
  enumerate_options eopt;
  // The expectations of the point whose states run now (one point's
  // states run one after the other).
  mutable size_t expect_after = SIZE_MAX;
  mutable expectations expect;
  const expectations &expectations_after(size_t after) const {
    if (after != expect_after) {
      expect = expectations_at(rec, after);
      expect_after = after;
    }
    return expect;
  }
};

void error(const std::string &msg) { std::fprintf(stderr, "geomsim explore: %s\n", msg.c_str()); }

// --------------------------------------------------------- the workload

// @virstor-check, @boot, then the script's lines after @after-crash or
// @crash-check: numbered as the script numbers them.
script post_crash_script(const script &s) {
  script post;
  post.path = s.path;
  std::vector<std::string> errors;
  std::string text = "@virstor-check\n@boot\n";
  if (s.after_crash.empty()) text += "@crash-check\n";
  parse_script(s.path, text, post, errors);
  const int line = s.after_crash_line != 0 ? s.after_crash_line : (int)s.steps.size() + 1;
  for (step &st : post.steps) st.line = line;
  for (const step &st : s.after_crash) post.steps.push_back(st);
  return post;
}

json options_json(const explore_options &opt) {
  return {{"disks", opt.disks},       {"cache", opt.cache}, {"max_drop", opt.max_drop},
          {"exhaustive", opt.exhaustive}, {"torn", opt.torn}, {"max_states", opt.max_states}};
}

bool explored_media(const workload &w, const explore_options &opt, std::set<int> &out) {
  for (const std::string &name : opt.disks) {
    int i = w.rec.media_index(name);
    if (i < 0 || !w.rec.media()[i].config.persistent) {
      error(w.s.path + ": --disk " + name + ": the workload has no such disk or file");
      return false;
    }
    out.insert(i);
  }
  return true;
}

bool writes_something(const workload &w) {
  for (const media_write &mw : w.rec.writes())
    if (w.rec.media()[mw.media].config.persistent &&
        (w.eopt.media.empty() || w.eopt.media.count(mw.media) != 0))
      return true;
  return false;
}

// Runs the workload once, recorded. False (with a message) if it fails.
bool record(workload &w, const explore_options &opt) {
  run_options ro;
  ro.seed = w.seed;
  ro.record = &w.rec;
  ro.disk_cache = opt.cache;
  ro.images_cow = true;
  ro.time_limit_s = opt.time_limit_s;
  run_outcome o = run_script(w.s, ro);
  if (o.st != run_outcome::passed) {
    error(w.s.path + ": the workload fails before any crash:");
    for (const std::string &m : o.messages) std::fprintf(stderr, "  %s\n", m.c_str());
    return false;
  }
  if (!explored_media(w, opt, w.eopt.media)) return false;
  if (writes_something(w)) return true;
  error(w.s.path + ": the workload writes nothing to a disk or file that survives a power cut " +
        "(md malloc and swap units do not: use @disk)");
  return false;
}

bool load(const std::string &path, const explore_options &opt, workload &w) {
  std::vector<std::string> errors;
  if (!load_script(path, w.s, errors)) {
    for (const std::string &e : errors) std::fprintf(stderr, "%s\n", e.c_str());
    return false;
  }
  w.seed = w.s.pinned_seed ? w.s.seed : opt.seed;
  w.post = post_crash_script(w.s);
  w.eopt.max_drop = opt.max_drop;
  w.eopt.exhaustive = opt.exhaustive;
  w.eopt.torn = opt.torn;
  return record(w, opt);
}

// --------------------------------------------------------- one state

// Puts the state's disks, files and loader settings into a fresh machine.
void install(const workload &w, const crash_state &st, const state_storage &storage, machine &m) {
  const setup &su = w.rec.setups()[st.point->setup];
  m.kenv() = su.kenv;
  m.boot_modules() = su.modules;
  for (const setup::disk &d : su.disks) {
    m.add_disk(d.name, storage.media[d.media]);
    if (!d.present) m.pull_from_kernel(d.name);
  }
  for (const setup::file &f : su.files) {
    m.add_file(f.path, storage.media[f.media], f.length);
    m.set_file_written(f.path, f.written);
  }
  m.set_boots(st.point->boots);
}

run_outcome run_post(const workload &w, const image_timeline &t, const crash_state &st,
                     const explore_options &opt) {
  state_storage storage = build_storage(w.rec, t, st);
  crash_context ctx;
  ctx.rec = &w.rec;
  ctx.after = st.point->after;
  ctx.expect = &w.expectations_after(st.point->after);
  ctx.name_line = [&w](int step) { return step_name(w.s, step); };
  run_options ro;
  ro.seed = w.seed;
  ro.crash = &ctx;
  ro.quiet = true;
  ro.time_limit_s = opt.time_limit_s;
  ro.prepare = [&](machine &m) { install(w, st, storage, m); };
  return run_script(w.post, ro);
}

state_outcome run_state(const workload &w, const image_timeline &t, const crash_state &st,
                        const explore_options &opt) {
  try {
    return classify(run_post(w, t, st, opt));
  } catch (const std::exception &e) {
    return simulator_error(e.what());
  }
}

// --------------------------------------------------------- many states

uint64_t count_states(const workload &w) {
  state_enumerator en(w.rec, w.eopt);
  crash_state st;
  uint64_t n = 0;
  while (en.next(st)) n++;
  return n;
}

// Shows states done / total on standard error (a terminal only).
class progress {
 public:
  progress(bool on, uint64_t total) : on_(on && isatty(2)), total_(total), t0_(clk::now()) {}
  void show(uint64_t done, uint64_t failing) {
    if (!on_) return;
    const auto now = clk::now();
    if (now - last_ < std::chrono::milliseconds(200) && done != total_) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - t0_).count();
    const double rate = s > 0 ? done / s : 0;
    std::fprintf(stderr, "\rexplore: %llu/%llu states, %.0f/s, ETA %.0fs, %llu failing   ",
                 (unsigned long long)done, (unsigned long long)total_, rate,
                 rate > 0 ? (total_ - done) / rate : 0.0, (unsigned long long)failing);
    if (done == total_) std::fprintf(stderr, "\n");
  }

 private:
  bool on_;
  uint64_t total_;
  clk::time_point t0_, last_{};
};

// The states of one shard (index % shards == shard), counted in `done`.
void run_shard(const workload &w, const explore_options &opt, uint64_t shard, uint64_t shards,
               tally &t, std::atomic<uint64_t> *done, std::atomic<uint64_t> *failing) {
  image_timeline timeline(w.rec);
  state_enumerator en(w.rec, w.eopt);
  crash_state st;
  while (en.next(st) && st.index < t.selected) {
    if (st.index % shards != shard) continue;
    timeline.advance_to(st.point->after);
    state_outcome o = run_state(w, timeline, st, opt);
    t.add(st, o);
    if (done != nullptr) done->fetch_add(1);
    if (failing != nullptr && o.failed()) failing->fetch_add(1);
  }
}

// Counters the jobs share with the parent (anonymous shared memory).
struct shared_counters {
  std::atomic<uint64_t> done{0}, failing{0};
};

// Where job j of the parent `parent` leaves its results.
std::string job_file(pid_t parent, int j) {
  return (std::filesystem::temp_directory_path() /
          ("geomsim-explore-" + std::to_string(parent) + "-" + std::to_string(j) + ".json"))
      .string();
}

// Forks the jobs; each runs every (shards * jobs)-th state and writes its
// results where the parent reads them.
bool run_jobs(const workload &w, const explore_options &opt, tally &t, shared_counters *c) {
  const uint64_t stride = (uint64_t)opt.shards * opt.jobs;
  const pid_t parent = getpid();
  std::vector<pid_t> pids;
  std::fflush(nullptr);  // nothing buffered may be written twice
  for (int j = 0; j < opt.jobs; j++) {
    pid_t pid = fork();
    if (pid == 0) {
      tally mine = t;
      run_shard(w, opt, opt.shard + (uint64_t)opt.shards * j, stride, mine, &c->done, &c->failing);
      std::ofstream(job_file(parent, j)) << mine.to_json().dump();
      _exit(0);
    }
    if (pid > 0) pids.push_back(pid);
  }
  progress bar(opt.progress, t.selected / opt.shards);
  for (size_t left = pids.size(); left > 0;) {
    bar.show(c->done.load(), c->failing.load());
    for (pid_t &p : pids)
      if (p > 0 && waitpid(p, nullptr, WNOHANG) == p) p = 0, left--;
    usleep(50000);
  }
  bar.show(c->done.load(), c->failing.load());
  for (int j = 0; j < opt.jobs; j++) {
    tally part;
    std::string e;
    std::ifstream in(job_file(parent, j));
    json jj = json::parse(in, nullptr, false);
    std::filesystem::remove(job_file(parent, j));
    if (jj.is_discarded() || !tally::from_json(jj, part, e)) {
      error("a job's results are missing: " + e);
      return false;
    }
    // The jobs split this run's shard: merged as pieces of it.
    part.keep_states = t.keep_states;
    part.shards = t.shards;
    part.shard_ids = {j};
    if (j == 0) t.shard_ids.clear();
    if (!t.merge(part, e)) return false;
  }
  t.shard_ids = {opt.shard};
  return true;
}

bool run_states(const workload &w, const explore_options &opt, tally &t) {
  shared_counters local;
  if (opt.jobs <= 1) {
    progress bar(opt.progress, t.selected / opt.shards);
    std::atomic<uint64_t> failing{0};
    std::atomic<uint64_t> done{0};
    run_shard(w, opt, opt.shard, opt.shards, t, &done, &failing);
    bar.show(done.load(), failing.load());
    return true;
  }
  void *mem = mmap(nullptr, sizeof(shared_counters), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return false;
  auto *c = new (mem) shared_counters();
  bool ok = run_jobs(w, opt, t, c);
  munmap(mem, sizeof(shared_counters));
  return ok;
}

// --------------------------------------------------------- reproducers

// Runs again the first state of every failing row and writes its
// reproducer.
void write_reproducers(const workload &w, const explore_options &opt, tally &t) {
  std::map<uint64_t, tally_row *> wanted;
  for (auto &[sig, r] : t.rows)
    if (r.failed) wanted[r.first] = &r;
  if (wanted.empty()) return;
  image_timeline timeline(w.rec);
  state_enumerator en(w.rec, w.eopt);
  crash_state st;
  while (!wanted.empty() && en.next(st)) {
    auto it = wanted.find(st.index);
    if (it == wanted.end()) continue;
    timeline.advance_to(st.point->after);
    run_outcome post = run_post(w, timeline, st, opt);
    state_outcome o = classify(post);
    reproducer_input in{&w.s, &w.rec, &st, &o, &post, w.seed};
    reproducer_result r = write_reproducer(in, opt.out_dir);
    it->second->reproducer = r.path;
    it->second->reproduces = r.reproduces && o.signature == it->second->signature;
    it->second->note = o.signature != it->second->signature ? "a second run gave: " + o.signature
                                                             : r.note;
    wanted.erase(it);
  }
}

// --------------------------------------------------------- the report

std::string disks_line(const workload &w) {
  std::string s;
  for (const media_info &m : w.rec.media())
    if (m.config.persistent)
      s += (s.empty() ? "" : ", ") + m.name + " (" + cache_model_name(m.config.cache) + ")";
  return s;
}

void report(const workload *w, const tally &t, const explore_options &opt, std::string &out) {
  out += "geomsim explore: " + t.workload + " (seed " + std::to_string(t.seed) + ")\n";
  if (w != nullptr)
    out += "  workload: " + std::to_string(w->rec.writes().size()) + " writes and deletes; " +
           "disks and files: " + disks_line(*w) + "\n";
  out += "  crash states: " + std::to_string(t.total) + " (max-drop " +
         std::to_string(opt.max_drop) + ", exhaustive " + std::to_string(opt.exhaustive) +
         ", torn " + (opt.torn ? "yes" : "no") + ")";
  if (t.selected != t.total) out += ", the first " + std::to_string(t.selected) + " selected";
  out += "; run: " + std::to_string(t.run) + "\n\n";
  char buf[64];
  out += "  states  first state          outcome\n";
  for (const tally_row *r : t.ordered()) {
    std::snprintf(buf, sizeof buf, "  %6llu  %-20s ", (unsigned long long)r->count, r->first_id.c_str());
    out += buf + r->signature + "\n";
    if (!r->failed) continue;
    for (size_t i = 0; i < r->details.size() && i < 4; i++) out += "            " + r->details[i] + "\n";
    if (!r->reproducer.empty())
      out += "            reproducer: " + r->reproducer +
             (r->reproduces ? " (replays the same outcome)\n" : " (DOES NOT REPLAY: " + r->note + ")\n");
  }
  uint64_t sigs = 0;
  for (const auto &[s, r] : t.rows) sigs += r.failed;
  out += "\n" + std::to_string(t.failed_states()) + " failing states in " + std::to_string(sigs) +
         " signature(s)\n";
}

bool write_json(const tally &t, const std::string &path) {
  std::ofstream f(path, std::ios::trunc);
  f << t.to_json().dump(1) << "\n";
  if (f) return true;
  error("cannot write " + path);
  return false;
}

tally new_tally(const workload &w, const explore_options &opt) {
  tally t;
  t.workload = w.s.path;
  t.seed = w.seed;
  t.options = options_json(opt);
  t.keep_states = !opt.json_path.empty();
  t.total = count_states(w);
  t.shards = opt.shards;
  t.shard_ids = {opt.shard};
  t.selected = opt.max_states != 0 && opt.max_states < t.total ? opt.max_states : t.total;
  return t;
}

int explore_one(const std::string &path, const explore_options &opt, std::string &out) {
  workload w;
  if (!load(path, opt, w)) return 2;
  tally t = new_tally(w, opt);
  const auto t0 = clk::now();
  if (!run_states(w, opt, t)) return 2;
  const double secs = std::chrono::duration<double>(clk::now() - t0).count();
  std::fprintf(stderr, "geomsim explore: %s: %llu states in %.2f s (%.0f states/s)\n",
               path.c_str(), (unsigned long long)t.run, secs, secs > 0 ? t.run / secs : 0.0);
  if (opt.timing_out != nullptr) {
    opt.timing_out->states += t.run;
    opt.timing_out->seconds += secs;
  }
  write_reproducers(w, opt, t);
  report(&w, t, opt, out);
  if (!opt.json_path.empty() && !write_json(t, opt.json_path)) return 2;
  return t.failed_states() != 0 ? 1 : 0;
}

// --------------------------------------------------------- --merge

int merge(const explore_options &opt, std::string &out) {
  tally all;
  for (size_t i = 0; i < opt.merge.size(); i++) {
    std::ifstream in(opt.merge[i]);
    json j = json::parse(in, nullptr, false);
    tally part;
    std::string e;
    if (!in.good() && j.is_discarded()) e = "cannot read it";
    else if (j.is_discarded()) e = "not JSON";
    if (!e.empty() || !tally::from_json(j, part, e) || (i > 0 && !all.merge(part, e))) {
      error(opt.merge[i] + ": " + e);
      return 2;
    }
    if (i == 0) all = part;
  }
  explore_options o = opt;
  o.seed = all.seed;
  o.max_drop = all.options.value("max_drop", 2);
  o.exhaustive = all.options.value("exhaustive", 4);
  o.torn = all.options.value("torn", false);
  o.cache = all.options.value("cache", "");
  o.disks = all.options.value("disks", std::vector<std::string>{});
  workload w;
  const bool have = load(all.workload, o, w);
  if (have) write_reproducers(w, o, all);
  report(have ? &w : nullptr, all, o, out);
  if (!opt.json_path.empty() && !write_json(all, opt.json_path)) return 2;
  return all.failed_states() != 0 ? 1 : 0;
}

}  // namespace

int explore(const explore_options &opt, std::string &out) {
  if (!opt.merge.empty()) return merge(opt, out);
  int worst = 0;
  for (const std::string &s : opt.scripts) {
    int rc = explore_one(s, opt, out);
    worst = std::max(worst, rc);
    if (rc == 2) break;
  }
  return worst;
}

}  // namespace sim::explore
