// kern/prng.h — the simulator's random numbers.
//
// Every random choice the simulator makes (which thread runs next, whether a
// gnop request fails, which unflushed write survives a power cut, the id
// `gvirstor label` writes) comes from a prng seeded from the user's seed.
// The algorithm (xoshiro256** seeded by splitmix64) and the mapping to ranges
// are fixed here, not taken from <random>, whose distributions differ between
// standard libraries: a seed must replay the same on every machine.
//
// Independent consumers get independent streams (prng::stream), so that one
// more scheduling decision does not change which gnop request fails.
#pragma once

#include <cstdint>
#include <string_view>

namespace kern {

class prng {
 public:
  explicit prng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto &w : s_) w = splitmix64(x);
  }

  // A generator for the named purpose, derived from `seed` alone.
  static prng stream(uint64_t seed, std::string_view purpose) {
    uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a of the purpose
    for (unsigned char c : purpose) h = (h ^ c) * 0x100000001b3ull;
    return prng(seed ^ h);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Lemire's multiply-shift with rejection, so
  // the result does not depend on the platform's integer widths.
  uint64_t below(uint64_t n) {
    unsigned __int128 m = (unsigned __int128)next() * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
      const uint64_t threshold = (0 - n) % n;
      while (lo < threshold) {
        m = (unsigned __int128)next() * n;
        lo = (uint64_t)m;
      }
    }
    return (uint64_t)(m >> 64);
  }

  uint32_t next32() { return (uint32_t)(next() >> 32); }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t &x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

}  // namespace kern
