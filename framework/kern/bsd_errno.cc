// FreeBSD errno names and messages. See kern/bsd_errno.h.
#include "kern/bsd_errno.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace kern {

namespace {
struct entry {
  int no;
  const char *name;
  const char *text;
};
// sys_errlist of FreeBSD 10.
const entry kTable[] = {
    {0, "0", "No error: 0"},
    {1, "EPERM", "Operation not permitted"},
    {2, "ENOENT", "No such file or directory"},
    {3, "ESRCH", "No such process"},
    {4, "EINTR", "Interrupted system call"},
    {5, "EIO", "Input/output error"},
    {6, "ENXIO", "Device not configured"},
    {7, "E2BIG", "Argument list too long"},
    {8, "ENOEXEC", "Exec format error"},
    {9, "EBADF", "Bad file descriptor"},
    {10, "ECHILD", "No child processes"},
    {11, "EDEADLK", "Resource deadlock avoided"},
    {12, "ENOMEM", "Cannot allocate memory"},
    {13, "EACCES", "Permission denied"},
    {14, "EFAULT", "Bad address"},
    {15, "ENOTBLK", "Block device required"},
    {16, "EBUSY", "Device busy"},
    {17, "EEXIST", "File exists"},
    {18, "EXDEV", "Cross-device link"},
    {19, "ENODEV", "Operation not supported by device"},
    {20, "ENOTDIR", "Not a directory"},
    {21, "EISDIR", "Is a directory"},
    {22, "EINVAL", "Invalid argument"},
    {23, "ENFILE", "Too many open files in system"},
    {24, "EMFILE", "Too many open files"},
    {25, "ENOTTY", "Inappropriate ioctl for device"},
    {26, "ETXTBSY", "Text file busy"},
    {27, "EFBIG", "File too large"},
    {28, "ENOSPC", "No space left on device"},
    {29, "ESPIPE", "Illegal seek"},
    {30, "EROFS", "Read-only file system"},
    {31, "EMLINK", "Too many links"},
    {32, "EPIPE", "Broken pipe"},
    {33, "EDOM", "Numerical argument out of domain"},
    {34, "ERANGE", "Result too large"},
    {35, "EAGAIN", "Resource temporarily unavailable"},
    {36, "EINPROGRESS", "Operation now in progress"},
    {37, "EALREADY", "Operation already in progress"},
    {45, "EOPNOTSUPP", "Operation not supported"},
    {55, "ENOBUFS", "No buffer space available"},
    {60, "ETIMEDOUT", "Operation timed out"},
    {62, "ELOOP", "Too many levels of symbolic links"},
    {63, "ENAMETOOLONG", "File name too long"},
    {66, "ENOTEMPTY", "Directory not empty"},
    {77, "ENOLCK", "No locks available"},
    {78, "ENOSYS", "Function not implemented"},
    {79, "EFTYPE", "Inappropriate file type or format"},
    {84, "EOVERFLOW", "Value too large to be stored in data type"},
    {85, "ECANCELED", "Operation canceled"},
    {86, "EILSEQ", "Illegal byte sequence"},
    {87, "ENOATTR", "Attribute not found"},
    {88, "EDOOFUS", "Programming error"},
    {89, "EBADMSG", "Bad message"},
    {92, "EPROTO", "Protocol error"},
    {93, "ENOTCAPABLE", "Capabilities insufficient"},
};
}  // namespace

const char *bsd_strerror(int error) {
  for (const entry &e : kTable)
    if (e.no == error) return e.text;
  static thread_local char buf[64];
  std::snprintf(buf, sizeof buf, "Unknown error: %d", error);
  return buf;
}

const char *bsd_errno_name(int error) {
  for (const entry &e : kTable)
    if (e.no == error && error != 0) return e.name;
  return nullptr;
}

bool bsd_errno_parse(const char *s, int &error) {
  for (const entry &e : kTable) {
    if (std::strcmp(e.name, s) == 0) {
      error = e.no;
      return true;
    }
  }
  char *end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0') return false;
  error = (int)v;
  return true;
}

}  // namespace kern
