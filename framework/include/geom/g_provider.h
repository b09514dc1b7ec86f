/*
 * geom/g_provider.h — a provider: a device a geom offers to consumers.
 *
 * A new provider has error ENXIO: the class fills in mediasize and
 * sectorsize, then clears the error with g_error_provider(pp, 0). Its
 * creation queues a taste event (every class is offered the provider).
 *
 * g_orphan_provider(pp, error) announces that the provider is going away:
 * error must be non-zero, and orphaning twice panics ("already an orphan").
 * The event thread then calls each consumer's orphan method, once the
 * provider has no I/O in flight. A provider flagged G_PF_WITHER is
 * destroyed as soon as no consumer is attached.
 */
#ifndef _GEOM_G_PROVIDER_H_
#define _GEOM_G_PROVIDER_H_

#include <atomic>

#include <geom/g_consumer.h>

struct g_provider {
	char			*name;
	g_link<g_provider>	provider;	/* on geom->provider */
	struct g_geom		*geom;
	g_list<g_consumer, &g_consumer::consumers> consumers;
	int			acr, acw, ace;
	int			error;
	g_link<g_provider>	orphan;		/* on the orphan doorstep */
	off_t			mediasize;
	u_int			sectorsize;
	u_int			stripesize;
	u_int			stripeoffset;
	struct devstat		*stat;
	std::atomic<u_int>	nstart, nend;	/* requests issued, completed */
	u_int			flags;

	/* Two fields for the implementing class to use */
	kvoid			private_;	/* SIM: `private` is a C++ keyword */
	int			index;
};

struct g_provider *g_new_providerf(struct g_geom *gp, const char *fmt, ...)
    __printflike(2, 3);
void g_destroy_provider(struct g_provider *pp);
void g_error_provider(struct g_provider *pp, int error);
void g_orphan_provider(struct g_provider *pp, int error);
void g_wither_provider(struct g_provider *pp, int error);
void g_resize_provider(struct g_provider *pp, off_t size);
struct g_provider *g_provider_by_name(char const *arg);
void g_media_changed(struct g_provider *pp, int flag);
void g_media_gone(struct g_provider *pp, int flag);

#endif /* !_GEOM_G_PROVIDER_H_ */
