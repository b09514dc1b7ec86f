// Implementation of the det (fiber) and threads schedulers. See kern/sched.h.
#include "kern/sched.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/context/detail/fcontext.hpp>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "kern/host_mutex.h"
#include "kern/trace.h"
#include "kern/trap.h"

#include <mutex>
#include <vector>

namespace kern {

namespace bctx = boost::context::detail;

tracer_hooks *g_tracer = nullptr;

namespace {

// Fiber stacks: mmap'ed with an inaccessible guard page below, so a stack
// overflow faults instead of silently corrupting a neighbour.
constexpr size_t kFiberStack = 256 * 1024;

// Stacks of ended threads, kept for the next ones: every boot starts a
// dozen threads, and geomsim explore boots thousands of kernels; an mmap,
// an mprotect and a munmap per thread cost more than the rest of a boot.
struct stack_cache {
  std::mutex mu;
  std::vector<void *> free;
  static constexpr size_t kKeep = 64;
};

stack_cache &stacks() {
  static stack_cache *c = new stack_cache();  // never destroyed: threads may outlive exit
  return *c;
}

void *alloc_stack(size_t size) {
  {
    std::lock_guard<std::mutex> g(stacks().mu);
    if (size == kFiberStack && !stacks().free.empty()) {
      void *p = stacks().free.back();
      stacks().free.pop_back();
      return p;
    }
  }
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  void *p = mmap(nullptr, size + page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "geomsim: cannot allocate a thread stack\n");
    std::abort();
  }
  mprotect(p, page, PROT_NONE);
  return p;
}

void free_stack(void *p, size_t size) {
  {
    std::lock_guard<std::mutex> g(stacks().mu);
    if (size == kFiberStack && stacks().free.size() < stack_cache::kKeep) {
      stacks().free.push_back(p);
      return;
    }
  }
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  munmap(p, size + page);
}
}  // namespace

std::atomic<int> threaded_schedulers{0};

namespace detail {
scheduler *current_scheduler = nullptr;
thread_local constinit thread *current_thread = nullptr;
}  // namespace detail

void set_current_scheduler(scheduler *s) { detail::current_scheduler = s; }

// Holds the scheduler lock in threads mode; nothing in det mode.
struct scheduler::guard {
  explicit guard(scheduler &s) : s_(s) { s_.lock(); }
  ~guard() { s_.unlock(); }
  scheduler &s_;
};

scheduler::scheduler(sched_mode mode, uint64_t seed)
    : mode_(mode), rng_(prng::stream(seed, "sched")) {
  install_trap_handlers();
  if (mode_ == sched_mode::threads) threaded_schedulers.fetch_add(1);
}

scheduler::~scheduler() {
  if (!all_.empty()) {
    stop();
    finish_stop();
  }
  for (thread *t : all_) delete t;
  for (sleep_channel *&head : chan_buckets_)
    while (sleep_channel *c = head) {
      head = c->next;
      delete c;
    }
  while (sleep_channel *c = chan_free_) {
    chan_free_ = c->next;
    delete c;
  }
  // Every OS thread of this scheduler has been joined.
  if (mode_ == sched_mode::threads) threaded_schedulers.fetch_sub(1);
}


// ------------------------------------------------------- sleep channels

size_t scheduler::channel_bucket(const void *chan) {
  // Channels are addresses of kernel objects: drop the alignment bits,
  // fold in the page bits (FreeBSD's SC_HASH does the same).
  uintptr_t a = (uintptr_t)chan;
  return ((a >> 4) ^ (a >> 12)) % kChannelBuckets;
}

wait_queue &scheduler::channel(const void *chan) {
  sleep_channel *&head = chan_buckets_[channel_bucket(chan)];
  for (sleep_channel *c = head; c != nullptr; c = c->next)
    if (c->chan == chan) return c->q;
  sleep_channel *c = chan_free_;
  if (c != nullptr) chan_free_ = c->next;
  else c = new sleep_channel;
  c->chan = chan;
  c->next = head;
  head = c;
  return c->q;
}

wait_queue *scheduler::find_channel(const void *chan) {
  for (sleep_channel *c = chan_buckets_[channel_bucket(chan)]; c != nullptr; c = c->next)
    if (c->chan == chan) return &c->q;
  return nullptr;
}

void scheduler::forget_channel(const void *chan) {
  for (sleep_channel **link = &chan_buckets_[channel_bucket(chan)]; *link != nullptr;
       link = &(*link)->next) {
    sleep_channel *c = *link;
    if (c->chan != chan) continue;
    if (!c->q.empty()) return;
    *link = c->next;
    c->chan = nullptr;
    c->next = chan_free_;
    chan_free_ = c;
    return;
  }
}

