// sim/explore/crash_state.h — the crash states of a recorded workload, in
// a fixed order, each with a stable name.
//
// A crash state is a power cut at a point of the recording plus the fate
// of every write the cut catches, following the power model of
// docs/faults.md:
//  * points: before the first write ("start"); right after each write,
//    delete or flush completes (named after its write log number: "r14");
//    with --torn, also right after a write reaches a disk, so that it is
//    in flight ("ada0@w7": the 7th WRITE to reach ada0);
//  * caught writes: those in a volatile write cache (completed, not yet
//    destaged) and those in flight, on the explored media. A state lets
//    them all land (the point's first state), or loses some: every subset
//    of at most max_drop of them (every subset when no more than
//    `exhaustive` are caught), a dropped write being lost or, with --torn,
//    torn after any of its sectors; then all of them lost ("-all").
//    At an in-flight point, the write that just arrived is torn (the ones
//    where it is lost or lands are other points' states).
// A state that loses a write whose every sector a later surviving write
// overwrites looks exactly like one that keeps it: it is skipped.
//
// Names: "r14" (all land), "r14-12" (record 12 lost), "r14-ada1" (the
// write in flight on ada1 lost; "ada1.2" for its second one), "r14~12:3"
// (12 torn: 3 sectors land), "r14-all"; joined: "r14-12~ada1:2".
// The same names, as words, make the @crash directive of a reproducer.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/explore/recording.h"
#include "sim/media/overlay_store.h"
#include "sim/media/power.h"

namespace sim::explore {

struct enumerate_options {
  std::set<int> media;        // explored media (recording indexes); empty: all persistent
  int max_drop = 2;
  int exhaustive = 4;
  bool torn = false;
};

// A write a cut catches.
struct caught {
  int write = -1;            // recording write index
  int media = -1;
  uint64_t seq = 0;          // cached: its write log number; 0: in flight
  int in_flight_index = 0;   // in flight: its place on its media, from 1
  uint32_t sectors = 0;
  std::string media_name;
  std::string item;          // "12", "ada1", "ada1.2"
};

// Where the power goes.
struct cut_point {
  size_t after = 0;          // the cut comes after the first `after` events
  std::string name;          // "start", "r14", "ada0@w7"
  // For the reproducer's trigger: after record `seq`, or when the nth
  // request of `op` reaches media `media` (arrival points).
  uint64_t seq = 0;
  int media = -1;
  io_op op = io_op::write;
  uint64_t nth = 0;
  std::vector<caught> caught_writes;  // in the order the cut applies them
  // Writes caught on media that are not explored: they land whole.
  std::vector<int> landing;
  uint32_t setup = 0;        // the machine's setup at the cut
  int boots = 0;             // boots the machine had had
  int line = -1;             // the script step running at the cut
};

struct crash_state {
  uint64_t index = 0;        // place in the fixed order
  std::string id;
  std::shared_ptr<const cut_point> point;
  bool lose_all = false;
  // Caught writes that do not land whole: index into point->caught_writes
  // and the sectors that land (0: lost).
  std::vector<std::pair<int, uint32_t>> fates;
  // The fate plan of the reproducer's @crash (and of the power model).
  fate_plan plan() const;
  // "lose 12,ada1 tear 13:3" (empty when all land): @crash's fate words.
  std::string fate_words() const;
};

// Walks the crash states of a recording in the fixed order.
class state_enumerator {
 public:
  state_enumerator(const recording &rec, enumerate_options opt);
  // The next state; false when there are no more.
  bool next(crash_state &out);

 private:
  bool next_point();
  bool next_at_point(crash_state &out);
  void reset_choices();
  bool next_choice();
  bool next_subset(size_t limit);
  bool emit_subset(crash_state &out);
  void start_point(std::shared_ptr<cut_point> p, int arrived);
  void find_overlaps(const std::vector<caught> &cw);
  std::shared_ptr<cut_point> make_point(size_t after, const event *e);
  bool explored(int media) const;
  bool visible(const std::vector<std::pair<int, uint32_t>> &fates) const;
  bool emit(const std::vector<std::pair<int, uint32_t>> &fates, bool lose_all, crash_state &out);

  const recording &rec_;
  enumerate_options opt_;
  size_t event_ = 0;       // events applied to the trackers
  bool started_ = false;
  // What each media holds that is not stable yet: cache, then in flight.
  std::vector<std::vector<int>> cache_, in_flight_;
  // The point being enumerated and where its walk is.
  std::shared_ptr<const cut_point> point_;
  int arrived_ = -1;       // in-flight point: the caught write that arrived
  int stage_ = 0;          // 0 all land, 1 subsets, 2 lose all, 3 done
  std::vector<int> droppable_;  // caught writes a state may drop visibly
  std::vector<int> pos_;     // the subset: positions in droppable_
  std::vector<int> subset_;  // ... as indexes into caught_writes
  std::vector<uint32_t> choice_;  // per dropped one: 0 lost, k torn after k
  // Reused from state to state (most subsets turn out invisible).
  std::vector<std::pair<int, uint32_t>> fates_;
  mutable std::vector<std::pair<int64_t, int64_t>> later_;
  // Per caught write, the later caught writes on its media that overlap
  // it: the only ones that can hide its loss.
  std::vector<std::vector<int>> overlaps_;
  // ... and those that each cover it entirely (a rewritten map or
  // metadata sector): the quick answer, most of the time.
  std::vector<std::vector<int>> coverers_;
  uint64_t index_ = 0;
};

// The stable contents of every recorded media after the first `after`
// events, moved forward point by point (never back): the base every
// crash state's disks read through.
class image_timeline {
 public:
  explicit image_timeline(const recording &rec);
  void advance_to(size_t after);
  const std::shared_ptr<overlay_store> &image(int media) const { return images_[media]; }

 private:
  void apply(const event &e);

  const recording &rec_;
  size_t at_ = 0;
  std::vector<std::shared_ptr<overlay_store>> images_;
};

// A crash state's disks and files: copy-on-write media over the
// timeline's images (which must be at the state's point), with the
// caught writes the state lets land put on them.
struct state_storage {
  std::vector<std::shared_ptr<sim::media>> media;  // by recording index; null if none
};
state_storage build_storage(const recording &rec, const image_timeline &t,
                            const crash_state &s);

// Parses @crash's words after the point ("lose 12,ada1 tear 13:3", "lose
// all") into a plan; false with a message if malformed.
bool parse_fate_words(const std::vector<std::string> &words, fate_plan &plan, std::string &error);

}  // namespace sim::explore
