/*
 * geom_int.h — the framework's private state: one g_state per boot.
 */
#ifndef _GEOM_GEOM_INT_H_
#define _GEOM_GEOM_INT_H_

#include <unordered_map>

#include <sys/sx.h>
#include <geom/geom.h>

#include "kern/kernel.h"
#include "kern/sync.h"

/* Internal event flags (the handler sees only 0 or EV_CANCEL). */
#define EV_DONE		0x80000
#define EV_WAKEUP	0x40000
#define EV_CANCELED	0x20000
#define EV_INPROGRESS	0x10000

struct g_event {
	g_link<g_event>	events;
	g_event_t	*func;
	void		*arg;
	int		flag;
	void		*ref[G_N_EVENTREFS];
};

/* Kinds of live GEOM objects, for the G_VALID_* checks. */
enum g_obj_kind { G_OBJ_CLASS = 1, G_OBJ_GEOM, G_OBJ_CONSUMER, G_OBJ_PROVIDER };

/* Thread kinds (kern::thread::kind). */
enum { G_THREAD_NONE = 0, G_THREAD_EVENT, G_THREAD_UP, G_THREAD_DOWN };

struct g_state {
	struct sx topology_lock;
	struct mtx eventlock;		/* "GEOM orphanage" */
	g_list<g_event, &g_event::events> events;
	g_list<g_provider, &g_provider::orphan> doorstep;
	bool wither_work;
	bool shutdown;
	bool stall_event;		/* g_stall.h; under eventlock */

	struct mtx down_mtx;		/* g_down queue */
	struct mtx up_mtx;		/* g_up queue */
	bio_list_t down_q;
	bio_list_t up_q;
	bio_list_t task_q;
	std::atomic<int> pace;		/* an ENOMEM was delivered: g_down pauses */
	bool stall_down;		/* g_stall.h; under down_mtx */
	bool stall_up;			/* g_stall.h; under up_mtx */

	g_list<g_class, &g_class::class_> classes;
	g_list<g_geom, &g_geom::geoms> geoms;	/* in rank order */

	kern::thread *event_td, *up_td, *down_td;

	/* G_VALID_*: every live GEOM object. */
	std::unordered_map<const void *, int> valid;

	/* Bios: live count and a serial for the emulation's own checks. */
	std::atomic<long> bios_live;
	std::atomic<uint64_t> bio_serial;
};

extern struct g_state *g_state;

/* Wait channels. */
extern int g_wait_event, g_wait_up, g_wait_down, g_pending_events;

/* geom_kern.c */
void g_init(void);
extern int g_notaste;

/* Emulation-only bio states (struct bio's _sim_* fields). */
#define G_BIO_MAGIC_LIVE	0x62696f21u	/* "bio!" */
#define G_BIO_MAGIC_DEAD	0x64656164u	/* "dead" */
#define G_BIO_SIM_REQUESTED	0x1	/* went through g_io_request */
#define G_BIO_SIM_DELIVERED	0x2	/* g_io_deliver'ed, not requested again */
#define G_BIO_SIM_BIOQ		0x4	/* on a bio_queue_head */

/*
 * Fields the topology lock (or the event mutex) guards for writers, but
 * that the I/O path reads without any lock: access counts, provider error,
 * consumer and provider flags. FreeBSD relies on aligned int loads and
 * stores being atomic; here they are relaxed atomic accesses, so that the
 * threads scheduler has no data race. Writers that are read-modify-write
 * (flags) use atomic or/and: two writers may hold different locks.
 */
template <class T>
static inline T
g_load(const T &v)
{
	return (__atomic_load_n(&v, __ATOMIC_RELAXED));
}
template <class T>
static inline void
g_store(T &v, T x)
{
	__atomic_store_n(&v, x, __ATOMIC_RELAXED);
}
template <class T>
static inline void
g_set_flags(T &v, T bits)
{
	__atomic_fetch_or(&v, bits, __ATOMIC_RELAXED);
}
template <class T>
static inline void
g_clear_flags(T &v, T bits)
{
	__atomic_fetch_and(&v, (T)~bits, __ATOMIC_RELAXED);
}

/* geom_event.c */
void g_run_events(void);
void g_orphan_register(struct g_provider *pp);
void g_do_wither(void);
int g_event_busy(void);

/* geom_subr.c */
void g_wither_washer(void);
void g_new_provider_event(void *arg, int flag);
int g_valid_obj(void const *ptr);
void g_valid_add(const void *ptr, int kind);
void g_valid_del(const void *ptr);
void g_reset_class(struct g_class *mp);

/* geom_io.c */
void g_io_init(void);
void g_io_schedule_down(void);
void g_io_schedule_up(void);

/* geom_dump.c */
void g_confxml(void *, int flag);
void g_confdot(void *, int flag);
void g_conftxt(void *, int flag);

/* geom_ctl.c */
void g_ctl_init(void);

/* Memory and thread helpers shared by the framework. */
const char *g_thread_name(void);
int g_current_thread_kind(void);

#endif /* !_GEOM_GEOM_INT_H_ */
