// sim/scenario/interpreter.h — replays one script on a fresh machine.
//
// The interpreter boots the machine lazily (so '@loader' and '@disk'
// lines at the top configure the first boot), runs each program in a
// userland thread of the simulated kernel and lets the system settle
// before the next line: a foreground command runs until it has finished
// and nothing can run (simulated time advances only while it waits); a
// background command (&) keeps its pending timers for later. Everything
// the user would see goes into the transcript, in order: "# command",
// kernel console lines as printed, the command's output, job
// notifications and the reports of directives.
//
// Outcome: passed, failed (an expectation was not met, a command failed
// without an expectation saying it may, a command hung), bad script (a
// command line the program rejected), or panicked (the simulated kernel
// panicked and no '@expect panic' followed).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kern/sched.h"
#include "sim/scenario/script.h"

namespace sim {

struct run_options {
  uint64_t seed = 1;
  kern::sched_mode mode = kern::sched_mode::det;
  std::string trace_path;  // Chrome trace-event JSON, "" for none
  std::string dot_path;    // Graphviz topology at the end, "" for none
  // Host seconds one line (command or directive) may run before the kernel
  // is stopped as a runaway (kern::set_host_deadline); 0: no limit.
  int time_limit_s = 0;
};

struct run_outcome {
  enum status { passed = 0, failed = 1, bad_script = 2, panicked = 3 };
  status st = passed;
  std::string transcript;
  std::vector<std::string> messages;  // "file:line: what went wrong"
  int exit_code() const { return (int)st; }
};

run_outcome run_script(const script &s, const run_options &opt);

// An interactive session (geomsim shell): the same machine and rules, fed
// one line at a time. A failing command is not an error here: the user
// reads its output.
class session {
 public:
  session(const std::string &name, const run_options &opt);
  ~session();
  // Runs one line; returns what it printed (or the line's parse error).
  std::string run_line(const std::string &line);
  void finish();

  class impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace sim
