/*
 * sys/sbuf.h — safe string buffers (sbuf(9)).
 */
#ifndef _SYS_SBUF_H_
#define _SYS_SBUF_H_

#include <sys/kvoid.h>

struct sbuf;

#define SBUF_FIXEDLEN	0x00000000
#define SBUF_AUTOEXTEND	0x00000001

struct sbuf *sbuf_new(struct sbuf *s, char *buf, int length, int flags);
#define sbuf_new_auto() sbuf_new(NULL, NULL, 0, SBUF_AUTOEXTEND)
void sbuf_clear(struct sbuf *s);
int sbuf_setpos(struct sbuf *s, ssize_t pos);
int sbuf_bcat(struct sbuf *s, const void *buf, size_t len);
int sbuf_bcpy(struct sbuf *s, const void *buf, size_t len);
int sbuf_cat(struct sbuf *s, const char *str);
int sbuf_cpy(struct sbuf *s, const char *str);
int kern_sbuf_printf(struct sbuf *s, const char *fmt, ...) __printflike(2, 3);
int sbuf_vprintf(struct sbuf *s, const char *fmt, va_list ap);
int sbuf_putc(struct sbuf *s, int c);
int sbuf_trim(struct sbuf *s);
int sbuf_error(const struct sbuf *s);
int sbuf_finish(struct sbuf *s);
char *sbuf_data(struct sbuf *s);
ssize_t sbuf_len(struct sbuf *s);
int sbuf_done(const struct sbuf *s);
void sbuf_delete(struct sbuf *s);

template <class... A>
inline int
sbuf_printf(struct sbuf *s, const char *fmt, A... args)
{
	return (kern_sbuf_printf(s, fmt, kern_arg(args)...));
}

#endif /* !_SYS_SBUF_H_ */
