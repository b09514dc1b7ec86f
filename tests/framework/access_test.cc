// Access control: g_access and the read/write/exclusive counts
// (geom_subr.c: g_access; g_access(9); reference §5.1-5.3).
#define BOOST_TEST_MODULE framework_access
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

// A topology for most tests: provider p (geom of PROBEA) and two consumers
// on it, c1 and c2, in geoms of PROBEB without a spoiled method (so that a
// first writer does not make the other consumer's opens fail with ENXIO).
// Built and used in one locked run.
struct two_consumers {
  struct g_provider *pp;
  struct g_consumer *c1, *c2;
};

bool with_two_consumers(fixture &k, std::function<void(two_consumers &)> fn) {
  return k.run([&] {
    g_topology_lock();
    two_consumers t;
    t.pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    t.c1 = attach(new_geom(&probe_b_class, "h1"), "p");
    t.c2 = attach(new_geom(&probe_b_class, "h2"), "p");
    t.c1->geom->spoiled = NULL;
    t.c2->geom->spoiled = NULL;
    fn(t);
    g_topology_unlock();
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(exclusive_open_blocks_a_second_writer_with_eperm) {
  fixture k;
  int first = -1, second = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    first = g_access(t.c1, 1, 1, 1);
    second = g_access(t.c2, 0, 1, 0);
  });
  BOOST_TEST(first == 0);
  BOOST_TEST(second == EPERM);
}

BOOST_AUTO_TEST_CASE(exclusive_open_fails_with_eperm_while_another_consumer_writes) {
  fixture k;
  int error = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 0, 1, 0);
    error = g_access(t.c2, 0, 0, 1);
  });
  BOOST_TEST(error == EPERM);
}

BOOST_AUTO_TEST_CASE(reads_are_never_blocked_by_exclusive_or_write_opens) {
  fixture k;
  int error = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 0, 1, 1);
    error = g_access(t.c2, 1, 0, 0);
  });
  BOOST_TEST(error == 0);
}

// The exclusivity test excludes the caller's own counts.
BOOST_AUTO_TEST_CASE(a_consumer_may_combine_its_own_write_and_exclusive_bits) {
  fixture k;
  int e = -1, w = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 0, 1, 0);
    e = g_access(t.c1, 0, 0, 1);
    w = g_access(t.c1, 0, 1, 0);
  });
  BOOST_TEST(e == 0);
  BOOST_TEST(w == 0);
}

BOOST_AUTO_TEST_CASE(provider_counts_are_the_sum_of_its_consumers_counts) {
  fixture k;
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 2, 1, 0);
    g_access(t.c2, 1, 0, 0);
    BOOST_TEST(t.pp->acr == 3);
    BOOST_TEST(t.pp->acw == 1);
    BOOST_TEST(t.pp->ace == 0);
    g_access(t.c1, -1, -1, 0);
    BOOST_TEST(t.pp->acr == 2);
    BOOST_TEST(t.pp->acw == 0);
    BOOST_TEST(t.c1->acr == 1);
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(opening_an_errored_provider_fails_with_its_error_but_closing_succeeds) {
  fixture k;
  int open = -1, close = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 1, 0, 0);
    g_error_provider(t.pp, EIO);
    open = g_access(t.c2, 1, 0, 0);
    close = g_access(t.c1, -1, 0, 0);
  });
  BOOST_TEST(open == EIO);
  BOOST_TEST(close == 0);
}

// Classes detect first open and last close by looking at the counts while
// their access method runs (virstor adds its exclusive bit so).
BOOST_AUTO_TEST_CASE(access_method_sees_the_old_counts) {
  fixture k;
  std::vector<int> seen;
  probe_a.access = [&](struct g_provider *pp, int dr, int dw, int de) {
    seen.push_back(pp->acr);
    return 0;
  };
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 1, 0, 0);
    g_access(t.c2, 1, 0, 0);
    g_access(t.c1, -1, 0, 0);
  });
  BOOST_TEST(seen == (std::vector<int>{0, 1, 2}));
}

BOOST_AUTO_TEST_CASE(access_method_failure_is_returned_and_changes_no_count) {
  fixture k;
  probe_a.access = [](struct g_provider *, int, int, int) { return EROFS; };
  int error = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    error = g_access(t.c1, 1, 1, 0);
    BOOST_TEST(t.c1->acr + t.c1->acw + t.pp->acr + t.pp->acw == 0);
  });
  BOOST_TEST(error == EROFS);
}

