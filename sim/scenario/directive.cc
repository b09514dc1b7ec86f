// Parsing simulation directives. See sim/scenario/directive.h.
#include "sim/scenario/directive.h"

#include <cerrno>
#include <cstdlib>

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

bool parse_directive(const std::vector<std::string> &w, directive &d, std::string &error) {
  const std::string &name = w[0];
  auto need = [&](size_t min, size_t max, const char *usage) {
    if (w.size() < min || w.size() > max) {
      error = std::string("usage: ") + usage;
      return false;
    }
    return true;
  };
  auto size_arg = [&](const std::string &s, uint64_t &v) {
    if (!expand_number(s, v) || v == 0) {
      error = "bad size '" + s + "'";
      return false;
    }
    return true;
  };
  if (name == "@seed") {
    d.kind = directive::seed;
    if (!need(2, 2, "@seed N")) return false;
    if (!parse_u64(w[1], d.number)) {
      error = "bad seed '" + w[1] + "'";
      return false;
    }
    return true;
  }
  if (name == "@loader") {
    d.kind = directive::loader;
    if (!need(2, 2, "@loader name=value")) return false;
    if (!split_kv(w[1], d.key, d.value)) {
      error = "expected name=value, got '" + w[1] + "'";
      return false;
    }
    return true;
  }
  if (name == "@disk") {
    d.kind = directive::disk;
    if (!need(3, 6, "@disk NAME SIZE [sector=512|4096] [cache=write-through|write-back] [flush=yes|no]"))
      return false;
    d.name = w[1];
    if (!size_arg(w[2], d.size)) return false;
    for (size_t i = 3; i < w.size(); i++) {
      std::string k, v;
      if (!split_kv(w[i], k, v)) {
        error = "expected key=value, got '" + w[i] + "'";
        return false;
      }
      if (k == "sector") {
        uint64_t ss;
        if (!parse_u64(v, ss) || (ss != 512 && ss != 4096)) {
          error = "sector size must be 512 or 4096";
          return false;
        }
        d.sectorsize = (unsigned)ss;
      } else if (k == "cache") {
        if (v != "write-through" && v != "write-back") {
          error = "cache must be write-through or write-back";
          return false;
        }
        d.cache = v;
      } else if (k == "flush") {
        if (v != "yes" && v != "no") {
          error = "flush must be yes or no";
          return false;
        }
        d.flush = v == "yes";
      } else {
        error = "unknown disk option '" + k + "'";
        return false;
      }
    }
    if (d.size % d.sectorsize != 0) {
      error = "size is not a multiple of the sector size";
      return false;
    }
    return true;
  }
  if (name == "@image") {
    d.kind = directive::image;
    if (!need(3, 4, "@image PATH HOSTFILE [ro]")) return false;
    d.name = w[1];
    d.host_path = w[2];
    if (w.size() == 4) {
      if (w[3] != "ro") {
        error = "expected 'ro', got '" + w[3] + "'";
        return false;
      }
      d.readonly = true;
    }
    return true;
  }
  if (name == "@pull") {
    d.kind = directive::pull;
    if (w.size() < 2) {
      error = "usage: @pull DISK [after N writes [on DISK] | at CMD DISK [offset=N]]";
      return false;
    }
    d.pull_target = w[1];
    std::vector<std::string> rest(w.begin() + 1, w.end());
    rest[0] = "@pull";
    return parse_trigger(rest, d, error, "@pull DISK");
  }
  if (name == "@stall" || name == "@resume") {
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
    std::vector<std::string> rest(w.begin() + 1, w.end());
    rest[0] = "@stall";
    return parse_trigger(rest, d, error, "@stall THREAD");
  }
  if (name == "@fault") {
    if (w.size() == 2 && w[1] == "clear") {
      d.kind = directive::fault_clear;
      return true;
    }
    d.kind = directive::fault;
    if (!need(2, 6, "@fault POINT [DETAIL] [nth=N] [count=N] [percent=P] | @fault clear")) return false;
    d.point = w[1];
    if (d.point != "malloc" && d.point != "g_clone_bio" && d.point != "g_new_bio") {
      error = "unknown fault point '" + d.point + "' (malloc, g_clone_bio, g_new_bio)";
      return false;
    }
    for (size_t i = 2; i < w.size(); i++) {
      std::string k, v;
      if (!split_kv(w[i], k, v)) {
        if (i == 2) {
          d.detail = w[i];
          continue;
        }
        error = "expected key=value, got '" + w[i] + "'";
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
        error = "bad fault option '" + w[i] + "'";
        return false;
      }
    }
    return true;
  }
  if (name == "@power-cut") {
    d.kind = directive::power_cut;
    return parse_trigger(w, d, error, "@power-cut");
  }
  if (name == "@reboot") {
    d.kind = directive::reboot;
    return need(1, 1, "@reboot");
  }
  if (name == "@shutdown") {
    d.kind = directive::shutdown;
    return need(1, 1, "@shutdown");
  }
  if (name == "@boot") {
    d.kind = directive::boot;
    return need(1, 1, "@boot");
  }
  if (name == "@wait") {
    d.kind = directive::wait;
    return need(1, 1, "@wait");
  }
  if (name == "@sleep") {
    d.kind = directive::sleep;
    if (!need(2, 2, "@sleep DURATION (5s, 250ms, ...)")) return false;
    if (!parse_duration(w[1], d.duration_ns)) {
      error = "bad duration '" + w[1] + "'";
      return false;
    }
    return true;
  }
  if (name == "@check" || (name == "@expect" && w.size() >= 2 && w[1] == "data")) {
    bool is_check = name == "@check";
    size_t base = is_check ? 1 : 2;
    d.kind = is_check ? directive::check : directive::expect;
    d.what = directive::data;
    if (w.size() != base + 1 && w.size() != base + 3) {
      error = is_check ? "usage: @check DEVICE [OFFSET LENGTH]"
                       : "usage: @expect data DEVICE [OFFSET LENGTH]";
      return false;
    }
    d.name = w[base];
    if (w.size() == base + 3) {
      uint64_t off, len;
      if (!expand_number(w[base + 1], off) || !expand_number(w[base + 2], len)) {
        error = "bad offset or length";
        return false;
      }
      d.offset = (int64_t)off;
      d.length = (int64_t)len;
    } else {
      d.offset = 0;
      d.length = -1;
    }
    return true;
  }
  if (name == "@writelog") {
    d.kind = directive::writelog;
    if (!need(1, 2, "@writelog [DISK]")) return false;
    if (w.size() == 2) d.name = w[1];
    return true;
  }
  if (name == "@echo") {
    d.kind = directive::echo;
    d.text = join(w, 1);
    return true;
  }
  if (name == "@expect") {
    d.kind = directive::expect;
    if (w.size() < 2) {
      error = "usage: @expect ok|fail|exit|stdout|stderr|output|console|device|no-device|panic|data|blocked|finding ...";
      return false;
    }
    const std::string &k = w[1];
    if (k == "ok") {
      d.what = directive::ok;
      return need(2, 2, "@expect ok");
    }
    if (k == "fail") {
      d.what = directive::fail;
      d.text = join(w, 2);
      return true;
    }
    if (k == "exit") {
      d.what = directive::exit_code;
      if (!need(3, 3, "@expect exit N")) return false;
      if (!parse_u64(w[2], d.number) || d.number > 255) {
        error = "bad exit status '" + w[2] + "'";
        return false;
      }
      return true;
    }
    if (k == "stdout" || k == "stderr" || k == "output" || k == "console") {
      d.what = directive::stream;
      d.stream_name = k;
      if (w.size() < 4 || (w[2] != "contains" && w[2] != "equals" && w[2] != "lacks")) {
        error = "usage: @expect " + k + " contains|equals|lacks TEXT";
        return false;
      }
      d.op = w[2];
      d.text = join(w, 3);
      return true;
    }
    if (k == "device" || k == "no-device") {
      d.what = k == "device" ? directive::device : directive::no_device;
      if (!need(3, 3, "@expect device|no-device PATH")) return false;
      d.name = w[2];
      return true;
    }
    if (k == "panic") {
      d.what = directive::panic;
      d.text = join(w, 2);
      return true;
    }
    if (k == "blocked") {
      d.what = directive::blocked;
      return need(2, 2, "@expect blocked");
    }
    if (k == "finding") {
      d.what = directive::finding;
      d.text = join(w, 2);
      return true;
    }
    error = "unknown expectation '" + k + "'";
    return false;
  }
  error = "unknown directive '" + name + "'";
  return false;
}

}  // namespace sim
