// Disk media: stores, in-flight writes, the write cache, power loss. See
// sim/media/media.h.
#include "sim/media/media.h"

#include <algorithm>
#include <cstring>

#include "kern/bsd_errno.h"
#include "kern/sched.h"
#include "sim/media/hash.h"
#include "sim/media/overlay_store.h"
#include "sim/media/power.h"

namespace sim {

const char *cache_model_name(cache_model m) {
  return m == cache_model::write_back ? "write-back" : "write-through";
}

namespace {
int64_t now_ns() {
  kern::scheduler *s = kern::current_scheduler();
  return s != nullptr ? s->now() : 0;
}

int64_t whole_sectors(int64_t size, uint32_t sector) { return size - size % (int64_t)sector; }
}  // namespace

std::shared_ptr<media> media::memory(int64_t size, media_config cfg) {
  int64_t s = whole_sectors(size, cfg.sector_size);
  return std::make_shared<media>(std::make_unique<sparse_store>(s), s, cfg);
}

std::shared_ptr<media> media::open_image(const std::string &host_path, media_config cfg,
                                         std::string *error) {
  auto st = image_file_store::open(host_path, cfg.read_only, error);
  if (st == nullptr) return nullptr;
  int64_t s = whole_sectors(st->size(), cfg.sector_size);
  if (s == 0) {
    if (error) *error = "image file '" + host_path + "' is smaller than one sector";
    return nullptr;
  }
  auto m = std::make_shared<media>(std::move(st), s, cfg);
  m->set_name(host_path);
  return m;
}

std::shared_ptr<media> media::open_image_cow(const std::string &host_path, media_config cfg,
                                            std::string *error) {
  std::shared_ptr<store> file = image_file_store::open(host_path, true, error);
  if (file == nullptr) return nullptr;
  int64_t s = whole_sectors(file->size(), cfg.sector_size);
  if (s == 0) {
    if (error) *error = "image file '" + host_path + "' is smaller than one sector";
    return nullptr;
  }
  cfg.read_only = false;
  auto m = std::make_shared<media>(std::make_shared<overlay_store>(file, s), s, cfg);
  m->set_name(host_path);
  return m;
}

std::shared_ptr<media> media::create_image(const std::string &host_path, int64_t size,
                                           media_config cfg, std::string *error) {
  int64_t s = whole_sectors(size, cfg.sector_size);
  if (s <= 0) {
    if (error) *error = "image size must be at least one sector";
    return nullptr;
  }
  auto st = image_file_store::create(host_path, s, error);
  if (st == nullptr) return nullptr;
  cfg.read_only = false;
  auto m = std::make_shared<media>(std::move(st), s, cfg);
  m->set_name(host_path);
  return m;
}

media::media(std::shared_ptr<store> st, int64_t size, media_config cfg)
    : store_(std::move(st)), size_(size), cfg_(cfg) {
  if (!store_->writable()) cfg_.read_only = true;
}

std::string media::host_path() const {
  auto *f = dynamic_cast<const image_file_store *>(store_.get());
  return f != nullptr ? f->path() : "";
}

void media::connect(write_log *log, power *pw) {
  std::lock_guard<kern::host_mutex> g(mu_);
  log_ = log;
  power_ = pw;
}

void media::set_observer(media_observer *obs) {
  std::lock_guard<kern::host_mutex> g(mu_);
  observer_ = obs;
}

void media::set_cache_model(cache_model m) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (m == cache_model::write_through) destage_locked(0);
  cfg_.cache = m;
}

// ------------------------------------------------------------ helpers

int media::check_locked(io_op op, int64_t off, size_t len) const {
  if (!present_.load()) return kern::B_ENXIO;
  if (power_ != nullptr && !power_->on()) return kern::B_EIO;
  if (op == io_op::flush) return cfg_.flush_supported ? 0 : kern::B_EOPNOTSUPP;
  if (op == io_op::del && !cfg_.delete_supported) return kern::B_EOPNOTSUPP;
  if (off < 0 || off % cfg_.sector_size != 0 || len % cfg_.sector_size != 0) return kern::B_EINVAL;
  if (off > size_ || (int64_t)len > size_ - off) return kern::B_EIO;
  if (op != io_op::read && cfg_.read_only) return kern::B_EROFS;
  return 0;
}

uint32_t media::sectors_of(const pending &p) const {
  return (uint32_t)(p.len / cfg_.sector_size);
}

