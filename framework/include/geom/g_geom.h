/*
 * geom/g_geom.h — a geom: one instance of a class, with its consumers
 * below and providers above.
 *
 * g_new_geomf copies the class's method pointers into the geom; the class
 * may then change them per geom. A geom is destroyed at once by
 * g_destroy_geom (it must have no consumers and no providers), or later by
 * the wither washer after g_wither_geom: withering orphans its providers and
 * the washer destroys the geom once every user has closed and detached and
 * all its consumers are closed.
 */
#ifndef _GEOM_G_GEOM_H_
#define _GEOM_G_GEOM_H_

#include <geom/g_provider.h>

struct g_geom {
	char			*name;
	struct g_class		*class_;	/* SIM: `class` is a C++ keyword */
	g_link<g_geom>		geom;		/* on class_->geom */
	g_list<g_consumer, &g_consumer::consumer> consumer;
	g_list<g_provider, &g_provider::provider> provider;
	g_link<g_geom>		geoms;		/* XXX: better name */
	int			rank;
	g_method<g_start_t>	start;
	g_method<g_spoiled_t>	spoiled;
	g_method<g_attrchanged_t> attrchanged;
	g_method<g_dumpconf_t>	dumpconf;
	g_method<g_access_t>	access;
	g_method<g_orphan_t>	orphan;
	g_method<g_ioctl_t>	ioctl;
	g_method<g_provgone_t>	providergone;
	g_method<g_resize_t>	resize;
	kvoid			softc;
	unsigned		flags;
};

struct g_geom *g_new_geomf(struct g_class *mp, const char *fmt, ...)
    __printflike(2, 3);
void g_destroy_geom(struct g_geom *gp);
void g_wither_geom(struct g_geom *gp, int error);
void g_wither_geom_close(struct g_geom *gp, int error);

#endif /* !_GEOM_G_GEOM_H_ */
