// Stalling GEOM threads. See sim/scenario/stall.h.
#include "sim/scenario/stall.h"

#include <geom/g_stall.h>

#include "sim/scenario/hardware.h"

namespace sim {

std::string stall_now(machine &m, const directive &d) {
  kern::kernel *k = m.kernel();
  if (k == nullptr) return "the kernel is not running";
  int error = 0;
  bool stall = d.kind == directive::stall;
  kern::thread *t = k->run(stall ? "stall" : "resume", [&] {
    error = stall ? g_stall_thread(d.thread.c_str()) : g_resume_thread(d.thread.c_str());
  });
  k->reap(t);
  if (error != 0) return "unknown GEOM thread '" + d.thread + "'";
  return "";
}

std::string arm_stall(machine &m, const directive &d) {
  // A trigger fires in the simulated thread that moves the request (a
  // disk's worker), where g_stall_thread may be called.
  m.power_control().stall_handler = [](const std::string &thread) {
    g_stall_thread(thread.c_str());
  };
  trigger t = hw_trigger(d);
  t.then_stall(d.thread);
  m.power_control().add(t);
  return "";
}

}  // namespace sim
