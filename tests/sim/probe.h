// tests/sim/probe.h — a consumer that keeps many bios in flight and counts
// how each one completes.
//
// Class PROBE (built in): probe_attach() puts a consumer on a provider and
// opens it for reading and writing; probe_write()/probe_read() issue bios
// without waiting; probe_wait() sleeps until every issued bio came back.
// Each bio's bio_done is counted, so a bio completed twice or never is
// visible. When the provider is orphaned the probe closes and withers.
// All calls from a simulated thread, except probe_results().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace probe {

int probe_attach(const std::string &provider);
// Issues n requests of len bytes at off, off+len, ... Writes carry the
// byte (fill + i) in request i.
void probe_write(int n, int64_t off, int64_t len, unsigned char fill);
void probe_read(int n, int64_t off, int64_t len);
void probe_flush();
// Sleeps until every issued bio completed (or `max_ns` of simulated time
// passed). True if all came back.
bool probe_wait(int64_t max_ns);
// Drops the access (if not orphaned) and withers the probe.
void probe_detach();

struct probe_results {
  int issued = 0;
  int completed = 0;            // bio_done calls, in total
  std::vector<int> done_count;  // per bio: how many times bio_done ran
  std::vector<int> error;       // per bio: the error it completed with
  std::vector<std::vector<unsigned char>> data;  // reads: what came back
  bool orphaned = false;
};
probe_results probe_get();

}  // namespace probe
