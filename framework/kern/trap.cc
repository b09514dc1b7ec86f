// Turns faults in simulated threads into kern::trap exceptions. See kern/trap.h.
#include "kern/trap.h"

#include <signal.h>
#include <ucontext.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "kern/sched.h"

namespace kern {

namespace {
constexpr size_t kAltStack = 64 * 1024;

void handler(int signo, siginfo_t *si, void *uc) {
  scheduler *s = current_scheduler();
  if (scheduler::current() == nullptr || s == nullptr) {
    // The host faulted: a simulator bug. Let it crash as it would have.
    signal(signo, SIG_DFL);
    return;
  }
  s->stop_from_signal();
  // We leave the handler by unwinding, not by sigreturn: unblock the signal
  // so that the next trap is delivered too.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signo);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  bool write = false;
#if defined(__x86_64__)
  write = (((ucontext_t *)uc)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
  (void)uc;
#endif
  throw trap{signo, si->si_code, si->si_addr, write};
}

thread_local bool tls_has_altstack = false;
}  // namespace

void *install_altstack() {
  if (tls_has_altstack) return nullptr;
  stack_t ss;
  ss.ss_sp = std::malloc(kAltStack);
  ss.ss_size = kAltStack;
  ss.ss_flags = 0;
  sigaltstack(&ss, nullptr);
  tls_has_altstack = true;
  return ss.ss_sp;
}

void free_altstack(void *p) {
  // Called from the host after the OS thread ended.
  std::free(p);
}

void install_trap_handlers() {
  // Installed at every boot, not once per process: a host library (a
  // test framework's crash reporter, say) may have replaced the handlers
  // since the previous boot, and a fault in kernel code must still become
  // a simulated panic.
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
  sigaction(SIGFPE, &sa, nullptr);
  sigaction(SIGILL, &sa, nullptr);
  install_altstack();
}

}  // namespace kern
