/*
 * The DEV class and the /dev nodes userland opens.
 *
 * DEV tastes every provider: it attaches a consumer (opening nothing) and
 * publishes /dev/<provider name>. Userland open/close become g_access on
 * that consumer (no exclusive bit, as in FreeBSD 10), read and write
 * become bios of at most MAXPHYS bytes issued through g_io_request, so
 * userland traffic takes the same path it takes on FreeBSD, and a writer's
 * last close makes GEOM taste the provider again.
 *
 * When the provider goes away (orphan), the node disappears at once; open
 * descriptors then fail with ENXIO. Once no thread is inside the driver
 * any more, an event closes what the consumer still holds and withers the
 * geom (FreeBSD does this from devfs's destroy_dev_sched callback).
 */
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/sysctl.h>

#include "geom_int.h"
#include "kern/syscalls.h"

MALLOC_DEFINE(M_GDEV, "g_dev", "GEOM DEV class data");

/*
 * DIOCGDELETE is cut into requests of at most this many sectors, so a
 * large one can be interrupted (0: one request). FreeBSD 10's default.
 */
static unsigned long g_dev_del_max_sectors = 262144;
SYSCTL_NODE(_kern_geom, OID_AUTO, dev, CTLFLAG_RW, 0, "GEOM_DEV stuff");
SYSCTL_ULONG(_kern_geom_dev, OID_AUTO, delete_max_sectors, CTLFLAG_RW,
    &g_dev_del_max_sectors, 0, "Maximum number of sectors in a single "
    "delete request sent to the provider. Larger requests are chunked "
    "so they can be interrupted. (0 = disable chunking)");

#define FREAD	0x0001
#define FWRITE	0x0002

struct g_dev_softc;

struct cdev {
	std::string		name;
	struct g_consumer	*cp;		/* si_drv2; NULL once destroyed */
	struct g_dev_softc	*sc;
	bool			gone;		/* orphaned: no new requests */
	bool			destroy_posted;
	int			threadcount;	/* threads inside the driver */
	int			refs;		/* open descriptors */
};

struct g_dev_softc {
	struct mtx	 sc_mtx;
	struct cdev	*sc_dev;
	int		 sc_open;
	int		 sc_active;
};

struct file {
	struct cdev	*dev;
	int		 fflags;
};

/* Per boot: the device namespace and every thread's descriptors. */
struct devfs_state {
	struct mtx mtx;
	std::map<std::string, struct cdev *> nodes;
	std::map<std::pair<const kern::thread *, int>, struct file> files;
	std::vector<struct cdev *> all;		/* for freeing at the end */
};
static struct devfs_state *devfs;

static g_taste_t g_dev_taste;
static g_orphan_t g_dev_orphan;
static g_resize_t g_dev_resize;

static struct g_class g_dev_class = {
	.name = "DEV",
	.version = G_VERSION,
	.taste = g_dev_taste,
	.orphan = g_dev_orphan,
	.resize = g_dev_resize,
};

DECLARE_GEOM_CLASS_BUILTIN(g_dev_class, g_dev, 0);

static struct g_geom *
g_dev_taste(struct g_class *mp, struct g_provider *pp, int insist __unused)
{
	struct g_geom *gp;
	struct g_dev_softc *sc;
	struct g_consumer *cp;
	struct cdev *dev;
	int error;

	g_trace(G_T_TOPOLOGY, "dev_taste(%s,%s)", mp->name, pp->name);
	g_topology_assert();
	LIST_FOREACH(cp, &pp->consumers, consumers)
		if (cp->geom->class_ == mp)
			return (NULL);

	mtx_lock(&devfs->mtx);
	if (devfs->nodes.count(pp->name) != 0) {
		mtx_unlock(&devfs->mtx);
		printf("%s: make_dev_p() failed (gp->name=%s, error=%d)\n",
		    __func__, pp->name, EEXIST);
		return (NULL);
	}
	mtx_unlock(&devfs->mtx);

	gp = g_new_geomf(mp, "%s", pp->name);
	sc = (struct g_dev_softc *)g_malloc(sizeof(*sc), M_WAITOK | M_ZERO);
	mtx_init(&sc->sc_mtx, "g_dev", NULL, MTX_DEF);
	cp = g_new_consumer(gp);
	cp->private_ = sc;
	cp->flags |= G_CF_DIRECT_SEND | G_CF_DIRECT_RECEIVE;
	error = g_attach(cp, pp);
	KASSERT(error == 0,
	    ("g_dev_taste(%s) failed to g_attach, err=%d", pp->name, error));

	dev = new struct cdev();
	dev->name = gp->name;
	dev->cp = cp;
	dev->sc = sc;
	sc->sc_dev = dev;
	mtx_lock(&devfs->mtx);
	devfs->nodes[dev->name] = dev;
	devfs->all.push_back(dev);
	mtx_unlock(&devfs->mtx);
	return (gp);
}