thread *scheduler::spawn(std::string name, std::function<void()> body,
                         bool detached) {
  auto *t = new thread;
  t->name_ = std::move(name);
  t->body_ = std::move(body);
  t->detached_ = detached;
  guard g(*this);
  t->tid_ = next_tid_++;
  all_.push_back(t);
  if (mode_ == sched_mode::det) {
    t->stack_size_ = kFiberStack;
    t->stack_ = alloc_stack(t->stack_size_);
    char *top = (char *)t->stack_ + (size_t)sysconf(_SC_PAGESIZE) + t->stack_size_;
    t->ctx_ = bctx::make_fcontext(top, t->stack_size_,
                                  [](bctx::transfer_t tr) { fiber_entry(&tr); });
    det_make_runnable(t);
  } else {
    ++active_;
    ++alive_;
    t->state_ = thread::state::runnable;
    t->os_ = std::thread([this, t] {
      detail::current_thread = t;
      t->altstack_ = install_altstack();
      {
        std::unique_lock<std::mutex> lk(mtx_);
        t->state_ = thread::state::running;
        if (g_tracer) g_tracer->run_begin(t);
      }
      run_body(t);
      std::unique_lock<std::mutex> lk(mtx_);
      if (g_tracer) g_tracer->run_end(t);
      t->state_ = thread::state::dead;
      --alive_;
      if (--active_ == 0) idle_locked();
      host_cv_.notify_all();
    });
  }
  return t;
}

void scheduler::reap(thread *t) {
  guard g(*this);
  assert(t->state_ == thread::state::dead);
  free_thread(t);
}

void scheduler::free_thread(thread *t) {
  for (size_t i = 0; i < all_.size(); i++) {
    if (all_[i] == t) {
      all_.erase(all_.begin() + (long)i);
      break;
    }
  }
  if (t->os_.joinable()) {
    // Called with the lock held in threads mode: the thread has already
    // left run_body and only returns from its lambda; joining is safe
    // after dropping the lock.
    unlock();
    t->os_.join();
    lock();
  }
  if (t->altstack_) free_altstack(t->altstack_);
  if (t->stack_) free_stack(t->stack_, t->stack_size_);
  delete t;
}

void scheduler::run_body(thread *t) {
  std::exception_ptr ep;
  if (!stopping_) {
    try {
      t->body_();
    } catch (const kernel_stop &) {
    } catch (const thread_exit &) {
    } catch (...) {
      ep = std::current_exception();
    }
  }
  // Outside the catch block: never switch fibers with an exception caught,
  // the C++ runtime keeps one stack of them per OS thread.
  if (ep && on_thread_exception) on_thread_exception(t, ep);
  t->body_ = nullptr;
}

// ---------------------------------------------------------------- det mode

void scheduler::fiber_entry(void *transfer) {
  auto *tr = (bctx::transfer_t *)transfer;
  auto *s = (scheduler *)tr->data;
  s->det_after_switch(tr->fctx);
  thread *me = s->cur_;
  s->run_body(me);
  s->det_exit(me);
}

void scheduler::det_switch_to(thread *next) {
  if (g_tracer) {
    if (cur_) g_tracer->run_end(cur_);
    if (next) g_tracer->run_begin(next);
  }
  // The host enters the fibers: what it is unwinding itself (a failed
  // check in a test) is not the fibers' business (unwinding_here()).
  if (cur_ == nullptr) host_uncaught_ = std::uncaught_exceptions();
  from_ = cur_;
  cur_ = next;
  detail::current_thread = next;
  ++switches_;
  void *target;
  if (next != nullptr) {
    next->state_ = thread::state::running;
    target = next->ctx_;
    next->ctx_ = nullptr;
  } else {
    target = host_ctx_;
    host_ctx_ = nullptr;
  }
  bctx::transfer_t tr = bctx::jump_fcontext((bctx::fcontext_t)target, this);
  det_after_switch(tr.fctx);
}

void scheduler::det_after_switch(void *from_ctx) {
  thread *f = from_;
  if (f == nullptr) {
    host_ctx_ = from_ctx;
  } else if (f->state_ == thread::state::dead) {
    free_stack(f->stack_, f->stack_size_);
    f->stack_ = nullptr;
    if (f->detached_) free_thread(f);
  } else {
    f->ctx_ = from_ctx;
  }
}

void scheduler::det_exit(thread *t) {
  t->state_ = thread::state::dead;
  thread *next = (stopping_ || runq_.empty()) ? nullptr : det_take_runnable();
  det_switch_to(next);
  std::abort();  // a dead fiber is never resumed
}

thread *scheduler::det_take_runnable() {
  size_t n = runq_.size();
  size_t r = n == 1 ? 0 : (size_t)rng_.below(n);
  thread *t = runq_[r];
  runq_[r] = runq_.back();
  runq_[r]->runq_index_ = r;
  runq_.pop_back();
  return t;
}

