/*
 * geom/g_topology.h — the topology lock.
 *
 * One exclusive, sleepable, non-recursive lock protects the whole GEOM
 * mesh: the class, geom, provider and consumer lists, attachments, ranks,
 * access counts and flags. Taking it twice in one thread, or releasing it
 * without holding it, panics. It must never be taken on g_up or g_down
 * (they may not sleep), and g_read_data()/g_write_data()/g_waitfor_event()/
 * g_waitidle() must not be called with it held.
 */
#ifndef _GEOM_G_TOPOLOGY_H_
#define _GEOM_G_TOPOLOGY_H_

void kern_g_topology_lock(const char *file, int line);
int g_topology_try_lock(void);
void kern_g_topology_unlock(const char *file, int line);
void kern_g_topology_assert(const char *file, int line);
void kern_g_topology_assert_not(const char *file, int line);
int g_topology_locked(void);
void g_topology_sleep(void *chan, int timo);

#define g_topology_lock() kern_g_topology_lock(__FILE__, __LINE__)
#define g_topology_unlock() kern_g_topology_unlock(__FILE__, __LINE__)
#define g_topology_assert() kern_g_topology_assert(__FILE__, __LINE__)
#define g_topology_assert_not() kern_g_topology_assert_not(__FILE__, __LINE__)

#endif /* !_GEOM_G_TOPOLOGY_H_ */
