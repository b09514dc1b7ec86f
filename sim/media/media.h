// sim/media/media.h — a disk's storage as the hardware sees it.
//
// A media is sector-addressed storage of a fixed size (sectors of 512 or
// 4096 bytes) kept in a store (sim/media/store.h): sparse memory, or a raw
// image file on the host. On top of the store it models what matters when
// the power goes:
//
//  * a request reaches the media (begin_write) and later completes
//    (finish_write); in between it is in flight, and a power cut loses it
//    or tears it at sector granularity;
//  * the cache model: write-through (a completed write is on stable media)
//    or write-back (a completed write sits in a volatile cache until a
//    flush, a FUA write, or the cache overflowing destages it);
//  * presence: a pulled disk answers ENXIO and nothing reaches it.
//
// Every completed write, delete and flush is appended to the machine's
// write log, and every request is shown to the power domain, whose
// triggers may cut the power or pull a disk right there. Those callbacks
// may not return when they run in a simulated thread: the kernel stops
// and the thread unwinds (so callers hold no lock around a media call).
//
// Errors are FreeBSD errno values: ENXIO (pulled), EIO (no power, out of
// range, host I/O error), EROFS (read-only image), EOPNOTSUPP (flush or
// delete not supported). Thread safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

#include "kern/prng.h"
#include "sim/media/io.h"
#include "sim/media/store.h"
#include "sim/media/write_log.h"

namespace sim {

class power;

enum class cache_model { write_through, write_back };
const char *cache_model_name(cache_model m);

// How a power cut decides the fate of writes it catches.
enum class loss_policy {
  seeded,    // each write: lost, torn or kept, chosen by the seeded prng
  lose_all,  // the worst case: every unflushed or in-flight write is lost
  keep_all,  // the best case: they all reach stable media
};

// A write a power cut caught, as a loss_decider sees it: completed into a
// volatile cache (seq: its write log number) or in flight (seq 0;
// in_flight_index: its place among the media's writes in flight, from 1,
// in arrival order).
struct caught_write {
  const std::string *media = nullptr;
  uint64_t seq = 0;
  int in_flight_index = 0;
  uint32_t sectors = 0;
};

// Decides the fate of each write a power cut catches: how many of its
// first sectors reach stable media (0: lost; all: landed; between: torn).
class loss_decider {
 public:
  virtual ~loss_decider() = default;
  virtual uint32_t landed(const caught_write &w) = 0;
};

// The decider of a loss_policy: seeded draws from `rng` (power.h says how).
class policy_decider final : public loss_decider {
 public:
  policy_decider(kern::prng &rng, loss_policy policy) : rng_(rng), policy_(policy) {}
  uint32_t landed(const caught_write &w) override;

 private:
  kern::prng &rng_;
  loss_policy policy_;
};

class media;

// What geomsim explore's recorder (sim/explore/recording.h) learns from a
// media: every change to its stable contents and every step of a write,
// in the order they happen, called with the media's lock held (so an
// observer must not call back into the media).
class media_observer {
 public:
  virtual ~media_observer() = default;
  // Bytes reached stable media (data == nullptr: zeros): a write-through
  // or FUA write completing, a cached write destaged, a write a power cut
  // let land (all or a prefix), a host write (ticket 0; otherwise the
  // write whose data it is).
  virtual void stored(const media &m, uint64_t ticket, int64_t off, const void *data,
                      size_t len) = 0;
  // A write or delete reached the media and is in flight (data == nullptr
  // for a delete).
  virtual void arrived(const media &m, uint64_t ticket, io_op op, int64_t off, size_t len,
                       const void *data, bool fua) = 0;
  // It completed, logged as `seq`: durable, or held in the write cache.
  virtual void completed(const media &m, uint64_t ticket, uint64_t seq, bool cached) = 0;
  // A cached write reached stable media (its `stored` came just before).
  virtual void destaged(const media &m, uint64_t ticket) = 0;
  // A write in flight or in the cache is gone: lost, or a power cut
  // decided its fate (its `stored`, if any of it landed, came before).
  virtual void dropped(const media &m, uint64_t ticket) = 0;
  // A FLUSH completed, logged as `seq` (the destages it caused came before).
  virtual void flushed(const media &m, uint64_t seq) = 0;
};

struct media_config {
  uint32_t sector_size = 512;
  cache_model cache = cache_model::write_through;
  bool flush_supported = true;    // false: FLUSH fails with EOPNOTSUPP
  bool delete_supported = true;   // GEOM::candelete; false: EOPNOTSUPP
  bool persistent = true;         // false: kernel memory (md malloc), gone at a cut
  bool read_only = false;         // writes fail with EROFS
  int64_t latency_ns = 0;         // simulated service time of a request
  uint64_t cache_limit = 32ull << 20;  // write-back: bytes held before destaging
};

class media {
 public:
  // Sparse memory of `size` bytes (rounded down to whole sectors).
  static std::shared_ptr<media> memory(int64_t size, media_config cfg = {});
  // An existing raw image on the host; its size is the file's, rounded
  // down to whole sectors (the tail is never touched). cfg.read_only opens
  // it read-only. nullptr and a message naming the file if it cannot.
  static std::shared_ptr<media> open_image(const std::string &host_path, media_config cfg,
                                           std::string *error);
  // The same, copy-on-write: the file is opened read-only and writes stay
  // in memory (sim/media/overlay_store.h); the media is writable.
  static std::shared_ptr<media> open_image_cow(const std::string &host_path, media_config cfg,
                                               std::string *error);
  // A new raw image on the host, sparse; fails if the file exists.
  static std::shared_ptr<media> create_image(const std::string &host_path, int64_t size,
                                             media_config cfg, std::string *error);

