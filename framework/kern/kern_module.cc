/*
 * Modules (DECLARE_MODULE) and kernel threads (kproc(9), kthread(9)).
 */
#include <sys/systm.h>
#include <sys/module.h>
#include <sys/kthread.h>

#include "kern/format.h"
#include "kern/kernel.h"

int
kern_module_event(void *data, int what)
{
	auto *md = static_cast<moduledata_t *>(data);
	if (md->evhand == nullptr)
		return (0);
	return (md->evhand(nullptr, what, md->priv));
}

static int
spawn(void (*func)(void *), void *arg, const std::string &name)
{
	kern::kernel *k = kern::kernel::current();
	k->sched().spawn(name, [func, arg] { func(arg); }, true);
	return (0);
}

int
kproc_create(void (*func)(void *), void *arg, struct proc **procptr, int flags,
    int pages, const char *fmt, ...)
{
	(void)flags;
	(void)pages;
	va_list ap;
	va_start(ap, fmt);
	std::string name = kern::vformat(fmt, ap);
	va_end(ap);
	if (procptr != nullptr)
		*procptr = nullptr;
	return (spawn(func, arg, name));
}

void
kproc_exit(int ecode)
{
	(void)ecode;
	throw kern::thread_exit{};
}

int
kthread_add(void (*func)(void *), void *arg, struct proc *p,
    struct thread **tdptr, int flags, int pages, const char *fmt, ...)
{
	(void)p;
	(void)flags;
	(void)pages;
	va_list ap;
	va_start(ap, fmt);
	std::string name = kern::vformat(fmt, ap);
	va_end(ap);
	if (tdptr != nullptr)
		*tdptr = nullptr;
	return (spawn(func, arg, name));
}

void
kthread_exit(void)
{
	throw kern::thread_exit{};
}
