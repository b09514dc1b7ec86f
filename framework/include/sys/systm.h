/*
 * sys/systm.h — the kernel's printf, panic, KASSERT and libkern helpers.
 *
 * printf(9) writes to the simulated console (it is a macro over
 * kern_printf, since the host's printf has the same signature). panic(9)
 * and a failed KASSERT stop the simulated kernel: the message is reported
 * with the thread and the user's command, and the simulator carries on.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/kvoid.h>

int kern_printf(const char *fmt, ...) __printflike(1, 2);
int kern_vprintf(const char *fmt, va_list ap);

template <class... A>
inline int
kern_printf_args(const char *fmt, A... args)
{
	return (kern_printf(fmt, kern_arg(args)...));
}
#define printf(...) kern_printf_args(__VA_ARGS__)
#define vprintf(fmt, ap) kern_vprintf((fmt), (ap))

[[noreturn]] void kern_panic(const char *fmt, ...) __printflike(1, 2);

template <class... A>
[[noreturn]] inline void
panic(const char *fmt, A... args)
{
	kern_panic(fmt, kern_arg(args)...);
}

#define KASSERT(exp, msg) do {						\
	if (__predict_false(!(exp)))					\
		panic msg;						\
} while (0)
#define MPASS(ex) KASSERT((ex), ("Assertion %s failed at %s:%d", #ex,	\
	__FILE__, __LINE__))
#define CTASSERT(x) static_assert(x, "compile-time assertion failed")

/* libkern */
static inline int imax(int a, int b) { return (a > b ? a : b); }
static inline int imin(int a, int b) { return (a < b ? a : b); }
static inline long lmax(long a, long b) { return (a > b ? a : b); }
static inline long lmin(long a, long b) { return (a < b ? a : b); }
static inline u_int max(u_int a, u_int b) { return (a > b ? a : b); }
static inline u_int min(u_int a, u_int b) { return (a < b ? a : b); }
static inline quad_t qmax(quad_t a, quad_t b) { return (a > b ? a : b); }
static inline quad_t qmin(quad_t a, quad_t b) { return (a < b ? a : b); }
static inline u_long ulmax(u_long a, u_long b) { return (a > b ? a : b); }
static inline u_long ulmin(u_long a, u_long b) { return (a < b ? a : b); }
static inline off_t omax(off_t a, off_t b) { return (a > b ? a : b); }
static inline off_t omin(off_t a, off_t b) { return (a < b ? a : b); }

size_t kern_strlcpy(char *dst, const char *src, size_t size);
size_t kern_strlcat(char *dst, const char *src, size_t size);
#define strlcpy(d, s, n) kern_strlcpy((d), (s), (n))
#define strlcat(d, s, n) kern_strlcat((d), (s), (n))

/* arc4random(9): from the kernel's seeded generator (the host has one). */
uint32_t kern_arc4random(void);
#define arc4random() kern_arc4random()

/* The clock: hz ticks per second of simulated time. */
extern int hz;
int kern_ticks(void);
#define ticks (kern_ticks())

/* sleep(9) on a wait channel. timo is in ticks, 0 = forever. */
struct mtx;
int msleep(void *chan, struct mtx *mtx, int pri, const char *wmesg, int timo);
int tsleep(void *chan, int pri, const char *wmesg, int timo);
int pause(const char *wmesg, int timo);
void wakeup(void *chan);
void wakeup_one(void *chan);
#define PRIBIO 76
#define PDROP 0x200
#define PCATCH 0x100

/* What the calling simulated thread is (for asserts and traces). */
struct thread;
struct thread *kern_curthread(void);
#define curthread (kern_curthread())
const char *kern_thread_name(const struct thread *td);

/* THREAD_NO_SLEEPING()/THREAD_SLEEPING_OK() */
void kern_thread_no_sleeping(int delta);
#define THREAD_NO_SLEEPING() kern_thread_no_sleeping(1)
#define THREAD_SLEEPING_OK() kern_thread_no_sleeping(-1)

#endif /* !_SYS_SYSTM_H_ */
