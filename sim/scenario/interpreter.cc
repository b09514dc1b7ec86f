// Replaying a scenario script. See sim/scenario/interpreter.h.
#include "sim/scenario/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "kern/bsd_errno.h"
#include "kern/fault.h"
#include "kern/kernel.h"
#include "kern/syscalls.h"
#include "sim/explore/recording.h"
#include "sim/machine/machine.h"
#include "sim/scenario/crash_directives.h"
#include "sim/scenario/directive.h"
#include "sim/scenario/hardware.h"
#include "sim/scenario/oracle.h"
#include "sim/scenario/stall.h"
#include "sim/scenario/trace.h"
#include "sim/userland/geom_core.h"
#include "sim/userland/program.h"
#include "sim/userland/ustream.h"

namespace sim {

namespace {

// A program running (or run) in a userland thread.
struct job {
  int id = 0;  // job number once in the background
  const step *st = nullptr;
  kern::thread *td = nullptr;
  std::shared_ptr<proc_io> io;
  std::shared_ptr<int> status;
  bool reported = false;
};

// What the last command did, for the @expect lines after it.
struct last_result {
  const step *st = nullptr;
  bool finished = false;
  int status = 0;
  std::shared_ptr<proc_io> io;
  size_t console_from = 0;  // first console line printed since it started
  bool panicked = false;
  bool blocked = false;
};

std::string first_line(const std::string &s) {
  size_t nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

std::string dirname_of(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// What sh(1) does for one command line in the program's thread: opens
// `< input` and `> redirect` (`>>` with append), runs the program and
// writes its standard output to the redirection. Returns the exit status.
int run_program(const program_info &prog, const std::vector<std::string> &argv, proc_io &io,
                ustream &in, const std::string &input, ustream &out,
                const std::string &redirect, bool append) {
  // Standard input: programs read it only as a stream, which devices
  // are not; opening it is what matters (it holds the device open).
  if (!input.empty()) {
    int e = in.open(input, false);
    if (e != 0) {
      io.put_err("sh: " + input + ": " + kern::bsd_strerror(e) + "\n");
      return 1;
    }
  }
  if (!redirect.empty()) {
    int e = out.open(redirect, true);
    if (e != 0) {
      io.put_err("sh: " + redirect + ": " + kern::bsd_strerror(e) + "\n");
      return 2;
    }
    if (!append) out.truncate(0);
  }
  int status;
  try {
    status = prog.main(argv, io);
  } catch (const exit_status &e) {
    status = e.status;
  }
  if (!redirect.empty()) {
    if (!io.out.empty()) {
      int64_t off = append ? std::max<int64_t>(0, out.size()) : 0;
      size_t done;
      int e = out.write(io.out.data(), io.out.size(), off, done);
      if (e != 0) io.put_err("sh: " + redirect + ": " + kern::bsd_strerror(e) + "\n");
    }
    // What went to the file is not shown.
    std::string err = io.err;
    io.all = err;
  }
  return status;
}

}  // namespace

class session::impl {
 public:
  impl(const script &s, const run_options &opt, bool interactive)
      : s_(s), opt_(opt), interactive_(interactive) {
    machine_config cfg;
    cfg.mode = opt_.mode;
    cfg.seed = s_.pinned_seed ? s_.seed : opt_.seed;
    cfg.console = [this](const std::string &line) { console_line(line); };
    m_ = std::make_unique<machine>(cfg);
    oracle::set_current(&oracle_);
    if (opt_.prepare) opt_.prepare(*m_);
    start_recording();
    if (!opt_.trace_path.empty()) tr_ = std::make_unique<tracer>(opt_.trace_path);
  }

  ~impl() {
    if (!finished_) finish();
  }

  run_outcome run_all() {
    for (size_t i = 0; i < s_.steps.size() && !fatal_; i++) run_step(i);
    finish();
    out_.transcript = transcript_;
    return out_;
  }

  // Shell: parses one line, runs it, returns what it printed.
  std::string run_line(const std::string &text) {
    size_t mark = transcript_.size();
    script one;
    std::vector<std::string> errors;
    ++shell_line_;
    if (!parse_script(s_.path, std::string(text), one, errors)) {
      // Errors name line 1 of the one-line text: give the shell's count.
      const std::string one_prefix = s_.path + ":1: ";
      std::string msg;
      for (const std::string &e : errors) {
        if (e.compare(0, one_prefix.size(), one_prefix) == 0)
          msg += s_.path + ":" + std::to_string(shell_line_) + ": " + e.substr(one_prefix.size()) + "\n";
        else
          msg += e + "\n";
      }
      return msg;
    }
    for (step &st : one.steps) {
      st.line = shell_line_;
      s_.steps.push_back(st);
      fatal_ = false;
      run_step(s_.steps.size() - 1);
    }
    return transcript_.substr(mark);
  }

  bool kernel_running() { return kernel_up(); }

  void finish() {
    if (finished_) return;
    finished_ = true;
    end_of_script();
    // The machine goes before the recording: it must stop watching first.
    if (recording_ != nullptr) recording_->detach();
    if (tr_) tr_->close();
    oracle::set_current(nullptr);
  }

 private:
  // A recording of the storage: explore's for its workload run, or the
  // script's own when it runs @crash-check after a @crash.
  void start_recording() {
    recording_ = opt_.record;
    bool checks = false;
    for (const step &st : s_.steps)
      checks = checks || (st.directive && st.lx.words[0] == "@crash-check");
    if (recording_ == nullptr && opt_.crash == nullptr && checks) {
      own_recording_ = std::make_unique<explore::recording>();
      recording_ = own_recording_.get();
    }
    if (recording_ != nullptr) recording_->attach(*m_);
  }

  void run_step(size_t i) {
    cur_ = i;
    const step &st = s_.steps[i];
    if (recording_ != nullptr) recording_->set_line((int)i);
    if (opt_.time_limit_s > 0)
      kern::set_host_deadline(std::chrono::steady_clock::now() +
                              std::chrono::seconds(opt_.time_limit_s));
    if (st.directive) directive_step(i);
    else command_step(i);
    kern::set_host_deadline({});
    note_time_limit(st);
    if (last_.st == &st && last_.io != nullptr && last_.io->output_cut)
      fail(st, "'" + st.text + "' wrote more than " +
                   std::to_string(proc_io::kOutputLimit) + " bytes: the rest was dropped");
    report_finished_jobs();
  }

  // A line that ran past the host-time limit: its kernel was stopped.
  void note_time_limit(const step &st) {
    kern::kernel *k = kernel();
    if (k == nullptr || !k->sched().timed_out() || time_limit_noted_) return;
    time_limit_noted_ = true;
    down_reason_ = "it was stopped at " + where(st) + " by the host-time limit";
    kill_jobs("time limit");
    fail(st, "'" + st.text + "' still running after " + std::to_string(opt_.time_limit_s) +
                 " s of host time (geomsim run --time-limit): the kernel was stopped");
  }

  // ------------------------------------------------------------ output

  void emit(const std::string &text) {
    std::lock_guard<std::mutex> g(mu_);
    transcript_ += text;
  }

  void console_line(const std::string &line) {
    std::lock_guard<std::mutex> g(mu_);
    if (quiet_) return;
    if (!opt_.quiet) transcript_ += line + "\n";
    console_.push_back(line);
  }

  size_t console_size() {
    std::lock_guard<std::mutex> g(mu_);
    return console_.size();
  }

  std::string where(const step &st) { return s_.path + ":" + std::to_string(st.line); }

  void fail(const step &st, const std::string &msg) {
    out_.messages.push_back(where(st) + ": " + msg);
    emit("geomsim: " + where(st) + ": " + msg + "\n");
    if (out_.st == run_outcome::passed) out_.st = run_outcome::failed;
  }

  void bad_script(const step &st, const std::string &msg) {
    out_.messages.push_back(where(st) + ": " + msg);
    emit("geomsim: " + where(st) + ": " + msg + "\n");
    if (out_.st != run_outcome::panicked) out_.st = run_outcome::bad_script;
    fatal_ = true;
  }

  // ------------------------------------------------------------ kernel

  // The kernel of the last boot (stopped or not: its panic report stays).
  kern::kernel *kernel() { return m_->last_kernel(); }

  bool kernel_up() { return m_->kernel() != nullptr && !m_->kernel()->stopped(); }

  // Boots on first need; false (with a failure) if no kernel can run.
  bool need_kernel(const step &st) {
    if (!booted_) {
      booted_ = true;
      apply_boot_config();
      if (!m_->boot()) {
        note_panic(st);
        return false;
      }
      return true;
    }
    if (kernel_up()) return true;
    fail(st, down_reason_.empty() ? "the kernel is not running" : "the kernel is not running (" + down_reason_ + ")");
    return false;
  }

  void apply_boot_config() {
    // loader.conf lines are applied to the machine as they are read.
  }

  void note_panic(const step &st) {
    kern::kernel *k = kernel();
    if (k == nullptr || !k->panicked() || panic_noted_) return;
    panic_noted_ = true;
    const kern::panic_report &p = k->panic_info();
    out_.panic_message = p.message;
    out_.panic_step = (int)cur_;
    char when[64];
    std::snprintf(when, sizeof when, "%.6fs", (double)p.time_ns / 1e9);
    emit("geomsim: simulated panic in thread " + p.thread + " (tid " + std::to_string(p.tid) +
         ") at uptime " + when + " while running '" + st.text + "' (" + where(st) + ")\n");
    if (!p.detail.empty()) emit("geomsim: " + p.detail + "\n");
    down_reason_ = "it panicked at " + where(st);
    kill_jobs("panic");
    if (!next_expects(directive::panic)) {
      out_.messages.push_back(where(st) + ": unexpected panic: " + p.message);
      out_.st = run_outcome::panicked;
    }
  }

  // Whether the @expect lines right after the step running now include
  // one of `what`.
  bool next_expects(directive::expect_kind what) {
    size_t i = cur_ + 1;
    for (; i < s_.steps.size() && s_.steps[i].directive; i++) {
      const auto &w = s_.steps[i].lx.words;
      if (w[0] != "@expect") break;
      directive d;
      std::string err;
      if (parse_directive(w, d, err) && d.what == what) return true;
    }
    return false;
  }

  bool next_expects_status() {
    return next_expects(directive::ok) || next_expects(directive::fail) ||
           next_expects(directive::exit_code) || next_expects(directive::blocked) ||
           next_expects(directive::panic);
  }

  // Runs fn in a short-lived userland thread ("geomsim") and waits for it.
  bool kernel_call(const std::function<void()> &fn) {
    if (!kernel_up()) return false;
    kern::thread *t = kernel()->run("geomsim", fn);
    bool done = t->finished();
    if (done) kernel()->reap(t);
    return done;
  }

  // ------------------------------------------------------------ jobs

  std::shared_ptr<job> start_job(const step &st) {
    auto j = std::make_shared<job>();
    j->st = &st;
    j->io = std::make_shared<proc_io>();
    j->status = std::make_shared<int>(0);
    const program_info *prog = find_program(st.lx.words[0]);
    auto io = j->io;
    auto status = j->status;
    std::vector<std::string> argv = st.lx.words;
    std::string redirect = st.lx.redirect;
    std::string input = st.lx.input;
    bool append = st.lx.append;
    io->progname = argv[0];
    j->td = kernel()->spawn(argv[0], [prog, argv, io, status, redirect, append, input] {
      // The shell's descriptors: standard input held open for the
      // program's life, standard output sent to a file or device at the
      // end. Closed explicitly, where the thread can unwind: the close of
      // a device written to makes GEOM taste it, which may panic.
      ustream in, out;
      *status = run_program(*prog, argv, *io, in, input, out, redirect, append);
      out.close();
      in.close();
    });
    return j;
  }

  void report_job(job &j, const char *how) {
    if (j.reported) return;
    j.reported = true;
    emit("[" + std::to_string(j.id) + "] " + how + " (exit " + std::to_string(*j.status) +
         "): " + j.st->text + "\n");
    emit(j.io->all);
  }

  void report_finished_jobs() {
    for (auto &j : jobs_) {
      if (j->reported || !j->td->finished()) continue;
      report_job(*j, "Done");
      if (kernel_up()) kernel()->reap(j->td);
      j->td = nullptr;
    }
    jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(), [](auto &j) { return j->reported; }),
                jobs_.end());
  }

