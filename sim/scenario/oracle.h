// sim/scenario/oracle.h — what every device should read back.
//
// Programs that write to a device through /dev (dd) tell the oracle what
// was acknowledged: a write that returned success is recorded sector by
// sector (a 64-bit hash of each sector's content); a write that failed
// makes the sectors it covered unknown (part of it may have landed). The
// oracle is the simulator's memory of acknowledged data, per device path,
// kept across reboots, so a scenario can check that nothing acknowledged
// was lost, or report exactly what was.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

namespace sim {

// Who hears of every write a program makes to a device (geomsim explore's
// recording), from the writing thread.
class device_write_observer {
 public:
  virtual ~device_write_observer() = default;
  // A write of `len` bytes at `off` is about to be made.
  virtual void write_started(const std::string &dev, int64_t off, const void *data, size_t len,
                             unsigned sectorsize) = 0;
  // It returned: `done` bytes acknowledged, or it failed. Without a write
  // started by this thread, [off, off + done) becomes unknown (a trim).
  virtual void write_ended(const std::string &dev, int64_t off, size_t done, bool acked) = 0;
  // What [off, off + len) reads is unknown from now on (len < 0: to the
  // device's end).
  virtual void region_unknown(const std::string &dev, int64_t off, int64_t len) = 0;
};

class oracle {
 public:
  // The oracle of the running scenario (programs record into it), or null.
  static oracle *current();
  static void set_current(oracle *o);

  // A program is about to write (before the system call).
  void write_started(const std::string &dev, int64_t offset, const void *data, size_t len,
                     unsigned sectorsize);
  void record_write(const std::string &dev, int64_t offset, const void *data, size_t len,
                    unsigned sectorsize);
  void record_failed_write(const std::string &dev, int64_t offset, size_t len,
                           unsigned sectorsize);
  void forget(const std::string &dev);
  // The device now ends at `size` bytes (mdconfig -r): sectors past it
  // are gone; if it grows again they read as zeros, not as written.
  void truncate(const std::string &dev, int64_t size);

  struct mismatch {
    int64_t offset;  // first differing byte range, in sectors' bytes
    int64_t length;
  };
  struct check_result {
    uint64_t sectors_checked = 0;
    uint64_t sectors_bad = 0;
    std::vector<mismatch> bad;  // coalesced ranges
    int error = 0;              // FreeBSD errno if the device could not be read
  };
  // Reads the device back (from a simulated userland thread) and compares
  // every recorded sector in [offset, offset + length) (length < 0: all).
  check_result check(const std::string &dev, int64_t offset, int64_t length);

  bool knows(const std::string &dev) const;
  // Who else hears of device writes (null: nobody).
  void set_observer(device_write_observer *o) { observer_ = o; }
  std::vector<std::string> devices() const;
  static uint64_t hash(const void *data, size_t len);

 private:
  struct device {
    unsigned sectorsize = 512;
    std::map<int64_t, uint64_t> sectors;  // sector number -> content hash
  };
  mutable kern::host_mutex mu_;
  std::map<std::string, device> devs_;
  device_write_observer *observer_ = nullptr;
};

}  // namespace sim
