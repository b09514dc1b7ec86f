// The I/O path: g_io_request -> g_down -> start, g_io_deliver -> g_up ->
// bio_done, the checks on both ends, cloning and the synchronous helpers
// (geom_io.c; g_bio(9), g_data(9); reference §3.2-3.6, §7, §11.3).
#define BOOST_TEST_MODULE framework_io
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

char buf[1 << 16];

// Provider p (1 MiB, 512-byte sectors) of a PROBEA geom; a PROBEB consumer
// on it, opened with (r, w, 0). Requests to p reach probe_a.start.
struct g_consumer *setup(fixture &k, int r = 1, int w = 1) {
  struct g_consumer *cp = nullptr;
  k.run([&] {
    g_topology_lock();
    new_provider(new_geom(&probe_a_class, "g"), "p");
    cp = attach(new_geom(&probe_b_class, "h"), "p");
    if (r || w) g_access(cp, r, w, 0);
    g_topology_unlock();
  });
  return cp;
}

// Completes every request successfully, noting "start <thread> <length>".
void serve(struct bio *bp) {
  note("start " + thread_name() + " " + std::to_string(bp->bio_length));
  bp->bio_completed = bp->bio_length;
  g_io_deliver(bp, 0);
}

// Notes "done <thread> <error> <completed>" and frees the bio.
void noting_done(struct bio *bp) {
  note("done " + thread_name() + " " + std::to_string(bp->bio_error) + " " +
       std::to_string(bp->bio_completed));
  g_destroy_bio(bp);
}

struct bio *new_bio(int cmd, off_t offset, off_t length) {
  struct bio *bp = g_alloc_bio();
  bp->bio_cmd = cmd;
  bp->bio_offset = offset;
  bp->bio_length = length;
  if (cmd == BIO_READ || cmd == BIO_WRITE || cmd == BIO_GETATTR) bp->bio_data = buf;
  bp->bio_done = noting_done;
  return bp;
}

void issue(struct g_consumer *cp, int cmd, off_t offset, off_t length) {
  g_io_request(new_bio(cmd, offset, length), cp);
}

}  // namespace

BOOST_AUTO_TEST_CASE(start_runs_on_g_down_and_done_on_g_up) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 0, 4096); });
  BOOST_TEST(notes() == (std::vector<std::string>{"start g_down 4096", "done g_up 0 4096"}));
}

// By the time a done method runs, the request no longer counts as in
// flight: it may detach or destroy at once.
BOOST_AUTO_TEST_CASE(a_request_is_no_longer_in_flight_when_its_done_method_runs) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k);
  k.run([&] {
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    bp->bio_done = [](struct bio *bp) {
      struct g_consumer *cp = bp->bio_from;
      note(cp->nstart == cp->nend && cp->provider->nstart == cp->provider->nend ? "balanced"
                                                                                  : "in flight");
      g_destroy_bio(bp);
    };
    g_io_request(bp, cp);
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"start g_down 512", "balanced"}));
}

BOOST_AUTO_TEST_CASE(g_io_request_with_misaligned_offset_panics) {
  fixture k;
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 100, 512); });
  CHECK_PANIC(k, "wrong offset 100 for sectorsize 512");
}

BOOST_AUTO_TEST_CASE(g_io_request_with_misaligned_length_panics) {
  fixture k;
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_WRITE, 512, 100); });
  CHECK_PANIC(k, "wrong length 100 for sectorsize 512");
}

