// mdconfig(8): create, destroy and list md(4) disks, as FreeBSD 10's
// sbin/mdconfig does: same options, defaults, output and messages. It
// reaches the kernel through sim::mdctl_ioctl (FreeBSD: ioctls on
// /dev/mdctl) and lists through the GEOM tree (libgeom). File names are
// the machine's files (sim::machine::file), resolved like realpath(3).
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/machine/machine.h"
#include "sim/scenario/oracle.h"
#include "sim/md/md_ioctl.h"
#include "sim/userland/geom_core.h"
#include "sim/userland/libgeom.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

constexpr int OPT_VERBOSE = 0x01;
constexpr int OPT_UNIT = 0x02;
constexpr int OPT_DONE = 0x04;
constexpr int OPT_LIST = 0x10;
constexpr int64_t DEV_BSIZE_ = 512;
const char *const CTLPATH = "/dev/" MDCTL_NAME;

enum class action { unset, attach, detach, resize, list };

struct mdconfig_run {
  explicit mdconfig_run(proc_io &p) : io(p) {}
  proc_io &io;
  md_ioctl mdio{};
  std::string file;  // md_file's storage
  action act = action::unset;
  bool nflag = false;
};

[[noreturn]] void usage(proc_io &io) {
  io.eprint(
      "usage: mdconfig -a -t type [-n] [-o [no]option] ... [-f file]\n"
      "                [-s size] [-S sectorsize] [-u unit]\n"
      "                [-x sectors/track] [-y heads/cylinder]\n"
      "       mdconfig -d -u unit [-o [no]force]\n"
      "       mdconfig -r -u unit -s size [-o [no]force]\n"
      "       mdconfig -l [-v] [-n] [-f file] [-u unit]\n"
      "       mdconfig file\n");
  io.eprint("\t\ttype = {malloc, vnode, swap}\n");
  io.eprint("\t\toption = {cluster, compress, reserve}\n");
  io.eprint("\t\tsize = %%d (512 byte blocks), %%db (B),\n");
  io.eprint("\t\t       %%dk (kB), %%dm (MB), %%dg (GB), \n");
  io.eprint("\t\t       %%dt (TB), or %%dp (PB)\n");
  g_exit(1);
}

// strtoumax(s, &end, 0): returns the value and where parsing stopped.
uint64_t parse_number(const std::string &s, size_t &end) {
  const char *p = s.c_str();
  char *e;
  unsigned long long v = std::strtoull(p, &e, 0);
  end = (size_t)(e - p);
  return v;
}

// realpath(3) over the machine's files: the normalized path, or "" if the
// file does not exist.
std::string realpath_of(const std::string &path) {
  machine *m = machine::current();
  if (m == nullptr) return "";
  std::string p = machine::normalize_path(path);
  return m->file(p) != nullptr ? p : "";
}

void md_set_file(mdconfig_run &r, const std::string &fn) {
  std::string p = realpath_of(fn);
  if (p.empty()) errc(r.io, 1, kern::B_ENOENT, "could not find full path for %s", fn.c_str());
  r.file = p;
  // fstat(2): st_size, in bytes; the kernel prunes it to whole sectors
  // and refuses less than one sector.
  if (r.mdio.md_mediasize == 0) r.mdio.md_mediasize = machine::current()->file_length(p);
}

// geom_config_get over a provider's configuration.
const char *config_get(const gprovider &pp, const char *name) {
  return find_config(pp.config, name);
}

// Is `name` ("md3") in the comma separated list ("md3,4,/dev/md5")?
bool md_find(const std::string &list, const std::string &name) {
  size_t b = 0;
  while (b <= list.size()) {
    size_t e = list.find(',', b);
    if (e == std::string::npos) e = list.size();
    std::string u = list.substr(b, e - b);
    if (u.compare(0, 5, "/dev/") == 0) u = u.substr(5);
    if (u == name || std::string(MD_NAME) + u == name) return true;
    b = e + 1;
  }
  return false;
}

void md_prthumanval(proc_io &io, const char *length) {
  char *end;
  errno = 0;
  unsigned long long bytes = std::strtoull(length, &end, 10);
  if (errno != 0 || *end != '\0' || bytes > (unsigned long long)INT64_MAX) return;
  io.print("%6s", humanize_number(bytes).c_str());
}

