// Locks and condition variables over the scheduler. See kern/sync.h.
#include "kern/sync.h"

#include <cstdio>
#include <cstdlib>

namespace kern {

lock_hooks g_lock_hooks;

namespace {
scheduler &sched() { return *current_scheduler(); }

void misuse(void (*hook)(const char *, const char *), const char *kind,
            const char *name, const char *what) {
  if (hook) hook(kind, name);  // throws
  std::fprintf(stderr, "geomsim: %s %s\n", what, name);
  std::abort();
}
}  // namespace

void mutex::lock() {
  scheduler &s = sched();
  thread *me = scheduler::current();
  s.point();
  if (owner() == me && me != nullptr) {
    if (!recursive_) misuse(g_lock_hooks.recursed, "mutex", name_, "recursed on");
    recursion_++;
    return;
  }
  s.lock();
  while (owner() != nullptr) {
    if (s.stopping()) break;  // tearing down: nobody will hand it over
    s.block(waiters_, name_, -1);
  }
  set_owner(me);
  s.unlock();
}

bool mutex::try_lock() {
  scheduler &s = sched();
  thread *me = scheduler::current();
  s.point();
  if (owner() == me && me != nullptr) {
    if (!recursive_) return false;
    recursion_++;
    return true;
  }
  s.lock();
  bool ok = owner() == nullptr;
  if (ok) set_owner(me);
  s.unlock();
  return ok;
}

void mutex::unlock() {
  scheduler &s = sched();
  if (owner() != scheduler::current() && !s.stopping())
    misuse(g_lock_hooks.not_owned, "mutex", name_, "unlock of unowned");
  if (recursion_ > 0) {
    recursion_--;
    return;
  }
  s.lock();
  set_owner(nullptr);
  s.wake_one(waiters_);
  s.unlock();
  s.point();
}

void sx::xlock() {
  scheduler &s = sched();
  thread *me = scheduler::current();
  s.point();
  if (owner() == me && me != nullptr) misuse(g_lock_hooks.recursed, "sx", name_, "recursed on");
  // Taking an sx lock may sleep: forbidden where sleeping is prohibited
  // (stricter than FreeBSD, which only notices when the lock is contended).
  s.check_may_sleep(name_);
  s.lock();
  while (owner() != nullptr) {
    if (s.stopping()) break;
    s.block(waiters_, name_, -1);
  }
  set_owner(me);
  s.unlock();
}

bool sx::try_xlock() {
  scheduler &s = sched();
  s.point();
  s.lock();
  bool ok = owner() == nullptr;
  if (ok) set_owner(scheduler::current());
  s.unlock();
  return ok;
}

void sx::xunlock() {
  scheduler &s = sched();
  if (owner() != scheduler::current() && !s.stopping())
    misuse(g_lock_hooks.not_owned, "sx", name_, "unlock of unowned");
  s.lock();
  set_owner(nullptr);
  s.wake_one(waiters_);
  s.unlock();
  s.point();
}

bool condvar::wait(mutex &m, int64_t timeout_ns, const char *wmesg) {
  if (wmesg == nullptr) wmesg = wmesg_;
  scheduler &s = sched();
  s.check_may_sleep(wmesg);
  thread *me = scheduler::current();
  int saved_recursion = m.recursion_;
  s.lock();
  // Release the mutex and enqueue ourselves in one step under the
  // scheduler lock, so a signal between the two cannot be lost.
  m.recursion_ = 0;
  m.set_owner(nullptr);
  s.wake_one(m.waiters_);
  bool signalled = s.block(waiters_, wmesg, timeout_ns);
  while (m.owner() != nullptr) {
    if (s.stopping()) break;
    s.block(m.waiters_, m.name_, -1);
  }
  m.set_owner(me);
  m.recursion_ = saved_recursion;
  s.unlock();
  return signalled;
}

bool condvar::wait(sx &x, int64_t timeout_ns, const char *wmesg) {
  if (wmesg == nullptr) wmesg = wmesg_;
  scheduler &s = sched();
  s.check_may_sleep(wmesg);
  thread *me = scheduler::current();
  s.lock();
  x.set_owner(nullptr);
  s.wake_one(x.waiters_);
  bool signalled = s.block(waiters_, wmesg, timeout_ns);
  while (x.owner() != nullptr) {
    if (s.stopping()) break;
    s.block(x.waiters_, x.name_, -1);
  }
  x.set_owner(me);
  s.unlock();
  return signalled;
}

void condvar::signal() {
  scheduler &s = sched();
  s.lock();
  s.wake_one(waiters_);
  s.unlock();
  s.point();
}

void condvar::broadcast() {
  scheduler &s = sched();
  s.lock();
  s.wake_all(waiters_);
  s.unlock();
  s.point();
}

bool sleep_on(const void *chan, mutex *m, const char *wmesg, int64_t timeout_ns) {
  scheduler &s = sched();
  s.check_may_sleep(wmesg);
  thread *me = scheduler::current();
  int saved_recursion = m ? m->recursion_ : 0;
  s.lock();
  if (m) {
    m->recursion_ = 0;
    m->set_owner(nullptr);
    s.wake_one(m->waiters_);
  }
  bool woken = s.block(s.channel(chan), wmesg, timeout_ns);
  s.forget_channel(chan);
  if (m) {
    while (m->owner() != nullptr) {
      if (s.stopping()) break;
      s.block(m->waiters_, m->name_, -1);
    }
    m->set_owner(me);
    m->recursion_ = saved_recursion;
  }
  s.unlock();
  return woken;
}

bool sleep_on(const void *chan, sx *x, const char *wmesg, int64_t timeout_ns) {
  scheduler &s = sched();
  s.check_may_sleep(wmesg);
  thread *me = scheduler::current();
  s.lock();
  x->set_owner(nullptr);
  s.wake_one(x->waiters_);
  bool woken = s.block(s.channel(chan), wmesg, timeout_ns);
  s.forget_channel(chan);
  while (x->owner() != nullptr) {
    if (s.stopping()) break;
    s.block(x->waiters_, x->name_, -1);
  }
  x->set_owner(me);
  s.unlock();
  return woken;
}

void wakeup(const void *chan) {
  scheduler &s = sched();
  s.lock();
  // No sleeper, no queue: a wakeup must not create one.
  if (wait_queue *q = s.find_channel(chan)) {
    s.wake_all(*q);
    s.forget_channel(chan);
  }
  s.unlock();
  s.point();
}

void wakeup_one(const void *chan) {
  scheduler &s = sched();
  s.lock();
  if (wait_queue *q = s.find_channel(chan)) {
    s.wake_one(*q);
    s.forget_channel(chan);
  }
  s.unlock();
  s.point();
}

void pause(const char *wmesg, int64_t ns) {
  scheduler &s = sched();
  s.check_may_sleep(wmesg);
  wait_queue q;
  s.lock();
  s.block(q, wmesg, ns);
  s.unlock();
}

}  // namespace kern

