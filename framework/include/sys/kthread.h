/*
 * sys/kthread.h — kernel threads and processes (kthread(9), kproc(9)).
 *
 * Each is a simulated thread: it takes part in scheduling like the GEOM
 * threads do, and is unwound when the kernel stops.
 */
#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/proc.h>

int kproc_create(void (*func)(void *), void *arg, struct proc **procptr,
    int flags, int pages, const char *fmt, ...) __printflike(6, 7);
[[noreturn]] void kproc_exit(int ecode);
int kthread_add(void (*func)(void *), void *arg, struct proc *p,
    struct thread **tdptr, int flags, int pages, const char *fmt, ...)
    __printflike(7, 8);
[[noreturn]] void kthread_exit(void);

#endif /* !_SYS_KTHREAD_H_ */
