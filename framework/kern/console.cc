// The kernel console. See kern/console.h.
#include "kern/console.h"

#include "kern/sched.h"

namespace kern {

void console::write(const char *s, size_t n) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (muted_) return;
  std::string &line = partial_[scheduler::current()];
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') {
      emit_locked(std::move(line));
      line.clear();
    } else {
      line.push_back(s[i]);
    }
  }
}

void console::flush() {
  std::lock_guard<kern::host_mutex> g(mu_);
  for (auto &[t, line] : partial_) {
    if (!line.empty()) emit_locked(std::move(line));
    line.clear();
  }
  partial_.clear();
}

void console::emit_locked(std::string line) {
  msgbuf_.push_back(line);
  if (sink_) sink_(msgbuf_.back());
}

std::vector<std::string> console::dmesg() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return msgbuf_;
}

size_t console::lines() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return msgbuf_.size();
}

}  // namespace kern