  void kill_jobs(const char *why) {
    for (auto &j : jobs_) {
      if (j->reported) continue;
      j->reported = true;
      emit("[" + std::to_string(j->id) + "] Killed (" + why + "): " + j->st->text + "\n");
    }
    jobs_.clear();
    if (last_.blocked) last_.blocked = false;
  }

  // ------------------------------------------------------------ commands

  void command_step(size_t i) {
    const step &st = s_.steps[i];
    last_ = last_result{};
    last_.st = &st;
    if (!need_kernel(st)) {
      last_.finished = true;
      last_.status = -1;
      return;
    }
    emit("# " + st.text + "\n");
    last_.console_from = console_size();
    auto j = start_job(st);
    last_.io = j->io;
    if (st.lx.background) {
      j->id = next_job_++;
      emit("[" + std::to_string(j->id) + "] " + st.lx.words[0] + "\n");
      jobs_.push_back(j);
      kernel()->run_runnable();
      last_.finished = true;  // nothing to check about a background start
      last_.status = 0;
      if (kernel()->panicked()) note_panic(st);
      return;
    }
    bool done = kernel()->run_until_done(j->td);
    if (kernel()->sched().timed_out()) return;  // run_step reports it
    if (kernel()->panicked()) {
      last_.panicked = true;
      if (done) emit(j->io->all);
      note_panic(st);
      return;
    }
    if (kernel()->powered_off()) {
      emit(j->io->all);
      down_reason_ = "the power was cut at " + where(st);
      emit_power_report(st);
      kill_jobs("power cut");
      last_.finished = done;
      last_.status = done ? *j->status : -1;
      return;
    }
    if (!done) {
      // The command waits for something that nothing left to run will
      // ever do: a hang, or what the script wants to show (@expect blocked).
      j->id = next_job_++;
      jobs_.push_back(j);
      last_.blocked = true;
      std::string wm = j->td->wmesg();
      emit("[" + std::to_string(j->id) + "] blocked on \"" + wm + "\": " + st.text + "\n");
      if (out_.hang.empty()) {
        out_.hang = "'" + st.text + "' waits on \"" + wm + "\"";
        out_.hang_step = (int)cur_;
      }
      if (!interactive_ && !next_expects(directive::blocked))
        fail(st, "'" + st.text + "' did not finish: thread " + st.lx.words[0] +
                     " waits on \"" + wm + "\" and nothing else can run");
      return;
    }
    last_.finished = true;
    last_.status = *j->status;
    emit(j->io->all);
    kernel()->reap(j->td);
    if (interactive_) return;  // the user reads the output
    if (last_.status != 0 && !next_expects_status()) {
      if (j->io->usage_error)
        bad_script(st, "bad command line: " + first_line(j->io->err));
      else
        fail(st, "'" + st.text + "' failed (exit " + std::to_string(last_.status) + ")");
    } else if (last_.status != 0 && j->io->usage_error && !next_expects(directive::fail) &&
               !next_expects(directive::exit_code)) {
      bad_script(st, "bad command line: " + first_line(j->io->err));
    }
  }

