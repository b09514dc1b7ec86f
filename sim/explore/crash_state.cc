// Crash states: points, caught writes, the fixed order, disks per state.
// See sim/explore/crash_state.h.
#include "sim/explore/crash_state.h"

#include <algorithm>
#include <cstdlib>

#include "sim/media/store.h"

namespace sim::explore {

namespace {

void erase_value(std::vector<int> &v, int x) {
  auto it = std::find(v.begin(), v.end(), x);
  if (it != v.end()) v.erase(it);
}

bool all_digits(const std::string &s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// Where [from, to) of a media is covered by writes landing after it.
bool covered(int64_t from, int64_t to, std::vector<std::pair<int64_t, int64_t>> &later) {
  if (from >= to) return true;
  if (later.empty()) return false;
  std::sort(later.begin(), later.end());
  for (const auto &[a, b] : later) {
    if (a > from) return false;
    from = std::max(from, b);
    if (from >= to) return true;
  }
  return from >= to;
}

}  // namespace

// ------------------------------------------------------------ states

fate_plan crash_state::plan() const {
  fate_plan p;
  p.lose_all = lose_all;
  for (const auto &[i, landed] : fates) {
    const caught &c = point->caught_writes[i];
    if (c.seq != 0) p.cached[c.seq] = landed;
    else p.in_flight[{c.media_name, c.in_flight_index}] = landed;
  }
  return p;
}

std::string crash_state::fate_words() const {
  if (lose_all) return "lose all";
  std::string lose, tear;
  for (const auto &[i, landed] : fates) {
    const std::string &item = point->caught_writes[i].item;
    if (landed == 0) lose += (lose.empty() ? "" : ",") + item;
    else tear += (tear.empty() ? "" : ",") + item + ":" + std::to_string(landed);
  }
  std::string words = lose.empty() ? "" : "lose " + lose;
  if (!tear.empty()) words += (words.empty() ? "" : " ") + std::string("tear ") + tear;
  return words;
}

// ------------------------------------------------------------ walking

state_enumerator::state_enumerator(const recording &rec, enumerate_options opt)
    : rec_(rec),
      opt_(std::move(opt)),
      cache_(rec.media().size()),
      in_flight_(rec.media().size()) {}

bool state_enumerator::explored(int m) const {
  if (m < 0 || !rec_.media()[m].config.persistent) return false;
  return opt_.media.empty() || opt_.media.count(m) != 0;
}

bool state_enumerator::next(crash_state &out) {
  for (;;) {
    if (point_ != nullptr && next_at_point(out)) return true;
    if (!next_point()) return false;
  }
}

bool state_enumerator::next_point() {
  if (!started_) {
    started_ = true;
    start_point(make_point(0, nullptr), -1);
    return true;
  }
  const auto &events = rec_.events();
  while (event_ < events.size()) {
    const event &e = events[event_++];
    switch (e.kind) {
      case event_kind::arrived:
        in_flight_[e.media].push_back(e.write);
        break;
      case event_kind::completed:
        erase_value(in_flight_[e.media], e.write);
        if (e.cached) cache_[e.media].push_back(e.write);
        break;
      case event_kind::destaged:
      case event_kind::dropped:
        erase_value(in_flight_[e.media], e.write);
        erase_value(cache_[e.media], e.write);
        break;
      default:
        break;
    }
    if (e.by_cut || !explored(e.media)) continue;
    const bool arrival = e.kind == event_kind::arrived && opt_.torn &&
                         rec_.writes()[e.write].sectors > 1;
    if (e.kind != event_kind::completed && e.kind != event_kind::flushed && !arrival) continue;
    auto p = make_point(event_, &e);
    int arrived = -1;
    for (size_t i = 0; arrival && i < p->caught_writes.size(); i++)
      if (p->caught_writes[i].write == e.write) arrived = (int)i;
    start_point(std::move(p), arrived);
    return true;
  }
  point_.reset();
  return false;
}

std::shared_ptr<cut_point> state_enumerator::make_point(size_t after, const event *e) {
  auto p = std::make_shared<cut_point>();
  p->after = after;
  const auto &events = rec_.events();
  const event *at = e != nullptr ? e : events.empty() ? nullptr : &events[0];
  p->setup = at != nullptr ? at->setup : 0;
  p->boots = at != nullptr ? at->boots : 0;
  p->line = e != nullptr ? e->line : -1;
  if (e == nullptr) p->name = "start";
  else if (e->kind == event_kind::arrived) {
    const media_write &w = rec_.writes()[e->write];
    p->media = w.media;
    p->op = w.op;
    p->nth = w.arrival_nth;
    p->name = rec_.media()[w.media].name + (w.op == io_op::del ? "@d" : "@w") +
              std::to_string(w.arrival_nth);
  } else {
    p->seq = e->seq;
    p->name = "r" + std::to_string(e->seq);
  }
  for (size_t m = 0; m < rec_.media().size(); m++) {
    const bool ex = explored((int)m);
    for (int w : cache_[m]) {
      if (!ex) p->landing.push_back(w);
      else p->caught_writes.push_back({w, (int)m, rec_.writes()[w].seq, 0, rec_.writes()[w].sectors,
                                       rec_.media()[m].name, std::to_string(rec_.writes()[w].seq)});
    }
    int k = 0;
    for (int w : in_flight_[m]) {
      const std::string &name = rec_.media()[m].name;
      if (!ex) p->landing.push_back(w);
      else {
        ++k;
        p->caught_writes.push_back({w, (int)m, 0, k, rec_.writes()[w].sectors, name,
                                    k == 1 ? name : name + "." + std::to_string(k)});
      }
    }
  }
  return p;
}

static size_t drop_limit(size_t n, const enumerate_options &o);

// For each caught write, the later ones on its media that overlap it, and
// those that cover it entirely.
void state_enumerator::find_overlaps(const std::vector<caught> &cw) {
  overlaps_.assign(cw.size(), {});
  coverers_.assign(cw.size(), {});
  for (size_t i = 0; i < cw.size(); i++) {
    const media_write &w = rec_.writes()[cw[i].write];
    for (size_t j = i + 1; j < cw.size(); j++) {
      const media_write &o = rec_.writes()[cw[j].write];
      if (o.media != w.media || o.offset >= w.offset + w.length || w.offset >= o.offset + o.length)
        continue;
      overlaps_[i].push_back((int)j);
      if (o.offset <= w.offset && o.offset + o.length >= w.offset + w.length)
        coverers_[i].push_back((int)j);
    }
  }
}

void state_enumerator::start_point(std::shared_ptr<cut_point> p, int arrived) {
  const auto &cw = p->caught_writes;
  find_overlaps(cw);
  // A write with as many later writes covering it as a state may lose is
  // hidden in every state that loses it: no subset needs it.
  const size_t limit = drop_limit(cw.size(), opt_);
  droppable_.clear();
  for (size_t i = 0; i < cw.size(); i++)
    if (coverers_[i].size() < limit) droppable_.push_back((int)i);
  point_ = std::move(p);
  arrived_ = arrived;
  stage_ = arrived >= 0 ? 1 : 0;
  subset_.clear();
  pos_.clear();
  choice_.clear();
}

// The largest number of writes a state of this point loses.
static size_t drop_limit(size_t n, const enumerate_options &o) {
  return n <= (size_t)o.exhaustive ? n : std::min(n, (size_t)std::max(o.max_drop, 0));
}

// Choices for a dropped write: 0 lost, k (1..sectors-1) torn after k.
static uint32_t lowest_choice(bool arrived) { return arrived ? 1 : 0; }
static uint32_t highest_choice(const caught &c, bool torn) {
  return torn && c.sectors > 1 ? c.sectors - 1 : 0;
}

void state_enumerator::reset_choices() {
  subset_.resize(pos_.size());
  for (size_t j = 0; j < pos_.size(); j++) subset_[j] = droppable_[pos_[j]];
  choice_.assign(subset_.size(), 0);
  for (size_t j = 0; j < subset_.size(); j++) choice_[j] = lowest_choice(subset_[j] == arrived_);
}

// Odometer over the choices of the dropped writes.
bool state_enumerator::next_choice() {
  const auto &cw = point_->caught_writes;
  for (size_t j = subset_.size(); j-- > 0;) {
    if (choice_[j] < highest_choice(cw[subset_[j]], opt_.torn)) {
      choice_[j]++;
      return true;
    }
    choice_[j] = lowest_choice(subset_[j] == arrived_);
  }
  return false;
}

// The next subset of the droppable writes: the same size in
// lexicographic order, then one larger, up to `limit`.
bool state_enumerator::next_subset(size_t limit) {
  const size_t m = droppable_.size(), k = pos_.size();
  for (size_t j = k; j-- > 0;) {
    if (pos_[j] < (int)(m - (k - j))) {
      pos_[j]++;
      for (size_t i = j + 1; i < k; i++) pos_[i] = pos_[i - 1] + 1;
      return true;
    }
  }
  if (k + 1 > limit || k + 1 > m) return false;
  pos_.resize(k + 1);
  for (size_t i = 0; i <= k; i++) pos_[i] = (int)i;
  return true;
}

// The current subset as a state, unless it is not one (an in-flight
// point's arriving write must be torn).
bool state_enumerator::emit_subset(crash_state &out) {
  if (arrived_ >= 0 && std::find(subset_.begin(), subset_.end(), arrived_) == subset_.end())
    return false;
  if (arrived_ >= 0 && highest_choice(point_->caught_writes[arrived_], opt_.torn) == 0)
    return false;
  fates_.clear();
  for (size_t j = 0; j < subset_.size(); j++) fates_.push_back({subset_[j], choice_[j]});
  return emit(fates_, false, out);
}

bool state_enumerator::next_at_point(crash_state &out) {
  const size_t n = point_->caught_writes.size(), limit = drop_limit(n, opt_);
  for (;;) {
    switch (stage_) {
      case 0:
        stage_ = 1;
        if (emit({}, false, out)) return true;
        break;
      case 1:
        if (subset_.empty() || !next_choice()) {
          if (!next_subset(limit)) {
            stage_ = 2;
            break;
          }
          reset_choices();
        }
        if (emit_subset(out)) return true;
        break;
      case 2:
        stage_ = 3;
        if (arrived_ < 0 && n > limit && emit({}, true, out)) return true;
        break;
      default:
        return false;
    }
  }
}

bool state_enumerator::visible(const std::vector<std::pair<int, uint32_t>> &fates) const {
  const auto &cw = point_->caught_writes;
  auto landed = [&](int j) {
    for (const auto &[i, k] : fates)
      if (i == j) return k;
    return cw[j].sectors;
  };
  auto dropped = [&](int j) {
    for (const auto &[i, k] : fates)
      if (i == j) return true;
    return false;
  };
  std::vector<std::pair<int64_t, int64_t>> &later = later_;
  for (const auto &[i, k] : fates) {
    if (overlaps_[i].empty()) continue;
    for (int j : coverers_[i])
      if (!dropped(j)) return false;  // a later write that lands covers all of it
    const media_write &w = rec_.writes()[cw[i].write];
    const int64_t ss = rec_.media()[w.media].config.sector_size;
    later.clear();
    for (int j : overlaps_[i]) {
      const media_write &o = rec_.writes()[cw[j].write];
      const uint32_t l = landed(j);
      if (l > 0) later.push_back({o.offset, o.offset + l * ss});
    }
    if (covered(w.offset + k * ss, w.offset + w.length, later)) return false;
  }
  return true;
}

bool state_enumerator::emit(const std::vector<std::pair<int, uint32_t>> &fates, bool lose_all,
                            crash_state &out) {
  if (!lose_all && !visible(fates)) return false;
  out.index = index_++;
  out.point = point_;
  out.lose_all = lose_all;
  out.fates = fates;
  out.id = point_->name;
  if (lose_all) out.id += "-all";
  for (const auto &[i, landed] : out.fates) {
    const std::string &item = point_->caught_writes[i].item;
    out.id += landed == 0 ? "-" + item : "~" + item + ":" + std::to_string(landed);
  }
  return true;
}

// ------------------------------------------------------------ images

image_timeline::image_timeline(const recording &rec) : rec_(rec) {
  for (const media_info &m : rec.media()) {
    std::shared_ptr<store> base = m.initial;
    if (base == nullptr) base = std::make_shared<sparse_store>(m.size);
    images_.push_back(std::make_shared<overlay_store>(base, m.size));
  }
}

void image_timeline::apply(const event &e) {
  if (e.kind != event_kind::stored) return;
  overlay_store &img = *images_[e.media];
  if (e.zeros) img.zero(e.offset, (size_t)e.length);
  else img.write(e.offset, rec_.data(e.data), (size_t)e.length);
}

void image_timeline::advance_to(size_t after) {
  const auto &events = rec_.events();
  for (; at_ < after && at_ < events.size(); at_++) apply(events[at_]);
}

// ------------------------------------------------------------ storage

namespace {

// Puts the first `sectors` sectors of write w on m's stable media.
void land(const recording &rec, media &m, int w, uint32_t sectors) {
  const media_write &mw = rec.writes()[w];
  const size_t n = std::min<size_t>((size_t)sectors * m.sector_size(), mw.length);
  if (n == 0) return;
  if (mw.op == io_op::write) {
    m.host_write(mw.offset, rec.data(mw.data), n);
    return;
  }
  std::vector<unsigned char> zeros(n, 0);
  m.host_write(mw.offset, zeros.data(), n);
}

}  // namespace

state_storage build_storage(const recording &rec, const image_timeline &t,
                            const crash_state &s) {
  state_storage out;
  out.media.resize(rec.media().size());
  for (size_t i = 0; i < rec.media().size(); i++) {
    const media_info &mi = rec.media()[i];
    if (!mi.config.persistent) continue;
    media_config cfg = mi.config;
    cfg.read_only = false;
    auto st = std::make_shared<overlay_store>(t.image((int)i), mi.size);
    out.media[i] = std::make_shared<media>(st, mi.size, cfg);
  }
  const cut_point &p = *s.point;
  for (int w : p.landing) land(rec, *out.media[rec.writes()[w].media], w, ~0u);
  std::vector<uint32_t> landed(p.caught_writes.size());
  for (size_t i = 0; i < landed.size(); i++) landed[i] = s.lose_all ? 0 : p.caught_writes[i].sectors;
  for (const auto &[i, k] : s.fates) landed[i] = k;
  for (size_t i = 0; i < landed.size(); i++)
    land(rec, *out.media[p.caught_writes[i].media], p.caught_writes[i].write, landed[i]);
  return out;
}

// ------------------------------------------------------------ @crash words

namespace {

bool split_items(const std::string &list, std::vector<std::string> &items) {
  size_t b = 0;
  while (b <= list.size()) {
    size_t e = list.find(',', b);
    if (e == std::string::npos) e = list.size();
    if (e == b) return false;
    items.push_back(list.substr(b, e - b));
    b = e + 1;
  }
  return !items.empty();
}

// "12" (a write log number), "ada1" or "ada1.2" (a write in flight).
bool add_item(const std::string &item, uint32_t landed, fate_plan &plan) {
  if (all_digits(item)) {
    plan.cached[std::strtoull(item.c_str(), nullptr, 10)] = landed;
    return true;
  }
  size_t dot = item.rfind('.');
  if (dot != std::string::npos && all_digits(item.substr(dot + 1)) && dot > 0) {
    plan.in_flight[{item.substr(0, dot), std::atoi(item.c_str() + dot + 1)}] = landed;
    return true;
  }
  plan.in_flight[{item, 1}] = landed;
  return true;
}

bool add_tear(const std::string &item, fate_plan &plan, std::string &error) {
  size_t colon = item.rfind(':');
  if (colon == std::string::npos || colon == 0 || !all_digits(item.substr(colon + 1)) ||
      std::atoi(item.c_str() + colon + 1) == 0) {
    error = "expected WRITE:SECTORS (sectors that land, at least 1), got '" + item + "'";
    return false;
  }
  return add_item(item.substr(0, colon), (uint32_t)std::atoi(item.c_str() + colon + 1), plan);
}

}  // namespace

bool parse_fate_words(const std::vector<std::string> &words, fate_plan &plan, std::string &error) {
  for (size_t i = 0; i < words.size(); i += 2) {
    std::vector<std::string> items;
    if (i + 1 >= words.size() || (words[i] != "lose" && words[i] != "tear") ||
        !split_items(words[i + 1], items)) {
      error = "expected lose LIST or tear LIST, got '" + words[i] + "'";
      return false;
    }
    if (words[i] == "lose" && words[i + 1] == "all") {
      plan.lose_all = true;
      continue;
    }
    for (const std::string &item : items) {
      if (words[i] == "lose") add_item(item, 0, plan);
      else if (!add_tear(item, plan, error)) return false;
    }
  }
  return true;
}

}  // namespace sim::explore
