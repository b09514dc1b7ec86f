// Sparse memory store. See sim/media/store.h.
#include <cstring>

#include "kern/bsd_errno.h"
#include "sim/media/store.h"

namespace sim {

namespace {
bool all_zero(const unsigned char *p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != 0) return false;
  }
  for (; i < n; i++)
    if (p[i] != 0) return false;
  return true;
}
}  // namespace

int sparse_store::read(int64_t off, void *buf, size_t len) {
  unsigned char *out = static_cast<unsigned char *>(buf);
  // Zero-fill first, then copy the chunks that exist: a read of a huge
  // unwritten range walks the map, not every chunk.
  std::memset(out, 0, len);
  const int64_t first = off / (int64_t)kChunk;
  const int64_t end = off + (int64_t)len;
  for (auto it = chunks_.lower_bound(first); it != chunks_.end(); ++it) {
    const int64_t cbase = it->first * (int64_t)kChunk;
    if (cbase >= end) break;
    const int64_t from = std::max(cbase, off);
    const int64_t to = std::min(cbase + (int64_t)kChunk, end);
    std::memcpy(out + (from - off), it->second.get() + (from - cbase), (size_t)(to - from));
  }
  return 0;
}

void sparse_store::put(int64_t chunk, size_t at, const unsigned char *data, size_t len) {
  const bool zero_data = data == nullptr || all_zero(data, len);
  auto it = chunks_.find(chunk);
  if (it == chunks_.end()) {
    if (zero_data) return;  // stays a hole
    auto mem = std::make_unique<unsigned char[]>(kChunk);
    std::memset(mem.get(), 0, kChunk);
    it = chunks_.emplace(chunk, std::move(mem)).first;
  }
  unsigned char *c = it->second.get();
  if (data != nullptr) std::memcpy(c + at, data, len);
  else std::memset(c + at, 0, len);
  // Only zeros written can make the chunk a hole again.
  if (zero_data && all_zero(c, kChunk)) chunks_.erase(it);
}

int sparse_store::write(int64_t off, const void *buf, size_t len) {
  const unsigned char *in = static_cast<const unsigned char *>(buf);
  size_t done = 0;
  while (done < len) {
    const int64_t pos = off + (int64_t)done;
    const int64_t chunk = pos / (int64_t)kChunk;
    const size_t at = (size_t)(pos % (int64_t)kChunk);
    const size_t n = std::min(len - done, kChunk - at);
    put(chunk, at, in + done, n);
    done += n;
  }
  return 0;
}

int sparse_store::zero(int64_t off, size_t len) {
  const int64_t end = off + (int64_t)len;
  // Only existing chunks can hold non-zero data.
  auto it = chunks_.lower_bound(off / (int64_t)kChunk);
  while (it != chunks_.end()) {
    const int64_t cbase = it->first * (int64_t)kChunk;
    if (cbase >= end) break;
    const int64_t from = std::max(cbase, off);
    const int64_t to = std::min(cbase + (int64_t)kChunk, end);
    unsigned char *c = it->second.get();
    std::memset(c + (from - cbase), 0, (size_t)(to - from));
    if (all_zero(c, kChunk)) it = chunks_.erase(it);
    else ++it;
  }
  return 0;
}

}  // namespace sim
