/*
 * The DISK class: the machine's hardware disks (ada0, ada1, ...).
 *
 * At every boot each disk the machine has (and that is plugged in) gets a
 * geom and a provider of class DISK named after it, as geom_disk does for
 * a driver's disk(9). Requests are sorted into the disk's queue and served
 * by its own thread (the controller), so they complete asynchronously and
 * interleave with the GEOM threads; the data lands on the media with its
 * cache model (sim/media/media.h). FLUSH and DELETE are passed down when
 * the media supports them, refused with EOPNOTSUPP otherwise.
 *
 * Pulling a disk (machine::pull, or a trigger) marks it gone, fails every
 * request it still holds with ENXIO, the one being served included, and
 * withers the geom: consumers see their provider orphaned. Each request is
 * completed exactly once. The softc goes when both the provider and the
 * worker thread are gone.
 */
#include <sys/systm.h>
#include <sys/bio.h>
#include <sys/kthread.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/sbuf.h>
#include <geom/geom.h>

#include "sim/disk/disk_media.h"
#include "sim/machine/machine.h"
#include "sim/media/media.h"

MALLOC_DEFINE(M_SIMDISK, "sim_disk", "simulated hardware disk");

#define	DISK_GONE	0x01	/* pulled: nothing more reaches the media */
#define	DISK_EXITING	0x02	/* the worker has left */

#define	DISK_FWSECTORS	63
#define	DISK_FWHEADS	16

struct g_disk_softc {
	char			 name[SPECNAMELEN + 1];
	sim::media		*media;
	struct g_geom		*gp;
	struct g_provider	*pp;
	struct bio_queue_head	 queue;
	struct mtx		 queue_mtx;
	int			 flags;
	std::atomic<int>	 refs;		/* provider, worker */
	TAILQ_ENTRY(g_disk_softc) link;
};

/* Per boot: the disks attached, by name. */
static TAILQ_HEAD(, g_disk_softc) g_disk_list;
static struct mtx g_disk_list_mtx;

static g_init_t g_disk_init;
static g_start_t g_disk_start;
static g_access_t g_disk_access;
static g_dumpconf_t g_disk_dumpconf;
static g_provgone_t g_disk_providergone;

static struct g_class g_disk_class = {
	.name = "DISK",
	.version = G_VERSION,
	.init = g_disk_init,
	.start = g_disk_start,
	.dumpconf = g_disk_dumpconf,
	.access = g_disk_access,
	.providergone = g_disk_providergone,
};

DECLARE_GEOM_CLASS_BUILTIN(g_disk_class, g_disk, 20);

static void
g_disk_init(struct g_class *mp __unused)
{
	TAILQ_INIT(&g_disk_list);
	mtx_init(&g_disk_list_mtx, "sim disks", NULL, MTX_DEF);
}

static void
g_disk_release(struct g_disk_softc *sc)
{
	if (--sc->refs > 0)
		return;
	mtx_destroy(&sc->queue_mtx);
	disk_media_release(sc->media);
	sc->~g_disk_softc();
	free(sc, M_SIMDISK);
}

static void
g_disk_worker(void *arg)
{
	struct g_disk_softc *sc = (struct g_disk_softc *)arg;
	struct bio *bp;
	int error, gone;

	for (;;) {
		mtx_lock(&sc->queue_mtx);
		if (sc->flags & DISK_GONE) {
			/* g_disk_pull() failed whatever was queued. */
			sc->flags |= DISK_EXITING;
			mtx_unlock(&sc->queue_mtx);
			g_disk_release(sc);
			kproc_exit(0);
		}
		bp = bioq_takefirst(&sc->queue);
		if (bp == NULL) {
			msleep(sc, &sc->queue_mtx, PRIBIO | PDROP, "dwait", 0);
			continue;
		}
		mtx_unlock(&sc->queue_mtx);

		error = disk_media_bio(sc->media, bp, sc->name, 0);

		mtx_lock(&sc->queue_mtx);
		gone = sc->flags & DISK_GONE;
		mtx_unlock(&sc->queue_mtx);
		/* The disk vanished under the request: it failed. */
		if (gone && error == 0)
			error = ENXIO;
		bp->bio_completed = error == 0 ? bp->bio_length : 0;
		g_io_deliver(bp, error);
	}
}

static void
g_disk_start(struct bio *bp)
{
	struct g_disk_softc *sc;

	sc = (struct g_disk_softc *)bp->bio_to->geom->softc;
	switch (bp->bio_cmd) {
	case BIO_GETATTR:
		if (g_handleattr_int(bp, "GEOM::fwsectors", DISK_FWSECTORS))
			return;
		if (g_handleattr_int(bp, "GEOM::fwheads", DISK_FWHEADS))
			return;
		if (g_handleattr_int(bp, "GEOM::candelete",
		    sc->media->config().delete_supported ? 1 : 0))
			return;
		if (g_handleattr_str(bp, "GEOM::ident", sc->name))
			return;
		g_io_deliver(bp, EOPNOTSUPP);
		return;
	case BIO_DELETE:
		if (!sc->media->config().delete_supported) {
			g_io_deliver(bp, EOPNOTSUPP);
			return;
		}
		break;
	case BIO_FLUSH:
		if (!sc->media->config().flush_supported) {
			g_io_deliver(bp, EOPNOTSUPP);
			return;
		}
		break;
	case BIO_READ:
	case BIO_WRITE:
		break;
	default:
		g_io_deliver(bp, EOPNOTSUPP);
		return;
	}
	mtx_lock(&sc->queue_mtx);
	if (sc->flags & DISK_GONE) {
		mtx_unlock(&sc->queue_mtx);
		g_io_deliver(bp, ENXIO);
		return;
	}
	bioq_disksort(&sc->queue, bp);
	mtx_unlock(&sc->queue_mtx);
	wakeup(sc);
}

