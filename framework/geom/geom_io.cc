/*
 * Requests: bio allocation and cloning, g_io_request and g_down,
 * g_io_deliver and g_up, and the synchronous helpers.
 */
#include <sys/systm.h>
#include <sys/malloc.h>
#include <vm/uma.h>

#include "geom_int.h"
#include "kern/fault.h"
#include "kern/trace.h"
#include "kern/format.h"

/* Per boot, as FreeBSD's biozone (uma_zcreate in g_io_init). */
static uma_zone_t biozone;

void
g_io_init(void)
{
	biozone = uma_zcreate("g_bio", sizeof(struct bio), NULL, NULL, NULL,
	    NULL, 0, 0);
}

static void
trace_bio(const char *phase, struct bio *bp, int error)
{
	if (kern::g_tracer == NULL)
		return;
	/* Only a request may look at bio_to: see kern/trace.h. */
	kern::g_tracer->bio(phase, bp->_sim_id,
	    bp->bio_parent ? bp->bio_parent->_sim_id : 0,
	    strcmp(phase, "request") == 0 ? bp->bio_to->name : NULL,
	    bp->bio_cmd, bp->bio_offset, bp->bio_length, error);
}

static struct bio *
g_bio_alloc(int flags)
{
	void *mem = uma_zalloc(biozone, flags | M_ZERO);
	if (mem == NULL)
		return (NULL);
	struct bio *bp = new (mem) bio();
	bp->_sim_magic = G_BIO_MAGIC_LIVE;
	bp->_sim_id = ++g_state->bio_serial;
	g_state->bios_live++;
	return (bp);
}

struct bio *
g_new_bio(void)
{
	if (kern::fault_hit("g_new_bio", NULL))
		return (NULL);
	return (g_bio_alloc(M_NOWAIT));
}

struct bio *
g_alloc_bio(void)
{
	return (g_bio_alloc(M_WAITOK));
}

void
g_destroy_bio(struct bio *bp)
{
	if (bp->_sim_magic != G_BIO_MAGIC_LIVE)
		panic("geomsim: g_destroy_bio(%p) of a bio that is not live "
		    "(destroyed twice?)", bp);
	if (bp->bio_flags & BIO_ONQUEUE)
		panic("geomsim: g_destroy_bio(%p) of a bio still on the %s queue",
		    bp, (bp->_sim_state & G_BIO_SIM_DELIVERED) ? "g_up" : "g_down");
	if (bp->_sim_state & G_BIO_SIM_BIOQ)
		panic("geomsim: g_destroy_bio(%p) of a bio still on a bio queue",
		    bp);
	bp->_sim_magic = G_BIO_MAGIC_DEAD;
	g_state->bios_live--;
	bp->~bio();
	uma_zfree(biozone, bp);
}

struct bio *
g_clone_bio(struct bio *bp)
{
	struct bio *bp2;

	if (kern::fault_hit("g_clone_bio",
	    bp->bio_to != NULL ? bp->bio_to->name : NULL))
		return (NULL);
	bp2 = g_bio_alloc(M_NOWAIT);
	if (bp2 != NULL) {
		bp2->bio_parent = bp;
		bp2->bio_cmd = bp->bio_cmd;
		/*
		 * Only the flags that describe the request travel with a
		 * clone: ordering and how the buffer is passed.
		 */
		bp2->bio_flags = bp->bio_flags &
		    (BIO_ORDERED | BIO_UNMAPPED | BIO_VLIST);
		bp2->bio_length = bp->bio_length;
		bp2->bio_offset = bp->bio_offset;
		bp2->bio_data = bp->bio_data;
		bp2->bio_ma = bp->bio_ma;
		bp2->bio_ma_n = bp->bio_ma_n;
		bp2->bio_ma_offset = bp->bio_ma_offset;
		bp2->bio_attribute = bp->bio_attribute;
		bp2->bio_classifier1 = bp->bio_classifier1;
		bp2->bio_classifier2 = bp->bio_classifier2;
		bp->bio_children++;
	}
	return(bp2);
}

