// Outcomes and signatures of crash states. See sim/explore/outcome.h.
#include "sim/explore/outcome.h"

#include <cctype>
#include <set>

namespace sim::explore {

namespace {

bool data_kind(const std::string &k) {
  return k == "lost" || k == "misplaced" || k == "changed" || k == "new-data-lost" ||
         k == "write-failed" || k == "read-failed";
}

std::string joined(const std::set<std::string> &s) {
  std::string out;
  for (const std::string &x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// The message of a failed line without its "file:line: " prefix.
std::string without_place(const std::string &m) {
  size_t colon = m.find(": ");
  if (colon == std::string::npos) return m;
  size_t second = m.rfind(':', colon - 1);
  return second == std::string::npos ? m : m.substr(colon + 2);
}

}  // namespace

const char *outcome_name(outcome_kind k) {
  switch (k) {
    case outcome_kind::ok: return "ok";
    case outcome_kind::check_failed: return "check failed";
    case outcome_kind::inconsistent: return "inconsistent";
    case outcome_kind::data_lost: return "data lost";
    case outcome_kind::device_missing: return "device missing";
    case outcome_kind::hang: return "hang";
    case outcome_kind::panic: return "panic";
    case outcome_kind::simulator_error: return "simulator error";
  }
  return "?";
}

std::string normalize_panic(const std::string &message) {
  std::string out;
  for (size_t i = 0; i < message.size();) {
    const bool hex = message.compare(i, 2, "0x") == 0 && i + 2 < message.size() &&
                     std::isxdigit((unsigned char)message[i + 2]);
    if (!hex && !std::isdigit((unsigned char)message[i])) {
      out += message[i++];
      continue;
    }
    if (hex) i += 2;
    while (i < message.size() && std::isxdigit((unsigned char)message[i])) i++;
    out += hex ? "0x#" : "#";
  }
  return out;
}

namespace {

// What the post-crash run found, sorted by kind.
struct found {
  std::set<std::string> data, checker;
  bool missing = false, hang = false;
};

found collect(const run_outcome &o, state_outcome &s) {
  found f;
  f.hang = !o.hang.empty();
  for (const crash_finding &c : o.crash_findings) {
    s.details.push_back(c.kind + ": " + (c.device.empty() ? "" : c.device + ": ") + c.message);
    if (c.kind.compare(0, 8, "checker:") == 0) f.checker.insert(c.kind.substr(8));
    else if (c.kind == "device-missing") f.missing = true;
    else if (c.kind == "hang") f.hang = true;
    else if (data_kind(c.kind)) f.data.insert(c.kind);
  }
  if (!o.hang.empty()) s.details.push_back("hang: " + o.hang);
  return f;
}

outcome_kind kind_of(const run_outcome &o, const found &f) {
  if (!o.panic_message.empty()) return outcome_kind::panic;
  if (f.hang) return outcome_kind::hang;
  if (f.missing) return outcome_kind::device_missing;
  if (!f.data.empty()) return outcome_kind::data_lost;
  if (!f.checker.empty()) return outcome_kind::inconsistent;
  if (o.st != run_outcome::passed) return outcome_kind::check_failed;
  return outcome_kind::ok;
}

// The wait channel a hang message quotes ("... waits on \"physwr\"").
std::string wait_channel(const run_outcome &o) {
  std::string m = o.hang;
  for (const crash_finding &c : o.crash_findings)
    if (m.empty() && c.kind == "hang") m = c.message;
  size_t b = m.rfind("waits on \"");
  if (b == std::string::npos) return "";
  size_t e = m.find('"', b + 10);
  return e == std::string::npos ? "" : "waits on " + m.substr(b + 9, e - b - 8);
}

// What follows the outcome's name in the signature.
std::string what_of(const run_outcome &o, const found &f, outcome_kind k) {
  switch (k) {
    case outcome_kind::panic: return normalize_panic(o.panic_message);
    case outcome_kind::hang: return wait_channel(o);
    case outcome_kind::data_lost: return joined(f.data);
    case outcome_kind::inconsistent: return joined(f.checker);
    case outcome_kind::check_failed: return o.messages.empty() ? "" : without_place(o.messages[0]);
    default: return "";
  }
}

}  // namespace

state_outcome classify(const run_outcome &o) {
  state_outcome s;
  if (!o.panic_message.empty()) s.details.push_back("panic: " + o.panic_message);
  const found f = collect(o, s);
  s.kind = kind_of(o, f);
  s.signature = outcome_name(s.kind);
  const std::string what = what_of(o, f, s.kind);
  if (!what.empty()) s.signature += ": " + what;
  if (!f.data.empty() && s.kind != outcome_kind::data_lost) s.signature += "; data: " + joined(f.data);
  if (!f.checker.empty() && s.kind != outcome_kind::inconsistent)
    s.signature += "; checker: " + joined(f.checker);
  if (s.kind == outcome_kind::check_failed)
    for (const std::string &m : o.messages) s.details.push_back(m);
  return s;
}

state_outcome simulator_error(const std::string &what) {
  state_outcome s;
  s.kind = outcome_kind::simulator_error;
  s.signature = "simulator error: " + normalize_panic(what);
  s.details.push_back("simulator error: " + what);
  return s;
}

}  // namespace sim::explore
