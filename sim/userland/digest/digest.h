// sim/userland/digest/digest.h — MD5, SHA-1 and SHA-256 for md5(1),
// sha1(1) and sha256(1). Incremental: update() any number of times, then
// hex() once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace sim {

class digest {
 public:
  virtual ~digest() = default;
  virtual void update(const void *data, size_t len) = 0;
  virtual std::string hex() = 0;  // lowercase hex of the final digest
  // "md5", "sha1" or "sha256"; nullptr for anything else.
  static std::unique_ptr<digest> make(const std::string &algorithm);
};

}  // namespace sim
