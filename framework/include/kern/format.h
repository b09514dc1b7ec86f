// kern/format.h — printf-style formatting for kernel code.
//
// Behaves like FreeBSD's kvprintf for the conversions kernel code uses
// (%d %i %u %o %x %X %c %s %p %% with flags, width, precision and the
// hh/h/l/ll/j/z/t/q length modifiers), with one difference that makes output
// reproducible: %p prints the pointer's synthetic kernel address from the
// booted kernel's memory arena (kern/memory.h), not the host address.
#pragma once

#include <cstdarg>
#include <string>

namespace kern {

std::string vformat(const char *fmt, va_list ap);
std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace kern
