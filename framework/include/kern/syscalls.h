// kern/syscalls.h — the system calls simulated userland makes.
//
// Simulated commands (mdconfig, gvirstor, dd, ...) run in userland threads
// of the simulated kernel and reach it only through these calls, as a
// FreeBSD program reaches its kernel: device nodes under /dev opened,
// read, written and closed (through GEOM's DEV class), the GEOM_CTL ioctl
// for geom(8) requests, sysctl(3) and kldload(2). Each call must be made
// from a simulated thread (kern::kernel::run/spawn); errors are FreeBSD
// errno values. A thread's open descriptors are closed when it ends, as a
// process's are at exit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kern {

// open(2) flags, FreeBSD's values.
enum : int { BSD_O_RDONLY = 0, BSD_O_WRONLY = 1, BSD_O_RDWR = 2, BSD_O_ACCMODE = 3 };

int sys_open(const std::string &path, int oflags, int &fd);
int sys_close(int fd);
int sys_pread(int fd, void *buf, size_t len, int64_t off, size_t &done);
int sys_pwrite(int fd, const void *buf, size_t len, int64_t off, size_t &done);

// disk(4) ioctls.
int sys_diocgmediasize(int fd, int64_t &size);
int sys_diocgsectorsize(int fd, unsigned &size);
int sys_diocgstripesize(int fd, int64_t &size);
int sys_diocgstripeoffset(int fd, int64_t &off);
int sys_diocgfwsectors(int fd, unsigned &n);
int sys_diocgfwheads(int fd, unsigned &n);
int sys_diocgident(int fd, std::string &ident);
int sys_diocgflush(int fd);
int sys_diocgdelete(int fd, int64_t off, int64_t len);

// The device nodes under /dev ("md0", "virstor/vs"), sorted.
std::vector<std::string> sys_devfs_list();

// GEOM_CTL on /dev/geom.ctl. Parameters in the order geom(8) sends them;
// RW parameters come back changed. `error` gets the class's message.
struct gctl_arg {
  std::string name;
  int flag = 0;             // GCTL_PARAM_RD/WR/ASCII: 1, 2, 4
  std::vector<char> value;  // ASCII values include the terminating NUL
};
int sys_geom_ctl(std::vector<gctl_arg> &args, std::string &error);

// sysctl(3) by name.
int sys_sysctl_get(const std::string &name, std::string &value);
int sys_sysctl_set(const std::string &name, const std::string &value);
std::vector<std::string> sys_sysctl_list(const std::string &prefix);

// The kernel message buffer (dmesg) and malloc(9) statistics (vmstat -m).
std::vector<std::string> sys_msgbuf();
struct malloc_stat {
  std::string type;
  uint64_t inuse, memuse, requests;
  uint32_t sizemask;        // bit i: 16 << i byte zone used
  uint64_t zone_item_size;  // an uma zone (vmstat -z); 0: a malloc type
  uint64_t failures;
};
std::vector<malloc_stat> sys_malloc_stats();
// nanosleep(2) on the simulated clock.
int sys_nanosleep(int64_t ns);
// Simulated time since boot, in nanoseconds (clock_gettime(CLOCK_UPTIME)).
int64_t sys_uptime_ns();

// kldload(2) and friends.
int sys_kldload(const std::string &name);
int sys_kldunload(const std::string &name);
std::vector<std::string> sys_kldstat();

}  // namespace kern
