/*
 * sys/libkern.h — the string and memory functions of kernel code.
 *
 * Kernel code (class code included) gets these instead of the C
 * library's (opt_global.h maps the usual names to them). The C library
 * declares its functions noexcept, so a fault inside one of them — a
 * class passing a NULL or freed pointer to strcmp — could not unwind
 * into a simulated panic: the simulator would terminate. These are
 * compiled with the kernel's options, so a bad pointer traps in them and
 * becomes "Fatal trap 12" like any other.
 */
#ifndef _SYS_LIBKERN_H_
#define _SYS_LIBKERN_H_

#include <cstdarg>
#include <cstddef>
/*
 * The C library's headers come first, so that the macros opt_global.h
 * defines after this header never rewrite their declarations.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <strings.h>
#include <string.h>
#include <stdio.h>

void *kern_memcpy(void *dst, const void *src, size_t len);
void *kern_memmove(void *dst, const void *src, size_t len);
void *kern_memset(void *dst, int c, size_t len);
int kern_memcmp(const void *a, const void *b, size_t len);
void kern_bcopy(const void *src, void *dst, size_t len);
void kern_bzero(void *dst, size_t len);
int kern_bcmp(const void *a, const void *b, size_t len);
size_t kern_strlen(const char *s);
size_t kern_strnlen(const char *s, size_t max);
int kern_strcmp(const char *a, const char *b);
int kern_strncmp(const char *a, const char *b, size_t len);
char *kern_strcpy(char *dst, const char *src);
char *kern_strncpy(char *dst, const char *src, size_t len);
char *kern_strcat(char *dst, const char *src);
char *kern_strchr(const char *s, int c);
char *kern_strrchr(const char *s, int c);
int kern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kern_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kern_sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * C++ code that names std::memcpy and the like after opt_global.h gets
 * the same functions.
 */
namespace std {
using ::kern_memcpy;
using ::kern_memmove;
using ::kern_memset;
using ::kern_memcmp;
using ::kern_bcopy;
using ::kern_bzero;
using ::kern_bcmp;
using ::kern_strlen;
using ::kern_strnlen;
using ::kern_strcmp;
using ::kern_strncmp;
using ::kern_strcpy;
using ::kern_strncpy;
using ::kern_strcat;
using ::kern_strchr;
using ::kern_strrchr;
using ::kern_vsnprintf;
using ::kern_snprintf;
using ::kern_sprintf;
}

#endif /* !_SYS_LIBKERN_H_ */