BOOST_AUTO_TEST_CASE(g_io_request_of_a_read_without_data_panics) {
  fixture k;
  struct g_consumer *cp = setup(k);
  k.run([&] {
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    bp->bio_data = NULL;
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "NULL bp->data in g_io_request(cmd=1)");
}

BOOST_AUTO_TEST_CASE(g_io_request_of_a_delete_with_data_panics) {
  fixture k;
  struct g_consumer *cp = setup(k);
  k.run([&] {
    struct bio *bp = new_bio(BIO_DELETE, 0, 512);
    bp->bio_data = buf;
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "non-NULL bp->data in g_io_request(cmd=4)");
}

BOOST_AUTO_TEST_CASE(g_io_request_of_a_bio_flagged_on_a_queue_panics) {
  fixture k;
  struct g_consumer *cp = setup(k);
  k.run([&] {
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    bp->bio_flags |= BIO_ONQUEUE;
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "Bio already on queue");
}

BOOST_AUTO_TEST_CASE(g_io_request_on_an_unattached_consumer_panics) {
  fixture k;
  k.run([&] {
    g_topology_lock();
    struct g_consumer *cp = g_new_consumer(new_geom(&probe_b_class, "h"));
    g_topology_unlock();
    issue(cp, BIO_READ, 0, 512);
  });
  CHECK_PANIC(k, "consumer not attached in g_io_request");
}

// bio_driver1/2 and bio_pflags belong to the provider.
BOOST_AUTO_TEST_CASE(a_consumer_passing_bio_driver1_panics) {
  fixture k;
  struct g_consumer *cp = setup(k);
  k.run([&] {
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    bp->bio_driver1 = buf;
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "bio_driver1 used by the consumer (geom h)");
}

// bio_caller1/2 and bio_cflags belong to the consumer.
BOOST_AUTO_TEST_CASE(a_provider_changing_bio_caller1_panics_at_delivery) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    bp->bio_caller1 = buf;
    serve(bp);
  };
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 0, 512); });
  CHECK_PANIC(k, "bio_caller1 used by the provider p");
  BOOST_TEST(k.k().panic_info().thread == "g_down");
}

BOOST_AUTO_TEST_CASE(a_geom_with_volatile_bio_may_have_its_caller_fields_changed) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    bp->bio_caller1 = buf;
    serve(bp);
  };
  struct g_consumer *cp = setup(k);
  k.run([&] {
    cp->geom->flags |= G_GEOM_VOLATILE_BIO;
    issue(cp, BIO_READ, 0, 512);
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(delivering_more_than_bio_length_completed_panics) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    bp->bio_completed = bp->bio_length + 512;
    g_io_deliver(bp, 0);
  };
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 0, 512); });
  CHECK_PANIC(k, "bio_completed can't be greater than bio_length");
}

// Emulation-only: FreeBSD would corrupt its queues.
BOOST_AUTO_TEST_CASE(delivering_a_bio_twice_panics) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    g_io_deliver(bp, 0);
    g_io_deliver(bp, 0);
  };
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 0, 512); });
  BOOST_TEST(k.panicked());
  const std::string m = k.panic_message();
  BOOST_TEST((m.find("already delivered") != std::string::npos ||
              m.find("Bio already on queue") != std::string::npos),
             "panic message was \"" << m << "\"");
}

// g_down checks access before calling start: no start method ever sees a
// request its consumer was not opened for.
BOOST_AUTO_TEST_CASE(a_request_without_the_matching_access_count_fails_with_eperm) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k, 1, 0);
  k.run([&] {
    issue(cp, BIO_WRITE, 0, 512);
    issue(cp, BIO_DELETE, 0, 512);
  });
  BOOST_TEST(notes() == (std::vector<std::string>{"done g_up 1 0", "done g_up 1 0"}));
}

BOOST_AUTO_TEST_CASE(a_request_running_past_the_end_is_truncated_and_one_beyond_it_fails_with_eio) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k);
  const off_t end = 1 << 20;
  k.run([&] { issue(cp, BIO_READ, end - 512, 1024); });
  k.run([&] { issue(cp, BIO_READ, end + 512, 512); });
  BOOST_TEST(notes() == (std::vector<std::string>{"start g_down 512", "done g_up 0 512",
                                                  "done g_up 5 0"}));
}

// So g_read_data at offset == mediasize "succeeds" with nothing read.
BOOST_AUTO_TEST_CASE(a_request_at_the_end_of_the_media_completes_empty_without_reaching_start) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 1 << 20, 512); });
  BOOST_TEST(notes() == (std::vector<std::string>{"done g_up 0 0"}));
}

// A request cannot fail for lack of memory: the framework issues it again.
BOOST_AUTO_TEST_CASE(delivering_enomem_issues_the_request_again) {
  fixture k;
  static int starts;
  starts = 0;
  probe_a.start = [](struct bio *bp) {
    if (starts++ == 0) {
      g_io_deliver(bp, ENOMEM);
      return;
    }
    serve(bp);
  };
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 0, 512); });
  k.k().settle();  // g_down paces itself for a tick after an ENOMEM
  BOOST_TEST(starts == 2);
  BOOST_TEST(notes() == (std::vector<std::string>{"start g_down 512", "done g_up 0 512"}));
}

BOOST_AUTO_TEST_CASE(sleeping_in_a_start_method_panics) {
  fixture k;
  probe_a.start = [](struct bio *bp) { pause("zzz", 1); };
  struct g_consumer *cp = setup(k);
  k.run([&] { issue(cp, BIO_READ, 0, 512); });
  CHECK_PANIC(k, "with sleeping prohibited");
  BOOST_TEST(k.k().panic_info().thread == "g_down");
}

