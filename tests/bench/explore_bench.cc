// geomsim explore benchmark: crash states per second on one core, for a
// workload of the basic scenario's size: two components with write-back
// caches, a label, and three dozen writes of 4 to 64 KiB over several
// chunks, both map sectors and both components.
//
//   build/tests/bench/explore_bench [states [runs]]
//
// Each run explores the first `states` states (default 5000) in one
// process (--jobs 1) and prints states per second of the states alone
// (the workload's own run and the reproducers are left out), then the
// median of the runs. Figures go to docs/performance.md with the command.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "sim/explore/explorer.h"

namespace {

// The workload: label, then writes spread over virtual chunks 0..11 and
// 64..75 (two map sectors), enough to fill ada0 and spill onto ada1.
std::string workload() {
  std::string w =
      "@loader geom_virstor_load=YES\n"
      "@loader kern.geom.virstor.debug=0\n"
      "@disk ada0 16m cache=write-back\n"
      "@disk ada1 16m cache=write-back\n"
      "gvirstor label -m 1m -s 128m vs ada0 ada1\n";
  const int sizes[] = {4, 8, 16, 64};
  for (int i = 0; i < 36; i++) {
    const int chunk = (i % 2 == 0 ? 0 : 64) + (i / 3) % 12;
    const int kb = sizes[i % 4];
    const int seek = chunk * 1024 / kb + (i % 3) * (64 / kb);
    w += "dd if=/dev/random of=/dev/virstor/vs bs=" + std::to_string(kb) +
         "k count=1 seek=" + std::to_string(seek) + " status=none\n";
  }
  return w;
}

double one_run(const std::string &script, uint64_t states, const std::string &out) {
  sim::explore::explore_options opt;
  opt.scripts = {script};
  opt.max_states = states;
  opt.out_dir = out;
  sim::explore::explore_options::timing t;
  opt.timing_out = &t;
  std::string report;
  if (sim::explore::explore(opt, report) == 2) {
    std::fprintf(stderr, "explore_bench: the workload failed\n");
    std::exit(2);
  }
  return t.seconds > 0 ? t.states / t.seconds : 0;
}

}  // namespace

int main(int argc, char **argv) {
  const uint64_t states = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  char dir[] = "/tmp/explore-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 2;
  const std::string script = std::string(dir) + "/workload.sh";
  std::ofstream(script) << workload();
  std::vector<double> rates;
  for (int i = 0; i < runs; i++) {
    rates.push_back(one_run(script, states, std::string(dir) + "/out"));
    std::printf("run %d: %llu states, %.0f states/s\n", i + 1, (unsigned long long)states,
                rates.back());
  }
  std::sort(rates.begin(), rates.end());
  std::printf("explore, one core, %llu states of a label + 36 writes over 2 write-back disks: "
              "median %.0f states/s (best %.0f)\n",
              (unsigned long long)states, rates[rates.size() / 2], rates.back());
  std::system(("rm -rf '" + std::string(dir) + "'").c_str());
  return 0;
}
