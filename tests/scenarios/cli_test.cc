// geomsim's command line: bad input gets a clear error and exit status 2,
// never a crash; the same script and seed give byte-identical output; the
// trace is valid trace-event JSON with the GEOM threads as tracks.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct result {
  int status;  // exit status, or 128 + signal
  std::string out;
};

std::string tmpdir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/geomsim-cli-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

std::string write_tmp(const std::string &name, const std::string &text) {
  std::string path = tmpdir() + "/" + name;
  std::ofstream f(path, std::ios::binary);
  f << text;
  return path;
}

result run(const std::string &args) {
  std::string cmd = std::string(GEOMSIM_BIN) + " " + args + " 2>&1";
  FILE *p = popen(cmd.c_str(), "r");
  result r{-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

bool has(const std::string &s, const std::string &needle) {
  return s.find(needle) != std::string::npos;
}

// A minimal JSON reader: true if `s` is one valid JSON value.
class json_reader {
 public:
  explicit json_reader(const std::string &s) : s_(s) {}
  bool valid() {
    ws();
    if (!value()) return false;
    ws();
    return i_ == s_.size();
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) i_++;
  }
  bool lit(const char *w) {
    size_t n = std::strlen(w);
    if (s_.compare(i_, n, w) != 0) return false;
    i_ += n;
    return true;
  }
  bool str() {
    if (s_[i_] != '"') return false;
    for (i_++; i_ < s_.size(); i_++) {
      if (s_[i_] == '\\') {
        i_++;
        continue;
      }
      if ((unsigned char)s_[i_] < 0x20) return false;
      if (s_[i_] == '"') {
        i_++;
        return true;
      }
    }
    return false;
  }
  bool num() {
    size_t b = i_;
    if (s_[i_] == '-') i_++;
    while (i_ < s_.size() && (isdigit((unsigned char)s_[i_]) || s_[i_] == '.' || s_[i_] == 'e' ||
                              s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
      i_++;
    return i_ > b;
  }
  bool value() {
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') {
      i_++;
      ws();
      if (s_[i_] == '}') return ++i_, true;
      for (;;) {
        ws();
        if (!str()) return false;
        ws();
        if (s_[i_++] != ':') return false;
        ws();
        if (!value()) return false;
        ws();
        if (s_[i_] == ',') { i_++; continue; }
        if (s_[i_] == '}') return ++i_, true;
        return false;
      }
    }
    if (c == '[') {
      i_++;
      ws();
      if (s_[i_] == ']') return ++i_, true;
      for (;;) {
        ws();
        if (!value()) return false;
        ws();
        if (s_[i_] == ',') { i_++; continue; }
        if (s_[i_] == ']') return ++i_, true;
        return false;
      }
    }
    if (c == '"') return str();
    if (lit("true") || lit("false") || lit("null")) return true;
    return num();
  }
  const std::string &s_;
  size_t i_ = 0;
};

std::string read(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(unknown_command_is_a_script_error_with_file_and_line) {
  auto p = write_tmp("unknown.sh", "echo hi\nfrobnicate --now\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "unknown.sh:2: unknown command 'frobnicate'"));
}

BOOST_AUTO_TEST_CASE(bad_option_is_a_script_error_with_file_and_line) {
  auto p = write_tmp("badopt.sh", "sysctl -Z kern.geom.debugflags\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "badopt.sh:1: bad command line"));
  BOOST_TEST(has(r.out, "illegal option -- Z"));
}

BOOST_AUTO_TEST_CASE(bad_size_is_a_script_error_with_file_and_line) {
  auto p = write_tmp("badsize.sh", "@disk ada0 12q\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "badsize.sh:1: bad size '12q'"));
  auto q = write_tmp("badsize2.sh", "dd if=/dev/zero of=/dev/null bs=12q count=1\n");
  r = run("run " + q);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "badsize2.sh:1: bad command line: dd: 12q: illegal numeric value"));
}

BOOST_AUTO_TEST_CASE(missing_script_file_is_a_usage_error) {
  result r = run("run " + tmpdir() + "/does-not-exist.sh");
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "does-not-exist.sh: cannot open"));
}

BOOST_AUTO_TEST_CASE(binary_garbage_is_rejected_line_by_line) {
  std::string garbage = "echo ok\n";
  garbage += std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10);
  garbage += "\n\xff\xfe\x80\x81\n";
  auto p = write_tmp("garbage.sh", garbage);
  result r = run("run " + p);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "garbage.sh:2: line contains"));
  BOOST_TEST(has(r.out, "garbage.sh:3: line contains invalid UTF-8"));
}

