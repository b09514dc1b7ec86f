// kern/console.h — the simulated kernel's console and message buffer.
//
// Kernel printf(9) output lands here. Each thread builds its own line (as
// FreeBSD's PRINTF_BUFR_SIZE does), so that two threads printing at the same
// time never mix characters within a line; a complete line goes to the
// message buffer (dmesg) and to the sink the host installed.
#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

namespace kern {

class thread;

class console {
 public:
  using sink_fn = std::function<void(const std::string &line)>;

  void set_sink(sink_fn sink) { sink_ = std::move(sink); }
  void write(const char *s, size_t n);
  // Ends every thread's partial line (at panic or shutdown).
  void flush();
  // The whole message buffer, one entry per line, without newlines.
  std::vector<std::string> dmesg() const;
  size_t lines() const;
  // Silences output (after a power cut nothing reaches the console).
  void mute() { muted_ = true; }

 private:
  void emit_locked(std::string line);

  mutable kern::host_mutex mu_;
  sink_fn sink_;
  std::map<const thread *, std::string> partial_;
  std::vector<std::string> msgbuf_;
  bool muted_ = false;
};

}  // namespace kern
