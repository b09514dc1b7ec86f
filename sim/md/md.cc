/*
 * md(4): memory disks, modelled on FreeBSD's sys/dev/md/md.c.
 *
 * Each unit is a geom and a provider "md<unit>" of class MD, served by the
 * unit's own kernel thread: g_md_start only sorts the bio into the unit's
 * queue and wakes the thread, which performs it and delivers it, so md
 * requests complete asynchronously and interleave with the GEOM threads,
 * as on FreeBSD.
 *
 *   malloc  kernel memory, sparse; FLUSH is EOPNOTSUPP. Gone at reboot.
 *   swap    the same, but the size must be a multiple of the page size.
 *   vnode   a file of the machine (machine::file): it survives reboots.
 *           Writes are synchronous (IO_SYNC: durable on completion)
 *           unless -o async; FLUSH is fsync; DELETE writes zeros.
 *   null    reads zeros, discards writes.
 *
 * Where the data lives is a sim::media (sim/media/media.h): every write a
 * unit completes is in the machine's write log, and power and pull
 * triggers see md requests as they see a hardware disk's.
 *
 * Destroying a unit orphans its provider (g_wither_geom, ENXIO); requests
 * still queued fail with ENXIO (FreeBSD leaves them queued forever). The
 * softc lives until its provider is gone and its thread has left.
 */
#include <sys/systm.h>
#include <sys/bio.h>
#include <sys/kthread.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/sbuf.h>
#include <sys/sx.h>
#include <geom/geom.h>

#include "sim/disk/disk_media.h"
#include "sim/machine/machine.h"
#include "sim/md/md_ioctl.h"
#include "sim/media/media.h"

#ifndef PAGE_SIZE
#define	PAGE_SIZE	4096
#endif

#define	MD_SHUTDOWN	0x10000		/* Tell worker thread to terminate. */
#define	MD_EXITING	0x20000		/* Worker thread is exiting. */
#define	MD_GONE		0x40000		/* Pulled: requests fail with ENXIO. */

MALLOC_DEFINE(M_MD, "md_disk", "Memory Disk");

struct md_s {
	int			 unit;
	TAILQ_ENTRY(md_s)	 list;
	struct bio_queue_head	 bio_queue;
	struct mtx		 queue_mtx;
	enum md_types		 type;
	off_t			 mediasize;
	unsigned		 sectorsize;
	unsigned		 opencount;
	unsigned		 fwheads;
	unsigned		 fwsectors;
	unsigned		 flags;
	char			 name[20];
	struct g_geom		*gp;
	struct g_provider	*pp;
	int			(*start)(struct md_s *sc, struct bio *bp);
	std::atomic<int>	 refs;		/* list, worker, provider */

	/* MD_MALLOC, MD_SWAP: its own media; MD_VNODE: the file's. */
	sim::media		*media;
	char			 file[PATH_MAX];
};

static g_init_t g_md_init;
static g_fini_t g_md_fini;
static g_start_t g_md_start;
static g_access_t g_md_access;
static g_dumpconf_t g_md_dumpconf;
static g_provgone_t g_md_providergone;

static struct g_class g_md_class = {
	.name = "MD",
	.version = G_VERSION,
	.init = g_md_init,
	.fini = g_md_fini,
	.start = g_md_start,
	.dumpconf = g_md_dumpconf,
	.access = g_md_access,
	.providergone = g_md_providergone,
};

DECLARE_GEOM_CLASS_BUILTIN(g_md_class, g_md, 30);

/* Per boot. md_sx serialises the control requests; md_list_mtx guards
 * the unit list (a pull takes only the latter: it may come from a unit's
 * own thread while a request holds md_sx waiting for that thread). */
static TAILQ_HEAD(, md_s) md_softc_list;
static struct mtx md_list_mtx;
static struct sx md_sx;

static void
md_release(struct md_s *sc)
{
	if (--sc->refs > 0)
		return;
	if (sc->media != NULL)
		disk_media_release(sc->media);
	mtx_destroy(&sc->queue_mtx);
	sc->~md_s();
	free(sc, M_MD);
}

