/*
 * Control requests: the GEOM_CTL ioctl and the gctl_*() helpers classes
 * use to read their parameters and report errors.
 */
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/sbuf.h>

#include "geom_int.h"
#include "kern/syscalls.h"

MALLOC_DEFINE(M_GCTL, "gctl", "GEOM control requests");

void
g_ctl_init(void)
{
}

int
kern_gctl_error(struct gctl_req *req, const char *fmt, ...)
{
	va_list ap;

	if (req == NULL)
		return (EINVAL);

	/* We only record the first error */
	if (sbuf_done(req->serror)) {
		if (!req->nerror)
			req->nerror = EEXIST;
		return (req->nerror);
	}
	if (!req->nerror)
		req->nerror = EINVAL;

	va_start(ap, fmt);
	sbuf_vprintf(req->serror, fmt, ap);
	va_end(ap);
	sbuf_finish(req->serror);
	if (g_debugflags & G_F_CTLDUMP)
		printf("gctl %p error \"%s\"\n", req, sbuf_data(req->serror));
	return (req->nerror);
}

kvoid
gctl_get_param(struct gctl_req *req, const char *param, int *len)
{
	u_int i;
	struct gctl_req_arg *ap;

	for (i = 0; i < req->narg; i++) {
		ap = &req->arg[i];
		if (strcmp(param, ap->name))
			continue;
		if (!(ap->flag & GCTL_PARAM_RD))
			continue;
		if (len != NULL)
			*len = ap->len;
		return (ap->kvalue);
	}
	return (NULL);
}

char const *
gctl_get_asciiparam(struct gctl_req *req, const char *param)
{
	char const *p;
	int len;

	p = gctl_get_param(req, param, &len);
	if (p == NULL)
		return (NULL);
	if (len < 1) {
		gctl_error(req, "No length argument (%s)", param);
		return (NULL);
	}
	if (p[len - 1] != '\0') {
		gctl_error(req, "Unterminated argument (%s)", param);
		return (NULL);
	}
	return (p);
}

kvoid
gctl_get_paraml(struct gctl_req *req, const char *param, int len)
{
	int i;
	void *p;

	p = gctl_get_param(req, param, &i);
	if (p == NULL)
		gctl_error(req, "Missing %s argument", param);
	else if (i != len) {
		p = NULL;
		gctl_error(req, "Wrong length %s argument", param);
	}
	return (p);
}

int
gctl_set_param(struct gctl_req *req, const char *param, void const *ptr,
    int len)
{
	u_int i;
	struct gctl_req_arg *ap;

	for (i = 0; i < req->narg; i++) {
		ap = &req->arg[i];
		if (strcmp(param, ap->name))
			continue;
		if (!(ap->flag & GCTL_PARAM_WR))
			return (EPERM);
		ap->flag |= GCTL_PARAM_CHANGED;
		if (ap->len < len) {
			bcopy(ptr, ap->kvalue, ap->len);
			return (ENOSPC);
		}
		bcopy(ptr, ap->kvalue, len);
		return (0);
	}
	return (EINVAL);
}

void
gctl_set_param_err(struct gctl_req *req, const char *param, void const *ptr,
    int len)
{

	switch (gctl_set_param(req, param, ptr, len)) {
	case EPERM:
		gctl_error(req, "No write access %s argument", param);
		break;
	case ENOSPC:
		gctl_error(req, "Wrong length %s argument", param);
		break;
	case EINVAL:
		gctl_error(req, "Missing %s argument", param);
		break;
	}
}

struct g_class *
gctl_get_class(struct gctl_req *req, char const *arg)
{
	char const *p;
	struct g_class *cp;

	p = gctl_get_asciiparam(req, arg);
	if (p == NULL)
		return (NULL);
	LIST_FOREACH(cp, &g_state->classes, class_) {
		if (!strcmp(p, cp->name))
			return (cp);
	}
	return (NULL);
}

struct g_geom *
gctl_get_geom(struct gctl_req *req, struct g_class *mpr, char const *arg)
{
	char const *p;
	struct g_class *mp;
	struct g_geom *gp;

	p = gctl_get_asciiparam(req, arg);
	if (p == NULL)
		return (NULL);
	LIST_FOREACH(mp, &g_state->classes, class_) {
		if (mpr != NULL && mpr != mp)
			continue;
		LIST_FOREACH(gp, &mp->geom, geom) {
			if (!strcmp(p, gp->name))
				return (gp);
		}
	}
	gctl_error(req, "Geom not found: \"%s\"", p);
	return (NULL);
}

