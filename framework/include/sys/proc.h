/*
 * sys/proc.h — processes and threads, as far as class code sees them.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/systm.h>

struct proc;
struct thread;

#define RFHIGHPID	(1 << 18)
#define RFNOWAIT	(1 << 6)

#endif /* !_SYS_PROC_H_ */
