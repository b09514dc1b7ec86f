/*
 * The GEOM mesh: classes, geoms, consumers, providers, attach/detach,
 * access control, spoiling, tasting and withering.
 *
 * Written from the rules in FreeBSD's geom(4), g_*(9) and geom_subr.c, as
 * summarised in the reference notes; KASSERT messages are FreeBSD's, so a
 * panic reads as it would on a debugging kernel.
 */
#include <sys/systm.h>
#include <sys/malloc.h>

#include "geom_int.h"
#include "kern/format.h"

MALLOC_DEFINE(M_GEOM, "GEOM", "Geom data structures");

static void g_spoil_event(void *arg, int flag);
static int redo_rank(struct g_geom *gp);

/* ---------------------------------------------------------------- memory */

kvoid
g_malloc(int size, int flags)
{
	return (malloc(size, M_GEOM, flags));
}

void
g_free(void *ptr)
{
#ifdef DIAGNOSTIC
	if (g_state != NULL && sx_xlocked(&g_state->topology_lock)) {
		KASSERT(g_valid_obj(ptr) == 0,
		    ("g_free(%p) of live object, type %d", ptr,
		    g_valid_obj(ptr)));
	}
#endif
	free(ptr, M_GEOM);
}

template <class T>
static T *
g_new_obj(size_t extra)
{
	void *mem = g_malloc((int)(sizeof(T) + extra), M_WAITOK | M_ZERO);
	return (new (mem) T());
}

template <class T>
static void
g_free_obj(T *obj)
{
	obj->~T();
	free(obj, M_GEOM);
}

/* ------------------------------------------------------------ G_VALID_* */

void
g_valid_add(const void *ptr, int kind)
{
	g_state->valid[ptr] = kind;
}

void
g_valid_del(const void *ptr)
{
	g_state->valid.erase(ptr);
}

int
g_valid_obj(void const *ptr)
{
	if (g_state == NULL)
		return (0);
	auto it = g_state->valid.find(ptr);
	return (it == g_state->valid.end() ? 0 : it->second);
}

#define CHECK_VALID(ptr, kind, what)					\
	KASSERT(g_valid_obj(ptr) == (kind), ("%p is not a %s", (const void *)(ptr), what))
#define CHECK_CLASS(mp) CHECK_VALID(mp, G_OBJ_CLASS, "g_class")
#define CHECK_GEOM(gp) CHECK_VALID(gp, G_OBJ_GEOM, "g_geom")
#define CHECK_CONSUMER(cp) CHECK_VALID(cp, G_OBJ_CONSUMER, "g_consumer")
#define CHECK_PROVIDER(pp) CHECK_VALID(pp, G_OBJ_PROVIDER, "g_provider")

/* ------------------------------------------------------ topology lock */

void
kern_g_topology_lock(const char *file, int line)
{
	int kind = g_current_thread_kind();
	if (kind == G_THREAD_UP || kind == G_THREAD_DOWN)
		panic("g_topology_lock() on %s @ %s:%d: the I/O threads must "
		    "not sleep", g_thread_name(), file, line);
	if (sx_xlocked(&g_state->topology_lock))
		panic("_sx_xlock_hard: recursed on non-recursive sx %s @ %s:%d",
		    "GEOM topology", file, line);
	sx_xlock(&g_state->topology_lock);
}

int
g_topology_try_lock(void)
{
	return (sx_try_xlock(&g_state->topology_lock));
}

void
kern_g_topology_unlock(const char *file, int line)
{
	if (!sx_xlocked(&g_state->topology_lock))
		panic("Lock %s not exclusively locked @ %s:%d", "GEOM topology",
		    file, line);
	sx_xunlock(&g_state->topology_lock);
}

void
kern_g_topology_assert(const char *file, int line)
{
	kern_sx_assert(&g_state->topology_lock, SA_XLOCKED, file, line);
}

void
kern_g_topology_assert_not(const char *file, int line)
{
	kern_sx_assert(&g_state->topology_lock, SA_UNLOCKED, file, line);
}

int
g_topology_locked(void)
{
	return (sx_xlocked(&g_state->topology_lock));
}

void
g_topology_sleep(void *chan, int timo)
{
	int64_t ns = timo <= 0 ? -1 : (int64_t)timo * (1000000000LL / hz);
	kern::sleep_on(chan, g_state->topology_lock.sx_impl, "gtopol", ns);
}

/* ------------------------------------------------------------ classes */

struct g_hh00 {
	struct g_class *mp;
	int error;
};

g_class_image::g_class_image(struct g_class *mp_)
    : mp(mp_), name(mp_->name), version(mp_->version), init(mp_->init),
      fini(mp_->fini), taste(mp_->taste), config(mp_->config),
      ctlreq(mp_->ctlreq), destroy_geom(mp_->destroy_geom),
      start(mp_->start), spoiled(mp_->spoiled),
      attrchanged(mp_->attrchanged), dumpconf(mp_->dumpconf),
      access(mp_->access), orphan(mp_->orphan), ioctl(mp_->ioctl),
      providergone(mp_->providergone), resize(mp_->resize)
{
}

