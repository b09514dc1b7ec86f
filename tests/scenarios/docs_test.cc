// docs/scenarios.md, the language reference, shows an example for every
// program and directive: a script under scenarios/docs/ and the transcript
// it produces. The scenario replay runs those scripts against their .out
// files; this test checks that what the reference shows is those files,
// byte for byte, and that no program or directive lacks an example.
//
// In the reference an example is a marker line, a ```sh block (the
// script) and a ```text block (its transcript):
//
//   <!-- example: scenarios/docs/dd.sh -->
//   ```sh
//   ...scenarios/docs/dd.sh...
//   ```
//
//   ```text
//   ...scenarios/docs/dd.out...
//   ```
//
// After `geomsim run --update scenarios/docs/X.sh`, or to add an example,
// `sh tests/scenarios/sync_docs.sh` copies the files into the blocks.
#define BOOST_TEST_MODULE scenario_docs
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kSource = GEOMSIM_SOURCE_DIR;
const std::string kReference = "docs/scenarios.md";
const std::string kMarker = "<!-- example: ";

bool read_file(const std::string &path, std::string &text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  text = ss.str();
  return true;
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

// One example of the reference.
struct example {
  std::string script;  // "scenarios/docs/dd.sh"
  size_t line = 0;     // the marker's line (1-based)
  bool complete = false;
  std::string problem;  // why the blocks could not be read
  std::string sh, text;  // the blocks' contents, each line ending in '\n'
  size_t sh_line = 0, text_line = 0;  // first line of each block's contents
};

// Reads the fenced block that must start at lines[i] (after blank
// lines) with the opening fence `fence`; advances i past it.
bool read_block(const std::vector<std::string> &lines, size_t &i, const std::string &fence,
                std::string &body, size_t &first, std::string &problem) {
  while (i < lines.size() && lines[i].empty()) i++;
  if (i >= lines.size() || lines[i] != fence) {
    problem = "expected a " + fence + " line at line " + std::to_string(i + 1);
    return false;
  }
  first = ++i + 1;
  for (; i < lines.size(); i++) {
    if (lines[i] == "```") {
      i++;
      return true;
    }
    body += lines[i] + "\n";
  }
  problem = "the " + fence + " block opened at line " + std::to_string(first - 1) + " is not closed";
  return false;
}

std::vector<example> read_examples(const std::string &doc) {
  std::vector<example> out;
  std::vector<std::string> lines = split_lines(doc);
  for (size_t i = 0; i < lines.size(); i++) {
    const std::string &l = lines[i];
    if (l.compare(0, kMarker.size(), kMarker) != 0) continue;
    example ex;
    ex.line = i + 1;
    size_t end = l.find(" -->", kMarker.size());
    if (end == std::string::npos || end + 4 != l.size()) {
      ex.problem = "malformed marker (want `" + kMarker + "scenarios/docs/NAME.sh -->`)";
      out.push_back(ex);
      continue;
    }
    ex.script = l.substr(kMarker.size(), end - kMarker.size());
    size_t j = i + 1;
    ex.complete = read_block(lines, j, "```sh", ex.sh, ex.sh_line, ex.problem) &&
                  read_block(lines, j, "```text", ex.text, ex.text_line, ex.problem);
    out.push_back(ex);
    i = j - 1;
  }
  return out;
}

std::string out_path(const std::string &script) {
  return script.substr(0, script.size() - 3) + ".out";
}

// "" if equal, else where they first differ.
std::string difference(const std::string &shown, const std::string &file) {
  if (shown == file) return "";
  auto a = split_lines(shown), b = split_lines(file);
  size_t k = 0;
  while (k < a.size() && k < b.size() && a[k] == b[k]) k++;
  std::string s = "first difference at line " + std::to_string(k + 1) + " of the block: ";
  s += "shown \"" + (k < a.size() ? a[k] : std::string("<end>")) + "\", file \"" +
       (k < b.size() ? b[k] : std::string("<end>")) + "\"";
  if (a.size() == b.size() && k == a.size()) s = "the file does not end with a newline";
  return s;
}

std::string reference() {
  std::string doc;
  BOOST_REQUIRE_MESSAGE(read_file(kSource + "/" + kReference, doc), "cannot read " + kReference);
  return doc;
}

std::vector<std::string> docs_scripts() {
  std::vector<std::string> v;
  for (const auto &e : fs::directory_iterator(kSource + "/scenarios/docs"))
    if (e.path().extension() == ".sh") v.push_back("scenarios/docs/" + e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

// Every line of the example scripts, by script.
std::map<std::string, std::vector<std::string>> script_lines() {
  std::map<std::string, std::vector<std::string>> m;
  for (const std::string &s : docs_scripts()) {
    std::string text;
    read_file(kSource + "/" + s, text);
    m[s] = split_lines(text);
  }
  return m;
}

// Whether some example line starts with `prefix` followed by a blank or
// the end of the line.
bool some_line_starts_with(const std::string &prefix) {
  for (const auto &[s, lines] : script_lines())
    for (const std::string &l : lines)
      if (l.compare(0, prefix.size(), prefix) == 0 &&
          (l.size() == prefix.size() || l[prefix.size()] == ' '))
        return true;
  return false;
}

// The programs `geomsim shell` knows: its help lists them.
std::vector<std::string> registered_programs() {
  std::string cmd = "echo help | " + std::string(GEOMSIM_BIN) + " shell 2>&1";
  FILE *p = popen(cmd.c_str(), "r");
  BOOST_REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  std::vector<std::string> progs;
  bool in = false;
  for (const std::string &l : split_lines(out)) {
    if (l == "Programs:") {
      in = true;
      continue;
    }
    if (!in) continue;
    if (l.compare(0, 2, "  ") != 0) break;
    std::string name = l.substr(2, l.find(' ', 2) - 2);
    progs.push_back(name);
  }
  return progs;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_example_shown_is_its_script_and_transcript) {
  std::vector<example> exs = read_examples(reference());
  BOOST_TEST(!exs.empty());
  std::set<std::string> seen;
  for (const example &ex : exs) {
    std::string where = kReference + ":" + std::to_string(ex.line);
    BOOST_TEST_CONTEXT(where + " (" + ex.script + ")") {
      BOOST_TEST(ex.problem.empty(), ex.problem);
      if (!ex.complete) continue;
      BOOST_TEST(seen.insert(ex.script).second, "shown twice");
      BOOST_TEST((ex.script.compare(0, 15, "scenarios/docs/") == 0 &&
                  ex.script.size() > 18 && ex.script.compare(ex.script.size() - 3, 3, ".sh") == 0),
                 "an example is a scenarios/docs/NAME.sh script");
      std::string sh, out;
      BOOST_TEST(read_file(kSource + "/" + ex.script, sh), "cannot read " + ex.script);
      BOOST_TEST(read_file(kSource + "/" + out_path(ex.script), out),
                 "cannot read " + out_path(ex.script) + " (geomsim run --update " + ex.script + ")");
      std::string d = difference(ex.sh, sh);
      BOOST_TEST(d.empty(), "the sh block at line " + std::to_string(ex.sh_line) + " is not " +
                                ex.script + ": " + d + " (sh tests/scenarios/sync_docs.sh)");
      d = difference(ex.text, out);
      BOOST_TEST(d.empty(), "the text block at line " + std::to_string(ex.text_line) + " is not " +
                                out_path(ex.script) + ": " + d + " (sh tests/scenarios/sync_docs.sh)");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_docs_script_is_shown_and_says_what_it_shows) {
  std::set<std::string> shown;
  for (const example &ex : read_examples(reference())) shown.insert(ex.script);
  for (const std::string &s : docs_scripts()) {
    BOOST_TEST(shown.count(s) == 1u, s + " is not shown in " + kReference);
    std::string text;
    read_file(kSource + "/" + s, text);
    BOOST_TEST(text.compare(0, 2, "# ") == 0, s + " does not start with a comment saying what it shows");
  }
}

BOOST_AUTO_TEST_CASE(every_program_has_an_example) {
  std::vector<std::string> progs = registered_programs();
  BOOST_TEST(progs.size() >= 20u, "geomsim shell's help lists the programs");
  // The words of the tables' first cells: `md5\|sha1\|sha256 [-q] ...`.
  std::set<std::string> words;
  for (const std::string &l : split_lines(reference())) {
    if (l.compare(0, 3, "| `") != 0) continue;
    std::string cell = l.substr(2, l.find(" | ", 2) - 2), w;
    for (char c : cell + " ") {
      if (std::isalnum((unsigned char)c) || c == '_' || c == '-') {
        w += c;
      } else {
        if (!w.empty()) words.insert(w);
        w.clear();
      }
    }
  }
  for (const std::string &p : progs) {
    BOOST_TEST(some_line_starts_with(p), "no example in scenarios/docs/ runs " + p);
    BOOST_TEST(words.count(p) == 1u, p + " is missing from the Programs table");
  }
}

BOOST_AUTO_TEST_CASE(every_directive_and_expectation_has_an_example) {
  // Each directive the reference's tables name, in backquotes...
  std::set<std::string> forms;
  for (const std::string &l : split_lines(reference())) {
    if (l.compare(0, 1, "|") != 0) continue;
    for (size_t at = l.find("`@"); at != std::string::npos; at = l.find("`@", at + 1)) {
      size_t e = at + 1;
      while (e < l.size() && l[e] != ' ' && l[e] != '`') e++;
      forms.insert(l.substr(at + 1, e - at - 1));
    }
  }
  BOOST_TEST(forms.count("@expect") == 1u);
  // ...and the forms with a word that says what they do.
  for (const char *f :
       {"@power-cut now", "@power-cut after", "@power-cut at", "@fault malloc", "@fault g_clone_bio",
        "@fault g_new_bio", "@fault clear", "@pull", "@stall", "@resume", "@expect ok",
        "@expect fail", "@expect exit", "@expect blocked", "@expect stdout", "@expect stderr",
        "@expect output", "@expect console", "@expect device", "@expect no-device",
        "@expect panic", "@expect data", "@expect finding"})
    forms.insert(f);
  for (const std::string &f : forms)
    BOOST_TEST(some_line_starts_with(f), "no example in scenarios/docs/ has a line " + f + " ...");
  for (const char *op : {"contains", "equals", "lacks"})
    BOOST_TEST((some_line_starts_with(std::string("@expect stdout ") + op) ||
                some_line_starts_with(std::string("@expect stderr ") + op) ||
                some_line_starts_with(std::string("@expect output ") + op)),
               std::string("no example of @expect ... ") + op);
}
