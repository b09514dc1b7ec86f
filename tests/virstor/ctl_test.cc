// Control requests: add (and the delayed writes it releases), remove,
// stop/destroy, and geom(8)'s list and status built from dumpconf.
#define BOOST_TEST_MODULE virstor_ctl
#include <boost/test/unit_test.hpp>

#include "kern/sched.h"
#include "tests/support/test_disk.h"
#include "tests/virstor/virstor_util.h"

using vtest::bytes;
using vtest::le16;
using vtest::le32;

namespace {

constexpr int64_t MiB = 1 << 20, CHUNK = 4 * MiB;

bool exists(testsupport::booted &k, const std::string &dev) {
  bool e = false;
  k.run([&] { e = vtest::dev_exists(dev); });
  return e;
}

vtest::cmd_result gvirstor(testsupport::booted &k, const std::vector<std::string> &args) {
  vtest::cmd_result r;
  k.run([&] { r = vtest::gvirstor(args); });
  return r;
}

// A write that finds no free physical chunk waits on the delayed queue
// until `gvirstor add` brings space; then it completes.
void add_drains_the_delayed_queue(kern::sched_mode mode) {
  testsupport::booted k(vtest::options(mode, 3));
  // td0: 24 MiB = 5 usable chunks, 2 reserved for the map: 3 to give.
  vtest::make_disks(k, {"td0"}, 24 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0"}).status == 0);
  for (int c = 0; c < 3; c++) {
    int error = -1;
    k.run([&] { error = vtest::dev_write("virstor/vs", c * CHUNK, vtest::pattern(512, c)); });
    BOOST_REQUIRE(error == 0);
  }
  bytes data = vtest::pattern(8192, 42);
  int werror = -1;
  kern::thread *writer = k.k().spawn("writer", [&] {
    werror = vtest::dev_write("virstor/vs", 10 * CHUNK + 4096, data);
  });
  k.k().settle();
  BOOST_TEST(!writer->finished());
  BOOST_TEST(vtest::console_matching(k, "GEOM_VIRSTOR[1]: All physical space allocated for vs").size() == 1u);
  BOOST_TEST(vtest::console_matching(
                 k, "GEOM_VIRSTOR[2]: Delaying BIO (size=8192) until free physical space "
                    "can be found on virstor/vs")
                 .size() == 1u);

  vtest::cmd_result r = gvirstor(k, {"add", "vs", "td1"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == "");
  k.k().settle();
  BOOST_TEST(writer->finished());
  k.k().reap(writer);
  BOOST_TEST(werror == 0);
  bytes back;
  k.run([&] { vtest::dev_read("virstor/vs", 10 * CHUNK + 4096, data.size(), back); });
  BOOST_TEST(back == data);
  // It went to td1's first chunk, and the map on td0 says so.
  BOOST_TEST(vtest::peek("td1", 4096, data.size()) == data);
  bytes e = vtest::peek("td0", 8 * 10, 8);
  BOOST_TEST(le16(e, 0) == 1u);
  BOOST_TEST(le16(e, 2) == 1u);
  BOOST_TEST(le32(e, 4) == 0u);
  BOOST_TEST(!k.panicked());
}

}  // namespace

BOOST_AUTO_TEST_CASE(add_to_a_full_device_releases_the_delayed_write_det) {
  add_drains_the_delayed_queue(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(add_to_a_full_device_releases_the_delayed_write_threads) {
  add_drains_the_delayed_queue(kern::sched_mode::threads);
}

BOOST_AUTO_TEST_CASE(add_writes_metadata_for_the_new_component_and_updates_the_count) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0"}).status == 0);
  BOOST_TEST(gvirstor(k, {"add", "-h", "vs", "td1"}).status == 0);
  bytes s0 = vtest::peek("td0", 32 * MiB - 512, 512), s1 = vtest::peek("td1", 32 * MiB - 512, 512);
  BOOST_TEST(le16(s0, 52) == 2u);                         // md_count
  BOOST_TEST(le16(s1, 52) == 2u);
  BOOST_TEST(le32(s1, 48) == le32(s0, 48));               // same md_id
  BOOST_TEST(le16(s1, 70) == 1u);                         // no
  BOOST_TEST(le32(s1, 80) == 8u);                         // mediasize / chunk_size
  BOOST_TEST(std::string((const char *)&s1[54], 3) == "td1");  // -h
  int64_t size = 0;
  unsigned ss = 0;
  k.run([&] { vtest::dev_geometry("virstor/vs", size, ss); });
  BOOST_TEST(size == 512 * MiB);
}

BOOST_AUTO_TEST_CASE(add_refuses_unknown_devices_and_providers) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0"}).status == 0);
  vtest::cmd_result nodev = gvirstor(k, {"add", "nope", "td0"});
  vtest::cmd_result noprov = gvirstor(k, {"add", "vs", "td7"});
  vtest::cmd_result few = gvirstor(k, {"add", "vs"});
  BOOST_TEST(nodev.status == 1);
  BOOST_TEST(nodev.err == "gvirstor: Don't know anything about 'nope'\n");
  BOOST_TEST(noprov.status == 1);
  BOOST_TEST(noprov.err == "gvirstor: Invalid provider: 'td7'\n");
  BOOST_TEST(few.status == 1);
  BOOST_TEST(few.err == "gvirstor: Invalid number of arguments\n");
}

// An unallocated component goes away: its metadata is cleared, the
// others record one component fewer, and the device comes back without it.
BOOST_AUTO_TEST_CASE(remove_of_an_unallocated_component) {
  testsupport::booted k({kern::sched_mode::det, 1, {{"kern.geom.virstor.debug", "5"}}, {}});
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0", "td1"}).status == 0);
  bytes data = vtest::pattern(4096, 5), back;
  k.run([&] { vtest::dev_write("virstor/vs", 7 * CHUNK, data); });
  vtest::cmd_result r = gvirstor(k, {"remove", "vs", "td1"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(vtest::console_matching(k, "GEOM_VIRSTOR[5]: Clearing metadata on td1").size() == 1u);
  BOOST_TEST(vtest::console_matching(k, "GEOM_VIRSTOR[5]: Removed 1 component(s) from vs").size() == 1u);
  BOOST_TEST(vtest::peek("td1", 32 * MiB - 512, 512) == bytes(512, 0));
  BOOST_TEST(le16(vtest::peek("td0", 32 * MiB - 512, 512), 52) == 1u);
  // Through a stop and a retaste the device is td0 alone, data intact.
  gvirstor(k, {"stop", "vs"});
  k.run([&] { vtest::dev_touch("td0"); });
  BOOST_TEST(exists(k, "virstor/vs"));
  k.run([&] { vtest::dev_read("virstor/vs", 7 * CHUNK, data.size(), back); });
  BOOST_TEST(back == data);
  BOOST_TEST(!k.panicked());
}

// The seed logs the refusal but reports no error: gvirstor exits 0.
BOOST_AUTO_TEST_CASE(remove_of_an_allocated_component_is_refused_in_the_log_only) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0", "td1"}).status == 0);
  vtest::cmd_result r = gvirstor(k, {"remove", "vs", "td0"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == "");
  BOOST_TEST(vtest::console_matching(
                 k, "GEOM_VIRSTOR[1]: Allocated provider td0 cannot be removed from vs")
                 .size() == 1u);
  BOOST_TEST(std::string((const char *)vtest::peek("td0", 32 * MiB - 512, 13).data(), 13) ==
             "GEOM::VIRSTOR");
  BOOST_TEST(exists(k, "virstor/vs"));
}

BOOST_AUTO_TEST_CASE(stop_and_destroy_take_the_device_away_and_keep_the_metadata) {
  for (const char *verb : {"stop", "destroy"}) {
    testsupport::booted k;
    vtest::make_disks(k, {"td0"}, 32 * MiB);
    BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0"}).status == 0);
    vtest::cmd_result r = gvirstor(k, {verb, "vs"});
    BOOST_TEST(r.status == 0, verb);
    BOOST_TEST(!exists(k, "virstor/vs"), verb);
    BOOST_TEST(std::string((const char *)vtest::peek("td0", 32 * MiB - 512, 13).data(), 13) ==
               "GEOM::VIRSTOR");
    vtest::cmd_result again = gvirstor(k, {verb, "vs"});
    BOOST_TEST(again.status == 1);
    BOOST_TEST(again.err == "gvirstor: Don't know anything about 'vs'\n");
  }
}

BOOST_AUTO_TEST_CASE(list_and_status_print_the_dumpconf_keys_as_geom_does) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0", "td1"}).status == 0);
  vtest::cmd_result list = gvirstor(k, {"list"});
  vtest::cmd_result status = gvirstor(k, {"status"});
  BOOST_TEST(list.status == 0);
  // 14 physical chunks, 4 of them used (td0's 2 reserved, counted twice).
  BOOST_TEST(list.out ==
             "Geom name: vs\n"
             "VirtualSize: 536870912\n"
             "PhysicalBackingSize: 67108864\n"
             "PhysicalBacking: 10%\n"
             "ChunkVirtualCount: 128\n"
             "ChunkPhysicalCount: 14\n"
             "PhysicalFree: 72%\n"
             "ChunkSize: 4194304\n"
             "State: 72% physical free\n"
             "Status: Components=2, Online=2\n"
             "Providers:\n"
             "1. Name: virstor/vs\n"
             "   Mediasize: 536870912 (512M)\n"
             "   Sectorsize: 512\n"
             "   Mode: r0w0e0\n"
             "Consumers:\n"
             "1. Name: td0\n"
             "   Mediasize: 33554432 (32M)\n"
             "   Sectorsize: 512\n"
             "   Mode: r0w0e0\n"
             "   StorageFree: 43%\n"
             "   ChunksReserved: 2\n"
             "   ChunksUsed: 2\n"
             "   ChunkCount: 7\n"
             "   ComponentIndex: 0\n"
             "2. Name: td1\n"
             "   Mediasize: 33554432 (32M)\n"
             "   Sectorsize: 512\n"
             "   Mode: r0w0e0\n"
             "   StorageFree: 100%\n"
             "   ChunksReserved: 0\n"
             "   ChunksUsed: 0\n"
             "   ChunkCount: 7\n"
             "   ComponentIndex: 1\n"
             "\n");
  BOOST_TEST(status.status == 0);
  BOOST_TEST(status.out ==
             "      Name             Status  Components\n"
             "virstor/vs  72% physical free  td0\n"
             "                               td1\n");
}
