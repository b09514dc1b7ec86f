// Raw image files on the host. See sim/media/store.h.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "kern/bsd_errno.h"
#include "sim/media/store.h"

namespace sim {

namespace {
std::string host_error(const char *what, const std::string &path, int e) {
  return std::string(what) + " '" + path + "': " + std::strerror(e);
}
}  // namespace

std::unique_ptr<image_file_store> image_file_store::open(const std::string &path, bool read_only,
                                                         std::string *error) {
  // No O_CREAT, no O_TRUNC: opening an image never changes the file.
  int fd = ::open(path.c_str(), (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = host_error("cannot open image file", path, errno);
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    if (error) *error = host_error("cannot stat image file", path, errno);
    ::close(fd);
    return nullptr;
  }
  if (!S_ISREG(st.st_mode)) {
    if (error) *error = "image file '" + path + "' is not a regular file";
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<image_file_store>(
      new image_file_store(path, fd, (int64_t)st.st_size, read_only));
}

std::unique_ptr<image_file_store> image_file_store::create(const std::string &path, int64_t size,
                                                           std::string *error) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (error) *error = host_error("cannot create image file", path, errno);
    return nullptr;
  }
  // The file is new (O_EXCL): sizing it cannot destroy anyone's data.
  if (ftruncate(fd, (off_t)size) != 0) {
    if (error) *error = host_error("cannot size image file", path, errno);
    ::close(fd);
    ::unlink(path.c_str());
    return nullptr;
  }
  return std::unique_ptr<image_file_store>(new image_file_store(path, fd, size, false));
}

image_file_store::~image_file_store() {
  if (fd_ >= 0) ::close(fd_);
}

int image_file_store::read(int64_t off, void *buf, size_t len) {
  char *p = static_cast<char *>(buf);
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pread(fd_, p + done, len - done, (off_t)(off + (int64_t)done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return kern::B_EIO;
    }
    if (n == 0) {  // the file shrank behind our back: read zeros
      std::memset(p + done, 0, len - done);
      break;
    }
    done += (size_t)n;
  }
  return 0;
}

int image_file_store::write(int64_t off, const void *buf, size_t len) {
  if (read_only_) return kern::B_EROFS;
  const char *p = static_cast<const char *>(buf);
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pwrite(fd_, p + done, len - done, (off_t)(off + (int64_t)done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == ENOSPC ? kern::B_ENOSPC : kern::B_EIO;
    }
    done += (size_t)n;
  }
  return 0;
}

int image_file_store::zero(int64_t off, size_t len) {
  if (read_only_) return kern::B_EROFS;
  // Plain zero writes: portable, and the file keeps its exact size.
  static const std::vector<char> zeros(64 * 1024, 0);
  size_t done = 0;
  while (done < len) {
    size_t n = std::min(len - done, zeros.size());
    int e = write(off + (int64_t)done, zeros.data(), n);
    if (e != 0) return e;
    done += n;
  }
  return 0;
}

int image_file_store::sync() {
  if (read_only_) return 0;
  return ::fsync(fd_) == 0 ? 0 : kern::B_EIO;
}

}  // namespace sim