  // ------------------------------------------------------------ directives

  void directive_step(size_t i) {
    const step &st = s_.steps[i];
    directive d;
    std::string err;
    parse_directive(st.lx.words, d, err);  // validated when the script was read
    switch (d.kind) {
      case directive::seed:
        return;  // used when the run starts
      case directive::loader:
        loader(st, d);
        return;
      case directive::echo:
        emit(d.text + "\n");
        return;
      case directive::expect:
        expect(st, d);
        return;
      default:
        break;
    }
    emit("# " + st.text + "\n");
    switch (d.kind) {
      case directive::disk: {
        directive dd = d;
        if (!opt_.disk_cache.empty()) dd.cache = opt_.disk_cache;
        std::string e = hw_add_disk(*m_, dd);
        if (!e.empty()) fail(st, e);
        if (booted_ && kernel_up()) kernel()->settle();
        return;
      }
      case directive::image: {
        directive dd = d;
        dd.cow = d.cow || (opt_.images_cow && !d.readonly);
        std::string e = hw_map_image(*m_, dd, dirname_of(s_.path));
        if (!e.empty()) fail(st, e);
        return;
      }
      case directive::pull: {
        if (!need_kernel(st)) return;
        if (d.trigger != "now") {
          std::string e = hw_arm_pull(*m_, d);
          if (!e.empty()) fail(st, e);
          return;
        }
        std::string report;
        std::string e = hw_pull(*m_, d.pull_target, report);
        emit(report);
        if (!e.empty()) fail(st, e);
        after_kernel_work(st);
        return;
      }
      case directive::stall:
      case directive::resume: {
        if (!need_kernel(st)) return;
        std::string e = d.trigger == "now" ? stall_now(*m_, d) : arm_stall(*m_, d);
        if (!e.empty()) fail(st, e);
        after_kernel_work(st);
        return;
      }
      case directive::fault:
        if (!need_kernel(st)) return;
        kernel()->faults().add({d.point, d.detail, d.nth, d.count, d.percent});
        return;
      case directive::fault_clear:
        if (kernel()) kernel()->faults().clear();
        return;
      case directive::power_cut: {
        if (!need_kernel(st)) return;
        if (d.trigger == "now") {
          m_->power_cut();
          down_reason_ = "the power was cut at " + where(st);
          emit_power_report(st);
          kill_jobs("power cut");
          return;
        }
        std::string e = hw_arm_power_cut(*m_, d);
        if (!e.empty()) fail(st, e);
        return;
      }
      case directive::reboot:
      case directive::boot:
      case directive::shutdown:
        power_step(st, d);
        return;
      case directive::wait:
        wait_jobs(st);
        return;
      case directive::sleep:
        if (!need_kernel(st)) return;
        kernel()->advance(d.duration_ns);
        after_kernel_work(st);
        return;
      case directive::check: {
        if (!need_kernel(st)) return;
        emit(check_report(d) + "\n");
        after_kernel_work(st);
        return;
      }
      case directive::crash: {
        std::string e = arm_crash(*m_, d);
        if (!e.empty()) fail(st, e);
        return;
      }
      case directive::crash_check:
        crash_check_step(st, d);
        return;
      case directive::virstor_check:
        virstor_check_step(st, d);
        return;
      case directive::writelog: {
        std::string report;
        std::string e = hw_write_log(*m_, d.name, report);
        emit(report);
        if (!e.empty()) fail(st, e);
        return;
      }
      default:
        return;
    }
  }

