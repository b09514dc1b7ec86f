// The kernel memory arena. See kern/memory.h.
#include "kern/memory.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>

namespace kern {

namespace {
constexpr uint32_t kLive = 0x6b6d616c;   // "kmal"
constexpr uint32_t kFreed = 0x66726565;  // "free"
constexpr size_t kRedzone = 16;          // bytes each side, as redzone(9)
// Owned, unchecked bytes after the back guard zone: an overrun longer than
// the guard zone (ported code copying a few elements too many) lands in
// the arena's memory and is reported at free, instead of corrupting the
// host's heap and crashing the simulator. Its filler differs from the
// guard zone's, so that copying from past a block's end is seen too.
constexpr size_t kSlack = 1024;
constexpr unsigned char kSlackByte = 0xa5;
constexpr unsigned char kRedzoneByte = 0x42;
constexpr uint32_t kTrash = 0xdeadc0de;  // INVARIANTS' trash pattern
constexpr size_t kQuarantineBlocks = 4096;
// A byte budget small enough that the buffers of a large metadata read
// (virstor reads a 16 MiB map in 128 KiB pieces) come back from the
// recycler instead of fresh host pages: 64 MiB cost the basic scenario
// 10,000 more page faults and half its time.
constexpr size_t kQuarantineBytes = 8u << 20;
constexpr uint64_t kKvaBase = 0xfffff80000000000ull;
constexpr uint64_t kForeignBase = 0xffffffff81000000ull;
constexpr size_t kRecycleMax = 8192;  // blocks kept for reuse

// What malloc(9) of stable/10 on amd64 charges a type for `size` bytes:
// requests up to KMEM_ZMAX (PAGE_SIZE) come from the kmemzones of 16,
// 32, ... 4096 bytes and count the zone's size (zone = its index, the bit
// vmstat -m turns into "Size(s)"); larger ones are uma_large_malloc'd,
// rounded up to whole pages, with no zone (-1).
constexpr size_t kPageSize = 4096;
size_t accounted_size(size_t size, int &zone) {
  if (size > kPageSize) {
    zone = -1;
    return (size + kPageSize - 1) & ~(kPageSize - 1);
  }
  size_t z = 16;
  zone = 0;
  while (z < size) {
    z <<= 1;
    zone++;
  }
  return z;
}

// A host block for n bytes, freed with std::free. Blocks of megabytes
// (virstor's allocation map is 16 MiB for a 2 TB device) are written
// whole at once (trash fill): on 2 MiB-aligned memory the host may back
// them with huge pages, one page fault per 2 MiB instead of 512.
constexpr size_t kHugePage = 2u << 20;
void *host_block(size_t n) {
  if (n < kHugePage) return std::malloc(n);
  void *p = nullptr;
  if (posix_memalign(&p, kHugePage, n) != 0) return nullptr;
#ifdef MADV_HUGEPAGE
  madvise(p, n & ~(kHugePage - 1), MADV_HUGEPAGE);  // advice only: errors do not matter
#endif
  return p;
}

// 4 KiB of the trash pattern: filling and checking go through memcpy and
// memcmp a page at a time (vectorised by the C library), then find the
// first bad byte the slow way only when there is one.
constexpr size_t kTrashPage = 4096;
const unsigned char *trash_page() {
  static const auto *page = [] {
    static uint32_t words[kTrashPage / 4];
    for (uint32_t &w : words) w = kTrash;
    return (const unsigned char *)words;
  }();
  return page;
}

void fill_trash(void *p, size_t n) {
  const unsigned char *t = trash_page();
  auto *d = (unsigned char *)p;
  size_t off = 0;
  for (; off + kTrashPage <= n; off += kTrashPage) std::memcpy(d + off, t, kTrashPage);
  std::memcpy(d + off, t, n - off);  // the pattern repeats every 4 bytes
}

// Returns the offset of the first byte that differs from the pattern, or n.
size_t check_trash(const void *p, size_t n) {
  const unsigned char *t = trash_page();
  auto *d = (const unsigned char *)p;
  for (size_t off = 0; off < n; off += kTrashPage) {
    size_t len = std::min(kTrashPage, n - off);
    if (std::memcmp(d + off, t, len) == 0) continue;
    for (size_t i = off; i < off + len; i++)
      if (d[i] != t[i - off]) return i;
  }
  return n;
}

std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}
}  // namespace

