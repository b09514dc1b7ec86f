// Boots a simulated kernel for a test. See tests/support/kernel_fixture.h.
#include "tests/support/kernel_fixture.h"

namespace testsupport {

booted::booted(boot_options opt) : lines_(std::make_shared<std::vector<std::string>>()) {
  kern::boot_config cfg;
  cfg.mode = opt.mode;
  cfg.seed = opt.seed;
  cfg.data_seed = opt.data_seed;
  cfg.kenv = opt.kenv;
  cfg.modules = opt.modules;
  auto lines = lines_;
  cfg.console_sink = [lines](const std::string &l) { lines->push_back(l); };
  k_ = std::make_unique<kern::kernel>(cfg);
  k_->boot();
}

booted::~booted() {
  if (!k_->stopped()) k_->shutdown();
}

bool booted::run(std::function<void()> fn, const std::string &name) {
  kern::thread *t = k_->run(name, std::move(fn));
  bool done = t->finished();
  k_->reap(t);
  return done;
}

bool booted::console_has(const std::string &needle) const {
  for (const auto &l : *lines_)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace testsupport
