// Reproducers of crash states. See sim/explore/reproducer.h.
#include "sim/explore/reproducer.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "sim/scenario/directive.h"
#include "sim/scenario/interpreter.h"

namespace sim::explore {

namespace {

namespace fs = std::filesystem;

constexpr size_t kDetailsInHeader = 8;

std::string list(const std::set<std::string> &s) {
  std::string out;
  for (const std::string &x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

// The part of a panic message a reproducer can expect: up to the first
// address, which may differ from host to host.
std::string panic_text(const std::string &message) {
  size_t cut = message.find("0x");
  std::string t = message.substr(0, cut);
  while (!t.empty() && (t.back() == ' ' || t.back() == '=' || t.back() == ':')) t.pop_back();
  return t;
}

std::string crash_line(const reproducer_input &in) {
  const cut_point &p = *in.state->point;
  std::string line = "@crash ";
  if (p.seq != 0) line += "after record " + std::to_string(p.seq);
  else
    line += std::string("at ") + (p.op == io_op::del ? "DELETE " : "WRITE ") +
            in.rec->media()[p.media].name + " nth=" + std::to_string(p.nth);
  std::string words = in.state->fate_words();
  return words.empty() ? line : line + " " + words;
}

// A workload line as the reproducer has it: host images made absolute
// and copy-on-write.
std::string workload_line(const step &st, const std::string &script_dir) {
  if (!st.directive || st.lx.words[0] != "@image") return st.text;
  directive d;
  std::string error;
  if (!parse_directive(st.lx.words, d, error)) return st.text;
  fs::path host = d.host_path;
  if (host.is_relative()) host = fs::absolute(fs::path(script_dir) / host);
  return "@image " + d.name + " " + host.lexically_normal().string() + (d.readonly ? " ro" : " cow");
}

std::string header(const reproducer_input &in) {
  std::string h = "# Reproducer of crash state " + in.state->id + " of " + in.workload->path +
                  ", written by geomsim explore.\n# Outcome: " + in.outcome->signature + "\n";
  for (size_t i = 0; i < in.outcome->details.size() && i < kDetailsInHeader; i++)
    h += "#   " + in.outcome->details[i] + "\n";
  if (in.outcome->details.size() > kDetailsInHeader)
    h += "#   ... and " + std::to_string(in.outcome->details.size() - kDetailsInHeader) + " more\n";
  h += "# The workload runs up to the line during which the power goes; @crash names\n"
       "# exactly which writes the cut loses or tears (all others land). The lines\n"
       "# after it check the disks, boot and check again; their expectations hold\n"
       "# while the defect is there.\n";
  return h;
}

void workload_lines(const reproducer_input &in, std::string &out) {
  const cut_point &p = *in.state->point;
  const std::string dir = fs::path(in.workload->path).parent_path().string();
  if (p.after == 0) {  // before any write: the directives before the first command
    for (const step &st : in.workload->steps) {
      if (!st.directive) break;
      out += workload_line(st, dir.empty() ? "." : dir) + "\n";
    }
    return;
  }
  const size_t last = p.line < 0 ? in.workload->steps.size() - 1 : (size_t)p.line;
  for (size_t i = 0; i <= last && i < in.workload->steps.size(); i++)
    out += workload_line(in.workload->steps[i], dir.empty() ? "." : dir) + "\n";
  if (p.line < 0) out += "@shutdown\n";  // the cut came as the script ended
}

// The post-crash lines, with the expectations the state's run met.
void post_lines(const reproducer_input &in, std::string &out) {
  std::set<std::string> checker, other;
  for (const crash_finding &f : in.post->crash_findings)
    (f.kind.compare(0, 8, "checker:") == 0 ? checker : other).insert(
        f.kind.compare(0, 8, "checker:") == 0 ? f.kind.substr(8) : f.kind);
  std::vector<std::string> lines = {"@virstor-check" + (checker.empty() ? "" : " expect " + list(checker)),
                                    "@boot"};
  if (in.workload->after_crash.empty())
    lines.push_back("@crash-check" + (other.empty() ? "" : " expect " + list(other)));
  for (const step &st : in.workload->after_crash) lines.push_back(st.text);
  for (size_t i = 0; i < lines.size(); i++) {
    out += lines[i] + "\n";
    if ((int)i == in.post->hang_step) out += "@expect blocked\n";
    if ((int)i != in.post->panic_step) continue;
    out += "@expect panic " + panic_text(in.post->panic_message) + "\n";
    return;
  }
}

std::string sanitized(const std::string &id) {
  std::string s = id;
  for (char &c : s)
    if (!isalnum((unsigned char)c) && c != '.' && c != '-' && c != '~' && c != '@' && c != '_')
      c = c == ':' ? '+' : '_';
  return s;
}

bool write_file(const std::string &path, const std::string &text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  return bool(f);
}

}  // namespace

std::string reproducer_text(const reproducer_input &in) {
  std::string out = header(in);
  if (!in.workload->pinned_seed) out += "@seed " + std::to_string(in.seed) + "\n";
  if (in.state->point->after != 0) out += crash_line(in) + "\n";
  workload_lines(in, out);
  post_lines(in, out);
  return out;
}

reproducer_result write_reproducer(const reproducer_input &in, const std::string &dir) {
  reproducer_result r;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string base = fs::path(in.workload->path).stem().string();
  r.path = (fs::path(dir) / (base + "." + sanitized(in.state->id) + ".sh")).string();
  if (!write_file(r.path, reproducer_text(in))) {
    r.note = "cannot write " + r.path;
    return r;
  }
  script s;
  std::vector<std::string> errors;
  if (!load_script(r.path, s, errors)) {
    r.note = errors.empty() ? "cannot read it back" : errors[0];
    return r;
  }
  run_options ro;
  ro.seed = in.seed;
  ro.time_limit_s = 300;
  run_outcome o = run_script(s, ro);
  write_file(fs::path(r.path).replace_extension(".out").string(), o.transcript);
  r.reproduces = o.st == run_outcome::passed;
  if (!r.reproduces) r.note = o.messages.empty() ? "its replay failed" : o.messages[0];
  return r;
}

}  // namespace sim::explore
