// The offline checker on images in memory. `labelled` is a freshly
// labelled two-component device, laid out as gvirstor label writes it
// (virstor-on-disk-format.md): two 4 MiB disks, 64 KiB chunks, 128
// virtual chunks (a 1 KiB map at the start of ada0, 2 chunks reserved).
// Each test breaks one thing and looks for the rule that names it, and
// for no other.
#define BOOST_TEST_MODULE virstor_check
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <geom/virstor/g_virstor_md.h>

#include "virstor/check/virstor_check.h"

namespace vc = virstor_check;

namespace {

constexpr int64_t kDiskSize = 4 << 20;
constexpr uint32_t kChunk = 64 << 10;
constexpr uint64_t kVirtualChunks = 128;
constexpr uint32_t kChunksPerDisk = 63;  // the 64th would cover the metadata
constexpr uint32_t kId = 0x12345678;
constexpr int kEIO = 5;

using rule_set = std::set<std::string>;

struct disk {
  std::string name;
  uint32_t sectorsize = 512;
  std::vector<unsigned char> bytes = std::vector<unsigned char>(kDiskSize);
  struct g_virstor_metadata md {};
  int64_t bad_offset = -1;  // a read that covers it fails with EIO

  unsigned char *last_sector() { return bytes.data() + bytes.size() - sectorsize; }

  int read(int64_t off, void *buf, size_t len) const {
    if (off < 0 || off + (int64_t)len > (int64_t)bytes.size()) return kEIO;
    if (bad_offset >= off && bad_offset < off + (int64_t)len) return kEIO;
    std::memcpy(buf, bytes.data() + off, len);
    return 0;
  }
};

struct g_virstor_metadata label_metadata(const char *name, uint16_t no) {
  struct g_virstor_metadata md;
  std::memset(&md, 0, sizeof md);
  std::strncpy(md.md_magic, G_VIRSTOR_MAGIC, sizeof md.md_magic);
  md.md_version = G_VIRSTOR_VERSION;
  std::strncpy(md.md_name, name, sizeof md.md_name);
  md.md_id = kId;
  md.md_virsize = kVirtualChunks * kChunk;
  md.md_chunk_size = kChunk;
  md.md_count = 2;
  md.no = no;
  md.provsize = kDiskSize;
  md.chunk_count = kChunksPerDisk;
  return md;
}

struct labelled {
  std::vector<disk> disks;

  labelled() {
    for (uint16_t no = 0; no < 2; no++) add_disk(label_metadata("vs", no));
    disks[0].md.chunk_reserved = 2;  // 2 * ceil(1 KiB map / 64 KiB chunk)
    disks[0].md.chunk_next = 2;
    disks[0].md.flags = VIRSTOR_PROVIDER_ALLOCATED | VIRSTOR_PROVIDER_CURRENT;
    for (disk &d : disks) virstor_metadata_encode_sector(&d.md, d.last_sector(), d.sectorsize);
  }

  void add_disk(const struct g_virstor_metadata &md) {
    disks.push_back({});
    disks.back().name = "ada" + std::to_string(disks.size() - 1);
    disks.back().md = md;
    virstor_metadata_encode_sector(&disks.back().md, disks.back().last_sector(), 512);
  }

  // Writes the metadata as the kernel does: the 92 encoded bytes only,
  // over what the sector holds.
  void store() {
    for (disk &d : disks) virstor_metadata_encode(&d.md, d.last_sector());
  }

  // A map entry, little-endian at the start of ada0.
  void entry(uint64_t v, uint16_t flags, uint16_t no, uint32_t chunk) {
    unsigned char *p = disks[0].bytes.data() + v * 8;
    uint64_t raw = flags | (uint64_t)no << 16 | (uint64_t)chunk << 32;
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(raw >> (8 * i));
  }

  // What a write to virtual chunk v does: the next chunk of component
  // `no`, and the metadata's chunk_next and flags as a clean close leaves them.
  void allocate(uint64_t v, uint16_t no) {
    struct g_virstor_metadata &md = disks[no].md;
    entry(v, 1, no, md.chunk_next++);
    md.flags |= VIRSTOR_PROVIDER_ALLOCATED;
  }

  std::vector<vc::component_source> sources() const {
    std::vector<vc::component_source> list;
    for (const disk &d : disks) {
      const disk *p = &d;
      list.push_back({d.name, (int64_t)d.bytes.size(), d.sectorsize,
                      [p](int64_t off, void *buf, size_t len) { return p->read(off, buf, len); }});
    }
    return list;
  }

