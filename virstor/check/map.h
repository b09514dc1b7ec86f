// virstor/check/map.h — the allocation map as read from component 0.
//
// One 8-byte entry per virtual chunk, from byte 0 of component number 0,
// in the kernel's in-memory layout on a little-endian host: flags (u16,
// bit 0 = allocated), provider_no (u16), provider_chunk (u32). The map is
// kept as the bytes read (one copy, which may be several MiB) and decoded
// entry by entry.
#pragma once

#include <cstdint>
#include <vector>

namespace virstor_check {

constexpr uint16_t kMapAllocated = 1;  // VIRSTOR_MAP_ALLOCATED
constexpr uint64_t kMapEntrySize = 8;

struct map_entry {
  uint16_t flags = 0;
  uint16_t provider_no = 0;
  uint32_t provider_chunk = 0;

  bool allocated() const { return (flags & kMapAllocated) != 0; }
};

class allocation_map {
 public:
  // `bytes` holds at least entries * kMapEntrySize bytes.
  allocation_map(std::vector<unsigned char> bytes, uint64_t entries)
      : bytes_(std::move(bytes)), entries_(entries) {}

  uint64_t size() const { return entries_; }
  map_entry at(uint64_t virtual_chunk) const;

 private:
  std::vector<unsigned char> bytes_;
  uint64_t entries_;
};

}  // namespace virstor_check
