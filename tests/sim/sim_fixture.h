// tests/sim/sim_fixture.h — a machine for the simulator's tests.
//
//   simtest::rig r;                          // det scheduler, seed 1
//   r.m.add_memory_disk("ada0", 1 << 20);
//   r.boot();
//   auto res = r.sh("mdconfig -a -t malloc -s 1m");   // res.out == "md0\n"
//   r.run([] { ... kernel calls from a simulated thread ... });
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/machine/machine.h"

namespace simtest {

struct cmd_result {
  int status = -1;
  std::string out, err;
  bool finished = false;
};

class rig {
 public:
  explicit rig(uint64_t seed = 1, kern::sched_mode mode = kern::sched_mode::det);

  sim::machine m;
  std::vector<std::string> console;

  bool boot();
  // Runs a program (words split on blanks) in a userland thread.
  cmd_result sh(const std::string &cmdline);
  // Runs fn in a userland thread; true if it finished.
  bool run(std::function<void()> fn);
  kern::kernel &k() { return *m.kernel(); }
  bool console_has(const std::string &needle) const;
};

// From a simulated thread: whole-buffer I/O through /dev (FreeBSD errno).
int dev_write(const std::string &dev, int64_t off, const std::vector<unsigned char> &data);
int dev_read(const std::string &dev, int64_t off, std::vector<unsigned char> &data);
int dev_flush(const std::string &dev);
std::vector<unsigned char> pattern(size_t len, unsigned seed);
uint64_t rss_bytes();  // this process's resident set

}  // namespace simtest