void
g_class_image::restore() const
{
	mp->name = name;
	mp->version = version;
	mp->init = init;
	mp->fini = fini;
	mp->taste = taste;
	mp->config = config;
	mp->ctlreq = ctlreq;
	mp->destroy_geom = destroy_geom;
	mp->start = start;
	mp->spoiled = spoiled;
	mp->attrchanged = attrchanged;
	mp->dumpconf = dumpconf;
	mp->access = access;
	mp->orphan = orphan;
	mp->ioctl = ioctl;
	mp->providergone = providergone;
	mp->resize = resize;
}

void
g_reset_class(struct g_class *mp)
{
	mp->geom.reset();
	mp->class_.owner = nullptr;
	mp->class_.self = nullptr;
}

static void
g_load_class(void *arg, int flag)
{
	struct g_hh00 *hh;
	struct g_class *mp2, *mp;
	struct g_geom *gp;
	struct g_provider *pp;

	g_topology_assert();
	if (flag == EV_CANCEL)	/* XXX: can't happen ? */
		return;
	if (g_state->shutdown)
		return;

	hh = (struct g_hh00 *)arg;
	mp = hh->mp;
	hh->error = 0;
	g_trace(G_T_TOPOLOGY, "g_load_class(%s)", mp->name);
	KASSERT(mp->name != NULL && *mp->name != '\0',
	    ("GEOM class has no name"));
	LIST_FOREACH(mp2, &g_state->classes, class_) {
		if (mp2 == mp) {
			printf("The GEOM class %s is already loaded.\n",
			    mp2->name);
			hh->error = EEXIST;
			return;
		} else if (strcmp(mp2->name, mp->name) == 0) {
			printf("A GEOM class %s is already loaded.\n",
			    mp2->name);
			hh->error = EEXIST;
			return;
		}
	}

	mp->geom.reset();
	g_state->classes.insert_head(mp);
	g_valid_add(mp, G_OBJ_CLASS);
	if (mp->init != NULL)
		mp->init(mp);
	if (mp->taste == NULL)
		return;
	/* Offer every existing provider, newest class and geom first. */
	LIST_FOREACH(mp2, &g_state->classes, class_) {
		if (mp == mp2)
			continue;
		LIST_FOREACH(gp, &mp2->geom, geom) {
			LIST_FOREACH(pp, &gp->provider, provider) {
				mp->taste(mp, pp, 0);
				g_topology_assert();
			}
		}
	}
}

static int
g_unload_class(struct g_class *mp)
{
	struct g_geom *gp;
	struct g_provider *pp;
	struct g_consumer *cp;
	int error;

	g_topology_lock();
	g_trace(G_T_TOPOLOGY, "g_unload_class(%s)", mp->name);
retry:
	G_VALID_CLASS(mp);
	LIST_FOREACH(gp, &mp->geom, geom) {
		/* We refuse to unload if anything is open */
		LIST_FOREACH(pp, &gp->provider, provider)
			if (pp->acr || pp->acw || pp->ace) {
				g_topology_unlock();
				return (EBUSY);
			}
		LIST_FOREACH(cp, &gp->consumer, consumer)
			if (cp->acr || cp->acw || cp->ace) {
				g_topology_unlock();
				return (EBUSY);
			}
		/* If the geom is withering, wait for it to finish. */
		if (gp->flags & G_GEOM_WITHER) {
			g_topology_sleep(mp, 1);
			goto retry;
		}
	}

	/*
	 * We allow unloading if we have no geoms, or a class
	 * method we can use to get rid of them.
	 */
	if (!LIST_EMPTY(&mp->geom) && mp->destroy_geom == NULL) {
		g_topology_unlock();
		return (EOPNOTSUPP);
	}

	/* Bar new entries */
	mp->taste = NULL;
	mp->config = NULL;

	LIST_FOREACH(gp, &mp->geom, geom) {
		error = mp->destroy_geom(NULL, mp, gp);
		if (error != 0) {
			g_topology_unlock();
			return (error);
		}
	}
	/* Wait for withering to finish. */
	for (;;) {
		gp = LIST_FIRST(&mp->geom);
		if (gp == NULL)
			break;
		KASSERT(gp->flags & G_GEOM_WITHER,
		   ("Non-withering geom in class %s", mp->name));
		g_topology_sleep(mp, 1);
	}
	G_VALID_CLASS(mp);
	if (mp->fini != NULL)
		mp->fini(mp);
	g_state->classes.remove(mp);
	g_valid_del(mp);
	g_topology_unlock();

	return (0);
}

