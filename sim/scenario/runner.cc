// Replaying scripts against their expected output. See sim/scenario/runner.h.
#include "sim/scenario/runner.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/scenario/script.h"

namespace sim {

namespace {

bool read_file(const std::string &path, std::string &text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  text = ss.str();
  return true;
}

bool write_file(const std::string &path, const std::string &text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return false;
  f << text;
  return bool(f);
}

std::vector<std::string> split_lines(const std::string &s) {
  std::vector<std::string> v;
  size_t b = 0;
  while (b < s.size()) {
    size_t e = s.find('\n', b);
    if (e == std::string::npos) e = s.size();
    v.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return v;
}

// The first few differing lines, unified-diff style.
std::string first_diff(const std::string &want, const std::string &got) {
  auto a = split_lines(want), b = split_lines(got);
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) i++;
  std::string d = "  first difference at line " + std::to_string(i + 1) + ":\n";
  for (size_t k = i; k < a.size() && k < i + 5; k++) d += "  - " + a[k] + "\n";
  for (size_t k = i; k < b.size() && k < i + 5; k++) d += "  + " + b[k] + "\n";
  return d;
}

std::string suffixed(const std::string &path, const std::string &tag) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return path + "-" + tag;
  return path.substr(0, dot) + "-" + tag + path.substr(dot);
}

std::string base_name(const std::string &path) {
  size_t slash = path.rfind('/');
  std::string b = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = b.rfind('.');
  return dot == std::string::npos ? b : b.substr(0, dot);
}

std::string xml_escape(const std::string &s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default:
        if ((unsigned char)c < 0x20 && c != '\n' && c != '\t') o += '?';
        else o += c;
    }
  }
  return o;
}

}  // namespace

std::string expected_path(const std::string &script_path) {
  size_t dot = script_path.rfind('.');
  size_t slash = script_path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return script_path + ".out";
  return script_path.substr(0, dot) + ".out";
}

int run_files(const runner_options &opt, std::string &out, std::vector<script_report> &reports) {
  int worst = 0;
  int passed = 0, failed = 0;
  const bool many = opt.files.size() > 1 || opt.seed_to > opt.seed_from;
  for (const std::string &file : opt.files) {
    script_report rep;
    rep.file = file;
    auto t0 = std::chrono::steady_clock::now();
    script s;
    std::vector<std::string> errors;
    if (!load_script(file, s, errors)) {
      for (const auto &e : errors) out += e + "\n";
      rep.exit_code = 2;
      rep.messages = errors;
    } else {
      std::string want;
      bool have_want = read_file(expected_path(file), want);
      uint64_t from = s.pinned_seed ? s.seed : opt.seed_from;
      uint64_t to = s.pinned_seed ? s.seed : opt.seed_to;
      rep.exit_code = 0;
      bool updated = false;
      for (uint64_t seed = from; seed <= to; seed++) {
        run_options ro;
        ro.seed = seed;
        ro.mode = opt.mode;
        ro.time_limit_s = opt.time_limit_s;
        std::string tag = base_name(file) + "-" + std::to_string(seed);
        if (!opt.trace_path.empty()) ro.trace_path = many ? suffixed(opt.trace_path, tag) : opt.trace_path;
        if (!opt.dot_path.empty()) ro.dot_path = many ? suffixed(opt.dot_path, tag) : opt.dot_path;
        run_outcome o = run_script(s, ro);
        if (opt.verbose) out += o.transcript;
        std::string label = file + (from != to ? " (seed " + std::to_string(seed) + ")" : "");
        for (const auto &m : o.messages) {
          out += m + (from != to ? " (seed " + std::to_string(seed) + ")" : "") + "\n";
          rep.messages.push_back(m);
        }
        int code = o.exit_code();
        if (opt.update && !updated && code != 2) {
          if (!write_file(expected_path(file), o.transcript)) {
            out += expected_path(file) + ": cannot write\n";
            code = 2;
          } else {
            want = o.transcript;
            have_want = true;
            updated = true;
          }
        }
        if (code == 0 && !have_want) {
          out += label + ": no expected output " + expected_path(file) +
                 " (run with --update to create it)\n";
          rep.messages.push_back("no expected output");
          code = 1;
        } else if (code != 2 && have_want && o.transcript != want) {
          out += label + ": transcript differs from " + expected_path(file) + "\n";
          if (opt.show_diff) out += first_diff(want, o.transcript);
          rep.messages.push_back("transcript differs from " + expected_path(file));
          if (code == 0) code = 1;
        }
        rep.exit_code = std::max(rep.exit_code, code);
        if (code == 2) break;  // a bad script stays bad under any seed
      }
    }
    rep.passed = rep.exit_code == 0;
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rep.passed) passed++;
    else failed++;
    worst = std::max(worst, rep.exit_code);
    out += std::string(rep.passed ? "PASS " : "FAIL ") + file + "\n";
    reports.push_back(std::move(rep));
  }
  out += std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
  if (!opt.junit_path.empty() && !write_junit(opt.junit_path, reports)) {
    out += opt.junit_path + ": cannot write\n";
    worst = std::max(worst, 2);
  }
  return worst;
}

bool write_junit(const std::string &path, const std::vector<script_report> &reports) {
  int failures = 0, errors = 0;
  double total = 0;
  for (const auto &r : reports) {
    if (r.exit_code == 1) failures++;
    else if (r.exit_code >= 2) errors++;
    total += r.seconds;
  }
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  char head[256];
  std::snprintf(head, sizeof head,
                "<testsuite name=\"geomsim\" tests=\"%zu\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n",
                reports.size(), failures, errors, total);
  x += head;
  for (const auto &r : reports) {
    char tc[512];
    std::snprintf(tc, sizeof tc, "  <testcase classname=\"scenarios\" name=\"%s\" time=\"%.3f\"",
                  xml_escape(r.file).c_str(), r.seconds);
    x += tc;
    if (r.passed) {
      x += "/>\n";
      continue;
    }
    x += ">\n";
    std::string msgs;
    for (const auto &m : r.messages) msgs += m + "\n";
    const char *tag = r.exit_code == 1 ? "failure" : "error";
    const char *what = r.exit_code == 1 ? "expectation failed"
                       : r.exit_code == 2 ? "bad script"
                                          : "unexpected simulated panic";
    x += std::string("    <") + tag + " message=\"" + what + "\">" + xml_escape(msgs) + "</" + tag +
         ">\n";
    x += "  </testcase>\n";
  }
  x += "</testsuite>\n";
  return write_file(path, x);
}

}  // namespace sim
