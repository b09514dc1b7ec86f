// geomsim: the command line.
//
//   geomsim run FILE... [--seed N | --seeds A..B] [--sched det|threads]
//                       [--update] [--time-limit SECONDS] [--trace FILE] [--dot FILE]
//                       [--junit FILE] [-v]
//   geomsim shell [--seed N] [--sched det|threads]
//
// Exit status of run: 0 all scripts passed, 1 an expectation failed, 2 bad
// usage or a bad script, 3 a simulated panic that a script did not expect.
#include <editline/readline.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/explore_cmd.h"
#include "sim/scenario/interpreter.h"
#include "sim/scenario/runner.h"
#include "sim/userland/program.h"

namespace {

const char *kMainHelp =
    "NAME\n"
    "     geomsim - a kernel-faithful simulator of FreeBSD's GEOM framework\n"
    "\n"
    "SYNOPSIS\n"
    "     geomsim run [-v] [--update] [--seed N | --seeds A..B] [--sched det|threads]\n"
    "                 [--time-limit SECONDS] [--trace FILE] [--dot FILE] [--junit FILE]\n"
    "                 file ...\n"
    "     geomsim shell [--seed N] [--sched det|threads]\n"
    "     geomsim explore [options] script ...\n"
    "     geomsim virstor-check [-q] [--sector N] image ...\n"
    "     geomsim help [command]\n"
    "\n"
    "DESCRIPTION\n"
    "     geomsim runs FreeBSD's g_virstor, ported line for line, on a simulated\n"
    "     kernel: GEOM's threads, locks, events and rules, md(4)- and gnop(4)-like\n"
    "     disks, fault injection and power loss. Scenario scripts replay what you\n"
    "     would type on a FreeBSD machine (mdconfig, gvirstor, dd, geom, ...) plus\n"
    "     simulation directives; see docs/scenarios.md.\n"
    "\n"
    "     run     Replays each script and compares its transcript with FILE.out.\n"
    "     shell   Reads commands from the terminal, on one simulated machine.\n"
    "     explore Runs every crash state of a workload script and reports how\n"
    "             the class came back from each (docs/explore.md).\n"
    "     virstor-check\n"
    "             Checks virstor components in raw disk images on the host.\n"
    "\n"
    "     geomsim COMMAND --help describes a command.\n";

const char *kRunHelp =
    "SYNOPSIS\n"
    "     geomsim run [-v] [--update] [--seed N | --seeds A..B] [--sched det|threads]\n"
    "                 [--time-limit SECONDS] [--trace FILE] [--dot FILE] [--junit FILE]\n"
    "                 file ...\n"
    "\n"
    "DESCRIPTION\n"
    "     Replays each scenario script on a fresh simulated machine. A script passes\n"
    "     when its expectations hold and its transcript equals FILE.out (the script\n"
    "     with its extension replaced by .out). A summary line \"N passed, N failed\"\n"
    "     ends the run.\n"
    "\n"
    "OPTIONS\n"
    "     --seed N        Seed of the prng that drives scheduling and every random\n"
    "                     choice (default 1). Same script, same seed: same output.\n"
    "     --seeds A..B    Runs each script once per seed in A..B; every run must\n"
    "                     match FILE.out (scripts with @seed run once).\n"
    "     --sched det     One simulated thread at a time, picked by the prng\n"
    "                     (default). --sched threads runs them as real threads.\n"
    "     --update        Writes FILE.out from the run instead of comparing.\n"
    "     --time-limit S  Host seconds one script line may run (default 300, 0 for\n"
    "                     none); past it the simulated kernel is stopped and the\n"
    "                     script fails, so a runaway command cannot hang the run.\n"
    "     --trace FILE    Chrome trace-event JSON of the run (open in Perfetto).\n"
    "     --dot FILE      The GEOM topology at the end, as Graphviz.\n"
    "     --junit FILE    A JUnit XML report.\n"
    "     -v              Prints every transcript.\n"
    "\n"
    "EXIT STATUS\n"
    "     0 all scripts passed; 1 an expectation or a transcript failed; 2 bad usage\n"
    "     or a bad script; 3 a simulated panic that a script did not expect.\n";

const char *kShellHelp =
    "SYNOPSIS\n"
    "     geomsim shell [--seed N] [--sched det|threads]\n"
    "\n"
    "DESCRIPTION\n"
    "     Reads scenario lines from the terminal and runs them on one simulated\n"
    "     machine, with line editing and history. Type `help` for the programs and\n"
    "     directives, `help PROGRAM` for one program's usage, `quit` or end-of-file\n"
    "     to leave.\n";

bool parse_sched(const std::string &s, kern::sched_mode &mode) {
  if (s == "det") mode = kern::sched_mode::det;
  else if (s == "threads") mode = kern::sched_mode::threads;
  else return false;
  return true;
}

// --time-limit: whole seconds, 0 (no limit) to a day.
bool parse_time_limit(const std::string &s, int &seconds) {
  char *end = nullptr;
  errno = 0;
  long v = std::strtol(s.c_str(), &end, 10);
  if (errno != 0 || end == s.c_str() || *end != '\0' || v < 0 || v > 86400) return false;
  seconds = (int)v;
  return true;
}

bool parse_seeds(const std::string &s, uint64_t &a, uint64_t &b) {
  size_t dots = s.find("..");
  try {
    if (dots == std::string::npos) {
      size_t pos;
      a = b = std::stoull(s, &pos);
      return pos == s.size();
    }
    size_t p1, p2;
    std::string x = s.substr(0, dots), y = s.substr(dots + 2);
    a = std::stoull(x, &p1);
    b = std::stoull(y, &p2);
    return p1 == x.size() && p2 == y.size() && a <= b && b - a < 100000;
  } catch (...) {
    return false;
  }
}

int usage_error(const std::string &msg, const char *help) {
  std::fprintf(stderr, "geomsim: %s\n", msg.c_str());
  std::fputs(help, stderr);
  return 2;
}

void shell_help() {
  std::printf("Programs:\n");
  for (const sim::program_info *p : sim::all_programs())
    std::printf("  %-60s %s\n", p->synopsis.c_str(), p->summary.c_str());
  std::printf(
      "Directives (see docs/scenarios.md):\n"
      "  @disk NAME SIZE [sector=N] [cache=write-through|write-back] [flush=yes|no]\n"
      "  @image PATH HOSTFILE [ro]      @loader NAME=VALUE      @fault POINT ...\n"
      "  @pull DISK [WHEN]   @power-cut [WHEN]   @stall g_event|g_up|g_down [WHEN]\n"
      "  @resume THREAD   (WHEN: now | after N writes [on DISK] | at CMD DISK [offset=N])\n"
      "  @reboot   @boot   @shutdown   @wait   @sleep DURATION   @check DEV\n"
      "  @writelog [DISK]   @echo TEXT   @expect ...\n"
      "  @crash after record N | at WRITE DISK nth=N [lose LIST] [tear LIST]\n"
      "  @virstor-check [DISK ...]   @crash-check   @after-crash\n");
}

// help NAME: one program's synopsis, one usage form per line.
void shell_help_program(const std::string &name) {
  const sim::program_info *p = sim::find_program(name);
  if (p == nullptr) {
    std::printf("help: no program '%s' (type help for the list; directives are in "
                "docs/scenarios.md)\n",
                name.c_str());
    return;
  }
  std::printf("%s - %s\n", name.c_str(), p->summary.c_str());
  const std::string &syn = p->synopsis;
  size_t b = 0;
  const char *lead = "usage: ";
  for (;;) {
    size_t e = syn.find(" | ", b);
    std::printf("%s%s\n", lead, syn.substr(b, e == std::string::npos ? e : e - b).c_str());
    if (e == std::string::npos) break;
    b = e + 3;
    lead = "       ";
  }
}

int shell(uint64_t seed, kern::sched_mode mode) {
  sim::run_options opt;
  opt.seed = seed;
  opt.mode = mode;
  sim::session ses("shell", opt);
  const bool tty = isatty(0);
  if (tty) {
    std::printf("geomsim shell: a simulated FreeBSD machine (seed %llu). Type help or quit.\n",
                (unsigned long long)seed);
    using_history();
  }
  for (;;) {
    std::string line;
    if (tty) {
      char *l = readline("# ");
      if (l == nullptr) break;
      line = l;
      std::free(l);
      if (!line.empty()) add_history(line.c_str());
    } else if (!std::getline(std::cin, line)) {
      break;
    }
    if (line == "quit" || line == "exit") break;
    if (line == "help") {
      shell_help();
      continue;
    }
    if (line.compare(0, 5, "help ") == 0) {
      std::string name = line.substr(5);
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      shell_help_program(name);
      continue;
    }
    std::string out = ses.run_line(line);
    // The session echoes commands as "# cmd"; at a terminal the prompt did.
    if (tty && out.compare(0, 2 + line.size(), "# " + line) == 0) out = out.substr(2 + line.size() + 1);
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
  }
  ses.finish();
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help" ||
      std::string(argv[1]) == "help") {
    if (argc >= 3 && std::string(argv[1]) == "help") {
      std::string c = argv[2];
      if (c == "run") std::fputs(kRunHelp, stdout);
      else if (c == "shell") std::fputs(kShellHelp, stdout);
      else if (c == "explore") std::fputs(sim::cli::kExploreHelp, stdout);
      else if (c == "virstor-check") std::fputs(sim::cli::kVirstorCheckHelp, stdout);
      else return usage_error("unknown command '" + c + "'", kMainHelp);
      return 0;
    }
    std::fputs(kMainHelp, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }

  CLI::App app{"geomsim"};
  app.set_help_flag();  // our own, man-page style
  app.require_subcommand(1);
  app.allow_windows_style_options(false);

  bool run_help = false, shell_help_flag = false;
  sim::runner_options ro;
  std::string seed_s, seeds_s, sched_s = "det";

  CLI::App *run = app.add_subcommand("run");
  run->set_help_flag();
  run->add_flag("-h,--help", run_help);
  run->add_option("files", ro.files);
  run->add_option("--seed", seed_s);
  run->add_option("--seeds", seeds_s);
  run->add_option("--sched", sched_s);
  run->add_flag("--update", ro.update);
  run->add_option("--trace", ro.trace_path);
  run->add_option("--dot", ro.dot_path);
  run->add_option("--junit", ro.junit_path);
  run->add_flag("-v,--verbose", ro.verbose);
  std::string time_limit_s;
  run->add_option("--time-limit", time_limit_s);

  CLI::App *sh = app.add_subcommand("shell");
  sh->set_help_flag();
  sh->add_flag("-h,--help", shell_help_flag);
  std::string sh_seed = "1", sh_sched = "det";
  sh->add_option("--seed", sh_seed);
  sh->add_option("--sched", sh_sched);

  sim::cli::explore_args ex;
  sim::cli::add_explore(app, ex);
  sim::cli::virstor_check_args vc;
  sim::cli::add_virstor_check(app, vc);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    std::string sub = argc >= 2 ? argv[1] : "";
    const char *help = sub == "run"             ? kRunHelp
                       : sub == "shell"         ? kShellHelp
                       : sub == "explore"       ? sim::cli::kExploreHelp
                       : sub == "virstor-check" ? sim::cli::kVirstorCheckHelp
                                                : kMainHelp;
    return usage_error(e.what(), help);
  }
  if (ex.cmd->parsed()) return sim::cli::run_explore(ex);
  if (vc.cmd->parsed()) return sim::cli::run_virstor_check(vc);

