// tests/support/kernel_fixture.h — boots a simulated kernel for a test.
//
//   testsupport::booted k;              // det scheduler, seed 1
//   k.run([] { ... kernel calls ... }); // in a simulated userland thread
//   BOOST_TEST(k.console_has("..."));
//
// The kernel shuts down (orderly) when the fixture goes away, unless the
// test stopped it (panic, power cut).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kern/kernel.h"

namespace testsupport {

struct boot_options {
  kern::sched_mode mode = kern::sched_mode::det;
  uint64_t seed = 1;
  std::map<std::string, std::string> kenv;
  std::vector<std::string> modules;
  uint64_t data_seed = 1;  // /dev/random bytes and arc4random ids
};

class booted {
 public:
  explicit booted(boot_options opt = {});
  ~booted();

  kern::kernel &k() { return *k_; }
  // Runs fn in a userland thread and the system until quiescent.
  // Returns true if the thread finished (false: it is blocked, or the
  // kernel stopped).
  bool run(std::function<void()> fn, const std::string &name = "test");
  bool panicked() const { return k_->panicked(); }
  std::string panic_message() const { return k_->panic_info().message; }
  const std::vector<std::string> &console() const { return *lines_; }
  bool console_has(const std::string &needle) const;
  void shutdown() { k_->shutdown(); }

 private:
  std::shared_ptr<std::vector<std::string>> lines_;
  std::unique_ptr<kern::kernel> k_;
};

}  // namespace testsupport
