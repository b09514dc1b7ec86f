/*
 * vm/uma.h — the zone allocator. Class code that includes it (virstor does,
 * without using it) compiles; zones are backed by malloc(9).
 */
#ifndef _VM_UMA_H_
#define _VM_UMA_H_

#include <sys/malloc.h>

typedef struct uma_zone *uma_zone_t;

uma_zone_t uma_zcreate(const char *name, size_t size, void *ctor, void *dtor,
    void *uminit, void *fini, int align, uint32_t flags);
void uma_zdestroy(uma_zone_t zone);
kvoid uma_zalloc(uma_zone_t zone, int flags);
void uma_zfree(uma_zone_t zone, void *item);
#define UMA_ALIGN_PTR (sizeof(void *) - 1)

#endif /* !_VM_UMA_H_ */
