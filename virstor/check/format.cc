// The report as text: one line per finding, then a few lines per device
// and the count of findings.
//
//   error: double-mapping: device vs, component ada1: virtual chunks 3 and 7 ...
//   vs (id 1234): 2 of 2 components: ada0 (0), ada1 (1)
//     1024 kB chunks, 128 virtual chunks, 16 allocated
//     chunks allocated: ada0 16 of 31 (2 reserved), ada1 0 of 31
//   1 error, 0 warnings
#include "virstor/check/findings.h"

namespace virstor_check {

namespace {

std::string where(const finding &f) {
  std::string s;
  if (!f.device.empty()) s += "device " + f.device;
  if (!f.component.empty()) s += (s.empty() ? "" : ", ") + ("component " + f.component);
  return s.empty() ? s : s + ": ";
}

std::string line(const finding &f) {
  const char *sev = f.sev == severity::error ? "error" : "warning";
  return text("%s: %s: ", sev, f.rule.c_str()) + where(f) + f.message + "\n";
}

std::string numbers(const std::vector<uint16_t> &missing) {
  std::string s;
  for (uint16_t no : missing) s += text("%s%u", s.empty() ? "" : ", ", no);
  return s;
}

std::string members(const device_summary &d) {
  std::string s = text("%s (id %u): %zu of %u components: ", d.name.c_str(), d.id,
                       d.components.size(), d.count);
  for (size_t i = 0; i < d.components.size(); i++)
    s += text("%s%s (%u)", i ? ", " : "", d.components[i].source.c_str(), d.components[i].no);
  return s + (d.missing.empty() ? "" : "; missing " + numbers(d.missing)) + "\n";
}

std::string geometry(const device_summary &d) {
  std::string s = text("  %u kB chunks, %ju virtual chunks", d.chunk_size / 1024,
                       (uintmax_t)d.virtual_chunks);
  return s + (d.map_checked ? text(", %ju allocated\n", (uintmax_t)d.allocated) : "\n");
}

std::string allocations(const device_summary &d) {
  if (!d.map_checked) return "  map not checked: " + d.map_note + "\n";
  std::string s;
  for (const component_summary &c : d.components) {
    s += text("%s%s %ju of %u", s.empty() ? "" : ", ", c.source.c_str(), (uintmax_t)c.allocated,
              c.chunk_count);
    if (c.chunk_reserved) s += text(" (%u reserved)", c.chunk_reserved);
  }
  return "  chunks allocated: " + s + "\n";
}

std::string plural(int n, const char *what) {
  return text("%d %s%s", n, what, n == 1 ? "" : "s");
}

}  // namespace

std::string format(const report &r, bool quiet) {
  std::string s;
  for (const finding &f : r.findings) s += line(f);
  if (quiet) return s;
  for (const device_summary &d : r.devices) s += members(d) + geometry(d) + allocations(d);
  if (r.devices.empty()) s += "no virstor device found\n";
  return s + plural(r.errors(), "error") + ", " + plural(r.warnings(), "warning") + "\n";
}

}  // namespace virstor_check
