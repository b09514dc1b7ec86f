/*
 * geom/geom.h — what a GEOM class includes: the objects, the topology
 * lock, events, I/O, control requests and the helpers of geom_subr.c.
 *
 * Every rule FreeBSD checks with KASSERT (and some it only documents) is
 * checked here and panics the simulated kernel when broken; see
 * docs/geom.md for the list and the reasons behind each.
 */
#ifndef _GEOM_GEOM_H_
#define _GEOM_GEOM_H_

#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/sbuf.h>
#include <sys/bio.h>
#include <sys/bsd_queue.h>

#include <geom/g_types.h>
#include <geom/g_list.h>
#include <geom/g_consumer.h>
#include <geom/g_provider.h>
#include <geom/g_geom.h>
#include <geom/g_class.h>
#include <geom/g_topology.h>
#include <geom/g_event.h>
#include <geom/g_io.h>
#include <geom/g_ctl.h>

MALLOC_DECLARE(M_GEOM);

/* geom_subr.c */
int g_access(struct g_consumer *cp, int nread, int nwrite, int nexcl);
int g_handleattr(struct bio *bp, const char *attribute, const void *val, int len);
int g_std_access(struct g_provider *pp, int dr, int dw, int de);
void g_std_done(struct bio *bp);
void g_std_spoiled(struct g_consumer *cp);
int g_retaste(struct g_class *mp);
void g_spoil(struct g_provider *pp, struct g_consumer *cp);
int g_compare_names(const char *namea, const char *nameb);
int g_is_geom_thread(struct thread *td);
void g_attr_changed(struct g_provider *pp, const char *attr, int flag);

/* geom_dump.c */
void g_trace(int level, const char *, ...) __printflike(2, 3);
void g_conf_printf_escaped(struct sbuf *sb, const char *fmt, ...) __printflike(2, 3);
extern int g_debugflags;

/* g_malloc()/g_free(): malloc(9) of type M_GEOM. */
kvoid g_malloc(int size, int flags);
void g_free(void *ptr);

#define G_VALID_CLASS(foo) do { } while (0)
#define G_VALID_GEOM(foo) do { } while (0)
#define G_VALID_CONSUMER(foo) do { } while (0)
#define G_VALID_PROVIDER(foo) do { } while (0)

#endif /* !_GEOM_GEOM_H_ */