  vc::report check() {
    store();
    return vc::check(sources());
  }
};

rule_set fired(const vc::report &r) {
  rule_set s;
  for (const vc::finding &f : r.findings) s.insert(f.rule);
  return s;
}

std::vector<vc::finding> of_rule(const vc::report &r, const std::string &rule) {
  std::vector<vc::finding> list;
  for (const vc::finding &f : r.findings)
    if (f.rule == rule) list.push_back(f);
  return list;
}

bool mentions(const vc::finding &f, const std::string &s) {
  return f.message.find(s) != std::string::npos;
}

// The report, printed when a test fails.
std::string shown(const vc::report &r) { return vc::format(r, false); }

}  // namespace

// --- clean images -------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_fresh_label_has_no_finding) {
  labelled l;
  vc::report r = l.check();
  BOOST_TEST(r.findings.empty(), shown(r));
  BOOST_REQUIRE(r.devices.size() == 1u);
  const vc::device_summary &d = r.devices[0];
  BOOST_TEST(d.name == "vs");
  BOOST_TEST(d.id == kId);
  BOOST_TEST(d.count == 2u);
  BOOST_TEST(d.chunk_size == kChunk);
  BOOST_TEST(d.virtual_chunks == kVirtualChunks);
  BOOST_TEST(d.map_checked);
  BOOST_TEST(d.components.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_device_in_use_on_both_components_has_no_finding) {
  labelled l;
  for (uint64_t v = 0; v < 61; v++) l.allocate(v * 2, 0);  // fills ada0: chunks 2..62
  l.disks[0].md.flags = VIRSTOR_PROVIDER_ALLOCATED;
  l.disks[1].md.flags = VIRSTOR_PROVIDER_CURRENT;
  l.allocate(1, 1);
  l.allocate(127, 1);
  vc::report r = l.check();
  BOOST_TEST(r.findings.empty(), shown(r));
  BOOST_TEST(r.devices[0].allocated == 63u);
  BOOST_TEST(r.devices[0].components[0].allocated == 61u);
  BOOST_TEST(r.devices[0].components[1].allocated == 2u);
}

BOOST_AUTO_TEST_CASE(sources_without_virstor_metadata_are_ignored) {
  labelled l;
  l.disks.push_back({});
  l.disks.back().name = "ada2";
  vc::report r = l.check();
  BOOST_TEST(r.findings.empty(), shown(r));
  BOOST_TEST(r.devices.size() == 1u);
  BOOST_TEST(vc::check({}).devices.empty());
}

BOOST_AUTO_TEST_CASE(the_rule_table_has_the_documented_severities) {
  rule_set errors, warnings;
  for (const vc::rule_info &i : vc::rules())
    (i.sev == vc::severity::error ? errors : warnings).insert(i.id);
  BOOST_TEST(errors == (rule_set{"read-error", "metadata-version", "metadata-size",
                                 "bad-chunk-size", "virsize-not-multiple", "virsize-too-small",
                                 "chunks-overlap-metadata", "reserved-too-large", "id-mismatch",
                                 "count-mismatch", "geometry-mismatch", "duplicate-number",
                                 "number-out-of-range", "incomplete", "map-over-metadata",
                                 "map-outside-reserved", "map-unaligned", "entry-out-of-range",
                                 "double-mapping", "chunk-in-reserved", "chunk-over-metadata",
                                 "next-chunk-reused", "flags-unallocated"}));
  BOOST_TEST(warnings == (rule_set{"hardcoded-name", "metadata-garbage", "unknown-flags",
                                   "name-unterminated", "map-too-large", "stale-entry",
                                   "unknown-entry-flags", "stale-chunk-next",
                                   "flags-allocated-unused", "flags-current"}));
}

// --- reading ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_unreadable_metadata_sector_is_a_read_error) {
  labelled l;
  l.disks[1].bad_offset = kDiskSize - 1;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"read-error", "incomplete"}), shown(r));
  BOOST_TEST(of_rule(r, "read-error")[0].component == "ada1");
  BOOST_TEST(mentions(of_rule(r, "read-error")[0], "error 5"));
}

BOOST_AUTO_TEST_CASE(an_unreadable_map_is_a_read_error_and_not_checked) {
  labelled l;
  l.disks[0].bad_offset = 0;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"read-error"}, shown(r));
  BOOST_TEST(of_rule(r, "read-error")[0].device == "vs");
  BOOST_TEST(!r.devices[0].map_checked);
  BOOST_TEST(r.devices[0].map_note == "ada0 cannot be read");
}