struct bio *
g_duplicate_bio(struct bio *bp)
{
	struct bio *bp2;

	bp2 = g_bio_alloc(M_WAITOK);
	bp2->bio_flags = bp->bio_flags & (BIO_UNMAPPED | BIO_VLIST);
	bp2->bio_parent = bp;
	bp2->bio_cmd = bp->bio_cmd;
	bp2->bio_length = bp->bio_length;
	bp2->bio_offset = bp->bio_offset;
	bp2->bio_data = bp->bio_data;
	bp2->bio_ma = bp->bio_ma;
	bp2->bio_ma_n = bp->bio_ma_n;
	bp2->bio_ma_offset = bp->bio_ma_offset;
	bp2->bio_attribute = bp->bio_attribute;
	bp->bio_children++;
	return(bp2);
}

/* ---------------------------------------------------- down: request */

void
g_io_request(struct bio *bp, struct g_consumer *cp)
{
	struct g_provider *pp;
	int first;

	KASSERT(cp != NULL, ("NULL cp in g_io_request"));
	KASSERT(bp != NULL, ("NULL bp in g_io_request"));
	pp = cp->provider;
	KASSERT(pp != NULL, ("consumer not attached in g_io_request"));
	if (bp->_sim_magic != G_BIO_MAGIC_LIVE)
		panic("geomsim: g_io_request(%p) of a bio that is not live", bp);
#ifdef DIAGNOSTIC
	KASSERT(bp->bio_driver1 == NULL,
	    ("bio_driver1 used by the consumer (geom %s)", cp->geom->name));
	KASSERT(bp->bio_driver2 == NULL,
	    ("bio_driver2 used by the consumer (geom %s)", cp->geom->name));
	KASSERT(bp->bio_pflags == 0,
	    ("bio_pflags used by the consumer (geom %s)", cp->geom->name));
	/*
	 * Remember consumer's private fields, so we can detect if they were
	 * modified by the provider.
	 */
	bp->_bio_caller1 = bp->bio_caller1;
	bp->_bio_caller2 = bp->bio_caller2;
	bp->_bio_cflags = bp->bio_cflags;
#endif

	if (bp->bio_cmd & (BIO_READ|BIO_WRITE|BIO_GETATTR)) {
		KASSERT(bp->bio_data != NULL,
		    ("NULL bp->data in g_io_request(cmd=%hhu)", bp->bio_cmd));
	}
	if (bp->bio_cmd & (BIO_DELETE|BIO_FLUSH)) {
		KASSERT(bp->bio_data == NULL,
		    ("non-NULL bp->data in g_io_request(cmd=%hhu)",
		    bp->bio_cmd));
	}
	if (bp->bio_cmd & (BIO_READ|BIO_WRITE|BIO_DELETE)) {
		/* A provider without a sector size divides by zero here,
		 * as FreeBSD's does: an integer divide fault. */
		KASSERT(bp->bio_offset % cp->provider->sectorsize == 0,
		    ("wrong offset %jd for sectorsize %u",
		    bp->bio_offset, cp->provider->sectorsize));
		KASSERT(bp->bio_length % cp->provider->sectorsize == 0,
		    ("wrong length %jd for sectorsize %u",
		    bp->bio_length, cp->provider->sectorsize));
	}

	g_trace(G_T_BIO, "bio_request(%p) from %p(%s) to %p(%s) cmd %d",
	    bp, cp, cp->geom->name, pp, pp->name, bp->bio_cmd);

	bp->bio_from = cp;
	bp->bio_to = pp;
	/* Who issued it: the simulator's write log names the thread. */
	kern::thread *td = kern::scheduler::current();
	bp->_sim_tid = td != nullptr ? td->tid() : 0;
	bp->bio_error = 0;
	bp->bio_completed = 0;
	bp->_sim_state = (bp->_sim_state & ~G_BIO_SIM_DELIVERED) |
	    G_BIO_SIM_REQUESTED;

	KASSERT(!(bp->bio_flags & BIO_ONQUEUE),
	    ("Bio already on queue bp=%p", bp));
	int64_t now = kern::current_scheduler()->now();
	bp->bio_t0.sec = (time_t)(now / 1000000000);
	bp->bio_t0.frac = (uint64_t)(now % 1000000000);

	pp->nstart++;
	cp->nstart++;
	trace_bio("request", bp, 0);

	mtx_lock(&g_state->down_mtx);
	first = g_state->down_q.empty();
	g_state->down_q.push_back(*bp);
	g_set_flags(bp->bio_flags, (uint8_t)BIO_ONQUEUE);
	mtx_unlock(&g_state->down_mtx);

	/* Pass it on down. */
	if (first)
		wakeup(&g_wait_down);
}

