// sim/userland/geom_core.h — geom(8): the generic GEOM utility and the
// class libraries it runs (sbin/geom/core and sbin/geom/misc).
//
// A class library (virstor, nop, ...) declares its commands with their
// options, as FreeBSD's geom_<class>.so does. geom_main() parses the
// command line the way geom(8) does (getopt over the declared options,
// defaults for the ones not given, "Option 'x' not specified." for a
// mandatory one), builds a control request (class, verb, version, options,
// nargs, argN) and either runs the class's userland function (label, dump,
// clear) or sends the request to the kernel (GEOM_CTL). An error message
// is printed as "prog: message" and the exit status is 1, unless it starts
// with "warning: ". The standard commands list, status, load, unload and
// help are built in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kern/syscalls.h"
#include "sim/userland/program.h"

namespace sim {

enum g_type : int { G_TYPE_NONE = 0, G_TYPE_BOOL = 1, G_TYPE_STRING = 2, G_TYPE_NUMBER = 3 };
// go_val for an option that is sent only when given.
extern const char *const G_VAL_OPTIONAL;

struct g_option {
  char ch;
  const char *name;
  const char *val;  // default; nullptr: mandatory (or a bool)
  int type;
};

enum : unsigned { G_FLAG_NONE = 0, G_FLAG_VERBOSE = 0x01, G_FLAG_LOADKLD = 0x02 };

// A control request as userland builds it (libgeom's struct gctl_req).
class gctl_req {
 public:
  std::vector<kern::gctl_arg> args;
  std::string error;  // first error recorded (userland or kernel)

  void ro_param(const std::string &name, int len, const void *value);  // len -1: ASCII
  void rw_param(const std::string &name, int len, void *buf);
  // geom(8)'s accessors; a missing parameter is a programming error
  // (FreeBSD asserts): here it aborts the command with a message.
  int get_int(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  intmax_t get_intmax(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  const char *get_ascii(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  bool has(const std::string &name) const;
  // gctl_error(3): records the first message only.
  void set_error(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  // gctl_issue(3): runs the request in the kernel; the error text or "".
  const std::string &issue();

 private:
  const kern::gctl_arg *find(const std::string &name) const;
  std::vector<std::pair<std::string, char *>> rw_bufs_;
};

// What a class's userland function gets: the request, the flags
// (G_FLAG_VERBOSE if -v was given) and the process's streams.
using g_userland_fn = std::function<void(gctl_req &req, unsigned flags, proc_io &io)>;

struct g_command {
  const char *name;
  unsigned flags;
  g_userland_fn func;  // nullptr: the request goes to the kernel
  std::vector<g_option> options;
  const char *usage;   // nullptr: generated from the options
};

struct geom_class_lib {
  const char *name;        // lowercase, as on the command line: "virstor"
  const uint32_t *version; // the class's G_<CLASS>_VERSION, or nullptr
  std::vector<g_command> commands;
};

void register_geom_class_lib(const geom_class_lib *lib);
const geom_class_lib *find_geom_class_lib(const std::string &name);

// Runs geom(8). `comm` is how it was invoked ("gvirstor", or "geom"), `cls`
// the class name; argv[0] is the command (label, list, ...).
int geom_main(const std::string &comm, const std::string &cls,
              const std::vector<std::string> &argv, proc_io &io);

// Ends the running command with an exit status (errx(3) and friends).
struct exit_status {
  int status;
};
[[noreturn]] void g_exit(int status);
[[noreturn]] void errx(proc_io &io, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
[[noreturn]] void errc(proc_io &io, int status, int error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

// sbin/geom/misc/subr.c helpers. On failure they return 0/-1 and leave a
// FreeBSD errno in g_errno().
int &g_errno();
int64_t g_get_mediasize(const char *name);
unsigned g_get_sectorsize(const char *name);
int g_metadata_clear(const char *name, const char *magic);
int g_metadata_store(const char *name, const unsigned char *md, size_t size);
int g_metadata_read(const char *name, unsigned char *md, size_t size, const char *magic);
// "/dev/" + name unless name already has it.
std::string g_device_path(const std::string &name);

}  // namespace sim