static int
g_disk_access(struct g_provider *pp, int r, int w, int e)
{
	struct g_disk_softc *sc;

	sc = (struct g_disk_softc *)pp->geom->softc;
	if ((sc->flags & DISK_GONE) && (r > 0 || w > 0 || e > 0))
		return (ENXIO);
	if (w > 0 && sc->media->config().read_only)
		return (EROFS);
	return (0);
}

static void
g_disk_dumpconf(struct sbuf *sb, const char *indent, struct g_geom *gp,
    struct g_consumer *cp __unused, struct g_provider *pp)
{
	struct g_disk_softc *sc;

	sc = (struct g_disk_softc *)gp->softc;
	if (sc == NULL)
		return;
	if (indent == NULL) {
		sbuf_printf(sb, " hd %u", DISK_FWHEADS);
		sbuf_printf(sb, " sc %u", DISK_FWSECTORS);
		return;
	}
	if (pp == NULL)
		return;
	sbuf_printf(sb, "%s<fwheads>%u</fwheads>\n", indent, DISK_FWHEADS);
	sbuf_printf(sb, "%s<fwsectors>%u</fwsectors>\n", indent,
	    DISK_FWSECTORS);
	sbuf_printf(sb, "%s<rotationrate>0</rotationrate>\n", indent);
	sbuf_printf(sb, "%s<ident>", indent);
	g_conf_printf_escaped(sb, "%s", sc->name);
	sbuf_printf(sb, "</ident>\n");
	sbuf_printf(sb, "%s<descr>geomsim %s disk</descr>\n", indent,
	    sim::cache_model_name(sc->media->config().cache));
}

static void
g_disk_providergone(struct g_provider *pp)
{
	struct g_disk_softc *sc;

	sc = (struct g_disk_softc *)pp->geom->softc;
	pp->geom->softc = NULL;
	g_disk_release(sc);
}

/* Attaches disk `name` (a simulated thread that may sleep). */
static void
g_disk_create(const std::string &name, std::shared_ptr<sim::media> m)
{
	struct g_disk_softc *sc;
	struct g_geom *gp;
	struct g_provider *pp;

	sc = new (malloc(sizeof(*sc), M_SIMDISK, M_WAITOK | M_ZERO))
	    g_disk_softc();
	strlcpy(sc->name, name.c_str(), sizeof(sc->name));
	sc->media = disk_media_hold(std::move(m));
	bioq_init(&sc->queue);
	mtx_init(&sc->queue_mtx, "disk queue", NULL, MTX_DEF);
	sc->refs = 2;
	kproc_create(g_disk_worker, sc, NULL, 0, 0, "%s io", sc->name);

	g_topology_lock();
	gp = g_new_geomf(&g_disk_class, "%s", sc->name);
	gp->softc = sc;
	pp = g_new_providerf(gp, "%s", sc->name);
	pp->mediasize = sc->media->size();
	pp->sectorsize = sc->media->sector_size();
	sc->gp = gp;
	sc->pp = pp;
	g_error_provider(pp, 0);
	g_topology_unlock();

	mtx_lock(&g_disk_list_mtx);
	TAILQ_INSERT_TAIL(&g_disk_list, sc, link);
	mtx_unlock(&g_disk_list_mtx);
}

static int
g_disk_pull(const std::string &name)
{
	struct g_disk_softc *sc;
	struct bio *bp;

	mtx_lock(&g_disk_list_mtx);
	TAILQ_FOREACH(sc, &g_disk_list, link)
		if (name == sc->name)
			break;
	if (sc != NULL)
		TAILQ_REMOVE(&g_disk_list, sc, link);
	mtx_unlock(&g_disk_list_mtx);
	if (sc == NULL)
		return (ENOENT);

	printf("%s: disk gone\n", sc->name);
	mtx_lock(&sc->queue_mtx);
	sc->flags |= DISK_GONE;
	/* What the controller still held fails; the one it is serving
	 * fails when it comes back (g_disk_worker). */
	while ((bp = bioq_takefirst(&sc->queue)) != NULL)
		g_io_deliver(bp, ENXIO);
	mtx_unlock(&sc->queue_mtx);
	wakeup(sc);

	g_topology_lock();
	g_wither_geom(sc->gp, ENXIO);
	g_topology_unlock();
	return (0);
}

static void
g_disk_attach_all(sim::machine &m)
{
	for (const auto &[name, media] : m.disks())
		if (m.disk_present(name))
			g_disk_create(name, media);
}

static void
g_disk_insert(sim::machine &m, const std::string &name)
{
	std::shared_ptr<sim::media> media = m.disk(name);

	if (media != nullptr)
		g_disk_create(name, media);
}

static const sim::machine_driver g_disk_driver = {
	"DISK", g_disk_attach_all, g_disk_insert, g_disk_pull,
};
static sim::machine_driver_registrar g_disk_registrar(&g_disk_driver);
