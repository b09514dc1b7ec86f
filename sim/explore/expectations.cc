// What devices must read after a cut. See sim/explore/expectations.h.
#include "sim/explore/expectations.h"

#include <algorithm>
#include <vector>

#include "sim/media/hash.h"

namespace sim::explore {

namespace {

// A region whose contents became unknown at event `at`.
struct unknown_region {
  int64_t offset, length;  // length < 0: to the end
  size_t at;
};

bool covers(const unknown_region &u, int64_t byte) {
  return byte >= u.offset && (u.length < 0 || byte < u.offset + u.length);
}

// Media writes that had reached stable media before the cut.
std::vector<bool> durable_media_writes(const recording &rec, size_t after) {
  std::vector<bool> durable(rec.writes().size(), false);
  for (size_t i = 0; i < after && i < rec.events().size(); i++) {
    const event &e = rec.events()[i];
    if (e.by_cut || e.write < 0 || !rec.media()[e.media].config.persistent) continue;
    if ((e.kind == event_kind::completed && !e.cached) || e.kind == event_kind::destaged)
      durable[e.write] = true;
  }
  return durable;
}

bool device_write_durable(const device_write &d, size_t after,
                          const std::vector<bool> &media_durable) {
  if (!d.acked || d.ended == 0 || d.ended >= after || d.media_writes.empty()) return false;
  for (int w : d.media_writes)
    if (!media_durable[w]) return false;
  return true;
}

// Everything one device went through before the cut.
struct device_history {
  uint32_t sectorsize = 512;
  std::map<int64_t, std::vector<int>> writers;  // sector -> device writes, in start order
  std::vector<unknown_region> unknown;
};

std::map<std::string, device_history> histories(const recording &rec, size_t after) {
  std::map<std::string, device_history> h;
  const auto &dws = rec.device_writes();
  for (size_t i = 0; i < dws.size() && dws[i].started < after; i++) {
    const device_write &d = dws[i];
    device_history &dh = h[d.device];
    const event &e = rec.events()[d.started];
    if (e.kind == event_kind::dev_unknown) {
      dh.unknown.push_back({e.offset, e.length, d.started});
      continue;
    }
    dh.sectorsize = d.sectorsize;
    for (size_t k = 0; k < d.hashes.size(); k++)
      dh.writers[d.offset / d.sectorsize + (int64_t)k].push_back((int)i);
  }
  return h;
}

// The sector's expectation from its writers (in start order).
sector_expectation expect_sector(const recording &rec, const expectations &x, int64_t sector,
                                 const std::vector<int> &writers, const device_history &dh,
                                 device_expectations &out) {
  sector_expectation s;
  s.sector = sector;
  size_t from = 0;
  for (size_t k = 0; k < writers.size(); k++)
    if (x.durable[writers[k]]) {
      s.required = writers[k];
      from = k;
    }
  const size_t since = s.required >= 0 ? rec.device_writes()[s.required].started : 0;
  for (const unknown_region &u : dh.unknown)
    if (covers(u, sector * (int64_t)dh.sectorsize) && (s.required < 0 || u.at > since))
      s.unknown = true;
  s.allowed_from = (uint32_t)out.allowed.size();
  for (size_t k = from; k < writers.size(); k++) {
    const device_write &d = rec.device_writes()[writers[k]];
    out.allowed.push_back(d.hashes[sector - d.offset / d.sectorsize]);
  }
  s.allowed_count = (uint32_t)(out.allowed.size() - s.allowed_from);
  return s;
}

void note_places(const recording &rec, size_t after, expectations &x) {
  for (const device_write &d : rec.device_writes()) {
    if (d.started >= after) break;
    const uint64_t zero = zero_sector_hash(d.sectorsize);
    for (size_t k = 0; k < d.hashes.size(); k++)
      if (d.hashes[k] != zero)
        x.written_at.emplace(d.hashes[k],
                             expectations::place{d.device, d.offset / d.sectorsize + (int64_t)k});
  }
}

}  // namespace

uint64_t zero_sector_hash(uint32_t sectorsize) { return content_hash_zeros(sectorsize); }

bool device_expectations::allows(const sector_expectation &s, uint64_t hash) const {
  if (s.unknown) return true;
  for (uint32_t i = 0; i < s.allowed_count; i++)
    if (allowed[s.allowed_from + i] == hash) return true;
  return false;
}

expectations expectations_at(const recording &rec, size_t after) {
  expectations x;
  const std::vector<bool> media_durable = durable_media_writes(rec, after);
  for (const device_write &d : rec.device_writes())
    x.durable.push_back(device_write_durable(d, after, media_durable));
  for (auto &[name, dh] : histories(rec, after)) {
    device_expectations &de = x.devices.emplace_back();
    de.device = name;
    de.sectorsize = dh.sectorsize;
    for (auto &[sector, writers] : dh.writers) {
      de.sectors.push_back(expect_sector(rec, x, sector, writers, dh, de));
      if (de.sectors.back().required >= 0 && !de.sectors.back().unknown) de.durable_sectors++;
    }
  }
  note_places(rec, after, x);
  return x;
}

}  // namespace sim::explore