  // @crash-check: the default checks after a crash (sim/explore).
  void crash_check_step(const step &st, const directive &d) {
    if (!need_kernel(st)) return;
    crash_context own;
    const crash_context *c = opt_.crash;
    if (c == nullptr) {
      if (recording_ == nullptr) {
        fail(st, "@crash-check: no recording of this machine's writes to check against");
        return;
      }
      own.rec = recording_;
      own.after = recording_->last_cut();
      own.name_line = [this](int step) { return sim::step_name(s_, step); };
      c = &own;
    }
    explore::crash_check_result r =
        c->expect != nullptr ? explore::crash_check(*m_, *c->rec, *c->expect, c->name_line)
                             : explore::crash_check(*m_, *c->rec, c->after, c->name_line);
    for (const std::string &l : r.lines) emit(l + "\n");
    after_kernel_work(st);
    judge_findings(st, d, r.findings, "@crash-check", "");
  }

  // Findings of @crash-check or @virstor-check: a failure, unless the line
  // says exactly these kinds are expected (a reproducer's line).
  void judge_findings(const step &st, const directive &d,
                      const std::vector<explore::crash_finding> &found, const char *what,
                      const std::string &prefix) {
    std::set<std::string> kinds, want(d.expected.begin(), d.expected.end());
    for (const auto &f : found) kinds.insert(f.kind.substr(prefix.size()));
    if (!d.expect_findings) {
      for (auto &f : found) out_.crash_findings.push_back(f);
      if (!found.empty())
        fail(st, std::string(what) + ": " + std::to_string(found.size()) + " finding(s)");
      return;
    }
    if (kinds == want) return;
    auto list = [](const std::set<std::string> &s) {
      std::string out;
      for (const std::string &k : s) out += (out.empty() ? "" : ",") + k;
      return out.empty() ? std::string("nothing") : out;
    };
    fail(st, std::string(what) + ": expected " + list(want) + ", found " + list(kinds));
  }

