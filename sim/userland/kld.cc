// kldload(8), kldunload(8), kldstat(8): kernel modules.
#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

std::string file_name(std::string n) {
  if (n.size() > 3 && n.compare(n.size() - 3, 3, ".ko") == 0) n.resize(n.size() - 3);
  return n;
}

int kldload_main(const std::vector<std::string> &argv, proc_io &io) {
  if (argv.size() < 2) {
    io.usage_error = true;
    io.eprint("usage: kldload [-nqv] file ...\n");
    return 1;
  }
  int status = 0;
  for (size_t i = 1; i < argv.size(); i++) {
    std::string n = file_name(argv[i]);
    int e = kern::sys_kldload(n);
    if (e == kern::B_EEXIST) {
      io.warnx("can't load %s: module already loaded or in kernel", argv[i].c_str());
      status = 1;
    } else if (e != 0) {
      io.warnx("can't load %s: %s", argv[i].c_str(), kern::bsd_strerror(e));
      status = 1;
    }
  }
  return status;
}

int kldunload_main(const std::vector<std::string> &argv, proc_io &io) {
  if (argv.size() < 2) {
    io.usage_error = true;
    io.eprint("usage: kldunload [-fv] -i id ...\n       kldunload [-fv] [-n] name ...\n");
    return 1;
  }
  int status = 0;
  for (size_t i = 1; i < argv.size(); i++) {
    std::string n = file_name(argv[i]);
    int e = kern::sys_kldunload(n);
    if (e == kern::B_ENOENT) {
      io.warnx("can't find file %s", argv[i].c_str());
      status = 1;
    } else if (e != 0) {
      io.warnx("can't unload file: %s", kern::bsd_strerror(e));
      status = 1;
    }
  }
  return status;
}

int kldstat_main(const std::vector<std::string> &argv, proc_io &io) {
  (void)argv;
  io.print("Id Name\n");
  io.print("%2d %s\n", 1, "kernel");
  int id = 2;
  for (const std::string &m : kern::sys_kldstat()) {
    std::string f = m.compare(0, 2, "g_") == 0 ? "geom_" + m.substr(2) : m;
    io.print("%2d %s.ko\n", id++, f.c_str());
  }
  return 0;
}

}  // namespace

SIM_PROGRAM(kldload, "kldload", kldload_main, "kldload file ...", "load a file into the kernel");
SIM_PROGRAM(kldunload, "kldunload", kldunload_main, "kldunload name ...",
            "unload a file from the kernel");
SIM_PROGRAM(kldstat, "kldstat", kldstat_main, "kldstat", "display status of dynamic kernel linker");

}  // namespace sim