int
g_modevent(void *arg, int type)
{
	auto *image = static_cast<g_class_image *>(arg);
	struct g_class *mp = image->mp;
	struct g_hh00 *hh;
	int error;

	error = EOPNOTSUPP;
	switch (type) {
	case kern::MOD_LOAD:
		/* A module's data is fresh at each load. */
		image->restore();
		g_reset_class(mp);
		if (mp->version != G_VERSION) {
			printf("GEOM class %s has Wrong version %x\n",
			    mp->name, mp->version);
			return (EINVAL);
		}
		hh = (struct g_hh00 *)g_malloc(sizeof *hh, M_WAITOK | M_ZERO);
		hh->mp = mp;
		error = g_waitfor_event(g_load_class, hh, M_WAITOK, NULL);
		if (error == 0)
			error = hh->error;
		g_free(hh);
		break;
	case kern::MOD_QUIESCE:
		/*
		 * FreeBSD's g_modevent leaves MOD_QUIESCE unhandled; here it
		 * answers whether an unload would find no geom, for the leak
		 * check at shutdown (kern::kernel::shutdown).
		 */
		g_topology_lock();
		error = LIST_EMPTY(&mp->geom) ? 0 : EBUSY;
		g_topology_unlock();
		break;
	case kern::MOD_UNLOAD:
		g_trace(G_T_TOPOLOGY, "g_modevent(%s, MOD_UNLOAD)", mp->name);
		error = g_unload_class(mp);
		if (error == 0) {
			KASSERT(LIST_EMPTY(&mp->geom),
			    ("Unloaded class (%s) still has geom", mp->name));
		}
		break;
	}
	return (error);
}

/* ------------------------------------------------------------- retaste */

static void
g_retaste_event(void *arg, int flag)
{
	struct g_class *mp, *mp2;
	struct g_geom *gp;
	struct g_provider *pp;
	struct g_consumer *cp;

	g_topology_assert();
	if (flag == EV_CANCEL)  /* XXX: can't happen ? */
		return;
	if (g_state->shutdown || g_notaste)
		return;

	mp = (struct g_class *)arg;
	G_VALID_CLASS(mp);
	LIST_FOREACH(mp2, &g_state->classes, class_) {
		LIST_FOREACH(gp, &mp2->geom, geom) {
			LIST_FOREACH(pp, &gp->provider, provider) {
				if (pp->acr || pp->acw || pp->ace)
					continue;
				LIST_FOREACH(cp, &pp->consumers, consumers) {
					if (cp->geom->class_ == mp &&
					    (cp->flags & G_CF_ORPHAN) == 0)
						break;
				}
				if (cp != NULL) {
					g_set_flags(cp->flags, G_CF_ORPHAN);
					g_wither_geom(cp->geom, ENXIO);
				}
				mp->taste(mp, pp, 0);
				g_topology_assert();
			}
		}
	}
}

int
g_retaste(struct g_class *mp)
{
	struct g_class *mp2;
	int error;

	g_topology_lock();
	LIST_FOREACH(mp2, &g_state->classes, class_) {
		if (mp2 == mp)
			break;
	}
	g_topology_unlock();
	if (mp2 == NULL || mp->taste == NULL)
		return (EINVAL);
	error = g_waitfor_event(g_retaste_event, mp, M_WAITOK, NULL);
	return (error);
}

/* --------------------------------------------------------------- geoms */

struct g_geom *
g_new_geomf(struct g_class *mp, const char *fmt, ...)
{
	struct g_geom *gp;
	va_list ap;

	g_topology_assert();
	CHECK_CLASS(mp);
	va_start(ap, fmt);
	std::string name = kern::vformat(fmt, ap);
	va_end(ap);
	gp = g_new_obj<g_geom>(0);
	gp->name = (char *)g_malloc((int)name.size() + 1, M_WAITOK | M_ZERO);
	gp->class_ = mp;
	gp->rank = 1;
	memcpy(gp->name, name.c_str(), name.size() + 1);
	mp->geom.insert_head(gp);
	g_state->geoms.insert_head(gp);
	g_valid_add(gp, G_OBJ_GEOM);
	/* Fill in defaults from class */
	gp->start = mp->start;
	gp->spoiled = mp->spoiled;
	gp->attrchanged = mp->attrchanged;
	gp->providergone = mp->providergone;
	gp->resize = mp->resize;
	gp->dumpconf = mp->dumpconf;
	gp->access = mp->access;
	gp->orphan = mp->orphan;
	gp->ioctl = mp->ioctl;
	return (gp);
}

