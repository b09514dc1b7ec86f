/*
 * geom/g_stall.h — holding a GEOM thread back (a simulation control).
 *
 * On a real machine g_event, g_up and g_down run on whatever CPU is free,
 * and any of them can be kept off the CPU for a while: the races between
 * them depend on it. A stalled thread finishes the piece of work it is
 * doing (one event, one bio), then takes no more until it is resumed, as
 * if it got no CPU. What is queued for it meanwhile waits, and so does
 * every thread waiting for that: a write whose completion g_up holds,
 * a g_waitidle() while g_event is stalled.
 *
 * Scenarios reach this through "@stall THREAD" and "@resume THREAD"; the
 * GEOM rules themselves are unchanged. Call from a simulated thread,
 * without the topology lock. Stalls end with the boot.
 */
#ifndef _GEOM_G_STALL_H_
#define _GEOM_G_STALL_H_

/* thread: "g_event", "g_up" or "g_down". 0, or EINVAL for another name. */
int g_stall_thread(const char *thread);
int g_resume_thread(const char *thread);
/* 1 if the thread is stalled, 0 if not, -1 for another name. */
int g_thread_stalled(const char *thread);

#endif /* !_GEOM_G_STALL_H_ */
