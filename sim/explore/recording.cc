// Recording a workload's storage events. See sim/explore/recording.h.
#include "sim/explore/recording.h"

#include <cstring>

#include "kern/sched.h"
#include "sim/media/hash.h"
#include "sim/media/overlay_store.h"

namespace sim::explore {

namespace {

int current_tid() {
  kern::thread *t = kern::scheduler::current();
  return t != nullptr ? t->tid() : 0;
}

}  // namespace

bool setup::operator==(const setup &o) const {
  auto same_disk = [](const disk &a, const disk &b) {
    return a.name == b.name && a.media == b.media && a.present == b.present;
  };
  auto same_file = [](const file &a, const file &b) {
    return a.path == b.path && a.media == b.media && a.length == b.length &&
           a.written == b.written;
  };
  return kenv == o.kenv && modules == o.modules &&
         std::equal(disks.begin(), disks.end(), o.disks.begin(), o.disks.end(), same_disk) &&
         std::equal(files.begin(), files.end(), o.files.begin(), o.files.end(), same_file);
}

// ------------------------------------------------------------ attaching

void recording::attach(machine &m) {
  machine_ = &m;
  m.set_storage_observer(this);
  if (oracle *o = oracle::current()) o->set_observer(this);
}

void recording::detach() {
  if (machine_ != nullptr) machine_->set_storage_observer(nullptr);
  if (oracle *o = oracle::current()) o->set_observer(nullptr);
  machine_ = nullptr;
}

void recording::media_connected(const std::string &name, const std::shared_ptr<sim::media> &m,
                                bool is_file) {
  auto known = media_ids_.find(m.get());
  if (known != media_ids_.end() && !known->second.first.expired()) return;
  media_info info;
  info.name = name;
  info.is_file = is_file;
  info.size = m->size();
  info.config = m->config();
  // A copy-on-write media starts from its base; any other starts empty
  // (the machine connects a media before anything writes it).
  auto *ov = dynamic_cast<overlay_store *>(m->backing_store().get());
  if (ov != nullptr) info.initial = ov->base();
  media_ids_[m.get()] = {m, (int)media_.size()};
  media_.push_back(std::move(info));
}

void recording::power_cut() {
  cuts_.push_back(events_.size());
  add(event_kind::cut, -1);
}

// ------------------------------------------------------------ lookups

int recording::media_index(const std::string &name) const {
  for (size_t i = 0; i < media_.size(); i++)
    if (media_[i].name == name) return (int)i;
  return -1;
}

int recording::media_of(const sim::media &m) const {
  auto it = media_ids_.find(&m);
  return it == media_ids_.end() ? -1 : it->second.second;
}

int recording::write_of(int media, uint64_t ticket) const {
  auto it = write_ids_.find({media, ticket});
  return it == write_ids_.end() ? -1 : it->second;
}

size_t recording::last_cut() const { return cuts_.empty() ? events_.size() : cuts_.back(); }

bool recording::powered() const {
  return machine_ == nullptr || machine_->powered();
}

size_t recording::keep_data(const void *data, size_t len) {
  size_t at = data_.size();
  const auto *p = static_cast<const unsigned char *>(data);
  data_.insert(data_.end(), p, p + len);
  return at;
}

// ------------------------------------------------------------ setups

setup recording::snapshot() const {
  setup s;
  s.kenv = machine_->kenv_now();
  s.modules = machine_->boot_modules_now();
  for (const auto &[name, m] : machine_->disks()) {
    int id = media_of(*m);
    if (id >= 0) s.disks.push_back({name, id, machine_->disk_present(name)});
  }
  for (const std::string &path : machine_->files()) {
    int id = media_of(*machine_->file(path));
    if (id >= 0)
      s.files.push_back({path, id, machine_->file_length(path), machine_->file_written(path)});
  }
  return s;
}

uint32_t recording::current_setup() {
  if (machine_ == nullptr) return setups_.empty() ? 0 : (uint32_t)setups_.size() - 1;
  const uint64_t v = machine_->setup_version();
  if (v == setup_version_ && !setups_.empty()) return (uint32_t)setups_.size() - 1;
  setup_version_ = v;
  setup s = snapshot();
  if (setups_.empty() || !(setups_.back() == s)) setups_.push_back(std::move(s));
  return (uint32_t)setups_.size() - 1;
}

event &recording::add(event_kind k, int media) {
  event &e = events_.emplace_back();
  e.kind = k;
  e.media = media;
  e.by_cut = !powered();
  e.line = line_;
  e.setup = current_setup();
  e.boots = machine_ != nullptr ? machine_->boots() : 0;
  return e;
}

// ------------------------------------------------------------ media events

void recording::stored(const sim::media &m, uint64_t ticket, int64_t off, const void *data,
                       size_t len) {
  int id = media_of(m);
  if (id < 0) return;
  int w = ticket != 0 ? write_of(id, ticket) : -1;
  event &e = add(event_kind::stored, id);
  e.write = w;
  e.offset = off;
  e.length = (int64_t)len;
  e.zeros = data == nullptr;
  // A write's bytes are kept once, at its arrival; a host write's here.
  if (w >= 0 && !e.zeros) e.data = writes_[w].data + (size_t)(off - writes_[w].offset);
  else if (!e.zeros) e.data = keep_data(data, len);
}

void recording::arrived(const sim::media &m, uint64_t ticket, io_op op, int64_t off, size_t len,
                        const void *data, bool fua) {
  int id = media_of(m);
  if (id < 0) return;
  media_write w;
  w.media = id;
  w.ticket = ticket;
  w.op = op;
  w.offset = off;
  w.length = (uint32_t)len;
  w.sectors = (uint32_t)(len / m.sector_size());
  w.fua = fua;
  w.tid = current_tid();
  w.arrival_nth = ++arrivals_[{id, (int)op}];
  // Kernel memory never survives a cut: its data is never needed.
  if (data != nullptr && media_[id].config.persistent) w.data = keep_data(data, len);
  auto running = dev_running_.find(w.tid);
  if (running != dev_running_.end()) {
    w.device_write = running->second;
    dev_writes_[running->second].media_writes.push_back((int)writes_.size());
  }
  write_ids_[{id, ticket}] = (int)writes_.size();
  writes_.push_back(w);
  add(event_kind::arrived, id).write = (int)writes_.size() - 1;
}

void recording::completed(const sim::media &m, uint64_t ticket, uint64_t seq, bool cached) {
  int id = media_of(m);
  int w = id < 0 ? -1 : write_of(id, ticket);
  if (w < 0) return;
  writes_[w].seq = seq;
  event &e = add(event_kind::completed, id);
  e.write = w;
  e.seq = seq;
  e.cached = cached;
}

void recording::destaged(const sim::media &m, uint64_t ticket) {
  int id = media_of(m);
  int w = id < 0 ? -1 : write_of(id, ticket);
  if (w >= 0) add(event_kind::destaged, id).write = w;
}

void recording::dropped(const sim::media &m, uint64_t ticket) {
  int id = media_of(m);
  int w = id < 0 ? -1 : write_of(id, ticket);
  if (w >= 0) add(event_kind::dropped, id).write = w;
}

void recording::flushed(const sim::media &m, uint64_t seq) {
  int id = media_of(m);
  if (id >= 0) add(event_kind::flushed, id).seq = seq;
}

// ------------------------------------------------------------ device writes

void recording::write_started(const std::string &dev, int64_t off, const void *data, size_t len,
                              unsigned sectorsize) {
  device_write d;
  d.device = dev;
  d.offset = off;
  d.length = (uint32_t)len;
  d.sectorsize = sectorsize;
  d.tid = current_tid();
  d.line = line_;
  const auto *p = static_cast<const unsigned char *>(data);
  for (size_t at = 0; at + sectorsize <= len; at += sectorsize)
    d.hashes.push_back(content_hash(p + at, sectorsize));
  d.started = events_.size();
  dev_running_[d.tid] = (int)dev_writes_.size();
  dev_writes_.push_back(std::move(d));
  add(event_kind::dev_started, -1).device_write = (int)dev_writes_.size() - 1;
}

void recording::write_ended(const std::string &dev, int64_t off, size_t done, bool acked) {
  auto running = dev_running_.find(current_tid());
  if (running == dev_running_.end()) {
    // Not a write this recording saw start (a trim): unknown contents.
    region_unknown(dev, off, (int64_t)done);
    return;
  }
  device_write &d = dev_writes_[running->second];
  dev_running_.erase(running);
  d.acked = acked && done == d.length;
  d.ended = events_.size();
  add(event_kind::dev_ended, -1).device_write = (int)(&d - dev_writes_.data());
}

void recording::region_unknown(const std::string &dev, int64_t off, int64_t len) {
  device_write d;
  d.device = dev;
  d.offset = off;
  d.length = len < 0 ? 0 : (uint32_t)len;
  d.started = d.ended = events_.size();
  dev_writes_.push_back(std::move(d));
  event &e = add(event_kind::dev_unknown, -1);
  e.device_write = (int)dev_writes_.size() - 1;
  e.offset = off;
  e.length = len;
}

}  // namespace sim::explore