void
g_destroy_geom(struct g_geom *gp)
{

	g_topology_assert();
	CHECK_GEOM(gp);
	g_trace(G_T_TOPOLOGY, "g_destroy_geom(%p(%s))", gp, gp->name);
	KASSERT(LIST_EMPTY(&gp->consumer),
	    ("g_destroy_geom(%s) with consumer(s) [%p]",
	    gp->name, LIST_FIRST(&gp->consumer)));
	KASSERT(LIST_EMPTY(&gp->provider),
	    ("g_destroy_geom(%s) with provider(s) [%p]",
	    gp->name, LIST_FIRST(&gp->provider)));
	g_cancel_event(gp);
	gp->class_->geom.remove(gp);
	g_state->geoms.remove(gp);
	g_valid_del(gp);
	g_free(gp->name);
	g_free_obj(gp);
}

/*
 * This function is called (repeatedly) until the geom has withered away.
 */
void
g_wither_geom(struct g_geom *gp, int error)
{
	struct g_provider *pp;

	g_topology_assert();
	CHECK_GEOM(gp);
	g_trace(G_T_TOPOLOGY, "g_wither_geom(%p(%s))", gp, gp->name);
	if (!(gp->flags & G_GEOM_WITHER)) {
		gp->flags |= G_GEOM_WITHER;
		LIST_FOREACH(pp, &gp->provider, provider)
			if (!(pp->flags & G_PF_ORPHAN))
				g_orphan_provider(pp, error);
	}
	g_do_wither();
}

/*
 * Convenience function to destroy a particular provider.
 */
void
g_wither_provider(struct g_provider *pp, int error)
{

	g_set_flags(pp->flags, (u_int)G_PF_WITHER);
	if (!(g_load(pp->flags) & G_PF_ORPHAN))
		g_orphan_provider(pp, error);
}

/*
 * This function is called (repeatedly) until the has withered away.
 */
void
g_wither_geom_close(struct g_geom *gp, int error)
{
	struct g_consumer *cp;

	g_topology_assert();
	CHECK_GEOM(gp);
	g_trace(G_T_TOPOLOGY, "g_wither_geom_close(%p(%s))", gp, gp->name);
	LIST_FOREACH(cp, &gp->consumer, consumer)
		if (cp->acr || cp->acw || cp->ace)
			g_access(cp, -cp->acr, -cp->acw, -cp->ace);
	g_wither_geom(gp, error);
}

/*
 * Destroy what withering allows: providers nobody uses any more, closed
 * consumers of withering geoms, and withering geoms left empty.
 */
void
g_wither_washer(void)
{
	struct g_class *mp;
	struct g_geom *gp, *gp2;
	struct g_provider *pp, *pp2;
	struct g_consumer *cp, *cp2;

	g_topology_assert();
	LIST_FOREACH(mp, &g_state->classes, class_) {
		LIST_FOREACH_SAFE(gp, &mp->geom, geom, gp2) {
			LIST_FOREACH_SAFE(pp, &gp->provider, provider, pp2) {
				if (!(pp->flags & G_PF_WITHER))
					continue;
				if (LIST_EMPTY(&pp->consumers))
					g_destroy_provider(pp);
			}
			if (!(gp->flags & G_GEOM_WITHER))
				continue;
			LIST_FOREACH_SAFE(pp, &gp->provider, provider, pp2) {
				if (LIST_EMPTY(&pp->consumers))
					g_destroy_provider(pp);
			}
			LIST_FOREACH_SAFE(cp, &gp->consumer, consumer, cp2) {
				if (cp->acr || cp->acw || cp->ace)
					continue;
				if (cp->provider != NULL)
					g_detach(cp);
				g_destroy_consumer(cp);
			}
			if (LIST_EMPTY(&gp->provider) &&
			    LIST_EMPTY(&gp->consumer))
				g_destroy_geom(gp);
		}
	}
}

/* ----------------------------------------------------------- consumers */

struct g_consumer *
g_new_consumer(struct g_geom *gp)
{
	struct g_consumer *cp;

	g_topology_assert();
	CHECK_GEOM(gp);
	KASSERT(!(gp->flags & G_GEOM_WITHER),
	    ("g_new_consumer on WITHERing geom(%s) (class %s)",
	    gp->name, gp->class_->name));
	KASSERT(gp->orphan != NULL,
	    ("g_new_consumer on geom(%s) (class %s) without orphan",
	    gp->name, gp->class_->name));

	cp = g_new_obj<g_consumer>(0);
	cp->geom = gp;
	gp->consumer.insert_head(cp);
	g_valid_add(cp, G_OBJ_CONSUMER);
	return(cp);
}

void
g_destroy_consumer(struct g_consumer *cp)
{
	struct g_geom *gp;

	g_topology_assert();
	CHECK_CONSUMER(cp);
	g_trace(G_T_TOPOLOGY, "g_destroy_consumer(%p)", cp);
	KASSERT (cp->provider == NULL, ("g_destroy_consumer but attached"));
	KASSERT (cp->acr == 0, ("g_destroy_consumer with acr"));
	KASSERT (cp->acw == 0, ("g_destroy_consumer with acw"));
	KASSERT (cp->ace == 0, ("g_destroy_consumer with ace"));
	g_cancel_event(cp);
	gp = cp->geom;
	gp->consumer.remove(cp);
	g_valid_del(cp);
	g_free_obj(cp);
	if (gp->flags & G_GEOM_WITHER)
		g_do_wither();
}

