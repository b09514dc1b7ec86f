// The checker's rules: ids, severities and what each finds, in the order
// of the passes (reading, components, devices, map, allocation state).
// The passes name their rule by id; the severity comes from here only.
#include "virstor/check/findings.h"

namespace virstor_check {

namespace {

constexpr severity E = severity::error, W = severity::warning;

const std::vector<rule_info> kRules = {
    {"read-error", E, "a metadata sector or the map cannot be read"},
    // Each component's metadata sector.
    {"metadata-version", E, "md_version is not 1: taste refuses the component"},
    {"metadata-size", E, "provsize is not the disk's size: taste ignores the component"},
    {"hardcoded-name", W, "the hard-coded provider name is not the disk's: taste ignores it"},
    {"metadata-garbage", W, "bytes past the encoded metadata are not zero (seed defect 13)"},
    {"unknown-flags", W, "component flags other than ALLOCATED and CURRENT (seed defect 8)"},
    {"name-unterminated", W, "md_name fills 16 bytes without a NUL"},
    {"bad-chunk-size", E, "chunk size 0 or not a multiple of the sector size"},
    {"virsize-not-multiple", E, "md_virsize not a multiple of the chunk size (seed defect 3)"},
    {"virsize-too-small", E, "md_virsize below one chunk: taste calls it nonsensical"},
    {"chunks-overlap-metadata", E, "the last chunk covers the metadata sector"},
    {"reserved-too-large", E, "chunk_reserved above chunk_count"},
    // The components of one device.
    {"id-mismatch", E, "components of one name with different ids"},
    {"count-mismatch", E, "components disagree on md_count"},
    {"geometry-mismatch", E, "components disagree on virtual size, chunk size or sector size"},
    {"duplicate-number", E, "two components with the same number"},
    {"number-out-of-range", E, "a component number not below md_count"},
    {"incomplete", E, "a component is missing: the device will not come up"},
    // The allocation map on component 0.
    {"map-over-metadata", E, "the map reaches component 0's metadata sector"},
    {"map-outside-reserved", E, "the map is larger than component 0's reserved chunks"},
    {"map-unaligned", E, "the map is not whole sectors: the kernel leaves its tail unread"},
    {"map-too-large", W, "the map is too large for the checker to read: not checked"},
    {"entry-out-of-range", E, "a map entry names no component or no chunk of it"},
    {"stale-entry", W, "an unallocated map entry with other fields not zero"},
    {"unknown-entry-flags", W, "map entry flags other than ALLOCATED"},
    {"double-mapping", E, "two virtual chunks on one physical chunk"},
    {"chunk-in-reserved", E, "an allocated chunk inside the reserved chunks (the map area)"},
    {"chunk-over-metadata", E, "an allocated chunk reaches the metadata sector or the end"},
    // Allocation state: the map against the components' metadata.
    {"next-chunk-reused", E, "a future allocation will hand out an allocated chunk again"},
    {"stale-chunk-next", W, "chunk_next in the metadata behind the map (taste recomputes it)"},
    {"flags-unallocated", E, "a component with allocated chunks is not flagged ALLOCATED"},
    {"flags-allocated-unused", W, "a component flagged ALLOCATED holds no chunk"},
    {"flags-current", W, "not exactly one component flagged CURRENT"},
};

}  // namespace

const std::vector<rule_info> &rules() { return kRules; }

severity severity_of(const std::string &rule) {
  for (const rule_info &r : kRules)
    if (rule == r.id) return r.sev;
  return severity::error;  // an unlisted id is a bug: make it loud
}

}  // namespace virstor_check
