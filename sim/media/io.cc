// Request names. See sim/media/io.h.
#include "sim/media/io.h"

#include <strings.h>

namespace sim {

const char *io_op_name(io_op op) {
  switch (op) {
    case io_op::read: return "READ";
    case io_op::write: return "WRITE";
    case io_op::del: return "DELETE";
    case io_op::flush: return "FLUSH";
  }
  return "?";
}

bool io_op_parse(const std::string &s, io_op &op) {
  static const io_op all[] = {io_op::read, io_op::write, io_op::del, io_op::flush};
  for (io_op o : all) {
    if (strcasecmp(s.c_str(), io_op_name(o)) == 0) {
      op = o;
      return true;
    }
  }
  return false;
}

}  // namespace sim
