/*
 * The PROBE class for the simulator's tests. See tests/sim/probe.h.
 */
#include <sys/systm.h>
#include <sys/bio.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <geom/geom.h>

#include "tests/sim/probe.h"

MALLOC_DEFINE(M_PROBE, "probe", "test probe");

struct probe_state {
	struct mtx		 mtx;
	struct g_geom		*gp;
	struct g_consumer	*cp;
	probe::probe_results	 res;
	std::vector<char *>	 bufs;
};
static struct probe_state *ps;

static g_orphan_t probe_orphan;

static struct g_class probe_class = {
	.name = "PROBE",
	.version = G_VERSION,
	.orphan = probe_orphan,
};

DECLARE_GEOM_CLASS_BUILTIN(probe_class, g_probe, 90);

static void
probe_orphan(struct g_consumer *cp)
{
	g_topology_assert();
	ps->res.orphaned = true;
	if (cp->acr > 0 || cp->acw > 0 || cp->ace > 0)
		g_access(cp, -cp->acr, -cp->acw, -cp->ace);
	g_wither_geom(cp->geom, ENXIO);
}

static void
probe_done(struct bio *bp)
{
	int i = (int)(intptr_t)bp->bio_caller1.get();

	mtx_lock(&ps->mtx);
	ps->res.done_count[i]++;
	ps->res.completed++;
	ps->res.error[i] = bp->bio_error;
	if (bp->bio_cmd == BIO_READ && bp->bio_error == 0)
		ps->res.data[i].assign(bp->bio_data, bp->bio_data +
		    bp->bio_length);
	mtx_unlock(&ps->mtx);
	g_destroy_bio(bp);
	wakeup(ps);
}

int
probe::probe_attach(const std::string &provider)
{
	struct g_provider *pp;
	int error;

	if (ps == NULL) {
		ps = new probe_state();
		mtx_init(&ps->mtx, "probe", NULL, MTX_DEF);
		kern::kernel::current()->at_destroy([] {
			delete ps;
			ps = NULL;
		});
	}
	ps->res = probe::probe_results();
	g_topology_lock();
	pp = g_provider_by_name(provider.c_str());
	if (pp == NULL) {
		g_topology_unlock();
		return (ENOENT);
	}
	ps->gp = g_new_geomf(&probe_class, "probe.%s", pp->name);
	ps->cp = g_new_consumer(ps->gp);
	error = g_attach(ps->cp, pp);
	if (error == 0)
		error = g_access(ps->cp, 1, 1, 0);
	g_topology_unlock();
	return (error);
}

static void
probe_issue(int cmd, int n, int64_t off, int64_t len, unsigned char fill)
{
	for (int i = 0; i < n; i++) {
		struct bio *bp = g_alloc_bio();
		char *buf = NULL;

		if (cmd != BIO_FLUSH) {
			buf = (char *)malloc(len, M_PROBE, M_WAITOK | M_ZERO);
			if (cmd == BIO_WRITE)
				memset(buf, fill + i, len);
		}
		mtx_lock(&ps->mtx);
		int idx = ps->res.issued++;
		ps->res.done_count.push_back(0);
		ps->res.error.push_back(-1);
		ps->res.data.emplace_back();
		if (buf != NULL)
			ps->bufs.push_back(buf);
		mtx_unlock(&ps->mtx);
		bp->bio_cmd = cmd;
		bp->bio_offset = cmd == BIO_FLUSH ? ps->cp->provider->mediasize :
		    off + i * len;
		bp->bio_length = cmd == BIO_FLUSH ? 0 : len;
		bp->bio_data = buf;
		bp->bio_done = probe_done;
		bp->bio_caller1 = (void *)(intptr_t)idx;
		if (cmd == BIO_FLUSH)
			bp->bio_flags |= BIO_ORDERED;
		g_io_request(bp, ps->cp);
	}
}

void
probe::probe_write(int n, int64_t off, int64_t len, unsigned char fill)
{
	probe_issue(BIO_WRITE, n, off, len, fill);
}

void
probe::probe_read(int n, int64_t off, int64_t len)
{
	probe_issue(BIO_READ, n, off, len, 0);
}

void
probe::probe_flush(void)
{
	probe_issue(BIO_FLUSH, 1, 0, 0, 0);
}

bool
probe::probe_wait(int64_t max_ns)
{
	int64_t deadline = kern::current_scheduler()->now() + max_ns;
	bool all;

	mtx_lock(&ps->mtx);
	for (;;) {
		all = true;
		for (int c : ps->res.done_count)
			if (c == 0)
				all = false;
		if (all || kern::current_scheduler()->now() >= deadline)
			break;
		msleep(ps, &ps->mtx, PRIBIO, "probe", 10);
	}
	mtx_unlock(&ps->mtx);
	return (all);
}

void
probe::probe_detach(void)
{
	g_topology_lock();
	if (!ps->res.orphaned) {
		g_access(ps->cp, -ps->cp->acr, -ps->cp->acw, -ps->cp->ace);
		g_wither_geom(ps->gp, ENXIO);
	}
	g_topology_unlock();
	for (char *b : ps->bufs)
		free(b, M_PROBE);
	ps->bufs.clear();
}

probe::probe_results
probe::probe_get(void)
{
	return (ps != NULL ? ps->res : probe::probe_results());
}
