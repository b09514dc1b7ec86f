// The rules about allocation state: what the map allocates on each
// component against that component's metadata (chunk_next, flags).
//
// At taste the kernel trusts the map, not chunk_next: it recomputes
// chunk_next = chunk_reserved + (allocated entries on the component) and
// allocates upward from there. It takes the flags from the metadata as
// they are.
#include "virstor/check/passes.h"

namespace virstor_check {

namespace {

// Each distinct component of the device, in number order (a duplicate
// number is another rule's business; the first one stands for it).
std::vector<const component *> distinct(const device &d) {
  std::vector<const component *> list;
  for (const component *c : d.members)
    if (d.number(c->md.no) == c) list.push_back(c);
  return list;
}

tally tally_of(const std::map<unsigned, tally> &tallies, const component &c) {
  auto it = tallies.find(c.md.no);
  return it == tallies.end() ? tally{} : it->second;
}

// chunk_next as taste recomputes it.
uint64_t recomputed_next(const component &c, const tally &t) {
  return c.md.chunk_reserved + t.allocated;
}

// The lowest allocated chunk at or above the recomputed chunk_next, with
// its virtual chunk (chunks at chunk_count and above are another rule's).
struct reused {
  bool found = false;
  uint32_t chunk = 0;
  uint64_t virtual_chunk = 0;
};

reused first_reused(const component &c, uint64_t next, const allocation_map &map) {
  reused r;
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    if (!e.allocated() || e.provider_no != c.md.no) continue;
    if (e.provider_chunk < next || e.provider_chunk >= c.md.chunk_count) continue;
    if (!r.found || e.provider_chunk < r.chunk) r = {true, e.provider_chunk, v};
  }
  return r;
}

void check_reuse(const component &c, const device &d, const tally &t, const allocation_map &map,
                 sink &out) {
  uint64_t next = recomputed_next(c, t);
  reused r = first_reused(c, next, map);
  if (!r.found) return;
  out.add("next-chunk-reused", d.name, c.name,
          text("taste sets chunk_next to %ju (%u reserved + %ju allocated), but chunk %u is "
               "allocated to virtual chunk %ju: a later allocation hands it out again and "
               "overwrites its data", (uintmax_t)next, c.md.chunk_reserved,
               (uintmax_t)t.allocated, r.chunk, (uintmax_t)r.virtual_chunk));
}

// What is wrong with chunk_next, or "".
std::string chunk_next_problem(const component &c, const tally &t) {
  uint64_t next = recomputed_next(c, t);
  if (c.md.chunk_next < next)
    return text("chunk_next is %u in the metadata, below the %ju the map makes it "
                "(%u reserved + %ju allocated)", c.md.chunk_next, (uintmax_t)next,
                c.md.chunk_reserved, (uintmax_t)t.allocated);
  if (t.any && c.md.chunk_next <= t.highest)
    return text("chunk_next is %u in the metadata, not above the highest allocated chunk %u",
                c.md.chunk_next, t.highest);
  return "";
}

void check_chunk_next(const component &c, const device &d, const tally &t, sink &out) {
  std::string problem = chunk_next_problem(c, t);
  if (problem.empty()) return;
  out.add("stale-chunk-next", d.name, c.name,
          problem + ": harmless, taste recomputes it from the map");
}

// `gvirstor remove` refuses only components flagged allocated.
void check_flag_unallocated(const component &c, const device &d, const tally &t, sink &out) {
  if (t.allocated == 0 || (c.md.flags & VIRSTOR_PROVIDER_ALLOCATED)) return;
  out.add("flags-unallocated", d.name, c.name,
          text("%ju chunks allocated in the map, but not flagged ALLOCATED: gvirstor remove "
               "would let it go with its data", (uintmax_t)t.allocated));
}

// Component 0 is flagged ALLOCATED from the start: the map is on it.
void check_flag_unused(const component &c, const device &d, const tally &t, sink &out) {
  if (t.allocated > 0 || !(c.md.flags & VIRSTOR_PROVIDER_ALLOCATED) || c.md.no == 0) return;
  out.add("flags-allocated-unused", d.name, c.name,
          "flagged ALLOCATED, but no chunk of it is allocated in the map");
}

// None flagged is only known when the device is complete: a missing
// component may carry the flag.
void check_flag_current(const device &d, const std::vector<const component *> &list, sink &out) {
  std::vector<std::string> holders;
  for (const component *c : list)
    if (c->md.flags & VIRSTOR_PROVIDER_CURRENT) holders.push_back(c->name);
  if (holders.size() == 1 || (holders.empty() && !d.missing().empty())) return;
  out.add("flags-current", d.name, "",
          holders.empty() ? std::string("no component is flagged CURRENT")
                          : text("%zu components are flagged CURRENT: ", holders.size()) +
                                join(holders));
}

}  // namespace

std::map<unsigned, tally> count_allocations(const device &d, const allocation_map &map) {
  std::map<unsigned, tally> tallies;
  for (uint64_t v = 0; v < map.size(); v++) {
    map_entry e = map.at(v);
    if (!e.allocated() || !entry_target(d, e)) continue;
    tally &t = tallies[e.provider_no];
    t.allocated++;
    t.highest = t.any ? std::max(t.highest, e.provider_chunk) : e.provider_chunk;
    t.any = true;
  }
  return tallies;
}

void check_allocation(const device &d, const allocation_map &map,
                      const std::map<unsigned, tally> &tallies, sink &out) {
  std::vector<const component *> list = distinct(d);
  for (const component *c : list) {
    tally t = tally_of(tallies, *c);
    check_reuse(*c, d, t, map, out);
    check_chunk_next(*c, d, t, out);
    check_flag_unallocated(*c, d, t, out);
    check_flag_unused(*c, d, t, out);
  }
  check_flag_current(d, list, out);
}

}  // namespace virstor_check