  if (run->parsed()) {
    if (run_help) {
      std::fputs(kRunHelp, stdout);
      return 0;
    }
    if (ro.files.empty()) return usage_error("run: no script given", kRunHelp);
    if (!seed_s.empty() && !seeds_s.empty())
      return usage_error("run: --seed and --seeds exclude each other", kRunHelp);
    if (!seed_s.empty() && (!parse_seeds(seed_s, ro.seed_from, ro.seed_to) || ro.seed_from != ro.seed_to))
      return usage_error("run: bad --seed '" + seed_s + "'", kRunHelp);
    if (!seeds_s.empty() && !parse_seeds(seeds_s, ro.seed_from, ro.seed_to))
      return usage_error("run: bad --seeds '" + seeds_s + "' (expected A..B)", kRunHelp);
    if (!parse_sched(sched_s, ro.mode))
      return usage_error("run: bad --sched '" + sched_s + "' (det or threads)", kRunHelp);
    if (!time_limit_s.empty() && !parse_time_limit(time_limit_s, ro.time_limit_s))
      return usage_error("run: bad --time-limit '" + time_limit_s + "' (0..86400 seconds)",
                         kRunHelp);
    std::string out;
    std::vector<sim::script_report> reports;
    int status = sim::run_files(ro, out, reports);
    std::fputs(out.c_str(), stdout);
    return status;
  }
  if (sh->parsed()) {
    if (shell_help_flag) {
      std::fputs(kShellHelp, stdout);
      return 0;
    }
    uint64_t a, b;
    kern::sched_mode mode;
    if (!parse_seeds(sh_seed, a, b) || a != b) return usage_error("shell: bad --seed", kShellHelp);
    if (!parse_sched(sh_sched, mode)) return usage_error("shell: bad --sched", kShellHelp);
    return shell(a, mode);
  }
  return usage_error("no command", kMainHelp);
}
