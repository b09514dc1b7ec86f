// virstor/check/model.h — the components the checker found, and the
// devices they form.
//
// A component is a source whose last sector starts with the virstor magic
// (as taste's strcmp sees it), decoded with the class's own codec. The
// kernel adds a tasted component to the geom of the same name and id, so a
// device here is the components of one (name, id); the ones taste ignores
// whatever their device (wrong version, wrong size) are found but belong
// to none, so that their device shows them as missing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <geom/virstor/g_virstor_md.h>

#include "virstor/check/findings.h"

namespace virstor_check {

struct component {
  size_t source = 0;  // index into check()'s sources
  std::string name;   // the source's name
  int64_t mediasize = 0;
  uint32_t sectorsize = 0;
  struct g_virstor_metadata md {};
  std::vector<unsigned char> sector;  // the raw metadata sector
  std::string device;                 // md_name up to its NUL (16 bytes at most)
  bool refused = false;               // taste ignores it: it joins no device

  // Byte offset of the metadata sector: the end of the usable space.
  int64_t metadata_offset() const { return mediasize - (int64_t)sectorsize; }
};

struct device {
  std::string name;
  uint32_t id = 0;
  std::vector<const component *> members;  // by number, then source order
  // Component number 0 if found, else the first member. Its md_count and
  // geometry are taken as the device's (the map lives on number 0).
  const component *reference = nullptr;

  uint16_t count() const { return reference->md.md_count; }
  uint32_t chunk_size() const { return reference->md.md_chunk_size; }
  // The first member with that number, or nullptr.
  const component *number(unsigned no) const;
  // Numbers below count() that no member has, ascending.
  std::vector<uint16_t> missing() const;
};

// Reads each source's last sector; sources without the magic are dropped.
// Read failures are findings. Source order is kept.
std::vector<component> read_components(const std::vector<component_source> &sources, sink &out);

// Groups the components taste accepts into devices, by name then id.
std::vector<device> group_devices(const std::vector<component> &components);

}  // namespace virstor_check
