// Recording findings (see findings.h).
#include "virstor/check/findings.h"

#include <cstdarg>
#include <cstdio>

namespace virstor_check {

std::string text(const char *fmt, ...) {
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int len = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string s(len > 0 ? (size_t)len : 0, '\0');
  if (len > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, ap);
  va_end(ap);
  return s;
}

std::string join(const std::vector<std::string> &items) {
  std::string s;
  for (const std::string &item : items) s += (s.empty() ? "" : ", ") + item;
  return s;
}

void sink::add(const std::string &rule, const std::string &device, const std::string &component,
               const std::string &message) {
  out_.push_back({severity_of(rule), rule, device, component, message});
}

void capped_rule::add(const std::string &component, const std::string &message) {
  if (seen_++ < kShown) out_.add(rule_, device_, component, message);
}

void capped_rule::finish() {
  if (seen_ > kShown)
    out_.add(rule_, device_, "", text("... and %ju more like this", (uintmax_t)(seen_ - kShown)));
}

}  // namespace virstor_check