int md_list(mdconfig_run &r, const char *units, int opt, const char *fflag) {
  gmesh mesh;
  if (geom_gettree(mesh) != 0) return -1;
  const gclass *cls = mesh.find_class("MD");
  // FreeBSD walks devstat's list; the simulator lists units in order.
  std::vector<std::pair<long, const gprovider *>> pps;
  if (cls != nullptr) {
    for (const auto &gp : cls->geoms) {
      if (gp->wither) continue;
      for (const auto &pp : gp->providers) {
        const char *u = config_get(*pp, "unit");
        pps.push_back({u != nullptr ? std::atol(u) : 0, pp.get()});
      }
    }
  }
  std::stable_sort(pps.begin(), pps.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  bool ffound = false, ufound = false;
  for (const auto &[unit, pp] : pps) {
    if ((opt & OPT_UNIT) && units != nullptr) {
      if (!md_find(units, pp->name)) continue;
      ufound = true;
    }
    const char *type = config_get(*pp, "type");
    const char *file = nullptr;
    if (type == nullptr) type = "unknown";
    if (std::strcmp(type, "vnode") == 0) {
      file = config_get(*pp, "file");
      if (fflag != nullptr && (file == nullptr || std::strcmp(fflag, file) != 0)) continue;
      ffound = true;
    } else if (fflag != nullptr) {
      continue;
    }
    if (r.nflag && pp->name.compare(0, 2, MD_NAME) == 0) r.io.print("%s", pp->name.c_str() + 2);
    else r.io.print("%s", pp->name.c_str());
    if ((opt & OPT_VERBOSE) || ((opt & OPT_UNIT) && fflag == nullptr)) {
      const char *length = config_get(*pp, "length");
      r.io.print("\t%s\t", type);
      if (length != nullptr) md_prthumanval(r.io, length);
      if (file != nullptr) r.io.print("\t%s", file);
    }
    opt |= OPT_DONE;
    if ((opt & OPT_LIST) && !(opt & OPT_VERBOSE)) r.io.print(" ");
    else r.io.print("\n");
  }
  if ((opt & OPT_LIST) && (opt & OPT_DONE) && !(opt & OPT_VERBOSE)) r.io.print("\n");
  if (opt & OPT_UNIT) {
    if ((fflag == nullptr && ufound) || (fflag != nullptr && ffound)) return 0;
  } else if (opt & OPT_LIST) {
    if (fflag == nullptr || ffound) return 0;
  }
  return -1;
}

int run(mdconfig_run &r, const std::vector<std::string> &argv) {
  proc_io &io = r.io;
  md_ioctl &mdio = r.mdio;
  int vflag = 0;
  std::string fflag, sflag, tflag, uflag;
  bool have_f = false, have_s = false, have_t = false, have_u = false;

  if (argv.size() == 1) usage(io);

  getopt g(argv, "ab:df:lno:rs:S:t:u:vx:y:", io);
  int ch;
  while ((ch = g.next()) != -1) {
    switch (ch) {
      case 'a':
        if (r.act != action::unset && r.act != action::attach)
          errx(io, 1, "-a is mutually exclusive with -d, -r, and -l");
        r.act = action::attach;
        break;
      case 'd':
        if (r.act != action::unset && r.act != action::detach)
          errx(io, 1, "-d is mutually exclusive with -a, -r, and -l");
        r.act = action::detach;
        mdio.md_options |= MD_AUTOUNIT;
        break;
      case 'r':
        if (r.act != action::unset && r.act != action::resize)
          errx(io, 1, "-r is mutually exclusive with -a, -d, and -l");
        r.act = action::resize;
        mdio.md_options |= MD_AUTOUNIT;
        break;
      case 'l':
        if (r.act != action::unset && r.act != action::list)
          errx(io, 1, "-l is mutually exclusive with -a, -r, and -d");
        r.act = action::list;
        mdio.md_options |= MD_AUTOUNIT;
        break;
      case 'n':
        r.nflag = true;
        break;
      case 't':
        if (have_t) errx(io, 1, "-t can be passed only once");
        have_t = true;
        tflag = g.optarg;
        if (tflag == "malloc") {
          mdio.md_type = MD_MALLOC;
          mdio.md_options |= MD_AUTOUNIT | MD_COMPRESS;
        } else if (tflag == "vnode") {
          mdio.md_type = MD_VNODE;
          mdio.md_options |= MD_CLUSTER | MD_AUTOUNIT | MD_COMPRESS;
        } else if (tflag == "swap") {
          mdio.md_type = MD_SWAP;
          mdio.md_options |= MD_CLUSTER | MD_AUTOUNIT | MD_COMPRESS;
        } else if (tflag == "null") {
          mdio.md_type = MD_NULL;
          mdio.md_options |= MD_CLUSTER | MD_AUTOUNIT | MD_COMPRESS;
        } else {
          errx(io, 1, "unknown type: %s", g.optarg.c_str());
        }
        break;
      case 'f':
        if (have_f) errx(io, 1, "-f can be passed only once");
        fflag = realpath_of(g.optarg);
        if (fflag.empty()) errc(io, 1, kern::B_ENOENT, "realpath");
        have_f = true;
        break;
      case 'o': {
        const std::string &o = g.optarg;
        if (o == "async") mdio.md_options |= MD_ASYNC;
        else if (o == "noasync") mdio.md_options &= ~MD_ASYNC;
        else if (o == "cluster") mdio.md_options |= MD_CLUSTER;
        else if (o == "nocluster") mdio.md_options &= ~MD_CLUSTER;
        else if (o == "compress") mdio.md_options |= MD_COMPRESS;
        else if (o == "nocompress") mdio.md_options &= ~MD_COMPRESS;
        else if (o == "force") mdio.md_options |= MD_FORCE;
        else if (o == "noforce") mdio.md_options &= ~MD_FORCE;
        else if (o == "readonly") mdio.md_options |= MD_READONLY;
        else if (o == "noreadonly") mdio.md_options &= ~MD_READONLY;
        else if (o == "reserve") mdio.md_options |= MD_RESERVE;
        else if (o == "noreserve") mdio.md_options &= ~MD_RESERVE;
        else errx(io, 1, "unknown option: %s", o.c_str());
        break;
      }
      case 'S': {
        size_t end;
        mdio.md_sectorsize = (unsigned)parse_number(g.optarg, end);
        break;
      }
      case 's': {
        if (have_s) errx(io, 1, "-s can be passed only once");
        have_s = true;
        sflag = g.optarg;
        size_t end;
        uint64_t v = parse_number(sflag, end);
        const char *p = sflag.c_str() + end;
        if (*p == '\0') v *= DEV_BSIZE_;
        else if (*p == 'b' || *p == 'B') ; /* do nothing */
        else if (*p == 'k' || *p == 'K') v <<= 10;
        else if (*p == 'm' || *p == 'M') v <<= 20;
        else if (*p == 'g' || *p == 'G') v <<= 30;
        else if (*p == 't' || *p == 'T') v <<= 40;
        else if (*p == 'p' || *p == 'P') v <<= 50;
        else errx(io, 1, "unknown suffix on -s argument");
        mdio.md_mediasize = (off_t)v;
        break;
      }
      case 'u': {
        std::string u = g.optarg;
        if (u.compare(0, 5, "/dev/") == 0) u = u.substr(5);
        if (u.compare(0, 2, MD_NAME) == 0) u = u.substr(2);
        uflag = u;
        have_u = true;
        break;
      }
      case 'v':
        vflag = OPT_VERBOSE;
        break;
      case 'x': {
        size_t end;
        mdio.md_fwsectors = (int)parse_number(g.optarg, end);
        break;
      }
      case 'y': {
        size_t end;
        mdio.md_fwheads = (int)parse_number(g.optarg, end);
        break;
      }
      default:
        usage(io);
    }
  }
  std::vector<std::string> args(argv.begin() + (long)g.optind, argv.end());

  if (r.act == action::unset) r.act = action::attach;

  if (r.act == action::attach) {
    if (!have_t) {
      // Try to infer the type based on other arguments.
      if (have_f || !args.empty()) {
        mdio.md_type = MD_VNODE;
        mdio.md_options |= MD_CLUSTER | MD_AUTOUNIT | MD_COMPRESS;
      } else if (have_s) {
        mdio.md_type = MD_SWAP;
        mdio.md_options |= MD_CLUSTER | MD_AUTOUNIT | MD_COMPRESS;
      } else {
        errx(io, 1, "unable to determine type");
      }
    }
    if ((have_f || !args.empty()) && mdio.md_type != MD_VNODE)
      errx(io, 1, "only -t vnode can be used with file name");
    if (mdio.md_type == MD_VNODE) {
      if (have_f) {
        if (!args.empty()) usage(io);
        md_set_file(r, fflag);
      } else {
        if (args.size() != 1) usage(io);
        md_set_file(r, args[0]);
      }
      std::shared_ptr<media> f = machine::current()->file(r.file);
      if ((mdio.md_options & MD_READONLY) == 0 && f->config().read_only) {
        io.warnx("WARNING: opening backing store: %s readonly", r.file.c_str());
        mdio.md_options |= MD_READONLY;
      }
    }
    if ((mdio.md_type == MD_MALLOC || mdio.md_type == MD_SWAP || mdio.md_type == MD_NULL) &&
        !have_s)
      errx(io, 1, "must specify -s for -t malloc, -t swap, or -t null");
    if (mdio.md_type == MD_VNODE && r.file.empty()) errx(io, 1, "must specify -f for -t vnode");
  } else {
    if (mdio.md_sectorsize != 0) errx(io, 1, "-S can only be used with -a");
    if (r.act != action::resize && have_s) errx(io, 1, "-s can only be used with -a and -r");
    if (mdio.md_fwsectors != 0) errx(io, 1, "-x can only be used with -a");
    if (mdio.md_fwheads != 0) errx(io, 1, "-y can only be used with -a");
    if (have_f && r.act != action::list) errx(io, 1, "-f can only be used with -a and -l");
    if (have_t) errx(io, 1, "-t can only be used with -a");
    if (!args.empty()) errx(io, 1, "file can only be used with -a");
    if ((r.act != action::detach && r.act != action::resize) &&
        (mdio.md_options & ~MD_AUTOUNIT) != 0)
      errx(io, 1, "-o can only be used with -a, -d, and -r");
    if (r.act == action::detach && (mdio.md_options & ~(MD_FORCE | MD_AUTOUNIT)) != 0)
      errx(io, 1, "only -o [no]force can be used with -d");
    if (r.act == action::resize &&
        (mdio.md_options & ~(MD_FORCE | MD_RESERVE | MD_AUTOUNIT)) != 0)
      errx(io, 1, "only -o [no]force and -o [no]reserve can be used with -r");
  }

  if (r.act == action::resize && !have_s) errx(io, 1, "must specify -s for -r");
  if (r.act != action::list && vflag == OPT_VERBOSE) errx(io, 1, "-v can only be used with -l");

  if (have_u) {
    size_t end;
    errno = 0;
    unsigned long long u = parse_number(uflag, end);
    if (uflag.empty() || end != uflag.size() || errno == ERANGE || u > UINT_MAX)
      errx(io, 1, "bad unit: %s", uflag.c_str());
    mdio.md_unit = (unsigned)u;
    mdio.md_options &= ~MD_AUTOUNIT;
  }

  mdio.md_version = MDIOVERSION;

  bool loaded = false;
  for (const std::string &m : kern::sys_kldstat())
    if (m == "g_md") loaded = true;
  if (!loaded && kern::sys_kldload("geom_md") != 0)
    errc(io, 1, kern::B_ENOENT, "failed to load geom_md module");

  if (!r.file.empty()) mdio.md_file = r.file.data();

  int error;
  switch (r.act) {
    case action::attach:
      error = mdctl_ioctl(MDIOCATTACH, &mdio);
      if (error != 0) errc(io, 1, error, "ioctl(%s)", CTLPATH);
      if (mdio.md_options & MD_AUTOUNIT) io.print("%s%d\n", r.nflag ? "" : MD_NAME, mdio.md_unit);
      break;
    case action::detach:
      if (mdio.md_options & MD_AUTOUNIT) errx(io, 1, "-d requires -u");
      error = mdctl_ioctl(MDIOCDETACH, &mdio);
      if (error != 0) errc(io, 1, error, "ioctl(%s)", CTLPATH);
      break;
    case action::resize:
      if (mdio.md_options & MD_AUTOUNIT) errx(io, 1, "-r requires -u");
      error = mdctl_ioctl(MDIOCRESIZE, &mdio);
      if (error != 0) errc(io, 1, error, "ioctl(%s)", CTLPATH);
      // What lay past a smaller size is no longer what was written.
      if (oracle *o = oracle::current())
        o->truncate(std::string("/dev/") + MD_NAME + std::to_string(mdio.md_unit),
                    (int64_t)mdio.md_mediasize);
      break;
    case action::list: {
      const char *f = have_f ? fflag.c_str() : nullptr;
      int rc;
      if (mdio.md_options & MD_AUTOUNIT) rc = md_list(r, nullptr, OPT_LIST | vflag, f);
      else rc = md_list(r, uflag.c_str(), vflag | OPT_UNIT, f);
      return rc == 0 ? 0 : 255;  // main returns -1
    }
    case action::unset:
      usage(io);
  }
  return 0;
}

int mdconfig_main(const std::vector<std::string> &argv, proc_io &io) {
  if (io.progname.empty()) io.progname = "mdconfig";
  mdconfig_run r(io);
  try {
    return run(r, argv);
  } catch (const exit_status &e) {
    return e.status;
  }
}

}  // namespace

SIM_PROGRAM(mdconfig, "mdconfig", mdconfig_main,
            "mdconfig -a -t type [-n] [-o [no]option] ... [-f file] [-s size] "
            "[-S sectorsize] [-u unit] [-x sectors/track] [-y heads/cylinder] | "
            "mdconfig -d -u unit [-o [no]force] | mdconfig -r -u unit -s size [-o [no]force] | "
            "mdconfig -l [-v] [-n] [-f file] [-u unit] | "
            "mdconfig file",
            "create and control memory disks");

}  // namespace sim
