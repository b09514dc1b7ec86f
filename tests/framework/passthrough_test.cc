// A gnop-like passthrough class (PASS, tests/framework/fwtest.cc) over a
// memory disk: userland I/O goes /dev/d0.pass -> DEV -> g_down -> PASS start
// -> clone -> g_down -> TDISK start -> g_io_deliver -> g_up -> g_std_done
// -> g_up -> DEV done, the full path, in both schedulers. The threads-mode
// cases are what tests/framework/run_tsan.sh runs under ThreadSanitizer.
#define BOOST_TEST_MODULE framework_passthrough
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

const size_t kChunk = 64 * 1024;

// d0 (4 MiB) and d0.pass over it, published under /dev.
void setup(fixture &k) {
  k.run([] {
    new_disk("d0", 4 << 20);
    g_waitidle();
    BOOST_REQUIRE(pass_create("d0") == 0);
  });
}

std::vector<char> pattern(int seed, size_t len) {
  std::vector<char> v(len);
  for (size_t i = 0; i < len; i++) v[i] = (char)(seed * 31 + i * 7 + (i >> 9));
  return v;
}

// Writes, reads back and compares one region through /dev/d0.pass.
bool write_read(int fd, int seed, int64_t off, size_t len) {
  std::vector<char> w = pattern(seed, len), r(len);
  size_t done = 0;
  if (kern::sys_pwrite(fd, w.data(), len, off, done) != 0 || done != len) return false;
  if (kern::sys_pread(fd, r.data(), len, off, done) != 0 || done != len) return false;
  return w == r;
}

void round_trip(kern::sched_mode mode) {
  fixture k(7, mode);
  setup(k);
  bool same = false;
  int del = -1;
  k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/d0.pass", kern::BSD_O_RDWR, fd) == 0);
    same = write_read(fd, 1, 4096, kChunk);
    del = kern::sys_diocgdelete(fd, 4096, 512);
    kern::sys_close(fd);
  });
  BOOST_TEST(same);
  BOOST_TEST(del == 0);
  // It reached the disk itself, DELETE included.
  std::vector<char> w = pattern(1, kChunk), media(kChunk);
  BOOST_TEST(testsupport::tdisk_peek("d0", 4096, media.data(), kChunk));
  BOOST_TEST(std::vector<char>(media.begin(), media.begin() + 512) == std::vector<char>(512, 0));
  BOOST_TEST(std::equal(media.begin() + 512, media.end(), w.begin() + 512));
  pass_counts c = pass_stats("d0.pass");
  BOOST_TEST(c.starts == 3u);  // write, read, delete
  BOOST_TEST(c.dones == 3u);
  BOOST_TEST(c.starts_off_down == 0u);
  BOOST_TEST(c.dones_off_up == 0u);
  BOOST_TEST(!k.panicked());
  BOOST_TEST(k.k().findings().empty());
}

// Four programs at once, each on its own region, many times over.
void concurrent(kern::sched_mode mode, uint64_t seed) {
  fixture k(seed, mode);
  setup(k);
  static std::atomic<int> good;
  good = 0;
  std::vector<kern::thread *> ts;
  for (int i = 0; i < 4; i++)
    ts.push_back(k.k().spawn("dd" + std::to_string(i), [i] {
      // No Boost.Test macros here: these threads run in parallel and the
      // test framework is not thread safe.
      int fd;
      bool ok = kern::sys_open("/dev/d0.pass", kern::BSD_O_RDWR, fd) == 0;
      for (int round = 0; round < 10; round++)
        ok = ok && write_read(fd, i * 100 + round, (int64_t)i * 4 * kChunk, MAXPHYS + 4096);
      kern::sys_close(fd);
      if (ok) good++;
    }));
  k.k().settle();
  for (kern::thread *t : ts) {
    BOOST_TEST(t->finished());
    k.k().reap(t);
  }
  BOOST_TEST(good == 4);
  pass_counts c = pass_stats("d0.pass");
  BOOST_TEST(c.starts == 4u * 10 * 2 * 2);  // MAXPHYS + 4 KiB: two physio chunks each way
  BOOST_TEST(c.dones == c.starts);
  BOOST_TEST(c.starts_off_down == 0u);
  BOOST_TEST(c.dones_off_up == 0u);
  BOOST_TEST(!k.panicked());
}

// The disk goes away under an open passthrough: orphan, wither, washer.
void disk_goes_away(kern::sched_mode mode) {
  fixture k(3, mode);
  setup(k);
  int after = 0;
  bool gone = false;
  k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/d0.pass", kern::BSD_O_RDWR, fd) == 0);
    BOOST_REQUIRE(write_read(fd, 5, 0, 4096));
    testsupport::tdisk_destroy("d0");
    g_waitidle();
    char b[512];
    size_t done;
    after = kern::sys_pread(fd, b, sizeof b, 0, done);
    kern::sys_close(fd);
  });
  k.run([&] {
    g_topology_lock();
    gone = provider("d0.pass") == nullptr && provider("d0") == nullptr;
    g_topology_unlock();
  });
  BOOST_TEST(after == ENXIO);
  BOOST_TEST(gone);
  BOOST_TEST(!k.panicked());
}

}  // namespace

BOOST_AUTO_TEST_CASE(io_through_the_passthrough_reaches_the_disk_via_g_down_and_g_up_in_det_mode) {
  round_trip(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(io_through_the_passthrough_reaches_the_disk_via_g_down_and_g_up_in_threads_mode) {
  round_trip(kern::sched_mode::threads);
}

BOOST_AUTO_TEST_CASE(concurrent_io_through_the_passthrough_is_consistent_in_det_mode) {
  for (uint64_t seed = 1; seed <= 5; seed++) {
    BOOST_TEST_CONTEXT("seed " << seed) { concurrent(kern::sched_mode::det, seed); }
  }
}

BOOST_AUTO_TEST_CASE(concurrent_io_through_the_passthrough_is_consistent_in_threads_mode) {
  for (int run = 0; run < 3; run++) concurrent(kern::sched_mode::threads, 1);
}

BOOST_AUTO_TEST_CASE(the_passthrough_withers_when_its_disk_goes_away_in_det_mode) {
  disk_goes_away(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(the_passthrough_withers_when_its_disk_goes_away_in_threads_mode) {
  disk_goes_away(kern::sched_mode::threads);
}

BOOST_AUTO_TEST_CASE(destroying_an_open_passthrough_fails_with_ebusy_unless_forced) {
  fixture k;
  setup(k);
  int busy = -1, forced = -1;
  k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/d0.pass", kern::BSD_O_RDONLY, fd) == 0);
    busy = pass_destroy("d0.pass", false);
    forced = pass_destroy("d0.pass", true);
    kern::sys_close(fd);
  });
  BOOST_TEST(busy == EBUSY);
  BOOST_TEST(forced == 0);
  BOOST_TEST(!k.panicked());
}
