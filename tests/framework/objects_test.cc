// Objects and topology: classes, geoms, consumers, providers, attach and
// detach, ranks, lists, names, and the KASSERTs that guard them
// (geom_subr.c; reference §1, §4.4, §5.4, §11.1).
#define BOOST_TEST_MODULE framework_objects
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

// Runs `fn` with the topology lock held, in a userland thread.
bool locked(fixture &k, std::function<void()> fn) {
  return k.run([&] {
    g_topology_lock();
    fn();
    g_topology_unlock();
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(new_geom_copies_the_class_methods_and_starts_at_rank_1) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    BOOST_TEST(gp->start == probe_a_class.start);
    BOOST_TEST(gp->access == probe_a_class.access);
    BOOST_TEST(gp->orphan == probe_a_class.orphan);
    BOOST_TEST(gp->spoiled == probe_a_class.spoiled);
    BOOST_TEST(gp->dumpconf == probe_a_class.dumpconf);
    BOOST_TEST(gp->rank == 1);
    BOOST_TEST(gp->class_ == &probe_a_class);
    g_destroy_geom(gp);
  });
  BOOST_TEST(!k.panicked());
}

// Every framework list inserts at the head, so iteration sees the newest
// object first (virstor's LIST_FIRST(&gp->consumer) relies on it).
BOOST_AUTO_TEST_CASE(lists_insert_at_the_head_so_iteration_sees_the_newest_first) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_geom *g1 = new_geom(&probe_a_class, "g1");
    struct g_geom *g2 = new_geom(&probe_a_class, "g2");
    BOOST_TEST(LIST_FIRST(&probe_a_class.geom) == g2);
    BOOST_TEST(LIST_NEXT(g2, geom) == g1);
    struct g_consumer *c1 = attach(g1, "d0");
    struct g_consumer *c2 = g_new_consumer(g1);
    BOOST_TEST(LIST_FIRST(&g1->consumer) == c2);
    BOOST_TEST(LIST_NEXT(c2, consumer) == c1);
    // c1 is the newest consumer of d0 (DEV attached first).
    BOOST_TEST(LIST_FIRST(&provider("d0")->consumers) == c1);
    struct g_provider *p1 = new_provider(g2, "p1");
    struct g_provider *p2 = new_provider(g2, "p2");
    BOOST_TEST(LIST_FIRST(&g2->provider) == p2);
    BOOST_TEST(LIST_NEXT(p2, provider) == p1);
    // Classes too: PROBEB was loaded after PROBEA.
    BOOST_TEST(LIST_NEXT(&probe_b_class, class_) == &probe_a_class);
  });
  BOOST_TEST(!k.panicked());
}

// g_virstor_taste relies on a LIST_FOREACH that ran to the end leaving its
// variable NULL, as <sys/queue.h> does.
BOOST_AUTO_TEST_CASE(list_foreach_that_runs_to_the_end_leaves_the_variable_null) {
  fixture k;
  locked(k, [] {
    new_geom(&probe_a_class, "g1");
    new_geom(&probe_a_class, "g2");
    struct g_geom *gp = (struct g_geom *)1;
    int n = 0;
    LIST_FOREACH(gp, &probe_a_class.geom, geom) n++;
    BOOST_TEST(n == 2);
    BOOST_TEST(gp == nullptr);
    LIST_FOREACH(gp, &probe_b_class.geom, geom) n++;
    BOOST_TEST(gp == nullptr);  // empty list: never entered
  });
}

BOOST_AUTO_TEST_CASE(a_new_provider_is_unusable_until_its_error_is_cleared) {
  fixture k;
  int before = -1, after = -1;
  locked(k, [&] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    struct g_provider *pp = g_new_providerf(gp, "p");
    pp->mediasize = 1 << 20;
    pp->sectorsize = 512;
    BOOST_TEST(pp->error == ENXIO);
    struct g_consumer *cp = attach(new_geom(&probe_b_class, "h"), "p");
    before = g_access(cp, 1, 0, 0);
    g_error_provider(pp, 0);
    after = g_access(cp, 1, 0, 0);
    g_access(cp, -1, 0, 0);
  });
  BOOST_TEST(before == ENXIO);
  BOOST_TEST(after == 0);
}

