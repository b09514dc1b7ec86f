/*
 * malloc(9) and uma(9) over the kernel's memory arena (kern/memory.h).
 */
#include <sys/systm.h>
#include <sys/malloc.h>
#include <vm/uma.h>

#include "kern/fault.h"
#include "kern/kernel.h"

MALLOC_DEFINE(M_TEMP, "temp", "misc temporary data buffers");
MALLOC_DEFINE(M_DEVBUF, "devbuf", "device driver memory");

static std::vector<struct malloc_type *> &
registered_types(void)
{
	static std::vector<struct malloc_type *> v;
	return (v);
}

malloc_type_registrar::malloc_type_registrar(struct malloc_type *type,
    const char *file)
{
	registered_types().push_back(type);
	kern::register_mem_type_file(
	    reinterpret_cast<const kern::mem_type *>(type), file);
}

size_t
malloc_type_count(void)
{
	return (registered_types().size());
}

struct malloc_type *
malloc_type_at(size_t i)
{
	return (registered_types().at(i));
}

static const kern::mem_type *
as_mem_type(struct malloc_type *type)
{
	/* struct malloc_type begins with the name, as kern::mem_type does. */
	return (reinterpret_cast<const kern::mem_type *>(type));
}

static int
check_flags(int flags, struct malloc_type *type)
{
	int indx = flags & (M_WAITOK | M_NOWAIT);
	if (indx != M_NOWAIT && indx != M_WAITOK) {
		printf("Bad malloc flags: %x\n", indx);
		flags |= M_WAITOK;
		flags &= ~M_NOWAIT;
	}
	if ((flags & M_WAITOK) != 0) {
		kern::thread *td = kern::scheduler::current();
		if (td != nullptr && td->no_sleeping > 0)
			panic("malloc(M_WAITOK) of \"%s\" with sleeping prohibited "
			    "(thread %s)", type->ks_shortdesc, td->name().c_str());
	}
	return (flags);
}

/* An M_NOWAIT allocation that @fault malloc makes fail, counted for
 * vmstat -z's FAIL. */
static bool
injected_failure(int flags, struct malloc_type *type)
{
	if ((flags & M_NOWAIT) == 0 ||
	    !kern::fault_hit("malloc", type->ks_shortdesc))
		return (false);
	kern::kernel::current()->arena().note_failure(as_mem_type(type));
	return (true);
}

kvoid
malloc(size_t size, struct malloc_type *type, int flags)
{
	flags = check_flags(flags, type);
	if (injected_failure(flags, type))
		return (nullptr);
	return (kern::kernel::current()->arena().alloc(size, as_mem_type(type),
	    (flags & M_ZERO) != 0));
}

kvoid
realloc(void *addr, size_t size, struct malloc_type *type, int flags)
{
	flags = check_flags(flags, type);
	if (injected_failure(flags, type))
		return (nullptr);
	return (kern::kernel::current()->arena().realloc(addr, size,
	    as_mem_type(type)));
}

kvoid
reallocf(void *addr, size_t size, struct malloc_type *type, int flags)
{
	void *mem = realloc(addr, size, type, flags);
	if (mem == nullptr && addr != nullptr)
		free(addr, type);
	return (mem);
}

void
free(void *addr, struct malloc_type *type)
{
	kern::kernel::current()->arena().free(addr, as_mem_type(type));
}

/* Zones are malloc types here, one per zone, named after it, marked as
 * zones for vmstat -z. */
struct uma_zone {
	struct malloc_type type;
	size_t size;
	std::string name;
};

uma_zone_t
uma_zcreate(const char *name, size_t size, void *, void *, void *, void *,
    int, uint32_t)
{
	auto *z = new uma_zone;
	z->name = name;
	z->type = {nullptr, nullptr, M_MAGIC};
	z->size = size;
	z->type.ks_shortdesc = z->name.c_str();
	z->type.ks_longdesc = z->name.c_str();
	/* vmstat -z lists it, vmstat -m does not. */
	kern::register_mem_type_zone(as_mem_type(&z->type), size);
	/* The arena's statistics keep pointing at the zone's type (its name
	 * is printed by vmstat -z): free it with the kernel, not before. */
	kern::kernel::current()->at_destroy([z] {
		kern::register_mem_type_zone(as_mem_type(&z->type), 0);
		delete z;
	});
	return (z);
}

void
uma_zdestroy(uma_zone_t zone)
{
	(void)zone;	/* freed when the kernel goes away */
}

kvoid
uma_zalloc(uma_zone_t zone, int flags)
{
	return (malloc(zone->size, &zone->type, flags));
}

void
uma_zfree(uma_zone_t zone, void *item)
{
	free(item, &zone->type);
}