/* What g_down checks before a request reaches the provider's start. */
static int
g_io_check(struct bio *bp)
{
	struct g_consumer *cp;
	struct g_provider *pp;
	off_t excess;

	cp = bp->bio_from;
	pp = bp->bio_to;

	/* Fail if access counters dont allow the operation */
	/* Unlocked reads (see g_load in geom_int.h). */
	switch(bp->bio_cmd) {
	case BIO_READ:
	case BIO_GETATTR:
		if (g_load(cp->acr) == 0)
			return (EPERM);
		break;
	case BIO_WRITE:
	case BIO_DELETE:
	case BIO_FLUSH:
		if (g_load(cp->acw) == 0)
			return (EPERM);
		break;
	default:
		return (EPERM);
	}
	/* if provider is marked for error, don't disturb. */
	if (g_load(pp->error))
		return (g_load(pp->error));
	if (g_load(cp->flags) & G_CF_ORPHAN)
		return (ENXIO);

	switch(bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
	case BIO_DELETE:
		/* Zero sectorsize or mediasize is probably a lack of media. */
		if (pp->sectorsize == 0 || pp->mediasize == 0)
			return (ENXIO);
		/* Reject I/O not on sector boundary */
		if (bp->bio_offset % pp->sectorsize)
			return (EINVAL);
		/* Reject I/O not integral sector long */
		if (bp->bio_length % pp->sectorsize)
			return (EINVAL);
		/* Reject requests before or past the end of media. */
		if (bp->bio_offset < 0)
			return (EIO);
		if (bp->bio_offset > pp->mediasize)
			return (EIO);

		/* Truncate requests to the end of providers media. */
		excess = bp->bio_offset + bp->bio_length;
		if (excess > bp->bio_to->mediasize) {
			excess -= bp->bio_to->mediasize;
			bp->bio_length -= excess;
		}

		/* Deliver zero length transfers right here. */
		if (bp->bio_length == 0)
			return (0);
		break;
	default:
		break;
	}
	return (EJUSTRETURN);
}

void
g_io_schedule_down(void)
{
	struct bio *bp;
	int error;

	for(;;) {
		mtx_lock(&g_state->down_mtx);
		if (g_state->down_q.empty() || g_state->stall_down) {
			msleep(&g_wait_down, &g_state->down_mtx, PRIBIO | PDROP,
			    g_state->stall_down ? "g_stall" : "-", 0);
			continue;
		}
		bp = &g_state->down_q.front();
		g_state->down_q.pop_front();
		KASSERT(bp->bio_flags & BIO_ONQUEUE,
		    ("Bio not on queue bp=%p target %p", bp, bp->bio_to));
		g_clear_flags(bp->bio_flags, (uint8_t)BIO_ONQUEUE);
		mtx_unlock(&g_state->down_mtx);
		if (g_state->pace.exchange(0) != 0) {
			/*
			 * A memory allocation failed since the last request
			 * (an ENOMEM delivery): give the system a tick to free
			 * some, once (FreeBSD 10.2+; older kernels paused hz/10
			 * per failure).
			 */
			pause("g_down", imin(hz/1000, 1));
		}
		error = g_io_check(bp);
		if (error >= 0) {
			g_io_deliver(bp, error);
			continue;
		}
		trace_bio("start", bp, 0);
		THREAD_NO_SLEEPING();
		bp->bio_to->geom->start(bp);
		THREAD_SLEEPING_OK();
	}
}

