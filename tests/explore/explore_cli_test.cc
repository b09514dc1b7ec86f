// geomsim explore and geomsim virstor-check on the command line: bad input
// gets a clear error and exit status 2; the same workload and seed give
// the same report byte for byte; shards merged, and local jobs, give the
// report of one whole run; reproducers replay; host images are checked.
#define BOOST_TEST_MODULE explore_cli
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

struct result {
  int status;
  std::string out;
};

std::string tmpdir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/geomsim-explore-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

std::string write_tmp(const std::string &name, const std::string &text) {
  std::string path = tmpdir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Runs geomsim in the scratch directory; standard error joins the output
// unless `quiet`, when it is dropped.
result run(const std::string &args, bool quiet = false) {
  std::string cmd = "cd " + tmpdir() + " && " + GEOMSIM_BIN + " " + args +
                    (quiet ? " 2>/dev/null" : " 2>&1");
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

// The report with the reproducers' directory names made equal.
std::string report_of(const result &r) {
  return std::regex_replace(r.out, std::regex("out[0-9a-z]*/"), "OUT/");
}

const std::string kWorkload =
    "@loader geom_virstor_load=YES\n"
    "@disk ada0 8m cache=write-back\n"
    "@disk ada1 8m cache=write-back\n"
    "gvirstor label -m 1m -s 128m vs ada0 ada1\n"
    "dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none\n"
    "dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 seek=1024 status=none\n";

}  // namespace

BOOST_AUTO_TEST_CASE(bad_options_get_a_usage_error_and_exit_2) {
  std::string w = write_tmp("w.sh", kWorkload);
  for (const char *bad : {"--max-drop x", "--shard 2/2", "--shard 1", "--jobs 0",
                          "--cache write-sideways", "--bogus"}) {
    result r = run(std::string("explore --no-progress ") + bad + " " + w);
    BOOST_TEST(r.status == 2, bad);
    BOOST_TEST(has(r.out, "SYNOPSIS"), bad);
  }
  BOOST_TEST(run("explore").status == 2);
  BOOST_TEST(has(run("explore --disk ada9 --no-progress " + w).out, "--disk ada9"));
}

BOOST_AUTO_TEST_CASE(a_workload_that_fails_or_writes_nothing_is_an_error_with_file_and_line) {
  std::string failing = write_tmp("failing.sh", "@disk ada0 1m\ndd if=/dev/ada7 of=/dev/null\n");
  result r = run("explore --no-progress " + failing);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "fails before any crash"));
  BOOST_TEST(has(r.out, "failing.sh:2:"));
  std::string idle = write_tmp("idle.sh", "@disk ada0 1m\nmdconfig -a -t malloc -s 1m\n"
                                          "dd if=/dev/random of=/dev/md0 count=1 status=none\n");
  r = run("explore --no-progress " + idle);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "writes nothing to a disk or file that survives a power cut"));
  std::string bad = write_tmp("bad.sh", "@crash after record x\n");
  r = run("explore --no-progress " + bad);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(has(r.out, "bad.sh:1:"));
}

BOOST_AUTO_TEST_CASE(the_same_workload_and_seed_give_the_same_report) {
  std::string w = write_tmp("same.sh", kWorkload);
  result a = run("explore --no-progress --out outa " + w, true);
  result b = run("explore --no-progress --out outb " + w, true);
  BOOST_TEST(a.status == 1);  // the lost map sector: failures found
  BOOST_TEST(report_of(a) == report_of(b));
  BOOST_TEST(has(a.out, "next-chunk-reused"));
  BOOST_TEST(!has(a.out, "DOES NOT REPLAY"));
}

BOOST_AUTO_TEST_CASE(shards_merged_and_local_jobs_give_the_report_of_one_run) {
  std::string w = write_tmp("parts.sh", kWorkload);
  result whole = run("explore --no-progress --out outw --json whole.json " + w, true);
  run("explore --no-progress --out out0 --json s0.json --shard 0/3 " + w, true);
  run("explore --no-progress --out out1 --json s1.json --shard 1/3 " + w, true);
  run("explore --no-progress --out out2 --json s2.json --shard 2/3 " + w, true);
  result merged = run("explore --no-progress --out outm --merge s0.json s1.json s2.json", true);
  result jobs = run("explore --no-progress --out outj --jobs 3 " + w, true);
  BOOST_TEST(report_of(merged) == report_of(whole));
  BOOST_TEST(report_of(jobs) == report_of(whole));
  BOOST_TEST(merged.status == whole.status);
  result mixed = run("explore --no-progress --merge s0.json whole.json");
  BOOST_TEST(mixed.status == 2);
}

