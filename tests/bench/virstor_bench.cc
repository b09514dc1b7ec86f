// virstor I/O benchmark: 4 KiB writes and reads at random offsets through
// /dev/virstor/vs over md(4) disks, in both schedulers; and the default
// label (2 TiB virtual, 4 MiB chunks) over two 1 TiB disks with 10,000
// random 4 KiB writes, timed and measured for resident memory; and the
// whole-process time of `geomsim run scenarios/basic.sh`.
//
//   build/tests/bench/virstor_bench [ops [det|threads|label|basic|floor [span-MB]]]
//
// The random offsets fall in the first span-MB (default 64, at most the 64
// MB written before timing) of the device; 1 keeps the data in the host's
// caches, so the figures measure the simulation rather than host memory.
//
// `floor` times what no simulator can avoid on this host: each write's
// payload copied twice (caller to kernel buffer, kernel buffer to the
// media's memory) into random 4 KiB pages of as many MB as the det run
// writes, with nothing else around it.
//
// Figures go to docs/performance.md with the command that made them.
#include <spawn.h>
#include <unistd.h>  // environ
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <vector>

#include "kern/kernel.h"
#include "kern/prng.h"
#include "kern/syscalls.h"
#include "sim/machine/machine.h"
#include "sim/userland/program.h"

namespace {

using clk = std::chrono::steady_clock;

int run_program(sim::machine &m, std::vector<std::string> argv) {
  int status = -1;
  const sim::program_info *p = sim::find_program(argv[0]);
  kern::thread *t = m.kernel()->run(argv[0], [&] {
    sim::proc_io io;
    io.progname = argv[0];
    status = p->main(argv, io);
    if (status != 0) std::fprintf(stderr, "%s", io.all.c_str());
  });
  m.kernel()->reap(t);
  return status;
}

long rss_mib() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;  // kilobytes on Linux
}

struct result {
  double write_ops_s, read_ops_s;
  double write_switches, write_points;  // per write, det scheduler
};

// N random 4 KiB writes then reads inside `span` bytes of the device.
result io_loop(sim::machine &m, int n, int64_t span) {
  result r{0, 0, 0, 0};
  kern::thread *t = m.kernel()->run("bench", [&] {
    int fd;
    if (kern::sys_open("/dev/virstor/vs", kern::BSD_O_RDWR, fd) != 0) {
      std::fprintf(stderr, "open failed\n");
      return;
    }
    std::vector<char> buf(4096, 'x');
    kern::prng rng(42);
    size_t done;
    kern::scheduler *sched = kern::current_scheduler();
    uint64_t sw0 = sched->switches(), pt0 = sched->points();
    auto t0 = clk::now();
    for (int i = 0; i < n; i++) {
      int64_t off = (int64_t)rng.below((uint64_t)(span / 4096)) * 4096;
      kern::sys_pwrite(fd, buf.data(), 4096, off, done);
    }
    auto t1 = clk::now();
    r.write_switches = double(sched->switches() - sw0) / n;
    r.write_points = double(sched->points() - pt0) / n;
    for (int i = 0; i < n; i++) {
      int64_t off = (int64_t)rng.below((uint64_t)(span / 4096)) * 4096;
      kern::sys_pread(fd, buf.data(), 4096, off, done);
    }
    auto t2 = clk::now();
    kern::sys_close(fd);
    r.write_ops_s = n / std::chrono::duration<double>(t1 - t0).count();
    r.read_ops_s = n / std::chrono::duration<double>(t2 - t1).count();
  });
  m.kernel()->reap(t);
  return r;
}

void md_bench(kern::sched_mode mode, int n, int span_mb) {
  sim::machine m({mode, 1, 1, nullptr});
  m.kenv()["kern.geom.virstor.debug"] = "0";
  m.boot();
  run_program(m, {"mdconfig", "-a", "-t", "malloc", "-s", "512m"});
  run_program(m, {"mdconfig", "-a", "-t", "malloc", "-s", "512m"});
  run_program(m, {"gvirstor", "label", "-m", "1m", "-s", "1g", "vs", "md0", "md1"});
  // Allocate the chunks first (virstor's and the media's: random data, so
  // no sector stays a hole), so the loop measures steady-state I/O.
  run_program(m, {"dd", "if=/dev/random", "of=/dev/virstor/vs", "bs=1m", "count=64", "status=none"});
  result r = io_loop(m, n, (int64_t)span_mb << 20);
  std::printf("%-8s %9d x 4 KiB: %10.0f writes/s %10.0f reads/s",
              mode == kern::sched_mode::det ? "det" : "threads", n, r.write_ops_s,
              r.read_ops_s);
  if (mode == kern::sched_mode::det)
    std::printf(" (per write: %.1f switches, %.1f scheduling points)", r.write_switches,
                r.write_points);
  std::printf("\n");
}

