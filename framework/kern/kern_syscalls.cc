/*
 * sysctl(3) and kldload(2) for simulated userland.
 */
#include <sys/systm.h>

#include "kern/kernel.h"
#include "kern/syscalls.h"

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

int
kern::sys_kldload(const std::string &name)
{
	return (kern::kernel::current()->kldload(name));
}

int
kern::sys_kldunload(const std::string &name)
{
	return (kern::kernel::current()->kldunload(name));
}

std::vector<std::string>
kern::sys_kldstat()
{
	return (kern::kernel::current()->loaded_modules());
}