BOOST_AUTO_TEST_CASE(rank_is_one_more_than_the_highest_rank_below) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_geom *a = new_geom(&probe_a_class, "a");
    attach(a, "d0");
    new_provider(a, "pa");
    struct g_geom *b = new_geom(&probe_a_class, "b");
    attach(b, "pa");
    attach(b, "d0");
    BOOST_TEST(provider("d0")->geom->rank == 1);
    BOOST_TEST(a->rank == 2);
    BOOST_TEST(b->rank == 3);
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(attach_that_would_make_a_cycle_fails_with_eloop_and_is_undone) {
  fixture k;
  int error = 0;
  locked(k, [&] {
    struct g_geom *a = new_geom(&probe_a_class, "a");
    struct g_provider *pa = new_provider(a, "pa");
    struct g_geom *b = new_geom(&probe_a_class, "b");
    attach(b, "pa");
    new_provider(b, "pb");
    struct g_consumer *cp = g_new_consumer(a);
    error = g_attach(cp, provider("pb"));
    BOOST_TEST(cp->provider == nullptr);
    BOOST_TEST(a->rank == 1);
    BOOST_TEST(b->rank == 2);
    BOOST_TEST(LIST_FIRST(&pa->consumers)->geom == b);
  });
  BOOST_TEST(error == ELOOP);
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(attaching_an_attached_consumer_panics) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_consumer *cp = attach(new_geom(&probe_a_class, "g"), "d0");
    g_attach(cp, provider("d0"));
  });
  CHECK_PANIC(k, "attach but attached");
}

BOOST_AUTO_TEST_CASE(detaching_an_unattached_consumer_panics) {
  fixture k;
  locked(k, [] { g_detach(g_new_consumer(new_geom(&probe_a_class, "g"))); });
  CHECK_PANIC(k, "detach but not attached");
}

BOOST_AUTO_TEST_CASE(detaching_an_open_consumer_panics) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_consumer *cp = attach(new_geom(&probe_a_class, "g"), "d0");
    g_access(cp, 0, 1, 0);
    g_detach(cp);
  });
  CHECK_PANIC(k, "detach but nonzero acw");
}

// A request in flight still refers to the consumer (bio_from).
BOOST_AUTO_TEST_CASE(detaching_a_consumer_with_requests_in_flight_panics) {
  fixture k;
  std::vector<struct bio *> held;
  probe_a.start = [&](struct bio *bp) { held.push_back(bp); };
  static char buf[512];
  locked(k, [&] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    (void)pp;
    struct g_consumer *cp = attach(new_geom(&probe_b_class, "h"), "p");
    g_access(cp, 1, 0, 0);
    struct bio *bp = g_alloc_bio();
    bp->bio_cmd = BIO_READ;
    bp->bio_length = 512;
    bp->bio_data = buf;
    bp->bio_done = [](struct bio *) {};
    g_io_request(bp, cp);
  });
  BOOST_TEST(held.size() == 1u);  // start has it, nobody delivered it
  locked(k, [&] {
    struct g_consumer *cp = LIST_FIRST(&LIST_FIRST(&probe_b_class.geom)->consumer);
    g_access(cp, -1, 0, 0);
    g_detach(cp);
  });
  CHECK_PANIC(k, "detach with active requests");
}

BOOST_AUTO_TEST_CASE(destroying_a_geom_that_has_a_consumer_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    g_new_consumer(gp);
    g_destroy_geom(gp);
  });
  CHECK_PANIC(k, "g_destroy_geom(g) with consumer(s)");
}

BOOST_AUTO_TEST_CASE(destroying_a_geom_that_has_a_provider_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    new_provider(gp, "p");
    g_destroy_geom(gp);
  });
  CHECK_PANIC(k, "g_destroy_geom(g) with provider(s)");
}

BOOST_AUTO_TEST_CASE(destroying_an_attached_consumer_panics) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] { g_destroy_consumer(attach(new_geom(&probe_a_class, "g"), "d0")); });
  CHECK_PANIC(k, "g_destroy_consumer but attached");
}

BOOST_AUTO_TEST_CASE(destroying_a_provider_with_a_consumer_attached_panics) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    attach(new_geom(&probe_b_class, "h"), "p");
    g_destroy_provider(pp);
  });
  CHECK_PANIC(k, "g_destroy_provider but attached");
}

// The orphan method is how a consumer learns its provider is going away:
// a geom that cannot hear it must not consume.
BOOST_AUTO_TEST_CASE(new_consumer_on_a_geom_without_an_orphan_method_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    gp->orphan = NULL;
    g_new_consumer(gp);
  });
  CHECK_PANIC(k, "g_new_consumer on geom(g) (class PROBEA) without orphan");
}

