// Locks: the topology lock, mtx(9) and sx(9) with the rules WITNESS and
// INVARIANTS enforce (geom.h; kern_mutex.c, kern_sx.c; reference §2,
// §11.4).
#define BOOST_TEST_MODULE framework_locks
#include <boost/test/unit_test.hpp>

#include <sys/sx.h>

#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

struct mtx m;
struct sx s;

}  // namespace

BOOST_AUTO_TEST_CASE(topology_lock_recursion_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_topology_lock();
  });
  CHECK_PANIC(k, "_sx_xlock_hard: recursed on non-recursive sx GEOM topology");
}

BOOST_AUTO_TEST_CASE(topology_unlock_by_a_thread_that_does_not_hold_it_panics) {
  fixture k;
  k.run([] { g_topology_unlock(); });
  CHECK_PANIC(k, "Lock GEOM topology not exclusively locked");
}

BOOST_AUTO_TEST_CASE(topology_assert_not_with_the_lock_held_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_topology_assert_not();
  });
  CHECK_PANIC(k, "Lock GEOM topology exclusively locked");
}

// g_up and g_down must never sleep, and taking an sx lock may.
BOOST_AUTO_TEST_CASE(taking_the_topology_lock_on_g_down_panics) {
  fixture k;
  probe_a.start = [](struct bio *) { g_topology_lock(); };
  k.run([] {
    g_topology_lock();
    new_provider(new_geom(&probe_a_class, "g"), "p");
    struct g_consumer *cp = attach(new_geom(&probe_b_class, "h"), "p");
    g_access(cp, 1, 0, 0);
    g_topology_unlock();
    static char buf[512];
    struct bio *bp = g_alloc_bio();
    bp->bio_cmd = BIO_READ;
    bp->bio_length = 512;
    bp->bio_data = buf;
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "g_topology_lock() on g_down");
}

BOOST_AUTO_TEST_CASE(taking_the_topology_lock_on_g_up_panics) {
  fixture k;
  k.run([] { new_disk("d0"); });
  k.run([] {
    g_topology_lock();
    struct g_consumer *cp = attach(new_geom(&probe_a_class, "g"), "d0");
    g_access(cp, 1, 0, 0);
    g_topology_unlock();
    static char buf[512];
    struct bio *bp = g_alloc_bio();
    bp->bio_cmd = BIO_READ;
    bp->bio_length = 512;
    bp->bio_data = buf;
    bp->bio_done = [](struct bio *) { g_topology_lock(); };
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "g_topology_lock() on g_up");
}

BOOST_AUTO_TEST_CASE(mutex_recursion_without_mtx_recurse_panics) {
  fixture k;
  k.run([] {
    m = {};
    mtx_init(&m, "fwtest", NULL, MTX_DEF);
    mtx_lock(&m);
    mtx_lock(&m);
  });
  CHECK_PANIC(k, "_mtx_lock_sleep: recursed on non-recursive mutex fwtest");
}

BOOST_AUTO_TEST_CASE(a_mutex_initialised_with_mtx_recurse_may_recurse) {
  fixture k;
  k.run([] {
    m = {};
    mtx_init(&m, "fwtest", NULL, MTX_DEF | MTX_RECURSE);
    mtx_lock(&m);
    mtx_lock(&m);
    mtx_assert(&m, MA_OWNED | MA_RECURSED);
    mtx_unlock(&m);
    mtx_assert(&m, MA_OWNED | MA_NOTRECURSED);
    mtx_unlock(&m);
    mtx_assert(&m, MA_NOTOWNED);
    mtx_destroy(&m);
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(unlocking_a_mutex_one_does_not_own_panics) {
  fixture k;
  k.run([] {
    m = {};
    mtx_init(&m, "fwtest", NULL, MTX_DEF);
    mtx_unlock(&m);
  });
  CHECK_PANIC(k, "mutex fwtest not owned");
}

BOOST_AUTO_TEST_CASE(mtx_assert_owned_on_a_mutex_one_does_not_own_panics) {
  fixture k;
  k.run([] {
    m = {};
    mtx_init(&m, "fwtest", NULL, MTX_DEF);
    mtx_assert(&m, MA_OWNED);
  });
  CHECK_PANIC(k, "mutex fwtest not owned at");
}

BOOST_AUTO_TEST_CASE(using_a_mutex_before_mtx_init_panics) {
  fixture k;
  k.run([] {
    m = {};
    mtx_lock(&m);
  });
  CHECK_PANIC(k, "mtx_lock: mutex");
  CHECK_PANIC(k, "not initialized");
}

BOOST_AUTO_TEST_CASE(initialising_a_mutex_twice_panics) {
  fixture k;
  k.run([] {
    m = {};
    mtx_init(&m, "fwtest", NULL, MTX_DEF);
    mtx_init(&m, "fwtest", NULL, MTX_DEF);
  });
  CHECK_PANIC(k, "lock \"fwtest\"");
  CHECK_PANIC(k, "already initialized");
}

// Waiting for a mutex is not a sleep: start and done methods use them.
BOOST_AUTO_TEST_CASE(a_mutex_may_be_taken_where_sleeping_is_prohibited) {
  fixture k;
  k.run([] {
    m = {};
    mtx_init(&m, "fwtest", NULL, MTX_DEF);
    THREAD_NO_SLEEPING();
    mtx_lock(&m);
    mtx_unlock(&m);
    THREAD_SLEEPING_OK();
    mtx_destroy(&m);
  });
  BOOST_TEST(!k.panicked());
}

// FreeBSD notices only when the lock is contended; the code is wrong
// either way.
BOOST_AUTO_TEST_CASE(taking_an_sx_lock_where_sleeping_is_prohibited_panics_even_uncontended) {
  fixture k;
  k.run([] {
    sx_init(&s, "fwsx");
    THREAD_NO_SLEEPING();
    sx_xlock(&s);
  });
  CHECK_PANIC(k, "with sleeping prohibited");
}

BOOST_AUTO_TEST_CASE(sx_recursion_panics) {
  fixture k;
  k.run([] {
    sx_init(&s, "fwsx");
    sx_xlock(&s);
    sx_xlock(&s);
  });
  CHECK_PANIC(k, "_sx_xlock_hard: recursed on non-recursive sx fwsx");
}

// The lock really excludes: counters updated under it add up, in both
// schedulers (in threads mode the threads truly run in parallel).
BOOST_AUTO_TEST_CASE(a_mutex_excludes_other_threads_in_both_schedulers) {
  for (kern::sched_mode mode : {kern::sched_mode::det, kern::sched_mode::threads}) {
    BOOST_TEST_CONTEXT((mode == kern::sched_mode::det ? "det" : "threads")) {
      fixture k(1, mode);
      static long counter;
      counter = 0;
      k.run([] {
        m = {};
        mtx_init(&m, "fwtest", NULL, MTX_DEF);
      });
      std::vector<kern::thread *> ts;
      for (int i = 0; i < 4; i++)
        ts.push_back(k.k().spawn("adder", [] {
          for (int j = 0; j < 500; j++) {
            mtx_lock(&m);
            long v = counter;
            kern::current_scheduler()->point();  // invite a switch inside
            counter = v + 1;
            mtx_unlock(&m);
          }
        }));
      k.k().settle();
      for (kern::thread *t : ts) k.k().reap(t);
      BOOST_TEST(counter == 2000);
    }
  }
}

// g_topology_sleep (and msleep) release the lock atomically while asleep.
BOOST_AUTO_TEST_CASE(g_topology_sleep_lets_other_threads_take_the_topology_lock) {
  fixture k;
  static int done;
  done = 0;
  kern::thread *sleeper = k.k().spawn("sleeper", [] {
    g_topology_lock();
    while (!done) g_topology_sleep(&done, 0);
    note("sleeper woke with the lock " + std::string(g_topology_locked() ? "held" : "free"));
    g_topology_unlock();
  });
  k.k().settle();
  k.run([] {
    g_topology_lock();
    done = 1;
    wakeup(&done);
    g_topology_unlock();
  });
  BOOST_TEST(sleeper->finished());
  BOOST_TEST(notes() == (std::vector<std::string>{"sleeper woke with the lock held"}));
  k.k().reap(sleeper);
}