static int
g_md_access(struct g_provider *pp, int r, int w, int e)
{
	struct md_s *sc;

	sc = (struct md_s *)pp->geom->softc;
	if (sc == NULL) {
		if (r <= 0 && w <= 0 && e <= 0)
			return (0);
		return (ENXIO);
	}
	r += pp->acr;
	w += pp->acw;
	e += pp->ace;
	if ((sc->flags & MD_READONLY) != 0 && w > 0)
		return (EROFS);
	if ((pp->acr + pp->acw + pp->ace) == 0 && (r + w + e) > 0) {
		sc->opencount = 1;
	} else if ((pp->acr + pp->acw + pp->ace) > 0 && (r + w + e) == 0) {
		sc->opencount = 0;
	}
	return (0);
}

static void
g_md_start(struct bio *bp)
{
	struct md_s *sc;

	sc = (struct md_s *)bp->bio_to->geom->softc;
	if (sc == NULL) {
		g_io_deliver(bp, ENXIO);
		return;
	}
	mtx_lock(&sc->queue_mtx);
	if (sc->flags & MD_SHUTDOWN) {
		mtx_unlock(&sc->queue_mtx);
		g_io_deliver(bp, ENXIO);
		return;
	}
	bioq_disksort(&sc->bio_queue, bp);
	mtx_unlock(&sc->queue_mtx);
	wakeup(sc);
}

static int
mdstart_malloc(struct md_s *sc, struct bio *bp)
{
	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
	case BIO_DELETE:
		break;
	default:
		return (EOPNOTSUPP);
	}
	return (disk_media_bio(sc->media, bp, sc->name, 0));
}

static int
mdstart_vnode(struct md_s *sc, struct bio *bp)
{
	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
	case BIO_DELETE:		/* written as zeros */
	case BIO_FLUSH:			/* VOP_FSYNC */
		break;
	default:
		return (EOPNOTSUPP);
	}
	/* VOP_WRITE with IO_SYNC unless the unit is asynchronous. */
	return (disk_media_bio(sc->media, bp, sc->name,
	    (sc->flags & MD_ASYNC) == 0));
}

static int
mdstart_null(struct md_s *sc __unused, struct bio *bp)
{
	switch (bp->bio_cmd) {
	case BIO_READ:
		bzero(bp->bio_data, bp->bio_length);
		break;
	case BIO_WRITE:
		break;
	}
	bp->bio_resid = 0;
	return (0);
}

static void
md_kthread(void *arg)
{
	struct md_s *sc;
	struct bio *bp;
	int error;

	sc = (struct md_s *)arg;
	for (;;) {
		mtx_lock(&sc->queue_mtx);
		if (sc->flags & MD_SHUTDOWN) {
			/* Nobody will serve these any more. */
			while ((bp = bioq_takefirst(&sc->bio_queue)) != NULL)
				g_io_deliver(bp, ENXIO);
			sc->flags |= MD_EXITING;
			wakeup(&sc->flags);
			mtx_unlock(&sc->queue_mtx);
			md_release(sc);
			kproc_exit(0);
		}
		bp = bioq_takefirst(&sc->bio_queue);
		if (!bp) {
			msleep(sc, &sc->queue_mtx, PRIBIO | PDROP, "mdwait", 0);
			continue;
		}
		mtx_unlock(&sc->queue_mtx);
		if (bp->bio_cmd == BIO_GETATTR) {
			if ((sc->fwsectors && sc->fwheads &&
			    (g_handleattr_int(bp, "GEOM::fwsectors",
			    sc->fwsectors) ||
			    g_handleattr_int(bp, "GEOM::fwheads",
			    sc->fwheads))) ||
			    g_handleattr_int(bp, "GEOM::candelete", 1))
				error = -1;
			else
				error = EOPNOTSUPP;
		} else {
			error = sc->start(sc, bp);
		}

		if (error != -1) {
			mtx_lock(&sc->queue_mtx);
			if ((sc->flags & MD_GONE) && error == 0)
				error = ENXIO;	/* pulled under the request */
			mtx_unlock(&sc->queue_mtx);
			bp->bio_completed = bp->bio_length;
			g_io_deliver(bp, error);
		}
	}
}

