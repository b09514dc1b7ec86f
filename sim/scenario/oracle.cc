// The oracle of acknowledged data. See sim/scenario/oracle.h.
#include "sim/scenario/oracle.h"

#include <algorithm>
#include <cstring>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/media/hash.h"

namespace sim {

namespace {
oracle *g_current = nullptr;
constexpr int64_t kUnknown = -1;
}  // namespace

oracle *oracle::current() { return g_current; }
void oracle::set_current(oracle *o) { g_current = o; }

uint64_t oracle::hash(const void *data, size_t len) { return content_hash(data, len); }

void oracle::write_started(const std::string &dev, int64_t offset, const void *data, size_t len,
                           unsigned sectorsize) {
  if (observer_ != nullptr) observer_->write_started(dev, offset, data, len, sectorsize);
}

void oracle::record_write(const std::string &dev, int64_t offset, const void *data, size_t len,
                          unsigned sectorsize) {
  if (observer_ != nullptr) observer_->write_ended(dev, offset, len, true);
  std::lock_guard<kern::host_mutex> g(mu_);
  device &d = devs_[dev];
  d.sectorsize = sectorsize;
  auto *p = (const unsigned char *)data;
  for (size_t done = 0; done + sectorsize <= len; done += sectorsize)
    d.sectors[(offset + (int64_t)done) / sectorsize] = (int64_t)hash(p + done, sectorsize);
}

void oracle::record_failed_write(const std::string &dev, int64_t offset, size_t len,
                                 unsigned sectorsize) {
  if (observer_ != nullptr) observer_->write_ended(dev, offset, len, false);
  std::lock_guard<kern::host_mutex> g(mu_);
  device &d = devs_[dev];
  d.sectorsize = sectorsize;
  for (size_t done = 0; done < len; done += sectorsize)
    d.sectors[(offset + (int64_t)done) / sectorsize] = (uint64_t)kUnknown;
}

void oracle::forget(const std::string &dev) {
  if (observer_ != nullptr) observer_->region_unknown(dev, 0, -1);
  std::lock_guard<kern::host_mutex> g(mu_);
  devs_.erase(dev);
}

void oracle::truncate(const std::string &dev, int64_t size) {
  if (observer_ != nullptr) observer_->region_unknown(dev, size, -1);
  std::lock_guard<kern::host_mutex> g(mu_);
  auto it = devs_.find(dev);
  if (it == devs_.end()) return;
  device &d = it->second;
  const int64_t first_gone = (size + d.sectorsize - 1) / d.sectorsize;
  d.sectors.erase(d.sectors.lower_bound(first_gone), d.sectors.end());
}

bool oracle::knows(const std::string &dev) const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return devs_.count(dev) != 0;
}

std::vector<std::string> oracle::devices() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  std::vector<std::string> v;
  for (auto &[n, d] : devs_) v.push_back(n);
  return v;
}

oracle::check_result oracle::check(const std::string &dev, int64_t offset, int64_t length) {
  check_result r;
  device d;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    auto it = devs_.find(dev);
    if (it == devs_.end()) return r;
    d = it->second;
  }
  const int64_t ss = d.sectorsize;
  int fd;
  r.error = kern::sys_open(dev, kern::BSD_O_RDONLY, fd);
  if (r.error != 0) return r;
  std::vector<unsigned char> buf;
  auto add_bad = [&](int64_t sector) {
    r.sectors_bad++;
    if (!r.bad.empty() && r.bad.back().offset + r.bad.back().length == sector * ss)
      r.bad.back().length += ss;
    else
      r.bad.push_back({sector * ss, ss});
  };
  auto it = d.sectors.begin();
  while (it != d.sectors.end()) {
    int64_t first = it->first;
    if (first * ss < offset || (length >= 0 && first * ss >= offset + length)) {
      ++it;
      continue;
    }
    // Read a run of consecutive recorded sectors at once (up to 1 MiB).
    auto end = it;
    int64_t count = 0;
    while (end != d.sectors.end() && end->first == first + count && count < (1 << 20) / ss &&
           (length < 0 || (end->first + 1) * ss <= offset + length)) {
      ++end;
      ++count;
    }
    if (count == 0) {
      ++it;
      continue;
    }
    buf.resize((size_t)(count * ss));
    size_t done = 0;
    int e = kern::sys_pread(fd, buf.data(), buf.size(), first * ss, done);
    for (int64_t k = 0; k < count; k++, ++it) {
      if ((int64_t)it->second == kUnknown) continue;
      r.sectors_checked++;
      bool ok = e == 0 && (size_t)((k + 1) * ss) <= done &&
                hash(buf.data() + k * ss, (size_t)ss) == it->second;
      if (!ok) add_bad(it->first);
    }
  }
  kern::sys_close(fd);
  return r;
}

}  // namespace sim
