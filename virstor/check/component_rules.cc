// The rules about one component's metadata sector on its own.
#include <algorithm>
#include <cstring>

#include "virstor/check/passes.h"

namespace virstor_check {

namespace {

constexpr unsigned kKnownFlags = VIRSTOR_PROVIDER_ALLOCATED | VIRSTOR_PROVIDER_CURRENT;

void report(sink &out, const char *rule, const component &c, const std::string &message) {
  out.add(rule, c.device, c.name, message);
}

// Taste refuses another version; the other fields may mean anything then.
bool version_refused(const component &c, sink &out) {
  if (c.md.md_version == G_VIRSTOR_VERSION) return false;
  report(out, "metadata-version", c,
         text("metadata version %u, the kernel handles %d: taste refuses the component",
              c.md.md_version, G_VIRSTOR_VERSION));
  return true;
}

bool size_refused(const component &c, sink &out) {
  if (c.md.provsize == (uint64_t)c.mediasize) return false;
  report(out, "metadata-size", c,
         text("provsize %ju, the disk has %jd bytes: taste ignores the component",
              (uintmax_t)c.md.provsize, (intmax_t)c.mediasize));
  return true;
}

// Taste takes a hard-coded component only under that name; it compares
// names without "/dev/", so the source's name is compared the same way.
void check_hardcoded_name(const component &c, sink &out) {
  std::string wanted(c.md.provider, strnlen(c.md.provider, sizeof(c.md.provider)));
  std::string name = c.name.compare(0, 5, "/dev/") == 0 ? c.name.substr(5) : c.name;
  if (wanted.empty() || wanted == name) return;
  report(out, "hardcoded-name", c,
         text("hard-coded for provider %s: taste ignores it under another name", wanted.c_str()));
}

// The kernel's write_metadata() leaves its malloc'd buffer's tail as it
// was (seed defect 13); label writes zeroes.
void check_garbage(const component &c, sink &out) {
  auto tail = c.sector.begin() + G_VIRSTOR_MD_ENCODED_SIZE;
  auto dirty = std::find_if(tail, c.sector.end(), [](unsigned char b) { return b != 0; });
  if (dirty == c.sector.end()) return;
  report(out, "metadata-garbage", c,
         text("metadata sector not zero past byte %d (first at byte %td: 0x%02x): "
              "uninitialised kernel memory written to disk (seed defect 13)",
              G_VIRSTOR_MD_ENCODED_SIZE, dirty - c.sector.begin(), *dirty));
}

void check_flags(const component &c, sink &out) {
  if ((c.md.flags & ~kKnownFlags) == 0) return;
  report(out, "unknown-flags", c,
         text("flags 0x%04x has bits other than ALLOCATED|CURRENT: uninitialised flags "
              "(seed defect 8)", c.md.flags));
}

// g_new_geomf("%s", md_name) would read on into md_id.
void check_name(const component &c, sink &out) {
  if (c.device.size() < sizeof(c.md.md_name)) return;
  report(out, "name-unterminated", c,
         "md_name fills all 16 bytes without a NUL: the kernel reads the name on into md_id");
}

void check_chunk_size(const component &c, sink &out) {
  uint32_t size = c.md.md_chunk_size;
  if (size != 0 && size % c.sectorsize == 0) return;
  report(out, "bad-chunk-size", c,
         text("chunk size %u is not a positive multiple of the sector size %u", size,
              c.sectorsize));
}

// The kernel's "truncated" message prints the provider's name before the
// provider exists (seed defect 3).
void check_virsize_multiple(const component &c, sink &out) {
  uint32_t size = c.md.md_chunk_size;
  if (size == 0 || c.md.md_virsize % size == 0) return;
  report(out, "virsize-not-multiple", c,
         text("virtual size %ju is not a multiple of the chunk size %u: taste prints "
              "sc->provider->name while it is NULL (seed defect 3)",
              (uintmax_t)c.md.md_virsize, size));
}

void check_virsize_minimum(const component &c, sink &out) {
  uint32_t size = c.md.md_chunk_size;
  if (size == 0 || c.md.md_virsize >= size) return;
  report(out, "virsize-too-small", c,
         text("virtual size %ju is below one chunk (%u): taste calls the metadata nonsensical",
              (uintmax_t)c.md.md_virsize, size));
}

void check_chunks_fit(const component &c, sink &out) {
  uint64_t end = (uint64_t)c.md.chunk_count * c.md.md_chunk_size;
  if (c.metadata_offset() < 0 || end <= (uint64_t)c.metadata_offset()) return;
  report(out, "chunks-overlap-metadata", c,
         text("%u chunks of %u bytes end at %ju, past the metadata sector at %jd: "
              "the last chunk covers it", c.md.chunk_count, c.md.md_chunk_size,
              (uintmax_t)end, (intmax_t)c.metadata_offset()));
}

void check_reserved(const component &c, sink &out) {
  if (c.md.chunk_reserved <= c.md.chunk_count) return;
  report(out, "reserved-too-large", c,
         text("%u reserved chunks, but the component has %u", c.md.chunk_reserved,
              c.md.chunk_count));
}

}  // namespace

void check_component(component &c, sink &out) {
  if (version_refused(c, out)) {
    c.refused = true;
    return;
  }
  c.refused = size_refused(c, out);
  check_hardcoded_name(c, out);
  check_garbage(c, out);
  check_flags(c, out);
  check_name(c, out);
  check_chunk_size(c, out);
  check_virsize_multiple(c, out);
  check_virsize_minimum(c, out);
  check_chunks_fit(c, out);
  check_reserved(c, out);
}

}  // namespace virstor_check
