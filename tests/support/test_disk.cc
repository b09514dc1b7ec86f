// A minimal memory disk for tests. See tests/support/test_disk.h.
#include <geom/geom.h>

#include "tests/support/test_disk.h"

MALLOC_DEFINE(M_TDISK, "tdisk", "test disk");

struct tdisk_softc {
	char *mem;
	off_t size;
	uint64_t requests;
	struct g_provider *pp;
};

static void
tdisk_start(struct bio *bp)
{
	struct tdisk_softc *sc = bp->bio_to->geom->softc;

	sc->requests++;
	switch (bp->bio_cmd) {
	case BIO_READ:
		memcpy(bp->bio_data, sc->mem + bp->bio_offset, bp->bio_length);
		break;
	case BIO_WRITE:
		memcpy(sc->mem + bp->bio_offset, bp->bio_data, bp->bio_length);
		break;
	case BIO_DELETE:
		memset(sc->mem + bp->bio_offset, 0, bp->bio_length);
		break;
	default:
		g_io_deliver(bp, EOPNOTSUPP);
		return;
	}
	bp->bio_completed = bp->bio_length;
	g_io_deliver(bp, 0);
}

static int
tdisk_access(struct g_provider *pp, int dr, int dw, int de)
{
	if (pp->geom->softc == NULL && (dr > 0 || dw > 0 || de > 0))
		return (ENXIO);
	return (0);
}

static struct g_class tdisk_class = {
	.name = "TDISK",
	.version = G_VERSION,
	.start = tdisk_start,
	.access = tdisk_access,
};

DECLARE_GEOM_CLASS_BUILTIN(tdisk_class, g_tdisk, 10);

static struct g_geom *
find(const std::string &name)
{
	struct g_geom *gp;

	LIST_FOREACH(gp, &tdisk_class.geom, geom)
		if (name == gp->name && gp->softc != NULL)
			return (gp);
	return (NULL);
}

bool
testsupport::tdisk_create(const std::string &name, int64_t size,
    unsigned sectorsize)
{
	g_topology_lock();
	if (find(name) != NULL) {
		g_topology_unlock();
		return (false);
	}
	struct g_geom *gp = g_new_geomf(&tdisk_class, "%s", name.c_str());
	struct tdisk_softc *sc = (struct tdisk_softc *)malloc(sizeof(*sc),
	    M_TDISK, M_WAITOK | M_ZERO);
	sc->mem = (char *)malloc(size, M_TDISK, M_WAITOK | M_ZERO);
	sc->size = size;
	gp->softc = sc;
	sc->pp = g_new_providerf(gp, "%s", name.c_str());
	sc->pp->mediasize = size;
	sc->pp->sectorsize = sectorsize;
	g_error_provider(sc->pp, 0);
	g_topology_unlock();
	return (true);
}

bool
testsupport::tdisk_destroy(const std::string &name)
{
	g_topology_lock();
	struct g_geom *gp = find(name);
	if (gp == NULL) {
		g_topology_unlock();
		return (false);
	}
	struct tdisk_softc *sc = gp->softc;
	gp->softc = NULL;
	g_wither_geom(gp, ENXIO);
	g_topology_unlock();
	/* In-flight requests were served synchronously: nothing uses sc. */
	free(sc->mem, M_TDISK);
	free(sc, M_TDISK);
	return (true);
}

bool
testsupport::tdisk_peek(const std::string &name, int64_t off, void *buf,
    size_t len)
{
	struct g_geom *gp = find(name);
	if (gp == NULL)
		return (false);
	struct tdisk_softc *sc = gp->softc;
	if (off < 0 || off + (int64_t)len > sc->size)
		return (false);
	memcpy(buf, sc->mem + off, len);
	return (true);
}

bool
testsupport::tdisk_poke(const std::string &name, int64_t off,
    const void *buf, size_t len)
{
	struct g_geom *gp = find(name);
	if (gp == NULL)
		return (false);
	struct tdisk_softc *sc = gp->softc;
	if (off < 0 || off + (int64_t)len > sc->size)
		return (false);
	memcpy(sc->mem + off, buf, len);
	return (true);
}

uint64_t
testsupport::tdisk_requests(const std::string &name)
{
	struct g_geom *gp = find(name);
	return (gp == NULL ? 0 : ((struct tdisk_softc *)gp->softc)->requests);
}
