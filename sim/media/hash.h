// sim/media/hash.h — the content hash of the write log and the oracle.
//
// A fixed 64-bit fingerprint (not cryptographic), the same on every host,
// so a write log printed today compares byte for byte with one printed
// tomorrow. It reads the data eight bytes at a time (as little-endian
// words), in four independent lanes of 32-byte blocks, because every
// write a disk completes is hashed: byte-at-a-time FNV-1a cost more than
// the rest of the I/O path together, and one serial chain of multiplies
// still cost a tenth of a 4 KiB write.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sim {

namespace hash_detail {
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
inline uint64_t load_le64(const unsigned char *p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}
inline uint64_t finish(uint64_t h, uint64_t len) {
  // splitmix64's finaliser: every input bit reaches every output bit.
  h ^= len;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}
constexpr uint64_t kSeed = 0xcbf29ce484222325ull;
constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
}  // namespace hash_detail

// The fingerprint of `len` bytes: 32-byte blocks go to four lanes (word j
// of a block to lane j), the remaining whole words and bytes to lane 0;
// the lanes are then folded in order and finished with the length.
inline uint64_t content_hash(const void *data, size_t len) {
  using namespace hash_detail;
  const unsigned char *p = static_cast<const unsigned char *>(data);
  uint64_t h0 = kSeed, h1 = kSeed + kMul, h2 = kSeed + 2 * kMul, h3 = kSeed + 3 * kMul;
  size_t i = 0;
  for (; i + 32 <= len; i += 32) {
    h0 = (rotl(h0, 29) ^ load_le64(p + i)) * kMul;
    h1 = (rotl(h1, 29) ^ load_le64(p + i + 8)) * kMul;
    h2 = (rotl(h2, 29) ^ load_le64(p + i + 16)) * kMul;
    h3 = (rotl(h3, 29) ^ load_le64(p + i + 24)) * kMul;
  }
  for (; i + 8 <= len; i += 8) h0 = (rotl(h0, 29) ^ load_le64(p + i)) * kMul;
  for (; i < len; i++) h0 = (rotl(h0, 29) ^ p[i]) * kMul;
  uint64_t h = h0;
  h = (rotl(h, 29) ^ h1) * kMul;
  h = (rotl(h, 29) ^ h2) * kMul;
  h = (rotl(h, 29) ^ h3) * kMul;
  return finish(h, len);
}

// The fingerprint of `len` zero bytes (what a BIO_DELETE leaves): the
// same steps as content_hash with every word zero.
inline uint64_t content_hash_zeros(uint64_t len) {
  using namespace hash_detail;
  uint64_t h0 = kSeed, h1 = kSeed + kMul, h2 = kSeed + 2 * kMul, h3 = kSeed + 3 * kMul;
  for (uint64_t b = 0; b < len / 32; b++) {
    h0 = rotl(h0, 29) * kMul;
    h1 = rotl(h1, 29) * kMul;
    h2 = rotl(h2, 29) * kMul;
    h3 = rotl(h3, 29) * kMul;
  }
  for (uint64_t i = 0; i < (len % 32) / 8 + len % 8; i++) h0 = rotl(h0, 29) * kMul;
  uint64_t h = h0;
  h = (rotl(h, 29) ^ h1) * kMul;
  h = (rotl(h, 29) ^ h2) * kMul;
  h = (rotl(h, 29) ^ h3) * kMul;
  return finish(h, len);
}

}  // namespace sim
