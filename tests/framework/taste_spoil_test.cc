// Tasting, spoiling and retasting: how geoms configured from on-disk data
// come and go (geom_subr.c: g_new_provider_event, g_load_class, g_access,
// g_spoil, g_retaste; geom(4); reference §4, §6.8, §6.9).
#define BOOST_TEST_MODULE framework_taste_spoil
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

// A taste hook that notes "<who> <provider> <thread> <locked>".
std::function<struct g_geom *(struct g_class *, struct g_provider *)> noting(const char *who) {
  return [who](struct g_class *, struct g_provider *pp) -> struct g_geom * {
    note(std::string(who) + " " + pp->name + " " + thread_name() +
         (g_topology_locked() ? " locked" : " unlocked"));
    return nullptr;
  };
}

// A taste hook that attaches a consumer to every provider it is offered.
struct g_geom *attach_to(struct g_class *mp, struct g_provider *pp) {
  note(std::string(mp->name) + " attaches " + pp->name);
  struct g_geom *gp = g_new_geomf(mp, "%s.%s", mp->name, pp->name);
  struct g_consumer *cp = g_new_consumer(gp);
  g_attach(cp, pp);
  return gp;
}

int count(const std::string &s) {
  auto n = notes();
  return (int)std::count(n.begin(), n.end(), s);
}

// Opens /dev/<name> with `oflags` and closes it again.
void open_close(const char *name, int oflags) {
  int fd;
  BOOST_REQUIRE(kern::sys_open(std::string("/dev/") + name, oflags, fd) == 0);
  kern::sys_close(fd);
}

}  // namespace

// Classes are offered a new provider in class-list order: the newest
// loaded first (PROBEB was loaded after PROBEA).
BOOST_AUTO_TEST_CASE(a_new_provider_is_tasted_on_the_event_thread_by_every_class_newest_loaded_first) {
  fixture k;
  probe_a.taste = noting("A");
  probe_b.taste = noting("B");
  k.run([] { new_disk("d0"); });
  BOOST_TEST(notes() == (std::vector<std::string>{"B d0 g_event locked", "A d0 g_event locked"}));
}

BOOST_AUTO_TEST_CASE(a_class_accepting_a_provider_does_not_stop_later_classes_tasting_it) {
  fixture k;
  probe_a.taste = noting("A");
  probe_b.taste = attach_to;
  std::vector<std::string> nodes;
  k.run([&] {
    new_disk("d0");
    g_waitidle();
    nodes = kern::sys_devfs_list();
  });
  BOOST_TEST(count("PROBEB attaches d0") == 1);
  BOOST_TEST(count("A d0 g_event locked") == 1);
  BOOST_TEST(std::count(nodes.begin(), nodes.end(), "d0") == 1);  // DEV tasted it too
}

BOOST_AUTO_TEST_CASE(loading_a_class_offers_it_every_existing_provider) {
  fixture k;
  k.run([] { kern::sys_kldunload("g_probea"); });
  k.run([] {
    new_disk("d0");
    new_disk("d1");
  });
  probe_a.taste = noting("A");
  k.run([] { kern::sys_kldload("g_probea"); });
  BOOST_TEST(count("A d0 g_event locked") == 1);
  BOOST_TEST(count("A d1 g_event locked") == 1);
}

// Writing a label behind GEOM's back is how metadata appears: the last
// writer's close makes every class look at the provider again.
BOOST_AUTO_TEST_CASE(last_writer_close_retastes) {
  fixture k;
  probe_b.taste = noting("B");
  k.run([] { new_disk("d0"); });
  k.run([] { open_close("d0", kern::BSD_O_RDONLY); });
  BOOST_TEST(count("B d0 g_event locked") == 1);  // a reader's close: nothing
  k.run([] { open_close("d0", kern::BSD_O_RDWR); });
  BOOST_TEST(count("B d0 g_event locked") == 2);
}

// userret: close(2) returns to the program only after the retaste ran.
BOOST_AUTO_TEST_CASE(the_retaste_has_run_when_close_returns) {
  fixture k;
  probe_b.taste = noting("B");
  k.run([] { new_disk("d0"); });
  int seen = -1;
  k.run([&] {
    open_close("d0", kern::BSD_O_WRONLY);
    seen = count("B d0 g_event locked");
  });
  BOOST_TEST(seen == 2);
}

BOOST_AUTO_TEST_CASE(a_class_with_a_live_consumer_on_the_provider_is_not_offered_it_again) {
  fixture k;
  probe_a.taste = attach_to;
  probe_b.taste = noting("B");
  k.run([] { new_disk("d0"); });
  k.run([] { open_close("d0", kern::BSD_O_RDWR); });
  BOOST_TEST(count("PROBEA attaches d0") == 1);
  BOOST_TEST(count("B d0 g_event locked") == 2);
}

