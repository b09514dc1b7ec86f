// Kernel printf formatting. See kern/format.h.
#include "kern/format.h"

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "kern/kernel.h"

namespace kern {

namespace {
template <class T>
void append(std::string &out, const std::string &spec, T v) {
  char buf[256];
  int n = std::snprintf(buf, sizeof buf, spec.c_str(), v);
  if (n < 0) return;
  if ((size_t)n < sizeof buf) {
    out.append(buf, (size_t)n);
  } else {
    std::string big((size_t)n + 1, '\0');
    std::snprintf(big.data(), big.size(), spec.c_str(), v);
    out.append(big.data(), (size_t)n);
  }
}

uint64_t kernel_address(const void *p) {
  kernel *k = kernel::current();
  if (k == nullptr) return (uint64_t)(uintptr_t)p;
  return k->arena().kva(p);
}
}  // namespace

std::string vformat(const char *fmt, va_list ap) {
  std::string out;
  for (const char *p = fmt; *p;) {
    if (*p != '%') {
      const char *q = p;
      while (*q && *q != '%') q++;
      out.append(p, (size_t)(q - p));
      p = q;
      continue;
    }
    const char *start = p++;
    if (*p == '%') {
      out.push_back('%');
      p++;
      continue;
    }
    std::string spec = "%";
    bool left = false;
    while (*p == '-' || *p == '+' || *p == ' ' || *p == '#' || *p == '0') {
      if (*p == '-') left = true;
      spec.push_back(*p++);
    }
    int width = -1;
    if (*p == '*') {
      width = va_arg(ap, int);
      spec += std::to_string(width);
      p++;
    } else {
      while (*p >= '0' && *p <= '9') {
        width = (width < 0 ? 0 : width * 10) + (*p - '0');
        spec.push_back(*p++);
      }
    }
    int precision = -1;
    if (*p == '.') {
      spec.push_back(*p++);
      precision = 0;
      if (*p == '*') {
        precision = va_arg(ap, int);
        spec += std::to_string(precision);
        p++;
      } else {
        while (*p >= '0' && *p <= '9') {
          precision = precision * 10 + (*p - '0');
          spec.push_back(*p++);
        }
      }
    }
    enum { none, hh, h, l, ll, j, z, t } len = none;
    switch (*p) {
      case 'h':
        p++;
        if (*p == 'h') { p++; len = hh; } else len = h;
        break;
      case 'l':
        p++;
        if (*p == 'l') { p++; len = ll; } else len = l;
        break;
      case 'q': p++; len = ll; break;
      case 'j': p++; len = j; break;
      case 'z': p++; len = z; break;
      case 't': p++; len = t; break;
      default: break;
    }
    char conv = *p ? *p++ : '\0';
    switch (conv) {
      case 'd':
      case 'i': {
        long long v;
        switch (len) {
          case hh: v = (signed char)va_arg(ap, int); break;
          case h: v = (short)va_arg(ap, int); break;
          case l: v = va_arg(ap, long); break;
          case ll: v = va_arg(ap, long long); break;
          case j: v = va_arg(ap, intmax_t); break;
          case z: v = va_arg(ap, ptrdiff_t); break;  // ssize_t
          case t: v = va_arg(ap, ptrdiff_t); break;
          default: v = va_arg(ap, int); break;
        }
        append(out, spec + "lld", v);
        break;
      }
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        unsigned long long v;
        switch (len) {
          case hh: v = (unsigned char)va_arg(ap, unsigned); break;
          case h: v = (unsigned short)va_arg(ap, unsigned); break;
          case l: v = va_arg(ap, unsigned long); break;
          case ll: v = va_arg(ap, unsigned long long); break;
          case j: v = va_arg(ap, uintmax_t); break;
          case z: v = va_arg(ap, size_t); break;
          case t: v = (unsigned long long)va_arg(ap, ptrdiff_t); break;
          default: v = va_arg(ap, unsigned); break;
        }
        append(out, spec + "ll" + conv, v);
        break;
      }
      case 'c':
        append(out, spec + "c", va_arg(ap, int));
        break;
      case 's': {
        // Read the string here, byte by byte: a bad pointer from kernel
        // code must fault in this function (which can unwind the trap),
        // not inside the C library (declared noexcept: a fault there
        // would terminate the simulator).
        const char *s = va_arg(ap, const char *);
        if (s == nullptr) s = "(null)";
        std::string str;
        size_t prec = precision < 0 ? SIZE_MAX : (size_t)precision;
        for (const volatile char *q = s; str.size() < prec && *q != '\0'; q++) str.push_back(*q);
        int pad = width - (int)str.size();
        if (pad > 0 && !left) out.append((size_t)pad, ' ');
        out += str;
        if (pad > 0 && left) out.append((size_t)pad, ' ');
        break;
      }
      case 'p': {
        uint64_t a = kernel_address(va_arg(ap, void *));
        // FreeBSD prints 0x-prefixed hex, and a bare 0 for NULL.
        std::string digits = a ? "0x" + [&] {
          char b[32];
          std::snprintf(b, sizeof b, "%" PRIx64, a);
          return std::string(b);
        }() : std::string("0");
        int pad = width - (int)digits.size();
        if (pad > 0 && !left) out.append((size_t)pad, ' ');
        out += digits;
        if (pad > 0 && left) out.append((size_t)pad, ' ');
        break;
      }
      default:
        // Unknown conversion: print it as is, like kvprintf.
        out.append(start, (size_t)(p - start));
        break;
    }
  }
  return out;
}

std::string format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string s = vformat(fmt, ap);
  va_end(ap);
  return s;
}

}  // namespace kern
