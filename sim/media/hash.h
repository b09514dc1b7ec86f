// sim/media/hash.h — the content hash of the write log.
//
// FNV-1a, 64 bits: fixed, tiny and the same on every host, so a write log
// printed today compares byte for byte with one printed tomorrow. It is a
// fingerprint, not a cryptographic hash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sim {

constexpr uint64_t kFnv1aOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnv1aPrime = 0x100000001b3ull;

// Continues hash `h` over `len` bytes (start with kFnv1aOffset).
inline uint64_t fnv1a64(const void *data, size_t len, uint64_t h = kFnv1aOffset) {
  const unsigned char *p = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * kFnv1aPrime;
  return h;
}

// The hash of `len` zero bytes (what a BIO_DELETE leaves), without a buffer.
inline uint64_t fnv1a64_zeros(uint64_t len, uint64_t h = kFnv1aOffset) {
  for (uint64_t i = 0; i < len; i++) h = h * kFnv1aPrime;  // h ^ 0 == h
  return h;
}

}  // namespace sim