BOOST_AUTO_TEST_CASE(first_write_open_spoils_the_other_consumers_through_the_spoil_event) {
  fixture k;
  probe_a.spoiled = [](struct g_consumer *cp) {
    note(std::string("spoiled ") + thread_name() + (g_topology_locked() ? " locked" : "") +
         ((cp->flags & G_CF_SPOILED) ? " still flagged" : ""));
  };
  k.run([] { new_disk("d0"); });
  locked(k, [] { attach(new_geom(&probe_a_class, "g"), "d0"); });
  k.run([] { open_close("d0", kern::BSD_O_RDONLY); });
  BOOST_TEST(notes().empty());  // readers spoil nothing
  k.run([] { open_close("d0", kern::BSD_O_RDWR); });
  BOOST_TEST(notes() == (std::vector<std::string>{"spoiled g_event locked"}));
}

// Nobody may be exclusive when the first writer arrives (only foot-shooting
// can get a writer that far).
BOOST_AUTO_TEST_CASE(first_write_open_past_an_exclusive_consumer_panics) {
  fixture k;
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    g_access(attach(new_geom(&probe_a_class, "g"), "d0"), 1, 0, 1);
    g_debugflags = G_F_FOOTSHOOTING;
  });
  k.run([] {
    int fd;
    kern::sys_open("/dev/d0", kern::BSD_O_RDWR, fd);
  });
  g_debugflags = 0;
  CHECK_PANIC(k, "spoiling cp->ace = 1");
}

BOOST_AUTO_TEST_CASE(notaste_sysctl_stops_tasting) {
  fixture k;
  probe_a.taste = noting("A");
  int error = -1;
  k.run([&] {
    error = kern::sys_sysctl_set("kern.geom.notaste", "1");
    new_disk("d0");
  });
  BOOST_TEST(error == 0);
  BOOST_TEST(notes().empty());
}

BOOST_AUTO_TEST_CASE(a_taste_event_for_a_withering_provider_panics) {
  fixture k;
  locked(k, [] {
    struct g_provider *pp = g_new_providerf(new_geom(&probe_a_class, "g"), "p");
    pp->flags |= G_PF_WITHER;
  });
  CHECK_PANIC(k, "g_new_provider_event but withered");
}

BOOST_AUTO_TEST_CASE(a_taste_method_returning_without_the_topology_lock_panics) {
  fixture k;
  probe_a.taste = [](struct g_class *, struct g_provider *) -> struct g_geom * {
    g_topology_unlock();
    return nullptr;
  };
  k.run([] { new_disk("d0"); });
  CHECK_PANIC(k, "Lock GEOM topology not exclusively locked");
  BOOST_TEST(k.k().panic_info().thread == "g_event");
}

// g_retaste: closed providers are offered again; the class's old geoms on
// them are withered first.
BOOST_AUTO_TEST_CASE(g_retaste_withers_the_classs_geom_and_offers_the_provider_again) {
  fixture k;
  probe_a.taste = attach_to;
  probe_a.orphan = [](struct g_consumer *) {};
  k.run([] { new_disk("d0"); });
  int error = -1;
  k.run([&] { error = g_retaste(&probe_a_class); });
  BOOST_TEST(error == 0);
  BOOST_TEST(count("PROBEA attaches d0") == 2);
  int geoms = 0, withering = 0;
  locked(k, [&] {
    struct g_geom *gp;
    LIST_FOREACH(gp, &probe_a_class.geom, geom) {
      geoms++;
      if (gp->flags & G_GEOM_WITHER) withering++;
    }
  });
  BOOST_TEST(geoms == 1);  // the washer took the old one: its consumer was closed
  BOOST_TEST(withering == 0);
}

BOOST_AUTO_TEST_CASE(media_change_spoils_every_consumer_and_retastes) {
  fixture k;
  probe_a.spoiled = [](struct g_consumer *) { note("spoiled"); };
  probe_b.taste = noting("B");
  k.run([] { new_disk("d0"); });
  locked(k, [] {
    attach(new_geom(&probe_a_class, "g"), "d0");
    g_media_changed(provider("d0"), M_WAITOK);
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"B d0 g_event locked", "spoiled",
                                                  "B d0 g_event locked"}));
}

// g_resize_provider: a consumer without a resize method cannot follow a
// shrinking provider and is orphaned; the provider is then tasted again.
BOOST_AUTO_TEST_CASE(shrinking_a_provider_orphans_consumers_without_a_resize_method_and_retastes) {
  fixture k;
  probe_a.orphan = [](struct g_consumer *cp) {
    note(std::string("orphan") + ((cp->flags & G_CF_ORPHAN) ? " flagged" : ""));
  };
  probe_b.taste = noting("B");
  k.run([] { new_disk("d0"); });
  off_t size = 0;
  locked(k, [] {
    attach(new_geom(&probe_a_class, "g"), "d0");
    g_resize_provider(provider("d0"), 1 << 19);
  });
  locked(k, [&] { size = provider("d0")->mediasize; });
  BOOST_TEST(size == 1 << 19);
  BOOST_TEST(notes() == (std::vector<std::string>{"B d0 g_event locked", "orphan flagged",
                                                  "B d0 g_event locked"}));
}
