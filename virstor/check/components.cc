// Finding the components: each source's metadata sector, decoded.
#include <cstring>

#include "virstor/check/model.h"

namespace virstor_check {

namespace {

// Taste compares md_magic with strcmp: the magic and its NUL must match.
bool has_magic(const std::vector<unsigned char> &sector) {
  return std::memcmp(sector.data(), G_VIRSTOR_MAGIC, sizeof(G_VIRSTOR_MAGIC)) == 0;
}

// Too small to hold a metadata sector at all: not a component.
bool can_hold_metadata(const component_source &s) {
  return s.sectorsize >= G_VIRSTOR_MD_ENCODED_SIZE && s.mediasize >= (int64_t)s.sectorsize;
}

// The last sector, or an empty vector after a read error (reported).
std::vector<unsigned char> read_last_sector(const component_source &s, sink &out) {
  std::vector<unsigned char> sector(s.sectorsize);
  int64_t off = s.mediasize - (int64_t)s.sectorsize;
  int error = s.read ? s.read(off, sector.data(), sector.size()) : 0;
  if (error == 0) return sector;
  out.add("read-error", "", s.name,
          text("cannot read the metadata sector at offset %jd: error %d", (intmax_t)off, error));
  return {};
}

component decode(const component_source &s, size_t index, std::vector<unsigned char> sector) {
  component c;
  c.source = index;
  c.name = s.name;
  c.mediasize = s.mediasize;
  c.sectorsize = s.sectorsize;
  c.sector = std::move(sector);
  virstor_metadata_decode(c.sector.data(), &c.md);
  c.device.assign(c.md.md_name, strnlen(c.md.md_name, sizeof(c.md.md_name)));
  return c;
}

}  // namespace

std::vector<component> read_components(const std::vector<component_source> &sources, sink &out) {
  std::vector<component> found;
  for (size_t i = 0; i < sources.size(); i++) {
    if (!can_hold_metadata(sources[i])) continue;
    std::vector<unsigned char> sector = read_last_sector(sources[i], out);
    if (sector.empty() || !has_magic(sector)) continue;
    found.push_back(decode(sources[i], i, std::move(sector)));
  }
  return found;
}

}  // namespace virstor_check
