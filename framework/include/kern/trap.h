// kern/trap.h — hardware traps in simulated kernel code.
//
// Class code ported line for line keeps its bugs, and some of them
// dereference NULL or divide by zero. In a FreeBSD kernel that is a "Fatal
// trap" and a panic; here it must be the same, never a crash of the
// simulator. All kernel-space code is compiled with -fnon-call-exceptions,
// so the SIGSEGV/SIGBUS/SIGFPE/SIGILL handler installed here can throw a
// kern::trap out of the faulting instruction when it happened in a
// simulated thread. The thread unwinds to its entry, where the kernel turns
// the trap into a panic report. A fault in the host (the simulator itself)
// is not caught: it is a simulator bug and crashes as usual.
#pragma once

namespace kern {

struct trap {
  int signo;   // host signal
  int code;    // si_code
  void *addr;  // faulting data address (SIGSEGV/SIGBUS) or instruction
  bool write;  // the faulting access was a write
};

// Installs the process-wide handlers and an alternate signal stack for the
// calling OS thread (idempotent).
void install_trap_handlers();
// Alternate signal stack for another OS thread (threads mode).
void *install_altstack();
void free_altstack(void *);

}  // namespace kern
