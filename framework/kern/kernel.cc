// One boot of the simulated kernel. See kern/kernel.h.
#include "kern/kernel.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "kern/bsd_errno.h"
#include "kern/format.h"
#include "kern/sync.h"
#include "kern/trap.h"

namespace kern {

namespace detail {
kernel *current_kernel = nullptr;
}  // namespace detail

namespace {

std::vector<sysinit *> &sysinits() {
  static std::vector<sysinit *> v;
  return v;
}
std::vector<module_entry *> &modules() {
  static std::vector<module_entry *> v;
  return v;
}

module_entry *find_module(const std::string &name) {
  for (module_entry *m : modules()) {
    if (name == m->name) return m;
    // kldload takes the file name too: geom_virstor(.ko) holds g_virstor.
    std::string n = name;
    if (n.size() > 3 && n.compare(n.size() - 3, 3, ".ko") == 0) n.resize(n.size() - 3);
    if (n.compare(0, 5, "geom_") == 0 && "g_" + n.substr(5) == m->name) return m;
    if (n == m->name) return m;
  }
  return nullptr;
}

void lock_recursed(const char *kind, const char *name) {
  kernel *k = kernel::current();
  if (std::string(kind) == "sx")
    k->panic(format("_sx_xlock_hard: recursed on non-recursive sx %s", name));
  k->panic(format("_mtx_lock_sleep: recursed on non-recursive mutex %s", name));
}

void lock_not_owned(const char *kind, const char *name) {
  kernel *k = kernel::current();
  if (std::string(kind) == "sx")
    k->panic(format("Lock %s not exclusively locked", name));
  k->panic(format("mutex %s not owned", name));
}
}  // namespace

sysinit::sysinit(int order_, const char *name_, void (*init_)(), void (*fini_)())
    : order(order_), name(name_), init(init_), fini(fini_) {
  sysinits().push_back(this);
}

module_entry::module_entry(const char *name_, int (*handler_)(void *, int),
                           void *arg_, bool builtin_, int order_, const char *file_)
    : name(name_), handler(handler_), arg(arg_), builtin(builtin_), order(order_),
      file(file_) {
  modules().push_back(this);
}

namespace {
// Sysctls of the kernel proper: not in a file that declares a module.
bool not_a_module_file(const char *file, const void *) {
  for (module_entry *m : modules())
    if (m->file[0] != '\0' && std::strcmp(m->file, file) == 0) return false;
  return true;
}

bool in_module_file(const char *file, const void *arg) {
  auto *m = static_cast<const module_entry *>(arg);
  return m->file[0] != '\0' && std::strcmp(m->file, file) == 0;
}
}  // namespace

kernel::kernel(boot_config cfg) : cfg_(std::move(cfg)) {
  static std::atomic<uint64_t> serials{0};
  serial_ = ++serials;
  if (detail::current_kernel != nullptr) {
    std::fprintf(stderr, "geomsim: a kernel is already booted\n");
    std::abort();
  }
  detail::current_kernel = this;
  sched_ = std::make_unique<scheduler>(cfg_.mode, cfg_.seed);
  set_current_scheduler(sched_.get());
  console_.set_sink(cfg_.console_sink);
  g_lock_hooks.recursed = lock_recursed;
  g_lock_hooks.not_owned = lock_not_owned;
  sched_->on_thread_exception = [this](thread *t, std::exception_ptr ep) {
    report_thread_exception(t, ep);
  };
  sched_->on_illegal_sleep = [this](thread *t, const char *wmesg) {
    panic_info_detail_ = format("thread %s tried to sleep on \"%s\" while sleeping is "
                                "prohibited (a GEOM start or done method, or a "
                                "cancel handler, must not sleep)",
                                t->name().c_str(), wmesg);
    panic(format("sleepq_add: td %p to sleep on wchan %p with sleeping prohibited",
                 (void *)t, (const void *)wmesg));
  };
  arena_.report = [this](const std::string &msg) {
    print(msg + "\n");
    add_finding(msg);
  };
  arena_.fatal = [this](const std::string &msg) {
    if (scheduler::current() == nullptr) {  // host: cannot panic, report
      add_finding(msg);
      return;
    }
    panic(msg);
  };
}

kernel::~kernel() {
  if (!stopped_) {
    sched_->stop();
    sched_->finish_stop();
    stopped_ = true;
  }
  for (auto &fn : destroy_hooks_) fn();
  destroy_hooks_.clear();
  sched_.reset();
  set_current_scheduler(nullptr);
  g_lock_hooks = lock_hooks{};
  detail::current_kernel = nullptr;
}

void kernel::print(const std::string &s) { console_.write(s.data(), s.size()); }

const std::string *kernel::kenv(const std::string &name) const {
  auto it = cfg_.kenv.find(name);
  return it == cfg_.kenv.end() ? nullptr : &it->second;
}

bool kernel::boot() {
  sysctl_attach(sysctls_, cfg_.kenv, not_a_module_file, nullptr);
  std::vector<sysinit *> order = sysinits();
  std::stable_sort(order.begin(), order.end(),
                   [](sysinit *a, sysinit *b) { return a->order < b->order; });
  std::vector<module_entry *> builtin;
  for (module_entry *m : modules())
    if (m->builtin) builtin.push_back(m);
  std::stable_sort(builtin.begin(), builtin.end(),
                   [](module_entry *a, module_entry *b) { return a->order < b->order; });
  thread *t = sched_->spawn("swapper", [this, order, builtin] {
    for (sysinit *si : order) {
      if (si->init) si->init();
      inited_.push_back(si);
    }
    for (module_entry *m : builtin) kldload(m->name);
    for (const std::string &m : cfg_.modules) {
      int error = kldload(m);
      if (error != 0 && error != B_EEXIST)
        print(format("KLD %s: %s\n", m.c_str(), bsd_strerror(error)));
    }
    for (auto &fn : cfg_.attach) fn();
  }, false);
  settle();
  if (!stopped_) sched_->reap(t);
  booted_ = true;
  return !panicked_;
}

thread *kernel::spawn(const std::string &name, std::function<void()> fn) {
  return sched_->spawn(name, [this, fn = std::move(fn)] {
    fn();
    for (auto &hook : user_exit) hook();
    if (userret) userret();
  }, false);
}

thread *kernel::run(const std::string &name, std::function<void()> fn) {
  thread *t = spawn(name, std::move(fn));
  run_until_done(t);
  return t;
}

void kernel::settle() {
  if (stopped_) return;
  sched_->run();
  after_run();
}

void kernel::after_run() {
  if (sched_->stopping() && !stopped_) {
    sched_->finish_stop();
    console_.flush();
    stopped_ = true;
  }
}

bool kernel::run_until_done(thread *t) {
  if (stopped_) return t->finished();
  sched_->run([t] { return t->finished(); });
  after_run();
  return t->finished();
}

void kernel::advance(int64_t ns) {
  if (stopped_) return;
  int64_t limit = sched_->now() + ns;
  sched_->run(nullptr, limit);
  after_run();
  // Time passes even when nothing was due.
  if (!stopped_) sched_->set_now_at_least(limit);
}

void kernel::run_runnable() {
  if (stopped_) return;
  sched_->run([] { return true; });
  after_run();
}

void kernel::reap(thread *t) {
  if (t != nullptr) sched_->reap(t);
}

void kernel::shutdown() {
  if (stopped_) return;
  std::vector<sysinit *> order(inited_.rbegin(), inited_.rend());
  thread *t = sched_->spawn("shutdown", [this, order] {
    check_idle_modules_for_leaks();
    for (sysinit *si : order)
      if (si->fini) si->fini();
  }, false);
  settle();
  if (!stopped_) {
    sched_->reap(t);
    sched_->stop();
    sched_->finish_stop();
    stopped_ = true;
  }
  console_.flush();
  arena_.drain_quarantine();
  arena_.check_live_redzones();
}

// FreeBSD reports a module's leaks only when it unloads. A scenario rarely
// unloads, so at shutdown every loaded module that says it could be
// unloaded now (MOD_QUIESCE: a GEOM class with no geom left) is checked
// the same way: what its malloc types still hold has no owner left.
void kernel::check_idle_modules_for_leaks() {
  for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it) {
    module_entry *m = find_module(*it);
    if (m == nullptr || m->handler == nullptr || m->file == nullptr || m->file[0] == '\0')
      continue;
    if (m->handler(m->arg, MOD_QUIESCE) != 0) continue;  // busy, or cannot tell
    for (const mem_type_stats &st : arena_.held_by_file(m->file))
      add_finding(format("memory type %s leaked memory: %llu allocations, %llu bytes still "
                         "in use at shutdown, and module %s has nothing configured",
                         st.name.c_str(), (unsigned long long)st.inuse,
                         (unsigned long long)st.memuse, m->name));
  }
}

