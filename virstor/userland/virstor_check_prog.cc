// virstor_check: checks virstor components offline, as thin_check does
// dm-thin metadata (the checker is virstor/check/virstor_check.h).
//
//   virstor_check [-q] provider ...
//
// Reads each provider (a name under /dev, or a /dev path) through the
// device node: its metadata sector and, on component 0, the allocation
// map. It needs no virstor geom, and works while the device is up (the
// reads go to the disks, not through virstor). Prints one line per
// finding, then, without -q, a summary per device.
//
// Exit status: 0 when no finding is an error, 1 when one is or a provider
// cannot be opened, 2 for a usage error.
#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/userland/program.h"
#include "virstor/check/virstor_check.h"

namespace {

using sim::proc_io;

int usage(proc_io &io) {
  io.usage_error = true;
  io.eprint("usage: virstor_check [-q] provider ...\n");
  return 2;
}

// The descriptors the sources read through, open until the check is done.
// They are closed explicitly, not by a destructor: close(2) may unwind
// with kern::kernel_stop when the kernel stops (and the thread's exit
// closes whatever is left then).
struct open_disks {
  std::vector<int> fds;
  void close_all() {
    for (int fd : fds) kern::sys_close(fd);
    fds.clear();
  }
};

int read_fully(int fd, int64_t off, void *buf, size_t len) {
  size_t done = 0;
  int error = kern::sys_pread(fd, buf, len, off, done);
  return error != 0 ? error : done == len ? 0 : kern::B_EIO;
}

// A provider as the checker's source, or an errno value.
int open_source(const std::string &arg, open_disks &disks, virstor_check::component_source &s) {
  std::string path = arg[0] == '/' ? arg : "/dev/" + arg;
  int fd, error = kern::sys_open(path, kern::BSD_O_RDONLY, fd);
  if (error != 0) return error;
  disks.fds.push_back(fd);
  unsigned sectorsize = 0;
  if ((error = kern::sys_diocgmediasize(fd, s.mediasize)) != 0) return error;
  if ((error = kern::sys_diocgsectorsize(fd, sectorsize)) != 0) return error;
  s.name = path.compare(0, 5, "/dev/") == 0 ? path.substr(5) : path;
  s.sectorsize = sectorsize;
  s.read = [fd](int64_t off, void *buf, size_t len) { return read_fully(fd, off, buf, len); };
  return 0;
}

int check_main(const std::vector<std::string> &argv, proc_io &io) {
  bool quiet = false;
  sim::getopt g(argv, "q", io);
  for (int ch; (ch = g.next()) != -1;) {
    if (ch != 'q') return usage(io);
    quiet = true;
  }
  if (g.optind >= argv.size()) return usage(io);
  open_disks disks;
  std::vector<virstor_check::component_source> sources;
  int status = 0;
  for (size_t i = g.optind; i < argv.size(); i++) {
    virstor_check::component_source s;
    int error = open_source(argv[i], disks, s);
    if (error == 0) sources.push_back(std::move(s));
    else {
      io.warn(error, "%s", argv[i].c_str());
      status = 1;
    }
  }
  virstor_check::report r = virstor_check::check(sources);
  disks.close_all();
  std::string out = virstor_check::format(r, quiet);
  io.put_out(out.data(), out.size());
  return r.errors() > 0 ? 1 : status;
}

}  // namespace

SIM_PROGRAM(virstor_check, "virstor_check", check_main, "virstor_check [-q] provider ...",
            "check virstor components' metadata and allocation map offline");