BOOST_AUTO_TEST_CASE(synchronous_io_in_a_done_method_panics) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k);
  k.run([&] {
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    bp->bio_done = [](struct bio *bp) {
      int error;
      g_read_data(bp->bio_from, 0, 512, &error);
    };
    g_io_request(bp, cp);
  });
  CHECK_PANIC(k, "sleeping prohibited");
  BOOST_TEST(k.k().panic_info().thread == "g_up");
}

BOOST_AUTO_TEST_CASE(g_write_data_and_g_read_data_round_trip) {
  fixture k;
  k.run([] { new_disk("d0"); });
  bool same = false;
  int werr = -1, rerr = -1;
  k.run([&] {
    g_topology_lock();
    struct g_consumer *cp = attach(new_geom(&probe_a_class, "g"), "d0");
    g_access(cp, 1, 1, 0);
    g_topology_unlock();
    char out[1024];
    memset(out, 0xa5, sizeof out);
    werr = g_write_data(cp, 4096, out, sizeof out);
    char *in = g_read_data(cp, 4096, sizeof out, &rerr);
    same = in != nullptr && memcmp(in, out, sizeof out) == 0;
    g_free(in);
  });
  BOOST_TEST(werr == 0);
  BOOST_TEST(rerr == 0);
  BOOST_TEST(same);
}

BOOST_AUTO_TEST_CASE(g_read_data_with_an_invalid_length_panics) {
  for (off_t length : {(off_t)0, (off_t)100, (off_t)MAXPHYS + 512}) {
    BOOST_TEST_CONTEXT("length " << length) {
      fixture k;
      struct g_consumer *cp = setup(k);
      k.run([&] {
        int error;
        g_read_data(cp, 0, length, &error);
      });
      CHECK_PANIC(k, "g_read_data(): invalid length");
    }
  }
}

// g_data(9) forbids it (the request sleeps and stalls the topology), but
// FreeBSD 10 does not check and ported classes do it: a finding, not a
// panic.
BOOST_AUTO_TEST_CASE(g_read_data_with_the_topology_lock_held_is_reported) {
  fixture k;
  probe_a.start = serve;
  struct g_consumer *cp = setup(k);
  int error = -1;
  k.run([&] {
    g_topology_lock();
    g_free(g_read_data(cp, 0, 512, &error));
    g_topology_unlock();
  });
  BOOST_TEST(error == 0);
  auto f = k.k().findings();
  BOOST_TEST(std::count_if(f.begin(), f.end(), [](const std::string &s) {
               return s.find("g_read_data() called with the topology lock held") !=
                      std::string::npos;
             }) == 1);
}

BOOST_AUTO_TEST_CASE(g_std_done_delivers_the_parent_when_the_last_clone_is_home_with_the_first_error) {
  fixture k;
  k.run([] { new_disk("d0"); });
  k.run([] {
    struct bio *parent = new_bio(BIO_READ, 0, 1024);
    g_topology_lock();
    parent->bio_to = provider("d0");  // as if requested: g_io_deliver needs it
    g_topology_unlock();
    struct bio *c1 = g_clone_bio(parent);
    struct bio *c2 = g_clone_bio(parent);
    BOOST_TEST(parent->bio_children == 2u);
    c1->bio_error = EIO;
    c1->bio_completed = 512;
    g_std_done(c1);
    note("first home");
    c2->bio_error = ENXIO;
    c2->bio_completed = 256;
    g_std_done(c2);
  });
  // The parent never went through g_io_request: delivered synchronously.
  BOOST_TEST(notes() == (std::vector<std::string>{"first home", "done test 5 768"}));
}

