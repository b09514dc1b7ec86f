// md5(1), sha1(1), sha256(1): message digests of files and devices,
// printed as FreeBSD prints them: "SHA256 (/dev/md0) = ...".
#include <vector>

#include "sim/userland/digest/digest.h"
#include "sim/userland/program.h"
#include "sim/userland/ustream.h"

namespace sim {
namespace {

int digest_main(const std::string &alg, const char *label, const std::vector<std::string> &argv,
                proc_io &io) {
  bool quiet = false;
  getopt g(argv, "q", io);
  int ch;
  while ((ch = g.next()) != -1) {
    if (ch == 'q') quiet = true;
    else {
      io.eprint("usage: %s [-q] [file ...]\n", alg.c_str());
      return 1;
    }
  }
  int status = 0;
  std::vector<unsigned char> buf(1 << 20);
  for (size_t i = g.optind; i < argv.size(); i++) {
    ustream in;
    int e = in.open(argv[i], false);
    if (e != 0) {
      io.warn(e, "%s", argv[i].c_str());
      status = 1;
      continue;
    }
    auto d = digest::make(alg);
    int64_t off = 0;
    int64_t size = in.size();
    for (;;) {
      size_t want = buf.size();
      if (size >= 0 && size - off < (int64_t)want) want = (size_t)(size - off);
      if (want == 0) break;
      size_t got = 0;
      e = in.read(buf.data(), want, off, got);
      if (e != 0) {
        io.warn(e, "%s", argv[i].c_str());
        status = 1;
        break;
      }
      if (got == 0) break;
      d->update(buf.data(), got);
      off += (int64_t)got;
    }
    // Closed where the thread can unwind (see ustream.h).
    in.close();
    if (e != 0) continue;
    if (quiet) io.print("%s\n", d->hex().c_str());
    else io.print("%s (%s) = %s\n", label, argv[i].c_str(), d->hex().c_str());
  }
  return status;
}

}  // namespace

SIM_PROGRAM(md5, "md5",
            [](const std::vector<std::string> &a, proc_io &io) { return digest_main("md5", "MD5", a, io); },
            "md5 [-q] file ...", "calculate a message-digest fingerprint (MD5)");
SIM_PROGRAM(sha1, "sha1",
            [](const std::vector<std::string> &a, proc_io &io) { return digest_main("sha1", "SHA1", a, io); },
            "sha1 [-q] file ...", "calculate a message-digest fingerprint (SHA-1)");
SIM_PROGRAM(sha256, "sha256",
            [](const std::vector<std::string> &a, proc_io &io) {
              return digest_main("sha256", "SHA256", a, io);
            },
            "sha256 [-q] file ...", "calculate a message-digest fingerprint (SHA-256)");

}  // namespace sim
