// sim/media/store.h — where a media's bytes live.
//
// A store is byte-addressed and dumb: no cache, no power, no log (that is
// media's job). Two kinds exist:
//  * sparse memory: only chunks that hold non-zero data use memory, so a
//    2 TiB disk with a label and a few writes costs kilobytes;
//  * a raw image file on the host: reads and writes go to the file at the
//    same offsets, so an image labelled on FreeBSD can be used here and an
//    image written here can be used on FreeBSD.
// Methods return 0 or a FreeBSD errno (a host I/O failure is EIO). Callers
// (media) keep requests inside [0, size) and serialise them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace sim {

class store {
 public:
  virtual ~store() = default;
  virtual int64_t size() const = 0;
  virtual int read(int64_t off, void *buf, size_t len) = 0;
  virtual int write(int64_t off, const void *buf, size_t len) = 0;
  // Makes the range read back as zeros.
  virtual int zero(int64_t off, size_t len) = 0;
  // Host memory holding data (memory stores), 0 for files.
  virtual uint64_t allocated_bytes() const = 0;
  // Makes written data durable on the host (fsync); no-op in memory.
  virtual int sync() = 0;
  virtual bool writable() const = 0;
  // Sets the size (memory stores); false if this store cannot change it.
  virtual bool resize(int64_t size) {
    (void)size;
    return false;
  }
};

class sparse_store final : public store {
 public:
  static constexpr size_t kChunk = 4096;
  // Chunks are kept in groups of kGroup (1 MiB of address space): a
  // lookup is one step in an ordered map of groups, then an index.
  static constexpr size_t kGroup = 256;

  explicit sparse_store(int64_t size) : size_(size) {}
  int64_t size() const override { return size_; }
  int read(int64_t off, void *buf, size_t len) override;
  int write(int64_t off, const void *buf, size_t len) override;
  int zero(int64_t off, size_t len) override;
  uint64_t allocated_bytes() const override { return chunks_ * kChunk; }
  int sync() override { return 0; }
  bool writable() const override { return true; }
  bool resize(int64_t size) override;
  size_t chunks() const { return chunks_; }

 private:
  struct group {
    std::unique_ptr<unsigned char[]> chunk[kGroup];
    size_t count = 0;  // chunks present
  };
  // Writes `len` bytes at `off` (data == nullptr: zeros) inside one chunk.
  void put(int64_t chunk, size_t at, const unsigned char *data, size_t len);
  // Drops chunk `i` of group `it` if it holds only zeros, and the group
  // if it is then empty (returns true: `it` is then invalid).
  bool drop_if_zero(std::map<int64_t, std::unique_ptr<group>>::iterator it, size_t i);

  int64_t size_;
  // Group index -> group. Ordered so that walking it is deterministic and
  // a read of a huge unwritten range skips holes; an all-zero chunk is
  // dropped, and so is an empty group.
  std::map<int64_t, std::unique_ptr<group>> groups_;
  size_t chunks_ = 0;
};

class image_file_store final : public store {
 public:
  // Opens an existing host file (never truncated, never created); its
  // size is the file's. nullptr and a message (naming the file and the
  // host's reason) if it cannot be opened.
  static std::unique_ptr<image_file_store> open(const std::string &path, bool read_only,
                                                std::string *error);
  // Creates a new host file of `size` bytes (sparse); fails if it exists,
  // so an existing file is never overwritten by accident.
  static std::unique_ptr<image_file_store> create(const std::string &path, int64_t size,
                                                  std::string *error);
  ~image_file_store() override;

  int64_t size() const override { return size_; }
  int read(int64_t off, void *buf, size_t len) override;
  int write(int64_t off, const void *buf, size_t len) override;
  int zero(int64_t off, size_t len) override;
  uint64_t allocated_bytes() const override { return 0; }
  int sync() override;
  bool writable() const override { return !read_only_; }
  const std::string &path() const { return path_; }

 private:
  image_file_store(std::string path, int fd, int64_t size, bool read_only)
      : path_(std::move(path)), fd_(fd), size_(size), read_only_(read_only) {}

  std::string path_;
  int fd_;
  int64_t size_;
  bool read_only_;
};

}  // namespace sim