void scheduler::det_make_runnable(thread *t) {
  t->state_ = thread::state::runnable;
  t->runq_index_ = runq_.size();
  runq_.push_back(t);
}

void scheduler::det_remove_runnable(thread *t) {
  size_t r = t->runq_index_;
  runq_[r] = runq_.back();
  runq_[r]->runq_index_ = r;
  runq_.pop_back();
}

bool scheduler::unwinding_here() const {
  int n = std::uncaught_exceptions();
  // Fibers share the OS thread's count with the host.
  if (mode_ == sched_mode::det && cur_ != nullptr) n -= host_uncaught_;
  return n > 0;
}

bool unwinding_here() {
  scheduler *s = current_scheduler();
  return s != nullptr ? s->unwinding_here() : std::uncaught_exceptions() != 0;
}

void scheduler::det_point() {
  thread *me = cur_;
  size_t n = runq_.size();
  size_t r = (size_t)rng_.below(n + 1);
  if (r == n) return;  // keep running
  // Userland code may unwind its own exceptions (a program's exit):
  // never switch fibers in the middle of that.
  if (unwinding_here()) return;
  thread *next = runq_[r];
  runq_[r] = me;
  me->state_ = thread::state::runnable;
  me->runq_index_ = r;
  det_switch_to(next);
  if (stopping_.load(std::memory_order_relaxed) && !unwinding_here())
    throw kernel_stop{};
}

// ----------------------------------------------------------- both modes

void scheduler::enqueue(wait_queue &q, thread *t) {
  t->wq_ = &q;
  t->wq_next_ = nullptr;
  t->wq_prev_ = q.tail_;
  if (q.tail_) q.tail_->wq_next_ = t;
  else q.head_ = t;
  q.tail_ = t;
}

void scheduler::dequeue(thread *t) {
  wait_queue *q = t->wq_;
  if (q == nullptr) return;
  if (t->wq_prev_) t->wq_prev_->wq_next_ = t->wq_next_;
  else q->head_ = t->wq_next_;
  if (t->wq_next_) t->wq_next_->wq_prev_ = t->wq_prev_;
  else q->tail_ = t->wq_prev_;
  t->wq_ = nullptr;
  t->wq_next_ = t->wq_prev_ = nullptr;
}

void scheduler::arm_timer(thread *t, int64_t deadline) {
  t->timer_key_ = {deadline, timer_seq_++};
  t->timer_armed_ = true;
  timers_.emplace(t->timer_key_, t);
}

void scheduler::disarm_timer(thread *t) {
  if (!t->timer_armed_) return;
  timers_.erase(t->timer_key_);
  t->timer_armed_ = false;
}

bool scheduler::fire_next_timers() {
  if (timers_.empty()) return false;
  const int64_t deadline = timers_.begin()->first.first;
  if (deadline > now_) now_ = deadline;
  while (!timers_.empty() && timers_.begin()->first.first == deadline) {
    thread *t = timers_.begin()->second;
    timers_.erase(timers_.begin());
    t->timer_armed_ = false;
    t->timed_out_ = true;
    dequeue(t);
    make_runnable_locked(t);
  }
  return true;
}

void scheduler::make_runnable_locked(thread *t) {
  if (mode_ == sched_mode::det) {
    det_make_runnable(t);
  } else {
    t->state_ = thread::state::runnable;
    ++active_;
    t->cv_.notify_one();
  }
}

bool scheduler::may_advance_time_locked() {
  if (timers_.empty()) return false;
  if (until_ && until_()) return false;
  return timers_.begin()->first.first <= time_limit_;
}

void scheduler::idle_locked() {
  if (may_advance_time_locked() && fire_next_timers()) return;
  host_cv_.notify_all();
}

void scheduler::check_may_sleep(const char *wmesg) {
  thread *me = detail::current_thread;
  if (me != nullptr && me->no_sleeping > 0 && on_illegal_sleep)
    on_illegal_sleep(me, wmesg);  // records a panic and throws
}

