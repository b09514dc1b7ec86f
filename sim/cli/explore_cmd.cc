// `geomsim explore` and `geomsim virstor-check`. See sim/cli/explore_cmd.h.
#include "sim/cli/explore_cmd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "virstor/check/virstor_check.h"

namespace sim::cli {

const char *kExploreHelp =
    "SYNOPSIS\n"
    "     geomsim explore [--seed N] [--cache write-through|write-back] [--disk NAME]...\n"
    "                     [--max-drop D] [--exhaustive N] [--torn] [--max-states N]\n"
    "                     [--shard I/N] [--jobs N] [--json FILE] [--out DIR]\n"
    "                     [--time-limit SECONDS] [--no-progress] script ...\n"
    "     geomsim explore --merge A.json B.json ... [--json FILE] [--out DIR]\n"
    "\n"
    "DESCRIPTION\n"
    "     Runs each script once as a workload, recording every write its disks\n"
    "     receive, then every crash state of it: a power cut after each completed\n"
    "     write or flush, with the writes not yet on stable media lost, torn or\n"
    "     landed as the power model allows. Each state boots a fresh machine on\n"
    "     its disks, runs the offline virstor checker, and checks that durable\n"
    "     data reads back and that new writes change nothing they do not address\n"
    "     (or runs the script's lines after @after-crash). States are grouped by\n"
    "     outcome; each failing group gets a reproducer script. See docs/explore.md.\n"
    "\n"
    "OPTIONS\n"
    "     --seed N         Seed of the workload's run (default 1).\n"
    "     --cache MODEL    Every @disk gets this cache model for the run.\n"
    "     --disk NAME      Explore only these disks (or files); others keep\n"
    "                      every write. Repeatable. Default: all.\n"
    "     --max-drop D     States lose at most D writes (default 2).\n"
    "     --exhaustive N   Every subset when at most N writes are caught (default 4).\n"
    "     --torn           Tear writes at every sector too, and cut while a write\n"
    "                      is in flight.\n"
    "     --max-states N   Run only the first N states in the fixed order.\n"
    "     --shard I/N      Run every N-th state from the I-th (0 <= I < N).\n"
    "     --jobs N         Run the states in N processes.\n"
    "     --json FILE      Write every state's result and the signatures.\n"
    "     --out DIR        Where reproducers go (default geomsim-explore).\n"
    "     --merge FILE...  Combine the --json results of shards into one report.\n"
    "     --time-limit S   Host seconds one line may run (default 300, 0: none).\n"
    "     --no-progress    No progress line on standard error.\n"
    "\n"
    "EXIT STATUS\n"
    "     0 no state failed; 1 failing states found; 2 bad usage, or a workload\n"
    "     that fails before any crash.\n";

const char *kVirstorCheckHelp =
    "SYNOPSIS\n"
    "     geomsim virstor-check [-q] [--sector 512|4096] image ...\n"
    "\n"
    "DESCRIPTION\n"
    "     Checks raw disk images of virstor components on the host (made by\n"
    "     FreeBSD's gvirstor, or by geomsim): each one's metadata, the allocation\n"
    "     map, and how they agree. Images are only read. -q prints only findings.\n"
    "\n"
    "EXIT STATUS\n"
    "     0 no error (warnings allowed); 1 errors found; 2 bad usage or an image\n"
    "     that cannot be read.\n";

namespace {

int usage(const std::string &msg, const char *help) {
  std::fprintf(stderr, "geomsim: %s\n", msg.c_str());
  std::fputs(help, stderr);
  return 2;
}

bool number(const std::string &s, uint64_t &v, uint64_t max) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18)
    return false;
  v = std::stoull(s);
  return v <= max;
}

// "I/N" with 0 <= I < N.
bool parse_shard(const std::string &s, int &i, int &n) {
  size_t slash = s.find('/');
  uint64_t a, b;
  if (slash == std::string::npos || !number(s.substr(0, slash), a, 1000000) ||
      !number(s.substr(slash + 1), b, 1000000) || b == 0 || a >= b)
    return false;
  i = (int)a;
  n = (int)b;
  return true;
}

// Each numeric option: "" keeps the default.
std::string check_numbers(explore_args &a) {
  struct item {
    const std::string &text;
    const char *name;
    uint64_t max;
    uint64_t *out;
  };
  uint64_t seed = a.opt.seed, drop = (uint64_t)a.opt.max_drop, ex = (uint64_t)a.opt.exhaustive,
           max = a.opt.max_states, jobs = (uint64_t)a.opt.jobs, tl = (uint64_t)a.opt.time_limit_s;
  for (const item &it : {item{a.seed, "--seed", UINT64_MAX >> 1, &seed},
                         item{a.max_drop, "--max-drop", 64, &drop},
                         item{a.exhaustive, "--exhaustive", 20, &ex},
                         item{a.max_states, "--max-states", UINT64_MAX >> 1, &max},
                         item{a.jobs, "--jobs", 256, &jobs},
                         item{a.time_limit, "--time-limit", 86400, &tl}})
    if (!it.text.empty() && !number(it.text, *it.out, it.max))
      return std::string("bad ") + it.name + " '" + it.text + "'";
  if (jobs == 0) return "bad --jobs '0'";
  a.opt.seed = seed;
  a.opt.max_drop = (int)drop;
  a.opt.exhaustive = (int)ex;
  a.opt.max_states = max;
  a.opt.jobs = (int)jobs;
  a.opt.time_limit_s = (int)tl;
  return "";
}

}  // namespace

