// geomsim_bench — what the schedulers cost.
//
//   build-fw/tests/bench/geomsim_bench [--quick]
//
// Reports, best of several runs:
//  * det scheduler: cost per fiber switch and per scheduling point (two
//    threads calling point() in a loop: the prng picks who runs next);
//    a bare Boost.Context fiber switch for comparison;
//  * events: g_post_event + g_event running it, per event (batches drained
//    with g_waitidle), and the g_waitfor_event round trip;
//  * hand-off: one thread waking another and sleeping until woken back
//    (msleep/wakeup on an mtx), in both schedulers; a bare std::thread
//    condition-variable hand-off for comparison;
//  * a 4 KiB g_read_data round trip on a memory disk, in both schedulers.
// Kernel-space code (it calls the kernel API from simulated threads).
#include <geom/geom.h>

#include <boost/context/fiber.hpp>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "kern/kernel.h"
#include "kern/sched.h"
#include "tests/support/test_disk.h"

#undef printf

namespace {

using clock_type = std::chrono::steady_clock;

bool quick = false;

double best_of(int runs, const std::function<double()> &fn) {
  double best = 1e300;
  for (int i = 0; i < runs; i++) best = std::min(best, fn());
  return best;
}

double ns_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
}

// A booted kernel for one measurement.
struct booted {
  explicit booted(kern::sched_mode mode) {
    kern::boot_config cfg;
    cfg.mode = mode;
    cfg.seed = 1;
    cfg.console_sink = [](const std::string &) {};
    k = std::make_unique<kern::kernel>(cfg);
    k->boot();
  }
  ~booted() { k->shutdown(); }
  // Runs the bodies as simulated threads until all are done; returns the
  // host time it took, in ns.
  double run(std::vector<std::function<void()>> bodies) {
    std::vector<kern::thread *> ts;
    for (auto &b : bodies) ts.push_back(k->spawn("bench", b));
    auto t0 = clock_type::now();
    k->settle();
    double ns = ns_since(t0);
    for (kern::thread *t : ts) k->reap(t);
    return ns;
  }
  std::unique_ptr<kern::kernel> k;
};

// ------------------------------------------------------------- det mode

struct switch_result {
  double per_switch, per_point;
};

switch_result det_switch(long n) {
  booted b(kern::sched_mode::det);
  kern::scheduler &s = b.k->sched();
  auto body = [n] {
    kern::scheduler *sc = kern::current_scheduler();
    for (long i = 0; i < n; i++) sc->point();
  };
  uint64_t sw0 = s.switches(), p0 = s.points();
  double ns = b.run({body, body});
  return {ns / (double)(s.switches() - sw0), ns / (double)(s.points() - p0)};
}

double bare_fiber_switch(long n) {
  namespace ctx = boost::context;
  ctx::fiber f{[](ctx::fiber &&main) {
    for (;;) main = std::move(main).resume();
    return std::move(main);
  }};
  auto t0 = clock_type::now();
  for (long i = 0; i < n; i++) f = std::move(f).resume();
  return ns_since(t0) / (2.0 * (double)n);  // a resume is two switches
}

// ----------------------------------------------------------------- events

void noop_event(void *, int) {}

double event_post(kern::sched_mode mode, long n) {
  booted b(mode);
  const long batch = 64;
  double ns = b.run({[n] {
    for (long i = 0; i < n; i += batch) {
      for (long j = 0; j < batch; j++) g_post_event(noop_event, NULL, M_WAITOK, NULL);
      g_waitidle();
    }
  }});
  return ns / (double)n;
}

double event_waitfor(kern::sched_mode mode, long n) {
  booted b(mode);
  double ns = b.run({[n] {
    for (long i = 0; i < n; i++) g_waitfor_event(noop_event, NULL, M_WAITOK, NULL);
  }});
  return ns / (double)n;
}

// --------------------------------------------------------------- hand-off

struct mtx pp_mtx;
int pp_turn;

double handoff(kern::sched_mode mode, long n) {
  booted b(mode);
  b.run({[] {
    pp_mtx = {};
    mtx_init(&pp_mtx, "pingpong", NULL, MTX_DEF);
    pp_turn = 0;
  }});
  auto player = [n](int me) {
    return [n, me] {
      mtx_lock(&pp_mtx);
      for (long i = 0; i < n; i++) {
        while (pp_turn != me) msleep(&pp_turn, &pp_mtx, PRIBIO, "pingpong", 0);
        pp_turn = 1 - me;
        wakeup(&pp_turn);
      }
      mtx_unlock(&pp_mtx);
    };
  };
  double ns = b.run({player(0), player(1)});
  return ns / (2.0 * (double)n);
}

