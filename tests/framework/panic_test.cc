// Panics and traps: a broken rule or a bad pointer in kernel code stops the
// simulated kernel with a report (message, thread, what the user was
// doing); it never crashes the simulator (kern/kernel.h, kern/trap.h).
#define BOOST_TEST_MODULE framework_panic
#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include "tests/framework/fwtest.h"

using namespace fwtest;

MALLOC_DEFINE(M_FWPANIC, "fwpanic", "panic test");

BOOST_AUTO_TEST_CASE(a_kassert_failure_stops_the_kernel_with_its_message_thread_and_context) {
  fixture k;
  k.k().set_context("basic.sh:3: gfoo frob d0");
  bool reached = false;
  k.run([&] {
    KASSERT(1 + 1 == 3, ("arithmetic is off by %d", 1));
    reached = true;
  }, "gfoo");
  BOOST_TEST(!reached);
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "arithmetic is off by 1");
  BOOST_TEST(k.k().panic_info().thread == "gfoo");
  BOOST_TEST(k.k().panic_info().context == "basic.sh:3: gfoo frob d0");
  BOOST_TEST(k.console_has("panic: arithmetic is off by 1"));
  BOOST_TEST(k.k().stopped());
}

BOOST_AUTO_TEST_CASE(nothing_runs_after_a_panic) {
  fixture k;
  k.run([] { panic("first"); });
  bool ran = false;
  k.testsupport::booted::run([&] { ran = true; });
  BOOST_TEST(!ran);
  BOOST_TEST(k.panic_message() == "first");
  BOOST_TEST(k.console().back().find("Uptime") == 0u);  // the panic's last line
}

// kern_shutdown.c's print_uptime: larger units appear once reached, and
// every smaller one after them.
BOOST_AUTO_TEST_CASE(a_panic_ends_with_the_uptime_as_freebsd_prints_it) {
  BOOST_TEST(kern::uptime_line(0) == "Uptime: 0s\n");
  BOOST_TEST(kern::uptime_line(59) == "Uptime: 59s\n");
  BOOST_TEST(kern::uptime_line(100) == "Uptime: 1m40s\n");
  BOOST_TEST(kern::uptime_line(3605) == "Uptime: 1h0m5s\n");
  BOOST_TEST(kern::uptime_line(86400 + 61) == "Uptime: 1d0h1m1s\n");
  fixture k;
  k.run([] {
    pause("nap", 100 * hz);
    panic("late");
  });
  BOOST_TEST(k.console().back() == "Uptime: 1m40s");
}

BOOST_AUTO_TEST_CASE(null_dereference_in_kernel_code_is_a_simulated_panic_not_a_crash) {
  for (kern::sched_mode mode : {kern::sched_mode::det, kern::sched_mode::threads}) {
    BOOST_TEST_CONTEXT((mode == kern::sched_mode::det ? "det" : "threads")) {
      fixture k(1, mode);
      k.run([] {
        struct g_geom *volatile gp = NULL;
        gp->rank = 1;
      }, "victim");
      CHECK_PANIC(k, "page fault");
      BOOST_TEST(k.k().panic_info().thread == "victim");
      BOOST_TEST(k.console_has("Fatal trap 12: page fault while in kernel mode"));
      BOOST_TEST(k.console_has("fault code\t\t= supervisor write data, page not present"));
    }
  }
}

BOOST_AUTO_TEST_CASE(division_by_zero_in_kernel_code_is_a_simulated_panic) {
  fixture k;
  k.run([] {
    volatile int chunks = 0;
    volatile int per = 1024 / chunks;  // g_virstor_dumpconf can do this
    (void)per;
  });
  CHECK_PANIC(k, "integer divide fault");
  BOOST_TEST(k.console_has("Fatal trap 18: integer divide fault while in kernel mode"));
}

// A pointer read from freed (trashed) memory is 0xdeadc0dedeadc0de, not a
// canonical address: a general protection fault, as on amd64.
BOOST_AUTO_TEST_CASE(following_a_pointer_read_from_freed_memory_is_a_simulated_panic) {
  fixture k;
  k.run([] {
    struct g_geom **slot = malloc(sizeof(struct g_geom *), M_FWPANIC, M_WAITOK | M_ZERO);
    free(slot, M_FWPANIC);
    struct g_geom *volatile gp = *(struct g_geom *volatile *)slot;
    volatile int rank = gp->rank;
    (void)rank;
  });
  CHECK_PANIC(k, "general protection fault");
}

BOOST_AUTO_TEST_CASE(a_fault_in_a_start_method_is_reported_on_g_down) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    struct g_geom *volatile gp = NULL;
    bp->bio_to = gp->provider.first();
  };
  k.run([] {
    g_topology_lock();
    new_provider(new_geom(&probe_a_class, "g"), "p");
    struct g_consumer *cp = attach(new_geom(&probe_b_class, "h"), "p");
    g_access(cp, 1, 0, 0);
    g_topology_unlock();
    g_read_data(cp, 0, 512, NULL);
  });
  CHECK_PANIC(k, "page fault");
  BOOST_TEST(k.k().panic_info().thread == "g_down");
}

// Only the simulator's own bugs come out as C++ exceptions.
BOOST_AUTO_TEST_CASE(a_cxx_exception_escaping_kernel_code_is_reported_as_a_simulator_bug) {
  fixture k;
  k.run([] { throw std::runtime_error("oops"); });
  CHECK_PANIC(k, "geomsim internal error: oops");
  BOOST_TEST(k.k().panic_info().detail.find("simulator bug") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_panic_while_other_threads_hold_locks_and_sleep_still_stops_cleanly) {
  for (kern::sched_mode mode : {kern::sched_mode::det, kern::sched_mode::threads}) {
    BOOST_TEST_CONTEXT((mode == kern::sched_mode::det ? "det" : "threads")) {
      fixture k(1, mode);
      static int never;
      kern::thread *holder = k.k().spawn("holder", [] {
        g_topology_lock();
        tsleep(&never, PRIBIO, "forever", 0);
      });
      kern::thread *waiter = k.k().spawn("waiter", [] { g_topology_lock(); });
      k.k().settle();
      k.run([] { panic("stop now"); });
      BOOST_TEST(k.panic_message() == "stop now");
      BOOST_TEST(holder->finished());
      BOOST_TEST(waiter->finished());
      k.k().reap(holder);
      k.k().reap(waiter);
    }
  }
}
