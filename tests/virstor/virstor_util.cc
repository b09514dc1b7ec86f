// What the virstor suites share. See tests/virstor/virstor_util.h.
#include "tests/virstor/virstor_util.h"

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/userland/program.h"
#include "tests/support/test_disk.h"

namespace vtest {

cmd_result gvirstor(const std::vector<std::string> &args) {
  const sim::program_info *p = sim::find_program("gvirstor");
  cmd_result r;
  if (p == nullptr) {
    r.err = "gvirstor not registered";
    return r;
  }
  sim::proc_io io;
  io.progname = "gvirstor";
  std::vector<std::string> argv{"gvirstor"};
  argv.insert(argv.end(), args.begin(), args.end());
  r.status = p->main(argv, io);
  r.out = io.out;
  r.err = io.err;
  return r;
}

namespace {
int open_dev(const std::string &dev, int flags, int &fd) {
  return kern::sys_open("/dev/" + dev, flags, fd);
}
}  // namespace

int dev_write(const std::string &dev, int64_t off, const bytes &data) {
  int fd;
  int error = open_dev(dev, kern::BSD_O_RDWR, fd);
  if (error != 0) return error;
  size_t done = 0;
  error = kern::sys_pwrite(fd, data.data(), data.size(), off, done);
  if (error == 0 && done != data.size()) error = kern::B_EIO;
  kern::sys_close(fd);
  return error;
}

int dev_read(const std::string &dev, int64_t off, size_t len, bytes &out) {
  int fd;
  int error = open_dev(dev, kern::BSD_O_RDONLY, fd);
  if (error != 0) return error;
  out.assign(len, 0xee);
  size_t done = 0;
  error = kern::sys_pread(fd, out.data(), len, off, done);
  if (error == 0 && done != len) error = kern::B_EIO;
  kern::sys_close(fd);
  return error;
}

int dev_delete(const std::string &dev, int64_t off, int64_t len) {
  int fd;
  int error = open_dev(dev, kern::BSD_O_RDWR, fd);
  if (error != 0) return error;
  error = kern::sys_diocgdelete(fd, off, len);
  kern::sys_close(fd);
  return error;
}

int dev_touch(const std::string &dev) {
  int fd;
  int error = open_dev(dev, kern::BSD_O_RDWR, fd);
  if (error != 0) return error;
  return kern::sys_close(fd);
}

bool dev_geometry(const std::string &dev, int64_t &mediasize, unsigned &sectorsize) {
  int fd;
  if (open_dev(dev, kern::BSD_O_RDONLY, fd) != 0) return false;
  bool ok = kern::sys_diocgmediasize(fd, mediasize) == 0 &&
            kern::sys_diocgsectorsize(fd, sectorsize) == 0;
  kern::sys_close(fd);
  return ok;
}

bool dev_exists(const std::string &dev) {
  for (const std::string &n : kern::sys_devfs_list())
    if (n == dev) return true;
  return false;
}

void set_debug(unsigned level) {
  kern::sys_sysctl_set("kern.geom.virstor.debug", std::to_string(level));
}

bytes pattern(size_t len, uint32_t seed) {
  bytes b(len);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < len; i++) {
    x = x * 1103515245u + 12345u;
    b[i] = (uint8_t)(x >> 16);
  }
  return b;
}

bytes peek(const std::string &disk, int64_t off, size_t len) {
  bytes b(len);
  if (!testsupport::tdisk_peek(disk, off, b.data(), len)) b.clear();
  return b;
}

void poke(const std::string &disk, int64_t off, const bytes &data) {
  testsupport::tdisk_poke(disk, off, data.data(), data.size());
}

uint16_t le16(const bytes &b, size_t off) {
  return (uint16_t)(b[off] | b[off + 1] << 8);
}

uint32_t le32(const bytes &b, size_t off) {
  return (uint32_t)le16(b, off) | (uint32_t)le16(b, off + 2) << 16;
}

uint64_t le64(const bytes &b, size_t off) {
  return (uint64_t)le32(b, off) | (uint64_t)le32(b, off + 4) << 32;
}

std::vector<std::string> console_matching(const testsupport::booted &k, const std::string &needle) {
  std::vector<std::string> out;
  for (const std::string &l : k.console())
    if (l.find(needle) != std::string::npos) out.push_back(l);
  return out;
}

void make_disks(testsupport::booted &k, const std::vector<std::string> &names, int64_t size,
                unsigned sectorsize) {
  k.run([&] {
    for (const std::string &n : names) testsupport::tdisk_create(n, size, sectorsize);
  });
}

testsupport::boot_options options(kern::sched_mode mode, uint64_t seed) {
  testsupport::boot_options o;
  o.mode = mode;
  o.seed = seed;
  return o;
}

testsupport::boot_options with_virstor(kern::sched_mode mode, uint64_t seed) {
  testsupport::boot_options o = options(mode, seed);
  o.modules = {"geom_virstor"};
  return o;
}

}  // namespace vtest