struct memory_arena::header {
  uint32_t magic;
  uint32_t pad;
  size_t size;
  const mem_type *type;
  mem_type_stats *stats;  // stats_[type]: map nodes never move
  uint64_t seq;
  header *prev, *next;
  uint64_t pad2;  // keeps data() 16-byte aligned, as malloc's
  unsigned char front[kRedzone];
  // user data follows, then kRedzone guard bytes

  unsigned char *data() {
    static_assert(sizeof(header) % 16 == 0, "data() must stay 16-byte aligned, as malloc's");
    return (unsigned char *)(this + 1);
  }
  unsigned char *back() { return data() + size; }
  static header *of(const void *p) { return (header *)((const unsigned char *)p) - 1; }
};

memory_arena::memory_arena() = default;

memory_arena::~memory_arena() {
  for (header *h : quarantine_) std::free(h);
  quarantine_.clear();
  for (auto &[size, v] : recycled_)
    for (header *h : v) std::free(h);
  while (live_) {
    header *h = live_;
    live_ = h->next;
    std::free(h);
  }
}

void memory_arena::link(header *h) {
  h->prev = nullptr;
  h->next = live_;
  if (live_) live_->prev = h;
  live_ = h;
}

void memory_arena::unlink(header *h) {
  if (h->prev) h->prev->next = h->next;
  else live_ = h->next;
  if (h->next) h->next->prev = h->prev;
  h->prev = h->next = nullptr;
}

void *memory_arena::alloc(size_t size, const mem_type *type, bool zero) {
  header *h = nullptr;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    auto it = recycled_.find(size);
    if (it != recycled_.end() && !it->second.empty()) {
      h = it->second.back();
      it->second.pop_back();
      recycled_count_--;
    }
  }
  bool fresh = h == nullptr;
  if (fresh) h = (header *)host_block(sizeof(header) + size + kRedzone + kSlack);
  if (h == nullptr) {
    std::fprintf(stderr, "geomsim: host out of memory (%zu bytes)\n", size);
    std::abort();
  }
  h->magic = kLive;
  h->size = size;
  h->type = type;
  std::memset(h->front, kRedzoneByte, kRedzone);
  std::memset(h->back(), kRedzoneByte, kRedzone);
  // A recycled block (same size) kept its slack filler.
  if (fresh) std::memset(h->back() + kRedzone, kSlackByte, kSlack);
  if (zero) std::memset(h->data(), 0, size);
  else fill_trash(h->data(), size);  // uninitialised memory is not zero
  std::lock_guard<kern::host_mutex> g(mu_);
  h->seq = next_seq_++;
  link(h);
  mem_type_stats &st = stats_locked(type);
  h->stats = &st;
  st.requests++;
  st.inuse++;
  int zone;
  st.memuse += accounted_size(size, zone);
  if (zone >= 0) st.sizemask |= 1u << zone;
  return h->data();
}

mem_type_stats &memory_arena::stats_locked(const mem_type *type) {
  // Most allocations are of a handful of types: a direct-mapped cache in
  // front of the map.
  stats_cache_entry &e = stats_cache_[((uintptr_t)type >> 4) % kStatsCache];
  if (e.type != type) {
    e.type = type;
    e.stats = &stats_[type];
  }
  return *e.stats;
}

namespace {
// Bytes of `zone` (kRedzone long) that lost the guard filler.
size_t redzone_damage(const unsigned char *zone) {
  static const auto *intact = [] {
    static unsigned char z[kRedzone];
    std::memset(z, kRedzoneByte, kRedzone);
    return z;
  }();
  if (std::memcmp(zone, intact, kRedzone) == 0) return 0;
  size_t bad = 0;
  for (size_t i = 0; i < kRedzone; i++)
    if (zone[i] != kRedzoneByte) bad++;
  return bad;
}
}  // namespace

