/*
 * The g_event thread: posted events, orphan notifications and the wither
 * washer, all run one at a time with the topology lock held.
 *
 * Order of work (what classes may rely on):
 *  1. an orphaned provider whose I/O has drained is processed first;
 *  2. otherwise the oldest posted event runs;
 *  3. only when neither is left does the washer run (if kicked).
 * FreeBSD 10 polls the doorstep every 100 ms while a provider still has
 * I/O in flight; here g_io_deliver wakes g_event when the last request of
 * an orphaned provider completes, so an orphan whose I/O never completes
 * does not keep simulated time running (same order, no polling).
 */
#include <sys/systm.h>
#include <sys/malloc.h>

#include "geom_int.h"

int g_wait_event, g_wait_up, g_wait_down, g_pending_events;

static struct g_event *
g_event_alloc(int flag)
{
	void *mem = g_malloc(sizeof(struct g_event), flag | M_ZERO);
	if (mem == NULL)
		return (NULL);
	return (new (mem) g_event());
}

static void
g_event_free(struct g_event *ep)
{
	ep->~g_event();
	g_free(ep);
}

/* Called with the eventlock held; the handler must not sleep. */
static void
g_cancel_one(struct g_event *ep)
{
	g_state->events.remove(ep);
	THREAD_NO_SLEEPING();
	ep->func(ep->arg, EV_CANCEL);
	THREAD_SLEEPING_OK();
	mtx_assert(&g_state->eventlock, MA_OWNED);
	if (ep->flag & EV_WAKEUP) {
		ep->flag |= (EV_DONE | EV_CANCELED);
		wakeup(ep);
	} else {
		g_event_free(ep);
	}
}

void
g_cancel_event(void *ref)
{
	struct g_provider *pp;
	struct g_event *ep, *epn;

	if (g_state == NULL)
		return;
	mtx_lock(&g_state->eventlock);
	for (pp = g_state->doorstep.first(); pp != NULL; pp = pp->orphan.next()) {
		if (pp != ref)
			continue;
		g_state->doorstep.remove(pp);
		break;
	}
	for (ep = g_state->events.first(); ep != NULL; ep = epn) {
		epn = ep->events.next();
		if (ep->flag & EV_INPROGRESS)
			continue;
		for (int n = 0; n < G_N_EVENTREFS && ep->ref[n] != NULL; n++) {
			if (ep->ref[n] == ref) {
				g_cancel_one(ep);
				break;
			}
		}
	}
	if (g_state->events.empty())
		wakeup(&g_pending_events);
	mtx_unlock(&g_state->eventlock);
}

static int
g_post_event_x(g_event_t *func, void *arg, int flag, int wuflag,
    struct g_event **epp, va_list ap)
{
	struct g_event *ep;
	void *p;
	int n;

	KASSERT(flag == M_WAITOK || flag == M_NOWAIT,
	    ("Wrong flag to g_post_event"));
	ep = g_event_alloc(flag);
	if (ep == NULL)
		return (ENOMEM);
	ep->flag = wuflag;
	/* The reference list ends with NULL, within G_N_EVENTREFS values. */
	p = NULL;
	for (n = 0; n < G_N_EVENTREFS; n++) {
		p = va_arg(ap, void *);
		if (p == NULL)
			break;
		ep->ref[n] = p;
	}
	KASSERT(p == NULL, ("Too many references to event"));
	ep->func = func;
	ep->arg = arg;
	mtx_lock(&g_state->eventlock);
	g_state->events.insert_tail(ep);
	mtx_unlock(&g_state->eventlock);
	wakeup(&g_wait_event);
	if (epp != NULL)
		*epp = ep;
	kern::thread *td = kern::scheduler::current();
	if (td != nullptr)
		td->tickled_geom = true;	/* TDP_GEOM */
	return (0);
}

int
g_post_event(g_event_t *func, void *arg, int flag, ...)
{
	va_list ap;
	int error;

	va_start(ap, flag);
	error = g_post_event_x(func, arg, flag, 0, NULL, ap);
	va_end(ap);
	return (error);
}

int
g_waitfor_event(g_event_t *func, void *arg, int flag, ...)
{
	struct g_event *ep;
	va_list ap;
	int error;

	g_topology_assert_not();
	if (g_current_thread_kind() == G_THREAD_EVENT)
		panic("g_waitfor_event called on the g_event thread: it would "
		    "wait for itself forever");
	va_start(ap, flag);
	error = g_post_event_x(func, arg, flag, EV_WAKEUP, &ep, ap);
	va_end(ap);
	if (error)
		return (error);

	mtx_lock(&g_state->eventlock);
	while (!(ep->flag & EV_DONE))
		msleep(ep, &g_state->eventlock, PRIBIO, "g_waitfor_event", 0);
	if (ep->flag & EV_CANCELED)
		error = EAGAIN;
	mtx_unlock(&g_state->eventlock);

	g_event_free(ep);
	return (error);
}

