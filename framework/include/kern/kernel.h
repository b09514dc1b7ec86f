// kern/kernel.h — one boot of the simulated kernel.
//
// A kern::kernel owns everything that lives from boot to shutdown: the
// scheduler and its threads, the console, the memory arena, the sysctl
// tree, the random streams, the loaded modules and the state of every
// subsystem (GEOM registers its state through the sysinit table below).
// Destroying it leaves nothing behind, so the next boot starts clean even
// after a panic or a power cut. Only one kernel is booted at a time (class
// code keeps globals, as in FreeBSD); kernel::current() is that one.
//
// The host (the scenario interpreter, a test) drives a kernel from outside
// the simulation: boot(), then run() to execute userland work in a fresh
// simulated thread and let the system settle, then shutdown() or
// power_cut(). Kernel code calls panic() and friends from inside.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "kern/host_mutex.h"
#include <set>
#include <string>
#include <vector>

#include "kern/console.h"
#include "kern/fault.h"
#include "kern/memory.h"
#include "kern/prng.h"
#include "kern/sched.h"
#include "kern/sysctl_tree.h"

namespace kern {

struct boot_config {
  sched_mode mode = sched_mode::det;
  // Drives scheduling and every outcome the kernel draws (a gnop failure,
  // which unflushed write survives a cut).
  uint64_t seed = 1;
  // Drives the random *data* programs and classes produce: /dev/random
  // bytes, arc4random() ids (gvirstor label's md_id). Separate, so that
  // replaying a script under other seeds explores other interleavings
  // while writing the same data and labelling with the same ids.
  uint64_t data_seed = 1;
  // The boot environment: loader.conf tunables (kern.geom.virstor.debug=5).
  std::map<std::string, std::string> kenv;
  // Modules loaded at boot, in this order, after the built-in ones.
  std::vector<std::string> modules;
  // Console lines as they are printed.
  console::sink_fn console_sink;
  // Run in proc0 once subsystems and modules are up (attach hardware).
  std::vector<std::function<void()>> attach;
};

// A subsystem initialised at boot in `order`, like SYSINIT(9). init runs
// in proc0 (it may sleep); fini runs at orderly shutdown in reverse order.
struct sysinit {
  int order;
  const char *name;
  void (*init)();
  void (*fini)();
  sysinit(int order, const char *name, void (*init)(), void (*fini)());
};
enum sysinit_order : int {
  SI_KERN_SYSCTL = 10,
  SI_KERN_GEOM = 100,
  SI_KERN_DEVFS = 110,
  SI_KERN_DRIVERS = 200,
};

// A loadable module: MOD_LOAD/MOD_UNLOAD go to handler. `builtin` modules
// are part of the kernel image and loaded at every boot, in registration
// order of their `order` key.
// `file` is the source file that declares the module: the sysctls and
// tunables registered in it belong to the module (they appear at load).
struct module_entry {
  const char *name;
  int (*handler)(void *arg, int what);
  void *arg;
  bool builtin;
  int order;
  const char *file;
  module_entry(const char *name, int (*handler)(void *, int), void *arg,
               bool builtin, int order, const char *file = "");
};
enum { MOD_LOAD = 0, MOD_UNLOAD = 1, MOD_SHUTDOWN = 2, MOD_QUIESCE = 3 };

// The "Uptime: ..." line a panic ends with, for `secs` seconds since boot.
std::string uptime_line(int64_t secs);

struct panic_report {
  std::string message;  // the text after "panic: "
  std::string thread;   // the simulated thread that panicked
  int tid = 0;
  std::string context;  // what the user was doing (set_context)
  std::string detail;   // the simulator's explanation, if any
  int64_t time_ns = 0;  // simulated time
};

class kernel;
namespace detail {
extern kernel *current_kernel;  // read on every lock: an inline accessor
}  // namespace detail

class kernel {
 public:
  explicit kernel(boot_config cfg);
  ~kernel();
  kernel(const kernel &) = delete;
  kernel &operator=(const kernel &) = delete;

  static kernel *current() { return detail::current_kernel; }
  // A number no other kernel of this process has had (locks initialised
  // by a previous boot are recognised as stale by it).
  uint64_t serial() const { return serial_; }

