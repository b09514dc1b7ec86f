// kern/sync.h — locks and condition variables for simulated threads.
//
// These are the simulator's own primitives; the FreeBSD-named ones (mtx(9),
// sx(9), the topology lock) are thin layers over them. Each operation is a
// scheduling point, so in det mode the prng decides who gets a contended
// lock. Misuse that FreeBSD would catch with INVARIANTS or WITNESS (recursing
// on a non-recursive lock, unlocking a lock one does not own, sleeping where
// sleeping is prohibited) panics the simulated kernel through the hooks in
// kern/panic.h.
#pragma once

#include <atomic>
#include <cstdint>

#include "kern/sched.h"

namespace kern {

// A blocking mutex with FreeBSD's mtx(9) rules. Waiting for it is not a
// "sleep": it is allowed where sleeping is prohibited.
class mutex {
 public:
  explicit mutex(const char *name, bool recursive = false)
      : name_(name), recursive_(recursive) {}
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  void lock();
  bool try_lock();
  void unlock();
  bool owned() const { return owner() == scheduler::current() && owner() != nullptr; }
  thread *owner() const { return owner_.load(std::memory_order_relaxed); }
  bool recursed() const { return recursion_ > 0; }
  const char *name() const { return name_; }

 private:
  friend class condvar;
  friend bool sleep_on(const void *, mutex *, const char *, int64_t);
  const char *name_;
  bool recursive_;
  void set_owner(thread *t) { owner_.store(t, std::memory_order_relaxed); }
  std::atomic<thread *> owner_{nullptr};  // read without the scheduler lock
  int recursion_ = 0;
  wait_queue waiters_;
};

// An exclusive sleepable lock (sx(9) taken exclusively), non-recursive.
// Waiting for it is a sleep.
class sx {
 public:
  explicit sx(const char *name) : name_(name) {}
  sx(const sx &) = delete;
  sx &operator=(const sx &) = delete;

  void xlock();
  bool try_xlock();
  void xunlock();
  bool xlocked() const { return owner() == scheduler::current() && owner() != nullptr; }
  bool locked_by_anyone() const { return owner() != nullptr; }
  thread *owner() const { return owner_.load(std::memory_order_relaxed); }
  const char *name() const { return name_; }

 private:
  friend class condvar;
  friend bool sleep_on(const void *, sx *, const char *, int64_t);
  void set_owner(thread *t) { owner_.store(t, std::memory_order_relaxed); }
  const char *name_;
  std::atomic<thread *> owner_{nullptr};
  wait_queue waiters_;
};

// A condition variable usable with either lock above. wait() is a sleep.
class condvar {
 public:
  explicit condvar(const char *wmesg) : wmesg_(wmesg) {}
  condvar(const condvar &) = delete;
  condvar &operator=(const condvar &) = delete;

  // Atomically releases the lock and waits; re-takes the lock before
  // returning. With timeout_ns >= 0 (simulated time), returns false if the
  // time passed without a signal.
  bool wait(mutex &m, int64_t timeout_ns = -1, const char *wmesg = nullptr);
  bool wait(sx &s, int64_t timeout_ns = -1, const char *wmesg = nullptr);
  void signal();
  void broadcast();
  bool has_waiters() const { return !waiters_.empty(); }

 private:
  const char *wmesg_;
  wait_queue waiters_;
};

// Sleeps for simulated time.
void pause(const char *wmesg, int64_t ns);

// sleep(9) channels: sleeps on `chan`, atomically releasing `m` (which may
// be null) and re-taking it before returning; false on timeout.
bool sleep_on(const void *chan, mutex *m, const char *wmesg, int64_t timeout_ns);
bool sleep_on(const void *chan, sx *x, const char *wmesg, int64_t timeout_ns);
void wakeup(const void *chan);
void wakeup_one(const void *chan);

// Hooks the kernel installs to report lock misuse as panics (they throw).
// `kind` is "mutex" or "sx".
struct lock_hooks {
  void (*recursed)(const char *kind, const char *lock_name) = nullptr;
  void (*not_owned)(const char *kind, const char *lock_name) = nullptr;
};
extern lock_hooks g_lock_hooks;

}  // namespace kern
