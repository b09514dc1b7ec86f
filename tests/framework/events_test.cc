// The event queue and the g_event thread: g_post_event, g_waitfor_event,
// g_cancel_event, g_waitidle (geom_event.c; g_event(9); reference §3.7-3.10,
// §11.2).
#define BOOST_TEST_MODULE framework_events
#include <boost/test/unit_test.hpp>

#include "kern/fault.h"
#include "kern/sync.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

// Notes "<arg> <flag> <thread> <locked|unlocked>".
void record(void *arg, int flag) {
  note(std::string((const char *)arg) + " " + std::to_string(flag) + " " + thread_name() + " " +
       (g_topology_locked() ? "locked" : "unlocked"));
}

// An event that holds g_event until `go` is set.
int go;
void block_until_go(void *, int flag) {
  while (!go) tsleep(&go, PRIBIO, "blocker", 0);
}
void release_blocker() {
  go = 1;
  wakeup(&go);
}

int ref;  // an address to reference events by

}  // namespace

BOOST_AUTO_TEST_CASE(events_run_in_posting_order_on_the_event_thread_with_the_topology_lock_held) {
  fixture k;
  k.run([] {
    for (const char *name : {"e1", "e2", "e3", "e4"})
      g_post_event(record, (void *)name, M_WAITOK, nullptr);
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"e1 0 g_event locked", "e2 0 g_event locked",
                                                  "e3 0 g_event locked", "e4 0 g_event locked"}));
}

BOOST_AUTO_TEST_CASE(an_event_posted_from_an_event_runs_after_everything_queued_before_it) {
  fixture k;
  k.run([] {
    g_post_event([](void *, int) {
      note("a");
      g_post_event([](void *, int) { note("c"); }, nullptr, M_WAITOK, nullptr);
    }, nullptr, M_WAITOK, nullptr);
    g_post_event([](void *, int) { note("b"); }, nullptr, M_WAITOK, nullptr);
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"a", "b", "c"}));
}

BOOST_AUTO_TEST_CASE(g_waitfor_event_returns_after_its_event_ran) {
  fixture k;
  int error = -1;
  k.run([&] {
    error = g_waitfor_event(record, (void *)"e", M_WAITOK, nullptr);
    note("returned");
  });
  BOOST_TEST(error == 0);
  BOOST_TEST(notes() == (std::vector<std::string>{"e 0 g_event locked", "returned"}));
}

// The only flag value a handler sees besides 0 is EV_CANCEL; cancelling
// runs it right away, in the cancelling thread.
BOOST_AUTO_TEST_CASE(cancelling_a_queued_event_calls_it_with_ev_cancel_and_it_never_runs) {
  fixture k;
  k.run([] {
    g_topology_lock();  // g_event cannot start anything meanwhile
    g_post_event(record, (void *)"e", M_WAITOK, &ref, nullptr);
    g_cancel_event(&ref);
    g_topology_unlock();
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"e 1 test locked"}));
}

BOOST_AUTO_TEST_CASE(an_event_posted_without_references_cannot_be_cancelled) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_post_event(record, &ref, M_WAITOK, nullptr);  // arg is not a reference
    g_cancel_event(&ref);
    g_topology_unlock();
  });
  BOOST_TEST(notes().size() == 1u);
  BOOST_TEST(notes()[0].find(" 0 g_event") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_cancelled_waited_event_makes_g_waitfor_event_return_eagain) {
  fixture k;
  go = 0;
  int error = -1;
  kern::thread *poster = k.k().spawn("poster", [] {
    g_post_event(block_until_go, nullptr, M_WAITOK, nullptr);
  });
  k.k().settle();  // g_event now sits in block_until_go
  kern::thread *waiter = k.k().spawn("waiter", [&] {
    error = g_waitfor_event(record, (void *)"w", M_WAITOK, &ref, nullptr);
  });
  k.k().settle();
  BOOST_TEST(waiter->blocked());
  BOOST_TEST(std::string(waiter->wmesg()) == "g_waitfor_event");
  k.run([] {
    g_cancel_event(&ref);
    release_blocker();
  });
  BOOST_TEST(waiter->finished());
  BOOST_TEST(error == EAGAIN);
  BOOST_TEST(notes() == (std::vector<std::string>{"w 1 test unlocked"}));
  k.k().reap(poster);
  k.k().reap(waiter);
}

// TDP_GEOM: a system call that posted events returns to user space only
// once the queue drained, so `close` of a device returns after the
// retaste it caused.
BOOST_AUTO_TEST_CASE(a_thread_that_posted_an_event_waits_for_the_queue_to_drain_before_returning_to_user_space) {
  fixture k;
  go = 0;
  kern::thread *poster = k.k().spawn("poster", [] {
    g_post_event(block_until_go, nullptr, M_WAITOK, nullptr);
  });
  k.k().settle();
  BOOST_TEST(poster->blocked());
  BOOST_TEST(std::string(poster->wmesg()) == "g_waitidle");
  k.run([] { release_blocker(); });
  BOOST_TEST(poster->finished());
  k.k().reap(poster);
}