  media(std::shared_ptr<store> st, int64_t size, media_config cfg);
  media(const media &) = delete;
  media &operator=(const media &) = delete;

  // The name in the write log and in triggers ("ada0", "md0", a path).
  const std::string &name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  int64_t size() const { return size_.load(); }
  // md(4)'s MDIOCRESIZE of a memory media: the cache is destaged, bytes
  // past a smaller size are gone (growing again reads zeros there).
  // Rounds down to whole sectors; EOPNOTSUPP for a host image.
  int resize(int64_t size);
  uint32_t sector_size() const { return cfg_.sector_size; }
  const media_config &config() const { return cfg_; }
  // Changing to write-through destages the cache first.
  void set_cache_model(cache_model m);
  void set_latency(int64_t ns) { cfg_.latency_ns = ns; }
  void set_flush_supported(bool on) { cfg_.flush_supported = on; }
  // The host path of an image file, or "".
  std::string host_path() const;

  // Where completed writes are logged and requests are shown (either may
  // be null: a media on its own, in a unit test).
  void connect(write_log *log, power *pw);
  // Who hears of every write's steps (null: nobody).
  void set_observer(media_observer *obs);
  // The store under the media (explore shares it with the crash states it
  // builds; nobody else writes it).
  const std::shared_ptr<store> &backing_store() const { return store_; }
  power *power_domain() const { return power_; }

  // A pulled disk: every request fails with ENXIO, writes in flight are
  // lost. Plugging it back in (true) makes it answer again.
  void set_present(bool present) { present_.store(present); }
  bool present() const { return present_.load(); }

  // --- requests, as a disk controller performs them ---------------------
  int read(int64_t off, void *buf, size_t len, const io_origin &who);
  // A write (data != nullptr) or a delete (op == io_op::del, data
  // ignored) reaches the media: returns a ticket (> 0) or 0 with *error.
  // `fua`: durable on completion whatever the cache model.
  uint64_t begin_write(io_op op, int64_t off, size_t len, const void *data, bool fua,
                       const io_origin &who, int *error);
  // The data lands and the write completes: logged, durable or cached.
  int finish_write(uint64_t ticket);
  // begin_write + finish_write.
  int write(io_op op, int64_t off, size_t len, const void *data, bool fua,
            const io_origin &who);
  // Destages the cache; logged as a FLUSH record.
  int flush(const io_origin &who);

  // --- the host's view, for setting up and checking ---------------------
  // No log, no triggers, no power, no presence check.
  // What a read would return now (cache included).
  int host_read(int64_t off, void *buf, size_t len);
  // Only what is on stable media.
  int host_read_durable(int64_t off, void *buf, size_t len);
  // Straight to stable media (preparing an image); the cache is
  // destaged first, so this write is the newest.
  int host_write(int64_t off, const void *buf, size_t len);
  uint64_t allocated_bytes() const;
  size_t cached_writes() const;
  size_t writes_in_flight() const;

  // --- the machine's side -------------------------------------------------
  // Orderly shutdown: the cache is destaged (logged as a FLUSH by `who`).
  void sync_cache(const io_origin &who);
  // The kernel stopped (halt, panic) while writes were on their way, but
  // the power stayed on: the drive finishes them (logged, no triggers).
  void complete_in_flight();
  // The power is cut: decides the fate of every write in flight and in
  // the cache, puts the survivors on stable media, and records it all in
  // the log and in `report`. A non-persistent media loses everything.
  void lose_power(loss_decider &decide, power_loss_report &report);

 private:
  struct pending {
    uint64_t ticket = 0;
    uint64_t seq = 0;  // once completed
    io_op op = io_op::write;
    int64_t off = 0;
    size_t len = 0;
    std::vector<unsigned char> data;  // empty for a delete
    bool fua = false;
    io_origin who;
  };

  int check_locked(io_op op, int64_t off, size_t len) const;
  // Lands a write that reached the media: logged, durable or cached.
  int complete_locked(pending &p, io_event &done);
  // Puts the first `sectors` sectors of p on stable media.
  int apply_locked(const pending &p, uint64_t sectors);
  void destage_locked(size_t keep_bytes);
  void overlay_cache_locked(int64_t off, void *buf, size_t len) const;
  write_record record_for(const pending &p) const;
  uint32_t sectors_of(const pending &p) const;
  uint64_t log_append_locked(write_record r);
  // Logs a write that was in flight as lost; returns its sequence number.
  uint64_t log_lost_in_flight_locked(const pending &p);
  // Keeps p's data buffer for reuse by a later write.
  void recycle_locked(pending &p);
  void show_arrival(const io_event &e);
  void show_completion(const io_event &e);

  std::shared_ptr<store> store_;
  std::atomic<int64_t> size_;  // changes only by resize()
  media_config cfg_;
  std::string name_;
  write_log *log_ = nullptr;
  power *power_ = nullptr;
  media_observer *observer_ = nullptr;
  std::atomic<bool> present_{true};

  mutable kern::host_mutex mu_;
  uint64_t next_ticket_ = 1;
  std::vector<pending> inflight_;  // ticket order (= arrival order); a few at most
  // Data buffers of completed writes, reused by the next ones (a 4 KiB
  // write would otherwise allocate and free its copy every time).
  std::vector<std::vector<unsigned char>> spare_data_;
  static constexpr size_t kSpareBuffers = 8;
  static constexpr size_t kSpareDataMax = 64 << 10;
  std::deque<pending> cache_;  // completion order
  uint64_t cache_bytes_ = 0;
  std::vector<uint64_t> volatile_seqs_;  // non-persistent media: its records
};

}  // namespace sim
