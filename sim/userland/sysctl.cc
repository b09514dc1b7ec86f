// sysctl(8): reads and sets kernel state by name.
#include <cstring>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

int show(proc_io &io, const std::string &name, bool nflag) {
  std::string v;
  int e = kern::sys_sysctl_get(name, v);
  if (e == kern::B_EISDIR) {
    // A node: every leaf below it.
    int status = 0;
    for (const std::string &leaf : kern::sys_sysctl_list(name)) status |= show(io, leaf, nflag);
    return status;
  }
  if (e == kern::B_ENOENT) {
    io.warnx("unknown oid '%s'", name.c_str());
    return 1;
  }
  if (e != 0) {
    io.warn(e, "%s", name.c_str());
    return 1;
  }
  if (nflag) io.print("%s\n", v.c_str());
  else io.print("%s: %s\n", name.c_str(), v.c_str());
  return 0;
}

int sysctl_main(const std::vector<std::string> &argv, proc_io &io) {
  bool nflag = false, aflag = false;
  getopt g(argv, "an", io);
  int ch;
  while ((ch = g.next()) != -1) {
    if (ch == 'n') nflag = true;
    else if (ch == 'a') aflag = true;
    else {
      io.eprint("usage: sysctl [-an] name[=value] ...\n       sysctl [-n] -a\n");
      return 1;
    }
  }
  if (g.optind >= argv.size()) {
    if (aflag) {
      int status = 0;
      for (const std::string &leaf : kern::sys_sysctl_list("")) {
        // Large dumps are read on purpose, not listed with -a.
        if (leaf.compare(0, 14, "kern.geom.conf") == 0) continue;
        status |= show(io, leaf, nflag);
      }
      return status;
    }
    io.usage_error = true;
    io.eprint("usage: sysctl [-an] name[=value] ...\n       sysctl [-n] -a\n");
    return 1;
  }
  int status = 0;
  for (size_t i = g.optind; i < argv.size(); i++) {
    const std::string &arg = argv[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      status |= show(io, arg, nflag);
      continue;
    }
    std::string name = arg.substr(0, eq), value = arg.substr(eq + 1);
    std::string old;
    int e = kern::sys_sysctl_get(name, old);
    if (e == kern::B_ENOENT) {
      io.warnx("unknown oid '%s'", name.c_str());
      status = 1;
      continue;
    }
    e = kern::sys_sysctl_set(name, value);
    if (e == kern::B_EPERM) {
      io.warnx("oid '%s' is read only", name.c_str());
      status = 1;
      continue;
    }
    if (e == kern::B_EINVAL) {
      io.warnx("invalid integer '%s'", value.c_str());
      status = 1;
      continue;
    }
    if (e != 0) {
      io.warn(e, "%s", name.c_str());
      status = 1;
      continue;
    }
    std::string now;
    kern::sys_sysctl_get(name, now);
    if (nflag) io.print("%s\n", now.c_str());
    else io.print("%s: %s -> %s\n", name.c_str(), old.c_str(), now.c_str());
  }
  return status;
}

}  // namespace

SIM_PROGRAM(sysctl, "sysctl", sysctl_main, "sysctl [-an] name[=value] ...",
            "get or set kernel state");

}  // namespace sim
