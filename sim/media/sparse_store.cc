// Sparse memory store. See sim/media/store.h.
#include <algorithm>
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
  const int64_t end = off + (int64_t)len;
  const int64_t first = off / (int64_t)kChunk;
  const int64_t last = (end - 1) / (int64_t)kChunk;
  // Zero-fill what no chunk covers; copy the chunks that exist. A read of
  // a huge unwritten range walks the groups, not every chunk.
  int64_t filled = off;  // bytes before this are written to `out`
  for (auto it = groups_.lower_bound(first / (int64_t)kGroup); it != groups_.end(); ++it) {
    const int64_t gfirst = it->first * (int64_t)kGroup;
    if (gfirst > last) break;
    const group &g = *it->second;
    const int64_t lo = std::max(first, gfirst);
    const int64_t hi = std::min(last, gfirst + (int64_t)kGroup - 1);
    for (int64_t c = lo; c <= hi; c++) {
      const unsigned char *data = g.chunk[c - gfirst].get();
      if (data == nullptr) continue;
      const int64_t cbase = c * (int64_t)kChunk;
      const int64_t from = std::max(cbase, off);
      const int64_t to = std::min(cbase + (int64_t)kChunk, end);
      if (from > filled) std::memset(out + (filled - off), 0, (size_t)(from - filled));
      std::memcpy(out + (from - off), data + (from - cbase), (size_t)(to - from));
      filled = to;
    }
  }
  if (end > filled) std::memset(out + (filled - off), 0, (size_t)(end - filled));
  return 0;
}

bool sparse_store::drop_if_zero(std::map<int64_t, std::unique_ptr<group>>::iterator it,
                                size_t i) {
  group &g = *it->second;
  if (g.chunk[i] == nullptr || !all_zero(g.chunk[i].get(), kChunk)) return false;
  g.chunk[i].reset();
  g.count--;
  chunks_--;
  if (g.count != 0) return false;
  groups_.erase(it);
  return true;
}

void sparse_store::put(int64_t chunk, size_t at, const unsigned char *data, size_t len) {
  const bool zero_data = data == nullptr || all_zero(data, len);
  const int64_t gi = chunk / (int64_t)kGroup;
  const size_t i = (size_t)(chunk % (int64_t)kGroup);
  auto it = groups_.find(gi);
  if (it == groups_.end() || it->second->chunk[i] == nullptr) {
    if (zero_data) return;  // stays a hole
    if (it == groups_.end()) it = groups_.emplace(gi, std::make_unique<group>()).first;
    // Zeroed only where this write does not cover it.
    std::unique_ptr<unsigned char[]> mem(new unsigned char[kChunk]);
    std::memset(mem.get(), 0, at);
    std::memset(mem.get() + at + len, 0, kChunk - at - len);
    it->second->chunk[i] = std::move(mem);
    it->second->count++;
    chunks_++;
  }
  unsigned char *c = it->second->chunk[i].get();
  if (data != nullptr) std::memcpy(c + at, data, len);
  else std::memset(c + at, 0, len);
  // Only zeros written can make the chunk a hole again.
  if (zero_data) drop_if_zero(it, i);
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
  if (len == 0) return 0;
  const int64_t end = off + (int64_t)len;
  const int64_t first = off / (int64_t)kChunk;
  const int64_t last = (end - 1) / (int64_t)kChunk;
  // Only existing chunks can hold non-zero data.
  auto it = groups_.lower_bound(first / (int64_t)kGroup);
  while (it != groups_.end()) {
    const int64_t gfirst = it->first * (int64_t)kGroup;
    if (gfirst > last) break;
    const int64_t lo = std::max(first, gfirst);
    const int64_t hi = std::min(last, gfirst + (int64_t)kGroup - 1);
    auto next = std::next(it);
    for (int64_t c = lo; c <= hi; c++) {
      unsigned char *data = it->second->chunk[c - gfirst].get();
      if (data == nullptr) continue;
      const int64_t cbase = c * (int64_t)kChunk;
      const int64_t from = std::max(cbase, off);
      const int64_t to = std::min(cbase + (int64_t)kChunk, end);
      std::memset(data + (from - cbase), 0, (size_t)(to - from));
      if (drop_if_zero(it, (size_t)(c - gfirst))) break;  // the group is gone
    }
    it = next;
  }
  return 0;
}

bool sparse_store::resize(int64_t size) {
  // What lies past a smaller size is gone: it must read as zeros if the
  // store grows again.
  if (size < size_ && zero(size, (size_t)(size_ - size)) != 0) return false;
  size_ = size;
  return true;
}

}  // namespace sim
