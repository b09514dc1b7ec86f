// kern/host_mutex.h — the simulator's own locks, free while one OS thread
// runs the simulation.
//
// The simulator's structures that every simulated thread reaches (the
// kernel's memory arena, the disks' media, the write log, the fault
// table) need a real mutex in the threads scheduler, where simulated
// threads are OS threads. In the det scheduler every simulated thread is
// a fiber of the one OS thread that drives the simulation, and a fiber is
// never switched out in the middle of host code: there is nothing to
// exclude, and an uncontended pthread mutex pair still costs ~20 ns (a
// 4 KiB write took about twenty of them).
//
// A host_mutex therefore locks only while a threads-mode scheduler exists
// in the process (kern::scheduler counts them from construction to
// destruction: a threads-mode scheduler is created, and its OS threads
// started, by the host thread, so they all see the count). It remembers
// whether it locked, so that a scheduler created or destroyed between a
// lock() and its unlock() cannot unbalance it. Usable with
// std::lock_guard; not with std::condition_variable.
#pragma once

#include <atomic>
#include <mutex>

namespace kern {

// Threads-mode schedulers alive in the process (kern/sched.cc).
extern std::atomic<int> threaded_schedulers;

class host_mutex {
 public:
  void lock() {
    if (threaded_schedulers.load(std::memory_order_acquire) == 0) return;
    mu_.lock();
    held_ = true;
  }
  void unlock() {
    if (!held_) return;
    held_ = false;
    mu_.unlock();
  }
  // Whether the caller's lock() really locked (tests).
  bool held() const { return held_; }

 private:
  std::mutex mu_;
  bool held_ = false;  // written and read by the holder only
};

}  // namespace kern
