/*
 * sys/lock.h — the part of struct lock_object class code can see.
 */
#ifndef _SYS_LOCK_H_
#define _SYS_LOCK_H_

struct lock_object {
	const char *lo_name;
	u_int lo_flags;
	u_int lo_data;
	void *lo_witness;
};

#define LO_INITIALIZED	0x00010000

#endif /* !_SYS_LOCK_H_ */
