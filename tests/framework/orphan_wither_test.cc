// Orphaning, withering and the washer: how providers and geoms go away
// (geom_event.c: g_orphan_provider, g_orphan_register; geom_subr.c:
// g_wither_*; g_wither_geom(9); reference §6.1-6.7, §6.11).
#define BOOST_TEST_MODULE framework_orphan_wither
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

bool locked(fixture &k, std::function<void()> fn) {
  return k.run([&] {
    g_topology_lock();
    fn();
    g_topology_unlock();
  });
}

bool exists(fixture &k, struct g_class *mp, const char *name) {
  bool found = false;
  locked(k, [&] { found = geom_exists(mp, name); });
  return found;
}

void ignore_orphan(struct g_consumer *) {}

}  // namespace

BOOST_AUTO_TEST_CASE(orphan_reaches_every_consumers_orphan_method_on_the_event_thread) {
  fixture k;
  auto record = [](const char *who) {
    return [who](struct g_consumer *cp) {
      note(std::string(who) + " " + thread_name() + (g_topology_locked() ? " locked" : "") +
           ((cp->flags & G_CF_ORPHAN) ? " flagged" : ""));
    };
  };
  probe_a.orphan = record("a");
  probe_b.orphan = record("b");
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    attach(new_geom(&probe_a_class, "a"), "d0");
    attach(new_geom(&probe_b_class, "b"), "d0");
  });
  k.run([] { testsupport::tdisk_destroy("d0"); });
  // Newest consumer first; DEV's orphan removed the /dev node.
  BOOST_TEST(notes() == (std::vector<std::string>{"b g_event locked flagged",
                                                  "a g_event locked flagged"}));
  std::vector<std::string> nodes;
  k.run([&] { nodes = kern::sys_devfs_list(); });
  BOOST_TEST(std::count(nodes.begin(), nodes.end(), "d0") == 0);
}

BOOST_AUTO_TEST_CASE(orphaning_an_orphan_panics) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    g_orphan_provider(pp, ENXIO);
    g_orphan_provider(pp, ENXIO);
  });
  CHECK_PANIC(k, "g_orphan_provider(");
  CHECK_PANIC(k, "already an orphan");
}

BOOST_AUTO_TEST_CASE(orphaning_with_error_zero_panics) {
  fixture k;
  locked(k, [] { g_orphan_provider(new_provider(new_geom(&probe_a_class, "g"), "p"), 0); });
  CHECK_PANIC(k, "error must be non-zero");
}

BOOST_AUTO_TEST_CASE(an_orphan_notification_reaching_a_geom_without_orphan_method_panics) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    attach(new_geom(&probe_b_class, "h"), "p")->geom->orphan = NULL;
    g_orphan_provider(pp, ENXIO);
  });
  CHECK_PANIC(k, "geom h has no orphan, class PROBEB");
}

// FreeBSD 10 tells the consumers only once nothing is in flight, so that
// an orphan method may detach at once (g_detach asserts nstart == nend).
BOOST_AUTO_TEST_CASE(orphan_notification_waits_until_the_providers_io_has_drained) {
  fixture k;
  std::vector<struct bio *> held;
  probe_a.start = [&](struct bio *bp) { held.push_back(bp); };
  probe_b.orphan = [](struct g_consumer *) { note("orphan"); };
  static char buf[512];
  struct g_provider *pp = nullptr;
  k.run([&] {
    g_topology_lock();
    pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    struct g_consumer *cp = attach(new_geom(&probe_b_class, "h"), "p");
    g_access(cp, 1, 0, 0);
    g_topology_unlock();
    struct bio *bp = g_alloc_bio();
    bp->bio_cmd = BIO_READ;
    bp->bio_length = 512;
    bp->bio_data = buf;
    bp->bio_done = [](struct bio *bp) {
      note("done");
      g_destroy_bio(bp);
    };
    g_io_request(bp, cp);
  });
  BOOST_REQUIRE(held.size() == 1u);
  k.run([&] { g_orphan_provider(pp, ENXIO); });
  BOOST_TEST(notes().empty());  // still on the doorstep
  k.run([&] {
    held[0]->bio_completed = 512;
    g_io_deliver(held[0], 0);
  });
  auto n = notes();
  BOOST_TEST(std::count(n.begin(), n.end(), "orphan") == 1);
  BOOST_TEST(std::count(n.begin(), n.end(), "done") == 1);
}

BOOST_AUTO_TEST_CASE(requests_to_an_orphaned_provider_bounce_with_its_error) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    note("start");
    g_io_deliver(bp, 0);
  };
  probe_b.orphan = ignore_orphan;
  int error = -1;
  k.run([&] {
    g_topology_lock();
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    struct g_consumer *cp = attach(new_geom(&probe_b_class, "h"), "p");
    g_access(cp, 1, 0, 0);
    g_orphan_provider(pp, EIO);
    g_topology_unlock();
    void *p = g_read_data(cp, 0, 512, &error);
    BOOST_TEST(p == nullptr);
  });
  BOOST_TEST(error == EIO);
  BOOST_TEST(notes().empty());  // never reached start
}