/* ------------------------------------------------------- up: deliver */

void
g_io_deliver(struct bio *bp, int error)
{
	struct g_consumer *cp;
	struct g_provider *pp;
	int first;

	KASSERT(bp != NULL, ("NULL bp in g_io_deliver"));
	pp = bp->bio_to;
	KASSERT(pp != NULL, ("NULL bio_to in g_io_deliver"));
	if (bp->_sim_magic != G_BIO_MAGIC_LIVE)
		panic("geomsim: g_io_deliver(%p) of a bio that is not live", bp);
	cp = bp->bio_from;
	if (cp == NULL) {
		bp->bio_error = error;
		bp->bio_done(bp);
		return;
	}
	KASSERT(cp != NULL, ("NULL bio_from in g_io_deliver"));
	KASSERT(cp->geom != NULL, ("NULL bio_from->geom in g_io_deliver"));
	if (bp->_sim_state & G_BIO_SIM_DELIVERED)
		panic("geomsim: g_io_deliver(%p) of a bio already delivered "
		    "(%s)", bp, pp->name);
	/* A clone must not outlive its parent (freed memory is trashed, so
	 * a destroyed parent no longer carries the live magic). */
	if (bp->bio_parent != NULL &&
	    bp->bio_parent->_sim_magic != G_BIO_MAGIC_LIVE)
		panic("geomsim: g_io_deliver(%p): its parent bio %p was "
		    "destroyed while the clone was in flight", bp,
		    bp->bio_parent);
#ifdef DIAGNOSTIC
	/*
	 * Some classes may change the consumer's fields of a bio in
	 * transit; G_GEOM_VOLATILE_BIO says it is expected of that geom.
	 */
	if ((cp->geom->flags & G_GEOM_VOLATILE_BIO) == 0) {
		KASSERT(bp->bio_caller1.get() == bp->_bio_caller1,
		    ("bio_caller1 used by the provider %s", pp->name));
		KASSERT(bp->bio_caller2.get() == bp->_bio_caller2,
		    ("bio_caller2 used by the provider %s", pp->name));
		KASSERT(bp->bio_cflags == bp->_bio_cflags,
		    ("bio_cflags used by the provider %s", pp->name));
	}
#endif
	KASSERT(bp->bio_completed >= 0, ("bio_completed can't be less than 0"));
	KASSERT(bp->bio_completed <= bp->bio_length,
	    ("bio_completed can't be greater than bio_length"));

	g_trace(G_T_BIO,
"g_io_deliver(%p) from %p(%s) to %p(%s) cmd %d error %d off %jd len %jd",
	    bp, cp, cp->geom->name, pp, pp->name, bp->bio_cmd, error,
	    (intmax_t)bp->bio_offset, (intmax_t)bp->bio_length);

	KASSERT(!(bp->bio_flags & BIO_ONQUEUE),
	    ("Bio already on queue bp=%p", bp));

	bp->bio_bcount = bp->bio_length;
	bp->bio_resid = bp->bio_bcount - bp->bio_completed;

	cp->nend++;
	pp->nend++;
	trace_bio("deliver", bp, error);
	/*
	 * An orphan waiting on the doorstep for its I/O to drain. (FreeBSD
	 * 10's event thread polls the doorstep every hz/10; here it sleeps
	 * until woken.) The wakeup goes under the event lock: g_event looks
	 * at the counts and goes to sleep with it held, so the wakeup cannot
	 * fall between the two and be lost.
	 */
	if ((g_load(pp->flags) & G_PF_ORPHAN) && pp->nstart == pp->nend) {
		mtx_lock(&g_state->eventlock);
		wakeup(&g_wait_event);
		mtx_unlock(&g_state->eventlock);
	}
	if (error != ENOMEM) {
		bp->bio_error = error;
		bp->_sim_state |= G_BIO_SIM_DELIVERED;
		mtx_lock(&g_state->up_mtx);
		first = g_state->up_q.empty();
		g_state->up_q.push_back(*bp);
		g_set_flags(bp->bio_flags, (uint8_t)BIO_ONQUEUE);
		mtx_unlock(&g_state->up_mtx);
		if (first)
			wakeup(&g_wait_up);
		return;
	}

	/* A request cannot fail for lack of memory: it is issued again. */
	bp->bio_children = 0;
	bp->bio_inbed = 0;
	bp->bio_driver1 = NULL;
	bp->bio_driver2 = NULL;
	bp->bio_pflags = 0;
	g_io_request(bp, cp);
	g_state->pace = 1;	/* atomic: g_down reads it */
	return;
}