int
g_attach(struct g_consumer *cp, struct g_provider *pp)
{
	int error;

	g_topology_assert();
	CHECK_CONSUMER(cp);
	CHECK_PROVIDER(pp);
	g_trace(G_T_TOPOLOGY, "g_attach(%p, %p)", cp, pp);
	KASSERT(cp->provider == NULL, ("attach but attached"));
	cp->provider = pp;
	pp->consumers.insert_head(cp);
	error = redo_rank(cp->geom);
	if (error) {
		pp->consumers.remove(cp);
		cp->provider = NULL;
		redo_rank(cp->geom);
	}
	return (error);
}

void
g_detach(struct g_consumer *cp)
{
	struct g_provider *pp;

	g_topology_assert();
	CHECK_CONSUMER(cp);
	g_trace(G_T_TOPOLOGY, "g_detach(%p)", cp);
	KASSERT(cp->provider != NULL, ("detach but not attached"));
	KASSERT(cp->acr == 0, ("detach but nonzero acr"));
	KASSERT(cp->acw == 0, ("detach but nonzero acw"));
	KASSERT(cp->ace == 0, ("detach but nonzero ace"));
	KASSERT(cp->nstart == cp->nend,
	    ("detach with active requests"));
	pp = cp->provider;
	pp->consumers.remove(cp);
	cp->provider = NULL;
	if ((cp->geom->flags & G_GEOM_WITHER) ||
	    (pp->geom->flags & G_GEOM_WITHER) ||
	    (pp->flags & G_PF_WITHER))
		g_do_wither();
	redo_rank(cp->geom);
}

/* Is `target` gp itself or below it? */
static bool
g_geom_below(struct g_geom *gp, struct g_geom *target, int depth)
{
	struct g_consumer *cp;

	if (gp == target)
		return (true);
	if (depth > 1000)	/* a cycle already: treat as a loop */
		return (true);
	LIST_FOREACH(cp, &gp->consumer, consumer) {
		if (cp->provider == NULL)
			continue;
		if (g_geom_below(cp->provider->geom, target, depth + 1))
			return (true);
	}
	return (false);
}

/*
 * A geom's rank is one more than the highest rank below it. Returns ELOOP
 * if gp now sits on top of itself.
 */
static int
redo_rank(struct g_geom *gp)
{
	struct g_consumer *cp;
	struct g_provider *pp;
	struct g_geom *gp2;
	int n;

	g_topology_assert();
	CHECK_GEOM(gp);

	n = 1;
	LIST_FOREACH(cp, &gp->consumer, consumer) {
		if (cp->provider == NULL)
			continue;
		if (g_geom_below(cp->provider->geom, gp, 0))
			return (ELOOP);
		if (cp->provider->geom->rank + 1 > n)
			n = cp->provider->geom->rank + 1;
	}
	if (n == gp->rank)
		return (0);
	gp->rank = n;
	/* Keep the geom list in rank order. */
	g_state->geoms.remove(gp);
	for (gp2 = g_state->geoms.first(); gp2 != NULL;
	    gp2 = gp2->geoms.next()) {
		if (gp2->rank >= n)
			break;
	}
	if (gp2 == NULL)
		g_state->geoms.insert_tail(gp);
	else
		g_state->geoms.insert_before(gp2, gp);
	/* The geoms above us move too. */
	LIST_FOREACH(pp, &gp->provider, provider) {
		LIST_FOREACH(cp, &pp->consumers, consumers)
			redo_rank(cp->geom);
	}
	return (0);
}

/* ----------------------------------------------------------- providers */

struct g_provider *
g_new_providerf(struct g_geom *gp, const char *fmt, ...)
{
	struct g_provider *pp;
	va_list ap;

	g_topology_assert();
	CHECK_GEOM(gp);
	KASSERT(gp->access != NULL,
	    ("new provider on geom(%s) without ->access (class %s)",
	    gp->name, gp->class_->name));
	KASSERT(gp->start != NULL,
	    ("new provider on geom(%s) without ->start (class %s)",
	    gp->name, gp->class_->name));
	KASSERT(!(gp->flags & G_GEOM_WITHER),
	    ("new provider on WITHERing geom(%s) (class %s)",
	    gp->name, gp->class_->name));
	va_start(ap, fmt);
	std::string name = kern::vformat(fmt, ap);
	va_end(ap);
	/* The name lives right after the structure, as in FreeBSD. */
	pp = g_new_obj<g_provider>(name.size() + 1);
	pp->name = (char *)(pp + 1);
	memcpy(pp->name, name.c_str(), name.size() + 1);
	pp->error = ENXIO;
	pp->geom = gp;
	gp->provider.insert_head(pp);
	g_valid_add(pp, G_OBJ_PROVIDER);

	g_post_event(g_new_provider_event, pp, M_WAITOK, pp, gp, NULL);
	return (pp);
}

