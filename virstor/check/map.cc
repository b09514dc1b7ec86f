// The map: where it lies on component 0, reading it, decoding entries.
#include <limits>

#include "virstor/check/passes.h"

namespace virstor_check {

namespace {

// Larger maps are not read: the checker keeps the whole map in memory.
// (2 TiB of 128 KiB chunks, label's limits, make a 128 MiB map.)
constexpr uint64_t kMaxMapBytes = 256ull << 20;

uint64_t le(const unsigned char *p, int len) {
  uint64_t v = 0;
  for (int i = 0; i < len; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

// What the kernel computes: virsize / chunk_size entries of 8 bytes
// (saturated: a damaged virsize must not wrap around).
uint64_t map_bytes(const component &home) {
  uint64_t entries = home.md.md_virsize / home.md.md_chunk_size;
  if (entries > std::numeric_limits<uint64_t>::max() / kMapEntrySize)
    return std::numeric_limits<uint64_t>::max();
  return entries * kMapEntrySize;
}

void check_over_metadata(const component &home, uint64_t bytes, sink &out) {
  if (bytes <= (uint64_t)home.metadata_offset()) return;
  out.add("map-over-metadata", home.device, home.name,
          text("the map (%ju bytes) reaches the metadata sector at %jd: each overwrites the "
               "other", (uintmax_t)bytes, (intmax_t)home.metadata_offset()));
}

void check_inside_reserved(const component &home, uint64_t bytes, sink &out) {
  uint64_t reserved = (uint64_t)home.md.chunk_reserved * home.md.md_chunk_size;
  if (bytes <= reserved) return;
  out.add("map-outside-reserved", home.device, home.name,
          text("the map (%ju bytes) is larger than the %u reserved chunks (%ju bytes): data "
               "chunks overwrite it", (uintmax_t)bytes, home.md.chunk_reserved,
               (uintmax_t)reserved));
}

// The kernel reads whole sectors only and leaves the rest of its
// malloc'd map as it was.
void check_aligned(const component &home, uint64_t bytes, sink &out) {
  if (bytes % home.sectorsize == 0) return;
  out.add("map-unaligned", home.device, home.name,
          text("the map (%ju bytes) is not whole %u-byte sectors: the kernel never reads its "
               "last entries and checks uninitialised memory instead", (uintmax_t)bytes,
               home.sectorsize));
}

// Why the map cannot be read as it is, or "".
std::string unreadable(const component &home) {
  if (home.md.md_chunk_size == 0) return "the chunk size is 0";
  if (home.md.md_virsize / home.md.md_chunk_size == 0) return "the device has no virtual chunk";
  return "";
}

// `bytes` rounded up to whole sectors: what is read.
uint64_t whole_sectors(const component &home, uint64_t bytes) {
  return (bytes / home.sectorsize + (bytes % home.sectorsize != 0)) * home.sectorsize;
}

// Why the map is not read, or "" (reporting map-too-large).
std::string not_read(const component &home, uint64_t bytes, sink &out) {
  if (bytes > kMaxMapBytes) {
    out.add("map-too-large", home.device, home.name,
            text("the map has %ju bytes, more than the checker reads (%ju): not checked",
                 (uintmax_t)bytes, (uintmax_t)kMaxMapBytes));
    return "the map is too large";
  }
  if (whole_sectors(home, bytes) > (uint64_t)home.mediasize)
    return "the map runs past the end of " + home.name;
  return "";
}

// The map's sectors, or an empty vector after a read error (reported).
std::vector<unsigned char> read_sectors(const component &home, const component_source &src,
                                        uint64_t bytes, sink &out) {
  std::vector<unsigned char> buf(whole_sectors(home, bytes));
  int error = src.read ? src.read(0, buf.data(), buf.size()) : 0;
  if (error == 0) return buf;
  out.add("read-error", home.device, home.name,
          text("cannot read the map (%zu bytes at offset 0): error %d", buf.size(), error));
  return {};
}

}  // namespace

map_entry allocation_map::at(uint64_t virtual_chunk) const {
  const unsigned char *p = bytes_.data() + virtual_chunk * kMapEntrySize;
  return {(uint16_t)le(p, 2), (uint16_t)le(p + 2, 2), (uint32_t)le(p + 4, 4)};
}

std::optional<allocation_map> load_map(const device &d,
                                       const std::vector<component_source> &sources, sink &out,
                                       std::string &why) {
  const component *home = d.number(0);
  why = home ? unreadable(*home) : "component 0 is missing";
  if (!why.empty()) return std::nullopt;
  uint64_t bytes = map_bytes(*home);
  check_over_metadata(*home, bytes, out);
  check_inside_reserved(*home, bytes, out);
  check_aligned(*home, bytes, out);
  if (!(why = not_read(*home, bytes, out)).empty()) return std::nullopt;
  std::vector<unsigned char> buf = read_sectors(*home, sources[home->source], bytes, out);
  if (buf.empty()) {
    why = home->name + " cannot be read";
    return std::nullopt;
  }
  return allocation_map(std::move(buf), bytes / kMapEntrySize);
}

}  // namespace virstor_check