void kernel::power_cut() {
  powered_off_ = true;
  console_.flush();
  console_.mute();
  sched_->stop();
  if (scheduler::current() != nullptr) throw kernel_stop{};
  if (!stopped_) {
    sched_->finish_stop();
    stopped_ = true;
  }
}

void kernel::set_context(std::string ctx) { context_ = std::move(ctx); }

// As kern_shutdown.c prints it: days, hours and minutes once they are
// reached (then every smaller unit too), seconds always: "Uptime: 1h0m5s".
std::string uptime_line(int64_t secs) {
  std::string s = "Uptime: ";
  bool larger = false;
  for (int64_t unit : {int64_t(86400), int64_t(3600), int64_t(60)}) {
    if (larger || secs >= unit) {
      s += format("%lld%c", (long long)(secs / unit), unit == 86400 ? 'd' : unit == 3600 ? 'h' : 'm');
      secs %= unit;
      larger = true;
    }
  }
  return s + format("%llds\n", (long long)secs);
}

void kernel::record_panic(const std::string &msg, const std::string &detail) {
  static std::mutex mu;
  std::lock_guard<std::mutex> g(mu);
  if (panicked_ || powered_off_) return;  // the first panic is the one reported
  panicked_ = true;
  thread *t = scheduler::current();
  panic_.message = msg;
  panic_.thread = t ? t->name() : "(host)";
  panic_.tid = t ? t->tid() : 0;
  panic_.context = context_;
  panic_.time_ns = sched_->now();
  panic_.detail = detail.empty() ? panic_info_detail_ : detail;
  print("panic: " + msg + "\n");
  print("cpuid = 0\n");
  print(uptime_line(sched_->now() / 1000000000));
  console_.flush();
  console_.mute();  // the other CPUs are stopped: nothing more is printed
  sched_->stop();
}