void
g_error_provider(struct g_provider *pp, int error)
{

	/* G_VALID_PROVIDER(pp);  We may not have g_topology */
	g_store(pp->error, error);
}

void
g_destroy_provider(struct g_provider *pp)
{
	struct g_geom *gp;

	g_topology_assert();
	CHECK_PROVIDER(pp);
	KASSERT(LIST_EMPTY(&pp->consumers),
	    ("g_destroy_provider but attached"));
	KASSERT (pp->acr == 0, ("g_destroy_provider with acr"));
	KASSERT (pp->acw == 0, ("g_destroy_provider with acw"));
	KASSERT (pp->ace == 0, ("g_destroy_provider with ace"));
	g_cancel_event(pp);
	gp = pp->geom;
	gp->provider.remove(pp);
	g_valid_del(pp);
	if (gp->providergone != NULL)
		gp->providergone(pp);
	g_free_obj(pp);
	if ((gp->flags & G_GEOM_WITHER))
		g_do_wither();
}

struct g_provider *
g_provider_by_name(char const *arg)
{
	struct g_class *cp;
	struct g_geom *gp;
	struct g_provider *pp, *wpp;

	g_topology_assert();
	if (strncmp(arg, "/dev/", 5) == 0)
		arg += 5;

	wpp = NULL;
	LIST_FOREACH(cp, &g_state->classes, class_) {
		LIST_FOREACH(gp, &cp->geom, geom) {
			LIST_FOREACH(pp, &gp->provider, provider) {
				if (strcmp(arg, pp->name) != 0)
					continue;
				if ((gp->flags & G_GEOM_WITHER) == 0 &&
				    (pp->flags & G_PF_WITHER) == 0)
					return (pp);
				else
					wpp = pp;
			}
		}
	}

	return (wpp);
}

/* The new-provider event: announce media, then offer it to every class. */
void
g_new_provider_event(void *arg, int flag)
{
	struct g_class *mp;
	struct g_provider *pp;
	struct g_consumer *cp, *tmp;

	g_topology_assert();
	if (flag == EV_CANCEL)
		return;
	if (g_state->shutdown)
		return;
	pp = (struct g_provider *)arg;
	CHECK_PROVIDER(pp);
	KASSERT(!(pp->flags & G_PF_WITHER),
	    ("g_new_provider_event but withered"));
	LIST_FOREACH_SAFE(cp, &pp->consumers, consumers, tmp) {
		if ((cp->flags & G_CF_ORPHAN) == 0 &&
		    cp->geom->attrchanged != NULL)
			cp->geom->attrchanged(cp, "GEOM::media");
	}
	if (g_notaste)
		return;
	LIST_FOREACH(mp, &g_state->classes, class_) {
		if (mp->taste == NULL)
			continue;
		LIST_FOREACH(cp, &pp->consumers, consumers)
			if (cp->geom->class_ == mp &&
			    (cp->flags & G_CF_ORPHAN) == 0)
				break;
		if (cp != NULL)
			continue;
		mp->taste(mp, pp, 0);
		g_topology_assert();
	}
}

struct g_resize_hh {
	struct g_provider *pp;
	off_t size;
};

static void
g_resize_provider_event(void *arg, int flag)
{
	struct g_resize_hh *hh;
	struct g_class *mp;
	struct g_geom *gp;
	struct g_provider *pp;
	struct g_consumer *cp, *cp2;
	off_t size;

	g_topology_assert();
	if (g_state->shutdown)
		return;

	hh = (struct g_resize_hh *)arg;
	pp = hh->pp;
	size = hh->size;
	g_free(hh);

	CHECK_PROVIDER(pp);
	g_trace(G_T_TOPOLOGY, "g_resize_provider_event(%p)", pp);

	LIST_FOREACH_SAFE(cp, &pp->consumers, consumers, cp2) {
		gp = cp->geom;
		if (gp->resize == NULL && size < pp->mediasize) {
			g_set_flags(cp->flags, G_CF_ORPHAN);
			cp->geom->orphan(cp);
		}
	}

	pp->mediasize = size;

	LIST_FOREACH_SAFE(cp, &pp->consumers, consumers, cp2) {
		gp = cp->geom;
		if (gp->resize != NULL)
			gp->resize(cp);
	}

	/*
	 * After resizing, the previously invalid GEOM class metadata
	 * might become valid.  This means we should retaste.
	 */
	LIST_FOREACH(mp, &g_state->classes, class_) {
		if (mp->taste == NULL)
			continue;
		LIST_FOREACH(cp, &pp->consumers, consumers)
			if (cp->geom->class_ == mp)
				break;
		if (cp != NULL)
			continue;
		mp->taste(mp, pp, 0);
		g_topology_assert();
	}
}

