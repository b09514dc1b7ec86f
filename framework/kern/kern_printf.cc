/*
 * printf(9), panic(9), sleep(9) and the other systm.h services, on top of
 * the simulator's kernel (kern/kernel.h).
 */
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/sx.h>

#include "kern/format.h"
#include "kern/kernel.h"
#include "kern/sync.h"

int hz = 1000;

int
kern_vprintf(const char *fmt, va_list ap)
{
	std::string s = kern::vformat(fmt, ap);
	kern::kernel *k = kern::kernel::current();
	if (k != nullptr)
		k->cons().write(s.data(), s.size());
	return ((int)s.size());
}

int
kern_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kern_vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

void
kern_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	std::string msg = kern::vformat(fmt, ap);
	va_end(ap);
	/* KASSERT messages conventionally end without a newline; some end with one. */
	while (!msg.empty() && msg.back() == '\n')
		msg.pop_back();
	kern::kernel::current()->panic(msg);
}

size_t
kern_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size != 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}

size_t
kern_strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);
	if (dlen == size)
		return (size + strlen(src));
	return (dlen + kern_strlcpy(dst + dlen, src, size - dlen));
}

uint32_t
kern_arc4random(void)
{
	return ((uint32_t)(kern::kernel::current()->random("arc4random") >> 32));
}

int
kern_ticks(void)
{
	return ((int)(kern::current_scheduler()->now() / (1000000000LL / hz)));
}

static int64_t
ticks_to_ns(int timo)
{
	return (timo <= 0 ? -1 : (int64_t)timo * (1000000000LL / hz));
}

int
msleep(void *chan, struct mtx *mtx, int pri, const char *wmesg, int timo)
{
	bool woken = kern::sleep_on(chan, mtx ? mtx->mtx_impl : nullptr, wmesg,
	    ticks_to_ns(timo));
	if ((pri & PDROP) && mtx != nullptr)
		mtx_unlock(mtx);
	return (woken ? 0 : EWOULDBLOCK);
}

int
tsleep(void *chan, int pri, const char *wmesg, int timo)
{
	return (msleep(chan, nullptr, pri, wmesg, timo));
}

int
pause(const char *wmesg, int timo)
{
	kern::pause(wmesg, ticks_to_ns(timo > 0 ? timo : 1));
	return (0);
}

void
wakeup(void *chan)
{
	kern::wakeup(chan);
}

void
wakeup_one(void *chan)
{
	kern::wakeup_one(chan);
}

struct thread *
kern_curthread(void)
{
	return (reinterpret_cast<struct thread *>(kern::scheduler::current()));
}

const char *
kern_thread_name(const struct thread *td)
{
	auto *t = reinterpret_cast<const kern::thread *>(td);
	return (t ? t->name().c_str() : "(host)");
}

void
kern_thread_no_sleeping(int delta)
{
	kern::thread *t = kern::scheduler::current();
	if (t != nullptr)
		t->no_sleeping += delta;
}

int
getenv_int(const char *name, int *data)
{
	const std::string *v = kern::kernel::current()->kenv(name);
	int64_t n;
	if (v == nullptr || !kern::parse_integer(*v, n))
		return (0);
	*data = (int)n;
	return (1);
}