BOOST_AUTO_TEST_CASE(a_clone_copies_the_request_and_only_the_ordered_unmapped_vlist_flags) {
  fixture k;
  k.run([] {
    struct bio *bp = new_bio(BIO_WRITE, 4096, 2048);
    bp->bio_flags = BIO_ORDERED | BIO_ERROR | BIO_DONE;
    bp->bio_caller1 = buf;
    bp->bio_attribute = "GEOM::x";
    struct bio *c = g_clone_bio(bp);
    BOOST_TEST(c->bio_parent == bp);
    BOOST_TEST(c->bio_cmd == BIO_WRITE);
    BOOST_TEST(c->bio_offset == 4096);
    BOOST_TEST(c->bio_length == 2048);
    BOOST_TEST(c->bio_data == buf);
    BOOST_TEST(c->bio_attribute == bp->bio_attribute);
    BOOST_TEST(c->bio_flags == BIO_ORDERED);
    BOOST_TEST(c->bio_caller1.get() == nullptr);
    BOOST_TEST(c->bio_done == nullptr);
    g_destroy_bio(c);
    g_destroy_bio(bp);
  });
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(a_failed_clone_returns_null_and_counts_no_child) {
  fixture k;
  k.k().faults().add({"g_clone_bio", "", 1, 1});
  k.run([] {
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    BOOST_TEST(g_clone_bio(bp) == nullptr);
    BOOST_TEST(bp->bio_children == 0u);
    g_destroy_bio(bp);
  });
}

// Emulation-only: freeing a bio a queue still links would corrupt it.
BOOST_AUTO_TEST_CASE(destroying_a_bio_still_on_a_bio_queue_panics) {
  fixture k;
  k.run([] {
    struct bio_queue_head q;
    bioq_init(&q);
    struct bio *bp = new_bio(BIO_READ, 0, 512);
    bioq_disksort(&q, bp);
    g_destroy_bio(bp);
  });
  CHECK_PANIC(k, "still on a bio queue");
}

BOOST_AUTO_TEST_CASE(g_print_bio_prints_freebsds_format) {
  fixture k;
  k.run([] { new_disk("d0"); });
  k.run([] {
    struct bio *r = new_bio(BIO_READ, 512, 1024), *g = new_bio(BIO_GETATTR, 0, 4);
    struct bio *f = new_bio(BIO_FLUSH, 0, 0), *u = new_bio(BIO_CMD0, 0, 0);
    g->bio_attribute = "GEOM::ident";
    g_topology_lock();
    r->bio_to = g->bio_to = f->bio_to = provider("d0");
    g_topology_unlock();
    for (struct bio *bp : {r, g, f, u}) {
      printf("bio: ");
      g_print_bio(bp);
      printf("\n");
      g_destroy_bio(bp);
    }
  });
  BOOST_TEST(k.console_has("bio: d0[READ(offset=512, length=1024)]"));
  BOOST_TEST(k.console_has("bio: d0[GETATTR(attr=GEOM::ident)]"));
  BOOST_TEST(k.console_has("bio: d0[FLUSH]"));
  BOOST_TEST(k.console_has("bio: [unknown][UNKNOWN()]"));
}

BOOST_AUTO_TEST_CASE(g_handleattr_answers_the_attribute_it_is_asked_for) {
  fixture k;
  probe_a.start = [](struct bio *bp) {
    if (bp->bio_cmd == BIO_GETATTR && g_handleattr_int(bp, "GEOM::fwheads", 16)) return;
    g_io_deliver(bp, EOPNOTSUPP);
  };
  struct g_consumer *cp = setup(k);
  int heads = 0, e1 = -1, e2 = -1;
  k.run([&] {
    e1 = g_getattr("GEOM::fwheads", cp, &heads);
    int sectors;
    e2 = g_getattr("GEOM::fwsectors", cp, &sectors);
  });
  BOOST_TEST(e1 == 0);
  BOOST_TEST(heads == 16);
  BOOST_TEST(e2 == EOPNOTSUPP);
}

// Bios come from the uma zone g_bio, as FreeBSD's biozone: vmstat -z
// shows it (item size, in use, requests, failures), vmstat -m does not.
BOOST_AUTO_TEST_CASE(bios_come_from_the_g_bio_zone_and_failed_allocations_count_as_fail) {
  fixture k;
  k.k().faults().add({"malloc", "g_bio", 1, 1});
  k.run([] {
    struct bio *bp = g_new_bio();  // the injected failure
    BOOST_TEST(bp == nullptr);
    bp = g_new_bio();
    BOOST_REQUIRE(bp != nullptr);
    struct bio *bp2 = g_alloc_bio();
    bool found = false;
    for (const kern::malloc_stat &s : kern::sys_malloc_stats()) {
      if (s.type != "g_bio") continue;
      found = true;
      BOOST_TEST(s.zone_item_size == sizeof(struct bio));
      BOOST_TEST(s.inuse == 2u);
      BOOST_TEST(s.requests == 2u);
      BOOST_TEST(s.failures == 1u);
    }
    BOOST_TEST(found);
    g_destroy_bio(bp);
    g_destroy_bio(bp2);
  });
}
