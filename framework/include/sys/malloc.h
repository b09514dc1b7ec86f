/*
 * sys/malloc.h — malloc(9).
 *
 * Allocations come from the booted kernel's arena (kern/memory.h): they are
 * accounted per type, guarded by redzones, trashed on free and all released
 * when the kernel goes away. The usual rules are enforced: exactly one of
 * M_WAITOK and M_NOWAIT, and no M_WAITOK where sleeping is prohibited (the
 * simulator panics there even though FreeBSD only does if the allocation
 * really had to sleep: the code is wrong either way). M_NOWAIT allocations
 * can be made to fail on purpose (fault injection) to exercise the error
 * paths that real memory pressure reaches only rarely.
 */
#ifndef _SYS_MALLOC_H_
#define _SYS_MALLOC_H_

#include <sys/kvoid.h>

#define M_NOWAIT	0x0001
#define M_WAITOK	0x0002
#define M_ZERO		0x0100
#define M_NOVM		0x0200
#define M_USE_RESERVE	0x0400
#define M_NODUMP	0x0800
#define M_FIRSTFIT	0x1000
#define M_BESTFIT	0x2000

#define M_MAGIC		877983977	/* time when first defined :-) */

struct malloc_type {
	const char *ks_shortdesc;	/* printable type name; first, as kern::mem_type */
	const char *ks_longdesc;
	u_long ks_magic;
};

/* Registers a type for `vmstat -m` and leak reports (`file` is where it
 * is defined: a module's types are checked when the module unloads). */
struct malloc_type_registrar {
	explicit malloc_type_registrar(struct malloc_type *type,
	    const char *file = "");
};

#define MALLOC_DEFINE(type, shortdesc, longdesc)			\
	struct malloc_type type[1] = {					\
		{ shortdesc, longdesc, M_MAGIC }			\
	};								\
	static malloc_type_registrar __GEOMSIM_CAT(type, _registrar)(type, \
	    __FILE__)

#define MALLOC_DECLARE(type)						\
	extern struct malloc_type type[1]

MALLOC_DECLARE(M_TEMP);
MALLOC_DECLARE(M_DEVBUF);

kvoid malloc(size_t size, struct malloc_type *type, int flags);
kvoid realloc(void *addr, size_t size, struct malloc_type *type, int flags);
kvoid reallocf(void *addr, size_t size, struct malloc_type *type, int flags);
void free(void *addr, struct malloc_type *type);

/* Every registered type (for vmstat -m). */
size_t malloc_type_count(void);
struct malloc_type *malloc_type_at(size_t i);

#endif /* !_SYS_MALLOC_H_ */
