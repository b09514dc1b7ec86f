/*
 * geom/g_io.h — requests: allocating, cloning, issuing and completing bios.
 *
 * g_io_request(bp, cp) queues bp for g_down, which checks it (access
 * counts, provider error, alignment; it truncates requests running past
 * the end) and calls the provider's geom start method. The provider
 * completes with g_io_deliver(bp, error), which queues bp for g_up, which
 * runs bio_done. start and bio_done must not sleep. Delivering ENOMEM does
 * not complete the bio: it is issued again.
 *
 * g_read_data/g_write_data/g_delete_data issue a request and sleep until
 * it completes: never from start/done, never with the topology lock held.
 */
#ifndef _GEOM_G_IO_H_
#define _GEOM_G_IO_H_

#include <sys/bio.h>
#include <sys/kvoid.h>

struct bio *g_new_bio(void);
struct bio *g_alloc_bio(void);
struct bio *g_clone_bio(struct bio *);
struct bio *g_duplicate_bio(struct bio *);
void g_destroy_bio(struct bio *);
void g_io_deliver(struct bio *bp, int error);
int g_io_getattr(const char *attr, struct g_consumer *cp, int *len, void *ptr);
int g_io_zonecmd(struct disk_zone_args *zone_args, struct g_consumer *cp);
int g_io_flush(struct g_consumer *cp);
void g_io_request(struct bio *bp, struct g_consumer *cp);
struct bio *g_new_bio(void);
void g_print_bio(struct bio *bp);
kvoid g_read_data(struct g_consumer *cp, off_t offset, off_t length, int *error);
int g_write_data(struct g_consumer *cp, off_t offset, void *ptr, off_t length);
int g_delete_data(struct g_consumer *cp, off_t offset, off_t length);
void g_std_done(struct bio *bp);

#define g_getattr(a, c, v) g_getattr__((a), (c), (v), sizeof *(v))
int g_getattr__(const char *attr, struct g_consumer *cp, void *var, int len);

int g_handleattr(struct bio *bp, const char *attribute, const void *val, int len);
int g_handleattr_int(struct bio *bp, const char *attribute, int val);
int g_handleattr_off_t(struct bio *bp, const char *attribute, off_t val);
int g_handleattr_uint16_t(struct bio *bp, const char *attribute, uint16_t val);
int g_handleattr_str(struct bio *bp, const char *attribute, const char *str);

#endif /* !_GEOM_G_IO_H_ */
