/*
 * sim/nop/g_nop.h — constants shared by the NOP class and gnop(8).
 */
#ifndef _SIM_NOP_G_NOP_H_
#define _SIM_NOP_G_NOP_H_

#define	G_NOP_CLASS_NAME	"NOP"
/* 4 is FreeBSD 10's; 5 adds the newer knobs (-c -d -q -x -z -Z) and the
 * simulator's -n. */
#define	G_NOP_VERSION		5
#define	G_NOP_SUFFIX		".nop"

#endif /* !_SIM_NOP_G_NOP_H_ */