BOOST_AUTO_TEST_CASE(an_event_takes_up_to_nineteen_references) {
  fixture k;
  int r[19];
  int error = -1;
  k.run([&] {
    error = g_post_event(record, (void *)"e", M_WAITOK, &r[0], &r[1], &r[2], &r[3], &r[4],
                         &r[5], &r[6], &r[7], &r[8], &r[9], &r[10], &r[11], &r[12], &r[13],
                         &r[14], &r[15], &r[16], &r[17], &r[18], nullptr);
  });
  BOOST_TEST(error == 0);
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(posting_an_event_with_twenty_references_panics) {
  fixture k;
  int r[20];
  k.run([&] {
    g_post_event(record, (void *)"e", M_WAITOK, &r[0], &r[1], &r[2], &r[3], &r[4], &r[5],
                 &r[6], &r[7], &r[8], &r[9], &r[10], &r[11], &r[12], &r[13], &r[14], &r[15],
                 &r[16], &r[17], &r[18], &r[19], nullptr);
  });
  CHECK_PANIC(k, "Too many references to event");
}

BOOST_AUTO_TEST_CASE(posting_with_a_flag_other_than_waitok_or_nowait_panics) {
  fixture k;
  k.run([] { g_post_event(record, (void *)"e", M_WAITOK | M_ZERO, nullptr); });
  CHECK_PANIC(k, "Wrong flag to g_post_event");
}

BOOST_AUTO_TEST_CASE(posting_with_m_nowait_returns_enomem_when_memory_is_short) {
  fixture k;
  k.k().faults().add({"malloc", "GEOM", 1, 1});
  int error = -1;
  k.run([&] { error = g_post_event(record, (void *)"e", M_NOWAIT, nullptr); });
  BOOST_TEST(error == ENOMEM);
  BOOST_TEST(notes().empty());
}

BOOST_AUTO_TEST_CASE(g_waitfor_event_with_topology_lock_held_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_waitfor_event(record, (void *)"e", M_WAITOK, nullptr);
  });
  CHECK_PANIC(k, "Lock GEOM topology exclusively locked");
}

// It would wait for itself forever; FreeBSD only documents the rule.
BOOST_AUTO_TEST_CASE(g_waitfor_event_on_the_event_thread_panics) {
  fixture k;
  k.run([] {
    g_post_event([](void *, int) {
      g_topology_unlock();
      g_waitfor_event(record, (void *)"e", M_WAITOK, nullptr);
      g_topology_lock();
    }, nullptr, M_WAITOK, nullptr);
  });
  CHECK_PANIC(k, "g_waitfor_event called on the g_event thread");
  BOOST_TEST(k.k().panic_info().thread == "g_event");
}

BOOST_AUTO_TEST_CASE(g_waitidle_with_topology_lock_held_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_waitidle();
  });
  CHECK_PANIC(k, "Lock GEOM topology exclusively locked");
}

// A cancel handler runs under the event mutex.
BOOST_AUTO_TEST_CASE(a_cancel_handler_that_sleeps_panics) {
  fixture k;
  k.run([] {
    g_topology_lock();
    g_post_event([](void *, int flag) {
      if (flag == EV_CANCEL) pause("zzz", 1);
    }, nullptr, M_WAITOK, &ref, nullptr);
    g_cancel_event(&ref);
  });
  CHECK_PANIC(k, "with sleeping prohibited");
}

BOOST_AUTO_TEST_CASE(an_event_handler_returning_without_the_topology_lock_panics) {
  fixture k;
  k.run([] {
    g_post_event([](void *, int) { g_topology_unlock(); }, nullptr, M_WAITOK, nullptr);
  });
  CHECK_PANIC(k, "Lock GEOM topology not exclusively locked");
  BOOST_TEST(k.k().panic_info().thread == "g_event");
}

// The doorstep is checked before every event: an orphaned provider
// without I/O in flight is announced before anything queued.
BOOST_AUTO_TEST_CASE(ready_orphan_notifications_run_before_queued_events) {
  fixture k;
  probe_b.orphan = [](struct g_consumer *) { note("orphan"); };
  k.run([] {
    g_topology_lock();
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    attach(new_geom(&probe_b_class, "h"), "p");
    g_post_event([](void *, int) { note("event"); }, nullptr, M_WAITOK, nullptr);
    g_orphan_provider(pp, ENXIO);
    g_topology_unlock();
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"orphan", "event"}));
}
