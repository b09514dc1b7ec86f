/*
 * geom/g_ctl.h — control requests from userland (geom(8), gvirstor(8)).
 *
 * A request carries named parameters (class, verb, version, nargs, argN,
 * and the command's options). The framework runs it as a waited event on
 * g_event: it finds the class by name and calls its ctlreq method with the
 * topology lock held. The first gctl_error() message is what the user
 * sees; the request's error number becomes EINVAL if the class sets none.
 */
#ifndef _GEOM_G_CTL_H_
#define _GEOM_G_CTL_H_

#include <sys/kvoid.h>

#define GCTL_VERSION	2

#define GCTL_PARAM_RD		1	/* Must match VM_PROT_READ */
#define GCTL_PARAM_WR		2	/* Must match VM_PROT_WRITE */
#define GCTL_PARAM_RW		(GCTL_PARAM_RD | GCTL_PARAM_WR)
#define GCTL_PARAM_ASCII	4
#define GCTL_PARAM_CHANGED	8	/* kernel: parameter was changed */

struct gctl_req_arg {
	u_int		nlen;
	char		*name;
	off_t		offset;
	int		flag;
	int		len;
	void		*value;
	void		*kvalue;	/* kernel copy */
};

struct gctl_req {
	u_int		version;
	u_int		serial;
	u_int		narg;
	struct gctl_req_arg *arg;
	u_int		lerror;
	char		*error;
	struct gctl_req_table *reqt;

	/* kernel only fields */
	int		nerror;
	struct sbuf	*serror;
};

kvoid gctl_get_param(struct gctl_req *req, const char *param, int *len);
kvoid gctl_get_paraml(struct gctl_req *req, const char *param, int len);
char const *gctl_get_asciiparam(struct gctl_req *req, const char *param);
int gctl_set_param(struct gctl_req *req, const char *param, void const *ptr, int len);
void gctl_set_param_err(struct gctl_req *req, const char *param, void const *ptr, int len);
int kern_gctl_error(struct gctl_req *req, const char *fmt, ...) __printflike(2, 3);
struct g_class *gctl_get_class(struct gctl_req *req, char const *arg);
struct g_geom *gctl_get_geom(struct gctl_req *req, struct g_class *mpr, char const *arg);
struct g_provider *gctl_get_provider(struct gctl_req *req, char const *arg);

template <class... A>
inline int
gctl_error(struct gctl_req *req, const char *fmt, A... args)
{
	return (kern_gctl_error(req, fmt, kern_arg(args)...));
}

#endif /* !_GEOM_G_CTL_H_ */
