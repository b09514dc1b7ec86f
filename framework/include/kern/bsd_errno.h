// kern/bsd_errno.h — FreeBSD's errno numbers and messages.
//
// The simulated kernel and its userland speak FreeBSD's errno values (EAGAIN
// is 35, EOPNOTSUPP 45, ELOOP 62, ...) and strerror(3) wording ("Device
// busy", "Device not configured"), whatever the host is. Kernel-space code
// gets the values under their usual names from opt_global.h; C++ code of the
// simulator uses the constants below.
#pragma once

namespace kern {

enum bsd_errno : int {
  B_EPERM = 1, B_ENOENT = 2, B_ESRCH = 3, B_EINTR = 4, B_EIO = 5, B_ENXIO = 6,
  B_E2BIG = 7, B_ENOEXEC = 8, B_EBADF = 9, B_ECHILD = 10, B_EDEADLK = 11,
  B_ENOMEM = 12, B_EACCES = 13, B_EFAULT = 14, B_ENOTBLK = 15, B_EBUSY = 16,
  B_EEXIST = 17, B_EXDEV = 18, B_ENODEV = 19, B_ENOTDIR = 20, B_EISDIR = 21,
  B_EINVAL = 22, B_ENFILE = 23, B_EMFILE = 24, B_ENOTTY = 25, B_ETXTBSY = 26,
  B_EFBIG = 27, B_ENOSPC = 28, B_ESPIPE = 29, B_EROFS = 30, B_EMLINK = 31,
  B_EPIPE = 32, B_EDOM = 33, B_ERANGE = 34, B_EAGAIN = 35, B_EINPROGRESS = 36,
  B_EALREADY = 37, B_ENOTSOCK = 38, B_EDESTADDRREQ = 39, B_EMSGSIZE = 40,
  B_EPROTOTYPE = 41, B_ENOPROTOOPT = 42, B_EPROTONOSUPPORT = 43,
  B_ESOCKTNOSUPPORT = 44, B_EOPNOTSUPP = 45, B_EPFNOSUPPORT = 46,
  B_EAFNOSUPPORT = 47, B_EADDRINUSE = 48, B_EADDRNOTAVAIL = 49,
  B_ENETDOWN = 50, B_ENETUNREACH = 51, B_ENETRESET = 52, B_ECONNABORTED = 53,
  B_ECONNRESET = 54, B_ENOBUFS = 55, B_EISCONN = 56, B_ENOTCONN = 57,
  B_ESHUTDOWN = 58, B_ETOOMANYREFS = 59, B_ETIMEDOUT = 60, B_ECONNREFUSED = 61,
  B_ELOOP = 62, B_ENAMETOOLONG = 63, B_EHOSTDOWN = 64, B_EHOSTUNREACH = 65,
  B_ENOTEMPTY = 66, B_EPROCLIM = 67, B_EUSERS = 68, B_EDQUOT = 69,
  B_ESTALE = 70, B_EREMOTE = 71, B_EBADRPC = 72, B_ERPCMISMATCH = 73,
  B_EPROGUNAVAIL = 74, B_EPROGMISMATCH = 75, B_EPROCUNAVAIL = 76,
  B_ENOLCK = 77, B_ENOSYS = 78, B_EFTYPE = 79, B_EAUTH = 80, B_ENEEDAUTH = 81,
  B_EIDRM = 82, B_ENOMSG = 83, B_EOVERFLOW = 84, B_ECANCELED = 85,
  B_EILSEQ = 86, B_ENOATTR = 87, B_EDOOFUS = 88, B_EBADMSG = 89,
  B_EMULTIHOP = 90, B_ENOLINK = 91, B_EPROTO = 92, B_ENOTCAPABLE = 93,
  B_ECAPMODE = 94, B_ENOTRECOVERABLE = 95, B_EOWNERDEAD = 96,
  B_EJUSTRETURN = -2, B_ENOIOCTL = -3,
};

// FreeBSD's strerror(3) text, or "Unknown error: N".
const char *bsd_strerror(int error);
// The symbolic name ("EBUSY"), or nullptr.
const char *bsd_errno_name(int error);
// Parses "EBUSY", "busy"-less forms are not accepted; numbers are.
bool bsd_errno_parse(const char *s, int &error);

}  // namespace kern