  // @virstor-check: the offline checker over the machine's disks.
  void virstor_check_step(const step &st, const directive &d) {
    std::vector<std::string> lines;
    std::vector<explore::crash_finding> found;
    check_virstor_disks(*m_, d, lines, found, !opt_.quiet);
    for (const std::string &l : lines) emit(l + "\n");
    judge_findings(st, d, found, "@virstor-check", "checker:");
  }

  void after_kernel_work(const step &st) {
    if (kernel() && kernel()->panicked()) note_panic(st);
    else if (kernel() && kernel()->powered_off() && down_reason_.empty()) {
      down_reason_ = "the power was cut at " + where(st);
      emit_power_report(st);
      kill_jobs("power cut");
    }
  }

  void emit_power_report(const step &) {
    emit("geomsim: power cut\n");
    emit(hw_power_cut_report(*m_));
  }

  void loader(const step &st, const directive &d) {
    const std::string suffix = "_load";
    if (d.key.size() > suffix.size() &&
        d.key.compare(d.key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string mod = d.key.substr(0, d.key.size() - suffix.size());
      std::string v = d.value;
      std::transform(v.begin(), v.end(), v.begin(), ::tolower);
      auto &mods = m_->boot_modules();
      auto it = std::find(mods.begin(), mods.end(), mod);
      if (v == "yes" && it == mods.end()) mods.push_back(mod);
      else if (v == "no" && it != mods.end()) mods.erase(it);
      else if (v != "yes" && v != "no") fail(st, "expected YES or NO for " + d.key);
      return;
    }
    m_->kenv()[d.key] = d.value;
  }

  void power_step(const step &st, const directive &d) {
    if (d.kind == directive::shutdown) {
      if (kernel_up()) {
        kill_jobs("shutdown");
        m_->shutdown();
      }
      down_reason_ = "it was shut down at " + where(st);
      return;
    }
    if (d.kind == directive::boot && kernel_up()) {
      fail(st, "@boot: the kernel is already running (use @reboot)");
      return;
    }
    kill_jobs(d.kind == directive::reboot ? "reboot" : "boot");
    booted_ = true;
    bool ok = d.kind == directive::reboot ? m_->reboot() : m_->boot();
    panic_noted_ = false;
    down_reason_.clear();
    if (!ok) note_panic(st);
  }

  void wait_jobs(const step &st) {
    for (auto &j : jobs_) {
      if (j->reported || !kernel_up()) continue;
      kernel()->run_until_done(j->td);
      if (kernel()->panicked()) {
        note_panic(st);
        return;
      }
      if (!j->td->finished()) {
        fail(st, "@wait: job [" + std::to_string(j->id) + "] '" + j->st->text +
                     "' waits on \"" + j->td->wmesg() + "\" and nothing else can run");
        continue;
      }
      report_job(*j, "Done");
      kernel()->reap(j->td);
      j->td = nullptr;
      if (last_.blocked && last_.st == j->st) last_.blocked = false;
    }
    jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(), [](auto &j) { return j->reported; }),
                jobs_.end());
  }