double bare_thread_handoff(long n) {
  std::mutex mu;
  std::condition_variable cv;
  int turn = 0;
  auto player = [&](int me) {
    std::unique_lock<std::mutex> lk(mu);
    for (long i = 0; i < n; i++) {
      cv.wait(lk, [&] { return turn == me; });
      turn = 1 - me;
      cv.notify_all();
    }
  };
  auto t0 = clock_type::now();
  std::thread a(player, 0), c(player, 1);
  a.join();
  c.join();
  return ns_since(t0) / (2.0 * (double)n);
}

// --------------------------------------------------------------------- I/O

void bench_orphan(struct g_consumer *) {}
struct g_class bench_class = {
    .name = "BENCH",
    .version = G_VERSION,
    .orphan = bench_orphan,
};
DECLARE_GEOM_CLASS(bench_class, g_bench);

double read_round_trip(kern::sched_mode mode, long n) {
  booted b(mode);
  struct g_consumer *cp = nullptr;
  b.run({[&] {
    b.k->kldload("g_bench");
    testsupport::tdisk_create("bench0", 1 << 20);
    g_waitidle();
    g_topology_lock();
    struct g_geom *gp = g_new_geomf(&bench_class, "bench");
    cp = g_new_consumer(gp);
    g_attach(cp, g_provider_by_name("bench0"));
    g_access(cp, 1, 0, 0);
    g_topology_unlock();
  }});
  double ns = b.run({[&] {
    for (long i = 0; i < n; i++) {
      int error;
      g_free(g_read_data(cp, (i % 64) * 4096, 4096, &error));
    }
  }});
  b.run({[&] {
    g_topology_lock();
    g_access(cp, -1, 0, 0);
    g_topology_unlock();
  }});
  return ns / (double)n;
}

}  // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
  const int runs = quick ? 1 : 5;
  const long scale = quick ? 10 : 1;

  std::printf("geomsim_bench: ns per operation, best of %d runs (switches: of %d short runs)\n\n",
              runs, quick ? 2 : 20);

  // Short runs, many of them: the best one is the one the host's own
  // scheduler did not disturb (the figures are meant for a shared machine).
  const int short_runs = quick ? 2 : 20;
  switch_result best{1e300, 1e300};
  for (int i = 0; i < short_runs; i++) {
    switch_result r = det_switch(200000 / scale);
    best.per_switch = std::min(best.per_switch, r.per_switch);
    best.per_point = std::min(best.per_point, r.per_point);
  }
  std::printf("det scheduler\n");
  std::printf("  fiber switch (point() in 2 threads, time/switches)  %8.1f ns  (goal <= 50)\n",
              best.per_switch);
  std::printf("  scheduling point (time/points)                      %8.1f ns\n",
              best.per_point);
  std::printf("  bare Boost.Context fiber switch                     %8.1f ns\n",
              best_of(short_runs, [&] { return bare_fiber_switch(500000 / scale); }));
  std::printf("  g_post_event + g_event runs it (batches of 64)      %8.1f ns\n",
              best_of(runs, [&] { return event_post(kern::sched_mode::det, 200000 / scale); }));
  std::printf("  g_waitfor_event round trip                          %8.1f ns\n",
              best_of(runs, [&] { return event_waitfor(kern::sched_mode::det, 200000 / scale); }));
  std::printf("  hand-off (msleep/wakeup ping-pong)                  %8.1f ns\n",
              best_of(runs, [&] { return handoff(kern::sched_mode::det, 500000 / scale); }));
  std::printf("  4 KiB g_read_data on a memory disk                  %8.1f ns\n",
              best_of(runs, [&] { return read_round_trip(kern::sched_mode::det, 100000 / scale); }));

  std::printf("\nthreads scheduler\n");
  std::printf("  hand-off (msleep/wakeup ping-pong)                  %8.1f ns\n",
              best_of(runs, [&] { return handoff(kern::sched_mode::threads, 50000 / scale); }));
  std::printf("  bare std::thread condvar hand-off                   %8.1f ns\n",
              best_of(runs, [&] { return bare_thread_handoff(50000 / scale); }));
  std::printf("  g_post_event + g_event runs it (batches of 64)      %8.1f ns\n",
              best_of(runs, [&] { return event_post(kern::sched_mode::threads, 50000 / scale); }));
  std::printf("  g_waitfor_event round trip                          %8.1f ns\n",
              best_of(runs, [&] { return event_waitfor(kern::sched_mode::threads, 20000 / scale); }));
  std::printf("  4 KiB g_read_data on a memory disk                  %8.1f ns\n",
              best_of(runs, [&] { return read_round_trip(kern::sched_mode::threads, 20000 / scale); }));
  return 0;
}