static void
g_dev_destroy(void *arg, int flags __unused)
{
	struct g_consumer *cp;
	struct g_geom *gp;
	struct g_dev_softc *sc;

	g_topology_assert();
	cp = (struct g_consumer *)arg;
	gp = cp->geom;
	sc = (struct g_dev_softc *)cp->private_;
	g_trace(G_T_TOPOLOGY, "g_dev_destroy(%p(%s))", cp, gp->name);
	mtx_lock(&devfs->mtx);
	sc->sc_dev->cp = NULL;
	mtx_unlock(&devfs->mtx);
	if (cp->acr > 0 || cp->acw > 0 || cp->ace > 0)
		g_access(cp, -cp->acr, -cp->acw, -cp->ace);
	g_wither_geom(gp, ENXIO);
	mtx_destroy(&sc->sc_mtx);
	g_free(sc);
	cp->private_ = NULL;
}

/* devfs mutex held. */
static void
g_dev_schedule_destroy(struct cdev *dev)
{
	if (dev->destroy_posted || dev->threadcount > 0 || dev->cp == NULL)
		return;
	dev->destroy_posted = true;
	g_post_event(g_dev_destroy, dev->cp, M_WAITOK, NULL);
}

/*
 * The provider changed size. FreeBSD tells devd(8) (a devctl SIZECHANGE
 * notification); geomsim has no devd, so this only traces. What matters
 * is that DEV has the method: g_resize_provider orphans the consumers of
 * geoms without one when their provider shrinks, and /dev/<name> stays.
 */
static void
g_dev_resize(struct g_consumer *cp)
{

	g_trace(G_T_TOPOLOGY, "g_dev_resize(%s) %jd", cp->provider->name,
	    (intmax_t)cp->provider->mediasize);
}

static void
g_dev_orphan(struct g_consumer *cp)
{
	struct g_dev_softc *sc;
	struct cdev *dev;

	g_topology_assert();
	sc = (struct g_dev_softc *)cp->private_;
	dev = sc->sc_dev;
	g_trace(G_T_TOPOLOGY, "g_dev_orphan(%p(%s))", cp, cp->geom->name);

	/* Destroy the node so we get no more requests. */
	mtx_lock(&devfs->mtx);
	dev->gone = true;
	auto it = devfs->nodes.find(dev->name);
	if (it != devfs->nodes.end() && it->second == dev)
		devfs->nodes.erase(it);
	g_dev_schedule_destroy(dev);
	mtx_unlock(&devfs->mtx);
}

/* Entering and leaving the driver (devfs's si_threadcount). */
static struct g_consumer *
dev_enter(struct cdev *dev)
{
	mtx_lock(&devfs->mtx);
	if (dev->gone || dev->cp == NULL) {
		mtx_unlock(&devfs->mtx);
		return (NULL);
	}
	dev->threadcount++;
	struct g_consumer *cp = dev->cp;
	mtx_unlock(&devfs->mtx);
	return (cp);
}

static void
dev_leave(struct cdev *dev)
{
	mtx_lock(&devfs->mtx);
	dev->threadcount--;
	if (dev->gone)
		g_dev_schedule_destroy(dev);
	mtx_unlock(&devfs->mtx);
}

