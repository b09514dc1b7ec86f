// The DEV class's ioctls on /dev nodes (geom_dev.c's g_dev_ioctl):
// DIOCGDELETE checks its region, then sends it down as BIO_DELETEs of at
// most kern.geom.dev.delete_max_sectors sectors, as FreeBSD 10 does.
#define BOOST_TEST_MODULE framework_dev
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

const off_t kMedia = 1ll << 30;  // 1 GiB: no storage behind it

// Provider p of a PROBEA geom, published as /dev/p; every DELETE that
// reaches it is noted as "delete OFFSET LENGTH" and completed.
void setup(fixture &k, off_t stripesize = 0, off_t stripeoffset = 0) {
  probe_a.start = [](struct bio *bp) {
    if (bp->bio_cmd == BIO_DELETE)
      note("delete " + std::to_string(bp->bio_offset) + " " + std::to_string(bp->bio_length));
    bp->bio_completed = bp->bio_length;
    g_io_deliver(bp, 0);
  };
  k.run([&] {
    g_topology_lock();
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    struct g_provider *pp = g_new_providerf(gp, "p");
    pp->mediasize = kMedia;
    pp->sectorsize = 512;
    pp->stripesize = stripesize;
    pp->stripeoffset = stripeoffset;
    g_error_provider(pp, 0);
    g_topology_unlock();
  });
}

// (No BOOST_REQUIRE: a fatal check unwinds the host while the fixture's
// kernel shuts down, and the det scheduler's threads then never block.)

// DIOCGDELETE on /dev/p; the ioctl's error (or open's, negated).
int dev_delete(fixture &k, int64_t off, int64_t len) {
  int error = -1;
  k.run([&] {
    int fd;
    int e = kern::sys_open("/dev/p", kern::BSD_O_RDWR, fd);
    if (e != 0) {
      error = -e;
      return;
    }
    error = kern::sys_diocgdelete(fd, off, len);
    kern::sys_close(fd);
  });
  return error;
}

void set_delete_max_sectors(fixture &k, const char *value) {
  int error = -1;
  k.run([&] { error = kern::sys_sysctl_set("kern.geom.dev.delete_max_sectors", value); });
  BOOST_TEST(error == 0, "kern.geom.dev.delete_max_sectors: error " << error);
}

using notes_t = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(diocgdelete_of_a_region_not_in_whole_sectors_prints_it_and_fails_with_einval) {
  fixture k;
  setup(k);
  BOOST_TEST(dev_delete(k, 100, 512) == EINVAL);
  BOOST_TEST(dev_delete(k, 512, 1000) == EINVAL);
  BOOST_TEST(dev_delete(k, 0, 0) == EINVAL);
  BOOST_TEST(dev_delete(k, 0, -512) == EINVAL);
  BOOST_TEST(k.console_has("g_dev_ioctl: offset=100 length=512"));
  BOOST_TEST(k.console_has("g_dev_ioctl: offset=512 length=1000"));
  BOOST_TEST(k.console_has("g_dev_ioctl: offset=0 length=0"));
  BOOST_TEST(k.console_has("g_dev_ioctl: offset=0 length=-512"));
  BOOST_TEST(notes().empty());  // nothing reached the provider
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(diocgdelete_at_or_past_the_end_of_the_media_fails_with_eio) {
  fixture k;
  setup(k);
  BOOST_TEST(dev_delete(k, kMedia, 512) == EIO);
  BOOST_TEST(dev_delete(k, kMedia + 4096, 4096) == EIO);
  BOOST_TEST(notes().empty());
  BOOST_TEST(!k.panicked());
}

BOOST_AUTO_TEST_CASE(diocgdelete_running_past_the_end_is_cut_at_the_end_of_the_media) {
  fixture k;
  setup(k);
  set_delete_max_sectors(k, "8");
  // 4 KiB pieces: without the cut, the third would start past the end.
  BOOST_TEST(dev_delete(k, kMedia - 5120, 16384) == 0);
  BOOST_TEST(notes() == (notes_t{"delete " + std::to_string(kMedia - 5120) + " 4096",
                                 "delete " + std::to_string(kMedia - 1024) + " 1024"}));
}

BOOST_AUTO_TEST_CASE(diocgdelete_is_split_into_requests_of_delete_max_sectors_262144_by_default) {
  fixture k;
  setup(k);
  std::string value;
  k.run([&] { kern::sys_sysctl_get("kern.geom.dev.delete_max_sectors", value); });
  BOOST_TEST(value == "262144");
  const int64_t mib = 1 << 20;
  BOOST_TEST(dev_delete(k, 0, 300 * mib) == 0);
  BOOST_TEST(notes() == (notes_t{"delete 0 " + std::to_string(128 * mib),
                                 "delete " + std::to_string(128 * mib) + " " + std::to_string(128 * mib),
                                 "delete " + std::to_string(256 * mib) + " " + std::to_string(44 * mib)}));
}

BOOST_AUTO_TEST_CASE(diocgdelete_pieces_end_on_a_stripe_boundary) {
  fixture k;
  setup(k, 4096, 1024);
  set_delete_max_sectors(k, "16");  // 8 KiB
  // Stripes start at 4096n - 1024 (stripeoffset 1024).
  BOOST_TEST(dev_delete(k, 0, 20480) == 0);
  BOOST_TEST(notes() == (notes_t{"delete 0 7168", "delete 7168 8192", "delete 15360 5120"}));
}

BOOST_AUTO_TEST_CASE(diocgdelete_with_delete_max_sectors_0_sends_one_request) {
  fixture k;
  setup(k);
  set_delete_max_sectors(k, "0");
  BOOST_TEST(dev_delete(k, 512, 512 << 20) == 0);
  BOOST_TEST(notes() == (notes_t{"delete 512 " + std::to_string(512 << 20)}));
}
