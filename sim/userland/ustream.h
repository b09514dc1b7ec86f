// sim/userland/ustream.h — a byte stream a program reads or writes.
//
// dd, cmp and the digest programs name their input and output by path;
// this resolves the path once: a device node (/dev/md0, opened through
// the kernel), one of the special devices (/dev/zero, /dev/null, and
// /dev/random or /dev/urandom, which produce the machine's seeded
// pseudo-random bytes so a replay writes the same data), or a file of the
// machine. Writes to a device that succeed are recorded in the scenario's
// oracle (what the device must read back).
//
// Closing a device is a system call that may wait (the last close of a
// writer makes GEOM taste the provider again, and the caller waits for
// that) and may therefore unwind with kern::kernel_stop when the kernel
// stops meanwhile, a panic in the retaste say. Programs close their
// streams explicitly, where that exception can propagate to the thread's
// body; the destructor is only a safety net: it never lets kernel_stop
// escape, and while the thread unwinds it closes nothing (the kernel is
// stopping, or the descriptor is closed with the thread's others at exit).
#pragma once

#include <cstdint>
#include <string>

namespace sim {

class ustream {
 public:
  enum class kind { none, device, file, zero, null, random };

  ustream() = default;
  ~ustream();
  ustream(const ustream &) = delete;
  ustream &operator=(const ustream &) = delete;

  // Opens `path` for reading or for writing (FreeBSD errno on failure).
  int open(const std::string &path, bool write);
  // close(2) for a device; may throw kern::kernel_stop (see above).
  void close();

  // pread/pwrite at `off`; `done` gets the byte count. Devices refuse
  // sizes or offsets that are not sector multiples (EINVAL), as raw disk
  // devices do.
  int read(void *buf, size_t len, int64_t off, size_t &done);
  int write(const void *buf, size_t len, int64_t off, size_t &done);
  // Size in bytes (media size of a device, length of a file), or -1.
  int64_t size() const;
  // Cuts a file at `size` (dd without conv=notrunc); no-op on devices.
  int truncate(int64_t size);

  kind type() const { return kind_; }
  const std::string &path() const { return path_; }
  unsigned sectorsize() const { return sectorsize_; }

 private:
  // On /dev/zero, /dev/null and /dev/random: counts the operation and
  // checks the host-time limit every 256 of them. Nothing on others.
  void pseudo_device_op();

  kind kind_ = kind::none;
  unsigned pseudo_ops_ = 0;
  std::string path_;
  int fd_ = -1;
  unsigned sectorsize_ = 0;
  int64_t mediasize_ = -1;
};

}  // namespace sim
