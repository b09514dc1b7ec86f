// @crash and @virstor-check. See sim/scenario/crash_directives.h.
#include "sim/scenario/crash_directives.h"

#include "kern/bsd_errno.h"
#include "sim/explore/crash_state.h"
#include "virstor/check/virstor_check.h"

namespace sim {

std::string arm_crash(machine &m, const directive &d) {
  fate_plan plan;
  std::string error;
  if (!explore::parse_fate_words(d.fate_words, plan, error)) return "@crash: " + error;
  trigger t;
  if (d.trigger == "record") {
    t = trigger::after_record(d.number);
  } else {
    io_op op = io_op::write;
    io_op_parse(d.cmd, op);
    t = trigger::on_io(op, d.name, -1, d.nth);
  }
  m.power_control().add(t.with_plan(std::move(plan)));
  return "";
}

namespace {

// A disk or file of the machine, read from its stable media.
virstor_check::component_source source_of(const std::string &name,
                                          const std::shared_ptr<media> &m) {
  virstor_check::component_source s;
  s.name = name;
  s.mediasize = m->size();
  s.sectorsize = m->sector_size();
  s.read = [m](int64_t off, void *buf, size_t len) { return m->host_read_durable(off, buf, len); };
  return s;
}

std::vector<virstor_check::component_source> sources(machine &m, const directive &d) {
  std::vector<virstor_check::component_source> out;
  auto wanted = [&](const std::string &n) {
    if (d.names.empty()) return true;
    for (const std::string &w : d.names)
      if (w == n || "/dev/" + n == w) return true;
    return false;
  };
  for (const auto &[name, disk] : m.disks())
    if (m.disk_present(name) && wanted(name)) out.push_back(source_of(name, disk));
  for (const std::string &path : m.files())
    if (wanted(path)) out.push_back(source_of(path, m.file(path)));
  return out;
}

}  // namespace

void check_virstor_disks(machine &m, const directive &d, std::vector<std::string> &lines,
                         std::vector<explore::crash_finding> &findings, bool report) {
  virstor_check::report r = virstor_check::check(sources(m, d));
  std::string text = report ? virstor_check::format(r, false) : "";
  for (size_t b = 0; b < text.size();) {
    size_t e = text.find('\n', b);
    if (e == std::string::npos) e = text.size();
    lines.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  for (const auto &f : r.findings)
    if (f.sev == virstor_check::severity::error)
      findings.push_back({"checker:" + f.rule, f.device, f.message});
}

}  // namespace sim
