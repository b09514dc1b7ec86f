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
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kern/sched.h"
#include "sim/explore/crash_check.h"
#include "sim/scenario/script.h"

namespace sim {

class machine;

// The cut a crash state's @crash-check checks: geomsim explore's
// recording of the workload, and where in it the power went.
struct crash_context {
  const explore::recording *rec = nullptr;
  size_t after = 0;
  explore::line_namer name_line;
  const explore::expectations *expect = nullptr;  // at `after`, if worked out
};

struct run_options {
  uint64_t seed = 1;
  kern::sched_mode mode = kern::sched_mode::det;
  std::string trace_path;  // Chrome trace-event JSON, "" for none
  std::string dot_path;    // Graphviz topology at the end, "" for none
  // Host seconds one line (command or directive) may run before the kernel
  // is stopped as a runaway (kern::set_host_deadline); 0: no limit.
  int time_limit_s = 0;
  // --- for geomsim explore ---
  // Runs on the fresh machine before the first line (a crash state's
  // disks, files and loader settings).
  std::function<void(machine &)> prepare;
  // Watches the machine's storage from the start (the workload's run).
  explore::recording *record = nullptr;
  // What @crash-check checks; without it, the script's own recording.
  const crash_context *crash = nullptr;
  // "write-through" or "write-back": every @disk gets this cache model.
  std::string disk_cache;
  // @image never writes its host file (as with its cow option).
  bool images_cow = false;
  // Kernel console lines and @virstor-check's report are not kept in the
  // transcript (faster: explore's states need only their findings).
  bool quiet = false;
};

struct run_outcome {
  enum status { passed = 0, failed = 1, bad_script = 2, panicked = 3 };
  status st = passed;
  std::string transcript;
  std::vector<std::string> messages;  // "file:line: what went wrong"
  int exit_code() const { return (int)st; }
  // What @virstor-check and @crash-check found (kinds "checker:RULE" for
  // the checker's errors), the panic's message, a command that hung.
  std::vector<explore::crash_finding> crash_findings;
  std::string panic_message;
  std::string hang;  // "'CMD' waits on \"WMESG\"", or ""
  int panic_step = -1, hang_step = -1;  // the steps they happened at
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
