// trim(8): erases (BIO_DELETE, "TRIM/UNMAP") a region of a device with
// the DIOCGDELETE ioctl. FreeBSD's trim first appeared in FreeBSD 12.1
// (usr.sbin/trim); FreeBSD 10, whose virstor the simulator runs, had no
// such program (there `newfs -E` issued DIOCGDELETE). Written from its
// manual page and behaviour:
//
//   trim [-[lo] offset[K|k|M|m|G|g|T|t]] [-r rfile] [-Nfqv] device ...
//
// * The default is a dry run (-N, which implies -v): it prints what it
//   would erase and "dry run: add -f to actually perform the operation".
//   -f performs the operation. Later options override earlier ones.
// * -o offset, -l length (expand_number suffixes); without -l (or -r) the
//   length is the device's media size (DIOCGMEDIASIZE) or the file's size.
//   -r rfile takes the length from rfile.
// * -v (the default) prints "trim DEVICE offset N length N" first; -q
//   prints nothing but errors.
// * A device named without a '/' that does not exist is looked up in
//   /dev, as FreeBSD's opendev() does.
// * Exit status: 0; 1 if an erase failed for some argument; EX_USAGE (64)
//   for a bad option, offset or length; EX_NOINPUT (66) if a device cannot
//   be opened; EX_UNAVAILABLE (69) if its size cannot be had.
//
// DIOCGDELETE (kern::sys_diocgdelete) issues the region as BIO_DELETEs of
// at most kern.geom.dev.delete_max_sectors sectors each (128 MiB on
// 512-byte sectors), waiting for each, as FreeBSD's g_dev_ioctl does; a
// region that is not whole sectors fails with EINVAL and a console line.
// Deleted sectors are unknown to the oracle afterwards.
//
// One difference: FreeBSD's trim, when the ioctl fails with EOPNOTSUPP in
// verbose mode, asks GEOM::candelete (DIOCGATTR) and, if the provider says
// no, prints "DEVICE: TRIM/UNMAP not supported by driver" instead of the
// errno message. The simulator has no DIOCGATTR system call; EOPNOTSUPP is
// taken to mean that the provider cannot delete.
#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/scenario/oracle.h"
#include "sim/userland/files.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

constexpr int EX_USAGE = 64, EX_NOINPUT = 66, EX_UNAVAILABLE = 69;

// What trim has open: a device node (fd) or a file of the machine.
struct target {
  bool is_file = false;
  int fd = -1;
  std::string devpath;  // the /dev path opened (for the oracle)
  std::string file;     // the file's path
};

// Thrown by err(3)/errx(3)-style exits from inside helpers.
struct trim_exit {
  int status;
};

int usage(proc_io &io) {
  io.usage_error = true;
  io.eprint("usage: %s [-[lo] offset[K|k|M|m|G|g|T|t]] [-r rfile] [-Nfqv] device ...\n",
            io.progname.c_str());
  return EX_USAGE;
}

int try_open(const std::string &path, int oflags, target &t) {
  if (path.compare(0, 5, "/dev/") == 0) {
    int e = kern::sys_open(path, oflags, t.fd);
    if (e == 0) t.devpath = path;
    return e;
  }
  int64_t size;
  int e = file_size(path, size);
  if (e == 0) {
    t.is_file = true;
    t.file = path;
  }
  return e;
}

// opendev(): open(path), and for a bare name that does not exist,
// /dev/name. err(EX_NOINPUT, "open failed: %s") when both fail.
target opendev(const std::string &path, int oflags, proc_io &io) {
  target t;
  int e = try_open(path, oflags, t);
  if (e == kern::B_ENOENT && !path.empty() && path[0] != '/') e = try_open("/dev/" + path, oflags, t);
  if (e != 0) {
    io.warn(e, "open failed: %s", path.c_str());
    throw trim_exit{EX_NOINPUT};
  }
  return t;
}

void closedev(target &t) {
  if (!t.is_file && t.fd >= 0) kern::sys_close(t.fd);
  t.fd = -1;
}