void
g_io_schedule_up(void)
{
	struct bio *bp;

	for(;;) {
		mtx_lock(&g_state->up_mtx);
		if (g_state->up_q.empty() || g_state->stall_up) {
			msleep(&g_wait_up, &g_state->up_mtx, PRIBIO | PDROP,
			    g_state->stall_up ? "g_stall" : "-", 0);
			continue;
		}
		bp = &g_state->up_q.front();
		g_state->up_q.pop_front();
		KASSERT(bp->bio_flags & BIO_ONQUEUE,
		    ("Bio not on queue bp=%p target %p", bp, bp->bio_to));
		g_clear_flags(bp->bio_flags, (uint8_t)BIO_ONQUEUE);
		mtx_unlock(&g_state->up_mtx);
		trace_bio("done", bp, bp->bio_error);
		THREAD_NO_SLEEPING();
		biodone(bp);
		THREAD_SLEEPING_OK();
	}
}

/* ------------------------------------------------- biodone / biowait */

void
biodone(struct bio *bp)
{
	void (*done)(struct bio *);

	done = bp->bio_done;
	if (done == NULL) {
		struct mtx *mtxp = mtx_pool_find(mtxpool_sleep, bp);
		mtx_lock(mtxp);
		g_set_flags(bp->bio_flags, (uint8_t)BIO_DONE);
		wakeup(bp);
		mtx_unlock(mtxp);
	} else {
		g_set_flags(bp->bio_flags, (uint8_t)BIO_DONE);
		done(bp);
	}
}

int
biowait(struct bio *bp, const char *wchan)
{
	struct mtx *mtxp = mtx_pool_find(mtxpool_sleep, bp);

	mtx_lock(mtxp);
	while ((g_load(bp->bio_flags) & BIO_DONE) == 0)
		msleep(bp, mtxp, PRIBIO, wchan, 0);
	mtx_unlock(mtxp);
	if (bp->bio_error != 0)
		return (bp->bio_error);
	if (!(g_load(bp->bio_flags) & BIO_ERROR))
		return (0);
	return (EIO);
}

void
biofinish(struct bio *bp, struct devstat *stat, int error)
{
	(void)stat;
	if (error) {
		bp->bio_error = error;
		g_set_flags(bp->bio_flags, (uint8_t)BIO_ERROR);
	}
	biodone(bp);
}

/* ------------------------------------------------- synchronous helpers */

/*
 * g_data(9): "The topology lock must not be held." FreeBSD 10 does not
 * check it, and the request still completes (g_down and g_up never take
 * the lock; the topology just stalls meanwhile). Ported classes do it
 * (g_virstor reads its allocation map so while tasting), and they work on
 * FreeBSD: record the broken rule as a finding, once, without a panic.
 */