// --- each component's metadata ------------------------------------------

BOOST_AUTO_TEST_CASE(metadata_version) {
  labelled l;
  l.disks[1].md.md_version = 2;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"metadata-version", "incomplete"}), shown(r));
  BOOST_TEST(of_rule(r, "metadata-version")[0].component == "ada1");
}

BOOST_AUTO_TEST_CASE(metadata_size) {
  labelled l;
  l.disks[1].md.provsize += 512;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"metadata-size", "incomplete"}), shown(r));
}

BOOST_AUTO_TEST_CASE(hardcoded_name) {
  labelled l;
  std::strncpy(l.disks[1].md.provider, "ada7", sizeof l.disks[1].md.provider);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"hardcoded-name"}, shown(r));
  std::strncpy(l.disks[1].md.provider, "ada1", sizeof l.disks[1].md.provider);
  BOOST_TEST(l.check().findings.empty());
}

BOOST_AUTO_TEST_CASE(metadata_garbage) {
  labelled l;
  l.disks[1].last_sector()[92] = 0xde;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"metadata-garbage"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "metadata-garbage")[0], "byte 92: 0xde"));
}

BOOST_AUTO_TEST_CASE(unknown_flags) {
  labelled l;
  l.disks[1].md.flags = 0x8000;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"unknown-flags"}, shown(r));
}

BOOST_AUTO_TEST_CASE(name_unterminated) {
  labelled l;
  for (disk &d : l.disks) std::memcpy(d.md.md_name, "abcdefghijklmnop", 16);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"name-unterminated"}, shown(r));
  BOOST_TEST(of_rule(r, "name-unterminated").size() == 2u);
  BOOST_TEST(r.devices[0].name == "abcdefghijklmnop");
}

BOOST_AUTO_TEST_CASE(chunks_overlap_metadata) {
  labelled l;
  l.disks[1].md.chunk_count = 64;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"chunks-overlap-metadata"}, shown(r));
}

BOOST_AUTO_TEST_CASE(bad_chunk_size_not_a_multiple_of_the_sector) {
  labelled l;
  for (disk &d : l.disks) {
    d.md.md_chunk_size = kChunk + 256;
    d.md.md_virsize = kVirtualChunks * d.md.md_chunk_size;
  }
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"bad-chunk-size"}, shown(r));
}

BOOST_AUTO_TEST_CASE(bad_chunk_size_zero_leaves_the_map_unchecked) {
  labelled l;
  for (disk &d : l.disks) d.md.md_chunk_size = 0;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"bad-chunk-size"}, shown(r));
  BOOST_TEST(r.devices[0].map_note == "the chunk size is 0");
}

BOOST_AUTO_TEST_CASE(virsize_not_multiple) {
  labelled l;
  for (disk &d : l.disks) d.md.md_virsize += 512;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"virsize-not-multiple"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "virsize-not-multiple")[0], "defect 3"));
}

BOOST_AUTO_TEST_CASE(virsize_too_small) {
  labelled l;
  for (disk &d : l.disks) d.md.md_virsize = 0;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"virsize-too-small"}, shown(r));
  BOOST_TEST(!r.devices[0].map_checked);
}

BOOST_AUTO_TEST_CASE(reserved_too_large) {
  labelled l;
  l.disks[1].md.chunk_reserved = 64;
  l.disks[1].md.chunk_next = 64;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"reserved-too-large"}, shown(r));
}

// --- the components of a device -----------------------------------------

BOOST_AUTO_TEST_CASE(id_mismatch) {
  labelled l;
  l.disks[1].md.md_id = kId + 1;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"id-mismatch", "incomplete"}), shown(r));
  BOOST_TEST(r.devices.size() == 2u);
  BOOST_TEST(mentions(of_rule(r, "id-mismatch")[0], "(ada1)"));
}

BOOST_AUTO_TEST_CASE(count_mismatch) {
  labelled l;
  l.disks[1].md.md_count = 3;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"count-mismatch"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "count-mismatch")[0], "ada0 says 2, ada1 says 3"));
}

BOOST_AUTO_TEST_CASE(geometry_mismatch_virtual_size) {
  labelled l;
  l.disks[1].md.md_virsize *= 2;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"geometry-mismatch"}, shown(r));
}