static struct md_s *
mdfind(int unit)
{
	struct md_s *sc;

	TAILQ_FOREACH(sc, &md_softc_list, list) {
		if (sc->unit == unit)
			break;
	}
	return (sc);
}

/* md_list_mtx held: the lowest free unit, or the requested one. */
static int
md_alloc_unit(int unit)
{
	if (unit != -1)
		return (mdfind(unit) == NULL ? unit : -1);
	for (unit = 0; mdfind(unit) != NULL; unit++)
		continue;
	return (unit);
}

static struct md_s *
mdnew(int unit, int *errp, enum md_types type)
{
	struct md_s *sc, *sc2;

	*errp = 0;
	mtx_lock(&md_list_mtx);
	unit = md_alloc_unit(unit);
	if (unit == -1) {
		mtx_unlock(&md_list_mtx);
		*errp = EBUSY;
		return (NULL);
	}
	sc = new (malloc(sizeof *sc, M_MD, M_WAITOK | M_ZERO)) md_s();
	sc->type = type;
	bioq_init(&sc->bio_queue);
	mtx_init(&sc->queue_mtx, "md bio queue", NULL, MTX_DEF);
	sc->unit = unit;
	snprintf(sc->name, sizeof(sc->name), "md%d", unit);
	sc->refs = 2;			/* the list, the worker */
	/* Keep the list in unit order (mdconfig -l lists it so). */
	TAILQ_FOREACH(sc2, &md_softc_list, list)
		if (sc2->unit > unit)
			break;
	if (sc2 != NULL)
		TAILQ_INSERT_BEFORE(sc2, sc, list);
	else
		TAILQ_INSERT_TAIL(&md_softc_list, sc, list);
	mtx_unlock(&md_list_mtx);
	*errp = kproc_create(md_kthread, sc, NULL, 0, 0, "%s", sc->name);
	return (sc);
}

static void
mdinit(struct md_s *sc)
{
	struct g_geom *gp;
	struct g_provider *pp;

	g_topology_lock();
	gp = g_new_geomf(&g_md_class, "md%d", sc->unit);
	gp->softc = sc;
	pp = g_new_providerf(gp, "md%d", sc->unit);
	pp->flags |= G_PF_DIRECT_SEND | G_PF_DIRECT_RECEIVE;
	pp->mediasize = sc->mediasize;
	pp->sectorsize = sc->sectorsize;
	switch (sc->type) {
	case MD_MALLOC:
	case MD_VNODE:
	case MD_SWAP:
		pp->flags |= G_PF_ACCEPT_UNMAPPED;
		break;
	case MD_PRELOAD:
	case MD_NULL:
		break;
	}
	pp->private_ = sc;
	sc->refs++;			/* the provider */
	sc->gp = gp;
	sc->pp = pp;
	g_error_provider(pp, 0);
	g_topology_unlock();
}

static void
g_md_providergone(struct g_provider *pp)
{
	md_release((struct md_s *)pp->private_);
}

/* The memory of a malloc or swap unit: sparse, lost at a power cut. */
static void
md_new_memory(struct md_s *sc)
{
	sim::media_config cfg;
	std::shared_ptr<sim::media> m;
	sim::machine *mach;

	cfg.sector_size = sc->sectorsize;
	cfg.flush_supported = false;
	cfg.persistent = false;
	m = sim::media::memory(sc->mediasize, cfg);
	m->set_name(sc->name);
	mach = sim::machine::current();
	if (mach != NULL)
		mach->connect_memory(m);
	sc->media = disk_media_hold(std::move(m));
}

/*
 * The unit's worker thread already runs and reads sc->flags under the
 * queue mutex (FreeBSD sets them without it: a benign race there, a data
 * race for the threads scheduler).
 */
static void
md_set_options(struct md_s *sc, unsigned flags)
{
	mtx_lock(&sc->queue_mtx);
	sc->flags = flags;
	mtx_unlock(&sc->queue_mtx);
}