void memory_arena::check_redzones(header *h) {
  size_t bad = redzone_damage(h->front);
  if (bad && report)
    report(fmt("REDZONE: Buffer underflow detected. %zu byte%s corrupted before "
               "%#" PRIx64 " (%zu bytes allocated).",
               bad, bad == 1 ? "" : "s", kKvaBase + h->seq * 0x100, h->size));
  bad = redzone_damage(h->back());
  if (bad && report)
    report(fmt("REDZONE: Buffer overflow detected. %zu byte%s corrupted after "
               "%#" PRIx64 " (%zu bytes allocated).",
               bad, bad == 1 ? "" : "s", kKvaBase + h->seq * 0x100 + h->size,
               h->size));
}

void memory_arena::free(void *p, const mem_type *type) {
  if (p == nullptr) return;  // free(9) accepts NULL
  header *h = header::of(p);
  std::vector<std::string> fatal_msgs;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    if (h->magic == kFreed) {
      fatal_msgs.push_back(fmt("Duplicate free of %#" PRIx64 " from zone %s",
                               kKvaBase + h->seq * 0x100,
                               h->type ? h->type->shortdesc : "?"));
    } else if (h->magic != kLive) {
      uint64_t a = kva_locked(p);
      fatal_msgs.push_back(fmt("free: address %#" PRIx64 "(%#" PRIx64
                               ") has not been allocated.",
                               a, a & ~0xfffull));
    } else {
      check_redzones(h);
      unlink(h);
      mem_type_stats &st = *h->stats;
      st.inuse--;
      int zone;
      st.memuse -= accounted_size(h->size, zone);
      (void)type;  // FreeBSD does not check the type passed to free(9)
      h->magic = kFreed;
      fill_trash(h->data(), h->size);
      quarantine_.push_back(h);
      quarantine_bytes_ += h->size;
      while (quarantine_.size() > kQuarantineBlocks ||
             quarantine_bytes_ > kQuarantineBytes)
        evict_one_locked(fatal_msgs);
    }
  }
  if (!fatal_msgs.empty() && fatal) fatal(fatal_msgs.front());
}

void memory_arena::evict_one_locked(std::vector<std::string> &fatal_msgs) {
  header *h = quarantine_.front();
  quarantine_.pop_front();
  quarantine_bytes_ -= h->size;
  size_t off = check_trash(h->data(), h->size);
  if (off != h->size) {
    uint32_t val;
    std::memcpy(&val, h->data() + (off & ~(size_t)3), 4);
    fatal_msgs.push_back(fmt("Memory modified after free %#" PRIx64 "(%zu) val=%x @ %#" PRIx64,
                             kKvaBase + h->seq * 0x100, h->size, val,
                             kKvaBase + h->seq * 0x100 + (off & ~(size_t)3)));
  }
  if (recycled_count_ < kRecycleMax) {
    recycled_[h->size].push_back(h);
    recycled_count_++;
  } else {
    std::free(h);
  }
}

void memory_arena::check_live_redzones() {
  std::lock_guard<kern::host_mutex> g(mu_);
  for (header *h = live_; h; h = h->next) check_redzones(h);
}

void memory_arena::drain_quarantine() {
  std::vector<std::string> fatal_msgs;
  {
    std::lock_guard<kern::host_mutex> g(mu_);
    while (!quarantine_.empty()) evict_one_locked(fatal_msgs);
  }
  if (!fatal_msgs.empty() && fatal) fatal(fatal_msgs.front());
}

void *memory_arena::realloc(void *p, size_t size, const mem_type *type) {
  if (p == nullptr) return alloc(size, type, false);
  size_t old = size_of(p);
  void *n = alloc(size, type, false);
  std::memcpy(n, p, old < size ? old : size);
  free(p, type);
  return n;
}

size_t memory_arena::size_of(const void *p) {
  std::lock_guard<kern::host_mutex> g(mu_);
  for (header *h = live_; h; h = h->next)
    if (h->data() == p) return h->size;
  return 0;
}

