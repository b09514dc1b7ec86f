/*
 * sys/sysctl.h — declaring sysctl(3) names.
 *
 * The macros register their node or variable with kern/sysctl_tree.h; at
 * every boot the variable goes back to its initial value before tunables
 * apply, so one boot's `sysctl kern.geom.virstor.debug=15` does not leak
 * into the next.
 */
#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include "kern/sysctl_tree.h"

#define CTLFLAG_RD	0x80000000
#define CTLFLAG_WR	0x40000000
#define CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define CTLFLAG_ANYBODY	0x10000000
#define CTLFLAG_SECURE	0x08000000
#define CTLFLAG_PRISON	0x04000000
#define CTLFLAG_DYN	0x02000000
#define CTLFLAG_SKIP	0x01000000
#define CTLFLAG_TUN	0x00080000
#define CTLFLAG_RDTUN	(CTLFLAG_RD | CTLFLAG_TUN)
#define CTLFLAG_RWTUN	(CTLFLAG_RW | CTLFLAG_TUN)
#define CTLFLAG_MPSAFE	0x00040000
#define CTLFLAG_CAPRD	0x00008000
#define CTLTYPE_NODE	1
#define CTLTYPE_INT	2
#define CTLTYPE_STRING	3
#define CTLTYPE_UINT	6
#define OID_AUTO	(-1)

/* A node named by its path of underscores: _kern_geom is kern.geom. */
#define SYSCTL_DECL(name)						\
	extern const kern::sysctl_parent sysctl_node##name

#define SYSCTL_NODE(parent, nbr, name, access, handler, descr)		\
	const kern::sysctl_parent sysctl_node##parent##_##name = {	\
		#name, &sysctl_node##parent };				\
	static kern::static_sysctl_node					\
	    __GEOMSIM_CAT(__sysctl_node_, __COUNTER__)(			\
	    &sysctl_node##parent##_##name, (descr), __FILE__)

#define __SYSCTL_VAR(parent, name, kind, ptr, val, access, descr)	\
	static kern::static_sysctl __GEOMSIM_CAT(__sysctl_, __COUNTER__)(	\
	    &sysctl_node##parent, #name, (kind), (void *)(ptr),	\
	    (int64_t)(val), (access), (descr), 0, __FILE__)

#define SYSCTL_INT(parent, nbr, name, access, ptr, val, descr)		\
	__SYSCTL_VAR(parent, name, kern::sysctl_kind::int_, ptr, val, access, descr)
#define SYSCTL_UINT(parent, nbr, name, access, ptr, val, descr)	\
	__SYSCTL_VAR(parent, name, kern::sysctl_kind::uint, ptr, val, access, descr)
#define SYSCTL_LONG(parent, nbr, name, access, ptr, val, descr)	\
	__SYSCTL_VAR(parent, name, kern::sysctl_kind::long_, ptr, val, access, descr)
#define SYSCTL_ULONG(parent, nbr, name, access, ptr, val, descr)	\
	__SYSCTL_VAR(parent, name, kern::sysctl_kind::ulong, ptr, val, access, descr)
#define SYSCTL_STRING(parent, nbr, name, access, arg, len, descr)	\
	static kern::static_sysctl __GEOMSIM_CAT(__sysctl_, __COUNTER__)(	\
	    &sysctl_node##parent, #name, kern::sysctl_kind::string,	\
	    (void *)(arg), 0, (access), (descr), (len), __FILE__)

/* FEATURE(9): kern.features.<name> = 1 */
#define FEATURE(name, desc)						\
	SYSCTL_INT(_kern_features, OID_AUTO, name, CTLFLAG_RD,		\
	    NULL, 1, desc)

SYSCTL_DECL();
SYSCTL_DECL(_kern);
SYSCTL_DECL(_kern_features);
SYSCTL_DECL(_kern_geom);
SYSCTL_DECL(_debug);
SYSCTL_DECL(_vm);

#endif /* !_SYS_SYSCTL_H_ */