  // --- host side ---------------------------------------------------
  // Boots: sysinits, built-in and configured modules, attach hooks.
  // Returns false if the boot panicked.
  bool boot();
  // Runs `fn` in a new simulated userland thread until it has finished and
  // nothing can run (run_until_done). Returns the thread, which the caller
  // must release with reap() (it may still be blocked: a hung command).
  thread *run(const std::string &name, std::function<void()> fn);
  // Starts `fn` in a userland thread without running the scheduler.
  thread *spawn(const std::string &name, std::function<void()> fn);
  void settle();  // runs the scheduler until quiescent
  // Runs until `t` has finished and nothing can run (simulated time
  // advances only while t is unfinished). Returns t->finished().
  bool run_until_done(thread *t);
  // Advances simulated time by `ns`, running whatever becomes due.
  void advance(int64_t ns);
  // Runs what is runnable now without advancing simulated time.
  void run_runnable();
  void reap(thread *t);
  // Orderly shutdown: fini in reverse order, threads stopped, memory that
  // is still allocated reported. Idempotent.
  void shutdown();
  // Abrupt stop: nothing more is printed or reaches a disk; threads are
  // unwound. Callable from a simulated thread too (then it throws).
  void power_cut();
  bool stopped() const { return stopped_; }
  bool powered_off() const { return powered_off_; }

  // What the user is doing, for panic reports ("basic.sh:12: dd ...").
  void set_context(std::string ctx);
  const std::string &context() const { return context_; }

  // --- kernel side -------------------------------------------------
  [[noreturn]] void panic(const std::string &msg);
  bool panicked() const { return panicked_; }
  const panic_report &panic_info() const { return panic_; }

  int kldload(const std::string &name);    // FreeBSD errno
  int kldunload(const std::string &name);
  bool module_loaded(const std::string &name) const;
  std::vector<std::string> loaded_modules() const;

  scheduler &sched() { return *sched_; }
  console &cons() { return console_; }
  memory_arena &arena() { return arena_; }
  sysctl_tree &sysctls() { return sysctls_; }
  fault_table &faults() { return faults_; }
  const boot_config &config() const { return cfg_; }
  const std::string *kenv(const std::string &name) const;

  // Random numbers from the named stream (thread safe). The streams
  // "random" and "arc4random" derive from data_seed, all others from seed.
  uint64_t random(const char *stream);
  // Fills `len` bytes with the stream's next values (little-endian order,
  // eight bytes per value, the last one cut short): what calling random()
  // for every 8 bytes gives, with one lookup of the stream.
  void random_fill(const char *stream, void *buf, size_t len);
  uint64_t random_below(const char *stream, uint64_t n);

  // Findings that are not panics (redzone reports, leaks at shutdown).
  std::vector<std::string> findings() const;
  void add_finding(const std::string &f);

  // Run at the end of every userland thread: first the exit hooks (as a
  // process's descriptors are closed at exit), then userret, as it runs on
  // the way back to user space (GEOM waits for its event queue there).
  std::vector<std::function<void()>> user_exit;
  std::function<void()> userret;
  // The end of every system call: userret, then the call's result.
  int syscall_return(int error) {
    if (userret) userret();
    return error;
  }
  // Run when the kernel object is destroyed, after every thread ended:
  // subsystems free their host-side state here.
  // Any thread (mtx_init registers one per mutex).
  void at_destroy(std::function<void()> fn) {
    std::lock_guard<host_mutex> g(destroy_mu_);
    destroy_hooks_.push_back(std::move(fn));
  }
  // Records a panic without unwinding (for callers that cannot throw).
  void record_panic(const std::string &msg, const std::string &detail = "");

 private:
  void report_thread_exception(thread *t, std::exception_ptr ep);
  void after_run();
  prng &stream_locked(const char *stream);
  void print(const std::string &s);

  boot_config cfg_;
  uint64_t serial_;
  std::unique_ptr<scheduler> sched_;
  console console_;
  memory_arena arena_;
  sysctl_tree sysctls_;
  fault_table faults_;
  host_mutex rng_mu_;
  std::map<std::string, prng> rngs_;
  std::vector<std::string> loaded_;
  std::vector<sysinit *> inited_;
  bool booted_ = false, stopped_ = false, powered_off_ = false;
  bool panicked_ = false;
  panic_report panic_;
  std::string context_;
  void check_idle_modules_for_leaks();  // at shutdown, on the shutdown thread
  mutable host_mutex findings_mu_;
  std::vector<std::string> findings_;
  host_mutex destroy_mu_;
  std::vector<std::function<void()>> destroy_hooks_;  // destroy_mu_
  std::string panic_info_detail_;
};

}  // namespace kern
