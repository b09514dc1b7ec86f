// Fault injection. See kern/fault.h.
#include "kern/fault.h"

#include "kern/kernel.h"

namespace kern {

void fault_table::add(fault_rule r) {
  std::lock_guard<kern::host_mutex> g(mu_);
  rules_.push_back(std::move(r));
}

void fault_table::clear() {
  std::lock_guard<kern::host_mutex> g(mu_);
  rules_.clear();
}

std::vector<fault_rule> fault_table::rules() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return rules_;
}

bool fault_table::hit(const char *point, const char *detail) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (rules_.empty()) return false;
  bool fail = false;
  for (fault_rule &r : rules_) {
    if (r.point != point) continue;
    if (!r.detail.empty() && (detail == nullptr || r.detail != detail)) continue;
    r.hits++;
    bool f;
    if (r.percent > 0) {
      f = kernel::current()->random_below("faults", 100) < r.percent;
    } else {
      f = r.hits >= r.nth && (r.count == 0 || r.hits < r.nth + r.count);
    }
    if (f) {
      r.failed++;
      fail = true;
    }
  }
  return fail;
}

bool fault_hit(const char *point, const char *detail) {
  kernel *k = kernel::current();
  return k != nullptr && k->faults().hit(point, detail);
}

}  // namespace kern
