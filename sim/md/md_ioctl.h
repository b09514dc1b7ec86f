/*
 * sim/md/md_ioctl.h — the md(4) control interface (FreeBSD's
 * <sys/mdioctl.h>), shared by the kernel (sim/md/md.cc) and mdconfig(8).
 *
 * FreeBSD's mdconfig opens /dev/mdctl and issues ioctls; here a userland
 * thread calls mdctl_ioctl() directly, which runs in the kernel on the
 * caller's thread (it sleeps: never call it from g_up, g_down or with the
 * topology lock held). Results are FreeBSD errno values:
 *
 *   MDIOCATTACH  create a unit: md_type, md_mediasize (bytes),
 *                md_sectorsize (0: 512), md_options (MD_AUTOUNIT picks the
 *                lowest free unit and returns it in md_unit), md_file
 *                (vnode: the machine file's path), md_fwsectors/heads.
 *                EINVAL bad sizes or options, EDOM swap/null size not a
 *                page multiple, EBUSY unit taken, ENOENT no such file,
 *                EOPNOTSUPP preload.
 *   MDIOCDETACH  destroy md_unit: EBUSY if open unless MD_FORCE, ENOENT
 *                unknown unit. The provider is orphaned (ENXIO), requests
 *                still queued fail with ENXIO.
 *   MDIOCQUERY   fills md_type, md_options, md_mediasize, md_sectorsize
 *                and md_file of md_unit.
 *   MDIOCLIST    md_pad[0] = number of units, md_pad[1..] = units (in unit
 *                order; -1 in the last slot if they do not all fit).
 *   MDIOCPULL    (simulator) unit md_unit vanishes as a pulled disk does:
 *                everything in flight fails with ENXIO, the provider is
 *                orphaned, the unit is gone. Callable from any simulated
 *                thread that may sleep, including a disk's worker.
 */
#ifndef _SIM_MD_MD_IOCTL_H_
#define _SIM_MD_MD_IOCTL_H_

#include <sys/types.h>

enum md_types { MD_MALLOC, MD_PRELOAD, MD_VNODE, MD_SWAP, MD_NULL };

#define MDNPAD		96
#define MDIOVERSION	0
#define MD_NAME		"md"
#define MDCTL_NAME	"mdctl"

struct md_ioctl {
	unsigned	md_version;	/* Structure layout version */
	unsigned	md_unit;	/* unit number */
	enum md_types	md_type;	/* type of disk */
	char		*md_file;	/* pathname of file to mount (in/out) */
	size_t		md_filelen;	/* size of md_file's buffer (query) */
	off_t		md_mediasize;	/* size of disk in bytes */
	unsigned	md_sectorsize;	/* sectorsize */
	unsigned	md_options;	/* options */
	int		md_fwheads;	/* firmware heads */
	int		md_fwsectors;	/* firmware sectors */
	int		md_pad[MDNPAD];	/* unit list (MDIOCLIST) */
};

#define MDIOCATTACH	1
#define MDIOCDETACH	2
#define MDIOCQUERY	3
#define MDIOCLIST	4
#define MDIOCRESIZE	5
#define MDIOCPULL	100

#define MD_CLUSTER	0x01	/* Don't cluster */
#define MD_RESERVE	0x02	/* Pre-reserve swap */
#define MD_AUTOUNIT	0x04	/* Assign next free unit */
#define MD_READONLY	0x08	/* Readonly mode */
#define MD_COMPRESS	0x10	/* Compression mode */
#define MD_FORCE	0x20	/* Don't try to prevent foot-shooting */
#define MD_ASYNC	0x40	/* Asynchronous mode */

namespace sim {
int mdctl_ioctl(unsigned long cmd, struct md_ioctl *mdio);
}

#endif /* !_SIM_MD_MD_IOCTL_H_ */
