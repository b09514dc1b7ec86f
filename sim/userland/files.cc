// The machine's files for userland. See sim/userland/files.h.
//
// Files are media of the machine (sim/media/media.h) reached the way the
// host would write a file: straight to the file's storage, outside the
// disks' write log and power model (a file is not a disk; md(4) vnode
// disks over a file do go through the media's request path).
#include "sim/userland/files.h"

#include <vector>

#include "kern/bsd_errno.h"
#include "sim/machine/machine.h"

namespace sim {

namespace {

std::shared_ptr<media> find(const std::string &path) {
  machine *m = machine::current();
  return m ? m->file(machine::normalize_path(path)) : nullptr;
}

// Files have a fixed-size store: growing or shrinking one copies what it
// holds into a new sparse file of the new size.
int resize(const std::string &path, const std::shared_ptr<media> &old, int64_t size) {
  machine *m = machine::current();
  std::string p = machine::normalize_path(path);
  if (!old->host_path().empty()) return kern::B_EFBIG;  // host images keep their size
  auto fresh = media::memory(size);
  int64_t keep = std::min<int64_t>(old->size(), fresh->size());
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
  m->remove_file(p);
  m->add_file(p, fresh);
  return 0;
}

}  // namespace

int file_size(const std::string &path, int64_t &size) {
  auto f = find(path);
  if (!f) return kern::B_ENOENT;
  size = f->size();
  return 0;
}

int file_truncate(const std::string &path, int64_t size) {
  machine *m = machine::current();
  if (m == nullptr) return kern::B_ENXIO;
  if (size < 0) return kern::B_EINVAL;
  // Sizes are kept in whole sectors of the file's store.
  size = (size + 511) / 512 * 512;
  auto f = find(path);
  if (!f) return m->create_file(machine::normalize_path(path), size) ? 0 : kern::B_EIO;
  if (f->size() == size) return 0;
  return resize(path, f, size);
}

int file_read(const std::string &path, void *buf, size_t len, int64_t off, size_t &done) {
  done = 0;
  auto f = find(path);
  if (!f) return kern::B_ENOENT;
  if (off >= f->size()) return 0;
  size_t n = (size_t)std::min<int64_t>((int64_t)len, f->size() - off);
  int e = f->host_read(off, buf, n);
  if (e == 0) done = n;
  return e;
}

int file_write(const std::string &path, const void *buf, size_t len, int64_t off, size_t &done) {
  done = 0;
  auto f = find(path);
  if (!f) return kern::B_ENOENT;
  if (off + (int64_t)len > f->size()) {
    int e = file_truncate(path, off + (int64_t)len);
    if (e != 0) return e;
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
