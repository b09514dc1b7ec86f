// geom(8) and its helpers. See sim/userland/geom_core.h.
#include "sim/userland/geom_core.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>

#include "kern/bsd_errno.h"
#include "sim/userland/libgeom.h"

namespace sim {

const char *const G_VAL_OPTIONAL = "\x01optional";

namespace {

constexpr uint32_t kGctlParamRd = 1, kGctlParamWr = 2, kGctlParamAscii = 4;

std::string vfmt(const char *fmt, va_list ap) {
  char buf[1024];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

std::map<std::string, const geom_class_lib *> &libs() {
  static std::map<std::string, const geom_class_lib *> m;
  return m;
}

thread_local int tls_errno = 0;

}  // namespace

int &g_errno() { return tls_errno; }

void register_geom_class_lib(const geom_class_lib *lib) { libs()[lib->name] = lib; }

const geom_class_lib *find_geom_class_lib(const std::string &name) {
  auto it = libs().find(name);
  return it == libs().end() ? nullptr : it->second;
}

void g_exit(int status) { throw exit_status{status}; }

void errx(proc_io &io, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  io.put_err(io.progname + ": " + vfmt(fmt, ap) + "\n");
  va_end(ap);
  g_exit(status);
}

void errc(proc_io &io, int status, int error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  io.put_err(io.progname + ": " + vfmt(fmt, ap) + ": " + kern::bsd_strerror(error) + "\n");
  va_end(ap);
  g_exit(status);
}

// ------------------------------------------------------------ gctl_req

void gctl_req::ro_param(const std::string &name, int len, const void *value) {
  kern::gctl_arg a;
  a.name = name;
  a.flag = kGctlParamRd;
  if (len < 0) {
    const char *s = (const char *)value;
    a.flag |= kGctlParamAscii;
    a.value.assign(s, s + std::strlen(s) + 1);
  } else {
    a.value.assign((const char *)value, (const char *)value + len);
  }
  args.push_back(std::move(a));
}

void gctl_req::rw_param(const std::string &name, int len, void *buf) {
  kern::gctl_arg a;
  a.name = name;
  a.flag = kGctlParamRd | kGctlParamWr;
  a.value.assign((const char *)buf, (const char *)buf + len);
  args.push_back(std::move(a));
  rw_bufs_.push_back({name, (char *)buf});
}

const kern::gctl_arg *gctl_req::find(const std::string &name) const {
  for (const auto &a : args)
    if (a.name == name) return &a;
  return nullptr;
}

bool gctl_req::has(const std::string &name) const { return find(name) != nullptr; }

int gctl_req::get_int(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string name = vfmt(fmt, ap);
  va_end(ap);
  const kern::gctl_arg *a = find(name);
  if (a == nullptr || a->value.size() != sizeof(int)) {
    std::fprintf(stderr, "geomsim: geom(8): no int parameter \"%s\"\n", name.c_str());
    g_exit(70);
  }
  int v;
  std::memcpy(&v, a->value.data(), sizeof v);
  return v;
}

intmax_t gctl_req::get_intmax(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string name = vfmt(fmt, ap);
  va_end(ap);
  const kern::gctl_arg *a = find(name);
  if (a == nullptr || a->value.size() != sizeof(intmax_t)) {
    std::fprintf(stderr, "geomsim: geom(8): no number parameter \"%s\"\n", name.c_str());
    g_exit(70);
  }
  intmax_t v;
  std::memcpy(&v, a->value.data(), sizeof v);
  return v;
}

const char *gctl_req::get_ascii(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string name = vfmt(fmt, ap);
  va_end(ap);
  const kern::gctl_arg *a = find(name);
  if (a == nullptr || !(a->flag & kGctlParamAscii)) return nullptr;
  return a->value.data();
}

void gctl_req::set_error(const char *fmt, ...) {
  if (!error.empty()) return;  // only the first
  va_list ap;
  va_start(ap, fmt);
  error = vfmt(fmt, ap);
  va_end(ap);
}

const std::string &gctl_req::issue() {
  if (!error.empty()) return error;
  std::string kerr;
  int e = kern::sys_geom_ctl(args, kerr);
  for (auto &[name, buf] : rw_bufs_) {
    const kern::gctl_arg *a = find(name);
    if (a) std::memcpy(buf, a->value.data(), a->value.size());
  }
  if (!kerr.empty()) error = kerr;
  else if (e != 0) error = kern::bsd_strerror(e);
  return error;
}

// ------------------------------------------------------- misc/subr.c

std::string g_device_path(const std::string &name) {
  if (name.compare(0, 5, "/dev/") == 0) return name;
  return "/dev/" + name;
}

namespace {
int g_open(const char *name, bool write) {
  int fd;
  int e = kern::sys_open(g_device_path(name), write ? kern::BSD_O_RDWR : kern::BSD_O_RDONLY, fd);
  if (e != 0) {
    tls_errno = e;
    return -1;
  }
  return fd;
}
}  // namespace

int64_t g_get_mediasize(const char *name) {
  int fd = g_open(name, false);
  if (fd < 0) return 0;
  int64_t size = 0;
  int e = kern::sys_diocgmediasize(fd, size);
  kern::sys_close(fd);
  if (e != 0) {
    tls_errno = e;
    return 0;
  }
  return size;
}

unsigned g_get_sectorsize(const char *name) {
  int fd = g_open(name, false);
  if (fd < 0) return 0;
  unsigned size = 0;
  int e = kern::sys_diocgsectorsize(fd, size);
  kern::sys_close(fd);
  if (e != 0) {
    tls_errno = e;
    return 0;
  }
  return size;
}

int g_metadata_clear(const char *name, const char *magic) {
  int fd = g_open(name, true);
  if (fd < 0) return tls_errno;
  int error = 0;
  int64_t mediasize = 0;
  unsigned sectorsize = 0;
  std::vector<unsigned char> sector;
  size_t done;
  if ((error = kern::sys_diocgmediasize(fd, mediasize)) != 0) goto out;
  if ((error = kern::sys_diocgsectorsize(fd, sectorsize)) != 0) goto out;
  sector.assign(sectorsize, 0);
  if (magic != nullptr) {
    error = kern::sys_pread(fd, sector.data(), sectorsize, mediasize - sectorsize, done);
    if (error == 0 && done != sectorsize) error = kern::B_EIO;
    if (error != 0) goto out;
    if (std::strncmp((const char *)sector.data(), magic, sectorsize) != 0) {
      error = kern::B_EINVAL;
      goto out;
    }
  }
  std::fill(sector.begin(), sector.end(), 0);
  error = kern::sys_pwrite(fd, sector.data(), sectorsize, mediasize - sectorsize, done);
  if (error == 0 && done != sectorsize) error = kern::B_EIO;
  if (error == 0) (void)kern::sys_diocgflush(fd);
out:
  kern::sys_close(fd);
  return error;
}

int g_metadata_store(const char *name, const unsigned char *md, size_t size) {
  int fd = g_open(name, true);
  if (fd < 0) return tls_errno;
  int error;
  int64_t mediasize = 0;
  unsigned sectorsize = 0;
  std::vector<unsigned char> sector;
  size_t done;
  if ((error = kern::sys_diocgmediasize(fd, mediasize)) != 0) goto out;
  if ((error = kern::sys_diocgsectorsize(fd, sectorsize)) != 0) goto out;
  sector.assign(sectorsize, 0);
  std::memcpy(sector.data(), md, std::min<size_t>(size, sectorsize));
  error = kern::sys_pwrite(fd, sector.data(), sectorsize, mediasize - sectorsize, done);
  if (error == 0 && done != sectorsize) error = kern::B_EIO;
  if (error == 0) (void)kern::sys_diocgflush(fd);
out:
  kern::sys_close(fd);
  return error;
}

int g_metadata_read(const char *name, unsigned char *md, size_t size, const char *magic) {
  int fd = g_open(name, false);
  if (fd < 0) return tls_errno;
  int error;
  int64_t mediasize = 0;
  unsigned sectorsize = 0;
  std::vector<unsigned char> sector;
  size_t done;
  if ((error = kern::sys_diocgmediasize(fd, mediasize)) != 0) goto out;
  if ((error = kern::sys_diocgsectorsize(fd, sectorsize)) != 0) goto out;
  sector.assign(sectorsize, 0);
  error = kern::sys_pread(fd, sector.data(), sectorsize, mediasize - sectorsize, done);
  if (error == 0 && done != sectorsize) error = kern::B_EIO;
  if (error != 0) goto out;
  if (magic != nullptr && std::strncmp((const char *)sector.data(), magic, sectorsize) != 0) {
    error = kern::B_EINVAL;
    goto out;
  }
  std::memcpy(md, sector.data(), std::min<size_t>(size, sectorsize));
out:
  kern::sys_close(fd);
  return error;
}

// -------------------------------------------------------------- geom(8)

namespace {

struct geom_run {
  std::string comm;        // "gvirstor" or "geom virstor"
  std::string class_name;  // "virstor"
  std::string gclass_name; // "VIRSTOR"
  const geom_class_lib *lib;
  proc_io &io;
  bool verbose = false;
};

std::vector<g_command> std_commands() {
  return {
      {"help", 0, nullptr, {}, nullptr},
      {"list", 0, nullptr, {{'a', "all", nullptr, G_TYPE_BOOL}}, "[-a] [name ...]"},
      {"status", 0, nullptr,
       {{'a', "all", nullptr, G_TYPE_BOOL}, {'g', "geoms", nullptr, G_TYPE_BOOL},
        {'s', "script", nullptr, G_TYPE_BOOL}},
       "[-ags] [name ...]"},
      {"load", G_FLAG_VERBOSE | G_FLAG_LOADKLD, nullptr, {}, nullptr},
      {"unload", G_FLAG_VERBOSE, nullptr, {}, nullptr},
  };
}

const g_command *find_command(const std::vector<g_command> &cmds, const std::string &name) {
  for (const auto &c : cmds)
    if (name == c.name) return &c;
  return nullptr;
}

void usage_command(geom_run &r, const g_command &cmd, const char *prefix) {
  if (cmd.usage != nullptr) {
    std::string u = cmd.usage;
    size_t b = 0;
    while (b <= u.size()) {
      size_t e = u.find('\n', b);
      if (e == std::string::npos) e = u.size();
      std::string line = u.substr(b, e - b);
      if (!line.empty())
        r.io.eprint("%s %s %s %s\n", prefix, r.comm.c_str(), cmd.name, line.c_str());
      b = e + 1;
    }
    return;
  }
  r.io.eprint("%s %s %s", prefix, r.comm.c_str(), cmd.name);
  if (cmd.flags & G_FLAG_VERBOSE) r.io.eprint(" [-v]");
  for (const g_option &o : cmd.options) {
    bool opt = o.val != nullptr || o.type == G_TYPE_BOOL;
    r.io.eprint(opt ? " [" : " ");
    r.io.eprint("-%c", o.ch);
    if (o.type != G_TYPE_BOOL) r.io.eprint(" %s", o.name);
    if (opt) r.io.eprint("]");
  }
  r.io.eprint("\n");
}

[[noreturn]] void usage(geom_run &r) {
  r.io.usage_error = true;
  const char *prefix = "usage:";
  if (r.lib != nullptr) {
    for (const auto &c : r.lib->commands) {
      usage_command(r, c, prefix);
      prefix = "      ";
    }
  }
  for (const auto &c : std_commands()) {
    if (r.lib != nullptr && find_command(r.lib->commands, c.name) != nullptr) continue;
    usage_command(r, c, prefix);
    prefix = "      ";
  }
  g_exit(1);
}

bool class_in_kernel(geom_run &r) {
  gmesh mesh;
  int error = geom_gettree(mesh);
  if (error != 0) errc(r.io, 1, error, "Cannot get GEOM tree");
  return mesh.find_class(r.gclass_name) != nullptr;
}

void load_module(geom_run &r) {
  // modfind("g_<class>"), else kldload("geom_<class>").
  for (const auto &m : kern::sys_kldstat())
    if (m == "g_" + r.class_name) return;
  int error = kern::sys_kldload("geom_" + r.class_name);
  if (error != 0 && error != kern::B_EEXIST)
    errc(r.io, 1, error, "cannot load %s", ("geom_" + r.class_name).c_str());
}

void set_option(geom_run &r, gctl_req &req, const g_option &o, const std::string &val) {
  if (o.type == G_TYPE_NUMBER) {
    uint64_t n;
    if (!expand_number(val, n)) {
      r.io.usage_error = true;
      errc(r.io, 1, kern::B_EINVAL, "Invalid value for '%c' argument", o.ch);
    }
    intmax_t v = (intmax_t)n;
    req.ro_param(o.name, sizeof v, &v);
  } else if (o.type == G_TYPE_STRING) {
    req.ro_param(o.name, -1, val.c_str());
  } else {
    int v = val.empty() ? 0 : (int)(val[0] - '0');
    req.ro_param(o.name, sizeof v, &v);
  }
}

void parse_arguments(geom_run &r, const g_command &cmd, gctl_req &req,
                     const std::vector<std::string> &argv, size_t &first_arg) {
  std::string opts;
  if (cmd.flags & G_FLAG_VERBOSE) opts += "v";
  for (const g_option &o : cmd.options) {
    opts += o.ch;
    if (o.type != G_TYPE_BOOL) opts += ":";
  }
  std::vector<bool> done(cmd.options.size(), false);
  getopt g(argv, opts.c_str(), r.io);
  int ch;
  while ((ch = g.next()) != -1) {
    if (ch == 'v' && (cmd.flags & G_FLAG_VERBOSE)) {
      r.verbose = true;
      continue;
    }
    size_t k = 0;
    for (; k < cmd.options.size(); k++)
      if (cmd.options[k].ch == ch) break;
    if (ch == '?' || k == cmd.options.size()) usage(r);
    if (done[k]) {
      r.io.warnx("Option '%c' specified twice.", ch);
      usage(r);
    }
    done[k] = true;
    set_option(r, req, cmd.options[k], cmd.options[k].type == G_TYPE_BOOL ? "1" : g.optarg);
  }
  first_arg = g.optind;
  for (size_t k = 0; k < cmd.options.size(); k++) {
    const g_option &o = cmd.options[k];
    if (done[k]) continue;
    if (o.type == G_TYPE_BOOL) {
      set_option(r, req, o, "0");
    } else if (o.val == nullptr) {
      r.io.warnx("Option '%c' not specified.", o.ch);
      usage(r);
    } else if (o.val != G_VAL_OPTIONAL) {
      set_option(r, req, o, o.val);
    }
  }
  int nargs = (int)(argv.size() - first_arg);
  req.ro_param("nargs", sizeof nargs, &nargs);
  for (int i = 0; i < nargs; i++)
    req.ro_param("arg" + std::to_string(i), -1, argv[first_arg + (size_t)i].c_str());
}

// --- list

void list_one_provider_fields(geom_run &r, const gprovider &pp, const std::string &mode,
                              const char *prefix) {
  r.io.print("Name: %s\n", pp.name.c_str());
  r.io.print("%sMediasize: %jd (%s)\n", prefix, (intmax_t)pp.mediasize,
             humanize_number((uint64_t)pp.mediasize).c_str());
  r.io.print("%sSectorsize: %u\n", prefix, pp.sectorsize);
  if (pp.stripesize > 0 || pp.stripeoffset > 0) {
    r.io.print("%sStripesize: %ju\n", prefix, (uintmax_t)pp.stripesize);
    r.io.print("%sStripeoffset: %ju\n", prefix, (uintmax_t)pp.stripeoffset);
  }
  r.io.print("%sMode: %s\n", prefix, mode.c_str());
}

void list_one_geom(geom_run &r, const ggeom &gp) {
  r.io.print("Geom name: %s\n", gp.name.c_str());
  for (const gconfig &c : gp.config) r.io.print("%s: %s\n", c.name.c_str(), c.val.c_str());
  if (!gp.providers.empty()) {
    r.io.print("Providers:\n");
    unsigned n = 1;
    for (const auto &pp : gp.providers) {
      r.io.print("%u. ", n++);
      list_one_provider_fields(r, *pp, pp->mode, "   ");
      for (const gconfig &c : pp->config) r.io.print("   %s: %s\n", c.name.c_str(), c.val.c_str());
    }
  }
  if (!gp.consumers.empty()) {
    r.io.print("Consumers:\n");
    unsigned n = 1;
    for (const auto &cp : gp.consumers) {
      r.io.print("%u. ", n++);
      if (cp->provider == nullptr) r.io.print("[no provider]\n");
      else list_one_provider_fields(r, *cp->provider, cp->mode, "   ");
      for (const gconfig &c : cp->config) r.io.print("   %s: %s\n", c.name.c_str(), c.val.c_str());
    }
  }
  r.io.print("\n");
}

void std_list(geom_run &r, gctl_req &req) {
  gmesh mesh;
  int error = geom_gettree(mesh);
  if (error != 0) errc(r.io, 1, error, "Cannot get GEOM tree");
  gclass *cls = mesh.find_class(r.gclass_name);
  if (cls == nullptr) errx(r.io, 1, "Class %s not found.", r.gclass_name.c_str());
  int nargs = req.get_int("nargs");
  int all = req.get_int("all");
  if (nargs > 0) {
    for (int i = 0; i < nargs; i++) {
      const char *name = req.get_ascii("arg%d", i);
      ggeom *gp = find_geom(cls, name);
      if (gp == nullptr) errx(r.io, 1, "No such geom: %s.", name);
      list_one_geom(r, *gp);
    }
  } else {
    for (const auto &gp : cls->geoms) {
      if (gp->providers.empty() && !all) continue;
      list_one_geom(r, *gp);
    }
  }
}

// --- status

std::string status_one_consumer(const gconsumer &cp, bool &ok) {
  ok = cp.provider != nullptr;
  if (!ok) return "";
  const char *state = find_config(cp.config, "State");
  const char *syncr = find_config(cp.config, "Synchronized");
  std::string s = cp.provider->name;
  if (state && syncr) s += std::string(" (") + state + ", " + syncr + ")";
  else if (state || syncr) s += std::string(" (") + (state ? state : syncr) + ")";
  return s;
}

struct status_row {
  std::string name, status;
  std::vector<std::string> comps;
};

status_row status_for(const ggeom &gp, const gprovider *pp) {
  status_row row;
  row.name = pp ? pp->name : gp.name;
  const char *st = pp ? find_config(pp->config, "state") : nullptr;
  if (st == nullptr) st = find_config(gp.config, "state");
  row.status = st ? st : "N/A";
  for (const auto &cp : gp.consumers) {
    bool ok;
    std::string c = status_one_consumer(*cp, ok);
    if (ok) row.comps.push_back(c);
  }
  return row;
}

void std_status(geom_run &r, gctl_req &req) {
  gmesh mesh;
  int error = geom_gettree(mesh);
  if (error != 0) errc(r.io, 1, error, "Cannot get GEOM tree");
  gclass *cls = mesh.find_class(r.gclass_name);
  if (cls == nullptr) errx(r.io, 1, "Class %s not found.", r.gclass_name.c_str());
  int nargs = req.get_int("nargs");
  int all = req.get_int("all");
  int geoms = req.get_int("geoms");
  int script = req.get_int("script");
  std::vector<const ggeom *> list;
  if (nargs > 0) {
    for (int i = 0; i < nargs; i++) {
      const char *name = req.get_ascii("arg%d", i);
      ggeom *gp = find_geom(cls, name);
      if (gp == nullptr) errx(r.io, 1, "No such geom: %s.", name);
      list.push_back(gp);
    }
  } else {
    for (const auto &gp : cls->geoms) {
      if (gp->providers.empty() && !all) continue;
      list.push_back(gp.get());
    }
  }
  std::vector<status_row> rows;
  for (const ggeom *gp : list) {
    if (geoms || gp->providers.empty()) {
      rows.push_back(status_for(*gp, nullptr));
    } else {
      for (const auto &pp : gp->providers) rows.push_back(status_for(*gp, pp.get()));
    }
  }
  if (rows.empty()) return;
  int name_len = script ? 0 : 4, status_len = script ? 0 : 6;
  for (const auto &row : rows) {
    name_len = std::max(name_len, (int)row.name.size());
    status_len = std::max(status_len, (int)row.status.size());
  }
  if (!script) r.io.print("%*s  %*s  %s\n", name_len, "Name", status_len, "Status", "Components");
  for (const auto &row : rows) {
    std::string name = row.name, status = row.status;
    if (row.comps.empty()) {
      r.io.print("%*s  %*s  %s\n", name_len, name.c_str(), status_len, status.c_str(), "N/A");
      continue;
    }
    for (const auto &c : row.comps) {
      r.io.print("%*s  %*s  %s\n", name_len, name.c_str(), status_len, status.c_str(), c.c_str());
      if (!script) name = status = "";
    }
  }
}

void run_command(geom_run &r, const std::vector<std::string> &argv) {
  bool standard = false;
  const g_command *cmd = r.lib ? find_command(r.lib->commands, argv[0]) : nullptr;
  std::vector<g_command> stdcmds = std_commands();
  if (cmd == nullptr) {
    cmd = find_command(stdcmds, argv[0]);
    if (cmd == nullptr) {
      r.io.warnx("Unknown command: %s.", argv[0].c_str());
      usage(r);
    }
    standard = true;
    std::string n = cmd->name;
    bool available = true;
    if (n == "list" || n == "status") available = class_in_kernel(r);
    else if (n == "load") available = !class_in_kernel(r);
    else if (n == "unload") available = class_in_kernel(r);
    if (!available) errx(r.io, 1, "Command '%s' not available; try 'load' first.", argv[0].c_str());
  }
  if (cmd->flags & G_FLAG_LOADKLD) load_module(r);

  gctl_req req;
  req.ro_param("class", -1, r.gclass_name.c_str());
  req.ro_param("verb", -1, argv[0].c_str());
  if (r.lib != nullptr && r.lib->version != nullptr)
    req.ro_param("version", sizeof(uint32_t), r.lib->version);
  size_t first_arg;
  parse_arguments(r, *cmd, req, argv, first_arg);

  char buf[4096];
  std::memset(buf, 0, sizeof buf);
  std::string errstr;
  if (standard) {
    std::string n = cmd->name;
    if (n == "help") usage(r);
    else if (n == "list") std_list(r, req);
    else if (n == "status") std_status(r, req);
    else if (n == "unload") {
      int error = kern::sys_kldunload("geom_" + r.class_name);
      if (error != 0) req.set_error("Could not unload module: %s.", kern::bsd_strerror(error));
    }
    errstr = req.error;
  } else if (cmd->func) {
    cmd->func(req, r.verbose ? G_FLAG_VERBOSE : 0, r.io);
    errstr = req.error;
  } else {
    req.rw_param("output", sizeof buf, buf);
    errstr = req.issue();
  }
  if (!errstr.empty()) {
    r.io.warnx("%s", errstr.c_str());
    if (errstr.compare(0, 9, "warning: ") != 0) g_exit(1);
  }
  if (buf[0] != '\0') r.io.print("%s", buf);
  if (r.verbose) r.io.print("Done.\n");
}

}  // namespace

int geom_main(const std::string &comm, const std::string &cls,
              const std::vector<std::string> &argv, proc_io &io) {
  geom_run r{comm, cls, cls, find_geom_class_lib(cls), io};
  for (char &c : r.gclass_name) c = (char)toupper((unsigned char)c);
  try {
    if (argv.empty()) usage(r);
    run_command(r, argv);
  } catch (const exit_status &e) {
    return e.status;
  }
  return 0;
}

namespace {
int geom_program(const std::vector<std::string> &argv, proc_io &io) {
  if (argv.size() < 2) {
    io.eprint("usage: geom <class> <command> [options]\n       geom -p <provider-name>\n       geom -t\n");
    return 1;
  }
  if (argv[1] == "help" || argv[1] == "-h") {
    io.print("Available classes:\n");
    std::vector<std::string> names;
    for (const auto &[n, l] : libs()) io.print("  %s\n", n.c_str());
    return 0;
  }
  std::vector<std::string> rest(argv.begin() + 2, argv.end());
  return geom_main("geom " + argv[1], argv[1], rest, io);
}
}  // namespace

SIM_PROGRAM(geom, "geom", geom_program,
            "geom class command [options]",
            "universal control utility for GEOM classes");

}  // namespace sim
