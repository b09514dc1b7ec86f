// sim/media/io.h — what a request to a disk is, as the media layer sees it.
//
// The media layer is host C++ and knows nothing of struct bio: the kernel
// drivers (sim/disk, sim/md) translate a bio into these terms.
#pragma once

#include <cstdint>
#include <string>

namespace sim {

enum class io_op : uint8_t { read, write, del, flush };

// "READ", "WRITE", "DELETE", "FLUSH" (as g_print_bio names them).
const char *io_op_name(io_op op);
// Parses the names above, case-insensitively; false if unknown.
bool io_op_parse(const std::string &s, io_op &op);

// Who sent a request: the device it was addressed to ("md0", while the
// media is a file) and the simulated thread that started it (the thread
// whose g_io_request is the root of the bio's clone chain).
struct io_origin {
  std::string device;
  int tid = 0;
  std::string thread;
};

// A request reaching, or completing on, a media (for triggers).
struct io_event {
  std::string media;   // the media's name in the write log
  std::string device;  // the device the request came through
  io_op op = io_op::read;
  int64_t offset = 0;
  int64_t length = 0;
  uint64_t seq = 0;    // write log sequence number, for completions
};

}  // namespace sim