static int
g_dev_open(struct g_consumer *cp, int fflags)
{
	struct g_dev_softc *sc;
	int error, r, w, e;

	r = fflags & FREAD ? 1 : 0;
	w = fflags & FWRITE ? 1 : 0;
	e = 0;
	if (r + w + e == 0)
		return (EINVAL);
	g_topology_lock();
	error = g_access(cp, r, w, e);
	g_topology_unlock();
	if (error == 0) {
		sc = (struct g_dev_softc *)cp->private_;
		mtx_lock(&sc->sc_mtx);
		if (sc->sc_open == 0 && sc->sc_active != 0)
			wakeup(&sc->sc_active);
		sc->sc_open += r + w + e;
		mtx_unlock(&sc->sc_mtx);
	}
	return (error);
}

static int
g_dev_close(struct g_consumer *cp, int fflags)
{
	struct g_dev_softc *sc;
	int error, r, w, e;

	r = fflags & FREAD ? 1 : 0;
	w = fflags & FWRITE ? 1 : 0;
	e = 0;
	sc = (struct g_dev_softc *)cp->private_;
	mtx_lock(&sc->sc_mtx);
	sc->sc_open -= r + w + e;
	/* The last close waits for the requests still in flight. */
	while (sc->sc_open == 0 && sc->sc_active != 0)
		msleep(&sc->sc_active, &sc->sc_mtx, 0, "PRIBIO", 0);
	mtx_unlock(&sc->sc_mtx);
	g_topology_lock();
	error = g_access(cp, -r, -w, -e);
	g_topology_unlock();
	return (error);
}

static void
g_dev_done(struct bio *bp2)
{
	struct g_consumer *cp;
	struct g_dev_softc *sc;
	struct bio *bp;

	cp = bp2->bio_from;
	sc = (struct g_dev_softc *)cp->private_;
	bp = bp2->bio_parent;
	bp->bio_error = bp2->bio_error;
	if (bp->bio_error != 0) {
		g_trace(G_T_BIO, "g_dev_done(%p) had error %d",
		    bp2, bp->bio_error);
		g_set_flags(bp->bio_flags, (uint8_t)BIO_ERROR);
	} else {
		g_trace(G_T_BIO, "g_dev_done(%p/%p) resid %ld completed %jd",
		    bp2, bp, bp2->bio_resid, (intmax_t)bp2->bio_completed);
	}
	bp->bio_resid = bp->bio_length - bp2->bio_completed;
	bp->bio_completed = bp2->bio_completed;
	g_destroy_bio(bp2);
	mtx_lock(&sc->sc_mtx);
	if ((--sc->sc_active) == 0 && sc->sc_open == 0)
		wakeup(&sc->sc_active);
	mtx_unlock(&sc->sc_mtx);
	biodone(bp);
}

static void
g_dev_strategy(struct g_consumer *cp, struct bio *bp)
{
	struct bio *bp2;
	struct g_dev_softc *sc;

	KASSERT(g_load(cp->acr) || g_load(cp->acw),
	    ("Consumer with zero access count in g_dev_strategy"));
#ifdef INVARIANTS
	if ((bp->bio_offset % cp->provider->sectorsize) != 0 ||
	    (bp->bio_bcount % cp->provider->sectorsize) != 0) {
		bp->bio_resid = bp->bio_bcount;
		biofinish(bp, NULL, EINVAL);
		return;
	}
#endif
	sc = (struct g_dev_softc *)cp->private_;
	for (;;) {
		/* Retry a failed clone (memory shortage) after a pause. */
		bp2 = g_clone_bio(bp);
		if (bp2 != NULL)
			break;
		pause("gdstrat", hz / 10);
	}
	bp2->bio_done = g_dev_done;
	g_trace(G_T_BIO,
	    "g_dev_strategy(%p/%p) offset %jd length %jd data %p cmd %d",
	    bp, bp2, (intmax_t)bp->bio_offset, (intmax_t)bp2->bio_length,
	    bp2->bio_data, bp2->bio_cmd);
	mtx_lock(&sc->sc_mtx);
	KASSERT(sc->sc_open > 0, ("Closed device in g_dev_strategy"));
	sc->sc_active++;
	mtx_unlock(&sc->sc_mtx);
	g_io_request(bp2, cp);
}