static int
mdcreate_malloc(struct md_s *sc, struct md_ioctl *mdio)
{
	if (mdio->md_options & ~(MD_AUTOUNIT | MD_COMPRESS | MD_RESERVE))
		return (EINVAL);
	if (mdio->md_sectorsize != 0 && !powerof2(mdio->md_sectorsize))
		return (EINVAL);
	/* Compression doesn't make sense if we have reserved space */
	if (mdio->md_options & MD_RESERVE)
		mdio->md_options &= ~MD_COMPRESS;
	if (mdio->md_fwsectors != 0)
		sc->fwsectors = mdio->md_fwsectors;
	if (mdio->md_fwheads != 0)
		sc->fwheads = mdio->md_fwheads;
	md_set_options(sc, mdio->md_options & (MD_COMPRESS | MD_FORCE));
	md_new_memory(sc);
	return (0);
}

/*
 * The simulator's files do not grow through md: a vnode unit must fit in
 * its file's length, at create and at resize (FreeBSD would extend the
 * file).
 */
static bool
md_fits_file(struct md_s *sc, off_t mediasize)
{
	sim::machine *mach = sim::machine::current();

	return (mach != NULL && mediasize <= mach->file_length(sc->file));
}

static int
mdcreate_vnode(struct md_s *sc, struct md_ioctl *mdio)
{
	std::shared_ptr<sim::media> m;
	sim::machine *mach;

	if (mdio->md_file == NULL)
		return (EINVAL);
	strlcpy(sc->file, mdio->md_file, sizeof(sc->file));
	mach = sim::machine::current();
	m = mach != NULL ? mach->file(sc->file) : nullptr;
	if (m == nullptr)
		return (ENOENT);
	/* vn_open(FWRITE) of a file that cannot be written. */
	if ((mdio->md_options & MD_READONLY) == 0 && m->config().read_only)
		return (EROFS);
	if (!md_fits_file(sc, sc->mediasize))
		return (EINVAL);
	if (sc->sectorsize % m->sector_size() != 0)
		return (EINVAL);
	if (mdio->md_fwsectors != 0)
		sc->fwsectors = mdio->md_fwsectors;
	if (mdio->md_fwheads != 0)
		sc->fwheads = mdio->md_fwheads;
	md_set_options(sc, mdio->md_options & (MD_FORCE | MD_ASYNC | MD_READONLY));
	sc->media = disk_media_hold(std::move(m));
	return (0);
}

static int
mdcreate_swap(struct md_s *sc, struct md_ioctl *mdio)
{
	/*
	 * Range check.  Disallow negative sizes or any size less then the
	 * size of a page.  Then round to a page.
	 */
	if (sc->mediasize <= 0 || (sc->mediasize % PAGE_SIZE) != 0)
		return (EDOM);
	if (mdio->md_fwsectors != 0)
		sc->fwsectors = mdio->md_fwsectors;
	if (mdio->md_fwheads != 0)
		sc->fwheads = mdio->md_fwheads;
	md_set_options(sc, mdio->md_options & (MD_FORCE | MD_RESERVE));
	md_new_memory(sc);
	return (0);
}

static int
mdcreate_null(struct md_s *sc, struct md_ioctl *mdio __unused)
{
	if (sc->mediasize <= 0 || (sc->mediasize % PAGE_SIZE) != 0)
		return (EDOM);
	return (0);
}

/*
 * MDIOCRESIZE, as FreeBSD 10: vnode and null units take any size, swap
 * units whole pages (what lies past a smaller size is freed), malloc units
 * none. The provider follows through g_resize_provider: a consumer whose
 * geom has no resize method is orphaned when the provider shrinks.
 */