int media::apply_locked(const pending &p, uint64_t sectors) {
  size_t n = (size_t)std::min<uint64_t>(sectors * cfg_.sector_size, p.len);
  if (n == 0) return 0;
  const void *data = p.op == io_op::del ? nullptr : p.data.data();
  int error = data == nullptr ? store_->zero(p.off, n) : store_->write(p.off, data, n);
  if (error == 0 && observer_ != nullptr) observer_->stored(*this, p.ticket, p.off, data, n);
  return error;
}

void media::overlay_cache_locked(int64_t off, void *buf, size_t len) const {
  unsigned char *out = static_cast<unsigned char *>(buf);
  const int64_t end = off + (int64_t)len;
  for (const pending &p : cache_) {  // oldest first: the newest wins
    const int64_t pend = p.off + (int64_t)p.len;
    if (pend <= off || p.off >= end) continue;
    const int64_t from = std::max(off, p.off), to = std::min(end, pend);
    if (p.op == io_op::del) std::memset(out + (from - off), 0, (size_t)(to - from));
    else std::memcpy(out + (from - off), p.data.data() + (from - p.off), (size_t)(to - from));
  }
}

void media::destage_locked(size_t keep_bytes) {
  while (!cache_.empty() && cache_bytes_ > keep_bytes) {
    pending &p = cache_.front();
    apply_locked(p, sectors_of(p));
    if (log_ != nullptr) log_->set_fate(p.seq, write_fate::durable, sectors_of(p), false);
    if (observer_ != nullptr) observer_->destaged(*this, p.ticket);
    cache_bytes_ -= p.len;
    cache_.pop_front();
  }
}

write_record media::record_for(const pending &p) const {
  write_record r;
  r.time_ns = now_ns();
  r.media = name_;
  r.device = p.who.device.empty() ? name_ : p.who.device;
  r.op = p.op;
  r.offset = p.off;
  r.length = (int64_t)p.len;
  if (p.op == io_op::del) r.hash = content_hash_zeros(p.len);
  else if (p.op == io_op::write) r.hash = content_hash(p.data.data(), p.len);
  r.tid = p.who.tid;
  r.thread = p.who.thread;
  r.fua = p.fua;
  r.sectors = sectors_of(p);
  return r;
}

uint64_t media::log_append_locked(write_record r) {
  if (log_ == nullptr) return 0;
  uint64_t seq = log_->append(std::move(r));
  if (!cfg_.persistent) volatile_seqs_.push_back(seq);
  return seq;
}

void media::recycle_locked(pending &p) {
  // A write-back write moved its data into the cache: nothing to keep.
  // Large buffers go back to the host's allocator, which reuses them
  // better: kept here, a small write would take one and the next large
  // write would get fresh pages (the basic scenario's 1 MB writes did).
  if (p.data.capacity() == 0 || p.data.capacity() > kSpareDataMax ||
      spare_data_.size() >= kSpareBuffers)
    return;
  spare_data_.push_back(std::move(p.data));
}

void media::show_arrival(const io_event &e) {
  if (power_ != nullptr) power_->io_arrived(e);
}

void media::show_completion(const io_event &e) {
  if (power_ != nullptr) power_->io_completed(e);
}

// ----------------------------------------------------------- requests

int media::read(int64_t off, void *buf, size_t len, const io_origin &who) {
  show_arrival({name_, who.device.empty() ? name_ : who.device, io_op::read, off, (int64_t)len, 0});
  std::lock_guard<kern::host_mutex> g(mu_);
  int error = check_locked(io_op::read, off, len);
  if (error != 0) return error;
  error = store_->read(off, buf, len);
  if (error == 0) overlay_cache_locked(off, buf, len);
  return error;
}

uint64_t media::begin_write(io_op op, int64_t off, size_t len, const void *data, bool fua,
                            const io_origin &who, int *error) {
  uint64_t ticket;
  std::string device;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    int e = check_locked(op, off, len);
    if (e != 0) {
      *error = e;
      return 0;
    }
    ticket = next_ticket_++;
    // Built in place: the data is copied once, when it reaches the media.
    pending &p = inflight_.emplace_back();
    p.ticket = ticket;
    p.op = op;
    p.off = off;
    p.len = len;
    if (op == io_op::write) {
      const unsigned char *d = static_cast<const unsigned char *>(data);
      if (!spare_data_.empty()) {
        p.data = std::move(spare_data_.back());
        spare_data_.pop_back();
      }
      p.data.assign(d, d + len);
    }
    p.fua = fua;
    p.who = who;
    if (p.who.device.empty()) p.who.device = name_;
    device = p.who.device;
    if (observer_ != nullptr)
      observer_->arrived(*this, ticket, op, off, len, op == io_op::write ? p.data.data() : nullptr,
                         fua);
  }
  // The request has reached the media: a trigger may cut the power (the
  // write is then in flight) or pull the disk.
  show_arrival({name_, device, op, off, (int64_t)len, 0});
  *error = 0;
  return ticket;
}

