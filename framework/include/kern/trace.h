// kern/trace.h — what the simulated kernel reports to a tracer.
//
// geomsim --trace installs a tracer: the scheduler tells it when a
// simulated thread starts and stops running, and the GEOM framework tells
// it where each bio is (requested, started by the provider, delivered,
// done). Without a tracer the hooks cost one pointer test.
#pragma once

#include <cstdint>

namespace kern {

class thread;

class tracer_hooks {
 public:
  virtual ~tracer_hooks() = default;
  virtual void run_begin(const thread *t) = 0;
  virtual void run_end(const thread *t) = 0;
  // phase: "request", "start", "deliver", "done". `provider` is the
  // name of bio_to at "request" and NULL afterwards: by the time g_up
  // runs the done method the provider may be gone (withered and freed),
  // so the tracer keeps the name it was given.
  virtual void bio(const char *phase, uint64_t id, uint64_t parent, const char *provider,
                   int cmd, int64_t offset, int64_t length, int error) = 0;
};

extern tracer_hooks *g_tracer;

}  // namespace kern
