// sim/media/write_log.h — every write the disks complete, in order.
//
// Like Linux's dm-log-writes: each write (or delete, or flush) a media
// completes gets a record with a global sequence number, the media and the
// device it came through, offset, length, a content hash (sim/media/hash.h, 64 bits, of
// the data; of zeros for a delete), the boot and simulated time, and the
// simulated thread that started the request. The log belongs to the
// machine, so it spans reboots.
//
// A record also says what became of the data (its fate): durable, still in
// a volatile write cache, or — after a power cut — lost or torn. A write
// that was in flight when the power was cut never completed; it is added
// at the cut, flagged in_flight, so that the report can name it too.
//
// Thread safe. Output is deterministic: nothing in it depends on the host.
#pragma once

#include <cstdint>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

#include "sim/media/io.h"

namespace sim {

enum class write_fate : uint8_t {
  durable,  // on stable media (completed write-through, flushed, destaged)
  cached,   // completed into a volatile write cache, not flushed yet
  lost,     // none of it is on stable media
  torn,     // only the first `landed` sectors reached stable media
};
const char *write_fate_name(write_fate f);

struct write_record {
  uint64_t seq = 0;
  int boot = 0;
  int64_t time_ns = 0;
  std::string media;   // "ada0", "md0", "/images/disk.img"
  std::string device;  // the device it came through ("md0"), may equal media
  io_op op = io_op::write;
  int64_t offset = 0;
  int64_t length = 0;
  uint64_t hash = 0;
  int tid = 0;
  std::string thread;
  bool fua = false;        // had to be durable on completion
  bool in_flight = false;  // had not completed when the power was cut
  bool by_cut = false;     // the fate was decided by a power cut
  write_fate fate = write_fate::durable;
  uint32_t sectors = 0;    // length in the media's sectors
  uint32_t landed = 0;     // torn: sectors that reached stable media

  // One line, e.g.
  // "#7 boot=1 t=0.000120000 ada0 WRITE off=8192 len=4096 hash=0123456789abcdef thread=dd[100004] durable"
  std::string to_string() const;
};

// What one power cut did.
struct power_loss_report {
  int boot = 0;
  int64_t time_ns = 0;
  std::string reason;               // "after write #12 (trigger 1: ...)"
  std::vector<uint64_t> affected;   // seqs whose fate the cut decided
  std::vector<uint64_t> lost;       // lost (completed or in flight)
  std::vector<uint64_t> torn;
  std::vector<uint64_t> survived;   // were cached, reached stable media
  // Header line plus one line per affected record (needs the log).
  std::string to_string(const class write_log &log) const;
};

class write_log {
 public:
  // Appends r (its seq is assigned) and returns the seq.
  uint64_t append(write_record r);
  void set_fate(uint64_t seq, write_fate f, uint32_t landed, bool by_cut);

  uint64_t last_seq() const;
  bool get(uint64_t seq, write_record &out) const;
  std::vector<write_record> records() const;
  // Records with seq > after, optionally only one media's.
  std::vector<write_record> since(uint64_t after, const std::string &media = "") const;
  // One line per record (since `after`), then nothing else.
  std::string dump(uint64_t after = 0) const;

  void add_report(power_loss_report r);
  std::vector<power_loss_report> reports() const;

  // The machine tells the log which boot is running and the clock.
  void set_boot(int boot);
  int boot() const;

  void clear();

 private:
  mutable kern::host_mutex mu_;
  std::vector<write_record> records_;  // records_[seq - 1]
  std::vector<power_loss_report> reports_;
  int boot_ = 0;
};

}  // namespace sim