BOOST_AUTO_TEST_CASE(a_line_of_one_mebibyte_is_rejected) {
  auto p = write_tmp("long.sh", "echo " + std::string(1 << 20, 'x') + "\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "long.sh:1: line too long"));
}

BOOST_AUTO_TEST_CASE(malformed_directive_is_a_script_error) {
  auto p = write_tmp("baddir.sh", "@power-cut sometime\n@sleep forever\n@nonsense\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "baddir.sh:1: usage: @power-cut"));
  BOOST_TEST(has(r.out, "baddir.sh:2: bad duration 'forever'"));
  BOOST_TEST(has(r.out, "baddir.sh:3: unknown directive '@nonsense'"));
}

BOOST_AUTO_TEST_CASE(bad_geomsim_options_exit_with_status_2) {
  BOOST_TEST(run("").status == 2);
  BOOST_TEST(run("frob").status == 2);
  BOOST_TEST(run("run --seeds 5..1 x.sh").status == 2);
  BOOST_TEST(run("run --sched fast x.sh").status == 2);
  BOOST_TEST(run("run --no-such-option x.sh").status == 2);
  result h = run("run --help");
  BOOST_TEST(h.status == 0);
  BOOST_TEST(has(h.out, "SYNOPSIS"));
  BOOST_TEST(has(run("shell --help").out, "SYNOPSIS"));
  BOOST_TEST(has(run("--help").out, "SYNOPSIS"));
}

// The simulator never hangs: a command without end (dd from /dev/zero to
// /dev/null, which passes no scheduling point; one in the background that
// passes them, writing a null md(4) device of 1 TB) is stopped at the
// host-time limit, the script fails at its line, and what follows finds
// the kernel down.
BOOST_AUTO_TEST_CASE(a_runaway_command_is_stopped_at_the_host_time_limit) {
  auto p = write_tmp("runaway.sh",
                     "dd if=/dev/zero of=/dev/null bs=512\n"
                     "echo after\n");
  result r = run("run --time-limit 1 " + p);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(has(r.out, "runaway.sh:1: 'dd if=/dev/zero of=/dev/null bs=512' still running after "
                        "1 s of host time (geomsim run --time-limit): the kernel was stopped"));
  BOOST_TEST(has(r.out, "runaway.sh:2: the kernel is not running (it was stopped at "));
  auto q = write_tmp("runaway-bg.sh",
                     "mdconfig -a -t null -s 1t\n"
                     "dd if=/dev/zero of=/dev/md0 bs=4k &\n"
                     "@wait\n");
  r = run("run -v --time-limit 1 " + q);
  BOOST_TEST(r.status == 1);
  // Started in the background, it runs until it blocks, which is never:
  // the line that started it is the one stopped.
  BOOST_TEST(has(r.out, "runaway-bg.sh:2: 'dd if=/dev/zero of=/dev/md0 bs=4k &' still running "
                        "after 1 s"));
  BOOST_TEST(has(r.out, "[1] Killed (time limit): dd if=/dev/zero of=/dev/md0 bs=4k &"));
  BOOST_TEST(run("run --time-limit -1 x.sh").status == 2);
  BOOST_TEST(run("run --time-limit soon x.sh").status == 2);
}

BOOST_AUTO_TEST_CASE(output_past_64_mib_is_dropped_and_fails_the_script) {
  auto p = write_tmp("bigout.sh", "dd if=/dev/zero bs=1m count=65 status=none\necho after\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(has(r.out, "bigout.sh:1: 'dd if=/dev/zero bs=1m count=65 status=none' wrote more "
                        "than 67108864 bytes: the rest was dropped"));
}

// The shell's help: the list, and one program's usage forms.
BOOST_AUTO_TEST_CASE(shell_help_lists_programs_and_shows_one_programs_usage) {
  auto p = write_tmp("help.in", "help\nhelp mdconfig\nhelp nosuch\n");
  result r = run("shell < " + p);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(has(r.out, "Programs:"));
  BOOST_TEST(has(r.out, "mdconfig - create and control memory disks\n"
                        "usage: mdconfig -a -t type"));
  BOOST_TEST(has(r.out, "\n       mdconfig -r -u unit -s size [-o [no]force]\n"));
  BOOST_TEST(has(r.out, "help: no program 'nosuch'"));
}

BOOST_AUTO_TEST_CASE(failed_expectation_exits_with_status_1) {
  auto p = write_tmp("expect.sh", "echo hello\n@expect stdout contains goodbye\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(has(r.out, "expect.sh:2: expected stdout contains \"goodbye\""));
  BOOST_TEST(has(r.out, "0 passed, 1 failed"));
}

BOOST_AUTO_TEST_CASE(update_writes_the_expected_transcript_and_replay_matches_it) {
  auto p = write_tmp("golden.sh", "echo one\nsysctl kern.geom.debugflags\n");
  result u = run("run --update " + p);
  BOOST_TEST(u.status == 0);
  std::string want = read(tmpdir() + "/golden.out");
  BOOST_TEST(want == "# echo one\none\n# sysctl kern.geom.debugflags\nkern.geom.debugflags: 0\n");
  BOOST_TEST(run("run --seeds 1..4 " + p).status == 0);
  // A transcript that differs fails.
  write_tmp("golden.out", "# echo one\nTWO\n");
  result r = run("run " + p);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(has(r.out, "transcript differs"));
}

BOOST_AUTO_TEST_CASE(same_script_and_seed_give_byte_identical_output) {
  auto p = write_tmp("determinism.sh",
                     "kldload geom_virstor\nsysctl kern.geom.conftxt\n"
                     "dd if=/dev/random of=/dev/null bs=4k count=8\nsysctl kern.geom.confxml\n");
  result a = run("run -v --seed 7 " + p);
  result b = run("run -v --seed 7 " + p);
  BOOST_TEST(a.out == b.out);
  BOOST_TEST(has(a.out, "<mesh>"));
}

