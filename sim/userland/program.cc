// Program registry, getopt and number helpers. See sim/userland/program.h.
#include "sim/userland/program.h"

#include <cstdio>
#include <map>

#include "kern/bsd_errno.h"

namespace sim {

namespace {
std::string vfmt(const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = std::vsnprintf(nullptr, 0, fmt, ap2);
  va_end(ap2);
  std::string s(n > 0 ? (size_t)n : 0, '\0');
  if (n > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, ap);
  return s;
}

std::map<std::string, program_info> &registry() {
  static std::map<std::string, program_info> r;
  return r;
}
}  // namespace

size_t proc_io::room_for(size_t len) {
  size_t room = all.size() < kOutputLimit ? kOutputLimit - all.size() : 0;
  if (len <= room) return len;
  output_cut = true;
  return room;
}

void proc_io::put_out(const char *data, size_t len) {
  len = room_for(len);
  out.append(data, len);
  all.append(data, len);
}

void proc_io::put_err(const std::string &s) {
  size_t len = room_for(s.size());
  err.append(s, 0, len);
  all.append(s, 0, len);
}

void proc_io::print(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = vfmt(fmt, ap);
  va_end(ap);
  put_out(s.data(), s.size());
}

void proc_io::eprint(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = vfmt(fmt, ap);
  va_end(ap);
  put_err(s);
}

void proc_io::warn(int error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = progname + ": " + vfmt(fmt, ap) + ": " + kern::bsd_strerror(error) + "\n";
  va_end(ap);
  put_err(s);
}

void proc_io::warnx(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = progname + ": " + vfmt(fmt, ap) + "\n";
  va_end(ap);
  put_err(s);
}

void register_program(program_info p) {
  std::string name = p.name;
  registry()[name] = std::move(p);
}

const program_info *find_program(const std::string &name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<const program_info *> all_programs() {
  std::vector<const program_info *> v;
  for (auto &[n, p] : registry()) v.push_back(&p);
  return v;
}

getopt::getopt(const std::vector<std::string> &argv, const char *optstring, proc_io &io)
    : argv_(argv), optstring_(optstring), io_(io) {}

int getopt::next() {
  optarg.clear();
  if (pos_ == 0) {
    if (optind >= argv_.size()) return -1;
    const std::string &a = argv_[optind];
    if (a.size() < 2 || a[0] != '-') return -1;
    if (a == "--") {
      optind++;
      return -1;
    }
    pos_ = 1;
  }
  const std::string &a = argv_[optind];
  char c = a[pos_++];
  size_t k = optstring_.find(c);
  if (c == ':' || k == std::string::npos) {
    io_.eprint("%s: illegal option -- %c\n", io_.progname.c_str(), c);
    io_.usage_error = true;
    if (pos_ >= a.size()) {
      pos_ = 0;
      optind++;
    }
    return '?';
  }
  if (k + 1 < optstring_.size() && optstring_[k + 1] == ':') {
    if (pos_ < a.size()) {
      optarg = a.substr(pos_);
    } else if (optind + 1 < argv_.size()) {
      optarg = argv_[++optind];
    } else {
      io_.eprint("%s: option requires an argument -- %c\n", io_.progname.c_str(), c);
      io_.usage_error = true;
      pos_ = 0;
      optind++;
      return '?';
    }
    pos_ = 0;
    optind++;
    return c;
  }
  if (pos_ >= a.size()) {
    pos_ = 0;
    optind++;
  }
  return c;
}

bool expand_number(const std::string &s, uint64_t &out) {
  if (s.empty()) return false;
  size_t i = 0;
  uint64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    uint64_t d = (uint64_t)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
    i++;
  }
  if (i == 0) return false;
  if (i == s.size()) {
    out = v;
    return true;
  }
  if (i + 1 != s.size()) return false;
  int shift;
  switch (s[i]) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    case 'p': case 'P': shift = 50; break;
    case 'e': case 'E': shift = 60; break;
    default: return false;
  }
  if (v > (UINT64_MAX >> shift)) return false;
  out = v << shift;
  return true;
}

std::string humanize_number(uint64_t bytes) {
  // HN_AUTOSCALE | HN_B | HN_NOSPACE | HN_DECIMAL with a 6-byte buffer,
  // as geom(8) prints mediasizes: "64M", "1.0G", "512B".
  static const char *units[] = {"B", "K", "M", "G", "T", "P", "E"};
  int i = 0;
  uint64_t divisor = 1;
  // Pick the unit so that the number fits in 3 digits (plus ".d").
  while (i < 6 && bytes / divisor >= 1000) {
    divisor *= 1024;
    i++;
  }
  char buf[32];
  uint64_t whole = bytes / divisor;
  if (i > 0 && whole < 10) {
    // one decimal, rounded
    uint64_t tenths = (bytes * 10 + divisor / 2) / divisor;
    if (tenths >= 100) {
      std::snprintf(buf, sizeof buf, "%llu%s", (unsigned long long)(tenths / 10), units[i]);
    } else {
      std::snprintf(buf, sizeof buf, "%llu.%llu%s", (unsigned long long)(tenths / 10),
                    (unsigned long long)(tenths % 10), units[i]);
    }
  } else {
    uint64_t r = (bytes + divisor / 2) / divisor;
    std::snprintf(buf, sizeof buf, "%llu%s", (unsigned long long)r, units[i]);
  }
  return buf;
}

}  // namespace sim