struct g_provider *
gctl_get_provider(struct gctl_req *req, char const *arg)
{
	char const *p;
	struct g_provider *pp;

	p = gctl_get_asciiparam(req, arg);
	if (p == NULL)
		return (NULL);
	pp = g_provider_by_name(p);
	if (pp != NULL)
		return (pp);
	gctl_error(req, "Provider not found: \"%s\"", p);
	return (NULL);
}

static void
g_ctl_req(void *arg, int flag __unused)
{
	struct g_class *mp;
	struct gctl_req *req;
	char const *verb;

	g_topology_assert();
	req = (struct gctl_req *)arg;
	mp = gctl_get_class(req, "class");
	if (mp == NULL) {
		gctl_error(req, "Class not found");
		return;
	}
	if (mp->ctlreq == NULL) {
		gctl_error(req, "Class takes no requests");
		return;
	}
	verb = gctl_get_param(req, "verb", NULL);
	if (verb == NULL) {
		gctl_error(req, "Verb missing");
		return;
	}
	mp->ctlreq(req, mp, verb);
	g_topology_assert();
}

static void
gctl_dump(struct gctl_req *req)
{
	printf("Dump of gctl request at %p:\n", req);
	if (req->nerror > 0)
		printf("  nerror:\t%d\n", req->nerror);
	printf("  narg:\t%d\n", req->narg);
	for (u_int i = 0; i < req->narg; i++) {
		struct gctl_req_arg *ap = &req->arg[i];
		printf("  param:\t%d@%p", ap->nlen, ap->name);
		printf(" [%s]", ap->name);
		if (ap->flag & GCTL_PARAM_ASCII)
			printf(" = ASCII \"%s\"", (const char *)ap->kvalue);
		else
			printf(" = %d bytes", ap->len);
		printf("\n");
	}
}

/*
 * The GEOM_CTL ioctl. Copies the parameters in (refusing malformed
 * ones, as gctl_copyin does), runs the request as a waited event and
 * copies RW parameters and the first error message back out.
 */
int
kern::sys_geom_ctl(std::vector<kern::gctl_arg> &args, std::string &error)
{
	struct gctl_req req;
	int nerror;

	bzero(&req, sizeof req);
	req.version = GCTL_VERSION;
	req.serror = sbuf_new_auto();
	req.narg = (u_int)args.size();
	req.arg = (struct gctl_req_arg *)g_malloc(
	    sizeof(struct gctl_req_arg) * (args.size() + 1), M_WAITOK | M_ZERO);
	for (size_t i = 0; i < args.size(); i++) {
		struct gctl_req_arg *ap = &req.arg[i];
		const kern::gctl_arg &a = args[i];
		ap->nlen = (u_int)a.name.size() + 1;
		if (ap->nlen < 2 || ap->nlen > SPECNAMELEN) {
			gctl_error(&req, "wrong param name length %d: %d", (int)i,
			    ap->nlen);
			break;
		}
		ap->name = (char *)g_malloc(ap->nlen, M_WAITOK);
		memcpy(ap->name, a.name.c_str(), ap->nlen);
		ap->flag = a.flag;
		ap->len = (int)a.value.size();
		if (ap->len <= 0) {
			gctl_error(&req, "wrong param value length %d: %d",
			    (int)i, ap->len);
			break;
		}
		ap->kvalue = g_malloc(ap->len, M_WAITOK);
		memcpy(ap->kvalue, a.value.data(), ap->len);
		if ((ap->flag & GCTL_PARAM_ASCII) &&
		    ((char *)ap->kvalue)[ap->len - 1] != '\0') {
			gctl_error(&req, "unterminated param value");
			break;
		}
	}
	if (g_debugflags & G_F_CTLDUMP)
		gctl_dump(&req);
	if (!req.nerror) {
		g_waitfor_event(g_ctl_req, &req, M_WAITOK, NULL);
		/* Copy out what the class changed. */
		for (size_t i = 0; i < args.size(); i++) {
			struct gctl_req_arg *ap = &req.arg[i];
			if ((ap->flag & GCTL_PARAM_CHANGED) && ap->kvalue)
				memcpy(args[i].value.data(), ap->kvalue, ap->len);
		}
	}
	error.clear();
	if (sbuf_done(req.serror))
		error = sbuf_data(req.serror);
	nerror = req.nerror;
	for (u_int i = 0; i < req.narg; i++) {
		g_free(req.arg[i].name);
		g_free(req.arg[i].kvalue);
	}
	g_free(req.arg);
	sbuf_delete(req.serror);
	/* userret: wait for the events the request caused (TDP_GEOM). */
	kern::kernel *k = kern::kernel::current();
	if (k->userret)
		k->userret();
	return (nerror);
}