BOOST_AUTO_TEST_CASE(withered_geom_is_destroyed_only_after_its_last_consumer_and_provider_are_gone) {
  fixture k;
  probe_b.orphan = ignore_orphan;  // h keeps its consumer open until told
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_geom *g = new_geom(&probe_a_class, "g");
    g_access(attach(g, "d0"), 1, 0, 0);
    new_provider(g, "p");
    g_access(attach(new_geom(&probe_b_class, "h"), "p"), 1, 0, 0);
    g_wither_geom(g, ENXIO);
  });
  BOOST_TEST(exists(k, &probe_a_class, "g"));  // a user holds p open
  locked(k, [] {
    struct g_consumer *ch = LIST_FIRST(&LIST_FIRST(&probe_b_class.geom)->consumer);
    g_access(ch, -1, 0, 0);
    g_detach(ch);
    g_destroy_consumer(ch);
  });
  BOOST_TEST(exists(k, &probe_a_class, "g"));  // p is gone, g's consumer is open
  locked(k, [] {
    struct g_geom *g = LIST_FIRST(&probe_a_class.geom);
    BOOST_TEST(LIST_EMPTY(&g->provider));
    g_access(LIST_FIRST(&g->consumer), -1, 0, 0);
  });
  BOOST_TEST(!exists(k, &probe_a_class, "g"));
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(withering_a_geom_twice_is_harmless) {
  fixture k;
  locked(k, [] {
    struct g_geom *g = new_geom(&probe_a_class, "g");
    new_provider(g, "p");
    g_wither_geom(g, ENXIO);
    g_wither_geom(g, ENXIO);
  });
  BOOST_TEST(!k.panicked());
  BOOST_TEST(!exists(k, &probe_a_class, "g"));
}

BOOST_AUTO_TEST_CASE(wither_geom_close_closes_the_geoms_consumers_first) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_geom *g = new_geom(&probe_a_class, "g");
    g_access(attach(g, "d0"), 1, 1, 1);
    g_wither_geom_close(g, ENXIO);
    BOOST_TEST(provider("d0")->acr + provider("d0")->acw + provider("d0")->ace == 0);
  });
  BOOST_TEST(!exists(k, &probe_a_class, "g"));
}

BOOST_AUTO_TEST_CASE(a_withering_provider_is_destroyed_as_soon_as_its_last_consumer_detaches) {
  fixture k;
  probe_b.orphan = ignore_orphan;
  bool after_orphan = false, after_detach = true;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    attach(new_geom(&probe_b_class, "h"), "p");
    g_wither_provider(pp, ENXIO);
  });
  locked(k, [&] { after_orphan = provider("p") != nullptr; });
  locked(k, [] {
    struct g_consumer *ch = LIST_FIRST(&LIST_FIRST(&probe_b_class.geom)->consumer);
    g_detach(ch);
  });
  locked(k, [&] { after_detach = provider("p") != nullptr; });
  BOOST_TEST(after_orphan);
  BOOST_TEST(!after_detach);
  BOOST_TEST(exists(k, &probe_a_class, "g"));  // only the provider withered
}

BOOST_AUTO_TEST_CASE(a_withering_provider_without_consumers_goes_with_its_orphan_notification) {
  fixture k;
  probe_a.orphan = ignore_orphan;
  bool present = true;
  locked(k, [] { g_wither_provider(new_provider(new_geom(&probe_a_class, "g"), "p"), ENXIO); });
  locked(k, [&] { present = provider("p") != nullptr; });
  BOOST_TEST(!present);
}

// The 10.4 g_virstor removes a component with g_wither_provider on a
// provider the seed's code may already have orphaned by hand.
BOOST_AUTO_TEST_CASE(wither_provider_tolerates_an_already_orphaned_provider) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    g_orphan_provider(pp, ENXIO);
    g_wither_provider(pp, ENXIO);
  });
  BOOST_TEST(!k.panicked());
}

// Events queued before the washer runs see withering objects still there
// (virstor's delayed consumer destruction depends on it).
BOOST_AUTO_TEST_CASE(the_washer_runs_only_after_the_queued_events) {
  fixture k;
  locked(k, [] {
    g_wither_geom(new_geom(&probe_a_class, "g"), ENXIO);
    g_post_event([](void *, int) {
      note(geom_exists(&probe_a_class, "g") ? "still there" : "gone");
    }, nullptr, M_WAITOK, nullptr);
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"still there"}));
  BOOST_TEST(!exists(k, &probe_a_class, "g"));
}

BOOST_AUTO_TEST_CASE(destroying_a_provider_calls_its_geoms_providergone_method) {
  fixture k;
  locked(k, [] {
    struct g_geom *g = new_geom(&probe_a_class, "g");
    g->providergone = [](struct g_provider *pp) { note(std::string("gone ") + pp->name); };
    g_destroy_provider(new_provider(g, "p"));
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"gone p"}));
}

// End to end: a disk going away fails new opens at once (its provider's
// error), loses its /dev node when DEV hears of it, and the DEV geom and
// its own geom are gone once every user let go.
BOOST_AUTO_TEST_CASE(a_disk_that_goes_away_leaves_no_geom_behind) {
  fixture k;
  k.run([] { new_disk("d0"); });
  int open_at_once = 0, open_later = 0;
  bool gone = false;
  k.run([&] {
    testsupport::tdisk_destroy("d0");
    int fd;
    open_at_once = kern::sys_open("/dev/d0", kern::BSD_O_RDONLY, fd);
  });
  k.run([&] {
    int fd;
    open_later = kern::sys_open("/dev/d0", kern::BSD_O_RDONLY, fd);
  });
  locked(k, [&] { gone = provider("d0") == nullptr; });
  BOOST_TEST(open_at_once == ENXIO);
  BOOST_TEST(open_later == ENOENT);
  BOOST_TEST(gone);
}
