// sim/scenario/script.h — a scenario script, read and checked.
//
// A script is line oriented: blank lines and '#' comments are ignored;
// a line starting with '@' is a simulation directive (docs/scenarios.md);
// any other line runs a program, as a FreeBSD shell would. Everything is
// checked before anything runs: unknown programs, malformed directives,
// binary garbage and overlong lines are errors reported as
// "file:line: message".
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "sim/scenario/lexer.h"

namespace sim {

struct step {
  int line = 0;          // 1-based line number in the file
  std::string text;      // the line as written, trimmed
  bool directive = false;
  lexed_line lx;         // words; for a directive words[0] is "@name"
};

struct script {
  std::string path;
  std::vector<std::string> header;  // the leading comment block
  // A deque: the interpreter keeps pointers to steps (a job's command
  // line, the last command) while the shell appends lines one by one.
  std::deque<step> steps;
  // The lines after @after-crash: what geomsim explore runs after each
  // crash instead of its default checks (geomsim run does not run them).
  std::deque<step> after_crash;
  int after_crash_line = 0;  // the @after-crash line, 0 if none
  bool pinned_seed = false;  // @seed: outcomes depend on this interleaving
  uint64_t seed = 0;
};

constexpr size_t kMaxLine = 64 * 1024;

// "line 12 ('dd if=...')" for the step at index `step` ("" if none).
std::string step_name(const script &s, int step);

// Reads and checks a script; false with "file:line: message" errors.
bool load_script(const std::string &path, script &out, std::vector<std::string> &errors);
bool parse_script(const std::string &path, const std::string &text, script &out,
                  std::vector<std::string> &errors);

}  // namespace sim
