// The default checks after a crash. See sim/explore/crash_check.h.
#include "sim/explore/crash_check.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "kern/prng.h"
#include "kern/syscalls.h"
#include "sim/media/hash.h"
#include "sim/userland/libgeom.h"

namespace sim::explore {

namespace {

constexpr size_t kMaxRead = 128 * 1024;  // MAXPHYS: what one read may ask
constexpr size_t kMaxRangesShown = 8;

// A run of sectors with something to say about them.
struct sector_range {
  int64_t first = 0, count = 0;
  std::string note;  // shared by the whole run
  int64_t source = -1;  // where the data it holds was written (its first sector's)
};

// Collects bad sectors of one kind into runs, for the report: neighbours
// with the same note (and data from neighbouring sources) join a run.
class range_list {
 public:
  void add(int64_t sector, const std::string &note, int64_t source = -1) {
    if (!ranges_.empty()) {
      sector_range &r = ranges_.back();
      if (r.first + r.count == sector && r.note == note &&
          (source < 0 || r.source + r.count == source)) {
        r.count++;
        return;
      }
    }
    ranges_.push_back({sector, 1, note, source});
  }
  bool empty() const { return ranges_.empty(); }
  const std::vector<sector_range> &ranges() const { return ranges_; }

 private:
  std::vector<sector_range> ranges_;
};

// Runs fn in a userland thread of m's kernel until it ends. False (and
// the thread's wait channel) if it never does, or if the kernel stopped.
bool in_kernel(machine &m, const std::function<void()> &fn, std::string *wmesg) {
  kern::kernel *k = m.kernel();
  if (k == nullptr) return false;
  kern::thread *t = k->run("crash-check", fn);
  if (t->finished()) {
    if (m.kernel() != nullptr) m.kernel()->reap(t);
    return m.kernel() != nullptr;
  }
  *wmesg = t->wmesg();
  return false;
}

// The continuation's data for the block at `offset` of `device`.
void fill_new_data(const std::string &device, int64_t offset, unsigned char *buf, size_t len) {
  kern::prng rng = kern::prng::stream((uint64_t)offset, "crash-check:" + device);
  for (size_t i = 0; i < len; i += 8) {
    uint64_t v = rng.next();
    std::memcpy(buf + i, &v, std::min<size_t>(8, len - i));
  }
}

std::string bytes_at(int64_t first, int64_t count, uint32_t ss) {
  return std::to_string(count * ss) + " bytes at offset " + std::to_string(first * ss);
}

// Checks one device; a kernel thread does the I/O, the host compares.
class device_check {
 public:
  device_check(const device_expectations &de, const expectations &x, const recording &rec,
               const line_namer &namer, crash_check_result &out)
      : de_(de), x_(x), rec_(rec), namer_(namer), out_(out), ss_(de.sectorsize) {}

  // False if the check could not go on (a hang, a panic).
  bool run(machine &m) {
    std::string wmesg;
    bool done = in_kernel(m, [this] { io_steps(); }, &wmesg);
    if (!done && m.kernel() != nullptr) {
      finding("hang", "the check's " + stage_ + " never finished: it waits on \"" + wmesg + "\"");
      return false;
    }
    if (!done) return false;
    report();
    return true;
  }

 private:
  // ---------------------------------------------------------- in the kernel

  void io_steps() {
    stage_ = "open";
    open_error_ = kern::sys_open(de_.device, kern::BSD_O_RDWR, fd_);
    if (open_error_ != 0) return;
    kern::sys_diocgmediasize(fd_, mediasize_);
    stage_ = "first read";
    first_ = read_sectors(de_.sectors);
    choose_targets();
    stage_ = "continuation write";
    write_targets();
    stage_ = "second read";
    second_ = read_sectors(de_.sectors);
    target_reads_ = read_targets();
    stage_ = "close";
    kern::sys_close(fd_);
  }

