// Holding a GEOM thread back (geom/g_stall.h, the scenarios' @stall and
// @resume): a stalled thread takes no more work until it is resumed, and
// only the three GEOM threads can be named.
#define BOOST_TEST_MODULE framework_stall
#include <boost/test/unit_test.hpp>

#include <geom/g_stall.h>

#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

char buf[4096];

// Provider p of a PROBEA geom whose start completes every request at
// once ("start <thread>"); a PROBEB consumer on it, open for reading.
struct g_consumer *setup(fixture &k) {
  probe_a.start = [](struct bio *bp) {
    note("start " + thread_name());
    bp->bio_completed = bp->bio_length;
    g_io_deliver(bp, 0);
  };
  struct g_consumer *cp = nullptr;
  k.run([&] {
    g_topology_lock();
    new_provider(new_geom(&probe_a_class, "g"), "p");
    cp = attach(new_geom(&probe_b_class, "h"), "p");
    g_access(cp, 1, 0, 0);
    g_topology_unlock();
  });
  return cp;
}

void read_one(struct g_consumer *cp) {
  struct bio *bp = g_alloc_bio();
  bp->bio_cmd = BIO_READ;
  bp->bio_offset = 0;
  bp->bio_length = sizeof buf;
  bp->bio_data = buf;
  bp->bio_done = [](struct bio *bp) {
    note("done " + thread_name());
    g_destroy_bio(bp);
  };
  g_io_request(bp, cp);
}

using notes_t = std::vector<std::string>;

void stalled_g_up_holds_done_until_resumed(kern::sched_mode mode) {
  fixture k(1, mode);
  struct g_consumer *cp = setup(k);
  int stall = -1, stalled = -1;
  k.run([&] {
    stall = g_stall_thread("g_up");
    stalled = g_thread_stalled("g_up");
    read_one(cp);
  });
  BOOST_TEST(stall == 0);
  BOOST_TEST(stalled == 1);
  // The provider completed the request; its done method waits for g_up.
  BOOST_TEST(notes() == notes_t{"start g_down"});
  k.k().advance(10ll * 1000 * 1000 * 1000);  // 10 s change nothing
  BOOST_TEST(notes() == notes_t{"start g_down"});
  int resume = -1;
  k.run([&] {
    resume = g_resume_thread("g_up");
    stalled = g_thread_stalled("g_up");
  });
  BOOST_TEST(resume == 0);
  BOOST_TEST(stalled == 0);
  BOOST_TEST(notes() == (notes_t{"start g_down", "done g_up"}));
  BOOST_TEST(!k.panicked());
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_stalled_g_up_holds_a_completed_bios_done_until_g_resume_thread) {
  stalled_g_up_holds_done_until_resumed(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(a_stalled_g_up_holds_a_completed_bios_done_until_g_resume_thread_threads) {
  stalled_g_up_holds_done_until_resumed(kern::sched_mode::threads);
}

BOOST_AUTO_TEST_CASE(stalling_or_resuming_a_thread_other_than_g_event_g_up_g_down_fails_with_einval) {
  fixture k;
  int stall = -1, resume = -1, stalled = 0, null_stall = -1;
  int known[3] = {-1, -1, -1};
  k.run([&] {
    stall = g_stall_thread("g_foo");
    resume = g_resume_thread("g_foo");
    stalled = g_thread_stalled("g_foo");
    null_stall = g_stall_thread(NULL);
    known[0] = g_thread_stalled("g_event");
    known[1] = g_thread_stalled("g_up");
    known[2] = g_thread_stalled("g_down");
  });
  BOOST_TEST(stall == EINVAL);
  BOOST_TEST(resume == EINVAL);
  BOOST_TEST(stalled == -1);
  BOOST_TEST(null_stall == EINVAL);
  // Nothing was stalled by the failed calls.
  BOOST_TEST(known[0] == 0);
  BOOST_TEST(known[1] == 0);
  BOOST_TEST(known[2] == 0);
}
