// kern/fault.h — fault injection at named points in kernel code.
//
// Kernel code asks fault_hit("malloc", "gvirstor") at the places where the
// real kernel can fail for reasons outside the code under test: an
// M_NOWAIT allocation (point "malloc", detail = the malloc type), a bio
// allocation or clone (points "g_new_bio", "g_clone_bio", detail = the
// provider name when known). Scenarios add rules; without rules nothing
// fails. Rules are per boot.
#pragma once

#include <cstdint>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

namespace kern {

struct fault_rule {
  std::string point;   // "malloc", "g_clone_bio", "g_new_bio"
  std::string detail;  // "" matches any detail
  uint64_t nth = 1;    // the first matching hit that fails (1-based)
  uint64_t count = 1;  // how many hits fail from there on (0 = all)
  uint32_t percent = 0;  // > 0: each matching hit fails with this probability
  // counters
  uint64_t hits = 0;
  uint64_t failed = 0;
};

class fault_table {
 public:
  void add(fault_rule r);
  void clear();
  std::vector<fault_rule> rules() const;
  bool hit(const char *point, const char *detail);

 private:
  mutable kern::host_mutex mu_;
  std::vector<fault_rule> rules_;
};

// Consults the booted kernel's table (false without a kernel).
bool fault_hit(const char *point, const char *detail);

}  // namespace kern
