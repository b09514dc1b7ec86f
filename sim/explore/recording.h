// sim/explore/recording.h — everything a workload did to the machine's
// storage, in order: what geomsim explore builds crash states from.
//
// A recording watches one machine while a script runs on it. It keeps,
// as one sequence of events in the order they happened:
//  * every step of every write a persistent media (a hardware disk, a
//    file) receives: the write reaching the media (with its data), its
//    completion (durable, or held in a write cache), its destaging, its
//    loss; every change to the media's stable contents; every flush;
//  * every write a program makes to a device through /dev (what dd
//    writes to /dev/virstor/vs): when it started, whether it was
//    acknowledged, and which media writes it caused (those its thread
//    issued while it was in progress);
//  * regions whose contents became unknown (trim, a failed write, md
//    resized), and every power cut (a marker, then the cut's own fates).
// Each event notes the script line that was running and the machine's
// setup then (loader settings, disks, files), so a crash state after any
// event can be booted as that machine would boot.
//
// Memory: every byte the workload wrote, once (the stored events refer
// to the write's data), plus a few dozen bytes per event. Nothing grows
// with the number of crash states. Not thread safe: explore records in
// the det scheduler, where one simulated thread runs at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/machine/machine.h"
#include "sim/media/media.h"
#include "sim/scenario/oracle.h"

namespace sim::explore {

// One media of the workload's machine.
struct media_info {
  std::string name;  // "ada0", "/var/tmp/disk.img"
  bool is_file = false;
  int64_t size = 0;
  media_config config;
  // The contents it started with, read only: an empty sparse store, or the
  // host image a copy-on-write media reads through.
  std::shared_ptr<store> initial;
};

// The machine as a boot would find it: loader.conf and the storage.
struct setup {
  std::map<std::string, std::string> kenv;
  std::vector<std::string> modules;
  struct disk {
    std::string name;
    int media = -1;
    bool present = true;
  };
  struct file {
    std::string path;
    int media = -1;
    int64_t length = 0, written = 0;
  };
  std::vector<disk> disks;
  std::vector<file> files;
  bool operator==(const setup &o) const;
};

// One write (or delete) a media received.
struct media_write {
  int media = -1;
  uint64_t ticket = 0;  // the media's own number for it
  io_op op = io_op::write;
  int64_t offset = 0;
  uint32_t length = 0;
  uint32_t sectors = 0;
  bool fua = false;
  int tid = 0;              // the simulated thread that issued it
  int device_write = -1;    // the device write it belongs to, or -1
  uint64_t arrival_nth = 0; // its rank among the media's arrivals of `op`
  size_t data = 0;          // offset of its data in the recording's data
  uint64_t seq = 0;         // write log number once completed
};

// One write a program made to a device node.
struct device_write {
  std::string device;  // "/dev/virstor/vs"
  int64_t offset = 0;
  uint32_t length = 0;
  uint32_t sectorsize = 512;
  int tid = 0;
  int line = -1;                 // script step index that ran it
  std::vector<uint64_t> hashes;  // content hash of each sector written
  size_t started = 0, ended = 0; // event indexes (ended: 0 while running)
  bool acked = false;
  std::vector<int> media_writes;
};

enum class event_kind : uint8_t {
  stored,       // bytes reached stable media
  arrived,      // a media write is in flight
  completed,    // ... completed (cached or durable)
  destaged,     // a cached write reached stable media
  dropped,      // a write in flight or cached is gone
  flushed,      // a FLUSH completed
  cut,          // the power was cut (its fates follow, by_cut)
  dev_started,  // a device write started
  dev_ended,    // ... ended (acknowledged or failed)
  dev_unknown,  // a device region's contents are unknown from now on
};

struct event {
  event_kind kind = event_kind::stored;
  bool by_cut = false;   // a power cut decided it
  bool cached = false;   // completed: into a write cache
  int media = -1;
  int write = -1;        // media write index (arrived .. dropped, stored by a write)
  int device_write = -1; // dev_started, dev_ended, dev_unknown
  uint64_t seq = 0;      // completed, flushed
  int64_t offset = 0;    // stored, dev_unknown
  int64_t length = 0;
  size_t data = 0;       // stored: offset in the recording's data
  bool zeros = false;    // stored: zeros (a delete)
  int line = -1;         // script step index running (-1: none)
  uint32_t setup = 0;    // index of the machine's setup then
  int boots = 0;         // boots the machine had then
};

class recording final : public storage_observer, public device_write_observer {
 public:
  // Watches `m` (and every media it gets later) from now on.
  void attach(machine &m);
  void detach();
  // The script step running from now on (-1: none; the interpreter calls).
  void set_line(int step) { line_ = step; }

  const std::vector<event> &events() const { return events_; }
  const std::vector<media_info> &media() const { return media_; }
  const std::vector<media_write> &writes() const { return writes_; }
  const std::vector<device_write> &device_writes() const { return dev_writes_; }
  const std::vector<setup> &setups() const { return setups_; }
  const unsigned char *data(size_t off) const { return data_.data() + off; }
  // Index of the media named `name`, or -1.
  int media_index(const std::string &name) const;
  // The event index of the last power cut, or events().size() if none.
  size_t last_cut() const;

  // media_observer
  void stored(const sim::media &m, uint64_t ticket, int64_t off, const void *data,
              size_t len) override;
  void arrived(const sim::media &m, uint64_t ticket, io_op op, int64_t off, size_t len,
               const void *data, bool fua) override;
  void completed(const sim::media &m, uint64_t ticket, uint64_t seq, bool cached) override;
  void destaged(const sim::media &m, uint64_t ticket) override;
  void dropped(const sim::media &m, uint64_t ticket) override;
  void flushed(const sim::media &m, uint64_t seq) override;
  // device_write_observer
  void write_started(const std::string &dev, int64_t off, const void *data, size_t len,
                     unsigned sectorsize) override;
  void write_ended(const std::string &dev, int64_t off, size_t done, bool acked) override;
  void region_unknown(const std::string &dev, int64_t off, int64_t len) override;

  // storage_observer
  void media_connected(const std::string &name, const std::shared_ptr<sim::media> &m,
                       bool is_file) override;
  void power_cut() override;

 private:
  event &add(event_kind k, int media);
  int media_of(const sim::media &m) const;
  int write_of(int media, uint64_t ticket) const;
  size_t keep_data(const void *data, size_t len);
  uint32_t current_setup();
  setup snapshot() const;
  bool powered() const;

  machine *machine_ = nullptr;
  int line_ = -1;
  std::vector<event> events_;
  std::vector<media_info> media_;
  // A media's address may be reused once it is gone (md units come and
  // go): the weak pointer tells a live entry from a stale one.
  std::map<const sim::media *, std::pair<std::weak_ptr<sim::media>, int>> media_ids_;
  std::vector<media_write> writes_;
  std::map<std::pair<int, uint64_t>, int> write_ids_;  // (media, ticket) -> write
  std::map<std::pair<int, int>, uint64_t> arrivals_;   // (media, op) -> count
  std::vector<device_write> dev_writes_;
  std::map<int, int> dev_running_;  // tid -> device write in progress
  std::vector<setup> setups_;
  uint64_t setup_version_ = ~0ull;
  std::vector<unsigned char> data_;
  std::vector<size_t> cuts_;
};

}  // namespace sim::explore
