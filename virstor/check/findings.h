// virstor/check/findings.h — how the checker's passes record findings.
//
// A pass names the rule by id; the severity comes from the rule table
// (rules.cc), so it cannot differ between two places. Rules that can fire
// once per map entry report through a capped_rule: the first kShown
// findings in the order the pass meets them, then one "... and N more".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "virstor/check/virstor_check.h"

namespace virstor_check {

severity severity_of(const std::string &rule);

// printf into a std::string.
std::string text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// "a, b, c".
std::string join(const std::vector<std::string> &items);

class sink {
 public:
  explicit sink(std::vector<finding> &out) : out_(out) {}
  void add(const std::string &rule, const std::string &device, const std::string &component,
           const std::string &message);

 private:
  std::vector<finding> &out_;
};

// One rule about one device, reported for many entries.
class capped_rule {
 public:
  static constexpr uint64_t kShown = 8;
  capped_rule(sink &out, std::string rule, std::string device)
      : out_(out), rule_(std::move(rule)), device_(std::move(device)) {}
  void add(const std::string &component, const std::string &message);
  // Adds the "... and N more" line, if any were held back.
  void finish();

 private:
  sink &out_;
  std::string rule_, device_;
  uint64_t seen_ = 0;
};

}  // namespace virstor_check
