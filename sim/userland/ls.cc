// ls(1): the device nodes under /dev (and its subdirectories) and the
// machine's files, one name per line as ls prints to a pipe.
#include <set>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "sim/userland/files.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

int list_dir(const std::string &dir, proc_io &io, bool &found) {
  // dir is "/dev" or "/dev/sub": names below it, directories once.
  std::string prefix = dir == "/dev" ? "" : dir.substr(5) + "/";
  std::set<std::string> names;
  for (const std::string &n : kern::sys_devfs_list()) {
    if (n.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = n.substr(prefix.size());
    size_t slash = rest.find('/');
    names.insert(slash == std::string::npos ? rest : rest.substr(0, slash));
  }
  // Special nodes every FreeBSD system has.
  if (prefix.empty())
    for (const char *s : {"null", "random", "urandom", "zero"}) names.insert(s);
  found = !names.empty();
  for (const std::string &n : names) io.print("%s\n", n.c_str());
  return 0;
}

int ls_main(const std::vector<std::string> &argv, proc_io &io) {
  getopt g(argv, "1", io);
  int ch;
  while ((ch = g.next()) != -1) {
    if (ch != '1') {
      io.eprint("usage: ls [-1] [file ...]\n");
      return 1;
    }
  }
  std::vector<std::string> paths(argv.begin() + (long)g.optind, argv.end());
  if (paths.empty()) paths.push_back("/dev");
  int status = 0;
  for (std::string p : paths) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p == "/dev" || p.compare(0, 5, "/dev/") == 0) {
      std::string name = p.size() > 5 ? p.substr(5) : "";
      bool is_node = false;
      for (const std::string &n : kern::sys_devfs_list())
        if (n == name) is_node = true;
      if (is_node || name == "null" || name == "zero" || name == "random" || name == "urandom") {
        io.print("%s\n", p.c_str());
        continue;
      }
      bool found = false;
      list_dir(p, io, found);
      if (!found) {
        io.warn(kern::B_ENOENT, "%s", p.c_str());
        status = 1;
      }
      continue;
    }
    int64_t sz;
    int e = file_size(p, sz);
    if (e != 0) {
      io.warn(e, "%s", p.c_str());
      status = 1;
      continue;
    }
    io.print("%s\n", p.c_str());
  }
  return status;
}

}  // namespace

SIM_PROGRAM(ls, "ls", ls_main, "ls [-1] [file ...]", "list directory contents");

}  // namespace sim
