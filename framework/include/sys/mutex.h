/*
 * sys/mutex.h — mtx(9).
 *
 * struct mtx is plain data (class code bzero()s structures holding one);
 * mtx_init() attaches a kern::mutex to it. Locking is a scheduling point.
 * Recursing on a mutex initialised without MTX_RECURSE, unlocking a mutex
 * one does not own, and using one before mtx_init or after mtx_destroy
 * panic, as WITNESS/INVARIANTS kernels do.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/lock.h>

#define MTX_DEF		0x00000000
#define MTX_SPIN	0x00000001
#define MTX_RECURSE	0x00000004
#define MTX_NOWITNESS	0x00000008
#define MTX_NOPROFILE	0x00000020
#define MTX_QUIET	0x00000040
#define MTX_DUPOK	0x00000080

#define MA_OWNED	0x01
#define MA_NOTOWNED	0x02
#define MA_RECURSED	0x04
#define MA_NOTRECURSED	0x08

namespace kern { class mutex; }

struct mtx {
	struct lock_object lock_object;
	kern::mutex *mtx_impl;
	uint64_t mtx_boot;	/* kernel serial at mtx_init: static locks
				   of a previous boot are not initialised */
};

void mtx_init(struct mtx *m, const char *name, const char *type, int opts);
void mtx_destroy(struct mtx *m);
void mtx_lock(struct mtx *m);
int mtx_trylock(struct mtx *m);
void mtx_unlock(struct mtx *m);
int mtx_owned(struct mtx *m);
int mtx_initialized(struct mtx *m);
void kern_mtx_assert(struct mtx *m, int what, const char *file, int line);
#define mtx_assert(m, what) kern_mtx_assert((m), (what), __FILE__, __LINE__)
#define mtx_lock_spin(m) mtx_lock(m)
#define mtx_unlock_spin(m) mtx_unlock(m)

/* A pool of mutexes for short critical sections (mtx_pool(9)). */
struct mtx_pool;
extern struct mtx_pool *mtxpool_sleep;
struct mtx *mtx_pool_find(struct mtx_pool *pool, void *ptr);
#define mtx_pool_lock(pool, ptr) mtx_lock(mtx_pool_find((pool), (ptr)))
#define mtx_pool_unlock(pool, ptr) mtx_unlock(mtx_pool_find((pool), (ptr)))

#endif /* !_SYS_MUTEX_H_ */