BOOST_AUTO_TEST_CASE(new_consumer_on_a_withering_geom_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    g_wither_geom(gp, ENXIO);
    g_new_consumer(gp);
  });
  CHECK_PANIC(k, "g_new_consumer on WITHERing geom(g)");
}

BOOST_AUTO_TEST_CASE(new_provider_on_a_geom_without_a_start_method_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    gp->start = NULL;
    g_new_providerf(gp, "p");
  });
  CHECK_PANIC(k, "new provider on geom(g) without ->start");
}

BOOST_AUTO_TEST_CASE(new_provider_on_a_geom_without_an_access_method_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    gp->access = NULL;
    g_new_providerf(gp, "p");
  });
  CHECK_PANIC(k, "new provider on geom(g) without ->access");
}

BOOST_AUTO_TEST_CASE(new_provider_on_a_withering_geom_panics) {
  fixture k;
  locked(k, [] {
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    g_wither_geom(gp, ENXIO);
    g_new_providerf(gp, "p");
  });
  CHECK_PANIC(k, "new provider on WITHERing geom(g)");
}

// The mesh is protected by the topology lock: every call that changes it
// asserts the caller holds it.
BOOST_AUTO_TEST_CASE(topology_calls_without_the_topology_lock_panic) {
  struct g_geom *gp = nullptr;
  struct g_consumer *cp = nullptr;
  struct g_provider *pp = nullptr;
  std::vector<std::pair<const char *, std::function<void()>>> calls = {
      {"g_new_geomf", [] { g_new_geomf(&probe_a_class, "x"); }},
      {"g_destroy_geom", [&] { g_destroy_geom(gp); }},
      {"g_wither_geom", [&] { g_wither_geom(gp, ENXIO); }},
      {"g_new_consumer", [&] { g_new_consumer(gp); }},
      {"g_destroy_consumer", [&] { g_destroy_consumer(cp); }},
      {"g_attach", [&] { g_attach(cp, pp); }},
      {"g_detach", [&] { g_detach(cp); }},
      {"g_new_providerf", [&] { g_new_providerf(gp, "x"); }},
      {"g_destroy_provider", [&] { g_destroy_provider(pp); }},
      {"g_access", [&] { g_access(cp, 1, 0, 0); }},
      {"g_provider_by_name", [] { g_provider_by_name("d0"); }},
  };
  for (auto &[name, call] : calls) {
    BOOST_TEST_CONTEXT(name) {
      fixture k;
      k.run([] { new_disk("d0"); });
      locked(k, [&] {
        gp = new_geom(&probe_a_class, "g");
        pp = new_provider(new_geom(&probe_a_class, "pg"), "p");
        cp = g_new_consumer(gp);
      });
      k.run([&] { call(); });
      CHECK_PANIC(k, "Lock GEOM topology not exclusively locked");
    }
  }
}

// DIAGNOSTIC's G_VALID_*: a pointer passed to the framework must be a live
// object of the right kind (catches use after destroy).
BOOST_AUTO_TEST_CASE(using_a_destroyed_consumer_panics) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    struct g_consumer *cp = g_new_consumer(new_geom(&probe_a_class, "g"));
    g_destroy_consumer(cp);
    g_attach(cp, provider("d0"));
  });
  CHECK_PANIC(k, "is not a g_consumer");
}

BOOST_AUTO_TEST_CASE(passing_a_provider_where_a_geom_is_expected_panics) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    g_new_consumer((struct g_geom *)(void *)pp);
  });
  CHECK_PANIC(k, "is not a g_geom");
}

BOOST_AUTO_TEST_CASE(freeing_a_live_geom_object_with_the_topology_lock_held_panics) {
  fixture k;
  locked(k, [] { g_free(new_geom(&probe_a_class, "g")); });
  CHECK_PANIC(k, "of live object");
}

BOOST_AUTO_TEST_CASE(provider_by_name_strips_dev_and_prefers_a_provider_that_is_not_withering) {
  fixture k;
  locked(k, [] {
    struct g_provider *old = new_provider(new_geom(&probe_a_class, "old"), "p");
    g_wither_geom(old->geom, ENXIO);
    struct g_provider *live = new_provider(new_geom(&probe_b_class, "new"), "p");
    BOOST_TEST(g_provider_by_name("/dev/p") == live);
    BOOST_TEST(g_provider_by_name("p") == live);
    BOOST_TEST(g_provider_by_name("q") == nullptr);
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(provider_by_name_finds_a_withering_provider_when_nothing_else_matches) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = new_provider(new_geom(&probe_a_class, "g"), "p");
    attach(new_geom(&probe_b_class, "h"), "p");  // keeps pp alive
    g_wither_provider(pp, ENXIO);
    BOOST_TEST(g_provider_by_name("p") == pp);
  });
}