static int
mdresize(struct md_s *sc, struct md_ioctl *mdio)
{
	int error;

	switch (sc->type) {
	case MD_VNODE:
		if (!md_fits_file(sc, mdio->md_mediasize))
			return (EINVAL);
		break;
	case MD_NULL:
		break;
	case MD_SWAP:
		if (mdio->md_mediasize <= 0 ||
		    (mdio->md_mediasize % PAGE_SIZE) != 0)
			return (EDOM);
		error = sc->media->resize(mdio->md_mediasize);
		if (error != 0)
			return (error);
		break;
	default:
		return (EOPNOTSUPP);
	}

	/*
	 * Under the topology lock (FreeBSD sets it just before taking it):
	 * dumpconf reads it on g_event, a data race for the threads
	 * scheduler.
	 */
	g_topology_lock();
	sc->mediasize = mdio->md_mediasize;
	g_resize_provider(sc->pp, sc->mediasize);
	g_topology_unlock();
	return (0);
}

/*
 * Takes sc down; the caller removed it from the list. A pull also fails
 * the request being served and does not wait for the worker (it may be
 * the worker).
 */
static void
md_teardown(struct md_s *sc, int pulled)
{
	struct bio *bp;

	if (sc->gp) {
		sc->gp->softc = NULL;
		g_topology_lock();
		g_wither_geom(sc->gp, ENXIO);
		g_topology_unlock();
		sc->gp = NULL;
		sc->pp = NULL;
	}
	mtx_lock(&sc->queue_mtx);
	sc->flags |= MD_SHUTDOWN | (pulled ? MD_GONE : 0);
	while ((bp = bioq_takefirst(&sc->bio_queue)) != NULL)
		g_io_deliver(bp, ENXIO);
	wakeup(sc);
	if (!pulled) {
		while (!(sc->flags & MD_EXITING))
			msleep(&sc->flags, &sc->queue_mtx, PRIBIO, "mddestroy",
			    hz / 10);
	}
	mtx_unlock(&sc->queue_mtx);
	md_release(sc);			/* the list's reference */
}

/* Takes sc off the list; false if a pull got there first. */
static int
md_unlist(struct md_s *sc)
{
	struct md_s *sc2;

	mtx_lock(&md_list_mtx);
	TAILQ_FOREACH(sc2, &md_softc_list, list)
		if (sc2 == sc)
			break;
	if (sc2 != NULL)
		TAILQ_REMOVE(&md_softc_list, sc, list);
	mtx_unlock(&md_list_mtx);
	return (sc2 != NULL);
}

static int
md_pull_unit(int unit)
{
	struct md_s *sc;

	mtx_lock(&md_list_mtx);
	sc = mdfind(unit);
	if (sc != NULL)
		TAILQ_REMOVE(&md_softc_list, sc, list);
	mtx_unlock(&md_list_mtx);
	if (sc == NULL)
		return (ENOENT);
	printf("%s: disk gone\n", sc->name);
	/* Its memory goes with it: nothing more lands there. */
	if (sc->media != NULL && sc->type != MD_VNODE)
		sc->media->set_present(false);
	md_teardown(sc, 1);
	return (0);
}

