// The machine's files for userland. See sim/userland/files.h.
//
// Files are media of the machine (sim/media/media.h) reached the way the
// host would write a file: straight to the file's storage, outside the
// disks' write log and power model (a file is not a disk; md(4) vnode
// disks over a file do go through the media's request path).
#include "sim/userland/files.h"

#include <algorithm>
#include <vector>

#include "kern/bsd_errno.h"
#include "sim/machine/machine.h"

namespace sim {

namespace {

std::shared_ptr<media> find(const std::string &path) {
  machine *m = machine::current();
  return m ? m->file(machine::normalize_path(path)) : nullptr;
}

int64_t round_up(int64_t n, int64_t unit) { return (n + unit - 1) / unit * unit; }

// Zeros bytes [from, to) of a file's media (the part past a new, shorter
// length: it must read as zeros if the file grows again).
int zero_range(const std::shared_ptr<media> &f, int64_t from, int64_t to) {
  to = std::min(to, f->size());
  if (from >= to) return 0;
  std::vector<unsigned char> zeros((size_t)std::min<int64_t>(to - from, 1 << 20), 0);
  for (int64_t off = from; off < to; off += (int64_t)zeros.size()) {
    size_t n = (size_t)std::min<int64_t>((int64_t)zeros.size(), to - off);
    if (f->host_write(off, zeros.data(), n) != 0) return kern::B_EIO;
  }
  return 0;
}

// A file's media has a fixed size: a length that needs another number of
// sectors moves the first `keep` bytes into a new sparse media.
int resize(const std::string &path, const std::shared_ptr<media> &old, int64_t media_size,
           int64_t keep, int64_t length) {
  machine *m = machine::current();
  std::string p = machine::normalize_path(path);
  auto fresh = media::memory(media_size, old->config());
  keep = std::min(keep, fresh->size());
  if (old->allocated_bytes() != 0) {
    std::vector<unsigned char> buf(1 << 20);
    for (int64_t off = 0; off < keep; off += (int64_t)buf.size()) {
      size_t n = (size_t)std::min<int64_t>((int64_t)buf.size(), keep - off);
      if (old->host_read(off, buf.data(), n) != 0) return kern::B_EIO;
      bool zero = true;
      for (size_t i = 0; i < n && zero; i++) zero = buf[i] == 0;
      if (!zero && fresh->host_write(off, buf.data(), n) != 0) return kern::B_EIO;
    }
  }
  const int64_t written = std::min(m->file_written(p), length);
  m->remove_file(p);
  m->add_file(p, fresh, length);
  m->set_file_written(p, written);
  return 0;
}

}  // namespace

int file_size(const std::string &path, int64_t &size) {
  machine *m = machine::current();
  int64_t len = m ? m->file_length(path) : -1;
  if (len < 0) return kern::B_ENOENT;
  size = len;
  return 0;
}

int file_truncate(const std::string &path, int64_t size) {
  machine *m = machine::current();
  if (m == nullptr) return kern::B_ENXIO;
  if (size < 0) return kern::B_EINVAL;
  auto f = find(path);
  if (!f) return m->create_file(machine::normalize_path(path), size) ? 0 : kern::B_EIO;
  const int64_t old_len = m->file_length(path);
  if (size == old_len) return 0;
  if (size < old_len) m->set_file_written(path, std::min(m->file_written(path), size));
  if (!f->host_path().empty()) return kern::B_EFBIG;  // host images keep their size
  // Bytes past the length are zeros on the media (see machine.h), so a
  // file that grows within its media reads zeros there.
  const int64_t media_size = round_up(size, f->sector_size());
  if (media_size > f->size()) {
    // At least double the room: a file written piece by piece (dd to a
    // file) is copied a logarithmic number of times, not at every write.
    const int64_t room = std::max(media_size, round_up(2 * f->size(), f->sector_size()));
    return resize(path, f, room, std::min(old_len, size), size);
  }
  if (size < old_len && media_size < f->size())
    return resize(path, f, media_size, size, size);  // shrinking gives the room back
  if (size < old_len) {
    int e = zero_range(f, size, old_len);
    if (e != 0) return e;
  }
  return m->set_file_length(path, size) ? 0 : kern::B_EIO;
}

int file_read(const std::string &path, void *buf, size_t len, int64_t off, size_t &done) {
  done = 0;
  auto f = find(path);
  int64_t length;
  if (!f || file_size(path, length) != 0) return kern::B_ENOENT;
  if (off < 0) return kern::B_EINVAL;
  if (off >= length) return 0;
  size_t n = (size_t)std::min<int64_t>((int64_t)len, length - off);
  int e = f->host_read(off, buf, n);
  if (e == 0) done = n;
  return e;
}

int file_write(const std::string &path, const void *buf, size_t len, int64_t off, size_t &done) {
  done = 0;
  auto f = find(path);
  int64_t length;
  if (!f || file_size(path, length) != 0) return kern::B_ENOENT;
  if (off < 0) return kern::B_EINVAL;
  if (len == 0) return 0;  // writes nothing, extends nothing
  if (off + (int64_t)len > length) {
    // The new end is written space; a host image has a fixed size, so
    // only simulated files count (truncate fails on a host image).
    machine *m = machine::current();
    const int64_t grow = off + (int64_t)len - length;
    if (f->host_path().empty() && m->files_written() + grow > machine::kFileSystemSize)
      return kern::B_ENOSPC;
    int e = file_truncate(path, off + (int64_t)len);
    if (e != 0) return e;
    m->set_file_written(path, m->file_written(path) + grow);
    f = find(path);
  }
  int e = f->host_write(off, buf, len);
  if (e == 0) done = len;
  return e;
}

int file_remove(const std::string &path) {
  machine *m = machine::current();
  if (m == nullptr) return kern::B_ENXIO;
  return m->remove_file(machine::normalize_path(path)) ? 0 : kern::B_ENOENT;
}

}  // namespace sim