  std::string check_report(const directive &d) {
    oracle::check_result r;
    bool ran = kernel_call([&] { r = oracle_.check(d.name, d.offset, d.length); });
    std::string s = "check " + d.name + ": ";
    if (!ran) return s + "could not run";
    if (!oracle_.knows(d.name)) return s + "nothing was written to it";
    if (r.error != 0) return s + "cannot read: " + kern::bsd_strerror(r.error);
    s += std::to_string(r.sectors_checked) + " acknowledged sectors, ";
    if (r.sectors_bad == 0) return s + "all read back";
    s += std::to_string(r.sectors_bad) + " do not read back:";
    for (const auto &b : r.bad)
      s += "\n  offset " + std::to_string(b.offset) + ", " + std::to_string(b.length) + " bytes";
    return s;
  }

  // ------------------------------------------------------------ expect

  void expect(const step &st, const directive &d) {
    auto need_last = [&]() {
      if (last_.st == nullptr) {
        bad_script(st, "@expect without a command before it");
        return false;
      }
      // A command cut short by a panic has no status to check: the
      // panic is what gets reported (unexpected panic, or @expect panic).
      if (last_.panicked) return false;
      return true;
    };
    switch (d.what) {
      case directive::ok:
        if (!need_last()) return;
        if (last_.blocked) fail(st, "expected '" + last_.st->text + "' to succeed, but it is blocked");
        else if (last_.status != 0)
          fail(st, "expected '" + last_.st->text + "' to succeed, it exited " + std::to_string(last_.status));
        return;
      case directive::fail:
        if (!need_last()) return;
        if (last_.blocked) fail(st, "expected '" + last_.st->text + "' to fail, but it is blocked");
        else if (last_.status == 0) fail(st, "expected '" + last_.st->text + "' to fail, it succeeded");
        else if (!d.text.empty() && last_.io && last_.io->err.find(d.text) == std::string::npos)
          fail(st, "expected the error output to contain \"" + d.text + "\"");
        return;
      case directive::exit_code:
        if (!need_last()) return;
        if (last_.blocked || last_.status != (int)d.number)
          fail(st, "expected exit status " + std::to_string(d.number) + ", got " +
                       (last_.blocked ? std::string("none (blocked)") : std::to_string(last_.status)));
        return;
      case directive::blocked:
        if (!need_last()) return;
        if (!last_.blocked) fail(st, "expected '" + last_.st->text + "' to block, it finished");
        return;
      case directive::stream: {
        std::string text;
        if (d.stream_name == "console") {
          std::lock_guard<std::mutex> g(mu_);
          size_t from = last_.st ? last_.console_from : 0;
          for (size_t k = from; k < console_.size(); k++) text += console_[k] + "\n";
        } else {
          if (!need_last()) return;
          if (!last_.io) {
            fail(st, "the command produced no output to check");
            return;
          }
          text = d.stream_name == "stdout" ? last_.io->out
                 : d.stream_name == "stderr" ? last_.io->err
                                             : last_.io->all;
        }
        bool ok;
        if (d.op == "contains") ok = text.find(d.text) != std::string::npos;
        else if (d.op == "lacks") ok = text.find(d.text) == std::string::npos;
        else {
          std::string t = text;
          while (!t.empty() && t.back() == '\n') t.pop_back();
          ok = t == d.text;
        }
        if (!ok) fail(st, "expected " + d.stream_name + " " + d.op + " \"" + d.text + "\"");
        return;
      }
      case directive::device:
      case directive::no_device: {
        bool exists = false;
        std::string name = d.name.compare(0, 5, "/dev/") == 0 ? d.name.substr(5) : d.name;
        kernel_call([&] {
          for (const auto &n : kern::sys_devfs_list())
            if (n == name) exists = true;
        });
        if (d.what == directive::device && !exists) fail(st, "expected " + d.name + " to exist");
        if (d.what == directive::no_device && exists) fail(st, "expected no " + d.name);
        return;
      }
      case directive::panic: {
        kern::kernel *k = kernel();
        if (k == nullptr || !k->panicked()) {
          fail(st, "expected a panic");
          return;
        }
        if (!d.text.empty() && k->panic_info().message.find(d.text) == std::string::npos)
          fail(st, "expected a panic with \"" + d.text + "\", got \"" + k->panic_info().message + "\"");
        return;
      }
      case directive::data: {
        if (!need_kernel(st)) return;
        oracle::check_result r;
        kernel_call([&] { r = oracle_.check(d.name, d.offset, d.length); });
        if (!oracle_.knows(d.name)) fail(st, "nothing was written to " + d.name);
        else if (r.error != 0) fail(st, "cannot read " + d.name + ": " + kern::bsd_strerror(r.error));
        else if (r.sectors_bad != 0)
          fail(st, std::to_string(r.sectors_bad) + " acknowledged sectors of " + d.name +
                       " do not read back (first at offset " + std::to_string(r.bad[0].offset) + ")");
        return;
      }
      case directive::finding: {
        bool found = false;
        if (kernel())
          for (const auto &f : kernel()->findings())
            if (f.find(d.text) != std::string::npos) found = true;
        if (!found) fail(st, "expected a finding with \"" + d.text + "\"");
        return;
      }
    }
  }

