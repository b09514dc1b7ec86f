/*
 * opt_global.h — included first in every kernel-space translation unit
 * (the build passes -include opt_global.h, as FreeBSD's kernel build does).
 *
 * It pulls in the host headers the simulated kernel needs, then defines
 * what FreeBSD's <sys/cdefs.h>, <sys/param.h> and <sys/errno.h> would
 * (the host has headers with those names, so the simulator cannot shadow
 * them): the kernel options (_KERNEL, INVARIANTS, DIAGNOSTIC), the cdefs
 * macros, MAXPHYS and friends, and FreeBSD's errno values in place of the
 * host's, so that "error 45" means EOPNOTSUPP as it does on FreeBSD.
 */
#ifndef _OPT_GLOBAL_H_
#define _OPT_GLOBAL_H_

/* Host headers first: nothing below may leak into them. */
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <strings.h>
#include <sys/types.h>
#include <sys/param.h>

/* Kernel options: a debugging kernel, as the emulation enforces every rule. */
#define _KERNEL 1
#define INVARIANTS 1
#define INVARIANT_SUPPORT 1
#define DIAGNOSTIC 1

/* <sys/cdefs.h> */
#define __FBSDID(s) static_assert(true, s)
#define __unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __printflike(fmtarg, firstvararg) \
	__attribute__((__format__(__printf__, fmtarg, firstvararg)))
#define __predict_true(exp) __builtin_expect((exp), 1)
#define __predict_false(exp) __builtin_expect((exp), 0)
#define __DECONST(type, var) ((type)(uintptr_t)(const void *)(var))
#define __GEOMSIM_CAT1(x, y) x ## y
#define __GEOMSIM_CAT(x, y) __GEOMSIM_CAT1(x, y)

/* <sys/param.h> additions (the host's provides MIN, MAX, howmany, ...) */
#define MAXPHYS (128 * 1024)
#define DFLTPHYS (64 * 1024)
#ifndef DEV_BSIZE
#define DEV_BSIZE 512
#endif
#define SPECNAMELEN 63
#define MAXCPU 1

/* <sys/types.h> additions */
typedef int boolean_t;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
typedef char *caddr_t;
typedef const char *c_caddr_t;
typedef int64_t sbintime_t;

/* FreeBSD's <sys/errno.h> values (the host's differ for some). */
#undef EDEADLK
#define EDEADLK 11
#undef EAGAIN
#define EAGAIN 35
#undef EWOULDBLOCK
#define EWOULDBLOCK EAGAIN
#undef EINPROGRESS
#define EINPROGRESS 36
#undef EALREADY
#define EALREADY 37
#undef EOPNOTSUPP
#define EOPNOTSUPP 45
#undef ENOTSUP
#define ENOTSUP EOPNOTSUPP
#undef ENOBUFS
#define ENOBUFS 55
#undef ETIMEDOUT
#define ETIMEDOUT 60
#undef ELOOP
#define ELOOP 62
#undef ENAMETOOLONG
#define ENAMETOOLONG 63
#undef ENOTEMPTY
#define ENOTEMPTY 66
#undef ENOLCK
#define ENOLCK 77
#undef ENOSYS
#define ENOSYS 78
#undef EOVERFLOW
#define EOVERFLOW 84
#undef ECANCELED
#define ECANCELED 85
#undef EILSEQ
#define EILSEQ 86
#define ENOATTR 87
#define EDOOFUS 88
#undef EBADMSG
#define EBADMSG 89
#undef EPROTO
#define EPROTO 92
#define EJUSTRETURN (-2)
#define ENOIOCTL (-3)

/*
 * The C library's string functions are noexcept: a fault inside one could
 * not become a simulated panic. Kernel code uses libkern's (sys/libkern.h).
 */
#include "sys/libkern.h"
#define memcpy(d, s, n) kern_memcpy((d), (s), (n))
#define memmove(d, s, n) kern_memmove((d), (s), (n))
#define memset(d, c, n) kern_memset((d), (c), (n))
#define memcmp(a, b, n) kern_memcmp((a), (b), (n))
#define bcopy(s, d, n) kern_bcopy((s), (d), (n))
#define bzero(d, n) kern_bzero((d), (n))
#define bcmp(a, b, n) kern_bcmp((a), (b), (n))
#define strlen(s) kern_strlen(s)
#define strnlen(s, n) kern_strnlen((s), (n))
#define strcmp(a, b) kern_strcmp((a), (b))
#define strncmp(a, b, n) kern_strncmp((a), (b), (n))
#define strcpy(d, s) kern_strcpy((d), (s))
#define strncpy(d, s, n) kern_strncpy((d), (s), (n))
#define strcat(d, s) kern_strcat((d), (s))
#define strchr(s, c) kern_strchr((s), (c))
#define strrchr(s, c) kern_strrchr((s), (c))
#define snprintf(...) kern_snprintf(__VA_ARGS__)
#define sprintf(...) kern_sprintf(__VA_ARGS__)
#define vsnprintf(b, n, f, a) kern_vsnprintf((b), (n), (f), (a))

#endif /* !_OPT_GLOBAL_H_ */