uint64_t media::log_lost_in_flight_locked(const pending &p) {
  write_record r = record_for(p);
  r.in_flight = true;
  r.fate = write_fate::lost;
  if (observer_ != nullptr) observer_->dropped(*this, p.ticket);
  return log_append_locked(std::move(r));
}

int media::complete_locked(pending &p, io_event &done) {
  write_record r = record_for(p);
  if (cfg_.cache == cache_model::write_through || p.fua) {
    int error = apply_locked(p, sectors_of(p));
    if (error != 0) return error;
    r.fate = write_fate::durable;
    p.seq = log_append_locked(std::move(r));
    if (observer_ != nullptr) observer_->completed(*this, p.ticket, p.seq, false);
  } else {
    r.fate = write_fate::cached;
    p.seq = log_append_locked(std::move(r));
    if (observer_ != nullptr) observer_->completed(*this, p.ticket, p.seq, true);
    cache_bytes_ += p.len;
    done = {name_, p.who.device, p.op, p.off, (int64_t)p.len, p.seq};
    cache_.push_back(std::move(p));
    destage_locked(cfg_.cache_limit);
    return 0;
  }
  done = {name_, p.who.device, p.op, p.off, (int64_t)p.len, p.seq};
  return 0;
}

int media::finish_write(uint64_t ticket) {
  io_event done;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    auto it = std::find_if(inflight_.begin(), inflight_.end(),
                           [ticket](const pending &q) { return q.ticket == ticket; });
    if (it == inflight_.end()) return kern::B_EIO;  // decided by a power cut
    pending p = std::move(*it);
    inflight_.erase(it);
    if (!present_.load()) {
      // Pulled while the write was on its way: nothing of it landed.
      log_lost_in_flight_locked(p);
      return kern::B_ENXIO;
    }
    if (power_ != nullptr && !power_->on()) return kern::B_EIO;
    // The media shrank (resize) while the write was on its way: the
    // sectors it was for are gone.
    if (p.off + (int64_t)p.len > size_.load()) {
      log_lost_in_flight_locked(p);
      return kern::B_EIO;
    }
    int error = complete_locked(p, done);
    recycle_locked(p);
    if (error != 0) return error;
  }
  show_completion(done);
  return 0;
}

void media::complete_in_flight() {
  std::lock_guard<kern::host_mutex> g(mu_);
  for (pending &p : inflight_) {
    io_event ignored;
    if (present_.load() && p.off + (int64_t)p.len <= size_.load()) complete_locked(p, ignored);
  }
  inflight_.clear();
}

int media::write(io_op op, int64_t off, size_t len, const void *data, bool fua,
                 const io_origin &who) {
  int error;
  uint64_t t = begin_write(op, off, len, data, fua, who, &error);
  if (t == 0) return error;
  return finish_write(t);
}

int media::flush(const io_origin &who) {
  const std::string device = who.device.empty() ? name_ : who.device;
  show_arrival({name_, device, io_op::flush, size_, 0, 0});
  io_event done;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    int error = check_locked(io_op::flush, 0, 0);
    if (error != 0) return error;
    destage_locked(0);
    error = store_->sync();
    if (error != 0) return error;
    write_record r;
    r.time_ns = now_ns();
    r.media = name_;
    r.device = device;
    r.op = io_op::flush;
    r.offset = size_;
    r.tid = who.tid;
    r.thread = who.thread;
    r.fate = write_fate::durable;
    uint64_t seq = log_append_locked(std::move(r));
    if (observer_ != nullptr) observer_->flushed(*this, seq);
    done = {name_, device, io_op::flush, size_, 0, seq};
  }
  show_completion(done);
  return 0;
}

// -------------------------------------------------------- host access

int media::host_read(int64_t off, void *buf, size_t len) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (off < 0 || off > size_ || (int64_t)len > size_ - off) return kern::B_EIO;
  int error = store_->read(off, buf, len);
  if (error == 0) overlay_cache_locked(off, buf, len);
  return error;
}

int media::host_read_durable(int64_t off, void *buf, size_t len) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (off < 0 || off > size_ || (int64_t)len > size_ - off) return kern::B_EIO;
  return store_->read(off, buf, len);
}

int media::host_write(int64_t off, const void *buf, size_t len) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (off < 0 || off > size_ || (int64_t)len > size_ - off) return kern::B_EIO;
  if (!store_->writable()) return kern::B_EROFS;
  // Whatever the cache holds is older than this write: it lands first.
  destage_locked(0);
  int error = store_->write(off, buf, len);
  if (error == 0 && observer_ != nullptr) observer_->stored(*this, 0, off, buf, len);
  return error;
}