  // Hashes of the listed sectors as read now (0 for a sector that could
  // not be read: no content hashes to 0 in practice; read errors noted).
  std::vector<uint64_t> read_sectors(const std::vector<sector_expectation> &sectors) {
    std::vector<uint64_t> h(sectors.size(), 0);
    std::vector<unsigned char> buf;
    for (size_t i = 0; i < sectors.size();) {
      size_t n = 1;
      while (i + n < sectors.size() && sectors[i + n].sector == sectors[i].sector + (int64_t)n &&
             n * ss_ < kMaxRead)
        n++;
      read_run(sectors[i].sector, n, buf, h.data() + i);
      i += n;
    }
    return h;
  }

  void read_run(int64_t first, size_t n, std::vector<unsigned char> &buf, uint64_t *out) {
    buf.resize(n * ss_);
    size_t done = 0;
    int e = kern::sys_pread(fd_, buf.data(), buf.size(), first * ss_, done);
    if (e != 0 && read_error_ == 0) read_error_ = e;
    for (size_t k = 0; k < n; k++)
      out[k] = e == 0 && (k + 1) * ss_ <= done ? content_hash(buf.data() + k * ss_, ss_) : 0;
  }

  // ---------------------------------------------------------- continuation

  bool written(int64_t sector) const {
    auto it = std::lower_bound(de_.sectors.begin(), de_.sectors.end(), sector,
                               [](const sector_expectation &s, int64_t v) { return s.sector < v; });
    return it != de_.sectors.end() && it->sector == sector;
  }

  bool block_written(int64_t off) const {
    for (int64_t s = off / ss_; s < (off + (int64_t)block_) / ss_; s++)
      if (written(s)) return true;
    return false;
  }

  bool block_fully_written(int64_t off) const {
    for (int64_t s = off / ss_; s < (off + (int64_t)block_) / ss_; s++)
      if (!written(s)) return false;
    return true;
  }

  void choose_targets() {
    block_ = std::max<uint32_t>(ss_, 4096) / ss_ * ss_;
    const int64_t blocks = mediasize_ / (int64_t)block_;
    // Where nothing was written: spread over the whole device, so that a
    // thin-provisioning class has to allocate for each one.
    for (int i = 0; i < 64 && (int)fresh_.size() < kContinuationBlocks && blocks > 0; i++) {
      int64_t off = blocks * i / 64 * (int64_t)block_;
      if (!block_written(off) && (fresh_.empty() || fresh_.back() != off)) fresh_.push_back(off);
    }
    // Over written data: blocks spread over what the workload wrote.
    std::vector<int64_t> over;
    for (const sector_expectation &s : de_.sectors) {
      int64_t off = s.sector * ss_;
      if (off % block_ == 0 && block_fully_written(off)) over.push_back(off);
    }
    for (int i = 0; i < kContinuationBlocks && !over.empty(); i++) {
      int64_t off = over[over.size() * i / kContinuationBlocks];
      if (over_.empty() || over_.back() != off) over_.push_back(off);
    }
  }

  void write_targets() {
    std::vector<unsigned char> buf(block_);
    for (int64_t off : targets()) {
      fill_new_data(de_.device, off, buf.data(), block_);
      for (uint32_t k = 0; k < block_ / ss_; k++)
        new_data_[off / ss_ + k] = content_hash(buf.data() + k * ss_, ss_);
      size_t done = 0;
      int e = kern::sys_pwrite(fd_, buf.data(), block_, off, done);
      if (e != 0 || done != block_) write_errors_.push_back({off, e != 0 ? e : kern::B_EIO});
    }
  }

  std::vector<int64_t> targets() const {
    std::vector<int64_t> t = fresh_;
    t.insert(t.end(), over_.begin(), over_.end());
    return t;
  }

  std::vector<uint64_t> read_targets() {
    std::vector<sector_expectation> list;
    for (int64_t off : targets())
      for (uint32_t k = 0; k < block_ / ss_; k++) list.push_back({off / ss_ + k});
    std::sort(list.begin(), list.end(),
              [](const auto &a, const auto &b) { return a.sector < b.sector; });
    target_sectors_ = list;
    return read_sectors(list);
  }

  // ---------------------------------------------------------- comparing

  void report() {
    if (open_error_ != 0) {
      report_missing();
      return;
    }
    compare_first();
    compare_new_data();
    compare_second();
    summarize();
  }