void
g_resize_provider(struct g_provider *pp, off_t size)
{
	struct g_resize_hh *hh;

	if (size == pp->mediasize)
		return;

	hh = (struct g_resize_hh *)g_malloc(sizeof *hh, M_WAITOK | M_ZERO);
	hh->pp = pp;
	hh->size = size;
	g_post_event(g_resize_provider_event, hh, M_WAITOK, NULL);
}

/* -------------------------------------------------------------- access */

int
g_access(struct g_consumer *cp, int dcr, int dcw, int dce)
{
	struct g_provider *pp;
	int pw, pe;
	int error;

	g_topology_assert();
	CHECK_CONSUMER(cp);
	pp = cp->provider;
	KASSERT(pp != NULL, ("access but not attached"));
	CHECK_PROVIDER(pp);

	g_trace(G_T_ACCESS, "g_access(%p(%s), %d, %d, %d)",
	    cp, pp->name, dcr, dcw, dce);

	KASSERT(cp->acr + dcr >= 0, ("access resulting in negative acr"));
	KASSERT(cp->acw + dcw >= 0, ("access resulting in negative acw"));
	KASSERT(cp->ace + dce >= 0, ("access resulting in negative ace"));
	KASSERT(dcr != 0 || dcw != 0 || dce != 0, ("NOP access request"));
	KASSERT(pp->geom->access != NULL, ("NULL geom->access"));

	/*
	 * A consumer of a class that cares about spoiling, already spoiled,
	 * is just ahead of the event that tells it so: refuse new opens.
	 */
	if (cp->geom->spoiled != NULL && (cp->flags & G_CF_SPOILED) &&
	    (dcr > 0 || dcw > 0 || dce > 0))
		return (ENXIO);

	/* What the provider's counts would be without this consumer. */
	pw = pp->acw - cp->acw;
	pe = pp->ace - cp->ace;

	g_trace(G_T_ACCESS, "open %s r%dw%de%d rc%dwc%dec%d r%dw%de%d",
	    pp->name, dcr, dcw, dce,
	    cp->acr, cp->acw, cp->ace,
	    pp->acr, pp->acw, pp->ace);

	/* If foot-shooting is enabled, any open on rank#1 is OK */
	if ((g_debugflags & G_F_FOOTSHOOTING) && pp->geom->rank == 1)
		;
	/* If we try exclusive but already write: fail */
	else if (dce > 0 && pw > 0)
		return (EPERM);
	/* If we try write but already exclusive: fail */
	else if (dcw > 0 && pe > 0)
		return (EPERM);
	/* If we try to open more but provider is error'ed: fail */
	else if ((dcr > 0 || dcw > 0 || dce > 0) && pp->error != 0)
		return (pp->error);

	/* Ok then... */

	error = pp->geom->access(pp, dcr, dcw, dce);
	KASSERT(dcr > 0 || dcw > 0 || dce > 0 || error == 0,
	    ("Geom provider %s::%s dcr=%d dcw=%d dce=%d error=%d failed "
	    "closing ->access()", pp->geom->class_->name, pp->name, dcr, dcw,
	    dce, error));
	g_topology_assert();
	if (!error) {
		/*
		 * The first writer spoils the other consumers; the last
		 * writer's close makes the provider be tasted again.
		 */
		if (pp->acw == 0 && dcw != 0)
			g_spoil(pp, cp);
		else if (pp->acw != 0 && pp->acw == -dcw && pp->error == 0 &&
		    !(pp->geom->flags & G_GEOM_WITHER))
			g_post_event(g_new_provider_event, pp, M_WAITOK,
			    pp, NULL);

		/* Stored atomically: g_down reads them without the lock. */
		g_store(pp->acr, pp->acr + dcr);
		g_store(pp->acw, pp->acw + dcw);
		g_store(pp->ace, pp->ace + dce);
		g_store(cp->acr, cp->acr + dcr);
		g_store(cp->acw, cp->acw + dcw);
		g_store(cp->ace, cp->ace + dce);
		if (pp->acr != 0 || pp->acw != 0 || pp->ace != 0)
			KASSERT(pp->sectorsize > 0,
			    ("Provider %s lacks sectorsize", pp->name));
		if ((cp->geom->flags & G_GEOM_WITHER) &&
		    cp->acr == 0 && cp->acw == 0 && cp->ace == 0)
			g_do_wither();
	}
	return (error);
}

int
g_std_access(struct g_provider *pp __unused, int dr __unused,
    int dw __unused, int de __unused)
{

	g_topology_assert();
	G_VALID_PROVIDER(pp);
	return (0);
}

/* -------------------------------------------------------------- spoil */

