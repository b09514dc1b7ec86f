/*
 * geom/g_types.h — GEOM's method types, flags and version.
 */
#ifndef _GEOM_G_TYPES_H_
#define _GEOM_G_TYPES_H_

#include <sys/kvoid.h>

#define G_VERSION_00	0x19950323
#define G_VERSION_01	0x20041207	/* add fflag to g_ioctl_t */
#define G_VERSION	G_VERSION_01

struct g_class;
struct g_geom;
struct g_consumer;
struct g_provider;
struct g_stat;
struct thread;
struct bio;
struct sbuf;
struct gctl_req;
struct g_configargs;
struct disk_zone_args;

typedef int g_config_t (struct g_configargs *ca);
typedef void g_ctl_req_t (struct gctl_req *, struct g_class *cp, char const *verb);
typedef int g_ctl_create_geom_t (struct gctl_req *, struct g_class *cp, struct g_provider *pp);
typedef int g_ctl_destroy_geom_t (struct gctl_req *, struct g_class *cp, struct g_geom *gp);
typedef int g_ctl_config_geom_t (struct gctl_req *, struct g_geom *gp, const char *verb);
typedef void g_init_t (struct g_class *mp);
typedef void g_fini_t (struct g_class *mp);
typedef struct g_geom * g_taste_t (struct g_class *, struct g_provider *, int flags);
typedef int g_ioctl_t(struct g_provider *pp, u_long cmd, void *data, int fflag, struct thread *td);
#define G_TF_NORMAL		0
#define G_TF_INSIST		1
#define G_TF_TRANSPARENT	2
typedef int g_access_t (struct g_provider *, int, int, int);
/* XXX: not sure about the thread arg */
typedef void g_orphan_t (struct g_consumer *);

typedef void g_start_t (struct bio *);
typedef void g_spoiled_t (struct g_consumer *);
typedef void g_attrchanged_t (struct g_consumer *, const char *attr);
typedef void g_provgone_t (struct g_provider *);
typedef void g_dumpconf_t (struct sbuf *, const char *indent, struct g_geom *,
    struct g_consumer *, struct g_provider *);
typedef void g_resize_t(struct g_consumer *cp);

/*
 * A method pointer. It behaves as a plain pointer to function, and also
 * accepts a void * the way C does: virstor's taste helper assigns
 * `(void *)invalid_call` to start, access and orphan on purpose.
 */
template <class F>
struct g_method {
	F *fn = nullptr;

	constexpr g_method() = default;
	constexpr g_method(F *f) : fn(f) {}
	g_method &operator=(F *f) { fn = f; return *this; }
	template <class V, class = std::enable_if_t<std::is_void_v<V>>>
	g_method &operator=(V *p) { fn = reinterpret_cast<F *>(p); return *this; }
	constexpr operator F *() const { return fn; }
};

/* g_geom flags */
#define G_GEOM_WITHER		1
#define G_GEOM_VOLATILE_BIO	2

/* g_consumer flags */
#define G_CF_SPOILED		0x1
#define G_CF_ORPHAN		0x4
#define G_CF_DIRECT_SEND	0x10
#define G_CF_DIRECT_RECEIVE	0x20

/* g_provider flags */
#define G_PF_WITHER		0x2
#define G_PF_ORPHAN		0x4
#define G_PF_ACCEPT_UNMAPPED	0x8
#define G_PF_DIRECT_SEND	0x10
#define G_PF_DIRECT_RECEIVE	0x20

/* kern.geom.debugflags */
#define G_T_TOPOLOGY	1
#define G_T_BIO		2
#define G_T_ACCESS	4
#define G_F_FOOTSHOOTING 0x10
#define G_F_DISKIOCTL	0x40
#define G_F_CTLDUMP	0x80

#endif /* !_GEOM_G_TYPES_H_ */
