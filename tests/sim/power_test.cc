// Power loss at the media level: what survives a cut under each cache
// model, torn and lost writes decided by the seed, triggers.
#define BOOST_TEST_MODULE sim_power
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <set>

#include "kern/bsd_errno.h"
#include "sim/media/media.h"
#include "sim/media/power.h"
#include "sim/media/write_log.h"
#include "tests/sim/sim_fixture.h"

namespace {

sim::io_origin who() {
  sim::io_origin o;
  o.thread = "test";
  return o;
}

// A disk on its own power domain.
struct bench {
  sim::write_log log;
  sim::power pw{&log};
  std::shared_ptr<sim::media> d;

  explicit bench(uint64_t seed, sim::cache_model cache = sim::cache_model::write_through,
                 int64_t size = 1 << 20) {
    sim::media_config cfg;
    cfg.cache = cache;
    d = sim::media::memory(size, cfg);
    d->set_name("ada0");
    d->connect(&log, &pw);
    pw.attach(d);
    log.set_boot(1);
    pw.restore(seed, 1);
  }
  int write(int64_t off, const std::vector<unsigned char> &data) {
    return d->write(sim::io_op::write, off, data.size(), data.data(), false, who());
  }
  std::vector<unsigned char> durable(int64_t off, size_t len) {
    std::vector<unsigned char> v(len);
    d->host_read_durable(off, v.data(), len);
    return v;
  }
  sim::write_record rec(uint64_t seq) {
    sim::write_record r;
    log.get(seq, r);
    return r;
  }
};

bool all_zero(const std::vector<unsigned char> &v) {
  for (unsigned char c : v)
    if (c != 0) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(completed_write_through_writes_survive_and_nothing_lands_after_the_cut) {
  bench b(1);
  auto a = simtest::pattern(4096, 1);
  for (int i = 0; i < 4; i++) BOOST_TEST(b.write(i * 4096, a) == 0);
  b.pw.cut("test");
  BOOST_TEST(!b.pw.on());
  for (int i = 0; i < 4; i++) BOOST_TEST(b.durable(i * 4096, 4096) == a);
  for (const auto &r : b.log.records()) BOOST_TEST((r.fate == sim::write_fate::durable));
  auto reports = b.log.reports();
  BOOST_REQUIRE(reports.size() == 1u);
  BOOST_TEST(reports[0].affected.empty());
  // Power is off: nothing more reaches the media.
  BOOST_TEST(b.write(65536, a) == kern::B_EIO);
  BOOST_TEST(all_zero(b.durable(65536, 4096)));
  BOOST_TEST(b.log.last_seq() == 4u);
}

BOOST_AUTO_TEST_CASE(a_write_in_flight_at_the_cut_is_lost_torn_or_landed_as_the_seed_says) {
  std::set<std::string> seen;
  for (uint64_t seed = 1; seed <= 60; seed++) {
    bench b(seed);
    auto olddata = simtest::pattern(8 * 512, 100), newdata = simtest::pattern(8 * 512, 200);
    BOOST_REQUIRE(b.write(8192, olddata) == 0);
    int error;
    uint64_t ticket = b.d->begin_write(sim::io_op::write, 8192, newdata.size(), newdata.data(),
                                       false, who(), &error);
    BOOST_REQUIRE(ticket != 0);
    BOOST_TEST(b.d->writes_in_flight() == 1u);
    b.pw.cut("test");
    BOOST_TEST(b.d->finish_write(ticket) == kern::B_EIO);
    auto rep = b.log.reports().at(0);
    BOOST_REQUIRE(rep.affected.size() == 1u);
    sim::write_record r = b.rec(rep.affected[0]);
    BOOST_TEST(r.in_flight);
    BOOST_TEST(r.sectors == 8u);
    auto got = b.durable(8192, 8 * 512);
    uint32_t landed = r.fate == sim::write_fate::lost ? 0 : r.fate == sim::write_fate::torn ? r.landed : 8;
    // The first `landed` sectors are the new data, the rest the old.
    std::vector<unsigned char> want(newdata.begin(), newdata.begin() + landed * 512);
    want.insert(want.end(), olddata.begin() + landed * 512, olddata.end());
    BOOST_TEST(got == want);
    if (r.fate == sim::write_fate::torn) BOOST_TEST((landed > 0 && landed < 8));
    seen.insert(sim::write_fate_name(r.fate));
  }
  BOOST_TEST(seen.count("lost") == 1u);
  BOOST_TEST(seen.count("torn") == 1u);
  BOOST_TEST(seen.count("durable") == 1u);
}

BOOST_AUTO_TEST_CASE(unflushed_write_back_writes_may_be_lost_and_the_disk_matches_the_log) {
  int lost = 0, survived = 0, torn = 0, reordered = 0;
  for (uint64_t seed = 1; seed <= 40; seed++) {
    bench b(seed, sim::cache_model::write_back);
    std::vector<std::vector<unsigned char>> data;
    for (int i = 0; i < 16; i++) {
      data.push_back(simtest::pattern(1024, 1000 * (unsigned)seed + (unsigned)i));
      BOOST_REQUIRE(b.write(i * 4096, data.back()) == 0);
    }
    BOOST_TEST(b.d->cached_writes() == 16u);
    for (const auto &r : b.log.records()) BOOST_TEST((r.fate == sim::write_fate::cached));
    b.pw.cut("test");
    BOOST_TEST(b.d->cached_writes() == 0u);
    bool earlier_lost = false;
    for (int i = 0; i < 16; i++) {
      sim::write_record r = b.rec((uint64_t)i + 1);
      BOOST_TEST(r.by_cut);
      auto got = b.durable(i * 4096, 1024);
      if (r.fate == sim::write_fate::durable) {
        BOOST_TEST(got == data[(size_t)i]);
        survived++;
        if (earlier_lost) reordered++;
      } else if (r.fate == sim::write_fate::lost) {
        BOOST_TEST(all_zero(got));
        lost++;
        earlier_lost = true;
      } else {
        BOOST_REQUIRE((r.fate == sim::write_fate::torn));
        BOOST_TEST(r.landed == 1u);
        BOOST_TEST(std::equal(got.begin(), got.begin() + 512, data[(size_t)i].begin()));
        BOOST_TEST(all_zero(std::vector<unsigned char>(got.begin() + 512, got.end())));
        torn++;
      }
    }
  }
  BOOST_TEST(lost > 0);
  BOOST_TEST(survived > 0);
  BOOST_TEST(torn > 0);
  BOOST_TEST(reordered > 0);  // a later write made it, an earlier one did not
}

BOOST_AUTO_TEST_CASE(of_overlapping_unflushed_writes_the_newest_survivor_wins) {
  for (uint64_t seed = 1; seed <= 30; seed++) {
    bench b(seed, sim::cache_model::write_back);
    std::vector<std::vector<unsigned char>> v;
    for (unsigned i = 0; i < 3; i++) {
      v.push_back(simtest::pattern(512, 50 + i));
      BOOST_REQUIRE(b.write(0, v.back()) == 0);
    }
    std::vector<unsigned char> now(512);
    b.d->host_read(0, now.data(), 512);
    BOOST_TEST(now == v[2]);  // before the cut, reads see the cache
    b.pw.cut("test");
    std::vector<unsigned char> want(512, 0);
    for (uint64_t seq = 1; seq <= 3; seq++)
      if (b.rec(seq).fate == sim::write_fate::durable) want = v[seq - 1];
    BOOST_TEST(b.durable(0, 512) == want);
  }
}

BOOST_AUTO_TEST_CASE(a_flush_makes_cached_writes_durable) {
  bench b(3, sim::cache_model::write_back);
  auto a = simtest::pattern(4096, 9);
  for (int i = 0; i < 5; i++) BOOST_TEST(b.write(i * 4096, a) == 0);
  BOOST_TEST(all_zero(b.durable(0, 4096)));
  BOOST_TEST(b.d->flush(who()) == 0);
  BOOST_TEST(b.durable(0, 4096) == a);
  b.pw.cut("test");
  BOOST_TEST(b.log.reports().at(0).affected.empty());
  auto recs = b.log.records();
  BOOST_REQUIRE(recs.size() == 6u);
  BOOST_TEST((recs[5].op == sim::io_op::flush));
  for (const auto &r : recs) BOOST_TEST((r.fate == sim::write_fate::durable));
}

BOOST_AUTO_TEST_CASE(a_disk_without_flush_support_answers_eopnotsupp) {
  bench b(1);
  b.d->set_flush_supported(false);
  BOOST_TEST(b.d->flush(who()) == kern::B_EOPNOTSUPP);
  BOOST_TEST(b.log.last_seq() == 0u);
}

BOOST_AUTO_TEST_CASE(the_same_seed_loses_the_same_writes) {
  auto run = [](uint64_t seed) {
    bench b(seed, sim::cache_model::write_back);
    for (int i = 0; i < 12; i++) b.write(i * 4096, simtest::pattern(2048, (unsigned)i));
    b.pw.cut("test");
    return b.log.reports().at(0).to_string(b.log);
  };
  BOOST_TEST(run(42) == run(42));
  BOOST_TEST(run(42) != run(43));
}

BOOST_AUTO_TEST_CASE(loss_policies_give_the_worst_and_the_best_case) {
  for (auto policy : {sim::loss_policy::lose_all, sim::loss_policy::keep_all}) {
    bench b(5, sim::cache_model::write_back);
    b.pw.set_policy(policy);
    auto a = simtest::pattern(4096, 4);
    for (int i = 0; i < 6; i++) b.write(i * 4096, a);
    b.pw.cut("test");
    auto rep = b.log.reports().at(0);
    if (policy == sim::loss_policy::lose_all) {
      BOOST_TEST(rep.lost.size() == 6u);
      BOOST_TEST(all_zero(b.durable(0, 6 * 4096)));
    } else {
      BOOST_TEST(rep.survived.size() == 6u);
      BOOST_TEST(b.durable(5 * 4096, 4096) == a);
    }
  }
}

BOOST_AUTO_TEST_CASE(after_writes_trigger_cuts_right_after_the_nth_completed_write) {
  bench b(1);
  b.pw.add(sim::trigger::after_writes(3, "ada0"));
  auto a = simtest::pattern(512, 1);
  BOOST_TEST(b.write(0, a) == 0);
  BOOST_TEST(b.write(512, a) == 0);
  BOOST_TEST(b.pw.on());
  BOOST_TEST(b.write(1024, a) == 0);  // completes, then the power goes
  BOOST_TEST(!b.pw.on());
  BOOST_TEST(b.write(1536, a) == kern::B_EIO);
  BOOST_TEST(b.log.last_seq() == 3u);
  BOOST_TEST(b.durable(1024, 512) == a);
  BOOST_TEST(b.log.reports().at(0).reason.find("after write #3 on ada0") != std::string::npos);
  BOOST_TEST(b.pw.triggers().empty());
}

BOOST_AUTO_TEST_CASE(on_io_trigger_cuts_when_a_write_covering_the_offset_reaches_the_disk) {
  bench b(1);
  b.pw.add(sim::trigger::on_io(sim::io_op::write, "ada0", 3 * 4096 + 100));
  auto a = simtest::pattern(4096, 1);
  for (int i = 0; i < 3; i++) BOOST_TEST(b.write(i * 4096, a) == 0);
  BOOST_TEST(b.pw.on());
  int error;
  uint64_t t = b.d->begin_write(sim::io_op::write, 3 * 4096, 4096, a.data(), false, who(), &error);
  BOOST_TEST(t != 0u);  // it reached the disk, and the power went right then
  BOOST_TEST(!b.pw.on());
  BOOST_TEST(b.d->finish_write(t) == kern::B_EIO);
  auto rep = b.log.reports().at(0);
  BOOST_REQUIRE(rep.affected.size() == 1u);
  BOOST_TEST(b.rec(rep.affected[0]).in_flight);
  BOOST_TEST(b.rec(rep.affected[0]).offset == 3 * 4096);
}

BOOST_AUTO_TEST_CASE(a_named_point_trigger_cuts_on_its_nth_visit) {
  bench b(1);
  sim::power::set_current(&b.pw);
  b.pw.add(sim::trigger::at_point("virstor.map_written", "", 2));
  sim::power_point("virstor.map_written", "vs0");
  BOOST_TEST(b.pw.on());
  sim::power_point("virstor.other", "vs0");
  BOOST_TEST(b.pw.on());
  sim::power_point("virstor.map_written", "vs0");
  BOOST_TEST(!b.pw.on());
  sim::power::set_current(nullptr);
}

BOOST_AUTO_TEST_CASE(a_pull_trigger_pulls_the_disk_that_matched) {
  bench b(1);
  std::string pulled;
  b.pw.pull_handler = [&](const std::string &d) { pulled = d; };
  b.pw.add(sim::trigger::on_io(sim::io_op::read, "ada0", -1, 2).then_pull());
  std::vector<unsigned char> buf(512);
  BOOST_TEST(b.d->read(0, buf.data(), 512, who()) == 0);
  BOOST_TEST(pulled.empty());
  b.d->read(0, buf.data(), 512, who());
  BOOST_TEST(pulled == "ada0");
  BOOST_TEST(b.pw.on());  // a pull is not a power cut
}

BOOST_AUTO_TEST_CASE(writes_left_in_flight_by_a_stopped_kernel_complete_while_powered) {
  bench b(1, sim::cache_model::write_back);
  auto a = simtest::pattern(1024, 3);
  int error;
  BOOST_REQUIRE(b.d->begin_write(sim::io_op::write, 0, a.size(), a.data(), true, who(), &error) != 0);
  b.d->complete_in_flight();
  BOOST_TEST(b.d->writes_in_flight() == 0u);
  BOOST_TEST(b.durable(0, 1024) == a);  // FUA: straight to stable media
  BOOST_TEST((b.rec(1).fate == sim::write_fate::durable));
  BOOST_TEST(!b.rec(1).in_flight);
}

BOOST_AUTO_TEST_CASE(a_fate_plan_loses_and_tears_exactly_the_writes_it_names) {
  bench b(1, sim::cache_model::write_back);
  auto a = simtest::pattern(2048, 1);  // 4 sectors each
  sim::fate_plan plan;
  plan.cached[2] = 0;  // lost
  plan.cached[3] = 1;  // torn after its first sector
  b.pw.add(sim::trigger::after_record(5).with_plan(plan));
  for (int i = 0; i < 4; i++) b.write(i * 4096, a);  // #1..#4, cached
  BOOST_TEST(b.pw.on());
  b.write(4 * 4096, a);  // #5: the cut comes right after it
  BOOST_TEST(!b.pw.on());
  sim::power_loss_report rep = b.log.reports().at(0);
  BOOST_TEST(rep.lost == std::vector<uint64_t>{2});
  BOOST_TEST(rep.torn == std::vector<uint64_t>{3});
  BOOST_TEST(rep.survived == (std::vector<uint64_t>{1, 4, 5}));
  BOOST_TEST(b.durable(0, 2048) == a);
  BOOST_TEST(all_zero(b.durable(4096, 2048)));
  BOOST_TEST(b.durable(8192, 512) == std::vector<unsigned char>(a.begin(), a.begin() + 512));
  BOOST_TEST(all_zero(b.durable(8192 + 512, 1536)));
  BOOST_TEST(rep.reason.find("after write log #5") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_fate_plan_names_a_write_in_flight_by_its_disk) {
  bench b(1);
  auto a = simtest::pattern(2048, 7);
  sim::fate_plan plan;
  plan.in_flight[{"ada0", 1}] = 3;  // 3 of its 4 sectors land
  b.pw.add(sim::trigger::on_io(sim::io_op::write, "ada0").with_plan(plan));
  int error;
  b.d->begin_write(sim::io_op::write, 0, a.size(), a.data(), false, who(), &error);
  BOOST_TEST(!b.pw.on());
  BOOST_TEST(b.log.reports().at(0).torn.size() == 1u);
  BOOST_TEST(b.durable(0, 1536) == std::vector<unsigned char>(a.begin(), a.begin() + 1536));
  BOOST_TEST(all_zero(b.durable(1536, 512)));
}

BOOST_AUTO_TEST_CASE(lose_all_in_a_fate_plan_loses_every_caught_write) {
  bench b(1, sim::cache_model::write_back);
  auto a = simtest::pattern(512, 3);
  sim::fate_plan plan;
  plan.lose_all = true;
  b.pw.add(sim::trigger::after_record(4).with_plan(plan));
  for (int i = 0; i < 4; i++) b.write(i * 512, a);
  BOOST_TEST(b.log.reports().at(0).lost.size() == 4u);
  BOOST_TEST(all_zero(b.durable(0, 4 * 512)));
}