void
g_std_spoiled(struct g_consumer *cp)
{
	struct g_geom *gp;
	struct g_provider *pp;

	g_topology_assert();
	CHECK_CONSUMER(cp);
	g_trace(G_T_TOPOLOGY, "g_std_spoiled(%p)", cp);
	g_set_flags(cp->flags, G_CF_ORPHAN);
	g_detach(cp);
	gp = cp->geom;
	LIST_FOREACH(pp, &gp->provider, provider)
		g_orphan_provider(pp, ENXIO);
	g_destroy_consumer(cp);
	if (LIST_EMPTY(&gp->provider) && LIST_EMPTY(&gp->consumer))
		g_destroy_geom(gp);
	else
		gp->flags |= G_GEOM_WITHER;
}

static void
g_spoil_event(void *arg, int flag)
{
	struct g_provider *pp;
	struct g_consumer *cp, *cp2;

	g_topology_assert();
	if (flag == EV_CANCEL)
		return;
	pp = (struct g_provider *)arg;
	CHECK_PROVIDER(pp);
	for (cp = LIST_FIRST(&pp->consumers); cp != NULL; cp = cp2) {
		cp2 = LIST_NEXT(cp, consumers);
		if (!(cp->flags & G_CF_SPOILED))
			continue;
		g_clear_flags(cp->flags, G_CF_SPOILED);
		if (cp->geom->spoiled == NULL)
			continue;
		cp->geom->spoiled(cp);
		g_topology_assert();
	}
}

void
g_spoil(struct g_provider *pp, struct g_consumer *cp)
{
	struct g_consumer *cp2;

	g_topology_assert();
	CHECK_PROVIDER(pp);
	CHECK_CONSUMER(cp);

	LIST_FOREACH(cp2, &pp->consumers, consumers) {
		if (cp2 == cp)
			continue;
		KASSERT(cp2->ace == 0, ("spoiling cp->ace = %d", cp2->ace));
		g_set_flags(cp2->flags, G_CF_SPOILED);
	}
	g_post_event(g_spoil_event, pp, M_WAITOK, pp, NULL);
}

void
g_media_changed(struct g_provider *pp, int flag)
{
	struct g_consumer *cp;

	LIST_FOREACH(cp, &pp->consumers, consumers)
		g_set_flags(cp->flags, G_CF_SPOILED);
	g_post_event(g_spoil_event, pp, flag, pp, NULL);
	g_post_event(g_new_provider_event, pp, flag, pp, NULL);
}

void
g_media_gone(struct g_provider *pp, int flag)
{
	struct g_consumer *cp;

	LIST_FOREACH(cp, &pp->consumers, consumers)
		g_set_flags(cp->flags, G_CF_SPOILED);
	g_post_event(g_spoil_event, pp, flag, pp, NULL);
}

struct g_attrchanged_hh {
	struct g_provider *pp;
	const char *attr;
};

static void
g_attr_changed_event(void *arg, int flag)
{
	struct g_attrchanged_hh *hh = (struct g_attrchanged_hh *)arg;
	struct g_consumer *cp, *next_cp;

	g_topology_assert();
	if (flag != EV_CANCEL && g_state->shutdown == 0) {
		LIST_FOREACH_SAFE(cp, &hh->pp->consumers, consumers, next_cp) {
			if ((cp->flags & G_CF_ORPHAN) == 0 &&
			    cp->geom->attrchanged != NULL)
				cp->geom->attrchanged(cp, hh->attr);
		}
	}
	g_free(hh);
}

void
g_attr_changed(struct g_provider *pp, const char *attr, int flag)
{
	struct g_attrchanged_hh *hh;

	hh = (struct g_attrchanged_hh *)g_malloc(sizeof *hh, flag);
	if (hh == NULL)
		return;
	hh->pp = pp;
	hh->attr = attr;
	g_post_event(g_attr_changed_event, hh, flag, pp, NULL);
}

/* ------------------------------------------------------------- names */

/* Length of an ad<N>/ada<N> device prefix, or 0. */
static int
g_get_device_prefix_len(const char *name)
{
	int len;

	if (strncmp(name, "ada", 3) == 0)
		len = 3;
	else if (strncmp(name, "ad", 2) == 0)
		len = 2;
	else
		return (0);
	if (name[len] < '0' || name[len] > '9')
		return (0);
	do {
		len++;
	} while (name[len] >= '0' && name[len] <= '9');
	return (len);
}

int
g_compare_names(const char *namea, const char *nameb)
{
	int deva, devb;

	if (strcmp(namea, nameb) == 0)
		return (1);
	deva = g_get_device_prefix_len(namea);
	if (deva == 0)
		return (0);
	devb = g_get_device_prefix_len(nameb);
	if (devb == 0)
		return (0);
	if (strcmp(namea + deva, nameb + devb) == 0)
		return (1);
	return (0);
}
