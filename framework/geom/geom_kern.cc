/*
 * Bringing GEOM up at boot: the topology lock, the event queue, the
 * g_event, g_up and g_down threads, and the kern.geom sysctls.
 */
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>

#include "geom_int.h"

struct g_state *g_state;
int g_debugflags;
static int g_collectstats = 1;
int g_notaste;

SYSCTL_INT(_kern_geom, OID_AUTO, debugflags, CTLFLAG_RW, &g_debugflags, 0,
    "Set various trace levels for GEOM debugging");
SYSCTL_INT(_kern_geom, OID_AUTO, collectstats, CTLFLAG_RW, &g_collectstats, 0,
    "Control statistics collection on GEOM providers and consumers");
SYSCTL_INT(_kern_geom, OID_AUTO, notaste, CTLFLAG_RW, &g_notaste, 0,
    "Prevent GEOM tasting");

static void
g_event_procbody(void)
{
	kern::scheduler::current()->kind = G_THREAD_EVENT;
	g_run_events();
}

static void
g_up_procbody(void)
{
	kern::scheduler::current()->kind = G_THREAD_UP;
	g_io_schedule_up();
}

static void
g_down_procbody(void)
{
	kern::scheduler::current()->kind = G_THREAD_DOWN;
	g_io_schedule_down();
}

/* Reads a configuration dump by running its generator as an event. */
static int
conf_sysctl(g_event_t *gen, std::string &out)
{
	struct sbuf *sb = sbuf_new_auto();
	int error = g_waitfor_event(gen, sb, M_WAITOK, NULL);
	if (error == 0) {
		sbuf_finish(sb);
		out = sbuf_data(sb);
	}
	sbuf_delete(sb);
	return (error);
}

static void
add_conf_sysctl(kern::kernel *k, const char *name, const char *descr,
    g_event_t *gen)
{
	kern::sysctl_oid oid;
	oid.path = std::string("kern.geom.") + name;
	oid.kind = kern::sysctl_kind::proc;
	oid.descr = descr;
	oid.read = [gen](std::string &out) { return (conf_sysctl(gen, out)); };
	k->sysctls().add(oid);
}

void
g_init(void)
{
	kern::kernel *k = kern::kernel::current();

	g_state = new struct g_state();
	g_state->wither_work = false;
	g_state->shutdown = false;
	g_state->stall_event = g_state->stall_down = g_state->stall_up = false;
	g_state->pace = 0;
	g_state->bios_live = 0;
	g_state->bio_serial = 0;
	sx_init(&g_state->topology_lock, "GEOM topology");
	mtx_init(&g_state->eventlock, "GEOM orphanage", NULL, MTX_DEF);
	mtx_init(&g_state->down_mtx, "g_down", NULL, MTX_DEF);
	mtx_init(&g_state->up_mtx, "g_up", NULL, MTX_DEF);
	g_io_init();
	g_ctl_init();

	add_conf_sysctl(k, "confxml", "Dump the GEOM config in XML", g_confxml);
	add_conf_sysctl(k, "confdot", "Dump the GEOM config in dot", g_confdot);
	add_conf_sysctl(k, "conftxt", "Dump the GEOM config in txt", g_conftxt);

	/* What a thread that posted events does on its way back to user
	 * space: wait for GEOM to settle (TDP_GEOM). */
	k->userret = [] {
		kern::thread *td = kern::scheduler::current();
		if (td != nullptr && td->tickled_geom)
			g_waitidle();
	};
	k->at_destroy([] {
		/* The classes are static: forget this boot's geoms. */
		for (auto it = g_state->classes.begin();
		    it != g_state->classes.end();) {
			struct g_class *mp = &*it;
			++it;
			g_reset_class(mp);
		}
		g_state->classes.reset();
		g_state->geoms.reset();
		g_state->events.reset();
		g_state->doorstep.reset();
		g_state->down_q.clear();
		g_state->up_q.clear();
		g_state->task_q.clear();
		delete g_state;
		g_state = nullptr;
	});

	kern::scheduler &s = k->sched();
	g_state->event_td = s.spawn("g_event", g_event_procbody, true);
	g_state->up_td = s.spawn("g_up", g_up_procbody, true);
	g_state->down_td = s.spawn("g_down", g_down_procbody, true);
}

static void
g_fini(void)
{
	g_state->shutdown = true;
}

static kern::sysinit geom_sysinit(kern::SI_KERN_GEOM, "geom", g_init, g_fini);

int
g_is_geom_thread(struct thread *td)
{
	auto *t = reinterpret_cast<kern::thread *>(td);
	return (t != nullptr && t->kind != G_THREAD_NONE);
}

const char *
g_thread_name(void)
{
	kern::thread *t = kern::scheduler::current();
	return (t ? t->name().c_str() : "(host)");
}

int
g_current_thread_kind(void)
{
	kern::thread *t = kern::scheduler::current();
	return (t ? t->kind : G_THREAD_NONE);
}
