// cmp(1): compares two files or devices byte by byte.
#include <vector>

#include "kern/bsd_errno.h"
#include "sim/userland/program.h"
#include "sim/userland/ustream.h"

namespace sim {
namespace {

int compare(ustream &a, ustream &b, const std::string &f1, const std::string &f2, uint64_t skip1,
            uint64_t skip2, bool silent, proc_io &io);

int cmp_main(const std::vector<std::string> &argv, proc_io &io) {
  bool silent = false;
  getopt g(argv, "s", io);
  int ch;
  while ((ch = g.next()) != -1) {
    if (ch == 's') silent = true;
    else {
      io.eprint("usage: cmp [-l | -s | -x] [-hz] file1 file2 [skip1 [skip2]]\n");
      return 2;
    }
  }
  size_t n = argv.size() - g.optind;
  if (n < 2 || n > 4) {
    io.usage_error = true;
    io.eprint("usage: cmp [-l | -s | -x] [-hz] file1 file2 [skip1 [skip2]]\n");
    return 2;
  }
  const std::string f1 = argv[g.optind], f2 = argv[g.optind + 1];
  uint64_t skip1 = 0, skip2 = 0;
  if (n > 2 && !expand_number(argv[g.optind + 2], skip1)) {
    io.usage_error = true;
    io.warnx("illegal offset: %s", argv[g.optind + 2].c_str());
    return 2;
  }
  if (n > 3 && !expand_number(argv[g.optind + 3], skip2)) {
    io.usage_error = true;
    io.warnx("illegal offset: %s", argv[g.optind + 3].c_str());
    return 2;
  }
  ustream a, b;
  int status = compare(a, b, f1, f2, skip1, skip2, silent, io);
  // exit(3) closes them, where the thread can unwind (see ustream.h).
  b.close();
  a.close();
  return status;
}

int compare(ustream &a, ustream &b, const std::string &f1, const std::string &f2, uint64_t skip1,
            uint64_t skip2, bool silent, proc_io &io) {
  int e;
  if ((e = a.open(f1, false)) != 0) {
    if (!silent) io.warn(e, "%s", f1.c_str());
    return 2;
  }
  if ((e = b.open(f2, false)) != 0) {
    if (!silent) io.warn(e, "%s", f2.c_str());
    return 2;
  }
  // Devices read in whole sectors: use a buffer size both accept.
  const size_t bs = 1 << 20;
  std::vector<unsigned char> ba(bs), bb(bs);
  int64_t off1 = (int64_t)skip1, off2 = (int64_t)skip2;
  uint64_t byte = 1, line = 1;
  int64_t size1 = a.size(), size2 = b.size();
  for (;;) {
    size_t want1 = bs, want2 = bs;
    if (size1 >= 0 && size1 - off1 < (int64_t)want1) want1 = (size_t)std::max<int64_t>(0, size1 - off1);
    if (size2 >= 0 && size2 - off2 < (int64_t)want2) want2 = (size_t)std::max<int64_t>(0, size2 - off2);
    size_t got1 = 0, got2 = 0;
    if (want1 && (e = a.read(ba.data(), want1, off1, got1)) != 0) {
      if (!silent) io.warn(e, "%s", f1.c_str());
      return 2;
    }
    if (want2 && (e = b.read(bb.data(), want2, off2, got2)) != 0) {
      if (!silent) io.warn(e, "%s", f2.c_str());
      return 2;
    }
    size_t common = std::min(got1, got2);
    for (size_t i = 0; i < common; i++, byte++) {
      if (ba[i] != bb[i]) {
        if (!silent)
          io.print("%s %s differ: char %llu, line %llu\n", f1.c_str(), f2.c_str(),
                   (unsigned long long)byte, (unsigned long long)line);
        return 1;
      }
      if (ba[i] == '\n') line++;
    }
    if (got1 != got2) {
      if (!silent) io.eprint("cmp: EOF on %s\n", got1 < got2 ? f1.c_str() : f2.c_str());
      return 1;
    }
    if (got1 == 0) return 0;
    off1 += (int64_t)got1;
    off2 += (int64_t)got2;
  }
}

}  // namespace

SIM_PROGRAM(cmp, "cmp", cmp_main, "cmp [-s] file1 file2 [skip1 [skip2]]", "compare two files");

}  // namespace sim