/* One request through the device; waits for it like physio. */
static int
g_dev_io(struct g_consumer *cp, int cmd, void *data, off_t offset,
    off_t length, const char *attr, off_t *completed)
{
	struct bio *bp;
	int error;

	bp = g_alloc_bio();
	bp->bio_cmd = cmd;
	bp->bio_offset = offset;
	bp->bio_length = length;
	bp->bio_bcount = length;
	bp->bio_data = (caddr_t)data;
	bp->bio_attribute = attr;
	bp->bio_done = NULL;
	if (cmd == BIO_GETATTR || cmd == BIO_FLUSH) {
		/* Not sector-sized: skip the strategy's alignment check. */
		struct bio *bp2 = g_clone_bio(bp);
		struct g_dev_softc *sc = (struct g_dev_softc *)cp->private_;
		bp2->bio_done = g_dev_done;
		mtx_lock(&sc->sc_mtx);
		sc->sc_active++;
		mtx_unlock(&sc->sc_mtx);
		g_io_request(bp2, cp);
	} else {
		g_dev_strategy(cp, bp);
	}
	error = biowait(bp, cmd == BIO_READ ? "physrd" : "physwr");
	if (completed != NULL)
		*completed = bp->bio_completed;
	g_destroy_bio(bp);
	return (error);
}

/* ------------------------------------------------------- system calls */

/*
 * Every system call ends with userret: a thread that posted GEOM events
 * (TDP_GEOM) waits there until the event queue drained, so close(2) of a
 * device returns after the retaste it caused, as on FreeBSD.
 */
/*
 * A system call made while the kernel stops (a program's destructor
 * closing its descriptor as its thread unwinds) must not wait for
 * anything: nothing will ever wake it.
 */
static bool
kernel_stopping(void)
{
	return (kern::current_scheduler()->stopping());
}

static int
syscall_return(int error)
{
	return (kern::kernel::current()->syscall_return(error));
}

static struct file *
fd_lookup(int fd)
{
	auto it = devfs->files.find({kern::scheduler::current(), fd});
	return (it == devfs->files.end() ? NULL : &it->second);
}

static int do_open(const std::string &path, int oflags, int &fd);
static int do_close(int fd);

int
kern::sys_open(const std::string &path, int oflags, int &fd)
{
	if (kernel_stopping())
		return (EINTR);
	return (syscall_return(do_open(path, oflags, fd)));
}

int
kern::sys_close(int fd)
{
	if (kernel_stopping())
		return (EINTR);
	return (syscall_return(do_close(fd)));
}

static int
do_open(const std::string &path, int oflags, int &fd)
{
	std::string name = path;
	struct cdev *dev;
	struct g_consumer *cp;
	int fflags, error;

	if (name.compare(0, 5, "/dev/") == 0)
		name = name.substr(5);
	fflags = (oflags & kern::BSD_O_ACCMODE) + 1;
	mtx_lock(&devfs->mtx);
	auto it = devfs->nodes.find(name);
	dev = it == devfs->nodes.end() ? NULL : it->second;
	mtx_unlock(&devfs->mtx);
	if (dev == NULL)
		return (ENOENT);
	cp = dev_enter(dev);
	if (cp == NULL)
		return (ENXIO);
	error = g_dev_open(cp, fflags);
	if (error == 0) {
		mtx_lock(&devfs->mtx);
		const kern::thread *td = kern::scheduler::current();
		fd = 3;
		while (devfs->files.count({td, fd}) != 0)
			fd++;
		devfs->files[{td, fd}] = {dev, fflags};
		dev->refs++;
		mtx_unlock(&devfs->mtx);
	}
	dev_leave(dev);
	return (error);
}