void kernel::panic(const std::string &msg) {
  record_panic(msg);
  throw kernel_stop{};
}

void kernel::report_thread_exception(thread *t, std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const trap &tr) {
    int trapno;
    const char *what;
    bool have_address = false;
    if (tr.signo == SIGFPE) {
      trapno = 18;
      what = "integer divide fault";
    } else if (tr.signo == SIGILL) {
      trapno = 1;
      what = "privileged instruction fault";
    } else if (tr.signo == SIGSEGV && tr.code == SI_KERNEL) {
      trapno = 9;  // a non-canonical address, e.g. read from trashed memory
      what = "general protection fault";
    } else {
      trapno = 12;
      what = "page fault";
      have_address = true;
    }
    print("\n");
    print(format("Fatal trap %d: %s while in kernel mode\n", trapno, what));
    print("cpuid = 0; apic id = 00\n");
    if (have_address) {
      print(format("fault virtual address\t= %p\n", tr.addr));
      print(format("fault code\t\t= supervisor %s data, page not present\n",
                   tr.write ? "write" : "read"));
    }
    print(format("current process\t\t= %d (%s)\n", t->tid(), t->name().c_str()));
    print(format("trap number\t\t= %d\n", trapno));
    const char *cause = trapno == 18   ? "kernel code divided by zero"
                        : trapno == 1 ? "kernel code ran an invalid instruction"
                        : trapno == 9 ? "kernel code used a wild pointer (freed or trashed memory?)"
                                      : "kernel code dereferenced a bad pointer";
    record_panic(what, format("fatal trap %d in thread %s: %s", trapno, t->name().c_str(), cause));
  } catch (const std::exception &e) {
    record_panic(format("geomsim internal error: %s", e.what()),
                 "a C++ exception escaped kernel code: this is a simulator bug");
  } catch (...) {
    record_panic("geomsim internal error: unknown exception",
                 "a C++ exception escaped kernel code: this is a simulator bug");
  }
}

