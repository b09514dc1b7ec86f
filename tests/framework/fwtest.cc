/*
 * The classes and helpers the framework suites share. See fwtest.h.
 */
#include "tests/framework/fwtest.h"

#include <mutex>
#include <stdexcept>

namespace fwtest {

/* ---------------------------------------------------------------- notes */

static std::mutex notes_mu;
static std::vector<std::string> notes_v;

void
note(const std::string &s)
{
	std::lock_guard<std::mutex> g(notes_mu);
	notes_v.push_back(s);
}

std::vector<std::string>
notes()
{
	std::lock_guard<std::mutex> g(notes_mu);
	return (notes_v);
}

void
clear_notes()
{
	std::lock_guard<std::mutex> g(notes_mu);
	notes_v.clear();
}

std::string
thread_name()
{
	return (kern_thread_name(curthread));
}

/* --------------------------------------------------------------- probes */

probe probe_a, probe_b;

/*
 * The methods of a probe class call the test's hook if it set one, and
 * otherwise behave like a plain class: taste nothing, allow every access,
 * fail requests with EOPNOTSUPP, and on orphan close the consumer and
 * wither the geom.
 */
template <probe *P>
static struct g_geom *
probe_taste(struct g_class *mp, struct g_provider *pp, int flags __unused)
{
	g_topology_assert();
	return (P->taste ? P->taste(mp, pp) : NULL);
}

template <probe *P>
static int
probe_access(struct g_provider *pp, int dr, int dw, int de)
{
	return (P->access ? P->access(pp, dr, dw, de) : 0);
}

template <probe *P>
static void
probe_orphan(struct g_consumer *cp)
{
	if (P->orphan) {
		P->orphan(cp);
		return;
	}
	if (cp->acr > 0 || cp->acw > 0 || cp->ace > 0)
		g_access(cp, -cp->acr, -cp->acw, -cp->ace);
	g_wither_geom(cp->geom, ENXIO);
}

template <probe *P>
static void
probe_spoiled(struct g_consumer *cp)
{
	if (P->spoiled)
		P->spoiled(cp);
}

template <probe *P>
static void
probe_start(struct bio *bp)
{
	if (P->start)
		P->start(bp);
	else
		g_io_deliver(bp, EOPNOTSUPP);
}

template <probe *P>
static void
probe_dumpconf(struct sbuf *sb, const char *indent, struct g_geom *gp,
    struct g_consumer *cp, struct g_provider *pp)
{
	if (P->dumpconf)
		P->dumpconf(sb, indent, gp, cp, pp);
}

template <probe *P>
static void
probe_ctlreq(struct gctl_req *req, struct g_class *mp, const char *verb)
{
	if (P->ctlreq)
		P->ctlreq(req, mp, verb);
	else
		gctl_error(req, "%s: no ctlreq hook", mp->name);
}

template <probe *P>
static int
probe_destroy_geom(struct gctl_req *req, struct g_class *mp, struct g_geom *gp)
{
	if (P->destroy_geom)
		return (P->destroy_geom(req, mp, gp));
	g_wither_geom_close(gp, ENXIO);
	return (0);
}

#define PROBE_CLASS(P, NAME) {						\
	.name = NAME,							\
	.version = G_VERSION,						\
	.taste = probe_taste<&P>,					\
	.ctlreq = probe_ctlreq<&P>,					\
	.destroy_geom = probe_destroy_geom<&P>,				\
	.start = probe_start<&P>,					\
	.spoiled = probe_spoiled<&P>,					\
	.dumpconf = probe_dumpconf<&P>,					\
	.access = probe_access<&P>,					\
	.orphan = probe_orphan<&P>,					\
}

struct g_class probe_a_class = PROBE_CLASS(probe_a, "PROBEA");
struct g_class probe_b_class = PROBE_CLASS(probe_b, "PROBEB");

DECLARE_GEOM_CLASS(probe_a_class, g_probea);
DECLARE_GEOM_CLASS(probe_b_class, g_probeb);

/* -------------------------------------------------------------- fixture */

reset_hooks::reset_hooks()
{
	probe_a.reset();
	probe_b.reset();
	clear_notes();
}

