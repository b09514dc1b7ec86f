// tests/framework/fwtest.h — what the framework suites share.
//
//  * fwtest::fixture: a booted kernel (det scheduler, seed 1 unless told)
//    with the two probe classes loaded.
//  * PROBEA and PROBEB: GEOM classes whose methods a test sets as lambdas
//    (probe_a.taste = [&](...) {...}); a method left unset does what a
//    plain class does (see fwtest.cc). The hooks are reset by every fixture.
//  * PASS: a gnop-like passthrough class (pass_create("d0") publishes
//    d0.pass and forwards every request as a clone completed by g_std_done).
//  * notes: a thread-safe log of what happened, in order.
//  * small helpers for building topologies; they expect the topology lock
//    held, like the calls they wrap.
//
// Kernel-space code: the suites that include this are compiled with the
// kernel's options (geomsim_kernel_code), so they call g_* directly from
// the simulated threads they run.
#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <geom/geom.h>

#include "tests/support/kernel_fixture.h"
#include "tests/support/test_disk.h"

namespace fwtest {

// ------------------------------------------------------------- notes
void note(const std::string &s);
std::vector<std::string> notes();
void clear_notes();
// The simulated thread calling ("g_event", "g_down", "test", ...).
std::string thread_name();

// ------------------------------------------------------------ probes
struct probe {
  std::function<struct g_geom *(struct g_class *, struct g_provider *)> taste;
  std::function<int(struct g_provider *, int, int, int)> access;
  std::function<void(struct g_consumer *)> orphan;
  std::function<void(struct g_consumer *)> spoiled;
  std::function<void(struct bio *)> start;
  std::function<void(struct sbuf *, const char *, struct g_geom *,
                     struct g_consumer *, struct g_provider *)> dumpconf;
  std::function<void(struct gctl_req *, struct g_class *, const char *)> ctlreq;
  std::function<int(struct gctl_req *, struct g_class *, struct g_geom *)> destroy_geom;
  void reset() { *this = probe(); }
};
extern probe probe_a, probe_b;
extern struct g_class probe_a_class;  // "PROBEA", module g_probea
extern struct g_class probe_b_class;  // "PROBEB", module g_probeb

// ------------------------------------------------------------ fixture
struct reset_hooks {
  reset_hooks();
};

// Boot panicking, or a step started after the kernel stopped, throws:
// a test must never pass because its checks did not run.
struct fixture : reset_hooks, testsupport::booted {
  explicit fixture(uint64_t seed = 1, kern::sched_mode mode = kern::sched_mode::det,
                   std::map<std::string, std::string> kenv = {});
  bool run(std::function<void()> fn, const std::string &name = "test");
};

// ------------------------------------------------------ topology helpers
// All with the topology lock held.
struct g_geom *new_geom(struct g_class *mp, const char *name);
// A new consumer of gp attached to the provider called `provider`.
struct g_consumer *attach(struct g_geom *gp, const char *provider);
// A usable provider (mediasize, sectorsize set, error cleared).
struct g_provider *new_provider(struct g_geom *gp, const char *name,
                                off_t mediasize = 1 << 20, u_int sectorsize = 512);
struct g_provider *provider(const char *name);  // g_provider_by_name
bool geom_exists(struct g_class *mp, const char *name);

// Creates tdisk `name` (1 MiB, 512-byte sectors) from a simulated thread.
void new_disk(const char *name, int64_t size = 1 << 20);

// ------------------------------------------------------------- PASS
// From a simulated thread (the lock is taken inside): creates geom and
// provider <provider>.pass over `provider`. 0 or an errno.
int pass_create(const char *provider);
// Withers the geom (EBUSY if open and not forced).
int pass_destroy(const char *name, bool force);
struct pass_counts {
  uint64_t starts = 0;        // requests that reached start
  uint64_t starts_off_down = 0;  // ... on a thread other than g_down
  uint64_t dones = 0;         // clones completed
  uint64_t dones_off_up = 0;  // ... on a thread other than g_up
};
pass_counts pass_stats(const char *name);

}  // namespace fwtest

namespace kern {
// For test messages and contexts.
inline std::ostream &operator<<(std::ostream &o, sched_mode m) {
  return o << (m == sched_mode::det ? "det" : "threads");
}
}  // namespace kern

// A panic, with the message that names the rule.
#define CHECK_PANIC(k, text)                                                   \
  do {                                                                         \
    BOOST_TEST((k).panicked());                                                \
    BOOST_TEST((k).panic_message().find(text) != std::string::npos,           \
               "panic message was \"" << (k).panic_message() << "\"");        \
  } while (0)