static void
g_sync_io_check(const char *what)
{
	if (!g_topology_locked())
		return;
	kern::kernel *k = kern::kernel::current();
	/* Reported once per function: what matters is that the class does it. */
	std::string f = kern::format("%s() called with the topology lock held "
	    "(g_data(9) forbids it; FreeBSD 10 does not check), first in "
	    "thread %s", what, g_thread_name());
	std::string key = kern::format("%s() called with the topology lock held", what);
	for (const std::string &seen : k->findings())
		if (seen.compare(0, key.size(), key) == 0)
			return;
	k->add_finding(f);
}

kvoid
g_read_data(struct g_consumer *cp, off_t offset, off_t length, int *error)
{
	struct bio *bp;
	void *ptr;
	int errorc;

	KASSERT(length > 0 && length >= cp->provider->sectorsize &&
	    length <= MAXPHYS, ("g_read_data(): invalid length %jd",
	    (intmax_t)length));
	g_sync_io_check("g_read_data");

	bp = g_alloc_bio();
	bp->bio_cmd = BIO_READ;
	bp->bio_done = NULL;
	bp->bio_offset = offset;
	bp->bio_length = length;
	ptr = g_malloc(length, M_WAITOK);
	bp->bio_data = (caddr_t)ptr;
	g_io_request(bp, cp);
	errorc = biowait(bp, "gread");
	if (error != NULL)
		*error = errorc;
	g_destroy_bio(bp);
	if (errorc) {
		g_free(ptr);
		ptr = NULL;
	}
	return (ptr);
}

int
g_write_data(struct g_consumer *cp, off_t offset, void *ptr, off_t length)
{
	struct bio *bp;
	int error;

	KASSERT(length > 0 && length >= cp->provider->sectorsize &&
	    length <= MAXPHYS, ("g_write_data(): invalid length %jd",
	    (intmax_t)length));
	g_sync_io_check("g_write_data");

	bp = g_alloc_bio();
	bp->bio_cmd = BIO_WRITE;
	bp->bio_done = NULL;
	bp->bio_offset = offset;
	bp->bio_length = length;
	bp->bio_data = (caddr_t)ptr;
	g_io_request(bp, cp);
	error = biowait(bp, "gwrite");
	g_destroy_bio(bp);
	return (error);
}

int
g_delete_data(struct g_consumer *cp, off_t offset, off_t length)
{
	struct bio *bp;
	int error;

	KASSERT(length > 0 && length >= cp->provider->sectorsize,
	    ("g_delete_data(): invalid length %jd", (intmax_t)length));
	g_sync_io_check("g_delete_data");

	bp = g_alloc_bio();
	bp->bio_cmd = BIO_DELETE;
	bp->bio_done = NULL;
	bp->bio_offset = offset;
	bp->bio_length = length;
	bp->bio_data = NULL;
	g_io_request(bp, cp);
	error = biowait(bp, "gdelete");
	g_destroy_bio(bp);
	return (error);
}

int
g_io_getattr(const char *attr, struct g_consumer *cp, int *len, void *ptr)
{
	struct bio *bp;
	int error;

	g_trace(G_T_BIO, "bio_getattr(%s)", attr);
	bp = g_alloc_bio();
	bp->bio_cmd = BIO_GETATTR;
	bp->bio_done = NULL;
	bp->bio_attribute = attr;
	bp->bio_length = *len;
	bp->bio_data = (caddr_t)ptr;
	g_io_request(bp, cp);
	error = biowait(bp, "ggetattr");
	*len = (int)bp->bio_completed;
	g_destroy_bio(bp);
	return (error);
}