int media::resize(int64_t size) {
  std::lock_guard<kern::host_mutex> g(mu_);
  size -= size % cfg_.sector_size;
  if (size <= 0) return kern::B_EINVAL;
  // Cached writes land first: past a smaller size they are dropped with
  // everything else there.
  destage_locked(0);
  if (!store_->resize(size)) return kern::B_EOPNOTSUPP;
  size_.store(size);
  return 0;
}

uint64_t media::allocated_bytes() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return store_->allocated_bytes() + cache_bytes_;
}

size_t media::cached_writes() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return cache_.size();
}

size_t media::writes_in_flight() const {
  std::lock_guard<kern::host_mutex> g(mu_);
  return inflight_.size();
}

// ------------------------------------------------------ machine's side

void media::sync_cache(const io_origin &who) {
  // Not a request: no trigger sees it (the kernel is already down).
  std::lock_guard<kern::host_mutex> g(mu_);
  bool had = !cache_.empty();
  destage_locked(0);
  store_->sync();
  if (!had) return;
  write_record r;
  r.time_ns = now_ns();
  r.media = name_;
  r.device = who.device.empty() ? name_ : who.device;
  r.op = io_op::flush;
  r.offset = size_;
  r.tid = who.tid;
  r.thread = who.thread;
  r.fate = write_fate::durable;
  log_append_locked(std::move(r));
}

uint32_t policy_decider::landed(const caught_write &w) {
  const uint32_t sectors = w.sectors;
  if (policy_ == loss_policy::lose_all || sectors == 0) return 0;
  if (policy_ == loss_policy::keep_all) return sectors;
  if (sectors == 1) return (uint32_t)rng_.below(2);  // lost or landed
  switch (rng_.below(3)) {
    case 0: return 0;                                          // lost
    case 1: return 1 + (uint32_t)rng_.below(sectors - 1);      // torn
    default: return sectors;                                   // landed
  }
}

void media::lose_power(loss_decider &decider, power_loss_report &report) {
  std::lock_guard<kern::host_mutex> g(mu_);
  // What happens to a write caught by the cut: how many of its sectors
  // reach stable media (a prefix: a disk writes a request's sectors in
  // order).
  auto decide = [&](uint64_t seq, int in_flight_index, uint32_t sectors) -> uint32_t {
    caught_write w;
    w.media = &name_;
    w.seq = seq;
    w.in_flight_index = in_flight_index;
    w.sectors = sectors;
    return std::min(decider.landed(w), sectors);
  };
  auto note = [&](uint64_t seq, uint32_t landed, uint32_t sectors) {
    if (seq == 0) return;
    write_fate f = landed == 0 ? write_fate::lost
                   : landed < sectors ? write_fate::torn
                                      : write_fate::durable;
    if (log_ != nullptr) log_->set_fate(seq, f, landed, true);
    report.affected.push_back(seq);
    if (f == write_fate::lost) report.lost.push_back(seq);
    else if (f == write_fate::torn) report.torn.push_back(seq);
    else report.survived.push_back(seq);
  };

  if (!cfg_.persistent) {
    // Kernel memory: whatever was written is gone with the kernel.
    for (pending &p : inflight_) {
      log_lost_in_flight_locked(p);  // joins volatile_seqs_
    }
    for (uint64_t seq : volatile_seqs_) note(seq, 0, 1);
    volatile_seqs_.clear();
    inflight_.clear();
    if (observer_ != nullptr)
      for (pending &p : cache_) observer_->dropped(*this, p.ticket);
    cache_.clear();
    cache_bytes_ = 0;
    return;
  }

  // Unflushed writes first (they completed before anything in flight),
  // in completion order, so that among the survivors the newest wins.
  for (pending &p : cache_) {
    uint32_t n = sectors_of(p);
    uint32_t landed = decide(p.seq, 0, n);
    apply_locked(p, landed);
    if (observer_ != nullptr) observer_->dropped(*this, p.ticket);
    note(p.seq, landed, n);
  }
  cache_.clear();
  cache_bytes_ = 0;
  int index = 0;
  for (pending &p : inflight_) {  // ticket order: arrival order
    uint32_t n = sectors_of(p);
    uint32_t landed = decide(0, ++index, n);
    apply_locked(p, landed);
    uint64_t seq = log_lost_in_flight_locked(p);
    note(seq, landed, n);
  }
  inflight_.clear();
  store_->sync();
}

}  // namespace sim
