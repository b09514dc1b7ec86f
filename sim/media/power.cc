// The power domain and its triggers. See sim/media/power.h.
#include "sim/media/power.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "kern/kernel.h"

namespace sim {

namespace {
power *g_current = nullptr;

bool disk_matches(const std::string &want, const io_event &e) {
  return want.empty() || want == e.media || want == e.device;
}
}  // namespace

trigger trigger::after_writes(uint64_t n, std::string disk) {
  trigger t;
  t.what = kind::after_writes;
  t.nth = n == 0 ? 1 : n;
  t.disk = std::move(disk);
  return t;
}

trigger trigger::on_io(io_op op, std::string disk, int64_t offset, uint64_t nth,
                       bool at_completion) {
  trigger t;
  t.what = kind::on_io;
  t.op = op;
  t.disk = std::move(disk);
  t.offset = offset;
  t.nth = nth == 0 ? 1 : nth;
  t.at_completion = at_completion;
  return t;
}

trigger trigger::at_point(std::string point, std::string detail, uint64_t nth) {
  trigger t;
  t.what = kind::at_point;
  t.point = std::move(point);
  t.detail = std::move(detail);
  t.nth = nth == 0 ? 1 : nth;
  return t;
}

trigger trigger::after_record(uint64_t seq) {
  trigger t;
  t.what = kind::after_record;
  t.seq = seq;
  return t;
}

trigger &trigger::with_plan(fate_plan p) {
  plan = std::make_shared<const fate_plan>(std::move(p));
  return *this;
}

uint32_t plan_decider::landed(const caught_write &w) {
  if (plan_.lose_all) return 0;
  if (w.seq != 0) {
    auto it = plan_.cached.find(w.seq);
    return it == plan_.cached.end() ? w.sectors : it->second;
  }
  auto it = plan_.in_flight.find({*w.media, w.in_flight_index});
  return it == plan_.in_flight.end() ? w.sectors : it->second;
}

trigger &trigger::then_pull(std::string d) {
  act = action::pull_disk;
  pull_target = std::move(d);
  return *this;
}

trigger &trigger::then_stall(std::string t) {
  act = action::stall_thread;
  thread = std::move(t);
  return *this;
}

std::string trigger::describe() const {
  char buf[256];
  const char *where = disk.empty() ? "any disk" : disk.c_str();
  switch (what) {
    case kind::after_writes:
      std::snprintf(buf, sizeof buf, "after write #%" PRIu64 " on %s", nth, where);
      break;
    case kind::on_io:
      if (offset >= 0)
        std::snprintf(buf, sizeof buf, "%s #%" PRIu64 " of a %s to %s covering offset %" PRId64,
                      at_completion ? "completion" : "arrival", nth, io_op_name(op), where, offset);
      else
        std::snprintf(buf, sizeof buf, "%s #%" PRIu64 " of a %s to %s",
                      at_completion ? "completion" : "arrival", nth, io_op_name(op), where);
      break;
    case kind::at_point:
      std::snprintf(buf, sizeof buf, "point \"%s\"%s%s%s #%" PRIu64, point.c_str(),
                    detail.empty() ? "" : " (", detail.c_str(), detail.empty() ? "" : ")", nth);
      break;
    case kind::after_record:
      std::snprintf(buf, sizeof buf, "after write log #%" PRIu64, seq);
      break;
  }
  std::string s = buf;
  if (act == action::pull_disk)
    s += ": pull " + (pull_target.empty() ? std::string("that disk") : pull_target);
  else if (act == action::stall_thread)
    s += ": stall " + thread;
  else if (plan != nullptr)
    s += ": cut the power, fates as planned";
  else
    s += ": cut the power";
  return s;
}

power::power(write_log *log) : log_(log) {}

power *power::current() { return g_current; }
void power::set_current(power *p) { g_current = p; }

void power::restore(uint64_t seed, int boot) {
  std::lock_guard<kern::host_mutex> g(mu_);
  seed_ = seed;
  boot_ = boot;
  on_.store(true);
}

void power::set_policy(loss_policy p) {
  std::lock_guard<kern::host_mutex> g(mu_);
  policy_ = p;
}

loss_policy power::policy() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return policy_;
}

void power::attach(const std::shared_ptr<media> &m) {
  std::lock_guard<kern::host_mutex> g(mu_);
  // Drop the dead ones while here; keep attachment order (it fixes the
  // order of the report).
  std::vector<std::weak_ptr<media>> keep;
  for (auto &w : media_)
    if (!w.expired() && w.lock() != m) keep.push_back(w);
  keep.push_back(m);
  media_ = std::move(keep);
}

int power::add(trigger t) {
  std::lock_guard<kern::host_mutex> g(mu_);
  armed_.push_back({next_id_, std::move(t), 0});
  return next_id_++;
}

bool power::remove(int id) {
  std::lock_guard<kern::host_mutex> g(mu_);
  for (auto it = armed_.begin(); it != armed_.end(); ++it) {
    if (it->id == id) {
      armed_.erase(it);
      return true;
    }
  }
  return false;
}

void power::clear() {
  std::lock_guard<kern::host_mutex> g(mu_);
  armed_.clear();
}

std::vector<std::pair<int, trigger>> power::triggers() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  std::vector<std::pair<int, trigger>> out;
  for (const armed &a : armed_) out.push_back({a.id, a.t});
  return out;
}

