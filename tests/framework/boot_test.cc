// Boot, shutdown, panic and power cut, again and again in one process:
// nothing carries over from one boot to the next (power-loss tests depend
// on it) (kern/kernel.h; issue 5 item 12).
#define BOOST_TEST_MODULE framework_boot
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

MALLOC_DEFINE(M_FWBOOT, "fwboot", "boot test");

namespace {

// Builds some of everything: disks, geoms, a passthrough, open devices,
// allocations, events still queued for nobody.
void populate(fixture &k) {
  k.run([] {
    new_disk("d0");
    new_disk("d1");
    g_waitidle();
    pass_create("d0");
    g_topology_lock();
    struct g_consumer *cp = attach(new_geom(&probe_a_class, "g"), "d1");
    g_access(cp, 1, 1, 1);
    new_provider(cp->geom, "g.p");
    g_topology_unlock();
    malloc(100, M_FWBOOT, M_WAITOK);  // a leak
    int fd;
    kern::sys_open("/dev/d0.pass", kern::BSD_O_RDWR, fd);
  });
  BOOST_REQUIRE(!k.panicked());
}

bool round_trip(fixture &k) {
  bool ok = false;
  k.run([&] {
    new_disk("d0");
    g_waitidle();  // DEV publishes /dev/d0 from the taste event
    int fd;
    if (kern::sys_open("/dev/d0", kern::BSD_O_RDWR, fd) != 0) return;
    char w[512], r[512];
    memset(w, 0x3c, sizeof w);
    size_t done;
    ok = kern::sys_pwrite(fd, w, sizeof w, 0, done) == 0 &&
         kern::sys_pread(fd, r, sizeof r, 0, done) == 0 && memcmp(w, r, sizeof r) == 0;
    kern::sys_close(fd);
  });
  return ok;
}

// What a fresh boot must look like.
void check_fresh(fixture &k) {
  std::vector<std::string> nodes;
  bool geoms = true;
  std::string xml;
  k.run([&] {
    nodes = kern::sys_devfs_list();
    g_topology_lock();
    geoms = !LIST_EMPTY(&probe_a_class.geom) || provider("d0") != nullptr;
    g_topology_unlock();
    kern::sys_sysctl_get("kern.geom.confxml", xml);
  });
  BOOST_TEST(nodes.empty());
  BOOST_TEST(!geoms);
  BOOST_TEST(xml.find("<geom ") == std::string::npos, xml);
  BOOST_TEST(k.k().arena().stats_for(reinterpret_cast<const kern::mem_type *>(M_FWBOOT)).inuse ==
             0u);
  BOOST_TEST(k.k().findings().empty());
  BOOST_TEST(!k.console_has("d0"));
  BOOST_TEST(k.k().sched().live_threads().size() == 3u);  // g_event, g_up, g_down
}

}  // namespace

BOOST_AUTO_TEST_CASE(boot_after_an_orderly_shutdown_starts_with_no_state) {
  {
    fixture k;
    populate(k);
    k.shutdown();
  }
  fixture k;
  check_fresh(k);
  BOOST_TEST(round_trip(k));
}

BOOST_AUTO_TEST_CASE(boot_after_a_panic_starts_with_no_state) {
  {
    fixture k;
    populate(k);
    k.run([] {
      g_topology_lock();
      panic("in the middle of it");
    });
    BOOST_REQUIRE(k.panicked());
  }
  fixture k;
  BOOST_TEST(!k.panicked());
  check_fresh(k);
  BOOST_TEST(round_trip(k));
}

BOOST_AUTO_TEST_CASE(boot_after_a_power_cut_starts_with_no_state) {
  {
    fixture k;
    populate(k);
    // A writer whose request never completes: the power goes with it in
    // flight.
    static std::vector<struct bio *> held;
    held.clear();
    probe_a.start = [](struct bio *bp) { held.push_back(bp); };
    kern::thread *t = k.k().spawn("writer", [] {
      int fd;
      BOOST_REQUIRE(kern::sys_open("/dev/g.p", kern::BSD_O_WRONLY, fd) == 0);
      char b[512] = {0};
      size_t done;
      kern::sys_pwrite(fd, b, sizeof b, 0, done);
    });
    k.k().run_runnable();
    BOOST_TEST(held.size() == 1u);
    BOOST_TEST(t->blocked());
    k.k().power_cut();
    BOOST_TEST(k.k().powered_off());
    BOOST_TEST(t->finished());
    k.k().reap(t);
  }
  fixture k;
  check_fresh(k);
  BOOST_TEST(round_trip(k));
}

// A module's data is fresh at each load, as a .ko's is: what the class
// changed in its g_class (unload sets taste to NULL) is undone.
BOOST_AUTO_TEST_CASE(a_class_changed_in_one_boot_is_as_compiled_in_the_next) {
  {
    fixture k;
    probe_a.destroy_geom = [](struct gctl_req *, struct g_class *, struct g_geom *gp) {
      g_wither_geom(gp, ENXIO);
      return EAGAIN;
    };
    k.run([] {
      g_topology_lock();
      new_geom(&probe_a_class, "g");
      g_topology_unlock();
      kern::sys_kldunload("g_probea");
    });
    BOOST_REQUIRE(probe_a_class.taste == nullptr);
  }
  fixture k;
  BOOST_TEST(probe_a_class.taste != nullptr);
  BOOST_TEST(LIST_EMPTY(&probe_a_class.geom));
}

BOOST_AUTO_TEST_CASE(modules_loaded_in_one_boot_are_not_loaded_in_the_next) {
  {
    testsupport::booted k;
    k.run([] { kern::sys_kldload("g_probea"); });
    BOOST_REQUIRE(k.k().module_loaded("g_probea"));
  }
  testsupport::booted k;
  BOOST_TEST(!k.k().module_loaded("g_probea"));
  BOOST_TEST(k.k().module_loaded("g_dev"));  // built in: at every boot
}

BOOST_AUTO_TEST_CASE(boots_alternate_between_the_two_schedulers_in_one_process) {
  for (int i = 0; i < 4; i++) {
    kern::sched_mode mode = i % 2 ? kern::sched_mode::threads : kern::sched_mode::det;
    fixture k(i + 1, mode);
    BOOST_TEST(k.k().sched().mode() == mode);
    BOOST_TEST(round_trip(k));
  }
}
