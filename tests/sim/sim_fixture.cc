// A machine for the simulator's tests. See tests/sim/sim_fixture.h.
#include "tests/sim/sim_fixture.h"

#include <cstdio>
#include <sstream>
#include <unistd.h>

#include "kern/syscalls.h"
#include "sim/userland/program.h"

namespace simtest {

rig::rig(uint64_t seed, kern::sched_mode mode) : m(sim::machine_config{mode, seed, 1, nullptr}) {
  m.set_console([this](const std::string &l) { console.push_back(l); });
}

bool rig::boot() { return m.boot(); }

cmd_result rig::sh(const std::string &cmdline) {
  cmd_result res;
  std::vector<std::string> argv;
  std::istringstream in(cmdline);
  for (std::string w; in >> w;) argv.push_back(w);
  const sim::program_info *p = sim::find_program(argv.at(0));
  if (p == nullptr || m.kernel() == nullptr) return res;
  sim::proc_io io;
  io.progname = argv[0];
  kern::kernel *k = m.kernel();
  kern::thread *t = k->run(argv[0], [&] { res.status = p->main(argv, io); });
  res.finished = t->finished();
  if (res.finished) k->reap(t);  // a hung command stays until the kernel goes
  res.out = io.out;
  res.err = io.err;
  return res;
}

bool rig::run(std::function<void()> fn) {
  kern::kernel *k = m.kernel();
  if (k == nullptr) return false;
  kern::thread *t = k->run("test", std::move(fn));
  bool done = t->finished();
  if (done) k->reap(t);
  return done;
}

bool rig::console_has(const std::string &needle) const {
  for (const auto &l : console)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

int dev_write(const std::string &dev, int64_t off, const std::vector<unsigned char> &data) {
  int fd;
  int e = kern::sys_open("/dev/" + dev, kern::BSD_O_RDWR, fd);
  if (e != 0) return e;
  size_t done;
  e = kern::sys_pwrite(fd, data.data(), data.size(), off, done);
  kern::sys_close(fd);
  return e;
}

int dev_read(const std::string &dev, int64_t off, std::vector<unsigned char> &data) {
  int fd;
  int e = kern::sys_open("/dev/" + dev, kern::BSD_O_RDONLY, fd);
  if (e != 0) return e;
  size_t done;
  e = kern::sys_pread(fd, data.data(), data.size(), off, done);
  kern::sys_close(fd);
  return e;
}

int dev_flush(const std::string &dev) {
  int fd;
  int e = kern::sys_open("/dev/" + dev, kern::BSD_O_RDWR, fd);
  if (e != 0) return e;
  e = kern::sys_diocgflush(fd);
  kern::sys_close(fd);
  return e;
}

std::vector<unsigned char> pattern(size_t len, unsigned seed) {
  std::vector<unsigned char> v(len);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < len; i++) {
    x = x * 1103515245u + 12345u;
    v[i] = (unsigned char)(x >> 24);
  }
  return v;
}

uint64_t rss_bytes() {
  FILE *f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  if (std::fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
  std::fclose(f);
  return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

}  // namespace simtest