BOOST_AUTO_TEST_CASE(geometry_mismatch_sector_size) {
  labelled l;
  disk &d = l.disks[1];
  std::memset(d.last_sector(), 0, d.sectorsize);
  d.sectorsize = 4096;
  virstor_metadata_encode_sector(&d.md, d.last_sector(), d.sectorsize);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"geometry-mismatch"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "geometry-mismatch")[0], "sector size"));
}

BOOST_AUTO_TEST_CASE(duplicate_number) {
  labelled l;
  l.add_disk(l.disks[1].md);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"duplicate-number"}, shown(r));
  BOOST_TEST(of_rule(r, "duplicate-number")[0].component == "ada2");
}

BOOST_AUTO_TEST_CASE(number_out_of_range) {
  labelled l;
  l.disks[1].md.no = 2;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"number-out-of-range", "incomplete"}), shown(r));
}

BOOST_AUTO_TEST_CASE(incomplete) {
  labelled l;
  for (uint16_t no = 2; no < 5; no++) l.add_disk(label_metadata("vs", no));
  for (disk &d : l.disks) d.md.md_count = 7;
  l.disks.erase(l.disks.begin() + 3);  // number 3
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"incomplete"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "incomplete")[0], "number 3, 5-6"));
  BOOST_TEST(r.devices[0].missing == (std::vector<uint16_t>{3, 5, 6}));
}

BOOST_AUTO_TEST_CASE(without_component_0_the_map_is_not_checked) {
  labelled l;
  l.disks.erase(l.disks.begin());
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"incomplete"}, shown(r));
  BOOST_TEST(!r.devices[0].map_checked);
  BOOST_TEST(r.devices[0].map_note == "component 0 is missing");
  BOOST_TEST(shown(r).find("map not checked: component 0 is missing") != std::string::npos);
}

// --- the map ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(map_over_metadata) {
  labelled l;
  for (disk &d : l.disks) d.md.md_virsize = (uint64_t)kDiskSize / 8 * kChunk;  // a 4 MiB map
  vc::report r = l.check();
  BOOST_TEST(fired(r).count("map-over-metadata") == 1u, shown(r));
}

BOOST_AUTO_TEST_CASE(map_outside_reserved) {
  labelled l;
  l.disks[0].md.chunk_reserved = 0;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"map-outside-reserved"}, shown(r));
}

BOOST_AUTO_TEST_CASE(map_unaligned) {
  labelled l;
  for (disk &d : l.disks) d.md.md_virsize = 65 * kChunk;  // 520 bytes of map
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"map-unaligned"}, shown(r));
}

BOOST_AUTO_TEST_CASE(map_too_large) {
  labelled l;
  for (disk &d : l.disks) d.md.md_virsize = (uint64_t)kChunk << 40;
  vc::report r = l.check();
  BOOST_TEST(fired(r).count("map-too-large") == 1u, shown(r));
  BOOST_TEST(r.devices[0].map_note == "the map is too large");
}

BOOST_AUTO_TEST_CASE(entry_out_of_range_component) {
  labelled l;
  l.entry(5, 1, 7, 0);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"entry-out-of-range"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "entry-out-of-range")[0], "virtual chunk 5"));
}

BOOST_AUTO_TEST_CASE(entry_out_of_range_chunk_even_unallocated) {
  labelled l;
  l.entry(6, 0, 1, kChunksPerDisk);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"entry-out-of-range", "stale-entry"}), shown(r));
}

BOOST_AUTO_TEST_CASE(entry_out_of_range_is_capped) {
  labelled l;
  for (uint64_t v = 0; v < 20; v++) l.entry(v, 1, 9, 0);
  vc::report r = l.check();
  std::vector<vc::finding> found = of_rule(r, "entry-out-of-range");
  BOOST_REQUIRE(found.size() == 9u);
  BOOST_TEST(mentions(found[7], "virtual chunk 7"));
  BOOST_TEST(found[8].message == "... and 12 more like this");
}

BOOST_AUTO_TEST_CASE(stale_entry) {
  labelled l;
  l.entry(9, 0, 1, 5);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"stale-entry"}, shown(r));
}

BOOST_AUTO_TEST_CASE(unknown_entry_flags) {
  labelled l;
  l.entry(3, 0x8000, 0, 0);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"unknown-entry-flags"}, shown(r));
}

BOOST_AUTO_TEST_CASE(double_mapping) {
  labelled l;
  l.allocate(0, 0);  // chunk 2
  l.allocate(1, 0);  // chunk 3
  l.entry(1, 1, 0, 2);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"double-mapping"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "double-mapping")[0], "virtual chunks 0 and 1"));
}