static int
xmdctlioctl(unsigned long cmd, struct md_ioctl *mdio)
{
	struct md_s *sc;
	int error, i;
	unsigned sectsize;

	if (mdio->md_version != MDIOVERSION)
		return (EINVAL);

	error = 0;
	switch (cmd) {
	case MDIOCATTACH:
		switch (mdio->md_type) {
		case MD_MALLOC:
		case MD_PRELOAD:
		case MD_VNODE:
		case MD_SWAP:
		case MD_NULL:
			break;
		default:
			return (EINVAL);
		}
		if (mdio->md_sectorsize == 0)
			sectsize = DEV_BSIZE;
		else
			sectsize = mdio->md_sectorsize;
		if (sectsize > MAXPHYS || mdio->md_mediasize < sectsize)
			return (EINVAL);
		if (mdio->md_options & MD_AUTOUNIT)
			sc = mdnew(-1, &error, mdio->md_type);
		else {
			if (mdio->md_unit > INT_MAX)
				return (EINVAL);
			sc = mdnew(mdio->md_unit, &error, mdio->md_type);
		}
		if (sc == NULL)
			return (error);
		if (mdio->md_options & MD_AUTOUNIT)
			mdio->md_unit = sc->unit;
		/* Prune off any residual fractional sector */
		sc->mediasize = mdio->md_mediasize -
		    mdio->md_mediasize % sectsize;
		sc->sectorsize = sectsize;
		error = EDOOFUS;
		switch (sc->type) {
		case MD_MALLOC:
			sc->start = mdstart_malloc;
			error = mdcreate_malloc(sc, mdio);
			break;
		case MD_PRELOAD:
			/* Preloaded images are attached at boot only. */
			error = EOPNOTSUPP;
			break;
		case MD_VNODE:
			sc->start = mdstart_vnode;
			error = mdcreate_vnode(sc, mdio);
			break;
		case MD_SWAP:
			sc->start = mdstart_malloc;
			error = mdcreate_swap(sc, mdio);
			break;
		case MD_NULL:
			sc->start = mdstart_null;
			error = mdcreate_null(sc, mdio);
			break;
		}
		if (error != 0) {
			if (md_unlist(sc))
				md_teardown(sc, 0);
			return (error);
		}
		mdinit(sc);
		return (0);
	case MDIOCDETACH:
		if (mdio->md_mediasize != 0 ||
		    (mdio->md_options & ~MD_FORCE) != 0)
			return (EINVAL);

		mtx_lock(&md_list_mtx);
		sc = mdfind(mdio->md_unit);
		if (sc == NULL) {
			mtx_unlock(&md_list_mtx);
			return (ENOENT);
		}
		if (sc->opencount != 0 && !(sc->flags & MD_FORCE) &&
		    !(mdio->md_options & MD_FORCE)) {
			mtx_unlock(&md_list_mtx);
			return (EBUSY);
		}
		TAILQ_REMOVE(&md_softc_list, sc, list);
		mtx_unlock(&md_list_mtx);
		md_teardown(sc, 0);
		return (0);
	case MDIOCRESIZE:
		if ((mdio->md_options & ~(MD_FORCE | MD_RESERVE)) != 0)
			return (EINVAL);
		mtx_lock(&md_list_mtx);
		sc = mdfind(mdio->md_unit);
		mtx_unlock(&md_list_mtx);
		if (sc == NULL)
			return (ENOENT);
		if (mdio->md_mediasize < sc->sectorsize)
			return (EINVAL);
		/* Shrinking takes -o force (at create or now). */
		if (mdio->md_mediasize < sc->mediasize &&
		    !(sc->flags & MD_FORCE) &&
		    !(mdio->md_options & MD_FORCE))
			return (EBUSY);
		return (mdresize(sc, mdio));
	case MDIOCQUERY:
		mtx_lock(&md_list_mtx);
		sc = mdfind(mdio->md_unit);
		mtx_unlock(&md_list_mtx);
		if (sc == NULL)
			return (ENOENT);
		mdio->md_type = sc->type;
		mdio->md_options = sc->flags & 0xffff;
		mdio->md_mediasize = sc->mediasize;
		mdio->md_sectorsize = sc->sectorsize;
		if (sc->type == MD_VNODE && mdio->md_file != NULL &&
		    mdio->md_filelen > 0)
			strlcpy(mdio->md_file, sc->file, mdio->md_filelen);
		return (error);
	case MDIOCLIST:
		i = 1;
		mtx_lock(&md_list_mtx);
		TAILQ_FOREACH(sc, &md_softc_list, list) {
			if (i == MDNPAD - 1)
				mdio->md_pad[i] = -1;
			else
				mdio->md_pad[i++] = sc->unit;
		}
		mtx_unlock(&md_list_mtx);
		mdio->md_pad[0] = i - 1;
		return (0);
	case MDIOCPULL:
		return (md_pull_unit(mdio->md_unit));
	default:
		return (ENOTTY);
	};
}

