// The framework boots, a provider is published under /dev, and I/O
// through it round-trips, in both schedulers.
#define BOOST_TEST_MODULE framework_smoke
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "kern/syscalls.h"
#include "tests/support/kernel_fixture.h"
#include "tests/support/test_disk.h"

namespace {
void round_trip(kern::sched_mode mode) {
  testsupport::booted k({mode, 7});
  BOOST_TEST(k.run([] { testsupport::tdisk_create("tdisk0", 1 << 20); }));
  bool ok = false;
  BOOST_TEST(k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/tdisk0", kern::BSD_O_RDWR, fd) == 0);
    char w[4096], r[4096];
    std::memset(w, 0x5a, sizeof w);
    size_t done;
    BOOST_REQUIRE(kern::sys_pwrite(fd, w, sizeof w, 8192, done) == 0);
    BOOST_REQUIRE(kern::sys_pread(fd, r, sizeof r, 8192, done) == 0);
    ok = done == sizeof r && std::memcmp(w, r, sizeof r) == 0;
    kern::sys_close(fd);
  }));
  BOOST_TEST(ok);
  BOOST_TEST(!k.panicked());
}
}  // namespace

BOOST_AUTO_TEST_CASE(io_round_trips_through_dev_in_det_scheduler) {
  round_trip(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(io_round_trips_through_dev_in_threads_scheduler) {
  round_trip(kern::sched_mode::threads);
}
