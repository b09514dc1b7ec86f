// The crash states of a recording: the fixed order, the stable names, the
// rules of the power model (what may be lost or torn), and the disks each
// state gets. The recordings here are made at the media level, without a
// kernel: a machine's disks written directly.
#define BOOST_TEST_MODULE explore_crash_state
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sim/explore/crash_state.h"
#include "sim/explore/recording.h"
#include "sim/machine/machine.h"

namespace {

using namespace sim;
using namespace sim::explore;

io_origin who() {
  io_origin o;
  o.thread = "test";
  return o;
}

std::vector<unsigned char> fill(size_t len, unsigned char v) { return std::vector<unsigned char>(len, v); }

// A machine with one disk, recorded.
struct bench {
  machine m{machine_config{}};
  recording rec;
  std::shared_ptr<media> d;
  explicit bench(cache_model cache) {
    media_config cfg;
    cfg.cache = cache;
    d = m.add_memory_disk("ada0", 1 << 20, cfg);
    rec.attach(m);
  }
  ~bench() { rec.detach(); }
  void write(int64_t off, size_t len, unsigned char v) {
    auto data = fill(len, v);
    d->write(io_op::write, off, len, data.data(), false, who());
  }
  std::vector<std::string> ids(enumerate_options o = {}) {
    std::vector<std::string> v;
    state_enumerator en(rec, o);
    crash_state s;
    while (en.next(s)) v.push_back(s.id);
    return v;
  }
  std::vector<unsigned char> disk_of(const std::string &id, enumerate_options o, int64_t off,
                                     size_t len) {
    image_timeline t(rec);
    state_enumerator en(rec, o);
    crash_state s;
    while (en.next(s)) {
      if (s.id != id) continue;
      t.advance_to(s.point->after);
      state_storage st = build_storage(rec, t, s);
      std::vector<unsigned char> out(len);
      st.media[0]->host_read_durable(off, out.data(), len);
      return out;
    }
    return {};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_write_through_disk_has_a_state_before_the_first_write_and_after_each) {
  bench b(cache_model::write_through);
  for (int i = 0; i < 3; i++) b.write(i * 512, 512, (unsigned char)(i + 1));
  std::vector<std::string> want = {"start", "r1", "r2", "r3"};
  BOOST_TEST(b.ids() == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cached_writes_are_lost_in_every_subset_up_to_max_drop_then_all_of_them) {
  bench b(cache_model::write_back);
  for (int i = 0; i < 3; i++) b.write(i * 512, 512, (unsigned char)(i + 1));
  enumerate_options o;
  o.max_drop = 1;
  o.exhaustive = 0;
  std::vector<std::string> want = {"start", "r1",   "r1-1", "r2",   "r2-1", "r2-2",
                                   "r2-all", "r3",  "r3-1", "r3-2", "r3-3", "r3-all"};
  BOOST_TEST(b.ids(o) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_subset_is_lost_when_no_more_than_exhaustive_writes_are_caught) {
  bench b(cache_model::write_back);
  for (int i = 0; i < 3; i++) b.write(i * 512, 512, (unsigned char)(i + 1));
  enumerate_options o;
  o.max_drop = 1;
  o.exhaustive = 3;
  std::vector<std::string> ids = b.ids(o);
  std::vector<std::string> at_r3(ids.end() - 8, ids.end());
  std::vector<std::string> want = {"r3",      "r3-1",    "r3-2",    "r3-3",
                                   "r3-1-2",  "r3-1-3",  "r3-2-3",  "r3-1-2-3"};
  BOOST_TEST(at_r3 == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(losing_a_write_that_a_later_survivor_overwrites_is_not_a_new_state) {
  bench b(cache_model::write_back);
  b.write(0, 1024, 1);
  b.write(0, 1024, 2);  // covers all of the first
  enumerate_options o;
  o.max_drop = 2;
  std::vector<std::string> want = {"start", "r1", "r1-1", "r2", "r2-2", "r2-1-2"};
  BOOST_TEST(b.ids(o) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(torn_writes_keep_each_prefix_of_sectors_and_in_flight_points_tear_the_arrival) {
  bench b(cache_model::write_through);
  b.write(0, 1536, 7);  // three sectors
  enumerate_options o;
  o.torn = true;
  std::vector<std::string> want = {"start", "ada0@w1~ada0:1", "ada0@w1~ada0:2", "r1"};
  BOOST_TEST(b.ids(o) == want, boost::test_tools::per_element());
  auto disk = b.disk_of("ada0@w1~ada0:2", o, 0, 1536);
  BOOST_TEST(std::vector<unsigned char>(disk.begin(), disk.begin() + 1024) == fill(1024, 7));
  BOOST_TEST(std::vector<unsigned char>(disk.begin() + 1024, disk.end()) == fill(512, 0));
}

BOOST_AUTO_TEST_CASE(a_state_gets_the_durable_data_and_the_cached_writes_it_keeps) {
  bench b(cache_model::write_back);
  b.write(0, 512, 1);
  b.write(512, 512, 2);
  b.d->flush(who());     // #3: both durable
  b.write(0, 512, 3);    // #4: cached
  b.write(1024, 512, 4); // #5: cached
  enumerate_options o;
  auto kept = b.disk_of("r5-4", o, 0, 1536);
  BOOST_TEST(std::vector<unsigned char>(kept.begin(), kept.begin() + 512) == fill(512, 1));
  BOOST_TEST(std::vector<unsigned char>(kept.begin() + 512, kept.begin() + 1024) == fill(512, 2));
  BOOST_TEST(std::vector<unsigned char>(kept.begin() + 1024, kept.end()) == fill(512, 4));
  auto none = b.disk_of("r5-4-5", o, 1024, 512);
  BOOST_TEST(none == fill(512, 0));
  // Building a state never changes the recording's disk.
  std::vector<unsigned char> now(512);
  b.d->host_read(0, now.data(), 512);
  BOOST_TEST(now == fill(512, 3));
}

BOOST_AUTO_TEST_CASE(a_state_names_its_fates_as_crash_directive_words_and_they_parse_back) {
  bench b(cache_model::write_back);
  b.write(0, 1536, 1);
  b.write(4096, 512, 2);
  enumerate_options o;
  o.torn = true;
  state_enumerator en(b.rec, o);
  crash_state s;
  bool seen = false;
  while (en.next(s)) {
    if (s.id != "r2~1:2-2") continue;
    seen = true;
    BOOST_TEST(s.fate_words() == "lose 2 tear 1:2");
    fate_plan parsed;
    std::string error;
    BOOST_TEST(parse_fate_words({"lose", "2", "tear", "1:2"}, parsed, error));
    BOOST_TEST((parsed.cached == s.plan().cached));
  }
  BOOST_TEST(seen);
  fate_plan p;
  std::string error;
  BOOST_TEST(!parse_fate_words({"tear", "3"}, p, error));
  BOOST_TEST(error.find("WRITE:SECTORS") != std::string::npos);
  BOOST_TEST(parse_fate_words({"lose", "ada1,ada1.2"}, p, error));
  BOOST_TEST((p.in_flight.count({"ada1", 1}) == 1u && p.in_flight.count({"ada1", 2}) == 1u));
}
