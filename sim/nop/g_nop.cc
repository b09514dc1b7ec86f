/*
 * gnop(4): a transparent layer that injects failures and delays, modelled
 * on FreeBSD's sys/geom/nop/g_nop.c (10.x, with the knobs FreeBSD 12/13
 * added).
 *
 * "gnop create md0" makes provider md0.nop (or -Z name) passing requests
 * to md0, shifted by -o offset and limited to -s size. Per request:
 *  - the statistics are counted (Reads, Writes, ... in `gnop list`);
 *  - a READ (WRITE) fails with the configured error (-e, EIO by default)
 *    with probability rfailprob (wfailprob) percent, drawn from the
 *    seeded prng stream "gnop:<name>" (so a seed replays the same
 *    failures, whatever else the kernel draws);
 *  - -c N: the first N reads/writes pass untouched; then both failure
 *    probabilities become 100, as gnop(8) says;
 *  - -n N (simulator): the N-th read or write counted from create or
 *    configure fails, once;
 *  - a READ (WRITE) that passes is held back for -d milliseconds of
 *    simulated time with probability rdelayprob (wdelayprob) percent
 *    (-q, -x): the clone waits in the class's delay thread, not in g_down,
 *    so other requests keep flowing.
 * Failures and delays are counted too (Failures, Delayed: simulator keys).
 */
#include <sys/systm.h>
#include <sys/bio.h>
#include <sys/kthread.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/sbuf.h>
#include <sys/sysctl.h>
#include <geom/geom.h>

#include "kern/kernel.h"
#include "sim/nop/g_nop.h"

SYSCTL_DECL(_kern_geom);
static SYSCTL_NODE(_kern_geom, OID_AUTO, nop, CTLFLAG_RW, 0, "GEOM_NOP stuff");
static u_int g_nop_debug = 0;
SYSCTL_UINT(_kern_geom_nop, OID_AUTO, debug, CTLFLAG_RW, &g_nop_debug, 0,
    "Debug level");

