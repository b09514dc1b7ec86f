/*
 * sysctl(3) and kldload(2) for simulated userland.
 */
#include <sys/systm.h>

#include "kern/kernel.h"
#include "kern/sync.h"
#include "kern/syscalls.h"

std::vector<std::string>
kern::sys_msgbuf()
{
	return (kern::kernel::current()->cons().dmesg());
}

std::vector<kern::malloc_stat>
kern::sys_malloc_stats()
{
	std::vector<kern::malloc_stat> out;
	for (const kern::mem_type_stats &st :
	    kern::kernel::current()->arena().stats())
		out.push_back({st.name, st.inuse, st.memuse, st.requests, st.sizemask,
		    st.zone_item_size, st.failures});
	return (out);
}

int
kern::sys_nanosleep(int64_t ns)
{
	kern::pause("nanslp", ns);
	return (0);
}

int64_t
kern::sys_uptime_ns()
{
	return (kern::current_scheduler()->now());
}

int
kern::sys_sysctl_get(const std::string &name, std::string &value)
{
	return (kern::kernel::current()->sysctls().get(name, value));
}

int
kern::sys_sysctl_set(const std::string &name, const std::string &value)
{
	return (kern::kernel::current()->sysctls().set(name, value));
}

std::vector<std::string>
kern::sys_sysctl_list(const std::string &prefix)
{
	return (kern::kernel::current()->sysctls().leaves(prefix));
}

/* userret: a thread that posted GEOM events waits for them (TDP_GEOM). */
static int
syscall_return(int error)
{
	return (kern::kernel::current()->syscall_return(error));
}

int
kern::sys_kldload(const std::string &name)
{
	return (syscall_return(kern::kernel::current()->kldload(name)));
}

int
kern::sys_kldunload(const std::string &name)
{
	return (syscall_return(kern::kernel::current()->kldunload(name)));
}

std::vector<std::string>
kern::sys_kldstat()
{
	return (kern::kernel::current()->loaded_modules());
}