void add_explore(CLI::App &app, explore_args &a) {
  a.cmd = app.add_subcommand("explore");
  CLI::App *c = a.cmd;
  c->set_help_flag();
  c->add_flag("-h,--help", a.help);
  c->add_option("scripts", a.opt.scripts);
  c->add_option("--seed", a.seed);
  c->add_option("--cache", a.opt.cache);
  c->add_option("--disk", a.opt.disks);
  c->add_option("--max-drop", a.max_drop);
  c->add_option("--exhaustive", a.exhaustive);
  c->add_flag("--torn", a.opt.torn);
  c->add_option("--max-states", a.max_states);
  c->add_option("--shard", a.shard);
  c->add_option("--jobs", a.jobs);
  c->add_option("--json", a.opt.json_path);
  c->add_option("--out", a.opt.out_dir);
  c->add_option("--merge", a.opt.merge);
  c->add_option("--time-limit", a.time_limit);
  c->add_flag("--no-progress", a.no_progress);
}

int run_explore(explore_args &a) {
  if (a.help) {
    std::fputs(kExploreHelp, stdout);
    return 0;
  }
  if (a.opt.merge.empty() && a.opt.scripts.empty()) return usage("explore: no script given", kExploreHelp);
  if (!a.opt.merge.empty() && !a.opt.scripts.empty())
    return usage("explore: --merge takes result files, not scripts", kExploreHelp);
  std::string bad = check_numbers(a);
  if (!bad.empty()) return usage("explore: " + bad, kExploreHelp);
  if (!a.opt.cache.empty() && a.opt.cache != "write-through" && a.opt.cache != "write-back")
    return usage("explore: bad --cache '" + a.opt.cache + "' (write-through or write-back)", kExploreHelp);
  if (!a.shard.empty() && !parse_shard(a.shard, a.opt.shard, a.opt.shards))
    return usage("explore: bad --shard '" + a.shard + "' (I/N with 0 <= I < N)", kExploreHelp);
  a.opt.progress = !a.no_progress;
  std::string out;
  int rc = explore::explore(a.opt, out);
  std::fputs(out.c_str(), stdout);
  return rc;
}

// ------------------------------------------------------------ virstor-check

void add_virstor_check(CLI::App &app, virstor_check_args &a) {
  a.cmd = app.add_subcommand("virstor-check");
  a.cmd->set_help_flag();
  a.cmd->add_flag("-h,--help", a.help);
  a.cmd->add_flag("-q", a.quiet);
  a.cmd->add_option("--sector", a.sector);
  a.cmd->add_option("images", a.images);
}

namespace {

// A host image, read with pread; its size rounded down to whole sectors.
bool open_image(const std::string &path, uint32_t ss, virstor_check::component_source &s,
                std::string &why) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    why = fd < 0 ? std::strerror(errno) : "not a regular file";
    if (fd >= 0) ::close(fd);
    return false;
  }
  s.name = path;
  s.sectorsize = ss;
  s.mediasize = (int64_t)st.st_size / ss * ss;
  auto keep = std::make_shared<int>(fd);
  s.read = [keep](int64_t off, void *buf, size_t len) {
    ssize_t n = pread(*keep, buf, len, off);
    return n == (ssize_t)len ? 0 : n < 0 ? errno : EIO;
  };
  return true;
}

}  // namespace

int run_virstor_check(virstor_check_args &a) {
  if (a.help) {
    std::fputs(kVirstorCheckHelp, stdout);
    return 0;
  }
  if (a.images.empty()) return usage("virstor-check: no image given", kVirstorCheckHelp);
  if (a.sector != "512" && a.sector != "4096")
    return usage("virstor-check: bad --sector '" + a.sector + "' (512 or 4096)", kVirstorCheckHelp);
  std::vector<virstor_check::component_source> sources;
  for (const std::string &path : a.images) {
    virstor_check::component_source s;
    std::string why;
    if (!open_image(path, (uint32_t)std::stoul(a.sector), s, why)) {
      std::fprintf(stderr, "geomsim virstor-check: %s: %s\n", path.c_str(), why.c_str());
      return 2;
    }
    sources.push_back(std::move(s));
  }
  virstor_check::report r = virstor_check::check(sources);
  std::fputs(virstor_check::format(r, a.quiet).c_str(), stdout);
  return r.errors() != 0 ? 1 : 0;
}

}  // namespace sim::cli