void default_label_bench() {
  auto t0 = clk::now();
  sim::machine m({kern::sched_mode::det, 1, 1, nullptr});
  m.kenv()["kern.geom.virstor.debug"] = "0";
  m.add_memory_disk("ada0", 1ll << 40);
  m.add_memory_disk("ada1", 1ll << 40);
  m.boot();
  run_program(m, {"gvirstor", "label", "vs", "ada0", "ada1"});
  result r = io_loop(m, 10000, 2ll << 40);
  m.shutdown();
  double secs = std::chrono::duration<double>(clk::now() - t0).count();
  std::printf("default label (2 TiB, 4 MiB chunks) over 2 x 1 TiB + 10,000 random 4 KiB "
              "writes and reads: %.3f s, max RSS %ld MiB\n",
              secs, rss_mib());
  (void)r;
}

// The basic scenario as a user runs it: a fresh geomsim process each
// time, timed from spawn to exit. Prints the median and the best of
// `runs`, and the largest resident set.
void basic_scenario_bench(int runs) {
  std::string script = std::string(GEOMSIM_SOURCE_DIR) + "/scenarios/basic.sh";
  std::vector<double> secs;
  long max_rss_kb = 0;
  for (int i = 0; i < runs; i++) {
    const char *argv[] = {GEOMSIM_BIN, "run", script.c_str(), nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    auto t0 = clk::now();
    int err = posix_spawn(&pid, GEOMSIM_BIN, &fa, nullptr, (char **)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err != 0) {
      std::fprintf(stderr, "cannot run %s: %s\n", GEOMSIM_BIN, std::strerror(err));
      return;
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    secs.push_back(std::chrono::duration<double>(clk::now() - t0).count());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "%s failed (status %#x)\n", script.c_str(), status);
      return;
    }
    max_rss_kb = std::max(max_rss_kb, (long)ru.ru_maxrss);
  }
  std::sort(secs.begin(), secs.end());
  std::printf("geomsim run scenarios/basic.sh, %d runs: median %.1f ms, best %.1f ms, "
              "max RSS %ld MiB\n",
              runs, secs[secs.size() / 2] * 1e3, secs[0] * 1e3, max_rss_kb / 1024);
}

// The data movement of a det-mode write without the simulation: the
// payload copied into a kernel-sized buffer and from there into one of
// the separately allocated 4 KiB pages of a span_mb "media", chosen at
// random (as the sparse store holds the data the det run writes).
void floor_bench(int n, int span_mb) {
  constexpr size_t kPage = 4096;
  const size_t kPages = ((size_t)span_mb << 20) / kPage;
  std::vector<std::unique_ptr<unsigned char[]>> media(kPages);
  for (auto &p : media) {
    p.reset(new unsigned char[kPage]);
    std::memset(p.get(), 1, kPage);
  }
  std::vector<unsigned char> user(kPage, 'x'), kbuf(kPage);
  kern::prng rng(42);
  auto t0 = clk::now();
  for (int i = 0; i < n; i++) {
    user[(size_t)i % kPage]++;  // the caller's data changes every time
    std::memcpy(kbuf.data(), user.data(), kPage);
    std::memcpy(media[rng.below(kPages)].get(), kbuf.data(), kPage);
  }
  double ns = std::chrono::duration<double, std::nano>(clk::now() - t0).count() / n;
  unsigned sum = 0;
  for (auto &p : media) sum += p[0];
  std::printf("floor    %9d x 4 KiB: %10.0f writes/s (payload copied twice into random "
              "pages of %d MB, nothing else: %.0f ns per write; checksum %u)\n",
              n, 1e9 / ns, span_mb, ns, sum);
}

}  // namespace

// virstor_bench [ops [det|threads|label|basic|floor [span-MB]]]
int main(int argc, char **argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 200000;
  std::string only = argc > 2 ? argv[2] : "";
  int span_mb = argc > 3 ? std::atoi(argv[3]) : 64;
  if (only.empty() || only == "basic") basic_scenario_bench(20);
  if (only.empty() || only == "label") default_label_bench();
  if (span_mb < 1 || span_mb > 64) {
    std::fprintf(stderr, "virstor_bench: span must be 1..64 MB (the chunks written first)\n");
    return 2;
  }
  if (only.empty() || only == "floor") floor_bench(n, span_mb);
  if (only.empty() || only == "det") md_bench(kern::sched_mode::det, n, span_mb);
  if (only.empty() || only == "threads") md_bench(kern::sched_mode::threads, n / 4, span_mb);
  return 0;
}
