// gnop(4)/gnop(8): failure probabilities over many seeds, the Nth request
// failing, count_until_fail, delays in simulated time, windows,
// statistics and messages.
#define BOOST_TEST_MODULE sim_nop
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "kern/syscalls.h"
#include "sim/userland/program.h"
#include "tests/sim/sim_fixture.h"

namespace {

// Writes sector i (i = 0..n-1) one request at a time; the errors.
std::vector<int> write_each(const std::string &dev, int n) {
  std::vector<int> errs;
  auto data = simtest::pattern(512, 1);
  int fd;
  if (kern::sys_open("/dev/" + dev, kern::BSD_O_RDWR, fd) != 0) return errs;
  for (int i = 0; i < n; i++) {
    size_t done;
    errs.push_back(kern::sys_pwrite(fd, data.data(), 512, (int64_t)i * 512, done));
  }
  kern::sys_close(fd);
  return errs;
}

int failure_count(const std::vector<int> &errs) {
  int n = 0;
  for (int e : errs) n += e != 0;
  return n;
}

std::vector<int> failing(const std::vector<int> &errs) {
  std::vector<int> idx;
  for (size_t i = 0; i < errs.size(); i++)
    if (errs[i] != 0) idx.push_back((int)i + 1);
  return idx;
}

// A booted machine with md0 (1 MiB, malloc) and `gnop create <args> md0`.
struct nop_rig : simtest::rig {
  explicit nop_rig(const std::string &args, uint64_t seed = 1) : rig(seed) {
    BOOST_REQUIRE(boot());
    BOOST_REQUIRE(sh("mdconfig -a -t malloc -s 1m -u 0").status == 0);
    auto c = sh("gnop create " + args + (args.empty() ? "" : " ") + "md0");
    BOOST_REQUIRE_MESSAGE(c.status == 0, c.err);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(create_makes_md0_nop_and_list_shows_the_statistics) {
  nop_rig r("-e 5");
  std::vector<int> errs;
  BOOST_TEST(r.run([&] { errs = write_each("md0.nop", 3); }));
  BOOST_TEST(failing(errs).empty());
  auto l = r.sh("gnop list");
  BOOST_TEST(l.status == 0);
  for (const char *line : {"Geom name: md0.nop\n", "Writes: 3\n", "Reads: 0\n", "Error: 5\n",
                           "WroteBytes: 1536\n", "ReadFailProb: 0\n", "Failures: 0\n",
                           "1. Name: md0.nop\n", "Mediasize: 1048576 (1.0M)\n"})
    BOOST_TEST(l.out.find(line) != std::string::npos, line);
  BOOST_TEST(r.sh("gnop reset md0.nop").status == 0);
  BOOST_TEST(r.sh("gnop list").out.find("Writes: 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(write_failure_rate_over_many_seeds_is_near_the_requested_one) {
  int failed = 0, total = 0;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    nop_rig r("-w 30", seed);
    std::vector<int> errs;
    BOOST_TEST(r.run([&] { errs = write_each("md0.nop", 100); }));
    for (int e : errs) {
      BOOST_TEST((e == 0 || e == kern::B_EIO));
      failed += e != 0;
      total++;
    }
    // The class counts what it failed.
    BOOST_TEST(r.sh("gnop list").out.find("Failures: " + std::to_string(failure_count(errs)) +
                                          "\n") != std::string::npos);
  }
  double rate = (double)failed / total;
  BOOST_TEST(total == 2000);
  BOOST_TEST(rate > 0.26);
  BOOST_TEST(rate < 0.34);
}

BOOST_AUTO_TEST_CASE(the_same_seed_fails_the_same_requests) {
  auto pattern_for = [](uint64_t seed) {
    nop_rig r("-w 50 -r 50", seed);
    std::vector<int> errs;
    r.run([&] { errs = write_each("md0.nop", 40); });
    return failing(errs);
  };
  BOOST_TEST(pattern_for(9) == pattern_for(9));
  BOOST_TEST(pattern_for(9) != pattern_for(10));
}

BOOST_AUTO_TEST_CASE(the_error_option_chooses_what_fails_and_reads_fail_separately) {
  nop_rig r("-e 6 -r 100");
  int rd = -1;
  std::vector<int> errs;
  BOOST_TEST(r.run([&] {
    errs = write_each("md0.nop", 4);
    std::vector<unsigned char> buf(512);
    rd = simtest::dev_read("md0.nop", 0, buf);
  }));
  BOOST_TEST(failing(errs).empty());
  BOOST_TEST(rd == kern::B_ENXIO);
}

BOOST_AUTO_TEST_CASE(fail_nth_fails_exactly_the_nth_request) {
  nop_rig r("-n 5");
  std::vector<int> errs;
  BOOST_TEST(r.run([&] { errs = write_each("md0.nop", 10); }));
  BOOST_TEST(failing(errs) == std::vector<int>{5});
  BOOST_TEST(errs[4] == kern::B_EIO);
  BOOST_TEST(r.sh("gnop configure -n 2 md0.nop").status == 0);
  BOOST_TEST(r.run([&] { errs = write_each("md0.nop", 10); }));
  BOOST_TEST(failing(errs) == std::vector<int>{2});
  BOOST_TEST(r.sh("gnop list").out.find("Failures: 2\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(count_until_fail_lets_n_requests_through_then_fails_all) {
  nop_rig r("-c 3");
  std::vector<int> errs;
  BOOST_TEST(r.run([&] { errs = write_each("md0.nop", 6); }));
  BOOST_TEST(failing(errs) == (std::vector<int>{4, 5, 6}));
  auto l = r.sh("gnop list").out;
  BOOST_TEST(l.find("WriteFailProb: 100\n") != std::string::npos);
  BOOST_TEST(l.find("ReadFailProb: 100\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_ten_second_delay_replays_in_simulated_time_without_blocking_others) {
  nop_rig r("-d 10000 -x 100");
  BOOST_REQUIRE(r.sh("mdconfig -a -t malloc -s 1m -u 1").status == 0);
  kern::kernel &k = r.k();
  int64_t delayed_done = -1, other_done = -1;
  int e1 = -1, e2 = -1;
  auto wall0 = std::chrono::steady_clock::now();
  int64_t t0 = k.sched().now();
  kern::thread *a = k.spawn("slow", [&] {
    e1 = simtest::dev_write("md0.nop", 0, simtest::pattern(512, 1));
    delayed_done = kern::sys_uptime_ns();
  });
  kern::thread *b = k.spawn("fast", [&] {
    e2 = simtest::dev_write("md1", 0, simtest::pattern(512, 2));
    other_done = kern::sys_uptime_ns();
  });
  k.settle();
  auto wall = std::chrono::steady_clock::now() - wall0;
  BOOST_TEST(a->finished());
  BOOST_TEST(b->finished());
  k.reap(a);
  k.reap(b);
  BOOST_TEST(e1 == 0);
  BOOST_TEST(e2 == 0);
  BOOST_TEST(delayed_done - t0 >= 10ll * 1000000000);
  BOOST_TEST(other_done - t0 < 1000000000);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(wall).count() < 5);
  auto l = r.sh("gnop list").out;
  BOOST_TEST(l.find("Delayed: 1\n") != std::string::npos);
  BOOST_TEST(l.find("Delay: 10000\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(offset_and_size_make_a_window_on_the_provider) {
  nop_rig r("-o 4096 -s 65536");
  auto data = simtest::pattern(512, 5);
  int w = -1, past = -1;
  int64_t size = 0;
  std::vector<unsigned char> below(512);
  BOOST_TEST(r.run([&] {
    int fd;
    if (kern::sys_open("/dev/md0.nop", kern::BSD_O_RDONLY, fd) == 0) {
      kern::sys_diocgmediasize(fd, size);
      kern::sys_close(fd);
    }
    w = simtest::dev_write("md0.nop", 0, data);
    simtest::dev_read("md0", 4096, below);
    past = simtest::dev_write("md0.nop", 65536 + 512, data);
  }));
  BOOST_TEST(size == 65536);
  BOOST_TEST(w == 0);
  BOOST_TEST(below == data);
  BOOST_TEST(past == kern::B_EIO);
}

BOOST_AUTO_TEST_CASE(destroy_is_refused_while_open_and_the_nop_follows_its_provider) {
  nop_rig r("");
  simtest::cmd_result busy;
  BOOST_TEST(r.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/md0.nop", kern::BSD_O_RDWR, fd) == 0);
    sim::proc_io io;
    io.progname = "gnop";
    busy.status = sim::find_program("gnop")->main({"gnop", "destroy", "md0.nop"}, io);
    busy.err = io.err;
    kern::sys_close(fd);
  }));
  BOOST_TEST(busy.status == 1);
  BOOST_TEST(busy.err == "gnop: Cannot destroy device md0.nop (error=16).\n");
  BOOST_TEST(r.sh("gnop destroy md0.nop").status == 0);
  BOOST_TEST(r.sh("gnop create md0").status == 0);
  BOOST_TEST(r.sh("mdconfig -d -u 0").status == 0);  // the nop was not open
  BOOST_TEST(r.sh("gnop list").out.find("md0.nop") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(gnop_says_what_freebsd_says) {
  nop_rig r("");
  BOOST_TEST(r.sh("gnop create md0").err == "gnop: Provider md0.nop already exists.\n");
  BOOST_TEST(r.sh("gnop create nosuch").err == "gnop: Provider nosuch is invalid.\n");
  BOOST_TEST(r.sh("gnop create -r 101 md0").err == "gnop: Invalid 'rfailprob' argument\n");
  BOOST_TEST(r.sh("gnop configure -w 5 md0").err == "gnop: Provider md0 is invalid.\n");
  BOOST_TEST(r.sh("gnop destroy md9.nop").err == "gnop: Device md9.nop is invalid.\n");
  BOOST_TEST(r.sh("gnop create -Z custom md0").status == 0);
  BOOST_TEST(r.sh("gnop list custom").out.find("Geom name: custom\n") != std::string::npos);
}
