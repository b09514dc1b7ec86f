// The write log. See sim/media/write_log.h.
#include "sim/media/write_log.h"

#include <cinttypes>
#include <cstdio>

namespace sim {

const char *write_fate_name(write_fate f) {
  switch (f) {
    case write_fate::durable: return "durable";
    case write_fate::cached: return "cached";
    case write_fate::lost: return "lost";
    case write_fate::torn: return "torn";
  }
  return "?";
}

std::string write_record::to_string() const {
  char buf[512];
  std::string where = media;
  if (!device.empty() && device != media) where += "(" + device + ")";
  std::snprintf(buf, sizeof buf,
                "#%" PRIu64 " boot=%d t=%" PRId64 ".%09" PRId64 " %s %s off=%" PRId64
                " len=%" PRId64 " hash=%016" PRIx64 " thread=%s[%d]%s ",
                seq, boot, time_ns / 1000000000, time_ns % 1000000000, where.c_str(),
                io_op_name(op), offset, length, hash, thread.c_str(), tid, fua ? " fua" : "");
  std::string s = buf;
  if (in_flight) s += "in-flight ";
  s += write_fate_name(fate);
  if (fate == write_fate::torn) s += "(" + std::to_string(landed) + "/" + std::to_string(sectors) + ")";
  if (by_cut && fate != write_fate::lost && fate != write_fate::torn) s += " (survived the power cut)";
  return s;
}

std::string power_loss_report::to_string(const write_log &log) const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "power cut: boot %d at t=%" PRId64 ".%09" PRId64 ": %s: %zu lost, %zu torn, "
                "%zu survived\n",
                boot, time_ns / 1000000000, time_ns % 1000000000, reason.c_str(), lost.size(),
                torn.size(), survived.size());
  std::string s = buf;
  for (uint64_t seq : affected) {
    write_record r;
    if (log.get(seq, r)) s += "  " + r.to_string() + "\n";
  }
  return s;
}

uint64_t write_log::append(write_record r) {
  std::lock_guard<kern::host_mutex> g(mu_);
  r.seq = records_.size() + 1;
  if (r.boot == 0) r.boot = boot_;
  records_.push_back(std::move(r));
  return records_.back().seq;
}

void write_log::set_fate(uint64_t seq, write_fate f, uint32_t landed, bool by_cut) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (seq == 0 || seq > records_.size()) return;
  write_record &r = records_[seq - 1];
  r.fate = f;
  r.landed = landed;
  if (by_cut) r.by_cut = true;
}

uint64_t write_log::last_seq() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return records_.size();
}

bool write_log::get(uint64_t seq, write_record &out) const {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (seq == 0 || seq > records_.size()) return false;
  out = records_[seq - 1];
  return true;
}

std::vector<write_record> write_log::records() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return records_;
}

std::vector<write_record> write_log::since(uint64_t after, const std::string &media) const {
  std::lock_guard<kern::host_mutex> g(mu_);
  std::vector<write_record> out;
  for (size_t i = (size_t)std::min<uint64_t>(after, records_.size()); i < records_.size(); i++)
    if (media.empty() || records_[i].media == media || records_[i].device == media)
      out.push_back(records_[i]);
  return out;
}

std::string write_log::dump(uint64_t after) const {
  std::string s;
  for (const write_record &r : since(after)) s += r.to_string() + "\n";
  return s;
}

void write_log::add_report(power_loss_report r) {
  std::lock_guard<kern::host_mutex> g(mu_);
  reports_.push_back(std::move(r));
}

std::vector<power_loss_report> write_log::reports() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return reports_;
}

void write_log::set_boot(int boot) {
  std::lock_guard<kern::host_mutex> g(mu_);
  boot_ = boot;
}

int write_log::boot() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return boot_;
}

void write_log::clear() {
  std::lock_guard<kern::host_mutex> g(mu_);
  records_.clear();
  reports_.clear();
}

}  // namespace sim