fixture::fixture(uint64_t seed, kern::sched_mode mode,
    std::map<std::string, std::string> kenv)
    : booted({mode, seed, std::move(kenv), {"g_probea", "g_probeb"}})
{
	if (panicked())
		throw std::runtime_error("boot panicked: " + panic_message());
}

bool
fixture::run(std::function<void()> fn, const std::string &name)
{
	if (k().stopped())
		throw std::runtime_error("the kernel stopped before this step" +
		    (panicked() ? " (panic: " + panic_message() + ")" : std::string()));
	return (booted::run(std::move(fn), name));
}

/* ----------------------------------------------------- topology helpers */

struct g_geom *
new_geom(struct g_class *mp, const char *name)
{
	return (g_new_geomf(mp, "%s", name));
}

struct g_consumer *
attach(struct g_geom *gp, const char *name)
{
	struct g_consumer *cp = g_new_consumer(gp);
	struct g_provider *pp = provider(name);
	KASSERT(pp != NULL, ("fwtest: no provider %s", name));
	int error = g_attach(cp, pp);
	KASSERT(error == 0, ("fwtest: g_attach to %s: %d", name, error));
	return (cp);
}

struct g_provider *
new_provider(struct g_geom *gp, const char *name, off_t mediasize,
    u_int sectorsize)
{
	struct g_provider *pp = g_new_providerf(gp, "%s", name);
	pp->mediasize = mediasize;
	pp->sectorsize = sectorsize;
	g_error_provider(pp, 0);
	return (pp);
}

struct g_provider *
provider(const char *name)
{
	return (g_provider_by_name(name));
}

bool
geom_exists(struct g_class *mp, const char *name)
{
	struct g_geom *gp;

	LIST_FOREACH(gp, &mp->geom, geom)
		if (strcmp(gp->name, name) == 0)
			return (true);
	return (false);
}

void
new_disk(const char *name, int64_t size)
{
	bool ok = testsupport::tdisk_create(name, size);
	KASSERT(ok, ("fwtest: tdisk %s exists", name));
}

/* ----------------------------------------------------------------- PASS */

MALLOC_DEFINE(M_PASS, "pass", "fwtest passthrough");

struct pass_softc {
	std::atomic<uint64_t> starts, starts_off_down;
	std::atomic<uint64_t> dones, dones_off_up;
};

/*
 * The softc pointer: g_down (start) and g_up (done) read it while g_event
 * may clear it (an orphan destroys the geom while requests are on their
 * way). Under real threads that must be atomic, and the softc must live
 * until the provider is gone (providergone): a start that read the
 * pointer just before it was cleared still counts into it.
 */
static struct pass_softc *
pass_sc(struct g_geom *gp)
{
	return ((struct pass_softc *)__atomic_load_n(&gp->softc.p, __ATOMIC_ACQUIRE));
}

static void
pass_set_sc(struct g_geom *gp, struct pass_softc *sc)
{
	__atomic_store_n(&gp->softc.p, (void *)sc, __ATOMIC_RELEASE);
}

static void
pass_free_sc(struct pass_softc *sc)
{
	sc->~pass_softc();
	free(sc, M_PASS);
}

static void
pass_providergone(struct g_provider *pp)
{
	struct pass_softc *sc = pp->private_;

	if (sc != NULL)
		pass_free_sc(sc);
}

static int
pass_is_thread(const char *name)
{
	return (strcmp(kern_thread_name(curthread), name) == 0);
}

static void
pass_done(struct bio *cbp)
{
	struct pass_softc *sc = pass_sc(cbp->bio_from->geom);

	if (sc != NULL) {
		sc->dones++;
		if (!pass_is_thread("g_up"))
			sc->dones_off_up++;
	}
	g_std_done(cbp);
}

static void
pass_start(struct bio *bp)
{
	struct g_geom *gp = bp->bio_to->geom;
	struct pass_softc *sc = pass_sc(gp);
	struct bio *cbp;

	if (sc != NULL) {
		sc->starts++;
		if (!pass_is_thread("g_down"))
			sc->starts_off_down++;
	}
	cbp = g_clone_bio(bp);
	if (cbp == NULL) {
		g_io_deliver(bp, ENOMEM);
		return;
	}
	cbp->bio_done = pass_done;
	g_io_request(cbp, LIST_FIRST(&gp->consumer));
}

