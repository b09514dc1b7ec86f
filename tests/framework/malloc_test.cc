// malloc(9) over the kernel's memory arena: per-type accounting, redzones,
// trashing of freed memory, the M_WAITOK/M_NOWAIT rules and injected
// allocation failures (kern/memory.h; kern_malloc.cc; reference §11.3).
#define BOOST_TEST_MODULE framework_malloc
#include <boost/test/unit_test.hpp>

#include <vm/uma.h>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

MALLOC_DEFINE(M_FWTEST, "fwtest", "framework test allocations");

namespace {

kern::mem_type_stats stats(fixture &k) {
  return k.k().arena().stats_for(reinterpret_cast<const kern::mem_type *>(M_FWTEST));
}

bool found(const std::vector<std::string> &v, const std::string &needle) {
  for (const std::string &s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

// Bytes in use are charged as stable/10's malloc(9) charges them: the
// size of the kmemzone a request fits (16 ... 4096), or whole pages.
BOOST_AUTO_TEST_CASE(malloc_accounts_requests_and_bytes_in_use_per_type_in_zone_sizes) {
  fixture k;
  k.run([&] {
    void *a = malloc(100, M_FWTEST, M_WAITOK);
    void *b = malloc(200, M_FWTEST, M_NOWAIT);
    BOOST_TEST(stats(k).inuse == 2u);
    BOOST_TEST(stats(k).memuse == 128u + 256u);
    BOOST_TEST(stats(k).sizemask == (1u << 3 | 1u << 4));  // the 128 and 256 byte zones
    free(a, M_FWTEST);
    BOOST_TEST(stats(k).inuse == 1u);
    BOOST_TEST(stats(k).memuse == 256u);
    BOOST_TEST(stats(k).requests == 2u);
    free(b, M_FWTEST);
    void *big = malloc(5000, M_FWTEST, M_WAITOK);  // uma_large_malloc: two pages, no zone
    BOOST_TEST(stats(k).memuse == 8192u);
    BOOST_TEST(stats(k).sizemask == (1u << 3 | 1u << 4));
    free(big, M_FWTEST);
    void *tiny = malloc(1, M_FWTEST, M_WAITOK);
    BOOST_TEST(stats(k).memuse == 16u);
    free(tiny, M_FWTEST);
  });
  BOOST_TEST(stats(k).name == "fwtest");
  BOOST_TEST(stats(k).inuse == 0u);
}

// Uninitialised memory is not zero in a kernel either; code that forgets
// M_ZERO must not work by luck here.
BOOST_AUTO_TEST_CASE(m_zero_memory_is_zero_and_other_memory_holds_the_trash_pattern) {
  fixture k;
  uint32_t zeroed = 1, trashed = 0;
  k.run([&] {
    uint32_t *z = malloc(64, M_FWTEST, M_WAITOK | M_ZERO);
    uint32_t *t = malloc(64, M_FWTEST, M_WAITOK);
    zeroed = z[7];
    trashed = t[7];
    free(z, M_FWTEST);
    free(t, M_FWTEST);
  });
  BOOST_TEST(zeroed == 0u);
  BOOST_TEST(trashed == 0xdeadc0deu);
}

BOOST_AUTO_TEST_CASE(malloc_redzone_overflow_is_reported) {
  fixture k;
  k.run([] {
    char *p = malloc(16, M_FWTEST, M_WAITOK);
    p[16] = 'x';
    free(p, M_FWTEST);
  });
  BOOST_TEST(found(k.k().findings(), "REDZONE: Buffer overflow detected. 1 byte corrupted after"));
  BOOST_TEST(k.console_has("REDZONE: Buffer overflow detected."));
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(malloc_redzone_underflow_is_reported) {
  fixture k;
  k.run([] {
    char *p = malloc(16, M_FWTEST, M_WAITOK);
    p[-1] = 'x';
    p[-2] = 'x';
    free(p, M_FWTEST);
  });
  BOOST_TEST(found(k.k().findings(), "REDZONE: Buffer underflow detected. 2 bytes corrupted before"));
}

BOOST_AUTO_TEST_CASE(freeing_memory_twice_panics) {
  fixture k;
  k.run([] {
    void *p = malloc(16, M_FWTEST, M_WAITOK);
    free(p, M_FWTEST);
    free(p, M_FWTEST);
  });
  CHECK_PANIC(k, "Duplicate free of");
}

BOOST_AUTO_TEST_CASE(freeing_memory_malloc_did_not_return_panics) {
  fixture k;
  static char not_malloced[256];
  k.run([] { free(not_malloced + 128, M_FWTEST); });
  CHECK_PANIC(k, "has not been allocated");
}

// INVARIANTS' trash: a use after free reads 0xdeadc0de, and a pointer read
// from it faults.
BOOST_AUTO_TEST_CASE(freed_memory_is_trashed) {
  fixture k;
  uint32_t after = 0;
  k.run([&] {
    uint32_t *p = malloc(64, M_FWTEST, M_WAITOK | M_ZERO);
    free(p, M_FWTEST);
    after = ((volatile uint32_t *)p)[3];
  });
  BOOST_TEST(after == 0xdeadc0deu);
}

BOOST_AUTO_TEST_CASE(a_write_after_free_is_found_when_the_block_leaves_quarantine) {
  fixture k;
  k.run([] {
    uint32_t *p = malloc(64, M_FWTEST, M_WAITOK);
    free(p, M_FWTEST);
    ((volatile uint32_t *)p)[2] = 42;
  });
  k.shutdown();  // empties the quarantine
  BOOST_TEST(found(k.k().findings(), "Memory modified after free"));
  BOOST_TEST(found(k.k().findings(), "val=2a"));
}

// FreeBSD panics only when the allocation really has to sleep; the code is
// wrong either way, so the simulator always panics.
BOOST_AUTO_TEST_CASE(m_waitok_where_sleeping_is_prohibited_panics) {
  fixture k;
  k.run([] {
    THREAD_NO_SLEEPING();
    malloc(16, M_FWTEST, M_WAITOK);
  });
  CHECK_PANIC(k, "malloc(M_WAITOK) of \"fwtest\" with sleeping prohibited");
}

BOOST_AUTO_TEST_CASE(m_nowait_where_sleeping_is_prohibited_is_fine) {
  fixture k;
  k.run([] {
    THREAD_NO_SLEEPING();
    free(malloc(16, M_FWTEST, M_NOWAIT), M_FWTEST);
    THREAD_SLEEPING_OK();
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(malloc_with_neither_waitok_nor_nowait_is_reported_and_waits) {
  fixture k;
  void *p = nullptr;
  k.run([&] {
    p = malloc(16, M_FWTEST, M_ZERO);
    free(p, M_FWTEST);
  });
  BOOST_TEST(p != nullptr);
  BOOST_TEST(k.console_has("Bad malloc flags: 0"));
}

// Memory pressure is rare in tests: M_NOWAIT failures are injected to
// reach the error paths.
BOOST_AUTO_TEST_CASE(an_m_nowait_allocation_fails_when_a_failure_is_injected) {
  fixture k;
  k.k().faults().add({"malloc", "fwtest", 2, 1});
  std::vector<bool> got;
  k.run([&] {
    for (int i = 0; i < 3; i++) {
      void *p = malloc(16, M_FWTEST, M_NOWAIT);
      got.push_back(p != nullptr);
      free(p, M_FWTEST);
    }
    free(malloc(16, M_FWTEST, M_WAITOK), M_FWTEST);  // M_WAITOK never fails
  });
  BOOST_TEST(got == (std::vector<bool>{true, false, true}));
}

BOOST_AUTO_TEST_CASE(uma_zone_items_are_accounted_under_the_zone_name) {
  fixture k;
  uint64_t inuse = 0;
  k.run([&] {
    uma_zone_t z = uma_zcreate("fwzone", 48, NULL, NULL, NULL, NULL, UMA_ALIGN_PTR, 0);
    void *a = uma_zalloc(z, M_WAITOK);
    for (auto &st : k.k().arena().stats())
      if (st.name == "fwzone") inuse = st.inuse;
    uma_zfree(z, a);
    uma_zdestroy(z);
  });
  BOOST_TEST(inuse == 1u);
}

// A module's malloc types are those defined in the file that declares it
// (here M_FWTEST and the LEAKY class); what they still hold when the module
// unloads is a leak, reported as FreeBSD's malloc_uninit does.
static void leaky_orphan(struct g_consumer *) {}
static struct g_class leaky_class = {
    .name = "LEAKY",
    .version = G_VERSION,
    .orphan = leaky_orphan,
};
DECLARE_GEOM_CLASS(leaky_class, g_leaky);

BOOST_AUTO_TEST_CASE(memory_a_module_still_holds_when_it_unloads_is_reported_as_a_leak) {
  fixture k;
  int error = -1;
  k.run([&] {
    kern::sys_kldload("g_leaky");
    malloc(100, M_FWTEST, M_WAITOK);
    malloc(28, M_FWTEST, M_NOWAIT);
    error = kern::sys_kldunload("g_leaky");
  });
  const std::string warning =
      "Warning: memory type fwtest leaked memory on destroy (2 allocations, 160 bytes leaked).";
  BOOST_TEST(error == 0);
  BOOST_TEST(k.console_has(warning));
  BOOST_TEST(found(k.k().findings(), warning));
}

// FreeBSD only looks at unload; a scenario rarely unloads. At shutdown a
// module whose class has no geom left could unload, so what its types
// still hold has no owner: a leak, reported as a finding.
BOOST_AUTO_TEST_CASE(memory_held_by_a_module_with_no_geom_at_shutdown_is_reported_as_a_leak) {
  fixture k;
  k.run([&] {
    kern::sys_kldload("g_leaky");
    malloc(100, M_FWTEST, M_WAITOK);
  });
  BOOST_TEST(k.k().findings().empty());
  k.k().shutdown();
  BOOST_TEST(found(k.k().findings(), "memory type fwtest leaked memory: 1 allocations, 128 bytes "
                                     "still in use at shutdown, and module g_leaky has nothing "
                                     "configured"));
}

// A configured device holds its memory legitimately.
BOOST_AUTO_TEST_CASE(memory_held_by_a_module_with_a_geom_at_shutdown_is_not_a_leak) {
  fixture k;
  k.run([&] {
    kern::sys_kldload("g_leaky");
    malloc(100, M_FWTEST, M_WAITOK);
    g_topology_lock();
    g_new_geomf(&leaky_class, "busy");
    g_topology_unlock();
  });
  k.k().shutdown();
  BOOST_TEST(k.k().findings().empty());
}

BOOST_AUTO_TEST_CASE(a_module_that_freed_everything_unloads_without_a_leak_report) {
  fixture k;
  k.run([] {
    kern::sys_kldload("g_leaky");
    free(malloc(100, M_FWTEST, M_WAITOK), M_FWTEST);
    kern::sys_kldunload("g_leaky");
  });
  BOOST_TEST(!k.console_has("leaked memory"));
  BOOST_TEST(k.k().findings().empty());
}
