// sim/userland/program.h — simulated userland programs.
//
// A program (mdconfig, gvirstor, dd, ...) is a main function that runs in
// a simulated userland thread of the booted kernel and talks to it only
// through system calls (kern/syscalls.h, and the drivers' own ioctls), as
// the FreeBSD program does. It writes to its proc_io streams and returns
// its exit status. Messages follow FreeBSD's: warn(3)/err(3) style
// "prog: message" on stderr, strerror text from kern::bsd_strerror.
//
// Programs register themselves with SIM_PROGRAM; the scenario interpreter
// and the shell find them by name.
#pragma once

#include <cstdarg>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sim {

class proc_io {
 public:
  std::string progname;
  std::string in;   // standard input
  std::string out;  // standard output
  std::string err;  // standard error
  std::string all;  // both, in the order written (what a terminal shows)
  // Set when the command line itself was wrong (illegal option, missing
  // argument, bad number): the scenario interpreter reports it as a script
  // error rather than a failed command. getopt sets it; so must a
  // program's usage() and argument checks.
  bool usage_error = false;
  // What a command may write to its standard output and error (or to a
  // file through `>`) before the rest is dropped and the script fails:
  // output without end (dd from /dev/zero to the terminal) must not
  // exhaust the host's memory before the host-time limit stops it. Large
  // data goes to files with dd of=, which has no such limit.
  static constexpr size_t kOutputLimit = 64u << 20;
  bool output_cut = false;  // something was dropped

  // Write to the streams only through these, so `all` keeps the order.
  void put_out(const char *data, size_t len);
  void put_err(const std::string &s);
  void print(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  void eprint(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
  // warn(3): "prog: message: strerror(error)" (error is a FreeBSD errno)
  void warn(int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
  // warnx(3): "prog: message"
  void warnx(const char *fmt, ...) __attribute__((format(printf, 2, 3)));

 private:
  // How much of `len` more bytes fits under kOutputLimit (notes a cut).
  size_t room_for(size_t len);
};

using program_main = std::function<int(const std::vector<std::string> &argv, proc_io &io)>;

struct program_info {
  std::string name;
  program_main main;
  std::string synopsis;  // man-page style: "mdconfig -a -t type [-s size] ..."
  std::string summary;   // one line: what it does
};

void register_program(program_info p);
const program_info *find_program(const std::string &name);
std::vector<const program_info *> all_programs();

struct program_registrar {
  program_registrar(const char *name, program_main main, const char *synopsis,
                    const char *summary) {
    register_program({name, std::move(main), synopsis, summary});
  }
};

#define SIM_PROGRAM(ident, name, main, synopsis, summary) \
  static ::sim::program_registrar ident##_program_registrar(name, main, synopsis, summary)

// getopt(3) with FreeBSD's behaviour and messages ("prog: illegal option
// -- x", "prog: option requires an argument -- x"); stops at the first
// non-option or "--".
class getopt {
 public:
  getopt(const std::vector<std::string> &argv, const char *optstring, proc_io &io);
  int next();  // option character, '?' on error, -1 at the end
  std::string optarg;
  size_t optind = 1;

 private:
  const std::vector<std::string> &argv_;
  std::string optstring_;
  proc_io &io_;
  size_t pos_ = 0;  // position inside a group of options ("-abc")
};

// expand_number(3): a size with an optional k/m/g/t/p/e suffix (powers of
// 1024). False if it does not parse or overflows.
bool expand_number(const std::string &s, uint64_t &out);

// FreeBSD's humanize_number as geom(8) and diskinfo(8) use it ("1.0G").
std::string humanize_number(uint64_t bytes);

}  // namespace sim