void
g_waitidle(void)
{
	g_topology_assert_not();
	mtx_lock(&g_state->eventlock);
	while (!g_state->events.empty())
		msleep(&g_pending_events, &g_state->eventlock, PRIBIO,
		    "g_waitidle", 0);
	mtx_unlock(&g_state->eventlock);
	kern::thread *td = kern::scheduler::current();
	if (td != nullptr)
		td->tickled_geom = false;
}

void
g_orphan_provider(struct g_provider *pp, int error)
{
	/* G_VALID_PROVIDER(pp)  We likely lack topology lock */
	g_trace(G_T_TOPOLOGY, "g_orphan_provider(%p(%s), %d)", pp, pp->name,
	    error);
	KASSERT(error != 0,
	    ("g_orphan_provider(%p(%s), 0) error must be non-zero\n",
	     pp, pp->name));

	g_store(pp->error, error);
	mtx_lock(&g_state->eventlock);
	KASSERT(!(g_load(pp->flags) & G_PF_ORPHAN),
	    ("g_orphan_provider(%p(%s)), already an orphan", pp, pp->name));
	g_set_flags(pp->flags, (u_int)G_PF_ORPHAN);
	g_state->doorstep.insert_tail(pp);
	mtx_unlock(&g_state->eventlock);
	wakeup(&g_wait_event);
}

/* Tells each consumer of an orphaned provider, on g_event. */
void
g_orphan_register(struct g_provider *pp)
{
	struct g_consumer *cp, *cp2;
	int wf;

	g_topology_assert();
	G_VALID_PROVIDER(pp);
	g_trace(G_T_TOPOLOGY, "g_orphan_register(%s)", pp->name);

	g_cancel_event(pp);

	wf = g_load(pp->flags) & G_PF_WITHER;
	g_clear_flags(pp->flags, (u_int)G_PF_WITHER);

	for (cp = LIST_FIRST(&pp->consumers); cp != NULL; cp = cp2) {
		cp2 = LIST_NEXT(cp, consumers);
		KASSERT(cp->geom->orphan != NULL,
		    ("geom %s has no orphan, class %s",
		    cp->geom->name, cp->geom->class_->name));
		if (g_load(cp->flags) & G_CF_ORPHAN)
			continue;
		g_set_flags(cp->flags, G_CF_ORPHAN);
		cp->geom->orphan(cp);
		g_topology_assert();
	}
	if (LIST_EMPTY(&pp->consumers) && wf)
		g_destroy_provider(pp);
	else
		g_set_flags(pp->flags, (u_int)wf);
}

/* One step of work; returns 0 (with the eventlock held) when idle. */
static int
one_event(void)
{
	struct g_event *ep;
	struct g_provider *pp;

	g_topology_assert();
	mtx_lock(&g_state->eventlock);
	for (pp = g_state->doorstep.first(); pp != NULL; pp = pp->orphan.next()) {
		if (pp->nstart == pp->nend)
			break;
	}
	if (pp != NULL) {
		g_state->doorstep.remove(pp);
		mtx_unlock(&g_state->eventlock);
		g_orphan_register(pp);
		return (1);
	}

	ep = g_state->events.first();
	if (ep == NULL) {
		wakeup(&g_pending_events);
		return (0);
	}
	if (ep->flag & EV_INPROGRESS) {
		mtx_unlock(&g_state->eventlock);
		return (1);
	}
	ep->flag |= EV_INPROGRESS;
	mtx_unlock(&g_state->eventlock);
	g_topology_assert();
	ep->func(ep->arg, 0);
	g_topology_assert();
	mtx_lock(&g_state->eventlock);
	g_state->events.remove(ep);
	ep->flag &= ~EV_INPROGRESS;
	if (ep->flag & EV_WAKEUP) {
		ep->flag |= EV_DONE;
		mtx_unlock(&g_state->eventlock);
		wakeup(ep);
	} else {
		mtx_unlock(&g_state->eventlock);
		g_event_free(ep);
	}
	return (1);
}

void
g_run_events(void)
{
	for (;;) {
		/* Held back by a scenario (g_stall.h)? */
		mtx_lock(&g_state->eventlock);
		while (g_state->stall_event)
			msleep(&g_wait_event, &g_state->eventlock, PRIBIO,
			    "g_stall", 0);
		mtx_unlock(&g_state->eventlock);
		g_topology_lock();
		while (one_event())
			;
		mtx_assert(&g_state->eventlock, MA_OWNED);
		if (g_state->wither_work) {
			g_state->wither_work = false;
			mtx_unlock(&g_state->eventlock);
			g_wither_washer();
			g_topology_unlock();
		} else {
			g_topology_unlock();
			msleep(&g_wait_event, &g_state->eventlock, PRIBIO | PDROP,
			    "-", 0);
		}
	}
}

void
g_do_wither(void)
{
	mtx_lock(&g_state->eventlock);
	g_state->wither_work = true;
	mtx_unlock(&g_state->eventlock);
	wakeup(&g_wait_event);
}

int
g_event_busy(void)
{
	return (!g_state->events.empty() || !g_state->doorstep.empty());
}