// getsize(): the size of a file, the media size of a device.
int64_t getsize(const std::string &path, proc_io &io) {
  target t = opendev(path, kern::BSD_O_RDONLY, io);
  int64_t size = 0;
  if (t.is_file) {
    file_size(t.file, size);
    return size;
  }
  int e = kern::sys_diocgmediasize(t.fd, size);
  if (e != 0) {
    io.warn(e, "ioctl(DIOCGMEDIASIZE) failed, probably not a disk: %s", path.c_str());
    closedev(t);
    throw trim_exit{EX_UNAVAILABLE};
  }
  closedev(t);
  return size;
}

// Returns 0, or -1 when the erase failed (as the ioctl does).
int trim(const std::string &path, int64_t offset, int64_t length, bool dryrun, bool verbose,
         proc_io &io) {
  if (length == 0) length = getsize(path, io);
  if (verbose)
    io.print("trim %s offset %ju length %ju\n", path.c_str(), (uintmax_t)offset,
             (uintmax_t)length);
  if (dryrun) {
    io.print("dry run: add -f to actually perform the operation\n");
    return 0;
  }
  target t = opendev(path, kern::BSD_O_WRONLY, io);
  int e = t.is_file ? kern::B_ENOTTY : kern::sys_diocgdelete(t.fd, offset, length);
  if (!t.is_file) {
    if (oracle *o = oracle::current()) {
      unsigned ss = 0;
      if (kern::sys_diocgsectorsize(t.fd, ss) != 0 || ss == 0) ss = 512;
      // Whether or not it succeeded, what the region reads back is no
      // longer what was written.
      o->record_failed_write(t.devpath, offset, (size_t)length, ss);
    }
  }
  if (e != 0) {
    if (e == kern::B_EOPNOTSUPP && verbose)
      io.warnx("%s: TRIM/UNMAP not supported by driver", path.c_str());
    else
      io.warn(e, "ioctl(DIOCGDELETE) failed: %s", path.c_str());
  }
  closedev(t);
  return e != 0 ? -1 : 0;
}

int trim_main(const std::vector<std::string> &argv, proc_io &io) {
  int64_t offset = 0, length = 0;
  bool dryrun = true, verbose = true;
  try {
    getopt g(argv, "Nfl:o:qr:v", io);
    int ch;
    while ((ch = g.next()) != -1) {
      switch (ch) {
        case 'N':
          dryrun = true;
          verbose = true;
          break;
        case 'f':
          dryrun = false;
          break;
        case 'l':
        case 'o': {
          uint64_t usz;
          if (!expand_number(g.optarg, usz) || (int64_t)usz < 0 || (usz == 0 && ch == 'l')) {
            io.usage_error = true;
            io.warnx("invalid %s of the region: %s", ch == 'o' ? "offset" : "length",
                     g.optarg.c_str());
            return EX_USAGE;
          }
          if (ch == 'o') offset = (int64_t)usz;
          else length = (int64_t)usz;
          break;
        }
        case 'q':
          verbose = false;
          break;
        case 'r':
          if ((length = getsize(g.optarg, io)) == 0) {
            io.usage_error = true;
            io.warnx("invalid zero length reference file for the region: %s", g.optarg.c_str());
            return EX_USAGE;
          }
          break;
        case 'v':
          verbose = true;
          break;
        default:
          return usage(io);
      }
    }
    if (g.optind >= argv.size()) return usage(io);
    int errors = 0;
    for (size_t i = g.optind; i < argv.size(); i++)
      if (trim(argv[i], offset, length, dryrun, verbose, io) < 0) errors++;
    return errors ? 1 : 0;
  } catch (const trim_exit &x) {
    return x.status;
  }
}

}  // namespace

SIM_PROGRAM(trim, "trim", trim_main,
            "trim [-[lo] offset[K|k|M|m|G|g|T|t]] [-r rfile] [-Nfqv] device ...",
            "erase device blocks that have no needed contents (FreeBSD 12.1 and later)");

}  // namespace sim