BOOST_AUTO_TEST_CASE(a_request_that_never_completes_after_a_crash_is_a_hang) {
  // Two 4 MB components hold 4 chunks of data: the continuation's four
  // new chunks after the first write do not fit, and virstor delays the
  // write until space comes, which it never does.
  std::string w = write_tmp("full.sh", "@loader geom_virstor_load=YES\n"
                                       "@loader kern.geom.virstor.debug=0\n"
                                       "@disk ada0 4m\n@disk ada1 4m\n"
                                       "gvirstor label -m 1m -s 64m vs ada0 ada1\n"
                                       "dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none\n");
  result r = run("explore --no-progress --out outh " + w, true);
  BOOST_TEST(r.status == 1);
  BOOST_TEST(has(r.out, "hang: waits on \"physwr\""), r.out);
  BOOST_TEST(!has(r.out, "DOES NOT REPLAY"));
}

BOOST_AUTO_TEST_CASE(cache_makes_every_disk_write_back_for_the_run) {
  std::string w = write_tmp("wt.sh", "@loader geom_virstor_load=YES\n@disk ada0 8m\n@disk ada1 8m\n"
                                     "gvirstor label -m 1m -s 128m vs ada0 ada1\n"
                                     "dd if=/dev/random of=/dev/virstor/vs bs=64k count=1 status=none\n");
  result wt = run("explore --no-progress --out outt " + w, true);
  result wb = run("explore --no-progress --out outb2 --cache write-back " + w, true);
  BOOST_TEST(has(wt.out, "ada0 (write-through)"));
  BOOST_TEST(has(wb.out, "ada0 (write-back)"));
  // Cached writes are caught by the cut: the write-back run has states
  // that lose some, the write-through one none.
  auto states = [](const std::string &out) {
    std::smatch m;
    std::regex_search(out, m, std::regex("crash states: ([0-9]+)"));
    return std::stoul(m[1].str());
  };
  BOOST_TEST(states(wb.out) > states(wt.out));
}

BOOST_AUTO_TEST_CASE(a_reproducer_replays_its_state_with_geomsim_run) {
  std::string w = write_tmp("repro.sh", kWorkload);
  result r = run("explore --no-progress --out outr " + w, true);
  std::smatch m;
  std::regex repro("reproducer: (outr/[^ ]+\\.sh)");
  BOOST_REQUIRE(std::regex_search(r.out, m, repro));
  result replay = run("run " + m[1].str());
  BOOST_TEST(replay.status == 0, replay.out);
  BOOST_TEST(has(replay.out, "PASS"));
}

BOOST_AUTO_TEST_CASE(virstor_check_reads_host_images_and_never_writes_them) {
  std::string img0 = write_tmp("c0.img", std::string(4 << 20, '\0'));
  std::string img1 = write_tmp("c1.img", std::string(4 << 20, '\0'));
  std::string s = write_tmp("mk.sh", "@image /var/tmp/c0 " + img0 + "\n@image /var/tmp/c1 " + img1 +
                                         "\nmdconfig -a -t vnode -f /var/tmp/c0\n"
                                         "mdconfig -a -t vnode -f /var/tmp/c1\n"
                                         "gvirstor label -m 128k -s 16m vs md0 md1\n");
  run("run " + s);
  result ok = run("virstor-check " + img0 + " " + img1);
  BOOST_TEST(ok.status == 0, ok.out);
  BOOST_TEST(has(ok.out, "2 of 2 components"));
  result one = run("virstor-check -q " + img0);
  BOOST_TEST(one.status == 1);
  BOOST_TEST(has(one.out, "incomplete"));
  BOOST_TEST(run("virstor-check /nonexistent.img").status == 2);
  BOOST_TEST(run("virstor-check --sector 999 " + img0).status == 2);
}
