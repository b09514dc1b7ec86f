// sim/media/power.h — the machine's power supply, and hardware events at
// scripted points.
//
// One power domain feeds every disk of a machine. Cutting it (now, or when
// a trigger fires) decides, disk by disk, what survives (media::lose_power)
// — with a prng seeded from the machine's seed, the boot number and the
// disk's name, so a seed replays the same losses — records a
// power_loss_report in the write log, and stops the running kernel
// (kern::kernel::power_cut: from inside a simulated thread that call does
// not return, the thread unwinds). After the cut nothing reaches any media
// until restore() (the next boot).
//
// Triggers fire on what the disks see:
//   after_writes(n [, disk])     cut after the n-th completed write (or
//                                delete) counted from when the trigger is
//                                added, on any disk or on one;
//   on_io(op, disk, offset, nth) cut when the nth request of `op` that
//                                covers byte `offset` (-1: any offset) of
//                                `disk` ("" any; a device or media name)
//                                reaches the media (the request is then in
//                                flight: lost or torn), or, with
//                                at_completion, right after it completed;
//   at_point(name, detail, nth)  cut when kernel code calls
//                                sim::power_point(name, detail) the nth
//                                time (detail "" matches any);
//   after_record(seq)            cut right after the write, delete or
//                                flush logged as write log #seq completed.
// A cut decides each caught write's fate with the machine's seeded
// policy, or, when its trigger carries a fate_plan, exactly as the plan
// says (geomsim explore's crash states and their reproducers).
// Instead of cutting the power a trigger can pull a disk (then_pull): the
// device vanishes right there, with whatever requests it has in flight;
// or stall a GEOM thread (then_stall, geom/g_stall.h). A trigger fires
// once and is then removed. Every trigger an event matches fires, in the
// order they were added: stall g_up, then pull a disk, at the same write.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

#include "sim/media/io.h"
#include "sim/media/media.h"
#include "sim/media/write_log.h"

namespace sim {

// Exactly what a power cut lets land: the writes named here lose all of
// their data (0) or keep only their first `landed` sectors (torn); every
// other write the cut catches lands whole — or none does (lose_all).
// Cached writes are named by write log number, writes in flight by their
// media and their place among its writes in flight (from 1, arrival order).
struct fate_plan {
  bool lose_all = false;
  std::map<uint64_t, uint32_t> cached;
  std::map<std::pair<std::string, int>, uint32_t> in_flight;
};

// The loss_decider of a plan.
class plan_decider final : public loss_decider {
 public:
  explicit plan_decider(const fate_plan &plan) : plan_(plan) {}
  uint32_t landed(const caught_write &w) override;

 private:
  const fate_plan &plan_;
};

struct trigger {
  enum class kind { after_writes, on_io, at_point, after_record };
  enum class action { cut_power, pull_disk, stall_thread };

  kind what = kind::after_writes;
  std::string disk;      // "" = any
  io_op op = io_op::write;
  int64_t offset = -1;   // on_io: the request must cover this byte
  bool at_completion = false;
  uint64_t nth = 1;
  std::string point, detail;
  action act = action::cut_power;
  std::string pull_target;  // pull_disk: "" = the disk that matched
  std::string thread;       // stall_thread: g_event, g_up or g_down
  uint64_t seq = 0;         // after_record
  std::shared_ptr<const fate_plan> plan;  // cut_power: the fates, or seeded

  static trigger after_writes(uint64_t n, std::string disk = "");
  static trigger on_io(io_op op, std::string disk, int64_t offset = -1, uint64_t nth = 1,
                       bool at_completion = false);
  static trigger at_point(std::string point, std::string detail = "", uint64_t nth = 1);
  static trigger after_record(uint64_t seq);
  // Cut with exactly these fates instead of the seeded policy.
  trigger &with_plan(fate_plan plan);
  // Pull `disk` instead of cutting the power ("" = the disk that matched).
  trigger &then_pull(std::string disk = "");
  // Stall GEOM thread `thread` instead.
  trigger &then_stall(std::string thread);

  std::string describe() const;
};

class power {
 public:
  explicit power(write_log *log);
  power(const power &) = delete;
  power &operator=(const power &) = delete;

  // The power domain of the machine that exists (kernel code's
  // sim::power_point reaches it here); null without a machine.
  static power *current();
  static void set_current(power *p);

  bool on() const { return on_.load(); }
  // Power comes back for boot `boot`; outcome streams derive from seed.
  void restore(uint64_t seed, int boot);
  void set_policy(loss_policy p);
  loss_policy policy() const;

  // Media that lose their unflushed data when the power goes. Held weakly.
  void attach(const std::shared_ptr<media> &m);

  // Triggers. add returns an id for remove.
  int add(trigger t);
  bool remove(int id);
  void clear();
  std::vector<std::pair<int, trigger>> triggers() const;

  // Cuts the power now (with the seeded policy, or as `plan` says). From a
  // simulated thread this does not return.
  void cut(const std::string &reason, const fate_plan *plan = nullptr);
  // What a pull trigger calls: pulls the named disk (set by the machine).
  std::function<void(const std::string &disk)> pull_handler;
  // What a stall trigger calls (set by the machine).
  std::function<void(const std::string &thread)> stall_handler;
  // Told at the start of every cut, before any fate is decided (set by
  // the machine for its storage observer).
  std::function<void()> cut_listener;

  // --- called by the media and by kernel code -----------------------------
  void io_arrived(const io_event &e);
  void io_completed(const io_event &e);
  void reached_point(const std::string &name, const std::string &detail);

 private:
  struct armed {
    int id;
    trigger t;
    uint64_t hits = 0;
  };
  struct firing {
    trigger t;
    std::string why;
  };
  // Removes and returns the triggers that fire for e, in arming order.
  std::vector<firing> match_locked(const io_event *e, bool completion, const std::string *point,
                                   const std::string *detail);
  void fire(const std::vector<firing> &fired, const std::string &matched_disk);
  void cut_now(const std::string &reason, const fate_plan *plan);

  write_log *log_;
  std::atomic<bool> on_{true};
  mutable kern::host_mutex mu_;
  uint64_t seed_ = 1;
  int boot_ = 0;
  loss_policy policy_ = loss_policy::seeded;
  std::vector<std::weak_ptr<media>> media_;
  std::vector<armed> armed_;
  int next_id_ = 1;
};

// Kernel code marks a named point where a scenario may cut the power
// ("virstor: map sector written"). Does nothing without a machine.
void power_point(const char *name, const char *detail = "");

}  // namespace sim