  // ------------------------------------------------------------ end

  void end_of_script() {
    if (recording_ != nullptr) recording_->set_line(-1);
    for (auto &j : jobs_) {
      if (j->reported) continue;
      if (j->td && j->td->finished()) report_job(*j, "Done");
      else {
        j->reported = true;
        emit("[" + std::to_string(j->id) + "] still running at the end: " + j->st->text + "\n");
        out_.messages.push_back(where(*j->st) + ": '" + j->st->text + "' never finished");
        if (out_.st == run_outcome::passed) out_.st = run_outcome::failed;
      }
    }
    jobs_.clear();
    if (!opt_.dot_path.empty() && kernel_up()) {
      std::string dot;
      bool done = kernel_call([&] { kern::sys_sysctl_get("kern.geom.confdot", dot); });
      // FreeBSD's g_confdot ends the graph with "};", which Graphviz
      // rejects; the file gets a plain "}".
      if (dot.size() >= 3 && dot.compare(dot.size() - 3, 3, "};\n") == 0)
        dot.replace(dot.size() - 3, 3, "}\n");
      if (done && !dot.empty()) write_text_file(opt_.dot_path, dot);
      else
        std::fprintf(stderr, "geomsim: %s: --dot %s: the topology could not be read (%s)\n",
                     s_.path.c_str(), opt_.dot_path.c_str(),
                     done ? "kern.geom.confdot is empty" : "g_event does not run: stalled?");
    }
    if (kernel_up()) {
      // Orderly shutdown; its console output is not part of the story.
      {
        std::lock_guard<std::mutex> g(mu_);
        quiet_ = true;
      }
      m_->shutdown();
    }
    if (kernel()) {
      for (const std::string &f : kernel()->findings()) emit("geomsim: finding: " + f + "\n");
    }
  }

