/*
 * sys/kernel.h — boot-time initialisation and loader tunables.
 */
#ifndef _SYS_KERNEL_H_
#define _SYS_KERNEL_H_

#include "kern/sysctl_tree.h"

/* Subsystem and order keys (values as in FreeBSD 10). */
enum sysinit_sub_id {
	SI_SUB_DUMMY		= 0x0000000,
	SI_SUB_TUNABLES		= 0x0700000,
	SI_SUB_KLD		= 0x2000000,
	SI_SUB_DRIVERS		= 0x3100000,
	SI_SUB_CONFIGURE	= 0x3800000,
	SI_SUB_PSEUDO		= 0x7000000,
	SI_SUB_KTHREAD_INIT	= 0xe000000,
};
enum sysinit_elem_order {
	SI_ORDER_FIRST		= 0x0000000,
	SI_ORDER_SECOND		= 0x0000001,
	SI_ORDER_THIRD		= 0x0000002,
	SI_ORDER_FOURTH		= 0x0000003,
	SI_ORDER_MIDDLE		= 0x1000000,
	SI_ORDER_ANY		= 0xfffffff,
};

/* Loader tunables: read from the boot environment at every boot. */
#define TUNABLE_INT(path, var)						\
	static kern::static_tunable __GEOMSIM_CAT(__tunable_, __COUNTER__)(	\
	    (path), kern::sysctl_kind::int_, (void *)(var), __FILE__)
#define TUNABLE_LONG(path, var)						\
	static kern::static_tunable __GEOMSIM_CAT(__tunable_, __COUNTER__)(	\
	    (path), kern::sysctl_kind::long_, (void *)(var), __FILE__)
#define TUNABLE_ULONG(path, var)					\
	static kern::static_tunable __GEOMSIM_CAT(__tunable_, __COUNTER__)(	\
	    (path), kern::sysctl_kind::ulong, (void *)(var), __FILE__)

/* getenv(9) on the boot environment: 1 if found and parsed. */
int getenv_int(const char *name, int *data);

#endif /* !_SYS_KERNEL_H_ */
