/*
 * String and memory functions for kernel code. See sys/libkern.h.
 *
 * Compiled with -fno-builtin and without loop-to-library-call rewriting,
 * so that every access to the caller's memory happens here, where a
 * fault can unwind.
 */
#include <cstdint>
#include <string>

#include <sys/libkern.h>

#include "kern/format.h"

namespace {
inline uint64_t load64(const unsigned char *p) {
	uint64_t w;
	__builtin_memcpy(&w, p, 8);
	return (w);
}
inline void store64(unsigned char *p, uint64_t w) { __builtin_memcpy(p, &w, 8); }
}

void *
kern_memcpy(void *dst, const void *src, size_t len)
{
	auto *d = static_cast<unsigned char *>(dst);
	auto *s = static_cast<const unsigned char *>(src);
	for (; len >= 8; len -= 8, d += 8, s += 8)
		store64(d, load64(s));
	while (len-- > 0)
		*d++ = *s++;
	return (dst);
}

void *
kern_memmove(void *dst, const void *src, size_t len)
{
	auto *d = static_cast<unsigned char *>(dst);
	auto *s = static_cast<const unsigned char *>(src);
	if (d <= s || d >= s + len)
		return (kern_memcpy(dst, src, len));
	/* Overlapping, destination after source: copy backwards. */
	d += len;
	s += len;
	for (; len >= 8; len -= 8) {
		d -= 8;
		s -= 8;
		store64(d, load64(s));
	}
	while (len-- > 0)
		*--d = *--s;
	return (dst);
}

void *
kern_memset(void *dst, int c, size_t len)
{
	auto *d = static_cast<unsigned char *>(dst);
	uint64_t w = 0x0101010101010101ull * (unsigned char)c;
	for (; len >= 8; len -= 8, d += 8)
		store64(d, w);
	while (len-- > 0)
		*d++ = (unsigned char)c;
	return (dst);
}

int
kern_memcmp(const void *a, const void *b, size_t len)
{
	auto *p = static_cast<const unsigned char *>(a);
	auto *q = static_cast<const unsigned char *>(b);
	for (; len >= 8 && load64(p) == load64(q); len -= 8, p += 8, q += 8)
		;
	for (; len > 0; len--, p++, q++)
		if (*p != *q)
			return (*p < *q ? -1 : 1);
	return (0);
}

void kern_bcopy(const void *src, void *dst, size_t len) { kern_memmove(dst, src, len); }
void kern_bzero(void *dst, size_t len) { kern_memset(dst, 0, len); }
int kern_bcmp(const void *a, const void *b, size_t len) { return (kern_memcmp(a, b, len) != 0); }

size_t
kern_strlen(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0')
		n++;
	return (n);
}

size_t
kern_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n] != '\0')
		n++;
	return (n);
}

int
kern_strcmp(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (*a == '\0')
			return (0);
	return ((unsigned char)*a < (unsigned char)*b ? -1 : 1);
}

int
kern_strncmp(const char *a, const char *b, size_t len)
{
	for (; len > 0; len--, a++, b++) {
		if (*a != *b)
			return ((unsigned char)*a < (unsigned char)*b ? -1 : 1);
		if (*a == '\0')
			return (0);
	}
	return (0);
}

char *
kern_strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++) != '\0')
		;
	return (dst);
}

char *
kern_strncpy(char *dst, const char *src, size_t len)
{
	size_t i = 0;
	for (; i < len && src[i] != '\0'; i++)
		dst[i] = src[i];
	for (; i < len; i++)
		dst[i] = '\0';
	return (dst);
}

char *
kern_strcat(char *dst, const char *src)
{
	kern_strcpy(dst + kern_strlen(dst), src);
	return (dst);
}

char *
kern_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (const_cast<char *>(s));
		if (*s == '\0')
			return (nullptr);
	}
}

char *
kern_strrchr(const char *s, int c)
{
	const char *last = nullptr;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (const_cast<char *>(last));
	}
}

int
kern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	std::string s = kern::vformat(fmt, ap);
	if (size > 0) {
		size_t n = s.size() < size - 1 ? s.size() : size - 1;
		kern_memcpy(buf, s.data(), n);
		buf[n] = '\0';
	}
	return ((int)s.size());
}

int
kern_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kern_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n);
}

int
kern_sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	std::string s = kern::vformat(fmt, ap);
	va_end(ap);
	/* Unbounded, as sprintf(9) is. */
	kern_memcpy(buf, s.c_str(), s.size() + 1);
	return ((int)s.size());
}