BOOST_AUTO_TEST_CASE(trace_is_valid_trace_event_json_with_the_geom_threads_as_tracks) {
  auto p = write_tmp("trace.sh", "kldload geom_virstor\nsysctl kern.geom.confxml\n");
  std::string trace = tmpdir() + "/trace.json";
  result r = run("run --update --trace " + trace + " " + p);
  BOOST_TEST(r.status == 0);
  std::string json = read(trace);
  BOOST_TEST(json_reader(json).valid());
  BOOST_TEST(has(json, "\"traceEvents\""));
  for (const char *t : {"g_event", "g_up", "g_down"})
    BOOST_TEST(has(json, std::string("\"name\":\"") + t + "\""), t);
}

BOOST_AUTO_TEST_CASE(junit_report_is_written) {
  auto p = write_tmp("junit.sh", "echo hi\n@expect stdout contains bye\n");
  std::string xml = tmpdir() + "/report.xml";
  run("run --junit " + xml + " " + p);
  std::string x = read(xml);
  BOOST_TEST(has(x, "<testsuite name=\"geomsim\" tests=\"1\" failures=\"1\""));
  BOOST_TEST(has(x, "<failure message=\"expectation failed\">"));
}

// The close of a device written to makes GEOM taste it again, and the
// program waits for that on its way out. When that taste panics (here
// virstor's NULL dereference on a virtual size that is not a whole number
// of chunks, docs/virstor-defects.md defect 3), the panic is reported like
// any other: exit status 3 without @expect panic, a transcript with it.
BOOST_AUTO_TEST_CASE(a_panic_in_the_retaste_after_a_programs_close_is_reported_not_a_crash) {
  const std::string damage =
      "mdconfig -a -t malloc -s 32m\n"
      "gvirstor label -s 512M vs md0\n"
      "gvirstor stop vs\n"
      "dd if=/dev/md0 of=/var/tmp/md0.last bs=512 skip=65535 count=1\n"
      "dd if=/var/tmp/md0.last of=/var/tmp/md0.last bs=1 seek=36 count=1 conv=notrunc\n"
      "dd if=/var/tmp/md0.last of=/dev/md0 bs=512 seek=65535 conv=notrunc\n";
  auto p = write_tmp("close-panic.sh", damage);
  for (const char *sched : {"det", "threads"}) {
    result r = run(std::string("run --sched ") + sched + " -v " + p);
    BOOST_TEST(r.status == 3, sched);
    BOOST_TEST(!has(r.out, "terminate called"), sched);
    BOOST_TEST(has(r.out, "Fatal trap 12: page fault while in kernel mode"), sched);
    BOOST_TEST(has(r.out, "geomsim: simulated panic in thread g_event"), sched);
    BOOST_TEST(has(r.out, "close-panic.sh:6: unexpected panic: page fault"), sched);
  }
  // Announced right after the dd line, it is what the script expects.
  auto q = write_tmp("close-panic-expected.sh", damage + "@expect panic page fault\n");
  result u = run("run --update " + q);
  BOOST_TEST(u.status == 0);
  BOOST_TEST(has(read(tmpdir() + "/close-panic-expected.out"), "panic: page fault\n"));
  BOOST_TEST(run("run --seeds 1..3 " + q).status == 0);
}

// The trace names each bio's provider at every phase, but a provider may
// be freed before g_up runs the done method (defect 21: the pulled
// component). Tracing that run must not touch it: the trace is written
// and valid, and the run ends with the expected panic.
BOOST_AUTO_TEST_CASE(tracing_a_bio_whose_provider_was_freed_before_done_is_safe) {
  auto p = write_tmp("uaf.sh", read(std::string(GEOMSIM_SOURCE_DIR) +
                                    "/scenarios/defects/virstor-done-after-orphan.sh"));
  std::string trace = tmpdir() + "/uaf-trace.json";
  result r = run("run --update --trace " + trace + " " + p);
  BOOST_TEST(r.status == 0, r.out);
  std::string json = read(trace);
  BOOST_TEST(json_reader(json).valid());
  BOOST_TEST(has(json, "done WRITE md1"));
}

// --dot writes a file Graphviz accepts: FreeBSD's confdot ends with "};",
// the file with "}".
BOOST_AUTO_TEST_CASE(dot_file_is_a_graph_graphviz_accepts) {
  auto p = write_tmp("dot.sh", "mdconfig -a -t malloc -s 1m\n");
  std::string dot = tmpdir() + "/topology.dot";
  result r = run("run --update --dot " + dot + " " + p);
  BOOST_TEST(r.status == 0);
  std::string g = read(dot);
  BOOST_TEST(g.rfind("digraph geom {", 0) == 0);
  BOOST_TEST(has(g, "MD\\nmd0"));
  BOOST_TEST((g.size() >= 2 && g.compare(g.size() - 2, 2, "}\n") == 0));
  BOOST_TEST(!has(g, "};"));
}
