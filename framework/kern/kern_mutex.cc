/*
 * mtx(9) and sx(9) over kern::mutex and kern::sx.
 */
#include <sys/systm.h>
#include <sys/mutex.h>
#include <sys/sx.h>

#include "kern/kernel.h"
#include "kern/sync.h"

static uint64_t
this_boot(void)
{
	return (kern::kernel::current()->serial());
}

/* Initialised in this boot (a static lock keeps the flags of the last). */
static bool
live(struct mtx *m)
{
	return (m->mtx_impl != nullptr &&
	    (m->lock_object.lo_flags & LO_INITIALIZED) != 0 &&
	    m->mtx_boot == this_boot());
}

static kern::mutex *
impl(struct mtx *m, const char *op)
{
	if (!live(m))
		panic("%s: mutex %p not initialized", op, (void *)m);
	return (m->mtx_impl);
}

void
mtx_init(struct mtx *m, const char *name, const char *type, int opts)
{
	(void)type;
	if (live(m))
		panic("lock \"%s\" %p already initialized", name, (void *)m);
	m->lock_object.lo_name = name;
	m->lock_object.lo_flags = LO_INITIALIZED | (u_int)opts;
	m->mtx_impl = new kern::mutex(name, (opts & MTX_RECURSE) != 0);
	m->mtx_boot = this_boot();
	/* Freed at mtx_destroy, or with the kernel if the class never
	 * destroys it (a panic, a power cut). */
	kern::mutex *p = m->mtx_impl;
	kern::kernel::current()->at_destroy([p] { delete p; });
}

void
mtx_destroy(struct mtx *m)
{
	kern::mutex *p = impl(m, "mtx_destroy");
	if (p->owner() != nullptr && !p->owned())
		panic("mtx_destroy: mutex %s held by another thread", p->name());
	/* Destroying a mutex one holds is allowed (it is released). */
	m->lock_object.lo_flags &= ~LO_INITIALIZED;
	m->mtx_impl = nullptr;
	/* The kern::mutex stays until the kernel goes (at_destroy): a
	 * thread still inside unlock() may touch it. */
}

void
mtx_lock(struct mtx *m)
{
	impl(m, "mtx_lock")->lock();
}

int
mtx_trylock(struct mtx *m)
{
	return (impl(m, "mtx_trylock")->try_lock() ? 1 : 0);
}

void
mtx_unlock(struct mtx *m)
{
	impl(m, "mtx_unlock")->unlock();
}

int
mtx_owned(struct mtx *m)
{
	return (impl(m, "mtx_owned")->owned() ? 1 : 0);
}

int
mtx_initialized(struct mtx *m)
{
	return (live(m));
}

void
kern_mtx_assert(struct mtx *m, int what, const char *file, int line)
{
	kern::mutex *p = impl(m, "mtx_assert");
	if ((what & MA_OWNED) && !p->owned())
		panic("mutex %s not owned at %s:%d", p->name(), file, line);
	if ((what & MA_NOTOWNED) && p->owned())
		panic("mutex %s owned at %s:%d", p->name(), file, line);
	if ((what & MA_RECURSED) && !p->recursed())
		panic("mutex %s not recursed at %s:%d", p->name(), file, line);
	if ((what & MA_NOTRECURSED) && p->recursed())
		panic("mutex %s recursed at %s:%d", p->name(), file, line);
}

/* A small pool, hashed by address, like mtx_pool(9). */
struct mtx_pool {
	struct mtx m[32];
};
static struct mtx_pool g_sleep_pool;
static std::atomic<uint64_t> g_sleep_pool_boot{0};
struct mtx_pool *mtxpool_sleep = &g_sleep_pool;

struct mtx *
mtx_pool_find(struct mtx_pool *pool, void *ptr)
{
	uint64_t boot = this_boot();
	if (g_sleep_pool_boot.load() != boot) {
		/* First use in this boot: (re)initialise the pool. */
		static std::mutex init_mu;
		std::lock_guard<std::mutex> g(init_mu);
		if (g_sleep_pool_boot.load() != boot) {
			for (struct mtx &m : pool->m) {
				m = {};
				mtx_init(&m, "sleep mtxpool", NULL, MTX_DEF);
			}
			g_sleep_pool_boot.store(boot);
		}
	}
	uintptr_t h = (uintptr_t)ptr;
	h ^= h >> 9;
	return (&pool->m[h % 32]);
}

void
sx_init(struct sx *sx, const char *description)
{
	sx->lock_object.lo_name = description;
	sx->lock_object.lo_flags = LO_INITIALIZED;
	sx->sx_impl = new kern::sx(description);
	sx->sx_boot = this_boot();
	kern::sx *p = sx->sx_impl;
	kern::kernel::current()->at_destroy([p] { delete p; });
}

void
sx_destroy(struct sx *sx)
{
	sx->lock_object.lo_flags &= ~LO_INITIALIZED;
	sx->sx_impl = nullptr;
}

static kern::sx *
sx_impl_of(const struct sx *sx, const char *op)
{
	if (sx->sx_impl == nullptr || sx->sx_boot != this_boot() ||
	    (sx->lock_object.lo_flags & LO_INITIALIZED) == 0)
		panic("%s: sx %p not initialized", op, (const void *)sx);
	return (sx->sx_impl);
}

void
sx_xlock(struct sx *sx)
{
	sx_impl_of(sx, "sx_xlock")->xlock();
}

int
sx_try_xlock(struct sx *sx)
{
	return (sx_impl_of(sx, "sx_try_xlock")->try_xlock() ? 1 : 0);
}

void
sx_xunlock(struct sx *sx)
{
	sx_impl_of(sx, "sx_xunlock")->xunlock();
}

int
sx_xlocked(struct sx *sx)
{
	return (sx_impl_of(sx, "sx_xlocked")->xlocked() ? 1 : 0);
}

void
kern_sx_assert(const struct sx *sx, int what, const char *file, int line)
{
	kern::sx *p = sx_impl_of(sx, "sx_assert");
	if (what == SA_XLOCKED && !p->xlocked())
		panic("Lock %s not exclusively locked @ %s:%d", p->name(), file, line);
	if (what == SA_UNLOCKED && p->xlocked())
		panic("Lock %s exclusively locked @ %s:%d", p->name(), file, line);
}