int kernel::kldload(const std::string &name) {
  module_entry *m = find_module(name);
  if (m == nullptr) return B_ENOENT;
  if (module_loaded(m->name)) return B_EEXIST;
  // The module's variables and tunables are set before its code runs.
  sysctl_attach(sysctls_, cfg_.kenv, in_module_file, m);
  int error = m->handler ? m->handler(m->arg, MOD_LOAD) : 0;
  if (error == 0) loaded_.push_back(m->name);
  else sysctl_detach(sysctls_, in_module_file, m);
  return error;
}

int kernel::kldunload(const std::string &name) {
  module_entry *m = find_module(name);
  if (m == nullptr || !module_loaded(m->name)) return B_ENOENT;
  int error = m->handler ? m->handler(m->arg, MOD_UNLOAD) : 0;
  if (error == 0) {
    loaded_.erase(std::find(loaded_.begin(), loaded_.end(), m->name));
    sysctl_detach(sysctls_, in_module_file, m);
    // malloc_uninit of the module's malloc types.
    for (const std::string &leak : arena_.leaks_of_file(m->file)) {
      print(leak + "\n");
      add_finding(leak);
    }
  }
  return error;
}

bool kernel::module_loaded(const std::string &name) const {
  module_entry *m = find_module(name);
  const std::string n = m ? m->name : name;
  return std::find(loaded_.begin(), loaded_.end(), n) != loaded_.end();
}

std::vector<std::string> kernel::loaded_modules() const { return loaded_; }

prng &kernel::stream_locked(const char *stream) {
  auto it = rngs_.find(stream);
  if (it == rngs_.end()) {
    const std::string s = stream;
    uint64_t base = (s == "random" || s == "arc4random") ? cfg_.data_seed : cfg_.seed;
    it = rngs_.emplace(s, prng::stream(base, s)).first;
  }
  return it->second;
}

uint64_t kernel::random(const char *stream) {
  std::lock_guard<kern::host_mutex> g(rng_mu_);
  return stream_locked(stream).next();
}

void kernel::random_fill(const char *stream, void *buf, size_t len) {
  std::lock_guard<kern::host_mutex> g(rng_mu_);
  prng &rng = stream_locked(stream);
  auto *p = static_cast<unsigned char *>(buf);
  for (size_t i = 0; i < len; i += 8) {
    uint64_t r = rng.next();
    std::memcpy(p + i, &r, std::min<size_t>(8, len - i));
  }
}

uint64_t kernel::random_below(const char *stream, uint64_t n) {
  std::lock_guard<kern::host_mutex> g(rng_mu_);
  return stream_locked(stream).below(n);
}

std::vector<std::string> kernel::findings() const {
  std::lock_guard<kern::host_mutex> g(findings_mu_);
  return findings_;
}

void kernel::add_finding(const std::string &f) {
  std::lock_guard<kern::host_mutex> g(findings_mu_);
  findings_.push_back(f);
}

}  // namespace kern
