/*
 * sys/sx.h — sx(9) locks, taken exclusively (the only way GEOM uses them).
 */
#ifndef _SYS_SX_H_
#define _SYS_SX_H_

#include <sys/lock.h>

namespace kern { class sx; }

struct sx {
	struct lock_object lock_object;
	kern::sx *sx_impl;
	uint64_t sx_boot;	/* kernel serial at sx_init */
};

#define SX_XLOCKED	0x04
#define SX_UNLOCKED	0x00
#define SA_XLOCKED	SX_XLOCKED
#define SA_UNLOCKED	SX_UNLOCKED

void sx_init(struct sx *sx, const char *description);
void sx_destroy(struct sx *sx);
void sx_xlock(struct sx *sx);
int sx_try_xlock(struct sx *sx);
void sx_xunlock(struct sx *sx);
int sx_xlocked(struct sx *sx);
void kern_sx_assert(const struct sx *sx, int what, const char *file, int line);
#define sx_assert(sx, what) kern_sx_assert((sx), (what), __FILE__, __LINE__)

#endif /* !_SYS_SX_H_ */
