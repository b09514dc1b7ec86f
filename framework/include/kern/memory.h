// kern/memory.h — the simulated kernel's memory: malloc(9) accounting,
// guard zones, trashing of freed memory, and stable kernel addresses.
//
// Every allocation kernel code makes (malloc(9), GEOM objects, bios) comes
// from the booted kernel's arena. The arena
//  * counts requests and bytes in use per malloc type (`vmstat -m`), and
//    reports what is still allocated when a module unloads or the kernel
//    shuts down;
//  * surrounds each block with guard zones and checks them at free, as
//    FreeBSD's redzone(9) does;
//  * fills freed blocks with 0xdeadc0de and keeps them in quarantine for a
//    while, as INVARIANTS' trash does: a use after free reads the pattern
//    (a pointer read from it faults), a write after free is found when the
//    block leaves quarantine ("Memory modified after free");
//  * frees whatever is left when the kernel is destroyed, so a panic or a
//    power cut never leaks host memory into the next boot;
//  * gives each block a synthetic kernel virtual address (what `%p` prints),
//    so output does not depend on the host's address-space layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

#include "kern/host_mutex.h"
#include <string>
#include <vector>

namespace kern {

// Describes a malloc type (FreeBSD's struct malloc_type: the arena only
// needs a stable identity and a name).
struct mem_type {
  const char *shortdesc;
};

struct mem_type_stats {
  std::string name;
  uint64_t requests = 0;  // allocations ever made
  uint64_t inuse = 0;     // allocations live
  uint64_t memuse = 0;    // bytes live, as malloc(9) charges them (zone or page size)
  uint32_t sizemask = 0;  // bit i: a block came from the 16 << i byte zone
  uint64_t zone_item_size = 0;  // an uma(9) zone's item size; 0: a malloc type
  uint64_t failures = 0;        // M_NOWAIT allocations that failed (fault injection)
};

// Where a malloc type is defined (MALLOC_DEFINE's source file). The types
// of a module are those defined in the file that declares the module; they
// are checked for leaks when it unloads, as FreeBSD's malloc_uninit does.
void register_mem_type_file(const mem_type *type, const char *file);
// An uma(9) zone (uma_zcreate): its statistics show in `vmstat -z`, not
// `vmstat -m`. Unregistered when the zone goes (item_size 0).
void register_mem_type_zone(const mem_type *type, size_t item_size);

class memory_arena {
 public:
  memory_arena();
  ~memory_arena();  // frees everything still allocated

  // Never returns nullptr (host exhaustion aborts the simulator).
  void *alloc(size_t size, const mem_type *type, bool zero);
  // Validates and frees. Problems are reported through the hooks below.
  void free(void *p, const mem_type *type);
  void *realloc(void *p, size_t size, const mem_type *type);
  // Size the caller asked for, or 0 if p is not a live block.
  size_t size_of(const void *p);
  bool owns(const void *p);

  std::vector<mem_type_stats> stats();
  // An allocation of `type` failed before reaching the arena.
  void note_failure(const mem_type *type);
  // FreeBSD's "Warning: memory type X leaked memory on destroy (N
  // allocations, M bytes leaked)." for every type defined in `file` that
  // still has memory in use (at kldunload of the module of that file).
  std::vector<std::string> leaks_of_file(const char *file);
  // The same types' live counts, for the check at shutdown.
  std::vector<mem_type_stats> held_by_file(const char *file);
  mem_type_stats stats_for(const mem_type *type);

  // Synthetic kernel address of p (block base + offset, or a stable
  // address for memory the arena does not own).
  uint64_t kva(const void *p);

  // Empties the quarantine, checking every block for writes after free.
  void drain_quarantine();
  // Checks the guard zones of every live block (at shutdown: an overrun
  // of a block that is never freed is reported too).
  void check_live_redzones();

  // Reports: message lines (already in FreeBSD's words). `fatal` problems
  // (double free, free of a foreign pointer, write after free) panic.
  std::function<void(const std::string &msg)> report;
  std::function<void(const std::string &msg)> fatal;

 private:
  struct header;
  void check_redzones(header *h);
  mem_type_stats &stats_locked(const mem_type *type);
  void evict_one_locked(std::vector<std::string> &fatal_msgs);
  uint64_t kva_locked(const void *p);
  void link(header *h);
  void unlink(header *h);

  kern::host_mutex mu_;
  header *live_ = nullptr;  // doubly linked list of live blocks
  std::deque<header *> quarantine_;
  size_t quarantine_bytes_ = 0;
  // Blocks out of quarantine, kept by size for the next allocation of the
  // same size (bios, events: most allocations have a handful of sizes).
  std::map<size_t, std::vector<header *>> recycled_;
  size_t recycled_count_ = 0;
  uint64_t next_seq_ = 1;
  std::map<const mem_type *, mem_type_stats> stats_;
  struct stats_cache_entry {
    const mem_type *type = nullptr;
    mem_type_stats *stats = nullptr;
  };
  static constexpr size_t kStatsCache = 32;
  stats_cache_entry stats_cache_[kStatsCache];
  std::map<const void *, uint64_t> foreign_kva_;
  uint64_t next_foreign_ = 0;
};

}  // namespace kern
