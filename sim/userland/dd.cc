// dd(1): copies blocks between devices, files and the special devices.
//
// The operands FreeBSD's dd takes for this kind of work: if=, of=, bs=,
// ibs=, obs=, count=, skip=/iseek=, seek=/oseek=, conv=notrunc,sync,
// noerror, status=none|noxfer; numbers take b, k, m, g, t, w suffixes and
// products ("2x512"). The summary goes to stderr as FreeBSD prints it,
// timed with the simulated clock (so it is the same at every replay).
// /dev/random writes the machine's seeded pseudo-random bytes.
#include <cmath>
#include <cstring>
#include <map>
#include <vector>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "sim/userland/geom_core.h"
#include "sim/userland/program.h"
#include "sim/userland/ustream.h"

namespace sim {
namespace {

struct dd_stats {
  uint64_t in_full = 0, in_part = 0, out_full = 0, out_part = 0, bytes = 0;
};

// The operands.
struct dd_args {
  std::string in_path, out_path;
  uint64_t ibs = 512, obs = 512, count = 0, skip = 0, seek = 0;
  bool have_count = false, notrunc = false, sync = false, noerror = false;
  bool noinfo = false, noxfer = false;
};

bool get_num(const std::string &val, uint64_t &out) {
  // A product of terms, each a number with an optional suffix.
  uint64_t total = 1;
  size_t b = 0;
  for (;;) {
    size_t e = val.find('x', b);
    std::string term = val.substr(b, e == std::string::npos ? std::string::npos : e - b);
    if (term.empty()) return false;
    uint64_t mult = 1;
    char last = term.back();
    switch (last) {
      case 'b': mult = 512; break;
      case 'k': case 'K': mult = 1ull << 10; break;
      case 'm': case 'M': mult = 1ull << 20; break;
      case 'g': case 'G': mult = 1ull << 30; break;
      case 't': case 'T': mult = 1ull << 40; break;
      case 'w': mult = sizeof(int); break;
      default: break;
    }
    if (mult != 1) term.pop_back();
    if (term.empty()) return false;
    uint64_t n = 0;
    for (char c : term) {
      if (c < '0' || c > '9') return false;
      if (n > (UINT64_MAX - (uint64_t)(c - '0')) / 10) return false;
      n = n * 10 + (uint64_t)(c - '0');
    }
    if (mult != 0 && n > UINT64_MAX / mult) return false;
    n *= mult;
    if (n != 0 && total > UINT64_MAX / n) return false;
    total *= n;
    if (e == std::string::npos) break;
    b = e + 1;
  }
  out = total;
  return true;
}

void summary(proc_io &io, const dd_stats &st, int64_t start_ns, bool noinfo, bool noxfer) {
  if (noinfo) return;
  double secs = (double)(kern::kernel::current()->sched().now() - start_ns) / 1e9;
  if (secs < 1e-6) secs = 1e-6;
  io.eprint("%ju+%ju records in\n%ju+%ju records out\n", (uintmax_t)st.in_full,
            (uintmax_t)st.in_part, (uintmax_t)st.out_full, (uintmax_t)st.out_part);
  if (!noxfer)
    io.eprint("%ju bytes transferred in %.6f secs (%.0f bytes/sec)\n", (uintmax_t)st.bytes, secs,
              (double)st.bytes / secs);
}

int dd_copy(const dd_args &a, ustream &in, ustream &out, proc_io &io);

int dd_main(const std::vector<std::string> &argv, proc_io &io) {
  dd_args a;
  for (size_t i = 1; i < argv.size(); i++) {
    const std::string &arg = argv[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      io.usage_error = true;
      io.warnx("unknown operand %s", arg.c_str());
      return 1;
    }
    std::string key = arg.substr(0, eq), val = arg.substr(eq + 1);
    auto num = [&](uint64_t &dst) {
      if (!get_num(val, dst)) {
        io.usage_error = true;
        io.warnx("%s: illegal numeric value", val.c_str());
        return false;
      }
      return true;
    };
    if (key == "if") a.in_path = val;
    else if (key == "of") a.out_path = val;
    else if (key == "bs") {
      if (!num(a.ibs)) return 1;
      a.obs = a.ibs;
    } else if (key == "ibs") {
      if (!num(a.ibs)) return 1;
    } else if (key == "obs") {
      if (!num(a.obs)) return 1;
    } else if (key == "count") {
      if (!num(a.count)) return 1;
      a.have_count = true;
    } else if (key == "skip" || key == "iseek") {
      if (!num(a.skip)) return 1;
    } else if (key == "seek" || key == "oseek") {
      if (!num(a.seek)) return 1;
    } else if (key == "conv") {
      size_t b = 0;
      while (b <= val.size()) {
        size_t e = val.find(',', b);
        std::string c = val.substr(b, e == std::string::npos ? std::string::npos : e - b);
        if (c == "notrunc") a.notrunc = true;
        else if (c == "sync") a.sync = true;
        else if (c == "noerror") a.noerror = true;
        else {
          io.usage_error = true;
          io.warnx("unknown conversion %s", c.c_str());
          return 1;
        }
        if (e == std::string::npos) break;
        b = e + 1;
      }
    } else if (key == "status") {
      if (val == "none") a.noinfo = true;
      else if (val == "noxfer") a.noxfer = true;
      else {
        io.usage_error = true;
        io.warnx("unknown status %s", val.c_str());
        return 1;
      }
    } else {
      io.usage_error = true;
      io.warnx("unknown operand %s", key.c_str());
      return 1;
    }
  }
  if (a.ibs == 0 || a.obs == 0) {
    io.usage_error = true;
    io.warnx("buffer sizes cannot be zero");
    return 1;
  }
  if (a.ibs > (64u << 20) || a.obs > (64u << 20)) {
    io.usage_error = true;
    io.warnx("buffer sizes larger than 64m are not supported by the simulator");
    return 1;
  }

  ustream in, out;
  int status = dd_copy(a, in, out, io);
  // exit(3) closes the descriptors. The last close of a device written to
  // makes GEOM taste it again, and that may panic the kernel: close here,
  // where the thread can unwind, not in ustream's destructor.
  out.close();
  in.close();
  return status;
}

int dd_copy(const dd_args &a, ustream &in, ustream &out, proc_io &io) {
  const std::string &in_path = a.in_path, &out_path = a.out_path;
  const uint64_t ibs = a.ibs, obs = a.obs, count = a.count, skip = a.skip, seek = a.seek;
  const bool have_count = a.have_count, notrunc = a.notrunc, sync = a.sync, noerror = a.noerror;
  const bool noinfo = a.noinfo, noxfer = a.noxfer;
  const int64_t start = kern::kernel::current()->sched().now();
  dd_stats st;
  std::string in_name = in_path.empty() ? "stdin" : in_path;
  std::string out_name = out_path.empty() ? "stdout" : out_path;
  int e;
  if (!in_path.empty() && (e = in.open(in_path, false)) != 0) {
    io.warn(e, "%s", in_name.c_str());
    return 1;
  }
  if (!out_path.empty() && (e = out.open(out_path, true)) != 0) {
    io.warn(e, "%s", out_name.c_str());
    return 1;
  }
  int64_t in_off = (int64_t)(skip * ibs);
  int64_t out_off = (int64_t)(seek * obs);
  if (!out_path.empty() && out.type() == ustream::kind::file && !notrunc) {
    if ((e = out.truncate(out_off)) != 0) {
      io.warn(e, "%s", out_name.c_str());
      summary(io, st, start, noinfo, noxfer);
      return 1;
    }
  }
  std::vector<unsigned char> ibuf(ibs), obuf;
  size_t stdin_pos = 0;
  int status = 0;
  auto flush_out = [&](const unsigned char *p, size_t n) -> bool {
    size_t done = 0;
    if (out_path.empty()) {
      io.put_out((const char *)p, n);
      done = n;
    } else if ((e = out.write(p, n, out_off, done)) != 0) {
      io.warn(e, "%s", out_name.c_str());
      return false;
    }
    if (done == obs) st.out_full++;
    else st.out_part++;
    st.bytes += done;
    out_off += (int64_t)done;
    return done == n;
  };
  for (uint64_t rec = 0; !have_count || rec < count; rec++) {
    size_t got = 0;
    if (in_path.empty()) {
      got = std::min(ibs, (uint64_t)(io.in.size() - stdin_pos));
      std::memcpy(ibuf.data(), io.in.data() + stdin_pos, got);
      stdin_pos += got;
    } else if ((e = in.read(ibuf.data(), ibs, in_off, got)) != 0) {
      io.warn(e, "%s", in_name.c_str());
      if (!noerror) {
        status = 1;
        break;
      }
      got = ibs;  // noerror: the block counts as read (zeroes with sync)
      std::memset(ibuf.data(), 0, ibs);
    }
    if (got == 0) break;  // end of input
    in_off += (int64_t)got;
    if (got == ibs) st.in_full++;
    else {
      st.in_part++;
      if (sync) {
        std::memset(ibuf.data() + got, 0, ibs - got);
        got = ibs;
      }
    }
    obuf.insert(obuf.end(), ibuf.begin(), ibuf.begin() + (long)got);
    bool ok = true;
    while (ok && obuf.size() >= obs) {
      ok = flush_out(obuf.data(), obs);
      obuf.erase(obuf.begin(), obuf.begin() + (long)obs);
    }
    if (!ok) {
      status = 1;
      break;
    }
  }
  if (status == 0 && !obuf.empty() && !flush_out(obuf.data(), obuf.size())) status = 1;
  summary(io, st, start, noinfo, noxfer);
  return status;
}

}  // namespace

SIM_PROGRAM(dd, "dd", dd_main,
            "dd [operands ...]  (if= of= bs= ibs= obs= count= skip= seek= conv= status=)",
            "convert and copy a file");

}  // namespace sim
