// sim/media/overlay_store.h — a store whose writes never reach the store
// under it.
//
// An overlay reads through to a base store and keeps every write in
// copy-on-write 4 KiB chunks of its own, so the base is never changed.
// geomsim explore builds each crash state's disks this way, over a disk
// image shared by every state (no state copies a whole disk), and runs a
// script over a host image file without writing the file (@image ... cow).
//
// The base is only read, and must not change while the overlay is used
// (explore changes its shared image only between states). Not thread safe
// by itself: media serialises calls, as for every store.
#pragma once

#include <map>
#include <memory>

#include "sim/media/store.h"

namespace sim {

class overlay_store final : public store {
 public:
  static constexpr size_t kChunk = 4096;

  // `size` may differ from the base's: bytes past the base read as zeros.
  overlay_store(std::shared_ptr<store> base, int64_t size);

  int64_t size() const override { return size_; }
  int read(int64_t off, void *buf, size_t len) override;
  int write(int64_t off, const void *buf, size_t len) override;
  int zero(int64_t off, size_t len) override;
  uint64_t allocated_bytes() const override { return chunks_.size() * kChunk; }
  int sync() override { return 0; }
  bool writable() const override { return true; }
  // Chunks written so far (each one a private copy).
  size_t chunks() const { return chunks_.size(); }
  const std::shared_ptr<store> &base() const { return base_; }

 private:
  // The chunk's private copy, made from the base on first use (left
  // uninitialised when the caller overwrites all of it: `whole`).
  unsigned char *own(int64_t chunk, bool whole, int *error);
  // Reads [off, off + len) of the base, zeros past its end.
  int read_base(int64_t off, unsigned char *out, size_t len);
  // Writes `len` bytes at `off` (data == nullptr: zeros).
  int put(int64_t off, const unsigned char *data, size_t len);

  std::shared_ptr<store> base_;
  int64_t size_;
  std::map<int64_t, std::unique_ptr<unsigned char[]>> chunks_;
};

}  // namespace sim