// A close must always succeed: nothing could undo it.
BOOST_AUTO_TEST_CASE(access_method_failing_a_close_panics) {
  fixture k;
  probe_a.access = [](struct g_provider *, int dr, int, int) { return dr < 0 ? EBUSY : 0; };
  with_two_consumers(k, [&](two_consumers &t) {
    g_access(t.c1, 1, 0, 0);
    g_access(t.c1, -1, 0, 0);
  });
  CHECK_PANIC(k, "failed closing ->access()");
}

BOOST_AUTO_TEST_CASE(access_resulting_in_negative_counts_panics) {
  fixture k;
  with_two_consumers(k, [&](two_consumers &t) { g_access(t.c1, 0, -1, 0); });
  CHECK_PANIC(k, "access resulting in negative acw");
}

BOOST_AUTO_TEST_CASE(nop_access_request_panics) {
  fixture k;
  with_two_consumers(k, [&](two_consumers &t) { g_access(t.c1, 0, 0, 0); });
  CHECK_PANIC(k, "NOP access request");
}

BOOST_AUTO_TEST_CASE(access_on_an_unattached_consumer_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_access(g_new_consumer(new_geom(&probe_b_class, "h")), 1, 0, 0);
  });
  CHECK_PANIC(k, "access but not attached");
}

// I/O needs a sector size; a provider open without one is a class bug.
BOOST_AUTO_TEST_CASE(opening_a_provider_without_a_sectorsize_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    struct g_provider *pp = g_new_providerf(new_geom(&probe_a_class, "g"), "p");
    g_error_provider(pp, 0);
    g_access(attach(new_geom(&probe_b_class, "h"), "p"), 1, 0, 0);
  });
  CHECK_PANIC(k, "Provider p lacks sectorsize");
}

// kern.geom.debugflags bit 0x10 lets anyone write to rank-1 providers
// (disks), as `sysctl kern.geom.debugflags=16` does on FreeBSD.
BOOST_AUTO_TEST_CASE(foot_shooting_flag_lets_an_exclusive_open_past_a_writer_of_a_disk) {
  fixture k;
  int blocked = -1, allowed = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    BOOST_TEST(t.pp->geom->rank == 1);
    g_access(t.c1, 0, 1, 0);
    blocked = g_access(t.c2, 0, 0, 1);
    g_debugflags = G_F_FOOTSHOOTING;
    allowed = g_access(t.c2, 0, 0, 1);
    g_debugflags = 0;
  });
  BOOST_TEST(blocked == EPERM);
  BOOST_TEST(allowed == 0);
}

// A spoiled consumer is just ahead of the event telling its geom so; new
// opens fail rather than having to be unravelled later.
BOOST_AUTO_TEST_CASE(a_spoiled_consumer_cannot_open_more_until_its_spoil_event_ran) {
  fixture k;
  int error = -1, close = -1;
  with_two_consumers(k, [&](two_consumers &t) {
    t.c1->geom->spoiled = probe_b_class.spoiled;
    g_access(t.c1, 1, 0, 0);
    g_access(t.c2, 0, 1, 0);  // first writer: c1 is spoiled
    BOOST_TEST((t.c1->flags & G_CF_SPOILED) != 0);
    error = g_access(t.c1, 1, 0, 0);
    close = g_access(t.c1, -1, 0, 0);
  });
  BOOST_TEST(error == ENXIO);
  BOOST_TEST(close == 0);
}

// DEV opens without an exclusive bit (FreeBSD 10), so a /dev node can be
// read while a class holds the disk exclusively, but not written.
BOOST_AUTO_TEST_CASE(dev_node_opens_take_read_and_write_counts_without_exclusive) {
  fixture k;
  k.run([] { new_disk("d0"); });
  int rd = -1, wr = -1, ro = -1;
  std::string mode;
  k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/d0", kern::BSD_O_RDWR, fd) == 0);
    g_topology_lock();
    struct g_provider *pp = provider("d0");
    mode = std::to_string(pp->acr) + std::to_string(pp->acw) + std::to_string(pp->ace);
    g_topology_unlock();
    kern::sys_close(fd);
    g_topology_lock();
    g_access(attach(new_geom(&probe_a_class, "g"), "d0"), 1, 0, 1);
    g_topology_unlock();
    int fd2;
    rd = kern::sys_open("/dev/d0", kern::BSD_O_RDONLY, fd2);
    ro = kern::sys_close(fd2);
    wr = kern::sys_open("/dev/d0", kern::BSD_O_WRONLY, fd2);
  });
  BOOST_TEST(mode == "110");
  BOOST_TEST(rd == 0);
  BOOST_TEST(ro == 0);
  BOOST_TEST(wr == EPERM);
}
