// truncate(1): creates a file of the machine or changes its size. Files
// are sparse: `truncate -s 1t disk.img` costs nothing until written.
#include "kern/bsd_errno.h"
#include "sim/userland/files.h"
#include "sim/userland/program.h"

namespace sim {
namespace {

int truncate_main(const std::vector<std::string> &argv, proc_io &io) {
  std::string size_arg;
  bool no_create = false;
  getopt g(argv, "cs:", io);
  int ch;
  while ((ch = g.next()) != -1) {
    if (ch == 's') size_arg = g.optarg;
    else if (ch == 'c') no_create = true;
    else {
      io.eprint("usage: truncate [-c] -s [+|-]size[K|k|M|m|G|g|T|t] file ...\n");
      return 1;
    }
  }
  if (size_arg.empty() || g.optind >= argv.size()) {
    io.usage_error = true;
    io.eprint("usage: truncate [-c] -s [+|-]size[K|k|M|m|G|g|T|t] file ...\n");
    return 1;
  }
  char rel = 0;
  std::string num = size_arg;
  if (num[0] == '+' || num[0] == '-') {
    rel = num[0];
    num = num.substr(1);
  }
  uint64_t n;
  if (!expand_number(num, n)) {
    io.usage_error = true;
    io.warnx("invalid size argument `%s'", size_arg.c_str());
    return 1;
  }
  int status = 0;
  for (size_t i = g.optind; i < argv.size(); i++) {
    int64_t cur = 0;
    int e = file_size(argv[i], cur);
    if (e == kern::B_ENOENT) {
      if (no_create) continue;
      cur = 0;
    } else if (e != 0) {
      io.warn(e, "%s", argv[i].c_str());
      status = 1;
      continue;
    }
    int64_t target = rel == '+' ? cur + (int64_t)n : rel == '-' ? cur - (int64_t)n : (int64_t)n;
    if (target < 0) target = 0;
    if ((e = file_truncate(argv[i], target)) != 0) {
      io.warn(e, "%s", argv[i].c_str());
      status = 1;
    }
  }
  return status;
}

}  // namespace

SIM_PROGRAM(truncate, "truncate", truncate_main, "truncate [-c] -s [+|-]size file ...",
            "truncate, extend the length of, or create, a file");

}  // namespace sim
