// kern/sched.h — simulated threads, and the two schedulers that run them.
//
// Every thread of the simulated kernel (g_event, g_up, g_down, a disk's
// worker, a userland command) is a kern::thread. The scheduler runs them in
// one of two modes behind the same interface:
//
//  * det (the default): all threads are fibers on one OS thread and exactly
//    one runs at a time. At every scheduling point (lock acquire/release,
//    queue put/get, sleep/wakeup, event post) a prng seeded by the user picks
//    the next thread among the runnable ones, the current one included. The
//    same seed gives the same interleaving and byte-identical output.
//  * threads: every simulated thread is a std::thread and runs for real, in
//    parallel, for finding races (under ThreadSanitizer, say).
//
// Time is simulated in both modes: it stands still while any thread can run,
// and jumps to the next timer when every thread is blocked. A 10 s delay
// therefore costs nothing, and timeouts are deterministic.
//
// Blocking primitives (kern/sync.h) are built from block()/wake_one() below,
// which must be called with the scheduler lock held (a real mutex in threads
// mode, nothing in det mode).
//
// When the kernel stops (panic, power cut, shutdown) stop() is called; every
// thread then unwinds with a kern::kernel_stop exception thrown from the
// primitive it is blocked in, or from its next scheduling point.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kern/prng.h"

namespace kern {

enum class sched_mode { det, threads };

// Thrown to unwind a simulated thread when the kernel stops.
struct kernel_stop {};
// Thrown by kthread_exit()/kproc_exit() to end the calling thread.
struct thread_exit {};

class thread;
class scheduler;

// A FIFO of blocked threads. Guarded by the scheduler lock.
class wait_queue {
 public:
  bool empty() const { return head_ == nullptr; }

 private:
  friend class scheduler;
  thread *head_ = nullptr;
  thread *tail_ = nullptr;
};

class thread {
 public:
  const std::string &name() const { return name_; }
  int tid() const { return tid_; }
  // What the thread is blocked on ("biowait", "g_waitidle", ...), or "".
  const char *wmesg() const { return wmesg_ ? wmesg_ : ""; }
  bool blocked() const { return state_ == state::blocked; }
  bool finished() const { return state_ == state::dead; }

  // FreeBSD's THREAD_NO_SLEEPING nesting count: > 0 while in a context that
  // must not sleep (a GEOM start or done method, a cancel handler).
  int no_sleeping = 0;
  // TDP_GEOM: this thread posted a GEOM event and must g_waitidle() before
  // it returns to (simulated) user space.
  bool tickled_geom = false;
  // Slot for the layers above (the GEOM framework marks its own threads).
  int kind = 0;

 private:
  friend class scheduler;
  enum class state { embryo, runnable, running, blocked, dead };

  std::string name_;
  int tid_ = 0;
  std::function<void()> body_;
  state state_ = state::embryo;
  bool detached_ = false;
  const char *wmesg_ = nullptr;

  // Wait queue membership.
  wait_queue *wq_ = nullptr;
  thread *wq_next_ = nullptr;
  thread *wq_prev_ = nullptr;
  // Timed block.
  bool timer_armed_ = false;
  std::pair<int64_t, uint64_t> timer_key_{};
  bool timed_out_ = false;

  // det mode: fiber.
  void *ctx_ = nullptr;  // boost::context fcontext_t
  void *stack_ = nullptr;
  size_t stack_size_ = 0;
  size_t runq_index_ = 0;

  // threads mode.
  std::thread os_;
  std::condition_variable cv_;
  void *altstack_ = nullptr;
};

class scheduler {
 public:
  scheduler(sched_mode mode, uint64_t seed);
  ~scheduler();
  scheduler(const scheduler &) = delete;
  scheduler &operator=(const scheduler &) = delete;

  sched_mode mode() const { return mode_; }

  // Creates a runnable thread. A detached thread is freed when it ends;
  // otherwise the caller releases it with reap() once finished().
  thread *spawn(std::string name, std::function<void()> body, bool detached);
  void reap(thread *t);

  // The simulated thread running on this OS thread, or nullptr in the host
  // (the code that drives the simulation).
  static thread *current();

