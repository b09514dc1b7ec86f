// virstor/check/virstor_check.h — an offline consistency checker for
// virstor, as thin_check is for dm-thin.
//
// check() reads what is on the components' disks — each one's metadata
// sector (its last sector) and the allocation map at the start of
// component number 0 — and reports every way in which the kernel's taste
// would refuse the device, or would bring it up and later lose data. No
// kernel is involved: the caller hands in the disks as read functions, so
// the same check runs on simulated disks, crash states and host images.
//
// Every finding names its rule: rules() lists them with their severity.
// An error is something the kernel's taste refuses, or that loses data
// sooner or later; a warning is wrong on disk but harmless to the kernel.
//
// Reads are whole sectors, at sector-aligned offsets: one for each
// component's metadata and one for the map (read once, up to several MiB).
// The report is deterministic: it depends on the disks' contents and the
// order of the sources, never on addresses or hash order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace virstor_check {

// One disk (or image) that may hold a virstor component.
struct component_source {
  std::string name;       // "ada0", "md1", or a host path
  int64_t mediasize = 0;  // bytes
  uint32_t sectorsize = 512;
  // Reads len bytes at off; returns 0 or an errno value (the caller's
  // numbering: FreeBSD's in the simulator), which the report quotes.
  std::function<int(int64_t off, void *buf, size_t len)> read;
};

enum class severity { error, warning };

struct rule_info {
  const char *id;    // "double-mapping"
  severity sev;
  const char *what;  // one line: what it finds
};
// Every rule the checker has, in the order of its passes.
const std::vector<rule_info> &rules();

struct finding {
  severity sev;
  std::string rule;       // a stable kebab-case id (see rules())
  std::string device;     // the virstor device name ("vs"), "" if none
  std::string component;  // source name, "" if about the device as a whole
  std::string message;    // one line for a human, no trailing newline
};

// One component of a device as found on disk.
struct component_summary {
  std::string source;           // the source's name
  uint16_t no = 0;              // its number in the device
  uint32_t chunk_count = 0;     // chunks it offers (metadata)
  uint32_t chunk_reserved = 0;  // the first chunks, kept for the map
  uint64_t allocated = 0;       // map entries that point into it
};

// A device: the components that share a name and an id.
struct device_summary {
  std::string name;
  uint32_t id = 0;
  uint16_t count = 0;           // components it should have (md_count)
  uint32_t chunk_size = 0;      // bytes
  uint64_t virtual_chunks = 0;  // md_virsize / chunk_size: map entries
  std::vector<component_summary> components;  // by number, then source order
  std::vector<uint16_t> missing;              // numbers below count with no component
  bool map_checked = false;
  std::string map_note;    // why the map was not checked, if it was not
  uint64_t allocated = 0;  // allocated map entries
};

struct report {
  std::vector<device_summary> devices;  // by name, then id
  std::vector<finding> findings;        // in a fixed, deterministic order
  int errors() const;
  int warnings() const;
};

// Sources without virstor metadata (magic "GEOM::VIRSTOR" in the last
// sector) are ignored.
report check(const std::vector<component_source> &sources);

// The report as text: one line per finding,
//   "error: RULE: device vs, component ada0: message"
// then, unless quiet, a few lines per device and a count of findings.
std::string format(const report &r, bool quiet);

}  // namespace virstor_check
