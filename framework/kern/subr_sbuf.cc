/*
 * sbuf(9): string buffers. Fixed-length buffers overflow as FreeBSD's do
 * (the error sticks and further appends are dropped); auto-extending ones
 * grow.
 */
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/sbuf.h>

#include "kern/format.h"

MALLOC_DEFINE(M_SBUF, "sbuf", "string buffers");

struct sbuf {
	std::string s;
	char *user_buf;		/* caller's fixed buffer, or NULL */
	size_t capacity;	/* for fixed buffers */
	int flags;
	int error;
	bool finished;
	bool dynamic_struct;	/* allocated by sbuf_new */
};

struct sbuf *
sbuf_new(struct sbuf *s, char *buf, int length, int flags)
{
	/* The caller's struct sbuf storage is not used: ours is opaque. */
	(void)s;
	auto *sb = new sbuf;
	sb->user_buf = buf;
	sb->capacity = length > 0 ? (size_t)length : 0;
	sb->flags = flags;
	sb->error = 0;
	sb->finished = false;
	sb->dynamic_struct = true;
	if (buf == nullptr && (flags & SBUF_AUTOEXTEND) == 0 && length <= 0)
		sb->flags |= SBUF_AUTOEXTEND;
	return (sb);
}

static int
append(struct sbuf *s, const char *p, size_t n)
{
	if (s->error != 0)
		return (-1);
	if ((s->flags & SBUF_AUTOEXTEND) == 0 && s->capacity > 0 &&
	    s->s.size() + n + 1 > s->capacity) {
		s->s.append(p, s->capacity - 1 - s->s.size());
		s->error = ENOMEM;
		return (-1);
	}
	s->s.append(p, n);
	return (0);
}

void sbuf_clear(struct sbuf *s) { s->s.clear(); s->error = 0; s->finished = false; }
int sbuf_setpos(struct sbuf *s, ssize_t pos)
{
	if (pos < 0 || (size_t)pos > s->s.size())
		return (-1);
	s->s.resize((size_t)pos);
	return (0);
}
int sbuf_bcat(struct sbuf *s, const void *buf, size_t len) { return (append(s, (const char *)buf, len)); }
int sbuf_bcpy(struct sbuf *s, const void *buf, size_t len) { sbuf_clear(s); return (sbuf_bcat(s, buf, len)); }
int sbuf_cat(struct sbuf *s, const char *str) { return (append(s, str, strlen(str))); }
int sbuf_cpy(struct sbuf *s, const char *str) { sbuf_clear(s); return (sbuf_cat(s, str)); }

int
sbuf_vprintf(struct sbuf *s, const char *fmt, va_list ap)
{
	std::string t = kern::vformat(fmt, ap);
	return (append(s, t.data(), t.size()));
}

int
kern_sbuf_printf(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = sbuf_vprintf(s, fmt, ap);
	va_end(ap);
	return (r);
}

int sbuf_putc(struct sbuf *s, int c) { char ch = (char)c; return (append(s, &ch, 1)); }
int sbuf_trim(struct sbuf *s)
{
	while (!s->s.empty() && isspace((unsigned char)s->s.back()))
		s->s.pop_back();
	return (0);
}
int sbuf_error(const struct sbuf *s) { return (s->error); }
int
sbuf_finish(struct sbuf *s)
{
	s->finished = true;
	if (s->user_buf != nullptr && s->capacity > 0) {
		size_t n = std::min(s->s.size(), s->capacity - 1);
		memcpy(s->user_buf, s->s.data(), n);
		s->user_buf[n] = '\0';
	}
	return (s->error != 0 ? -1 : 0);
}
char *sbuf_data(struct sbuf *s) { return (s->user_buf != nullptr ? s->user_buf : s->s.data()); }
ssize_t sbuf_len(struct sbuf *s) { return (s->error != 0 ? -1 : (ssize_t)s->s.size()); }
int sbuf_done(const struct sbuf *s) { return (s->finished); }
void sbuf_delete(struct sbuf *s) { delete s; }