int
g_io_flush(struct g_consumer *cp)
{
	struct bio *bp;
	int error;

	g_trace(G_T_BIO, "bio_flush(%s)", cp->provider->name);
	bp = g_alloc_bio();
	bp->bio_cmd = BIO_FLUSH;
	bp->bio_flags |= BIO_ORDERED;
	bp->bio_done = NULL;
	bp->bio_attribute = NULL;
	bp->bio_offset = cp->provider->mediasize;
	bp->bio_length = 0;
	bp->bio_data = NULL;
	g_io_request(bp, cp);
	error = biowait(bp, "gflush");
	g_destroy_bio(bp);
	return (error);
}

int
g_getattr__(const char *attr, struct g_consumer *cp, void *var, int len)
{
	int error, i;

	i = len;
	error = g_io_getattr(attr, cp, &i, var);
	if (error)
		return (error);
	if (i != len)
		return (EINVAL);
	return (0);
}

void
g_std_done(struct bio *bp)
{
	struct bio *bp2;

	bp2 = bp->bio_parent;
	if (bp2->bio_error == 0)
		bp2->bio_error = bp->bio_error;
	bp2->bio_completed += bp->bio_completed;
	g_destroy_bio(bp);
	bp2->bio_inbed++;
	if (bp2->bio_children == bp2->bio_inbed)
		g_io_deliver(bp2, bp2->bio_error);
}

int
g_handleattr(struct bio *bp, const char *attribute, const void *val, int len)
{
	int error = 0;

	if (strcmp(bp->bio_attribute, attribute))
		return (0);
	if (len == 0) {
		bzero(bp->bio_data, bp->bio_length);
		if (strlcpy(bp->bio_data, (const char *)val, bp->bio_length) >=
		    (size_t)bp->bio_length) {
			printf("%s: %s bio_length %jd len %zu -> EFAULT\n",
			    __func__, bp->bio_to->name,
			    (intmax_t)bp->bio_length, strlen((const char *)val));
			error = EFAULT;
		}
	} else if (bp->bio_length == len) {
		bcopy(val, bp->bio_data, len);
	} else {
		printf("%s: %s bio_length %jd len %d -> EFAULT\n", __func__,
		    bp->bio_to->name, (intmax_t)bp->bio_length, len);
		error = EFAULT;
	}
	if (error == 0)
		bp->bio_completed = bp->bio_length;
	g_io_deliver(bp, error);
	return (1);
}

int
g_handleattr_int(struct bio *bp, const char *attribute, int val)
{
	return (g_handleattr(bp, attribute, &val, sizeof val));
}

int
g_handleattr_uint16_t(struct bio *bp, const char *attribute, uint16_t val)
{
	return (g_handleattr(bp, attribute, &val, sizeof val));
}

int
g_handleattr_off_t(struct bio *bp, const char *attribute, off_t val)
{
	return (g_handleattr(bp, attribute, &val, sizeof val));
}

int
g_handleattr_str(struct bio *bp, const char *attribute, const char *str)
{
	return (g_handleattr(bp, attribute, str, 0));
}

void
g_print_bio(struct bio *bp)
{
	const char *pname, *cmd = NULL;

	if (bp->bio_to != NULL)
		pname = bp->bio_to->name;
	else
		pname = "[unknown]";

	switch (bp->bio_cmd) {
	case BIO_GETATTR:
		cmd = "GETATTR";
		printf("%s[%s(attr=%s)]", pname, cmd, bp->bio_attribute);
		return;
	case BIO_FLUSH:
		cmd = "FLUSH";
		printf("%s[%s]", pname, cmd);
		return;
	case BIO_READ:
		cmd = "READ";
		break;
	case BIO_WRITE:
		cmd = "WRITE";
		break;
	case BIO_DELETE:
		cmd = "DELETE";
		break;
	default:
		cmd = "UNKNOWN";
		printf("%s[%s()]", pname, cmd);
		return;
	}
	printf("%s[%s(offset=%jd, length=%jd)]", pname, cmd,
	    (intmax_t)bp->bio_offset, (intmax_t)bp->bio_length);
}