  // A scheduling point: in det mode the prng may switch to another thread.
  // Inline up to the draw: most points (a lock taken with nothing else
  // runnable) cost a counter increment and three tests.
  void point() {
    if (mode_ != sched_mode::det) {
      if (((points_.fetch_add(1, std::memory_order_relaxed) + 1) & kRunawayCheckMask) == 0)
        check_runaway();
      return;
    }
    // One thread at a time in det mode: a plain increment (no locked
    // instruction on the switch path).
    uint64_t p = points_.load(std::memory_order_relaxed) + 1;
    points_.store(p, std::memory_order_relaxed);
    if ((p & kRunawayCheckMask) == 0) check_runaway();
    // Every exception in a simulated thread comes with stopping_ set
    // (kernel stop, panic, trap), so this also keeps fibers from switching
    // while one unwinds: the C++ runtime keeps one exception stack per OS
    // thread.
    if (stopping_.load(std::memory_order_relaxed) || cur_ == nullptr || runq_.empty()) return;
    det_point();
  }

  // Whether the host-time limit (set_host_deadline below) stopped this
  // scheduler's kernel.
  bool timed_out() const { return timed_out_.load(); }
  // Checks the deadline now: for loops that pass no scheduling point (a
  // read of /dev/zero). Stops the kernel and unwinds the calling thread
  // (kernel_stop) once it has passed.
  void check_runaway();

  // Whether the calling thread is itself unwinding an exception
  // (std::uncaught_exceptions() counts per OS thread, and in det mode the
  // host and every fiber share one).
  bool unwinding_here() const;

  // From the host: runs threads until none can run. While `until` (if
  // given) returns false, simulated time jumps to the next timer, if it is
  // due at most at `time_limit`; so run() with no arguments returns when
  // the system is quiescent (nothing runnable, no timer pending), and
  // run(fg_done) returns as soon as the foreground work is done and
  // nothing can run, leaving background timers pending. Also returns when
  // stop() was called. `until` is evaluated with the scheduler lock held:
  // it must not block.
  void run(std::function<bool()> until = nullptr, int64_t time_limit = INT64_MAX);

  // Stops the kernel: every thread unwinds with kernel_stop. Callable from a
  // thread (panic) or the host. finish_stop() (host) waits until every
  // thread has ended.
  void stop();
  void finish_stop();
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  // From a signal handler (a trap in kernel code): only sets the flag.
  void stop_from_signal() { stopping_.store(true); }

  // A sleep in FreeBSD's sense (a wait for a condition, not for a mutex) is
  // forbidden while no_sleeping > 0; primitives call this before sleeping,
  // without the scheduler lock.
  void check_may_sleep(const char *wmesg);

  // Simulated time in nanoseconds since boot.
  int64_t now() const { return now_; }
  // Host only, nothing running: moves the clock forward to `t`.
  void set_now_at_least(int64_t t) {
    std::lock_guard<std::mutex> g(mtx_);
    if (t > now_) now_ = t;
  }

  // The building blocks of kern/sync.h. lock()/unlock() guard every wait
  // queue and the primitives' own state.
  void lock() {
    if (mode_ == sched_mode::threads) mtx_.lock();
  }
  void unlock() {
    if (mode_ == sched_mode::threads) mtx_.unlock();
  }
  // Blocks the current thread on q until woken (returns true) or until
  // `timeout_ns` (>= 0) of simulated time has passed (returns false).
  // Called and returns with the scheduler lock held; when the kernel
  // stops it releases the lock and throws kernel_stop.
  bool block(wait_queue &q, const char *wmesg, int64_t timeout_ns);
  // The wait queue of a sleep channel (any address), created on demand;
  // forget_channel() drops it once empty. Scheduler lock held.
  wait_queue &channel(const void *chan);
  // The queue of a channel someone sleeps on, or nullptr.
  wait_queue *find_channel(const void *chan);
  void forget_channel(const void *chan);
  bool wake_one(wait_queue &q);
  int wake_all(wait_queue &q);

  // All threads that have not ended, in creation order (diagnostics).
  std::vector<thread *> live_threads();
  // Copies the name of the live thread `tid` to `name`; false if no live
  // thread has that tid (it exited). Allocates nothing: disks ask it for
  // every write they log.
  bool live_thread_name(int tid, std::string &name);

  // Counters for benchmarks and tests.
  uint64_t switches() const { return switches_; }
  uint64_t points() const { return points_.load(std::memory_order_relaxed); }