static int
do_close(int fd)
{
	struct file *fp;
	struct file f;
	struct g_consumer *cp;
	int error = 0;

	mtx_lock(&devfs->mtx);
	fp = fd_lookup(fd);
	if (fp == NULL) {
		mtx_unlock(&devfs->mtx);
		return (EBADF);
	}
	f = *fp;
	devfs->files.erase({kern::scheduler::current(), fd});
	f.dev->refs--;
	mtx_unlock(&devfs->mtx);
	cp = dev_enter(f.dev);
	if (cp == NULL)
		return (0);	/* the device is gone: nothing left to close */
	error = g_dev_close(cp, f.fflags);
	dev_leave(f.dev);
	return (error);
}

/* Closes the descriptors of a thread that ends (process exit). */
static void
g_dev_exit(void)
{
	std::vector<int> fds;
	const kern::thread *td = kern::scheduler::current();

	mtx_lock(&devfs->mtx);
	for (auto &[key, f] : devfs->files)
		if (key.first == td)
			fds.push_back(key.second);
	mtx_unlock(&devfs->mtx);
	for (int fd : fds)
		kern::sys_close(fd);
}

static int
rw(int fd, int cmd, void *buf, size_t len, int64_t off, size_t &done)
{
	if (kernel_stopping()) {
		done = 0;
		return (EINTR);
	}
	struct file *fp;
	struct cdev *dev;
	struct g_consumer *cp;
	int fflags, error = 0;

	done = 0;
	mtx_lock(&devfs->mtx);
	fp = fd_lookup(fd);
	dev = fp ? fp->dev : NULL;
	fflags = fp ? fp->fflags : 0;
	mtx_unlock(&devfs->mtx);
	if (dev == NULL)
		return (EBADF);
	if (!(fflags & (cmd == BIO_READ ? FREAD : FWRITE)))
		return (EBADF);
	cp = dev_enter(dev);
	if (cp == NULL)
		return (ENXIO);
	/* physio: MAXPHYS at a time, each waited for. */
	while (done < len) {
		off_t chunk = (off_t)std::min(len - done, (size_t)MAXPHYS);
		off_t completed = 0;
		error = g_dev_io(cp, cmd, (char *)buf + done, off + (off_t)done,
		    chunk, NULL, &completed);
		if (error != 0)
			break;
		done += (size_t)completed;
		if (completed < chunk)
			break;
	}
	dev_leave(dev);
	return (error);
}

int
kern::sys_pread(int fd, void *buf, size_t len, int64_t off, size_t &done)
{
	return (syscall_return(rw(fd, BIO_READ, buf, len, off, done)));
}

int
kern::sys_pwrite(int fd, const void *buf, size_t len, int64_t off,
    size_t &done)
{
	return (syscall_return(rw(fd, BIO_WRITE, const_cast<void *>(buf), len,
	    off, done)));
}

/* Runs f(cp) for an ioctl, inside the driver. */
template <class F>
static int
with_device(int fd, F f)
{
	if (kernel_stopping())
		return (EINTR);
	struct file *fp;
	struct cdev *dev;
	struct g_consumer *cp;

	mtx_lock(&devfs->mtx);
	fp = fd_lookup(fd);
	dev = fp ? fp->dev : NULL;
	mtx_unlock(&devfs->mtx);
	if (dev == NULL)
		return (EBADF);
	cp = dev_enter(dev);
	if (cp == NULL)
		return (ENXIO);
	int error = f(cp);
	dev_leave(dev);
	return (syscall_return(error));
}

int
kern::sys_diocgmediasize(int fd, int64_t &size)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		size = cp->provider->mediasize;
		return (0);
	}));
}

int
kern::sys_diocgsectorsize(int fd, unsigned &size)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		size = cp->provider->sectorsize;
		return (0);
	}));
}

int
kern::sys_diocgstripesize(int fd, int64_t &size)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		size = cp->provider->stripesize;
		return (0);
	}));
}

int
kern::sys_diocgstripeoffset(int fd, int64_t &off)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		off = cp->provider->stripeoffset;
		return (0);
	}));
}

