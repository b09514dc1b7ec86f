// The shell's small programs: true, false, echo, sleep; and dmesg(8) and
// vmstat -m and -z, which show the kernel's message buffer, its malloc(9)
// usage and its uma(9) zones.
#include "kern/syscalls.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

int echo_main(const std::vector<std::string> &argv, proc_io &io) {
  size_t i = 1;
  bool newline = true;
  if (i < argv.size() && argv[i] == "-n") {
    newline = false;
    i++;
  }
  for (size_t k = i; k < argv.size(); k++) io.print("%s%s", k > i ? " " : "", argv[k].c_str());
  if (newline) io.print("\n");
  return 0;
}

int sleep_main(const std::vector<std::string> &argv, proc_io &io) {
  if (argv.size() != 2) {
    io.usage_error = true;
    io.eprint("usage: sleep seconds\n");
    return 1;
  }
  char *end = nullptr;
  double secs = std::strtod(argv[1].c_str(), &end);
  if (end == argv[1].c_str() || *end != '\0' || secs < 0) {
    io.usage_error = true;
    io.eprint("usage: sleep seconds\n");
    return 1;
  }
  kern::sys_nanosleep((int64_t)(secs * 1e9));
  return 0;
}

int dmesg_main(const std::vector<std::string> &argv, proc_io &io) {
  (void)argv;
  for (const std::string &l : kern::sys_msgbuf()) io.print("%s\n", l.c_str());
  return 0;
}

int vmstat_main(const std::vector<std::string> &argv, proc_io &io) {
  if (argv.size() != 2 || (argv[1] != "-m" && argv[1] != "-z")) {
    io.usage_error = true;
    io.eprint("usage: vmstat -m | vmstat -z\n");
    return 1;
  }
  if (argv[1] == "-z") {
    // stable/10's domemstat_zone. Only the zones the simulated kernel has
    // (g_bio); FREE is 0 (no per-CPU caches), SLEEP 0 (M_WAITOK never waits
    // for memory here).
    io.print("%-20s %6s %6s %8s %8s %8s %4s %4s\n\n", "ITEM", "SIZE", "LIMIT", "USED", "FREE",
             "REQ", "FAIL", "SLEEP");
    for (const kern::malloc_stat &s : kern::sys_malloc_stats()) {
      if (s.zone_item_size == 0) continue;
      std::string name = s.type + ":";
      io.print("%-20s %6llu, %6llu,%8llu,%8llu,%8llu,%4llu,%4llu\n", name.c_str(),
               (unsigned long long)s.zone_item_size, 0ull, (unsigned long long)s.inuse, 0ull,
               (unsigned long long)s.requests, (unsigned long long)s.failures, 0ull);
    }
    io.print("\n");
    return 0;
  }
  // vmstat(8)'s domemstat_malloc: HighUse is always "-", Size(s) lists
  // the malloc zones the type used.
  io.print("%13s %5s %6s %7s %8s  Size(s)\n", "Type", "InUse", "MemUse", "HighUse", "Requests");
  for (const kern::malloc_stat &s : kern::sys_malloc_stats()) {
    if (s.zone_item_size != 0) continue;  // uma zones: vmstat -z
    if (s.requests == 0 && s.inuse == 0) continue;
    io.print("%13s %5llu %5lluK %7s %8llu  ", s.type.c_str(), (unsigned long long)s.inuse,
             (unsigned long long)((s.memuse + 1023) / 1024), "-", (unsigned long long)s.requests);
    bool first = true;
    for (int i = 0; i < 32; i++) {
      if ((s.sizemask & (1u << i)) == 0) continue;
      io.print("%s%d", first ? "" : ",", 1 << (i + 4));
      first = false;
    }
    io.print("\n");
  }
  return 0;
}

}  // namespace

SIM_PROGRAM(true_, "true", [](const std::vector<std::string> &, proc_io &) { return 0; }, "true",
            "return true value");
SIM_PROGRAM(false_, "false", [](const std::vector<std::string> &, proc_io &) { return 1; },
            "false", "return false value");
SIM_PROGRAM(echo, "echo", echo_main, "echo [-n] [string ...]", "write arguments to the standard output");
SIM_PROGRAM(sleep, "sleep", sleep_main, "sleep seconds", "suspend execution for an interval of time (simulated)");
SIM_PROGRAM(dmesg, "dmesg", dmesg_main, "dmesg", "display the kernel message buffer");
SIM_PROGRAM(vmstat, "vmstat", vmstat_main, "vmstat -m | vmstat -z",
            "report kernel malloc(9) and uma(9) zone usage");

}  // namespace sim
