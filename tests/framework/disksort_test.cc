// bio queues and bioq_disksort (kern/subr_disk.c; reference §7.7). The
// order matters beyond performance: virstor issues its clones in it, which
// decides whether a map sector or its data reaches the disk first.
#define BOOST_TEST_MODULE framework_disksort
#include <boost/test/unit_test.hpp>

#include <deque>

#include <geom/geom.h>

namespace {

// Bios to queue, identified by offset (and a tag for ties).
struct bios {
  std::deque<struct bio> v;
  struct bio *make(off_t offset, int tag = 0, int flags = 0) {
    struct bio &bp = v.emplace_back();
    bp.bio_offset = offset;
    bp.bio_length = 512;
    bp.bio_flags = (uint8_t)flags;
    bp.bio_pblkno = tag;
    return &bp;
  }
};

// "offset" or "offset/tag" for each queued bio, head first.
std::vector<std::string> order(struct bio_queue_head &q) {
  std::vector<std::string> out;
  for (struct bio &bp : q.queue)
    out.push_back(std::to_string(bp.bio_offset) +
                  (bp.bio_pblkno ? "/" + std::to_string(bp.bio_pblkno) : ""));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(bioq_disksort_orders_like_an_elevator_and_keeps_arrival_order_for_ties) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  for (struct bio *bp : {b.make(300), b.make(100, 1), b.make(200), b.make(100, 2), b.make(0)})
    bioq_disksort(&q, bp);
  BOOST_TEST(order(q) == (strings{"0", "100/1", "100/2", "200", "300"}));
}

// The key is the distance ahead of the head position, unsigned: what lies
// behind the head is served on the next sweep.
BOOST_AUTO_TEST_CASE(bios_behind_the_head_position_come_after_those_ahead_each_ascending) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  q.last_offset = 250;
  for (struct bio *bp : {b.make(100), b.make(300), b.make(200), b.make(400), b.make(250)})
    bioq_disksort(&q, bp);
  BOOST_TEST(order(q) == (strings{"250", "300", "400", "100", "200"}));
}

BOOST_AUTO_TEST_CASE(an_ordered_bio_is_a_barrier_that_later_bios_never_pass) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  bioq_disksort(&q, b.make(500));
  bioq_disksort(&q, b.make(1000, 0, BIO_ORDERED));
  bioq_disksort(&q, b.make(100));
  bioq_disksort(&q, b.make(1500));
  BOOST_TEST(order(q) == (strings{"500", "1000", "1500", "100"}));
}

BOOST_AUTO_TEST_CASE(insert_tail_makes_the_bio_the_barrier_and_the_head_position) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  bioq_disksort(&q, b.make(100));
  struct bio *t = b.make(50);
  bioq_insert_tail(&q, t);
  bioq_disksort(&q, b.make(60));
  bioq_disksort(&q, b.make(10));
  BOOST_TEST(q.insert_point == t);
  BOOST_TEST(q.last_offset == 50);
  BOOST_TEST(order(q) == (strings{"100", "50", "60", "10"}));
}

BOOST_AUTO_TEST_CASE(taking_the_head_moves_the_head_position_past_it_when_there_is_no_barrier) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  bioq_disksort(&q, b.make(1024));
  bioq_disksort(&q, b.make(4096));
  struct bio *first = bioq_takefirst(&q);
  BOOST_TEST(first->bio_offset == 1024);
  BOOST_TEST(q.last_offset == 1024 + 512);
  bioq_disksort(&q, b.make(2048));
  BOOST_TEST(order(q) == (strings{"2048", "4096"}));
}

BOOST_AUTO_TEST_CASE(removing_the_barrier_lets_later_bios_be_sorted_before_it_again) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  bioq_disksort(&q, b.make(100));
  struct bio *t = b.make(900);
  bioq_insert_tail(&q, t);
  bioq_remove(&q, t);
  BOOST_TEST(q.insert_point == nullptr);
  bioq_disksort(&q, b.make(50));  // behind the head position (900), as 100 is
  BOOST_TEST(order(q) == (strings{"50", "100"}));
}

BOOST_AUTO_TEST_CASE(insert_head_sets_the_head_position_unless_there_is_a_barrier) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  bioq_insert_head(&q, b.make(700));
  BOOST_TEST(q.last_offset == 700);
  bioq_insert_tail(&q, b.make(800));
  bioq_insert_head(&q, b.make(100));
  BOOST_TEST(q.last_offset == 800);
  BOOST_TEST(order(q) == (strings{"100", "700", "800"}));
}

BOOST_AUTO_TEST_CASE(bioq_flush_finishes_every_bio_with_the_error) {
  bios b;
  struct bio_queue_head q;
  bioq_init(&q);
  static std::vector<std::string> done;
  done.clear();
  for (off_t off : {0, 512}) {
    struct bio *bp = b.make(off);
    bp->bio_done = [](struct bio *bp) {
      done.push_back(std::to_string(bp->bio_offset) + " " + std::to_string(bp->bio_error) +
                     ((bp->bio_flags & BIO_ERROR) ? " BIO_ERROR" : ""));
    };
    bioq_disksort(&q, bp);
  }
  bioq_flush(&q, NULL, ENXIO);
  BOOST_TEST(done == (strings{"0 6 BIO_ERROR", "512 6 BIO_ERROR"}));
  BOOST_TEST(bioq_first(&q) == nullptr);
}
