// Reading and checking scenario scripts. See sim/scenario/script.h.
#include "sim/scenario/script.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/scenario/directive.h"
#include "sim/userland/program.h"

namespace sim {

namespace {

// Valid UTF-8 without control characters other than tab.
bool text_line(const std::string &s, std::string &why) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 && c != '\t') {
      why = c == 0 ? "a NUL byte: not a text file" : "a control character: not a text line";
      return false;
    }
    if (c == 0x7f) {
      why = "a control character: not a text line";
      return false;
    }
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      why = "invalid UTF-8: not a text line";
      return false;
    }
    for (size_t k = 1; k < len; k++) {
      if (((unsigned char)s[i + k] >> 6) != 2) {
        why = "invalid UTF-8: not a text line";
        return false;
      }
    }
    i += len;
  }
  return true;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool parse_script(const std::string &path, const std::string &text, script &out,
                  std::vector<std::string> &errors) {
  out = script{};
  out.path = path;
  size_t pos = 0;
  int lineno = 0;
  bool in_header = true;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    lineno++;
    if (pos > text.size() && raw.empty()) break;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    auto fail = [&](const std::string &msg) {
      errors.push_back(path + ":" + std::to_string(lineno) + ": " + msg);
    };
    if (raw.size() > kMaxLine) {
      fail("line too long (" + std::to_string(raw.size()) + " bytes; at most " +
           std::to_string(kMaxLine) + ")");
      in_header = false;
      continue;
    }
    std::string why;
    if (!text_line(raw, why)) {
      fail("line contains " + why);
      in_header = false;
      continue;
    }
    std::string line = trim(raw);
    if (line.empty()) {
      if (in_header && !out.header.empty()) in_header = false;
      continue;
    }
    if (line[0] == '#') {
      if (in_header) out.header.push_back(trim(line.substr(1)));
      continue;
    }
    in_header = false;
    step st;
    st.line = lineno;
    st.text = line;
    std::string error;
    if (!lex_line(line, st.lx, error)) {
      fail(error);
      continue;
    }
    if (st.lx.words.empty()) continue;  // only a trailing comment
    st.directive = st.lx.words[0][0] == '@';
    if (st.directive) {
      directive d;
      if (st.lx.background || !st.lx.redirect.empty()) {
        fail("a directive cannot be redirected or run in the background");
        continue;
      }
      if (!parse_directive(st.lx.words, d, error)) {
        fail(error);
        continue;
      }
      if (d.kind == directive::seed) {
        out.pinned_seed = true;
        out.seed = d.number;
      }
      if (d.kind == directive::after_crash) {
        if (out.after_crash_line != 0) fail("a second @after-crash (the first is at line " +
                                            std::to_string(out.after_crash_line) + ")");
        else out.after_crash_line = lineno;
        continue;
      }
    } else if (find_program(st.lx.words[0]) == nullptr) {
      fail("unknown command '" + st.lx.words[0] + "'");
      continue;
    }
    (out.after_crash_line != 0 ? out.after_crash : out.steps).push_back(std::move(st));
  }
  return errors.empty();
}

std::string step_name(const script &s, int step) {
  if (step < 0 || (size_t)step >= s.steps.size()) return "";
  return "line " + std::to_string(s.steps[step].line) + " ('" + s.steps[step].text + "')";
}

bool load_script(const std::string &path, script &out, std::vector<std::string> &errors) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    errors.push_back(path + ": cannot open: " + std::strerror(errno));
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  // A script is small: refuse anything absurdly large before parsing.
  std::string text = ss.str();
  if (text.size() > (64u << 20)) {
    errors.push_back(path + ": file too large to be a scenario (" + std::to_string(text.size()) +
                     " bytes)");
    return false;
  }
  return parse_script(path, text, out, errors);
}

}  // namespace sim