int
sim::mdctl_ioctl(unsigned long cmd, struct md_ioctl *mdio)
{
	int error;

	/* A pull may come from any thread, even a unit's own: no md_sx. */
	if (cmd == MDIOCPULL) {
		if (mdio->md_version != MDIOVERSION)
			return (EINVAL);
		return (md_pull_unit(mdio->md_unit));
	}
	sx_xlock(&md_sx);
	error = xmdctlioctl(cmd, mdio);
	sx_xunlock(&md_sx);
	return (error);
}

static void
g_md_init(struct g_class *mp __unused)
{
	TAILQ_INIT(&md_softc_list);
	mtx_init(&md_list_mtx, "md list", NULL, MTX_DEF);
	sx_init(&md_sx, "MD config lock");
}

static void
g_md_fini(struct g_class *mp __unused)
{
	sx_destroy(&md_sx);
	mtx_destroy(&md_list_mtx);
}

static void
g_md_dumpconf(struct sbuf *sb, const char *indent, struct g_geom *gp,
    struct g_consumer *cp __unused, struct g_provider *pp)
{
	struct md_s *mp;
	const char *type;

	mp = (struct md_s *)gp->softc;
	if (mp == NULL)
		return;

	switch (mp->type) {
	case MD_MALLOC:
		type = "malloc";
		break;
	case MD_PRELOAD:
		type = "preload";
		break;
	case MD_VNODE:
		type = "vnode";
		break;
	case MD_SWAP:
		type = "swap";
		break;
	case MD_NULL:
		type = "null";
		break;
	default:
		type = "unknown";
		break;
	}

	if (pp != NULL) {
		if (indent == NULL) {
			sbuf_printf(sb, " u %d", mp->unit);
			sbuf_printf(sb, " s %ju", (uintmax_t) mp->sectorsize);
			sbuf_printf(sb, " f %ju", (uintmax_t) mp->fwheads);
			sbuf_printf(sb, " fs %ju", (uintmax_t) mp->fwsectors);
			sbuf_printf(sb, " l %ju", (uintmax_t) mp->mediasize);
			sbuf_printf(sb, " t %s", type);
			if (mp->type == MD_VNODE && mp->media != NULL)
				sbuf_printf(sb, " file %s", mp->file);
		} else {
			sbuf_printf(sb, "%s<unit>%d</unit>\n", indent,
			    mp->unit);
			sbuf_printf(sb, "%s<sectorsize>%ju</sectorsize>\n",
			    indent, (uintmax_t) mp->sectorsize);
			sbuf_printf(sb, "%s<fwheads>%ju</fwheads>\n",
			    indent, (uintmax_t) mp->fwheads);
			sbuf_printf(sb, "%s<fwsectors>%ju</fwsectors>\n",
			    indent, (uintmax_t) mp->fwsectors);
			sbuf_printf(sb, "%s<length>%ju</length>\n",
			    indent, (uintmax_t) mp->mediasize);
			sbuf_printf(sb, "%s<compression>%s</compression>\n",
			    indent, (mp->flags & MD_COMPRESS) == 0 ? "off" :
			    "on");
			sbuf_printf(sb, "%s<access>%s</access>\n", indent,
			    (mp->flags & MD_READONLY) == 0 ? "read-write" :
			    "read-only");
			sbuf_printf(sb, "%s<type>%s</type>\n", indent,
			    type);
			if (mp->type == MD_VNODE && mp->media != NULL) {
				sbuf_printf(sb, "%s<file>", indent);
				g_conf_printf_escaped(sb, "%s", mp->file);
				sbuf_printf(sb, "</file>\n");
			}
		}
	}
}

/* Pulls "md<unit>" for the machine (power and pull triggers). */
static int
md_machine_pull(const std::string &name)
{
	char *end;
	unsigned long unit;

	if (name.compare(0, 2, MD_NAME) != 0 || name.size() < 3)
		return (ENOENT);
	unit = strtoul(name.c_str() + 2, &end, 10);
	if (*end != '\0' || unit > INT_MAX)
		return (ENOENT);
	return (md_pull_unit((int)unit));
}

static const sim::machine_driver md_driver = {
	"MD", NULL, NULL, md_machine_pull,
};
static sim::machine_driver_registrar md_registrar(&md_driver);
