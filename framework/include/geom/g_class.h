/*
 * geom/g_class.h — a GEOM class: the methods that make geoms of one kind.
 *
 * Class code declares its class statically with designated initializers
 * and registers it with DECLARE_GEOM_CLASS. The field order here puts
 * init/fini before taste (FreeBSD's order differs) because C++ requires
 * designated initializers in declaration order and the classes we run list
 * them so; the fields are FreeBSD's.
 *
 * Loading (kldload, or boot) runs the class's init, links it at the head of
 * the class list and offers it every existing provider to taste. Unloading
 * needs every geom closed; it disables tasting, asks the class to destroy
 * each geom (destroy_geom) and waits until they are gone.
 */
#ifndef _GEOM_G_CLASS_H_
#define _GEOM_G_CLASS_H_

#include <geom/g_geom.h>

#include "kern/kernel.h"

struct g_class {
	const char		*name;
	u_int			version;
	u_int			spare0;
	g_method<g_init_t>	init;
	g_method<g_fini_t>	fini;
	g_method<g_taste_t>	taste;
	g_method<g_config_t>	config;
	g_method<g_ctl_req_t>	ctlreq;
	g_method<g_ctl_destroy_geom_t> destroy_geom;
	/*
	 * Default values for geom methods
	 */
	g_method<g_start_t>	start;
	g_method<g_spoiled_t>	spoiled;
	g_method<g_attrchanged_t> attrchanged;
	g_method<g_dumpconf_t>	dumpconf;
	g_method<g_access_t>	access;
	g_method<g_orphan_t>	orphan;
	g_method<g_ioctl_t>	ioctl;
	g_method<g_provgone_t>	providergone;
	g_method<g_resize_t>	resize;
	void			*spare1;
	void			*spare2;
	/*
	 * The remaining elements are private
	 */
	g_link<g_class>		class_;		/* SIM: `class` is a C++ keyword */
	g_list<g_geom, &g_geom::geom> geom;
};

/* What DECLARE_GEOM_CLASS keeps: the class as compiled, restored at every
 * load (a module's data is fresh each time it is loaded). */
struct g_class_image {
	struct g_class *mp;
	const char *name;
	u_int version;
	g_method<g_init_t> init;
	g_method<g_fini_t> fini;
	g_method<g_taste_t> taste;
	g_method<g_config_t> config;
	g_method<g_ctl_req_t> ctlreq;
	g_method<g_ctl_destroy_geom_t> destroy_geom;
	g_method<g_start_t> start;
	g_method<g_spoiled_t> spoiled;
	g_method<g_attrchanged_t> attrchanged;
	g_method<g_dumpconf_t> dumpconf;
	g_method<g_access_t> access;
	g_method<g_orphan_t> orphan;
	g_method<g_ioctl_t> ioctl;
	g_method<g_provgone_t> providergone;
	g_method<g_resize_t> resize;
	explicit g_class_image(struct g_class *mp);
	void restore() const;
};

int g_modevent(void *arg, int type);

#define DECLARE_GEOM_CLASS(class, name)					\
	static g_class_image name##_class_image(&(class));		\
	static kern::module_entry name##_module_entry(#name,		\
	    g_modevent, &name##_class_image, false, 0, __FILE__)

/* A class that is part of the kernel image, loaded at every boot in
 * `order` (the framework's DEV class, the simulator's DISK class). */
#define DECLARE_GEOM_CLASS_BUILTIN(class, name, order)			\
	static g_class_image name##_class_image(&(class));		\
	static kern::module_entry name##_module_entry(#name,		\
	    g_modevent, &name##_class_image, true, (order), __FILE__)

#endif /* !_GEOM_G_CLASS_H_ */
