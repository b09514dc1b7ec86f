// sim/scenario/trace.h — geomsim --trace: Chrome trace-event JSON.
//
// One track per simulated thread (slices while it runs), and each bio as
// a flow from its request to its completion, through the provider's start
// and delivery. The file opens in Perfetto (ui.perfetto.dev) or
// chrome://tracing. Timestamps are simulated time in microseconds; events
// at the same simulated instant are spread by a nanosecond each so their
// order shows.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "kern/host_mutex.h"
#include <set>
#include <unordered_map>
#include <string>

#include "kern/trace.h"

namespace sim {

class tracer : public kern::tracer_hooks {
 public:
  // Installs itself as the kernel's tracer.
  explicit tracer(std::string path);
  ~tracer() override;
  // Writes the file and uninstalls (idempotent).
  void close();

  void run_begin(const kern::thread *t) override;
  void run_end(const kern::thread *t) override;
  void bio(const char *phase, uint64_t id, uint64_t parent, const char *provider, int cmd,
           int64_t offset, int64_t length, int error) override;

 private:
  void event(const std::string &json_fields, int tid);
  double ts();
  int current_tid();

  kern::host_mutex mu_;
  std::string path_;
  std::string body_;
  uint64_t seq_ = 0;
  std::set<int> named_;
  std::unordered_map<uint64_t, std::string> bio_to_;  // bio id -> provider, until done
  bool closed_ = false;
};

}  // namespace sim
