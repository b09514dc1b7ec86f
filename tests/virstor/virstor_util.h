// tests/virstor/virstor_util.h — what the virstor suites share.
//
// Commands and device I/O run inside a simulated userland thread, so every
// function here except the raw-disk ones must be called from inside
// booted::run() (or a thread the test spawned). The raw-disk functions read
// the TDISK media directly, bypassing GEOM, to check what really landed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/kernel_fixture.h"

namespace vtest {

using bytes = std::vector<uint8_t>;

// What a command printed and returned.
struct cmd_result {
  int status = -1;
  std::string out, err;
};

// Runs `gvirstor args...` (args without the program name).
cmd_result gvirstor(const std::vector<std::string> &args);

// Device I/O through /dev/<dev>. The error is a FreeBSD errno.
int dev_write(const std::string &dev, int64_t off, const bytes &data);
int dev_read(const std::string &dev, int64_t off, size_t len, bytes &out);
// DIOCGDELETE on /dev/<dev> (BIO_DELETEs of at most
// kern.geom.dev.delete_max_sectors sectors each).
int dev_delete(const std::string &dev, int64_t off, int64_t len);
// Opens /dev/<dev> for writing and closes it again (`true > /dev/md0`):
// the close makes GEOM taste the provider again.
int dev_touch(const std::string &dev);
// Media size and sector size of /dev/<dev>; false if it cannot be opened.
bool dev_geometry(const std::string &dev, int64_t &mediasize, unsigned &sectorsize);
bool dev_exists(const std::string &dev);
// sysctl(8) kern.geom.virstor.debug=<level>.
void set_debug(unsigned level);

// Deterministic, position-dependent data (different per seed).
bytes pattern(size_t len, uint32_t seed);

// The raw media of a TDISK.
bytes peek(const std::string &disk, int64_t off, size_t len);
void poke(const std::string &disk, int64_t off, const bytes &data);

// Little-endian fields of a raw sector, read without the port's codec.
uint16_t le16(const bytes &b, size_t off);
uint32_t le32(const bytes &b, size_t off);
uint64_t le64(const bytes &b, size_t off);

// Console lines (since the start of the test) that contain `needle`.
std::vector<std::string> console_matching(const testsupport::booted &k, const std::string &needle);

// Creates TDISKs in a thread of their own and lets the system settle, so
// that DEV has published /dev/<name> (and the classes have tasted them)
// before the test's next step.
void make_disks(testsupport::booted &k, const std::vector<std::string> &names, int64_t size,
                unsigned sectorsize = 512);

// Boot options: a scheduler and a seed; with_virstor() also loads the
// class at boot.
testsupport::boot_options options(kern::sched_mode mode, uint64_t seed);
testsupport::boot_options with_virstor(kern::sched_mode mode = kern::sched_mode::det,
                                       uint64_t seed = 1);

}  // namespace vtest