  // Hook run (in the thread, scheduler lock not held) when a thread body
  // throws something other than kernel_stop; it records a panic.
  std::function<void(thread *, std::exception_ptr)> on_thread_exception;
  // Hook run when a thread would sleep with sleeping prohibited.
  std::function<void(thread *, const char *wmesg)> on_illegal_sleep;

 private:
  struct guard;
  static void fiber_entry(void *transfer);
  void run_body(thread *t);
  void det_point();  // point() with other threads runnable: the draw
  void det_switch_to(thread *next);  // from current (thread or host)
  void det_after_switch(void *from_ctx);
  [[noreturn]] void det_exit(thread *t);
  thread *det_take_runnable();  // random pick, removes it
  void det_make_runnable(thread *t);
  void det_remove_runnable(thread *t);
  void enqueue(wait_queue &q, thread *t);
  void dequeue(thread *t);
  void arm_timer(thread *t, int64_t deadline);
  void disarm_timer(thread *t);
  bool fire_next_timers();  // advances time; true if any thread was woken
  void make_runnable_locked(thread *t);
  bool may_advance_time_locked();
  void idle_locked();      // threads mode: last running thread blocked
  void free_thread(thread *t);

  const sched_mode mode_;
  prng rng_;
  int next_tid_ = 100000;
  std::atomic<int64_t> now_{0};
  uint64_t timer_seq_ = 0;
  std::map<std::pair<int64_t, uint64_t>, thread *> timers_;
  std::vector<thread *> all_;  // every thread not yet freed
  // Sleep channels, kept as FreeBSD's sleepqueue chains: a fixed table of
  // buckets hashed from the channel's address, each a list of the channels
  // someone sleeps on. Records are recycled through a free list, so a
  // sleep allocates nothing (a sleep and its wakeup are on every I/O path).
  struct sleep_channel {
    const void *chan = nullptr;
    wait_queue q;
    sleep_channel *next = nullptr;
  };
  static constexpr size_t kChannelBuckets = 256;
  static size_t channel_bucket(const void *chan);
  sleep_channel *chan_buckets_[kChannelBuckets] = {};
  sleep_channel *chan_free_ = nullptr;
  std::atomic<bool> stopping_{false};
  static constexpr uint64_t kRunawayCheckMask = (1u << 16) - 1;
  std::atomic<bool> timed_out_{false};
  uint64_t switches_ = 0;  // det mode only
  int host_uncaught_ = 0;  // det mode: the host's count when it entered the fibers
  std::atomic<uint64_t> points_{0};  // every thread passes points in threads mode

  // det mode.
  std::vector<thread *> runq_;
  thread *cur_ = nullptr;    // running fiber, nullptr = host
  thread *from_ = nullptr;   // who switched (nullptr = host)
  void *host_ctx_ = nullptr;
  std::vector<thread *> zombies_;

  // threads mode.
  std::mutex mtx_;
  std::condition_variable host_cv_;
  std::function<bool()> until_;
  // Timers due up to here may fire. Outside run() the clock stands still
  // (INT64_MIN): the host is busy between two commands, and a thread that
  // blocks then must not let simulated time jump ahead of the script.
  int64_t time_limit_ = INT64_MIN;
  int active_ = 0;  // threads not blocked
  int alive_ = 0;   // threads not ended
};

// scheduler::unwinding_here() of the current scheduler (or the OS
// thread's count without one).
bool unwinding_here();

namespace detail {
// Read on every lock, sleep and wakeup: inline accessors, not calls.
extern scheduler *current_scheduler;
extern thread_local constinit thread *current_thread;
}  // namespace detail

// A limit on host time, so that a runaway simulation (a command that never
// ends, a livelock in a class) cannot hang the simulator. After
// set_host_deadline(d), the first scheduling point (checked every 65,536
// points) or check_runaway() past d, in any scheduler of the process, stops
// that scheduler's kernel as a panic does; its timed_out() then says so. A
// time_point of zero (the default) is no limit. Host only.
void set_host_deadline(std::chrono::steady_clock::time_point d);

// The scheduler of the booted kernel (set by kern::kernel).
inline scheduler *current_scheduler() { return detail::current_scheduler; }
void set_current_scheduler(scheduler *s);

inline thread *scheduler::current() { return detail::current_thread; }

}  // namespace kern
