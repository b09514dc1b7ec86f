// Parsing simulation directives. See sim/scenario/directive.h.
#include "sim/scenario/directive.h"

#include <cerrno>
#include <cstdlib>
#include <map>

#include "sim/userland/program.h"

namespace sim {

namespace {

bool parse_u64(const std::string &s, uint64_t &v) {
  if (s.empty()) return false;
  char *end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(s.c_str(), &end, 10);
  if (*end != '\0' || errno != 0 || s[0] == '-') return false;
  v = n;
  return true;
}

// key=value words after the positional ones.
bool split_kv(const std::string &w, std::string &k, std::string &v) {
  size_t eq = w.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  k = w.substr(0, eq);
  v = w.substr(eq + 1);
  return true;
}

std::string join(const std::vector<std::string> &w, size_t from) {
  std::string s;
  for (size_t i = from; i < w.size(); i++) s += (i > from ? " " : "") + w[i];
  return s;
}

// When a fault happens: "" or "now", "after N writes [on DISK]", or
// "at CMD DISK [offset=N]". w[0] is the directive.
bool parse_trigger(const std::vector<std::string> &w, directive &d, std::string &error,
                   const std::string &what) {
  const std::string usage = "usage: " + what +
                            " [now | after N writes [on DISK] | at READ|WRITE|DELETE|FLUSH DISK [offset=N]]";
  if (w.size() == 1 || (w.size() == 2 && w[1] == "now")) {
    d.trigger = "now";
    return true;
  }
  if (w[1] == "after") {
    if (!(w.size() == 4 || w.size() == 6) || (w[3] != "writes" && w[3] != "write") ||
        (w.size() == 6 && w[4] != "on")) {
      error = usage;
      return false;
    }
    d.trigger = "after";
    if (!parse_u64(w[2], d.number) || d.number == 0) {
      error = "bad write count '" + w[2] + "'";
      return false;
    }
    if (w.size() == 6) d.name = w[5];
    return true;
  }
  if (w[1] == "at") {
    if (w.size() < 4 || w.size() > 5) {
      error = usage;
      return false;
    }
    d.trigger = "at";
    d.cmd = w[2];
    if (d.cmd != "READ" && d.cmd != "WRITE" && d.cmd != "DELETE" && d.cmd != "FLUSH") {
      error = "unknown command '" + d.cmd + "' (READ, WRITE, DELETE, FLUSH)";
      return false;
    }
    d.name = w[3];
    if (w.size() == 5) {
      std::string k, v;
      uint64_t off;
      if (!split_kv(w[4], k, v) || k != "offset" || !expand_number(v, off)) {
        error = "expected offset=N, got '" + w[4] + "'";
        return false;
      }
      d.offset = (int64_t)off;
    }
    return true;
  }
  error = usage;
  return false;
}

}  // namespace

bool parse_duration(const std::string &s, int64_t &ns) {
  if (s.empty()) return false;
  size_t i = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) i++;
  if (i == 0) return false;
  char *end = nullptr;
  double v = std::strtod(s.substr(0, i).c_str(), &end);
  if (*end != '\0' || v < 0) return false;
  std::string unit = s.substr(i);
  double mult;
  if (unit.empty() || unit == "s") mult = 1e9;
  else if (unit == "ms") mult = 1e6;
  else if (unit == "us") mult = 1e3;
  else if (unit == "ns") mult = 1;
  else if (unit == "m" || unit == "min") mult = 60e9;
  else return false;
  if (v * mult > 9.2e18) return false;
  ns = (int64_t)(v * mult);
  return true;
}