  static void write_text_file(const std::string &path, const std::string &text) {
    FILE *f = std::fopen(path.c_str(), "w");
    if (!f) return;
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }

  script s_;
  run_options opt_;
  bool interactive_;
  bool finished_ = false;
  int shell_line_ = 0;
  size_t cur_ = 0;  // index of the step running
  bool time_limit_noted_ = false;
  std::unique_ptr<tracer> tr_;
  // Declared before the machine, so that it outlives it.
  std::unique_ptr<explore::recording> own_recording_;
  explore::recording *recording_ = nullptr;
  std::unique_ptr<machine> m_;
  oracle oracle_;
  run_outcome out_;
  std::mutex mu_;
  std::string transcript_;
  std::vector<std::string> console_;
  bool quiet_ = false;
  bool booted_ = false;
  bool fatal_ = false;
  bool panic_noted_ = false;
  std::string down_reason_;
  last_result last_;
  std::vector<std::shared_ptr<job>> jobs_;
  int next_job_ = 1;
};

session::session(const std::string &name, const run_options &opt) {
  script s;
  s.path = name;
  impl_ = std::make_unique<impl>(s, opt, true);
}

session::~session() = default;

std::string session::run_line(const std::string &line) { return impl_->run_line(line); }

void session::finish() { impl_->finish(); }

run_outcome run_script(const script &s, const run_options &opt) {
  session::impl in(s, opt, false);
  return in.run_all();
}

}  // namespace sim