bool scheduler::block(wait_queue &q, const char *wmesg, int64_t timeout_ns) {
  thread *me = detail::current_thread;
  assert(me != nullptr && "the host never blocks");
  if (stopping_ || unwinding_here()) {
    if (!unwinding_here()) {
      unlock();  // callers do not unlock on the way out of an exception
      throw kernel_stop{};
    }
    return true;  // unwinding: pretend the wait is over
  }
  me->wmesg_ = wmesg;
  me->timed_out_ = false;
  enqueue(q, me);
  if (timeout_ns >= 0) arm_timer(me, now_ + timeout_ns);
  if (mode_ == sched_mode::det) {
    me->state_ = thread::state::blocked;
    thread *next = runq_.empty() ? nullptr : det_take_runnable();
    det_switch_to(next);
  } else {
    me->state_ = thread::state::blocked;
    if (g_tracer) g_tracer->run_end(me);
    if (--active_ == 0) idle_locked();
    std::unique_lock<std::mutex> lk(mtx_, std::adopt_lock);
    me->cv_.wait(lk, [&] { return me->state_ != thread::state::blocked || stopping_; });
    lk.release();
    if (me->state_ == thread::state::blocked) {  // woken by stop()
      dequeue(me);
      disarm_timer(me);
      ++active_;
    }
    me->state_ = thread::state::running;
    if (g_tracer) g_tracer->run_begin(me);
  }
  me->wmesg_ = nullptr;
  if (stopping_ && !unwinding_here()) {
    unlock();
    throw kernel_stop{};
  }
  return !me->timed_out_;
}

bool scheduler::wake_one(wait_queue &q) {
  thread *t = q.head_;
  if (t == nullptr) return false;
  dequeue(t);
  disarm_timer(t);
  make_runnable_locked(t);
  return true;
}

int scheduler::wake_all(wait_queue &q) {
  int n = 0;
  while (wake_one(q)) n++;
  return n;
}

void scheduler::run(std::function<bool()> until, int64_t time_limit) {
  if (mode_ == sched_mode::det) {
    until_ = std::move(until);
    time_limit_ = time_limit;
    for (;;) {
      if (stopping_) break;
      if (!runq_.empty()) {
        det_switch_to(det_take_runnable());
        continue;
      }
      if (!may_advance_time_locked() || !fire_next_timers()) break;
    }
    until_ = nullptr;
    time_limit_ = INT64_MIN;
    return;
  }
  std::unique_lock<std::mutex> lk(mtx_);
  until_ = std::move(until);
  time_limit_ = time_limit;
  // The last thread to block fires due timers (idle_locked); if nothing is
  // running now, start that here.
  if (active_ == 0 && may_advance_time_locked()) fire_next_timers();
  host_cv_.wait(lk, [&] { return stopping_ || (active_ == 0 && !may_advance_time_locked()); });
  until_ = nullptr;
  time_limit_ = INT64_MIN;
}

void scheduler::stop() {
  if (mode_ == sched_mode::det) {
    stopping_ = true;
    return;
  }
  guard g(*this);
  stopping_ = true;
  for (thread *t : all_)
    if (t->state_ == thread::state::blocked) t->cv_.notify_one();
  host_cv_.notify_all();
}

namespace {
std::atomic<int64_t> host_deadline_ns{0};  // steady_clock, ns; 0: no limit
}  // namespace

void set_host_deadline(std::chrono::steady_clock::time_point d) {
  host_deadline_ns.store(
      std::chrono::duration_cast<std::chrono::nanoseconds>(d.time_since_epoch()).count());
}

void scheduler::check_runaway() {
  int64_t deadline = host_deadline_ns.load(std::memory_order_relaxed);
  if (deadline == 0 || stopping()) return;
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  if (now < deadline) return;
  timed_out_.store(true);
  stop();
  if (current() != nullptr && !unwinding_here()) throw kernel_stop{};
}

void scheduler::finish_stop() {
  if (mode_ == sched_mode::det) {
    stopping_ = true;
    for (;;) {
      thread *victim = nullptr;
      for (thread *t : all_) {
        if (t->state_ != thread::state::dead) {
          victim = t;
          break;
        }
      }
      if (victim == nullptr) break;
      if (victim->state_ == thread::state::runnable) det_remove_runnable(victim);
      dequeue(victim);
      disarm_timer(victim);
      det_switch_to(victim);  // it unwinds and switches back to us
    }
    for (thread *t : std::vector<thread *>(all_))
      if (t->detached_) free_thread(t);
    return;
  }
  std::unique_lock<std::mutex> lk(mtx_);
  stopping_ = true;
  for (thread *t : all_) t->cv_.notify_one();
  host_cv_.wait(lk, [&] { return alive_ == 0; });
  std::vector<thread *> copy(all_);
  lk.unlock();
  for (thread *t : copy)
    if (t->os_.joinable()) t->os_.join();
  lk.lock();
  for (thread *t : copy)
    if (t->detached_) free_thread(t);
}

std::vector<thread *> scheduler::live_threads() {
  guard g(*this);
  std::vector<thread *> out;
  for (thread *t : all_)
    if (t->state_ != thread::state::dead) out.push_back(t);
  return out;
}

bool scheduler::live_thread_name(int tid, std::string &name) {
  guard g(*this);
  for (thread *t : all_)
    if (t->tid_ == tid && t->state_ != thread::state::dead) {
      name = t->name_;
      return true;
    }
  return false;
}

}  // namespace kern