namespace {

using words = std::vector<std::string>;

// Each directive's parser: fills d from w (w[0] is the directive) or sets
// `error`. `need` checks the word count against a usage line.
bool need(const words &w, size_t min, size_t max, const char *usage, std::string &error) {
  if (w.size() >= min && w.size() <= max) return true;
  error = std::string("usage: ") + usage;
  return false;
}

bool size_arg(const std::string &s, uint64_t &v, std::string &error) {
  if (expand_number(s, v) && v != 0) return true;
  error = "bad size '" + s + "'";
  return false;
}

bool parse_seed(const words &w, directive &d, std::string &error) {
  d.kind = directive::seed;
  if (!need(w, 2, 2, "@seed N", error)) return false;
  if (parse_u64(w[1], d.number)) return true;
  error = "bad seed '" + w[1] + "'";
  return false;
}

bool parse_loader(const words &w, directive &d, std::string &error) {
  d.kind = directive::loader;
  if (!need(w, 2, 2, "@loader name=value", error)) return false;
  if (split_kv(w[1], d.key, d.value)) return true;
  error = "expected name=value, got '" + w[1] + "'";
  return false;
}

// One key=value option of @disk.
bool disk_option(const std::string &word, directive &d, std::string &error) {
  std::string k, v;
  if (!split_kv(word, k, v)) {
    error = "expected key=value, got '" + word + "'";
    return false;
  }
  if (k == "sector") {
    uint64_t ss;
    if (parse_u64(v, ss) && (ss == 512 || ss == 4096)) {
      d.sectorsize = (unsigned)ss;
      return true;
    }
    error = "sector size must be 512 or 4096";
    return false;
  }
  if (k == "cache") {
    if (v == "write-through" || v == "write-back") {
      d.cache = v;
      return true;
    }
    error = "cache must be write-through or write-back";
    return false;
  }
  if (k == "flush") {
    if (v == "yes" || v == "no") {
      d.flush = v == "yes";
      return true;
    }
    error = "flush must be yes or no";
    return false;
  }
  error = "unknown disk option '" + k + "'";
  return false;
}

bool parse_disk(const words &w, directive &d, std::string &error) {
  d.kind = directive::disk;
  if (!need(w, 3, 6,
            "@disk NAME SIZE [sector=512|4096] [cache=write-through|write-back] [flush=yes|no]",
            error))
    return false;
  d.name = w[1];
  if (!size_arg(w[2], d.size, error)) return false;
  for (size_t i = 3; i < w.size(); i++)
    if (!disk_option(w[i], d, error)) return false;
  if (d.size % d.sectorsize == 0) return true;
  error = "size is not a multiple of the sector size";
  return false;
}

bool parse_image(const words &w, directive &d, std::string &error) {
  d.kind = directive::image;
  if (!need(w, 3, 4, "@image PATH HOSTFILE [ro|cow]", error)) return false;
  d.name = w[1];
  d.host_path = w[2];
  if (w.size() == 3) return true;
  if (w[3] == "ro" || w[3] == "cow") {
    d.readonly = w[3] == "ro";
    d.cow = w[3] == "cow";
    return true;
  }
  error = "expected 'ro' or 'cow', got '" + w[3] + "'";
  return false;
}

bool parse_pull(const words &w, directive &d, std::string &error) {
  d.kind = directive::pull;
  if (w.size() < 2) {
    error = "usage: @pull DISK [after N writes [on DISK] | at CMD DISK [offset=N]]";
    return false;
  }
  d.pull_target = w[1];
  words rest(w.begin() + 1, w.end());
  rest[0] = "@pull";
  return parse_trigger(rest, d, error, "@pull DISK");
}

bool parse_stall(const words &w, directive &d, std::string &error) {
  const std::string &name = w[0];
  d.kind = name == "@stall" ? directive::stall : directive::resume;
  if (w.size() < 2 || (d.kind == directive::resume && w.size() != 2)) {
    error = name == "@stall"
                ? "usage: @stall g_event|g_up|g_down [after N writes [on DISK] | at CMD DISK [offset=N]]"
                : "usage: @resume g_event|g_up|g_down";
    return false;
  }
  d.thread = w[1];
  if (d.thread != "g_event" && d.thread != "g_up" && d.thread != "g_down") {
    error = "unknown GEOM thread '" + d.thread + "' (g_event, g_up, g_down)";
    return false;
  }
  if (d.kind == directive::resume) {
    d.trigger = "now";
    return true;
  }
  words rest(w.begin() + 1, w.end());
  rest[0] = "@stall";
  return parse_trigger(rest, d, error, "@stall THREAD");
}

// One nth=, count= or percent= option of @fault.
bool fault_option(const std::string &word, directive &d, std::string &error) {
  std::string k, v;
  if (!split_kv(word, k, v)) {
    error = "expected key=value, got '" + word + "'";
    return false;
  }
  uint64_t n;
  if (!parse_u64(v, n)) {
    error = "bad number '" + v + "'";
    return false;
  }
  if (k == "nth" && n >= 1) d.nth = n;
  else if (k == "count") d.count = n;
  else if (k == "percent" && n <= 100) d.percent = (uint32_t)n;
  else {
    error = "bad fault option '" + word + "'";
    return false;
  }
  return true;
}

bool parse_fault(const words &w, directive &d, std::string &error) {
  if (w.size() == 2 && w[1] == "clear") {
    d.kind = directive::fault_clear;
    return true;
  }
  d.kind = directive::fault;
  if (!need(w, 2, 6, "@fault POINT [DETAIL] [nth=N] [count=N] [percent=P] | @fault clear", error))
    return false;
  d.point = w[1];
  if (d.point != "malloc" && d.point != "g_clone_bio" && d.point != "g_new_bio") {
    error = "unknown fault point '" + d.point + "' (malloc, g_clone_bio, g_new_bio)";
    return false;
  }
  for (size_t i = 2; i < w.size(); i++) {
    if (i == 2 && w[i].find('=') == std::string::npos) d.detail = w[i];
    else if (!fault_option(w[i], d, error)) return false;
  }
  return true;
}

// @crash after record N ... | @crash at WRITE|DELETE DISK nth=N ...
bool parse_crash_point(const words &w, directive &d, std::string &error, size_t &next) {
  const char *usage =
      "usage: @crash after record N | at WRITE|DELETE DISK nth=N [lose LIST] [tear LIST]";
  if (w.size() >= 4 && w[1] == "after" && w[2] == "record") {
    d.trigger = "record";
    next = 4;
    if (parse_u64(w[3], d.number) && d.number > 0) return true;
    error = "bad write log number '" + w[3] + "'";
    return false;
  }
  std::string k, v;
  if (w.size() >= 5 && w[1] == "at" && (w[2] == "WRITE" || w[2] == "DELETE") &&
      split_kv(w[4], k, v) && k == "nth") {
    d.trigger = "at";
    d.cmd = w[2];
    d.name = w[3];
    next = 5;
    if (parse_u64(v, d.nth) && d.nth > 0) return true;
    error = "bad nth '" + v + "'";
    return false;
  }
  error = usage;
  return false;
}

bool parse_crash(const words &w, directive &d, std::string &error) {
  d.kind = directive::crash;
  size_t next = 0;
  if (!parse_crash_point(w, d, error, next)) return false;
  d.fate_words.assign(w.begin() + (long)next, w.end());
  for (size_t i = 0; i < d.fate_words.size(); i += 2) {
    const std::string &k = d.fate_words[i];
    if ((k != "lose" && k != "tear") || i + 1 >= d.fate_words.size()) {
      error = "expected lose LIST or tear LIST, got '" + k + "'";
      return false;
    }
  }
  return true;
}

// "expect LIST" at the end of @crash-check and @virstor-check; `end` is
// where the words before it stop.
bool parse_expect_list(const words &w, directive &d, std::string &error, size_t &end) {
  end = w.size();
  if (w.size() < 2 || w[w.size() - 2] != "expect") return true;
  end = w.size() - 2;
  d.expect_findings = true;
  const std::string &list = w.back();
  if (list == "nothing") return true;
  for (size_t b = 0; b <= list.size();) {
    size_t e = list.find(',', b);
    if (e == std::string::npos) e = list.size();
    if (e == b) {
      error = "bad list of findings '" + list + "'";
      return false;
    }
    d.expected.push_back(list.substr(b, e - b));
    b = e + 1;
  }
  return true;
}

bool parse_virstor_check(const words &w, directive &d, std::string &error) {
  d.kind = directive::virstor_check;
  size_t end;
  if (!parse_expect_list(w, d, error, end)) return false;
  d.names.assign(w.begin() + 1, w.begin() + (long)end);
  return true;
}

bool parse_crash_check(const words &w, directive &d, std::string &error) {
  d.kind = directive::crash_check;
  size_t end;
  if (!parse_expect_list(w, d, error, end)) return false;
  if (end == 1) return true;
  error = "usage: @crash-check [expect KIND[,KIND...]]";
  return false;
}

bool parse_power_cut(const words &w, directive &d, std::string &error) {
  d.kind = directive::power_cut;
  return parse_trigger(w, d, error, "@power-cut");
}

// A directive of one word.
bool parse_bare(const words &w, directive &d, std::string &error) {
  static const std::map<std::string, enum directive::kind> kinds = {
      {"@reboot", directive::reboot}, {"@shutdown", directive::shutdown},
      {"@boot", directive::boot},     {"@wait", directive::wait},
      {"@after-crash", directive::after_crash}};
  d.kind = kinds.at(w[0]);
  return need(w, 1, 1, w[0].c_str(), error);
}

bool parse_sleep(const words &w, directive &d, std::string &error) {
  d.kind = directive::sleep;
  if (!need(w, 2, 2, "@sleep DURATION (5s, 250ms, ...)", error)) return false;
  if (parse_duration(w[1], d.duration_ns)) return true;
  error = "bad duration '" + w[1] + "'";
  return false;
}

// @check DEVICE [OFFSET LENGTH] and @expect data DEVICE [OFFSET LENGTH].
bool parse_data_check(const words &w, directive &d, std::string &error) {
  const bool is_check = w[0] == "@check";
  const size_t base = is_check ? 1 : 2;
  d.kind = is_check ? directive::check : directive::expect;
  d.what = directive::data;
  if (w.size() != base + 1 && w.size() != base + 3) {
    error = is_check ? "usage: @check DEVICE [OFFSET LENGTH]"
                     : "usage: @expect data DEVICE [OFFSET LENGTH]";
    return false;
  }
  d.name = w[base];
  d.offset = 0;
  d.length = -1;
  if (w.size() == base + 1) return true;
  uint64_t off, len;
  if (!expand_number(w[base + 1], off) || !expand_number(w[base + 2], len)) {
    error = "bad offset or length";
    return false;
  }
  d.offset = (int64_t)off;
  d.length = (int64_t)len;
  return true;
}

bool parse_writelog(const words &w, directive &d, std::string &error) {
  d.kind = directive::writelog;
  if (!need(w, 1, 2, "@writelog [DISK]", error)) return false;
  if (w.size() == 2) d.name = w[1];
  return true;
}

bool parse_echo(const words &w, directive &d, std::string &) {
  d.kind = directive::echo;
  d.text = join(w, 1);
  return true;
}

bool parse_expect_stream(const words &w, directive &d, std::string &error) {
  d.what = directive::stream;
  d.stream_name = w[1];
  if (w.size() < 4 || (w[2] != "contains" && w[2] != "equals" && w[2] != "lacks")) {
    error = "usage: @expect " + w[1] + " contains|equals|lacks TEXT";
    return false;
  }
  d.op = w[2];
  d.text = join(w, 3);
  return true;
}

bool parse_expect_exit(const words &w, directive &d, std::string &error) {
  d.what = directive::exit_code;
  if (!need(w, 3, 3, "@expect exit N", error)) return false;
  if (parse_u64(w[2], d.number) && d.number <= 255) return true;
  error = "bad exit status '" + w[2] + "'";
  return false;
}

bool parse_expect_device(const words &w, directive &d, std::string &error) {
  d.what = w[1] == "device" ? directive::device : directive::no_device;
  if (!need(w, 3, 3, "@expect device|no-device PATH", error)) return false;
  d.name = w[2];
  return true;
}

// @expect ok, blocked (no more words), fail, panic, finding (TEXT).
bool parse_expect_simple(const words &w, directive &d, std::string &error) {
  static const std::map<std::string, directive::expect_kind> kinds = {
      {"ok", directive::ok}, {"blocked", directive::blocked}, {"fail", directive::fail},
      {"panic", directive::panic}, {"finding", directive::finding}};
  d.what = kinds.at(w[1]);
  if (d.what == directive::ok) return need(w, 2, 2, "@expect ok", error);
  if (d.what == directive::blocked) return need(w, 2, 2, "@expect blocked", error);
  d.text = join(w, 2);
  return true;
}

bool parse_expect(const words &w, directive &d, std::string &error) {
  d.kind = directive::expect;
  if (w.size() < 2) {
    error = "usage: @expect ok|fail|exit|stdout|stderr|output|console|device|no-device|panic|data|blocked|finding ...";
    return false;
  }
  const std::string &k = w[1];
  if (k == "ok" || k == "blocked" || k == "fail" || k == "panic" || k == "finding")
    return parse_expect_simple(w, d, error);
  if (k == "exit") return parse_expect_exit(w, d, error);
  if (k == "stdout" || k == "stderr" || k == "output" || k == "console")
    return parse_expect_stream(w, d, error);
  if (k == "device" || k == "no-device") return parse_expect_device(w, d, error);
  if (k == "data") return parse_data_check(w, d, error);
  error = "unknown expectation '" + k + "'";
  return false;
}

using parser = bool (*)(const words &, directive &, std::string &);

const std::map<std::string, parser> &parsers() {
  static const std::map<std::string, parser> table = {
      {"@seed", parse_seed},         {"@loader", parse_loader},
      {"@disk", parse_disk},         {"@image", parse_image},
      {"@pull", parse_pull},         {"@stall", parse_stall},
      {"@resume", parse_stall},      {"@fault", parse_fault},
      {"@power-cut", parse_power_cut}, {"@reboot", parse_bare},
      {"@shutdown", parse_bare},     {"@boot", parse_bare},
      {"@wait", parse_bare},         {"@sleep", parse_sleep},
      {"@check", parse_data_check},  {"@writelog", parse_writelog},
      {"@echo", parse_echo},         {"@expect", parse_expect},
      {"@crash", parse_crash},       {"@crash-check", parse_crash_check},
      {"@after-crash", parse_bare},  {"@virstor-check", parse_virstor_check},
  };
  return table;
}

}  // namespace

bool parse_directive(const std::vector<std::string> &w, directive &d, std::string &error) {
  auto it = parsers().find(w[0]);
  if (it != parsers().end()) return it->second(w, d, error);
  error = "unknown directive '" + w[0] + "'";
  return false;
}

}  // namespace sim
