// sim/userland/files.h — the files simulated userland sees besides /dev.
//
// The machine's files (sim/machine/machine.h): sparse simulated files and
// host image files mapped in. What dd if=/of=, truncate, cmp and the
// digest programs read and write when a path is not under /dev. Errors
// are FreeBSD errno values (ENOENT for a missing file).
//
// Sizes are byte-exact, as st_size is: `truncate -s 2 f` makes a 2-byte
// file, reads stop at the length, a write past it extends the file (the
// gap reads as zeros), and only truncation shortens it.
#pragma once

#include <cstdint>
#include <string>

namespace sim {

// The file's length in bytes (st_size).
int file_size(const std::string &path, int64_t &size);
// truncate(1): creates the file if needed, then sets its size.
int file_truncate(const std::string &path, int64_t size);
int file_read(const std::string &path, void *buf, size_t len, int64_t off, size_t &done);
int file_write(const std::string &path, const void *buf, size_t len, int64_t off, size_t &done);
int file_remove(const std::string &path);

}  // namespace sim