std::vector<power::firing> power::match_locked(const io_event *e, bool completion,
                                               const std::string *point,
                                               const std::string *detail) {
  std::vector<firing> fired;
  for (auto it = armed_.begin(); it != armed_.end();) {
    const trigger &t = it->t;
    bool hit = false;
    switch (t.what) {
      case trigger::kind::after_writes:
        hit = e != nullptr && completion &&
              (e->op == io_op::write || e->op == io_op::del) && disk_matches(t.disk, *e);
        break;
      case trigger::kind::on_io:
        hit = e != nullptr && completion == t.at_completion && e->op == t.op &&
              disk_matches(t.disk, *e) &&
              (t.offset < 0 ||
               (t.offset >= e->offset && t.offset < e->offset + std::max<int64_t>(e->length, 1)));
        break;
      case trigger::kind::at_point:
        hit = point != nullptr && *point == t.point && (t.detail.empty() || t.detail == *detail);
        break;
      case trigger::kind::after_record:
        hit = e != nullptr && completion && e->seq == t.seq;
        break;
    }
    if (!hit || ++it->hits < t.nth) {
      ++it;
      continue;
    }
    char buf[160];
    if (e != nullptr && completion && e->seq != 0)
      std::snprintf(buf, sizeof buf, " at write log #%" PRIu64, e->seq);
    else if (e != nullptr)
      std::snprintf(buf, sizeof buf, " at %s %s off=%" PRId64 " len=%" PRId64,
                    e->device.c_str(), io_op_name(e->op), e->offset, e->length);
    else
      buf[0] = '\0';
    fired.push_back({t, "trigger " + std::to_string(it->id) + " (" + t.describe() + ")" + buf});
    it = armed_.erase(it);
    // Nothing happens after the power goes: later triggers stay armed.
    if (fired.back().t.act == trigger::action::cut_power) break;
  }
  return fired;
}

void power::fire(const std::vector<firing> &fired, const std::string &matched_disk) {
  for (const firing &f : fired) {
    switch (f.t.act) {
      case trigger::action::pull_disk: {
        std::string target = f.t.pull_target.empty() ? matched_disk : f.t.pull_target;
        if (pull_handler) pull_handler(target);
        break;
      }
      case trigger::action::stall_thread:
        if (stall_handler) stall_handler(f.t.thread);
        break;
      case trigger::action::cut_power:
        cut(f.why, f.t.plan.get());  // from a simulated thread: does not return
        return;
    }
  }
}

void power::io_arrived(const io_event &e) {
  if (!on_.load()) return;
  std::vector<firing> fired;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    if (armed_.empty()) return;
    fired = match_locked(&e, false, nullptr, nullptr);
  }
  if (!fired.empty()) fire(fired, e.device.empty() ? e.media : e.device);
}

void power::io_completed(const io_event &e) {
  if (!on_.load()) return;
  std::vector<firing> fired;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    if (armed_.empty()) return;
    fired = match_locked(&e, true, nullptr, nullptr);
  }
  if (!fired.empty()) fire(fired, e.device.empty() ? e.media : e.device);
}

void power::reached_point(const std::string &name, const std::string &detail) {
  if (!on_.load()) return;
  std::vector<firing> fired;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    if (armed_.empty()) return;
    fired = match_locked(nullptr, false, &name, &detail);
  }
  if (!fired.empty()) fire(fired, "");
}

void power::cut(const std::string &reason, const fate_plan *plan) {
  cut_now(reason, plan);
  // The kernel stops with the power: from a simulated thread this throws
  // and the thread unwinds; from the host it waits for every thread.
  kern::kernel *k = kern::kernel::current();
  if (k != nullptr && !k->powered_off()) k->power_cut();
}

void power::cut_now(const std::string &reason, const fate_plan *plan) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (!on_.load()) return;
  if (cut_listener) cut_listener();
  on_.store(false);  // from here on nothing reaches any media
  power_loss_report report;
  report.boot = boot_;
  kern::scheduler *s = kern::current_scheduler();
  report.time_ns = s != nullptr ? s->now() : 0;
  report.reason = reason;
  for (auto &w : media_) {
    std::shared_ptr<media> m = w.lock();
    if (m == nullptr) continue;
    // Each disk draws from its own stream: what happens on ada0 does not
    // depend on how many writes ada1 had pending.
    kern::prng rng = kern::prng::stream(seed_ ^ (uint64_t)boot_ * 0x9e3779b97f4a7c15ull,
                                        "power-loss:" + m->name());
    policy_decider seeded(rng, policy_);
    static const fate_plan kNoPlan;
    plan_decider planned(plan != nullptr ? *plan : kNoPlan);
    m->lose_power(plan != nullptr ? (loss_decider &)planned : (loss_decider &)seeded, report);
  }
  // One list in log order, whichever disk each write was on.
  for (auto *v : {&report.affected, &report.lost, &report.torn, &report.survived})
    std::sort(v->begin(), v->end());
  if (log_ != nullptr) log_->add_report(std::move(report));
}

void power_point(const char *name, const char *detail) {
  power *p = power::current();
  if (p != nullptr) p->reached_point(name, detail != nullptr ? detail : "");
}

}  // namespace sim