BOOST_AUTO_TEST_CASE(compare_names_ignores_ad_and_ada_unit_numbers) {
  BOOST_TEST(g_compare_names("ada0", "ada0") == 1);
  BOOST_TEST(g_compare_names("ad4s1", "ada0s1") == 1);
  BOOST_TEST(g_compare_names("ada0", "ada1") == 1);
  BOOST_TEST(g_compare_names("ada0s1", "ada0s2") == 0);
  BOOST_TEST(g_compare_names("md0", "md1") == 0);
  BOOST_TEST(g_compare_names("adx0", "ad0") == 0);
}

// ------------------------------------------------------------ class load

static struct g_class wrong_version_class = {
    .name = "WRONGVERSION",
    .version = G_VERSION_00,
};
DECLARE_GEOM_CLASS(wrong_version_class, g_wrongversion);

static struct g_class same_name_class = {
    .name = "PROBEA",
    .version = G_VERSION,
};
DECLARE_GEOM_CLASS(same_name_class, g_probea_again);

static struct g_class nameless_class = {
    .name = "",
    .version = G_VERSION,
};
DECLARE_GEOM_CLASS(nameless_class, g_nameless);

BOOST_AUTO_TEST_CASE(a_class_with_the_wrong_version_is_refused_with_einval) {
  fixture k;
  int error = 0;
  k.run([&] { error = kern::sys_kldload("g_wrongversion"); });
  BOOST_TEST(error == EINVAL);
  BOOST_TEST(k.console_has("GEOM class WRONGVERSION has Wrong version 19950323"));
}

BOOST_AUTO_TEST_CASE(a_second_class_with_a_loaded_name_is_refused_with_eexist) {
  fixture k;
  int error = 0;
  k.run([&] { error = kern::sys_kldload("g_probea_again"); });
  BOOST_TEST(error == EEXIST);
  BOOST_TEST(k.console_has("A GEOM class PROBEA is already loaded."));
}

BOOST_AUTO_TEST_CASE(loading_a_class_without_a_name_panics) {
  fixture k;
  k.run([] { kern::sys_kldload("g_nameless"); });
  CHECK_PANIC(k, "GEOM class has no name");
}

// Unloading disables tasting for good and asks the class to destroy each
// geom; an open geom refuses (EBUSY).
BOOST_AUTO_TEST_CASE(unloading_a_class_with_an_open_geom_fails_with_ebusy) {
  fixture k;
  k.run([] { new_disk("d0"); });
  int busy = 0, ok = -1;
  locked(k, [] { g_access(attach(new_geom(&probe_a_class, "g"), "d0"), 1, 0, 0); });
  k.run([&] { busy = kern::sys_kldunload("g_probea"); });
  locked(k, [] {
    struct g_consumer *cp = LIST_FIRST(&LIST_FIRST(&probe_a_class.geom)->consumer);
    g_access(cp, -1, 0, 0);
  });
  k.run([&] { ok = kern::sys_kldunload("g_probea"); });
  BOOST_TEST(busy == EBUSY);
  BOOST_TEST(ok == 0);
  BOOST_TEST(!k.k().module_loaded("g_probea"));
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(unloading_a_class_whose_destroy_geom_fails_stops_with_that_error_and_tasting_off) {
  fixture k;
  probe_a.destroy_geom = [](struct gctl_req *, struct g_class *, struct g_geom *gp) {
    g_wither_geom(gp, ENXIO);
    return EAGAIN;  // as g_virstor_destroy_geom does
  };
  locked(k, [] { new_geom(&probe_a_class, "g"); });
  int error = 0;
  k.run([&] { error = kern::sys_kldunload("g_probea"); });
  BOOST_TEST(error == EAGAIN);
  BOOST_TEST(probe_a_class.taste == nullptr);  // barred for good
  int again = -1;
  k.run([&] { again = kern::sys_kldunload("g_probea"); });
  BOOST_TEST(again == 0);  // the geom withered away meanwhile
}