#define	G_NOP_DEBUG(lvl, ...) do {					\
	if ((int)g_nop_debug >= (lvl)) {					\
		printf("GEOM_NOP");					\
		if (g_nop_debug > 0)					\
			printf("[%u]", (lvl));				\
		printf(": ");						\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

struct g_nop_softc {
	int		sc_error;
	off_t		sc_offset;
	off_t		sc_explicitsize;
	off_t		sc_stripesize;
	off_t		sc_stripeoffset;
	u_int		sc_rfailprob;
	u_int		sc_wfailprob;
	u_int		sc_rdelayprob;
	u_int		sc_wdelayprob;
	u_int		sc_delaymsec;
	u_int		sc_count_until_fail;
	uintmax_t	sc_fail_nth;		/* 0: off */
	uintmax_t	sc_rw_seen;		/* reads+writes since -n */
	char		*sc_physpath;
	char		sc_stream[80];		/* prng stream */
	uintmax_t	sc_reads;
	uintmax_t	sc_writes;
	uintmax_t	sc_deletes;
	uintmax_t	sc_getattrs;
	uintmax_t	sc_flushes;
	uintmax_t	sc_cmd0s;
	uintmax_t	sc_cmd1s;
	uintmax_t	sc_cmd2s;
	uintmax_t	sc_readbytes;
	uintmax_t	sc_wrotebytes;
	uintmax_t	sc_failures;
	uintmax_t	sc_delayed;
	struct mtx	sc_lock;
};

/* A clone held back: issued on `cp` when simulated time reaches `due`. */
struct g_nop_delay {
	struct bio		*dl_bio;
	struct g_consumer	*dl_cp;
	int64_t			 dl_due;	/* ns */
	TAILQ_ENTRY(g_nop_delay) dl_next;
};

static MALLOC_DEFINE(M_GNOP, "gnop_data", "GEOM_NOP Data");

/* Per load: the delayed clones, in due order, and their thread. */
static TAILQ_HEAD(, g_nop_delay) g_nop_delay_q;
static struct mtx g_nop_delay_mtx;
static int g_nop_delay_state;		/* 1: stop asked, 2: stopped */

static int g_nop_destroy(struct g_geom *gp, boolean_t force);
static int g_nop_destroy_geom(struct gctl_req *req, struct g_class *mp,
    struct g_geom *gp);
static void g_nop_config(struct gctl_req *req, struct g_class *mp,
    const char *verb);
static g_init_t g_nop_init;
static g_fini_t g_nop_fini;
static void g_nop_dumpconf(struct sbuf *sb, const char *indent,
    struct g_geom *gp, struct g_consumer *cp, struct g_provider *pp);

static struct g_class g_nop_class = {
	.name = G_NOP_CLASS_NAME,
	.version = G_VERSION,
	.init = g_nop_init,
	.fini = g_nop_fini,
	.ctlreq = g_nop_config,
	.destroy_geom = g_nop_destroy_geom,
};

static int64_t
g_nop_now(void)
{
	return (kern::current_scheduler()->now());
}

static void
g_nop_delay_thread(void *arg __unused)
{
	struct g_nop_delay *dl;
	int64_t wait;

	for (;;) {
		mtx_lock(&g_nop_delay_mtx);
		if (g_nop_delay_state != 0) {
			g_nop_delay_state = 2;
			wakeup(&g_nop_delay_state);
			mtx_unlock(&g_nop_delay_mtx);
			kproc_exit(0);
		}
		dl = TAILQ_FIRST(&g_nop_delay_q);
		if (dl == NULL) {
			msleep(&g_nop_delay_q, &g_nop_delay_mtx, PRIBIO | PDROP,
			    "gnopdl", 0);
			continue;
		}
		wait = dl->dl_due - g_nop_now();
		if (wait > 0) {
			/* Sleep until it is due (ticks, rounded up). */
			msleep(&g_nop_delay_q, &g_nop_delay_mtx, PRIBIO | PDROP,
			    "gnopdl", (int)((wait * hz + 999999999) /
			    1000000000));
			continue;
		}
		TAILQ_REMOVE(&g_nop_delay_q, dl, dl_next);
		mtx_unlock(&g_nop_delay_mtx);
		G_NOP_DEBUG(2, "Passing delayed request.");
		g_io_request(dl->dl_bio, dl->dl_cp);
		free(dl, M_GNOP);
	}
}

static void
g_nop_init(struct g_class *mp __unused)
{
	TAILQ_INIT(&g_nop_delay_q);
	mtx_init(&g_nop_delay_mtx, "gnop delay", NULL, MTX_DEF);
	g_nop_delay_state = 0;
	kproc_create(g_nop_delay_thread, NULL, NULL, 0, 0, "g_nop delay");
}

static void
g_nop_fini(struct g_class *mp __unused)
{
	mtx_lock(&g_nop_delay_mtx);
	g_nop_delay_state = 1;
	wakeup(&g_nop_delay_q);
	while (g_nop_delay_state != 2)
		msleep(&g_nop_delay_state, &g_nop_delay_mtx, PRIBIO, "gnopfin",
		    hz / 10);
	mtx_unlock(&g_nop_delay_mtx);
	mtx_destroy(&g_nop_delay_mtx);
}

/* Holds cbp for sc_delaymsec; M_NOWAIT: we run on g_down. */
static int
g_nop_delay(struct g_nop_softc *sc, struct bio *cbp, struct g_consumer *cp)
{
	struct g_nop_delay *dl, *dl2;

	dl = (struct g_nop_delay *)malloc(sizeof(*dl), M_GNOP,
	    M_NOWAIT | M_ZERO);
	if (dl == NULL)
		return (ENOMEM);
	dl->dl_bio = cbp;
	dl->dl_cp = cp;
	dl->dl_due = g_nop_now() + (int64_t)sc->sc_delaymsec * 1000000;
	mtx_lock(&g_nop_delay_mtx);
	/* Due order; equal due times keep their arrival order. */
	TAILQ_FOREACH(dl2, &g_nop_delay_q, dl_next)
		if (dl2->dl_due > dl->dl_due)
			break;
	if (dl2 != NULL)
		TAILQ_INSERT_BEFORE(dl2, dl, dl_next);
	else
		TAILQ_INSERT_TAIL(&g_nop_delay_q, dl, dl_next);
	mtx_unlock(&g_nop_delay_mtx);
	wakeup(&g_nop_delay_q);
	return (0);
}

static u_int
g_nop_random(struct g_nop_softc *sc)
{
	return ((u_int)kern::kernel::current()->random_below(sc->sc_stream,
	    100));
}

static void
g_nop_orphan(struct g_consumer *cp)
{

	g_topology_assert();
	g_nop_destroy(cp->geom, 1);
}

static void
g_nop_resize(struct g_consumer *cp)
{
	struct g_nop_softc *sc;
	struct g_geom *gp;
	struct g_provider *pp;
	off_t size;

	g_topology_assert();

	gp = cp->geom;
	sc = (struct g_nop_softc *)gp->softc;

	if (sc->sc_explicitsize != 0)
		return;
	if (cp->provider->mediasize < sc->sc_offset) {
		g_nop_destroy(gp, 1);
		return;
	}
	size = cp->provider->mediasize - sc->sc_offset;
	LIST_FOREACH(pp, &gp->provider, provider)
		g_resize_provider(pp, size);
}

static void
g_nop_start(struct bio *bp)
{
	struct g_nop_softc *sc;
	struct g_geom *gp;
	struct g_provider *pp;
	struct bio *cbp;
	u_int failprob, delayprob;
	int nth_fails;

	gp = bp->bio_to->geom;
	sc = (struct g_nop_softc *)gp->softc;
	failprob = delayprob = 0;
	nth_fails = 0;
	mtx_lock(&sc->sc_lock);
	switch (bp->bio_cmd) {
	case BIO_READ:
		sc->sc_reads++;
		sc->sc_readbytes += bp->bio_length;
		failprob = sc->sc_rfailprob;
		delayprob = sc->sc_rdelayprob;
		break;
	case BIO_WRITE:
		sc->sc_writes++;
		sc->sc_wrotebytes += bp->bio_length;
		failprob = sc->sc_wfailprob;
		delayprob = sc->sc_wdelayprob;
		break;
	case BIO_DELETE:
		sc->sc_deletes++;
		break;
	case BIO_GETATTR:
		sc->sc_getattrs++;
		break;
	case BIO_FLUSH:
		sc->sc_flushes++;
		break;
	case BIO_CMD0:
		sc->sc_cmd0s++;
		break;
	case BIO_CMD1:
		sc->sc_cmd1s++;
		break;
	case BIO_CMD2:
		sc->sc_cmd2s++;
		break;
	}
	if (bp->bio_cmd == BIO_READ || bp->bio_cmd == BIO_WRITE) {
		if (sc->sc_count_until_fail != 0) {
			/* Allowed through; when the count runs out, every
			 * later read and write fails. */
			failprob = 0;
			if (--sc->sc_count_until_fail == 0) {
				sc->sc_rfailprob = 100;
				sc->sc_wfailprob = 100;
			}
		}
		if (sc->sc_fail_nth != 0 && ++sc->sc_rw_seen == sc->sc_fail_nth) {
			nth_fails = 1;
			sc->sc_fail_nth = 0;
		}
	}
	mtx_unlock(&sc->sc_lock);

	if (bp->bio_cmd == BIO_GETATTR && sc->sc_physpath != NULL &&
	    g_handleattr_str(bp, "GEOM::physpath", sc->sc_physpath))
		return;
	if (nth_fails || (failprob > 0 && g_nop_random(sc) < failprob)) {
		mtx_lock(&sc->sc_lock);
		sc->sc_failures++;
		mtx_unlock(&sc->sc_lock);
		G_NOP_DEBUG(1, "%s: returning error=%d.", gp->name,
		    sc->sc_error);
		g_io_deliver(bp, sc->sc_error);
		return;
	}
	cbp = g_clone_bio(bp);
	if (cbp == NULL) {
		g_io_deliver(bp, ENOMEM);
		return;
	}
	cbp->bio_done = g_std_done;
	cbp->bio_offset = bp->bio_offset + sc->sc_offset;
	pp = LIST_FIRST(&gp->provider);
	KASSERT(pp != NULL, ("NULL pp"));
	cbp->bio_to = pp;
	if (delayprob > 0 && g_nop_random(sc) < delayprob &&
	    g_nop_delay(sc, cbp, LIST_FIRST(&gp->consumer)) == 0) {
		mtx_lock(&sc->sc_lock);
		sc->sc_delayed++;
		mtx_unlock(&sc->sc_lock);
		return;
	}
	g_io_request(cbp, LIST_FIRST(&gp->consumer));
}

static int
g_nop_access(struct g_provider *pp, int dr, int dw, int de)
{
	struct g_geom *gp;
	struct g_consumer *cp;
	int error;

	gp = pp->geom;
	cp = LIST_FIRST(&gp->consumer);
	error = g_access(cp, dr, dw, de);

	return (error);
}

/* What create and configure share. */
struct g_nop_params {
	int		error;
	u_int		rfailprob, wfailprob;
	u_int		rdelayprob, wdelayprob;
	u_int		delaymsec;
	u_int		count_until_fail;
	uintmax_t	fail_nth;
	const char	*physpath;
};

static int
g_nop_create(struct gctl_req *req, struct g_class *mp, struct g_provider *pp,
    const struct g_nop_params *p, off_t offset, off_t size, u_int secsize,
    off_t stripesize, off_t stripeoffset, const char *gnopname)
{
	struct g_nop_softc *sc;
	struct g_geom *gp;
	struct g_provider *newpp;
	struct g_consumer *cp;
	char name[64];
	int error;
	off_t explicitsize;

	g_topology_assert();

	gp = NULL;
	newpp = NULL;
	cp = NULL;

	if ((offset % pp->sectorsize) != 0) {
		gctl_error(req, "Invalid offset for provider %s.", pp->name);
		return (EINVAL);
	}
	if ((size % pp->sectorsize) != 0) {
		gctl_error(req, "Invalid size for provider %s.", pp->name);
		return (EINVAL);
	}
	if (offset >= pp->mediasize) {
		gctl_error(req, "Invalid offset for provider %s.", pp->name);
		return (EINVAL);
	}
	explicitsize = size;
	if (size == 0)
		size = pp->mediasize - offset;
	if (offset + size > pp->mediasize) {
		gctl_error(req, "Invalid size for provider %s.", pp->name);
		return (EINVAL);
	}
	if (secsize == 0)
		secsize = pp->sectorsize;
	else if ((secsize % pp->sectorsize) != 0) {
		gctl_error(req, "Invalid secsize for provider %s.", pp->name);
		return (EINVAL);
	}
	if (secsize > MAXPHYS) {
		gctl_error(req, "secsize is too big.");
		return (EINVAL);
	}
	size -= size % secsize;
	if ((stripesize % pp->sectorsize) != 0) {
		gctl_error(req, "Invalid stripesize for provider %s.", pp->name);
		return (EINVAL);
	}
	if ((stripeoffset % pp->sectorsize) != 0) {
		gctl_error(req, "Invalid stripeoffset for provider %s.", pp->name);
		return (EINVAL);
	}
	if (stripesize != 0 && stripeoffset >= stripesize) {
		gctl_error(req, "stripeoffset is too big.");
		return (EINVAL);
	}
	if (gnopname != NULL && gnopname[0] != '\0')
		snprintf(name, sizeof(name), "%s", gnopname);
	else
		snprintf(name, sizeof(name), "%s%s", pp->name, G_NOP_SUFFIX);
	LIST_FOREACH(gp, &mp->geom, geom) {
		if (strcmp(gp->name, name) == 0) {
			gctl_error(req, "Provider %s already exists.", name);
			return (EEXIST);
		}
	}
	gp = g_new_geomf(mp, "%s", name);
	sc = (struct g_nop_softc *)g_malloc(sizeof(*sc), M_WAITOK | M_ZERO);
	sc->sc_offset = offset;
	sc->sc_explicitsize = explicitsize;
	sc->sc_stripesize = stripesize;
	sc->sc_stripeoffset = stripeoffset;
	sc->sc_error = p->error;
	sc->sc_rfailprob = p->rfailprob;
	sc->sc_wfailprob = p->wfailprob;
	sc->sc_rdelayprob = p->rdelayprob;
	sc->sc_wdelayprob = p->wdelayprob;
	sc->sc_delaymsec = p->delaymsec;
	sc->sc_count_until_fail = p->count_until_fail;
	sc->sc_fail_nth = p->fail_nth;
	if (p->physpath != NULL && p->physpath[0] != '\0') {
		sc->sc_physpath = (char *)g_malloc(strlen(p->physpath) + 1,
		    M_WAITOK);
		strcpy(sc->sc_physpath, p->physpath);
	}
	snprintf(sc->sc_stream, sizeof(sc->sc_stream), "gnop:%s", name);
	mtx_init(&sc->sc_lock, "gnop lock", NULL, MTX_DEF);
	gp->softc = sc;
	gp->start = g_nop_start;
	gp->orphan = g_nop_orphan;
	gp->resize = g_nop_resize;
	gp->access = g_nop_access;
	gp->dumpconf = g_nop_dumpconf;

	newpp = g_new_providerf(gp, "%s", gp->name);
	newpp->flags |= G_PF_DIRECT_SEND | G_PF_DIRECT_RECEIVE;
	newpp->mediasize = size;
	newpp->sectorsize = secsize;
	newpp->stripesize = stripesize;
	newpp->stripeoffset = stripeoffset;

	cp = g_new_consumer(gp);
	cp->flags |= G_CF_DIRECT_SEND | G_CF_DIRECT_RECEIVE;
	error = g_attach(cp, pp);
	if (error != 0) {
		gctl_error(req, "Cannot attach to provider %s.", pp->name);
		goto fail;
	}

	newpp->flags |= pp->flags & G_PF_ACCEPT_UNMAPPED;
	g_error_provider(newpp, 0);
	G_NOP_DEBUG(0, "Device %s created.", gp->name);
	return (0);
fail:
	if (cp->provider != NULL)
		g_detach(cp);
	g_destroy_consumer(cp);
	g_destroy_provider(newpp);
	mtx_destroy(&sc->sc_lock);
	if (sc->sc_physpath != NULL)
		g_free(sc->sc_physpath);
	g_free(gp->softc);
	g_destroy_geom(gp);
	return (error);
}

static int
g_nop_destroy(struct g_geom *gp, boolean_t force)
{
	struct g_nop_softc *sc;
	struct g_provider *pp;

	g_topology_assert();
	sc = (struct g_nop_softc *)gp->softc;
	if (sc == NULL)
		return (ENXIO);
	pp = LIST_FIRST(&gp->provider);
	if (pp != NULL && (pp->acr != 0 || pp->acw != 0 || pp->ace != 0)) {
		if (force) {
			G_NOP_DEBUG(0, "Device %s is still open, so it "
			    "can't be definitely removed.", pp->name);
		} else {
			G_NOP_DEBUG(1, "Device %s is still open (r%dw%de%d).",
			    pp->name, pp->acr, pp->acw, pp->ace);
			return (EBUSY);
		}
	} else {
		G_NOP_DEBUG(0, "Device %s removed.", gp->name);
	}
	gp->softc = NULL;
	mtx_destroy(&sc->sc_lock);
	if (sc->sc_physpath != NULL)
		g_free(sc->sc_physpath);
	g_free(sc);
	g_wither_geom(gp, ENXIO);

	return (0);
}

static int
g_nop_destroy_geom(struct gctl_req *req, struct g_class *mp, struct g_geom *gp)
{

	return (g_nop_destroy(gp, 0));
}

/*
 * A number parameter. geom(8) sends the ones the user left at "-1" (keep,
 * or default) as absent here; both mean -1.
 */
static int
g_nop_number(struct gctl_req *req, const char *name, intmax_t *val)
{
	intmax_t *p;
	int len;

	p = (intmax_t *)gctl_get_param(req, name, &len);
	if (p == NULL) {
		*val = -1;
		return (0);
	}
	if (len != sizeof(*p)) {
		gctl_error(req, "Wrong length %s argument", name);
		return (EINVAL);
	}
	*val = *p;
	return (0);
}

/* A probability: -1 or 0..100. */
static int
g_nop_prob(struct gctl_req *req, const char *name, intmax_t *val)
{
	if (g_nop_number(req, name, val) != 0)
		return (EINVAL);
	if (*val < -1 || *val > 100) {
		gctl_error(req, "Invalid '%s' argument", name);
		return (EINVAL);
	}
	return (0);
}

/* A size or offset: >= 0. */
static int
g_nop_size(struct gctl_req *req, const char *name, intmax_t *val)
{
	if (g_nop_number(req, name, val) != 0)
		return (EINVAL);
	if (*val == -1)
		*val = 0;
	if (*val < 0) {
		gctl_error(req, "Invalid '%s' argument", name);
		return (EINVAL);
	}
	return (0);
}

/* The knobs create and configure share; -1 where not given. */
struct g_nop_knobs {
	intmax_t error, rfailprob, wfailprob, rdelayprob, wdelayprob;
	intmax_t delaymsec, count_until_fail, fail_nth;
	const char *physpath;
};

static int
g_nop_get_knobs(struct gctl_req *req, struct g_nop_knobs *k)
{
	if (g_nop_number(req, "error", &k->error) != 0 ||
	    g_nop_prob(req, "rfailprob", &k->rfailprob) != 0 ||
	    g_nop_prob(req, "wfailprob", &k->wfailprob) != 0 ||
	    g_nop_prob(req, "rdelayprob", &k->rdelayprob) != 0 ||
	    g_nop_prob(req, "wdelayprob", &k->wdelayprob) != 0 ||
	    g_nop_number(req, "delaymsec", &k->delaymsec) != 0 ||
	    g_nop_number(req, "count_until_fail", &k->count_until_fail) != 0 ||
	    g_nop_number(req, "fail_nth", &k->fail_nth) != 0)
		return (EINVAL);
	if (k->delaymsec < -1 || k->delaymsec == 0) {
		gctl_error(req, "Invalid '%s' argument", "delaymsec");
		return (EINVAL);
	}
	if (k->count_until_fail < -1) {
		gctl_error(req, "Invalid '%s' argument", "count_until_fail");
		return (EINVAL);
	}
	if (k->fail_nth < -1) {
		gctl_error(req, "Invalid '%s' argument", "fail_nth");
		return (EINVAL);
	}
	k->physpath = gctl_get_asciiparam(req, "physpath");
	return (0);
}

/* The request's nargs: > 0, or 0 after an error. */
static int
g_nop_ctl_nargs(struct gctl_req *req)
{
	int *nargs;

	nargs = (int *)gctl_get_paraml(req, "nargs", sizeof(*nargs));
	if (nargs == NULL) {
		gctl_error(req, "No '%s' argument", "nargs");
		return (0);
	}
	if (*nargs <= 0) {
		gctl_error(req, "Missing device(s).");
		return (0);
	}
	return (*nargs);
}

/* Argument i, without a leading /dev/; NULL after an error. */
static const char *
g_nop_ctl_name(struct gctl_req *req, int i)
{
	const char *name;
	char param[16];

	snprintf(param, sizeof(param), "arg%d", i);
	name = gctl_get_asciiparam(req, param);
	if (name == NULL) {
		gctl_error(req, "No 'arg%d' argument", i);
		return (NULL);
	}
	if (strncmp(name, "/dev/", strlen("/dev/")) == 0)
		name += strlen("/dev/");
	return (name);
}

/* Argument i as a provider of this class; NULL after an error. */
static struct g_provider *
g_nop_ctl_provider(struct gctl_req *req, struct g_class *mp, int i)
{
	struct g_provider *pp;
	const char *name;

	name = g_nop_ctl_name(req, i);
	if (name == NULL)
		return (NULL);
	pp = g_provider_by_name(name);
	if (pp == NULL || pp->geom->class_ != mp) {
		G_NOP_DEBUG(1, "Provider %s is invalid.", name);
		gctl_error(req, "Provider %s is invalid.", name);
		return (NULL);
	}
	return (pp);
}

static void
g_nop_ctl_create(struct gctl_req *req, struct g_class *mp)
{
	struct g_provider *pp;
	struct g_nop_knobs k;
	struct g_nop_params p;
	intmax_t offset, secsize, size, stripesize, stripeoffset;
	const char *name, *gnopname;
	int i, nargs;

	g_topology_assert();

	nargs = g_nop_ctl_nargs(req);
	if (nargs <= 0)
		return;
	if (g_nop_get_knobs(req, &k) != 0 ||
	    g_nop_size(req, "offset", &offset) != 0 ||
	    g_nop_size(req, "size", &size) != 0 ||
	    g_nop_size(req, "secsize", &secsize) != 0 ||
	    g_nop_size(req, "stripesize", &stripesize) != 0 ||
	    g_nop_size(req, "stripeoffset", &stripeoffset) != 0)
		return;
	gnopname = gctl_get_asciiparam(req, "gnopname");
	if (gnopname != NULL && nargs != 1) {
		gctl_error(req, "Only one provider can be used with -Z.");
		return;
	}
	p.error = k.error == -1 ? EIO : (int)k.error;
	p.rfailprob = k.rfailprob == -1 ? 0 : (u_int)k.rfailprob;
	p.wfailprob = k.wfailprob == -1 ? 0 : (u_int)k.wfailprob;
	p.rdelayprob = k.rdelayprob == -1 ? 0 : (u_int)k.rdelayprob;
	p.wdelayprob = k.wdelayprob == -1 ? 0 : (u_int)k.wdelayprob;
	p.delaymsec = k.delaymsec == -1 ? 1 : (u_int)k.delaymsec;
	p.count_until_fail = k.count_until_fail == -1 ? 0 :
	    (u_int)k.count_until_fail;
	p.fail_nth = k.fail_nth == -1 ? 0 : (uintmax_t)k.fail_nth;
	p.physpath = k.physpath;

	for (i = 0; i < nargs; i++) {
		name = g_nop_ctl_name(req, i);
		if (name == NULL)
			return;
		pp = g_provider_by_name(name);
		if (pp == NULL) {
			G_NOP_DEBUG(1, "Provider %s is invalid.", name);
			gctl_error(req, "Provider %s is invalid.", name);
			return;
		}
		if (g_nop_create(req, mp, pp, &p, (off_t)offset, (off_t)size,
		    (u_int)secsize, (off_t)stripesize, (off_t)stripeoffset,
		    gnopname) != 0) {
			return;
		}
	}
}

static void
g_nop_ctl_configure(struct gctl_req *req, struct g_class *mp)
{
	struct g_nop_softc *sc;
	struct g_provider *pp;
	struct g_nop_knobs k;
	int i, nargs;

	g_topology_assert();

	nargs = g_nop_ctl_nargs(req);
	if (nargs <= 0)
		return;
	if (g_nop_get_knobs(req, &k) != 0)
		return;

	for (i = 0; i < nargs; i++) {
		pp = g_nop_ctl_provider(req, mp, i);
		if (pp == NULL)
			return;
		sc = (struct g_nop_softc *)pp->geom->softc;
		mtx_lock(&sc->sc_lock);
		if (k.error != -1)
			sc->sc_error = (int)k.error;
		if (k.rfailprob != -1)
			sc->sc_rfailprob = (u_int)k.rfailprob;
		if (k.wfailprob != -1)
			sc->sc_wfailprob = (u_int)k.wfailprob;
		if (k.rdelayprob != -1)
			sc->sc_rdelayprob = (u_int)k.rdelayprob;
		if (k.wdelayprob != -1)
			sc->sc_wdelayprob = (u_int)k.wdelayprob;
		if (k.delaymsec != -1)
			sc->sc_delaymsec = (u_int)k.delaymsec;
		if (k.count_until_fail != -1)
			sc->sc_count_until_fail = (u_int)k.count_until_fail;
		if (k.fail_nth != -1) {
			sc->sc_fail_nth = (uintmax_t)k.fail_nth;
			sc->sc_rw_seen = 0;
		}
		mtx_unlock(&sc->sc_lock);
		if (k.physpath != NULL) {
			if (sc->sc_physpath != NULL)
				g_free(sc->sc_physpath);
			sc->sc_physpath = NULL;
			if (k.physpath[0] != '\0') {
				sc->sc_physpath = (char *)g_malloc(
				    strlen(k.physpath) + 1, M_WAITOK);
				strcpy(sc->sc_physpath, k.physpath);
			}
		}
	}
}

static struct g_geom *
g_nop_find_geom(struct g_class *mp, const char *name)
{
	struct g_geom *gp;

	LIST_FOREACH(gp, &mp->geom, geom) {
		if (strcmp(gp->name, name) == 0)
			return (gp);
	}
	return (NULL);
}

static void
g_nop_ctl_destroy(struct gctl_req *req, struct g_class *mp)
{
	int nargs, *force, error, i;
	struct g_geom *gp;
	const char *name;

	g_topology_assert();

	nargs = g_nop_ctl_nargs(req);
	if (nargs <= 0)
		return;
	force = (int *)gctl_get_paraml(req, "force", sizeof(*force));
	if (force == NULL) {
		gctl_error(req, "No 'force' argument");
		return;
	}

	for (i = 0; i < nargs; i++) {
		name = g_nop_ctl_name(req, i);
		if (name == NULL)
			return;
		gp = g_nop_find_geom(mp, name);
		if (gp == NULL) {
			G_NOP_DEBUG(1, "Device %s is invalid.", name);
			gctl_error(req, "Device %s is invalid.", name);
			return;
		}
		error = g_nop_destroy(gp, *force);
		if (error != 0) {
			gctl_error(req, "Cannot destroy device %s (error=%d).",
			    gp->name, error);
			return;
		}
	}
}

static void
g_nop_ctl_reset(struct gctl_req *req, struct g_class *mp)
{
	struct g_nop_softc *sc;
	struct g_provider *pp;
	int i, nargs;

	g_topology_assert();

	nargs = g_nop_ctl_nargs(req);
	if (nargs <= 0)
		return;

	for (i = 0; i < nargs; i++) {
		pp = g_nop_ctl_provider(req, mp, i);
		if (pp == NULL)
			return;
		sc = (struct g_nop_softc *)pp->geom->softc;
		mtx_lock(&sc->sc_lock);
		sc->sc_reads = 0;
		sc->sc_writes = 0;
		sc->sc_deletes = 0;
		sc->sc_getattrs = 0;
		sc->sc_flushes = 0;
		sc->sc_cmd0s = 0;
		sc->sc_cmd1s = 0;
		sc->sc_cmd2s = 0;
		sc->sc_readbytes = 0;
		sc->sc_wrotebytes = 0;
		sc->sc_failures = 0;
		sc->sc_delayed = 0;
		mtx_unlock(&sc->sc_lock);
	}
}

static void
g_nop_config(struct gctl_req *req, struct g_class *mp, const char *verb)
{
	uint32_t *version;

	g_topology_assert();

	version = (uint32_t *)gctl_get_paraml(req, "version",
	    sizeof(*version));
	if (version == NULL) {
		gctl_error(req, "No '%s' argument.", "version");
		return;
	}
	if (*version != G_NOP_VERSION) {
		gctl_error(req, "Userland and kernel parts are out of sync.");
		return;
	}

	if (strcmp(verb, "create") == 0) {
		g_nop_ctl_create(req, mp);
		return;
	} else if (strcmp(verb, "configure") == 0) {
		g_nop_ctl_configure(req, mp);
		return;
	} else if (strcmp(verb, "destroy") == 0) {
		g_nop_ctl_destroy(req, mp);
		return;
	} else if (strcmp(verb, "reset") == 0) {
		g_nop_ctl_reset(req, mp);
		return;
	}

	gctl_error(req, "Unknown verb.");
}

static void
g_nop_dumpconf(struct sbuf *sb, const char *indent, struct g_geom *gp,
    struct g_consumer *cp, struct g_provider *pp)
{
	struct g_nop_softc *sc;

	if (pp != NULL || cp != NULL)
		return;
	sc = (struct g_nop_softc *)gp->softc;
	if (sc == NULL)
		return;
	sbuf_printf(sb, "%s<Offset>%jd</Offset>\n", indent,
	    (intmax_t)sc->sc_offset);
	sbuf_printf(sb, "%s<ReadFailProb>%u</ReadFailProb>\n", indent,
	    sc->sc_rfailprob);
	sbuf_printf(sb, "%s<WriteFailProb>%u</WriteFailProb>\n", indent,
	    sc->sc_wfailprob);
	sbuf_printf(sb, "%s<ReadDelayedProb>%u</ReadDelayedProb>\n", indent,
	    sc->sc_rdelayprob);
	sbuf_printf(sb, "%s<WriteDelayedProb>%u</WriteDelayedProb>\n", indent,
	    sc->sc_wdelayprob);
	sbuf_printf(sb, "%s<Delay>%u</Delay>\n", indent, sc->sc_delaymsec);
	sbuf_printf(sb, "%s<CountUntilFail>%u</CountUntilFail>\n", indent,
	    sc->sc_count_until_fail);
	sbuf_printf(sb, "%s<Error>%d</Error>\n", indent, sc->sc_error);
	sbuf_printf(sb, "%s<Reads>%ju</Reads>\n", indent, sc->sc_reads);
	sbuf_printf(sb, "%s<Writes>%ju</Writes>\n", indent, sc->sc_writes);
	sbuf_printf(sb, "%s<Deletes>%ju</Deletes>\n", indent, sc->sc_deletes);
	sbuf_printf(sb, "%s<Getattrs>%ju</Getattrs>\n", indent, sc->sc_getattrs);
	sbuf_printf(sb, "%s<Flushes>%ju</Flushes>\n", indent, sc->sc_flushes);
	sbuf_printf(sb, "%s<Cmd0s>%ju</Cmd0s>\n", indent, sc->sc_cmd0s);
	sbuf_printf(sb, "%s<Cmd1s>%ju</Cmd1s>\n", indent, sc->sc_cmd1s);
	sbuf_printf(sb, "%s<Cmd2s>%ju</Cmd2s>\n", indent, sc->sc_cmd2s);
	sbuf_printf(sb, "%s<ReadBytes>%ju</ReadBytes>\n", indent,
	    sc->sc_readbytes);
	sbuf_printf(sb, "%s<WroteBytes>%ju</WroteBytes>\n", indent,
	    sc->sc_wrotebytes);
	/* The simulator's. */
	sbuf_printf(sb, "%s<FailNth>%ju</FailNth>\n", indent, sc->sc_fail_nth);
	sbuf_printf(sb, "%s<Failures>%ju</Failures>\n", indent,
	    sc->sc_failures);
	sbuf_printf(sb, "%s<Delayed>%ju</Delayed>\n", indent, sc->sc_delayed);
}

DECLARE_GEOM_CLASS(g_nop_class, g_nop);
