// Hardware directives. See sim/scenario/hardware.h.
#include "sim/scenario/hardware.h"

#include "kern/bsd_errno.h"
#include "sim/media/power.h"
#include "sim/media/write_log.h"

namespace sim {

std::string hw_add_disk(machine &m, const directive &d) {
  if (m.disk(d.name)) return "a disk named " + d.name + " exists already";
  media_config cfg;
  cfg.sector_size = d.sectorsize;
  cfg.cache = d.cache == "write-back" ? cache_model::write_back : cache_model::write_through;
  cfg.flush_supported = d.flush;
  m.add_memory_disk(d.name, (int64_t)d.size, cfg);
  return "";
}

std::string hw_map_image(machine &m, const directive &d, const std::string &script_dir) {
  std::string host = d.host_path;
  if (!host.empty() && host[0] != '/') host = script_dir + "/" + host;
  std::string error;
  if (!m.map_host_file(d.name, host, d.readonly, &error, d.cow)) return error;
  return "";
}

std::string hw_pull(machine &m, const std::string &name, std::string &out) {
  (void)out;
  int e = m.pull(name);
  if (e == kern::B_ENOENT) return "@pull: no device named " + name;
  if (e != 0) return "@pull " + name + ": " + kern::bsd_strerror(e);
  return "";
}

trigger hw_trigger(const directive &d) {
  if (d.trigger == "after") return trigger::after_writes(d.number, d.name);
  io_op op = io_op::write;
  io_op_parse(d.cmd, op);
  return trigger::on_io(op, d.name, d.offset);
}

std::string hw_arm_power_cut(machine &m, const directive &d) {
  m.power_control().add(hw_trigger(d));
  return "";
}

std::string hw_arm_pull(machine &m, const directive &d) {
  trigger t = hw_trigger(d);
  t.then_pull(d.pull_target);
  m.power_control().add(t);
  return "";
}

std::string hw_power_cut_report(machine &m) {
  auto reports = m.log().reports();
  if (reports.empty()) return "";
  return reports.back().to_string(m.log());
}

std::string hw_write_log(machine &m, const std::string &disk, std::string &out) {
  std::vector<write_record> recs = m.log().since(0, disk);
  if (recs.empty()) {
    out += disk.empty() ? "write log: empty\n" : "write log of " + disk + ": empty\n";
    return "";
  }
  for (const write_record &r : recs) out += r.to_string() + "\n";
  return "";
}

}  // namespace sim