static int
pass_access(struct g_provider *pp, int dr, int dw, int de)
{
	struct g_geom *gp = pp->geom;

	/* Closes still arrive after the geom withered. */
	if (pass_sc(gp) == NULL && (dr > 0 || dw > 0 || de > 0))
		return (ENXIO);
	return (g_access(LIST_FIRST(&gp->consumer), dr, dw, de));
}

static int pass_destroy_geom(struct g_geom *gp, bool force);

static void
pass_orphan(struct g_consumer *cp)
{
	g_topology_assert();
	pass_destroy_geom(cp->geom, true);
}

static int
pass_destroy_geom(struct g_geom *gp, bool force)
{
	struct g_provider *pp = LIST_FIRST(&gp->provider);

	g_topology_assert();
	struct pass_softc *sc = pass_sc(gp);
	if (sc == NULL)
		return (ENXIO);
	if (!force && pp != NULL && (pp->acr || pp->acw || pp->ace))
		return (EBUSY);
	pass_set_sc(gp, NULL);
	if (pp != NULL)
		pp->private_ = sc;	/* freed when the provider is gone */
	else
		pass_free_sc(sc);
	g_wither_geom(gp, ENXIO);
	return (0);
}

static int
pass_class_destroy_geom(struct gctl_req *req __unused, struct g_class *mp __unused,
    struct g_geom *gp)
{
	return (pass_destroy_geom(gp, false));
}

static struct g_class pass_class = {
	.name = "PASS",
	.version = G_VERSION,
	.destroy_geom = pass_class_destroy_geom,
	.start = pass_start,
	.access = pass_access,
	.orphan = pass_orphan,
	.providergone = pass_providergone,
};

DECLARE_GEOM_CLASS_BUILTIN(pass_class, g_pass, 20);

static struct g_geom *
pass_find(const char *name)
{
	struct g_geom *gp;

	LIST_FOREACH(gp, &pass_class.geom, geom)
		if (strcmp(gp->name, name) == 0 && pass_sc(gp) != NULL)
			return (gp);
	return (NULL);
}

int
pass_create(const char *name)
{
	struct g_provider *pp, *newpp;
	struct g_consumer *cp;
	struct g_geom *gp;
	struct pass_softc *sc;
	int error;

	g_topology_lock();
	pp = g_provider_by_name(name);
	if (pp == NULL) {
		g_topology_unlock();
		return (ENOENT);
	}
	std::string pname = std::string(pp->name) + ".pass";
	if (pass_find(pname.c_str()) != NULL) {
		g_topology_unlock();
		return (EEXIST);
	}
	gp = g_new_geomf(&pass_class, "%s", pname.c_str());
	sc = new (malloc(sizeof(*sc), M_PASS, M_WAITOK | M_ZERO)) pass_softc();
	pass_set_sc(gp, sc);
	newpp = g_new_providerf(gp, "%s", gp->name);
	newpp->mediasize = pp->mediasize;
	newpp->sectorsize = pp->sectorsize;
	cp = g_new_consumer(gp);
	error = g_attach(cp, pp);
	if (error != 0) {
		g_destroy_consumer(cp);
		g_destroy_provider(newpp);
		pass_set_sc(gp, NULL);
		pass_free_sc(sc);
		g_destroy_geom(gp);
		g_topology_unlock();
		return (error);
	}
	g_error_provider(newpp, 0);
	g_topology_unlock();
	return (0);
}

int
pass_destroy(const char *name, bool force)
{
	g_topology_lock();
	struct g_geom *gp = pass_find(name);
	int error = gp == NULL ? ENOENT : pass_destroy_geom(gp, force);
	g_topology_unlock();
	return (error);
}

pass_counts
pass_stats(const char *name)
{
	pass_counts c;
	struct g_geom *gp = pass_find(name);

	if (gp != NULL) {
		struct pass_softc *sc = pass_sc(gp);
		c.starts = sc->starts;
		c.starts_off_down = sc->starts_off_down;
		c.dones = sc->dones;
		c.dones_off_up = sc->dones_off_up;
	}
	return (c);
}

}  // namespace fwtest