  void report_missing() {
    if (de_.durable_sectors == 0) {
      line(de_.device + ": cannot open (" + kern::bsd_strerror(open_error_) +
           "), but nothing written to it was durable: nothing to check");
      return;
    }
    finding("device-missing", "cannot open: " + std::string(kern::bsd_strerror(open_error_)) +
                                  ", but " + std::to_string(de_.durable_sectors) +
                                  " sectors written to it were durable");
  }

  std::string writer(int index) const {
    const device_write &d = rec_.device_writes()[index];
    std::string who = namer_ ? namer_(d.line) : "";
    return "written at offset " + std::to_string(d.offset) + (who.empty() ? "" : " by " + who);
  }

  std::string misplaced_note(uint64_t hash) const {
    auto it = x_.written_at.find(hash);
    if (it == x_.written_at.end()) return "";
    return "holds the data written to " + (it->second.device == de_.device ? std::string("")
                                                                        : it->second.device + " ") +
           "offset " + std::to_string(it->second.sector * ss_);
  }

  void compare_first() {
    const uint64_t zero = zero_sector_hash(ss_);
    for (size_t i = 0; i < de_.sectors.size(); i++) {
      const sector_expectation &s = de_.sectors[i];
      const uint64_t h = first_[i];
      if (s.unknown || de_.allows(s, h)) continue;
      if (h == 0) continue;  // unreadable: read-failed below
      std::string elsewhere = misplaced_note(h);
      if (!elsewhere.empty()) misplaced_.add(s.sector, elsewhere);
      else if (s.required >= 0)
        lost_.add(s.sector, writer(s.required) + (h == zero ? "; reads zeros" : "; reads other data"));
    }
  }

  void compare_new_data() {
    for (const auto &[sector, h] : new_data_) new_at_.emplace(h, sector);
    for (size_t i = 0; i < target_sectors_.size(); i++) {
      const int64_t s = target_sectors_[i].sector;
      const uint64_t h = target_reads_[i];
      if (h == new_data_[s]) continue;
      auto cause = new_at_.find(h);
      if (cause != new_at_.end())
        new_lost_.add(s, "now holds the data the check wrote at offset ", cause->second);
      else new_lost_.add(s, new_data_note(h));
    }
  }

  std::string new_data_note(uint64_t h) const {
    if (h == 0) return "unreadable";
    if (h == zero_sector_hash(ss_)) return "reads zeros";
    std::string elsewhere = misplaced_note(h);
    return elsewhere.empty() ? "reads other data" : elsewhere;
  }

  void compare_second() {
    for (size_t i = 0; i < de_.sectors.size(); i++) {
      const int64_t s = de_.sectors[i].sector;
      if (new_data_.count(s) != 0 || first_[i] == 0 || second_[i] == first_[i]) continue;
      auto cause = new_at_.find(second_[i]);
      if (cause == new_at_.end()) changed_.add(s, "changed by the continuation");
      else changed_.add(s, "now holds the data the check wrote at offset ", cause->second);
    }
  }

  void summarize() {
    if (read_error_ != 0)
      finding("read-failed", std::string("a read failed: ") + kern::bsd_strerror(read_error_));
    for (const auto &[off, e] : write_errors_)
      finding("write-failed", "writing " + std::to_string(block_) + " bytes at offset " +
                                  std::to_string(off) + " failed: " + kern::bsd_strerror(e));
    ranges("lost", lost_, "durable data does not read back");
    ranges("misplaced", misplaced_, "data written elsewhere shows here");
    ranges("new-data-lost", new_lost_, "data the check wrote does not read back");
    ranges("changed", changed_, "data the check did not address changed");
    if (failed_here_) return;
    line(de_.device + ": " + std::to_string(de_.sectors.size()) + " sectors written before the cut, " +
         std::to_string(de_.durable_sectors) + " of them durable: they read back as expected");
    line(de_.device + ": " + std::to_string(fresh_.size()) + " blocks written where the workload " +
         "wrote nothing and " + std::to_string(over_.size()) + " over its data: they read back, " +
         "nothing else changed");
  }

