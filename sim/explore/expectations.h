// sim/explore/expectations.h — what each device must, and may, read after
// a power cut.
//
// A write a program made to a device is DURABLE at the cut when it was
// acknowledged before the cut and every media write it caused had
// reached stable media before the cut (write-through: completed; write
// back: destaged, by a flush or the cache overflowing; FUA: completed).
// A write to a device that lives in kernel memory (md malloc) never is.
// Durability is the physical truth, not the promise of a flush: a class
// that loses such a write on recovery lost data that was on the disks.
//
// For every sector some write started before the cut:
//  * if a durable write covers it, it must read the last durable write's
//    data, or the data of a write that started after that one (which may
//    have landed in whole or in part);
//  * otherwise it may read what any of those writes wrote, or zeros, or
//    what it held before the workload (unknown here) — but not data the
//    workload wrote only somewhere else: that is data misplaced;
//  * a region whose contents became unknown (a trim, a failed write, md
//    resized) is not checked from then on, unless a later durable write
//    covers it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/explore/recording.h"

namespace sim::explore {

struct sector_expectation {
  int64_t sector = 0;
  bool unknown = false;     // anything may be there
  int required = -1;        // device write whose data must be there (or a later one's), -1 none
  uint32_t allowed_from = 0, allowed_count = 0;  // in device_expectations::allowed
};

struct device_expectations {
  std::string device;
  uint32_t sectorsize = 512;
  std::vector<sector_expectation> sectors;  // by sector number
  std::vector<uint64_t> allowed;            // content hashes
  uint64_t durable_sectors = 0;             // sectors with a required value
  // Whether `hash` is what one of the sector's writes wrote (or the
  // sector is unknown). Without a durable write, zeros and the sector's
  // contents from before the workload are fine too: the caller decides.
  bool allows(const sector_expectation &s, uint64_t hash) const;
};

struct expectations {
  std::vector<device_expectations> devices;  // by device name
  // Where the workload wrote each content hash first (zeros excluded):
  // data read where it was never written is data misplaced.
  struct place {
    std::string device;
    int64_t sector;
  };
  std::unordered_map<uint64_t, place> written_at;
  // Whether the device write was durable at the cut.
  std::vector<bool> durable;
};

// The expectations after a cut that comes right after the first `after`
// events of the recording.
expectations expectations_at(const recording &rec, size_t after);

// The content hash of a sector of zeros.
uint64_t zero_sector_hash(uint32_t sectorsize);

}  // namespace sim::explore