bool memory_arena::owns(const void *p) { return size_of(p) != 0; }

namespace {
std::mutex zone_mu;
std::map<const mem_type *, size_t> &zone_sizes() {
  static std::map<const mem_type *, size_t> m;
  return m;
}
}  // namespace

std::vector<mem_type_stats> memory_arena::stats() {
  std::lock_guard<kern::host_mutex> g(mu_);
  std::vector<mem_type_stats> out;
  std::lock_guard<std::mutex> z(zone_mu);
  for (auto &[t, st] : stats_) {
    mem_type_stats s = st;
    s.name = t && t->shortdesc ? t->shortdesc : "?";
    auto it = zone_sizes().find(t);
    if (it != zone_sizes().end()) s.zone_item_size = it->second;
    out.push_back(s);
  }
  // stats_ is ordered by address, which another build may change.
  std::stable_sort(out.begin(), out.end(),
                   [](const mem_type_stats &a, const mem_type_stats &b) { return a.name < b.name; });
  return out;
}

namespace {
std::map<const mem_type *, const char *> &type_files() {
  static std::map<const mem_type *, const char *> m;
  return m;
}
}  // namespace

void register_mem_type_zone(const mem_type *type, size_t item_size) {
  std::lock_guard<std::mutex> g(zone_mu);
  if (item_size == 0) zone_sizes().erase(type);
  else zone_sizes()[type] = item_size;
}

void memory_arena::note_failure(const mem_type *type) {
  std::lock_guard<kern::host_mutex> g(mu_);
  stats_[type].failures++;
}

void register_mem_type_file(const mem_type *type, const char *file) {
  type_files()[type] = file;
}

std::vector<mem_type_stats> memory_arena::held_by_file(const char *file) {
  std::vector<mem_type_stats> out;
  if (file == nullptr || file[0] == '\0') return out;
  std::lock_guard<kern::host_mutex> g(mu_);
  for (auto &[type, f] : type_files()) {
    if (std::strcmp(f, file) != 0) continue;
    auto it = stats_.find(type);
    if (it == stats_.end() || it->second.inuse == 0) continue;
    mem_type_stats st = it->second;
    st.name = type->shortdesc ? type->shortdesc : "?";
    out.push_back(st);
  }
  // type_files() is ordered by address, which differs from run to run.
  std::sort(out.begin(), out.end(),
            [](const mem_type_stats &a, const mem_type_stats &b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> memory_arena::leaks_of_file(const char *file) {
  std::vector<std::string> out;
  for (const mem_type_stats &st : held_by_file(file))
    out.push_back(fmt("Warning: memory type %s leaked memory on destroy "
                      "(%" PRIu64 " allocations, %" PRIu64 " bytes leaked).",
                      st.name.c_str(), st.inuse, st.memuse));
  return out;
}

mem_type_stats memory_arena::stats_for(const mem_type *type) {
  std::lock_guard<kern::host_mutex> g(mu_);
  mem_type_stats s = stats_[type];
  s.name = type && type->shortdesc ? type->shortdesc : "?";
  return s;
}

uint64_t memory_arena::kva(const void *p) {
  std::lock_guard<kern::host_mutex> g(mu_);
  return kva_locked(p);
}

uint64_t memory_arena::kva_locked(const void *p) {
  // Rare (printing %p): a linear walk keeps alloc/free cheap.
  for (header *h = live_; h; h = h->next) {
    auto *d = h->data();
    if ((const unsigned char *)p >= d && (const unsigned char *)p <= d + h->size)
      return kKvaBase + h->seq * 0x100 + (uint64_t)((const unsigned char *)p - d);
  }
  if (p == nullptr) return 0;
  auto it = foreign_kva_.find(p);
  if (it != foreign_kva_.end()) return it->second;
  uint64_t a = kForeignBase + (next_foreign_++) * 0x40;
  foreign_kva_.emplace(p, a);
  return a;
}

}  // namespace kern