  void ranges(const char *kind, const range_list &list, const std::string &what) {
    if (list.empty()) return;
    const auto &r = list.ranges();
    for (size_t i = 0; i < r.size() && i < kMaxRangesShown; i++) {
      std::string note = r[i].note;
      if (r[i].source >= 0) note += std::to_string(r[i].source * ss_);
      finding(kind, what + ": " + bytes_at(r[i].first, r[i].count, ss_) + " (" + note + ")");
    }
    if (r.size() > kMaxRangesShown)
      finding(kind, "... and " + std::to_string(r.size() - kMaxRangesShown) + " more ranges");
  }

  void finding(const std::string &kind, const std::string &message) {
    failed_here_ = true;
    out_.findings.push_back({kind, de_.device, message});
    line("FAIL " + kind + ": " + de_.device + ": " + message);
  }

  void line(const std::string &text) { out_.lines.push_back("crash-check: " + text); }

  const device_expectations &de_;
  const expectations &x_;
  const recording &rec_;
  const line_namer &namer_;
  crash_check_result &out_;
  const uint32_t ss_;
  std::string stage_ = "start";
  int fd_ = -1, open_error_ = 0, read_error_ = 0;
  int64_t mediasize_ = 0;
  uint32_t block_ = 4096;
  std::vector<uint64_t> first_, second_, target_reads_;
  std::vector<int64_t> fresh_, over_;
  std::vector<sector_expectation> target_sectors_;
  std::map<int64_t, uint64_t> new_data_;  // sector -> hash written there
  std::unordered_map<uint64_t, int64_t> new_at_;  // hash -> sector it was written to
  std::vector<std::pair<int64_t, int>> write_errors_;
  range_list lost_, misplaced_, new_lost_, changed_;
  bool failed_here_ = false;
};

// Providers a geom of another class than DEV consumes, by name, with that
// class: the workload may have written a disk that a class then took over
// (labelled it): that disk is checked through the class's device, and the
// continuation must not write under the class.
std::map<std::string, std::string> taken_providers(const std::string &xml) {
  std::map<std::string, std::string> taken;
  gmesh mesh;
  if (geom_xml2tree(mesh, xml) != 0) return taken;
  for (const auto &cls : mesh.classes) {
    if (cls->name == "DEV") continue;
    for (const auto &gp : cls->geoms)
      for (const auto &cp : gp->consumers)
        if (cp->provider != nullptr) taken.emplace(cp->provider->name, cls->name + " (" + gp->name + ")");
  }
  return taken;
}

// Reads the GEOM configuration: every geom's dumpconf runs.
bool read_confxml(machine &m, crash_check_result &out, std::string &xml) {
  std::string wmesg;
  bool done = in_kernel(m, [&] { kern::sys_sysctl_get("kern.geom.confxml", xml); }, &wmesg);
  if (!done && m.kernel() != nullptr) {
    out.findings.push_back({"hang", "", "reading kern.geom.confxml never finished: it waits on \"" +
                                            wmesg + "\""});
    out.lines.push_back("crash-check: FAIL hang: " + out.findings.back().message);
  }
  return done;
}

}  // namespace

crash_check_result crash_check(machine &m, const recording &rec, size_t after,
                               const line_namer &name_line) {
  return crash_check(m, rec, expectations_at(rec, after), name_line);
}

crash_check_result crash_check(machine &m, const recording &rec, const expectations &x,
                               const line_namer &name_line) {
  crash_check_result out;
  if (m.kernel() == nullptr) return out;
  m.kernel()->settle();
  std::string xml;
  if (!read_confxml(m, out, xml)) return out;
  const std::map<std::string, std::string> taken = taken_providers(xml);
  for (const device_expectations &de : x.devices) {
    if (de.sectors.empty()) continue;
    auto t = taken.find(de.device.compare(0, 5, "/dev/") == 0 ? de.device.substr(5) : de.device);
    if (t != taken.end()) {
      out.lines.push_back("crash-check: " + de.device + ": in use by " + t->second +
                          ": checked through it, not directly");
      continue;
    }
    device_check dc(de, x, rec, name_line, out);
    if (!dc.run(m)) break;
  }
  return out;
}

}  // namespace sim::explore
