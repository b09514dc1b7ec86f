/*
 * geom/g_consumer.h — a consumer: a geom's attachment to a provider.
 *
 * Rules (each a KASSERT: breaking one panics the simulated kernel):
 *  - g_new_consumer: topology lock held; the geom is not withering and has
 *    an orphan method.
 *  - g_attach: lock held; the consumer is not attached. Returns ELOOP (and
 *    undoes the attach) if the attach would make a cycle.
 *  - g_detach: lock held; attached; all access counts zero; no I/O in
 *    flight on it (nstart == nend).
 *  - g_destroy_consumer: lock held; detached; counts zero.
 */
#ifndef _GEOM_G_CONSUMER_H_
#define _GEOM_G_CONSUMER_H_

#include <atomic>

#include <geom/g_list.h>
#include <geom/g_types.h>

struct g_consumer {
	struct g_geom		*geom;
	g_link<g_consumer>	consumer;	/* on geom->consumer */
	struct g_provider	*provider;
	g_link<g_consumer>	consumers;	/* on provider->consumers */
	int			acr, acw, ace;
	int			flags;
	struct devstat		*stat;
	std::atomic<u_int>	nstart, nend;	/* requests issued, completed */

	/* Two fields for the implementing class to use */
	kvoid			private_;	/* SIM: `private` is a C++ keyword */
	int			index;
};

struct g_consumer *g_new_consumer(struct g_geom *gp);
void g_destroy_consumer(struct g_consumer *cp);
int g_attach(struct g_consumer *cp, struct g_provider *pp);
void g_detach(struct g_consumer *cp);

#endif /* !_GEOM_G_CONSUMER_H_ */