BOOST_AUTO_TEST_CASE(chunk_in_reserved) {
  labelled l;
  l.entry(0, 1, 0, 1);
  l.disks[0].md.chunk_next = 3;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"chunk-in-reserved"}, shown(r));
}

BOOST_AUTO_TEST_CASE(chunk_over_metadata) {
  labelled l;
  l.disks[1].md.chunk_count = 64;  // add's count (seed defect 19)
  l.disks[0].md.flags = VIRSTOR_PROVIDER_ALLOCATED;
  l.disks[1].md.flags = VIRSTOR_PROVIDER_CURRENT;
  for (uint64_t v = 0; v < 64; v++) l.allocate(v, 1);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == (rule_set{"chunks-overlap-metadata", "chunk-over-metadata"}), shown(r));
  BOOST_TEST(mentions(of_rule(r, "chunk-over-metadata")[0], "virtual chunk 63"));
}

// --- allocation state ---------------------------------------------------

// Virtual chunk 64 (map sector 1) gets chunk 2, virtual chunk 0 (sector
// 0) chunk 3, virtual chunk 65 (sector 1) chunk 4; a crash loses the write
// of sector 0 while the later one of sector 1 survives.
BOOST_AUTO_TEST_CASE(next_chunk_reused) {
  labelled l;
  l.allocate(64, 0);
  l.allocate(0, 0);
  l.allocate(65, 0);
  l.entry(0, 0, 0, 0);
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"next-chunk-reused"}, shown(r));
  vc::finding f = of_rule(r, "next-chunk-reused")[0];
  BOOST_TEST(mentions(f, "chunk_next to 4"));
  BOOST_TEST(mentions(f, "chunk 4 is allocated to virtual chunk 65"));
}

BOOST_AUTO_TEST_CASE(stale_chunk_next) {
  labelled l;
  l.allocate(0, 0);
  l.allocate(1, 0);
  l.disks[0].md.chunk_next = 2;  // as labelled: never closed since
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"stale-chunk-next"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "stale-chunk-next")[0], "taste recomputes it"));
}

BOOST_AUTO_TEST_CASE(flags_unallocated) {
  labelled l;
  l.allocate(0, 1);
  l.disks[1].md.flags = 0;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"flags-unallocated"}, shown(r));
  BOOST_TEST(of_rule(r, "flags-unallocated")[0].component == "ada1");
}

BOOST_AUTO_TEST_CASE(flags_allocated_unused) {
  labelled l;
  l.disks[1].md.flags = VIRSTOR_PROVIDER_ALLOCATED;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"flags-allocated-unused"}, shown(r));
}

BOOST_AUTO_TEST_CASE(flags_current_none) {
  labelled l;
  l.disks[0].md.flags = VIRSTOR_PROVIDER_ALLOCATED;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"flags-current"}, shown(r));
}

BOOST_AUTO_TEST_CASE(flags_current_two) {
  labelled l;
  l.disks[1].md.flags = VIRSTOR_PROVIDER_CURRENT;
  vc::report r = l.check();
  BOOST_TEST(fired(r) == rule_set{"flags-current"}, shown(r));
  BOOST_TEST(mentions(of_rule(r, "flags-current")[0], "ada0, ada1"));
}

// --- the text -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(format_prints_findings_then_a_summary) {
  labelled l;
  l.allocate(0, 0);
  vc::report r = l.check();
  r.findings.push_back({vc::severity::error, "double-mapping", "vs", "ada1", "a message"});
  r.findings.push_back({vc::severity::warning, "read-error", "", "ada2", "another"});
  BOOST_TEST(vc::format(r, false) ==
             "error: double-mapping: device vs, component ada1: a message\n"
             "warning: read-error: component ada2: another\n"
             "vs (id 305419896): 2 of 2 components: ada0 (0), ada1 (1)\n"
             "  64 kB chunks, 128 virtual chunks, 1 allocated\n"
             "  chunks allocated: ada0 1 of 63 (2 reserved), ada1 0 of 63\n"
             "1 error, 1 warning\n");
  BOOST_TEST(vc::format(r, true) ==
             "error: double-mapping: device vs, component ada1: a message\n"
             "warning: read-error: component ada2: another\n");
}

BOOST_AUTO_TEST_CASE(the_report_is_the_same_every_time) {
  labelled l;
  for (uint64_t v = 0; v < 12; v++) l.entry(v, 3, 0, 1);
  l.disks[1].md.md_count = 5;
  BOOST_TEST(vc::format(l.check(), false) == vc::format(l.check(), false));
}
