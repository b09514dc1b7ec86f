/*
 * sys/module.h — kernel modules (kldload(8) and friends).
 */
#ifndef _SYS_MODULE_H_
#define _SYS_MODULE_H_

#include "kern/kernel.h"

typedef enum modeventtype {
	MOD_LOAD = kern::MOD_LOAD,
	MOD_UNLOAD = kern::MOD_UNLOAD,
	MOD_SHUTDOWN = kern::MOD_SHUTDOWN,
	MOD_QUIESCE = kern::MOD_QUIESCE,
} modeventtype_t;

struct module;
typedef struct module *module_t;
typedef int (*modeventhand_t)(module_t, int, void *);

typedef struct moduledata {
	const char *name;
	modeventhand_t evhand;
	void *priv;
} moduledata_t;

int kern_module_event(void *data, int what);

#define DECLARE_MODULE(name, data, sub, order)				\
	static kern::module_entry __GEOMSIM_CAT(name, _module_entry)(	\
	    (data).name, kern_module_event, &(data), false, 0, __FILE__)
#define MODULE_VERSION(module, version) static_assert(true, "")
#define MODULE_DEPEND(module, mdepend, vmin, vpref, vmax) static_assert(true, "")

#endif /* !_SYS_MODULE_H_ */
