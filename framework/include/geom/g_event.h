/*
 * geom/g_event.h — the event queue run by the g_event thread.
 *
 * Events run one at a time, in posting order, on g_event, with the
 * topology lock held; orphan notifications of providers without I/O in
 * flight go first. The variadic tail of g_post_event/g_waitfor_event is a
 * NULL-terminated list of references (at most 19) by which g_cancel_event
 * can find the event; flag must be M_WAITOK or M_NOWAIT. g_waitfor_event
 * and g_waitidle sleep, so they must not be called with the topology lock
 * held, nor from g_event itself (that would deadlock: the simulator
 * detects it and panics).
 */
#ifndef _GEOM_G_EVENT_H_
#define _GEOM_G_EVENT_H_

typedef void g_event_t(void *, int flag);
#define EV_CANCEL	1

#define G_N_EVENTREFS	20

int g_post_event(g_event_t *func, void *arg, int flag, ...);
int g_waitfor_event(g_event_t *func, void *arg, int flag, ...);
void g_cancel_event(void *ref);
void g_waitidle(void);

#endif /* !_GEOM_G_EVENT_H_ */
