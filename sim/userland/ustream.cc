// A byte stream for programs. See sim/userland/ustream.h.
#include "sim/userland/ustream.h"

#include <cstring>
#include <exception>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "kern/sched.h"
#include "kern/syscalls.h"
#include "sim/scenario/oracle.h"
#include "sim/userland/files.h"

namespace sim {

ustream::~ustream() {
  if (kind_ != kind::device || fd_ < 0) return;
  // Unwinding already: a system call could only throw again. The
  // descriptor stays in the thread's table (closed at exit, or gone with
  // the stopped kernel).
  if (kern::unwinding_here()) return;
  try {
    close();
  } catch (const kern::kernel_stop &) {
    // The kernel stopped while close waited. A destructor must not throw:
    // the program goes on, its system calls fail with EINTR, and its
    // thread ends (the kernel is stopping).
  }
}

int ustream::open(const std::string &path, bool write) {
  close();
  path_ = path;
  if (path == "/dev/zero") {
    kind_ = kind::zero;
    return 0;
  }
  if (path == "/dev/null") {
    kind_ = kind::null;
    return 0;
  }
  if (path == "/dev/random" || path == "/dev/urandom") {
    kind_ = kind::random;
    return 0;
  }
  if (path.compare(0, 5, "/dev/") == 0) {
    int e = kern::sys_open(path, write ? kern::BSD_O_RDWR : kern::BSD_O_RDONLY, fd_);
    if (e != 0) return e;
    kind_ = kind::device;
    kern::sys_diocgsectorsize(fd_, sectorsize_);
    kern::sys_diocgmediasize(fd_, mediasize_);
    return 0;
  }
  int64_t sz;
  int e = file_size(path, sz);
  if (e == kern::B_ENOENT && write) e = file_truncate(path, 0);
  if (e != 0) return e;
  kind_ = kind::file;
  return 0;
}

void ustream::close() {
  int fd = kind_ == kind::device ? fd_ : -1;
  // Forget the descriptor first: if close unwinds, nothing closes it twice.
  fd_ = -1;
  kind_ = kind::none;
  if (fd >= 0) kern::sys_close(fd);
}

void ustream::pseudo_device_op() {
  if (kind_ != kind::zero && kind_ != kind::null && kind_ != kind::random) return;
  // Reading /dev/zero or writing /dev/null enters the kernel on FreeBSD;
  // here it is a memset or nothing, so a copy loop over them (dd without
  // count=) would pass no scheduling point and never meet the host-time
  // limit: check it every 256 operations.
  if ((++pseudo_ops_ & 255) == 0)
    if (kern::scheduler *s = kern::current_scheduler()) s->check_runaway();
}

int ustream::read(void *buf, size_t len, int64_t off, size_t &done) {
  done = 0;
  pseudo_device_op();
  switch (kind_) {
    case kind::zero:
      std::memset(buf, 0, len);
      done = len;
      return 0;
    case kind::null:
      return 0;  // end of file at once
    case kind::random: {
      kern::kernel::current()->random_fill("random", buf, len);
      done = len;
      return 0;
    }
    case kind::device:
      return kern::sys_pread(fd_, buf, len, off, done);
    case kind::file:
      return file_read(path_, buf, len, off, done);
    default:
      return kern::B_EBADF;
  }
}

int ustream::write(const void *buf, size_t len, int64_t off, size_t &done) {
  done = 0;
  pseudo_device_op();
  switch (kind_) {
    case kind::null:
      done = len;
      return 0;
    case kind::zero:
    case kind::random:
      done = len;  // writes to these devices are discarded
      return 0;
    case kind::device: {
      unsigned ss = sectorsize_ ? sectorsize_ : 512;
      oracle *o = oracle::current();
      if (o != nullptr) o->write_started(path_, off, buf, len, ss);
      int e = kern::sys_pwrite(fd_, buf, len, off, done);
      if (o != nullptr) {
        if (e == 0) o->record_write(path_, off, buf, done, ss);
        else o->record_failed_write(path_, off, len, ss);
      }
      return e;
    }
    case kind::file:
      return file_write(path_, buf, len, off, done);
    default:
      return kern::B_EBADF;
  }
}

int64_t ustream::size() const {
  if (kind_ == kind::device) return mediasize_;
  if (kind_ == kind::file) {
    int64_t sz;
    return file_size(path_, sz) == 0 ? sz : -1;
  }
  return -1;
}

int ustream::truncate(int64_t size) {
  if (kind_ != kind::file) return 0;
  return file_truncate(path_, size);
}

}  // namespace sim