static int
getattr_int(struct g_consumer *cp, const char *attr, unsigned &out)
{
	int v = 0;
	off_t completed = 0;
	int error = g_dev_io(cp, BIO_GETATTR, &v, 0, sizeof v, attr, &completed);
	if (error == 0)
		out = (unsigned)v;
	return (error);
}

int
kern::sys_diocgfwsectors(int fd, unsigned &n)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		return (getattr_int(cp, "GEOM::fwsectors", n));
	}));
}

int
kern::sys_diocgfwheads(int fd, unsigned &n)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		return (getattr_int(cp, "GEOM::fwheads", n));
	}));
}

int
kern::sys_diocgident(int fd, std::string &ident)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		char buf[256] = {0};
		off_t completed = 0;
		int error = g_dev_io(cp, BIO_GETATTR, buf, 0, sizeof buf,
		    "GEOM::ident", &completed);
		if (error == 0)
			ident = buf;
		return (error);
	}));
}

int
kern::sys_diocgflush(int fd)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		return (g_dev_io(cp, BIO_FLUSH, NULL, cp->provider->mediasize,
		    0, NULL, NULL));
	}));
}

/*
 * DIOCGDELETE, as FreeBSD 10's g_dev_ioctl does it: offset and length
 * must be whole sectors, the length positive (else a console line and
 * EINVAL); the region goes down as BIO_DELETEs of at most
 * kern.geom.dev.delete_max_sectors sectors, cut so the next one starts on
 * a stripe boundary, each waited for, stopping at the first error.
 * Two checks of later FreeBSD are added: an offset at or past the end of a
 * provider with a media size fails with EIO (FreeBSD 10 lets g_io_check
 * deal with it: EIO past the end, success doing nothing at the very end),
 * and a length running past the end is cut there at once (FreeBSD 10 cuts
 * each request in g_io_check, and a later piece starting past the end
 * fails).
 */
int
kern::sys_diocgdelete(int fd, int64_t off, int64_t len)
{
	return (with_device(fd, [&](struct g_consumer *cp) {
		struct g_provider *pp = cp->provider;
		off_t offset = off, length = len, chunk, odd;
		int error = 0;

		if ((offset % pp->sectorsize) != 0 ||
		    (length % pp->sectorsize) != 0 || length <= 0) {
			printf("%s: offset=%jd length=%jd\n", "g_dev_ioctl",
			    (intmax_t)offset, (intmax_t)length);
			return (EINVAL);
		}
		if (pp->mediasize > 0 && offset >= pp->mediasize)
			return (EIO);
		if (pp->mediasize > 0 && length > pp->mediasize - offset)
			length = pp->mediasize - offset;
		while (length > 0) {
			chunk = length;
			if (g_dev_del_max_sectors != 0 &&
			    (uint64_t)chunk > g_dev_del_max_sectors *
			    pp->sectorsize) {
				chunk = (off_t)(g_dev_del_max_sectors *
				    pp->sectorsize);
				if (pp->stripesize > 0) {
					odd = (offset + chunk +
					    pp->stripeoffset) % pp->stripesize;
					if (chunk > odd)
						chunk -= odd;
				}
			}
			error = g_dev_io(cp, BIO_DELETE, NULL, offset, chunk,
			    NULL, NULL);
			length -= chunk;
			offset += chunk;
			if (error != 0)
				break;
		}
		return (error);
	}));
}

std::vector<std::string>
kern::sys_devfs_list()
{
	std::vector<std::string> out;
	mtx_lock(&devfs->mtx);
	for (auto &[name, dev] : devfs->nodes)
		out.push_back(name);
	mtx_unlock(&devfs->mtx);
	return (out);
}

static void
devfs_init(void)
{
	kern::kernel *k = kern::kernel::current();
	devfs = new devfs_state();
	mtx_init(&devfs->mtx, "devfs", NULL, MTX_DEF);
	k->user_exit.push_back(g_dev_exit);
	k->at_destroy([] {
		for (struct cdev *dev : devfs->all)
			delete dev;
		delete devfs;
		devfs = NULL;
	});
}

static kern::sysinit devfs_sysinit(kern::SI_KERN_DEVFS, "devfs", devfs_init,
    NULL);
