// Copy-on-write overlay over a read-only store. See sim/media/overlay_store.h.
#include "sim/media/overlay_store.h"

#include <algorithm>
#include <cstring>

namespace sim {

overlay_store::overlay_store(std::shared_ptr<store> base, int64_t size)
    : base_(std::move(base)), size_(size) {}

int overlay_store::read_base(int64_t off, unsigned char *out, size_t len) {
  const int64_t have = base_ == nullptr ? 0 : base_->size();
  const size_t from_base = off >= have ? 0 : (size_t)std::min<int64_t>((int64_t)len, have - off);
  if (from_base > 0) {
    int e = base_->read(off, out, from_base);
    if (e != 0) return e;
  }
  std::memset(out + from_base, 0, len - from_base);
  return 0;
}

int overlay_store::read(int64_t off, void *buf, size_t len) {
  unsigned char *out = static_cast<unsigned char *>(buf);
  const int64_t end = off + (int64_t)len;
  // The base fills the gaps between private chunks, one call per gap.
  int64_t done = off;
  for (auto it = chunks_.lower_bound(off / (int64_t)kChunk); it != chunks_.end(); ++it) {
    const int64_t cbase = it->first * (int64_t)kChunk;
    if (cbase >= end) break;
    const int64_t from = std::max(cbase, off), to = std::min(cbase + (int64_t)kChunk, end);
    if (from > done) {
      int e = read_base(done, out + (done - off), (size_t)(from - done));
      if (e != 0) return e;
    }
    std::memcpy(out + (from - off), it->second.get() + (from - cbase), (size_t)(to - from));
    done = to;
  }
  return done < end ? read_base(done, out + (done - off), (size_t)(end - done)) : 0;
}

unsigned char *overlay_store::own(int64_t chunk, bool whole, int *error) {
  auto it = chunks_.find(chunk);
  if (it != chunks_.end()) return it->second.get();
  std::unique_ptr<unsigned char[]> mem(new unsigned char[kChunk]);
  // A write that covers the whole chunk needs nothing of the base.
  if (!whole) *error = read_base(chunk * (int64_t)kChunk, mem.get(), kChunk);
  if (*error != 0) return nullptr;
  return chunks_.emplace(chunk, std::move(mem)).first->second.get();
}

int overlay_store::put(int64_t off, const unsigned char *data, size_t len) {
  size_t done = 0;
  while (done < len) {
    const int64_t pos = off + (int64_t)done;
    const size_t at = (size_t)(pos % (int64_t)kChunk);
    const size_t n = std::min(len - done, kChunk - at);
    int error = 0;
    unsigned char *c = own(pos / (int64_t)kChunk, n == kChunk, &error);
    if (c == nullptr) return error;
    if (data != nullptr) std::memcpy(c + at, data + done, n);
    else std::memset(c + at, 0, n);
    done += n;
  }
  return 0;
}

int overlay_store::write(int64_t off, const void *buf, size_t len) {
  return put(off, static_cast<const unsigned char *>(buf), len);
}

int overlay_store::zero(int64_t off, size_t len) { return put(off, nullptr, len); }

}  // namespace sim
