// diskinfo(8): a disk's sector size, media size and geometry.
#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

int diskinfo_main(const std::vector<std::string> &argv, proc_io &io) {
  bool opt_v = false;
  getopt g(argv, "ctv", io);
  int ch;
  while ((ch = g.next()) != -1) {
    switch (ch) {
      case 'c':
      case 't':
      case 'v':
        opt_v = true;  // -c and -t also print the verbose form; timings are not simulated
        break;
      default:
        io.usage_error = true;
        io.eprint("usage: diskinfo [-ctv] disk ...\n");
        return 1;
    }
  }
  if (g.optind >= argv.size()) {
    io.usage_error = true;
    io.eprint("usage: diskinfo [-ctv] disk ...\n");
    return 1;
  }
  int exitval = 0;
  for (size_t i = g.optind; i < argv.size(); i++) {
    const std::string &name = argv[i];
    int fd;
    int e = kern::sys_open(name, kern::BSD_O_RDONLY, fd);
    if (e == kern::B_ENOENT && name[0] != '/') e = kern::sys_open("/dev/" + name, kern::BSD_O_RDONLY, fd);
    if (e != 0) {
      io.warn(e, "%s", name.c_str());
      return 1;
    }
    int64_t mediasize = 0, stripesize = 0, stripeoffset = 0;
    unsigned sectorsize = 0, fwsectors = 0, fwheads = 0;
    if (kern::sys_diocgmediasize(fd, mediasize) != 0) {
      io.warnx("%s: ioctl(DIOCGMEDIASIZE) failed, probably not a disk.", name.c_str());
      exitval = 1;
      kern::sys_close(fd);
      continue;
    }
    if (kern::sys_diocgsectorsize(fd, sectorsize) != 0 || sectorsize == 0) {
      io.warnx("%s: ioctl(DIOCGSECTORSIZE) failed, probably not a disk.", name.c_str());
      exitval = 1;
      kern::sys_close(fd);
      continue;
    }
    if (kern::sys_diocgfwsectors(fd, fwsectors) != 0) fwsectors = 0;
    if (kern::sys_diocgfwheads(fd, fwheads) != 0) fwheads = 0;
    if (kern::sys_diocgstripesize(fd, stripesize) != 0) stripesize = 0;
    if (kern::sys_diocgstripeoffset(fd, stripeoffset) != 0) stripeoffset = 0;
    if (!opt_v) {
      io.print("%s", name.c_str());
      io.print("\t%u", sectorsize);
      io.print("\t%jd", (intmax_t)mediasize);
      io.print("\t%jd", (intmax_t)(mediasize / sectorsize));
      io.print("\t%jd", (intmax_t)stripesize);
      io.print("\t%jd", (intmax_t)stripeoffset);
      if (fwsectors != 0 && fwheads != 0) {
        io.print("\t%jd", (intmax_t)(mediasize / ((int64_t)fwsectors * fwheads * sectorsize)));
        io.print("\t%u", fwheads);
        io.print("\t%u", fwsectors);
      }
    } else {
      io.print("%s\n", name.c_str());
      io.print("\t%-12u\t# sectorsize\n", sectorsize);
      io.print("\t%-12jd\t# mediasize in bytes (%s)\n", (intmax_t)mediasize,
               humanize_number((uint64_t)mediasize).c_str());
      io.print("\t%-12jd\t# mediasize in sectors\n", (intmax_t)(mediasize / sectorsize));
      io.print("\t%-12jd\t# stripesize\n", (intmax_t)stripesize);
      io.print("\t%-12jd\t# stripeoffset\n", (intmax_t)stripeoffset);
      if (fwsectors != 0 && fwheads != 0) {
        io.print("\t%-12jd\t# Cylinders according to firmware.\n",
                 (intmax_t)(mediasize / ((int64_t)fwsectors * fwheads * sectorsize)));
        io.print("\t%-12u\t# Heads according to firmware.\n", fwheads);
        io.print("\t%-12u\t# Sectors according to firmware.\n", fwsectors);
      }
      std::string ident;
      if (kern::sys_diocgident(fd, ident) == 0 && !ident.empty())
        io.print("\t%-12s\t# Disk ident.\n", ident.c_str());
    }
    io.print("\n");
    kern::sys_close(fd);
  }
  return exitval;
}

}  // namespace

SIM_PROGRAM(diskinfo, "diskinfo", diskinfo_main, "diskinfo [-ctv] disk ...",
            "get information about disk device");

}  // namespace sim
