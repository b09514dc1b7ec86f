// gvirstor label, clear and dump: what lands on the disks and what the
// user reads, against the reference's label algorithm and FreeBSD's
// messages. On-disk checks read raw media at the reference's offsets and
// do not use the port's codec.
#define BOOST_TEST_MODULE virstor_label
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "kern/syscalls.h"
#include "tests/support/test_disk.h"
#include "tests/virstor/virstor_util.h"

using vtest::bytes;
using vtest::le16;
using vtest::le32;
using vtest::le64;

namespace {

constexpr int64_t MiB = 1 << 20;

// The last sector of a TDISK, raw.
bytes last_sector(const std::string &disk, int64_t size, unsigned secsize = 512) {
  return vtest::peek(disk, size - secsize, secsize);
}

std::string field(const bytes &s, size_t off, size_t len = 16) {
  return std::string((const char *)&s[off], len);
}

// The first arc4random() draw of a kernel booted with `seed`.
uint32_t first_id(uint64_t seed) {
  testsupport::booted k(vtest::options(kern::sched_mode::det, seed));
  return (uint32_t)(k.k().random("arc4random") >> 32);
}

}  // namespace

BOOST_AUTO_TEST_CASE(label_writes_what_freebsd_label_writes_field_by_field) {
  bytes sec0, sec1, map_area;
  {
    // No tasting: once the class tastes the new device it rewrites the
    // metadata itself (see docs/virstor-defects.md, write_metadata); this
    // test is about what label writes.
    testsupport::booted k(vtest::options(kern::sched_mode::det, 42));
    vtest::cmd_result r;
    vtest::make_disks(k, {"td0"}, 64 * MiB);
    vtest::make_disks(k, {"td1"}, 48 * MiB);
    k.run([&] {
      kern::sys_sysctl_set("kern.geom.notaste", "1");
      // The map must be written as zeroes over whatever was there.
      vtest::poke("td0", 0, bytes(4096, 0xff));
      r = vtest::gvirstor({"label", "-s", "1G", "vs", "td0", "/dev/td1"});
    });
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.err == "");
    sec0 = last_sector("td0", 64 * MiB);
    sec1 = last_sector("td1", 48 * MiB);
    map_area = vtest::peek("td0", 0, 4096);
  }
  uint32_t id = first_id(42);

  for (const bytes *s : {&sec0, &sec1}) {
    BOOST_TEST(field(*s, 0) == std::string("GEOM::VIRSTOR\0\0\0", 16));
    BOOST_TEST(le32(*s, 16) == 1u);                          // md_version
    BOOST_TEST(field(*s, 20) == std::string("vs\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
    BOOST_TEST(le64(*s, 36) == uint64_t(1) << 30);           // md_virsize
    BOOST_TEST(le32(*s, 44) == 4u * MiB);                    // md_chunk_size
    BOOST_TEST(le32(*s, 48) == id);                          // md_id
    BOOST_TEST(le16(*s, 52) == 2u);                          // md_count
    BOOST_TEST(field(*s, 54) == std::string(16, '\0'));      // provider: not hardcoded
    for (size_t i = 92; i < s->size(); i++) BOOST_TEST_REQUIRE((*s)[i] == 0);
  }
  // Component 0: 64 MiB = 16 chunks, but the 16th would cover the last
  // sector, so 15; the 1 GiB map (256 entries, 2 KiB) needs 1 chunk, and
  // twice that is reserved and already used; it is allocated and current.
  BOOST_TEST(le16(sec0, 70) == 0u);
  BOOST_TEST(le64(sec0, 72) == uint64_t(64 * MiB));
  BOOST_TEST(le32(sec0, 80) == 15u);
  BOOST_TEST(le32(sec0, 84) == 2u);
  BOOST_TEST(le16(sec0, 88) == 2u);
  BOOST_TEST(le16(sec0, 90) == 3u);
  // Component 1: 48 MiB = 12 chunks - 1, nothing reserved, no flags.
  BOOST_TEST(le16(sec1, 70) == 1u);
  BOOST_TEST(le64(sec1, 72) == uint64_t(48 * MiB));
  BOOST_TEST(le32(sec1, 80) == 11u);
  BOOST_TEST(le32(sec1, 84) == 0u);
  BOOST_TEST(le16(sec1, 88) == 0u);
  BOOST_TEST(le16(sec1, 90) == 0u);
  // The zeroed map: exactly 256 * 8 bytes at offset 0 of the first provider.
  for (size_t i = 0; i < 2048; i++) BOOST_TEST_REQUIRE(map_area[i] == 0);
  BOOST_TEST(map_area[2048] == 0xff);
}

// The id is data, drawn from the data seed: replaying under another
// scheduling seed labels with the same id, another data seed with another.
BOOST_AUTO_TEST_CASE(label_id_comes_from_the_seeded_data_generator) {
  auto id_with = [](uint64_t seed, uint64_t data_seed) {
    testsupport::boot_options o = vtest::options(kern::sched_mode::det, seed);
    o.data_seed = data_seed;
    testsupport::booted k(o);
    vtest::make_disks(k, {"td0"}, 32 * MiB);
    k.run([&] {
      vtest::gvirstor({"label", "-s", "64M", "vs", "td0"});
    });
    return le32(last_sector("td0", 32 * MiB), 48);
  };
  BOOST_TEST(id_with(7, 1) == id_with(7, 1));
  BOOST_TEST(id_with(7, 1) == id_with(8, 1));
  BOOST_TEST(id_with(7, 1) != id_with(7, 2));
  BOOST_TEST(id_with(7, 1) == first_id(7));
}

BOOST_AUTO_TEST_CASE(label_with_h_hardcodes_provider_names_without_dev) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  k.run([&] {
    r = vtest::gvirstor({"label", "-h", "-s", "128M", "vs", "td0", "/dev/td1"});
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(field(last_sector("td0", 32 * MiB), 54) == std::string("td0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
  BOOST_TEST(field(last_sector("td1", 32 * MiB), 54) == std::string("td1\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
}

BOOST_AUTO_TEST_CASE(label_rounds_chunk_size_up_to_maxphys_with_a_note) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  k.run([&] {
    r = vtest::gvirstor({"label", "-m", "100k", "-s", "64M", "vs", "td0"});
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err ==
             "Resizing chunk size to be a multiple of MAXPHYS (128 kB).\n"
             "New chunk size: 128 kB\n");
  BOOST_TEST(le32(last_sector("td0", 32 * MiB), 44) == 128u * 1024);
}

BOOST_AUTO_TEST_CASE(label_rounds_virtual_size_down_then_grows_it_to_whole_map_sectors) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  k.run([&] {
    // 1001 MiB -> 250 chunks of 4 MiB (1000 MiB); a 250-entry map is 2000
    // bytes, so 6 chunks more make it 4 whole sectors: 1024 MiB.
    r = vtest::gvirstor({"label", "-s", "1001M", "vs", "td0"});
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err ==
             "Resizing virtual size to be a multiple of chunk size.\n"
             "New virtual size: 1000 MB\n"
             "Resizing virtual size to fit virstor structures.\n"
             "New virtual size: 1024 MB (6 new chunks)\n");
  BOOST_TEST(le64(last_sector("td0", 32 * MiB), 36) == uint64_t(1024) * MiB);
}

BOOST_AUTO_TEST_CASE(label_warns_when_virtual_size_is_below_physical_size) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  k.run([&] {
    r = vtest::gvirstor({"label", "-m", "128k", "-s", "32M", "vs", "td0", "td1"});
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err ==
             "WARNING: Virtual storage size < Physical available storage "
             "(33554432 < 67108864)\n");
}

BOOST_AUTO_TEST_CASE(label_reports_a_too_small_device_but_labels_it_anyway) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  vtest::make_disks(k, {"td1"}, 8 * MiB);
  k.run([&] {
    r = vtest::gvirstor({"label", "-s", "1G", "vs", "td0", "td1"});
  });
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err == "gvirstor: Device td1 is too small\n");
  BOOST_TEST(field(last_sector("td1", 8 * MiB), 0, 13) == "GEOM::VIRSTOR");
  BOOST_TEST(le32(last_sector("td1", 8 * MiB), 80) == 1u);  // 2 chunks - the last sector's
  bool exists = false;
  k.run([&] { exists = vtest::dev_exists("virstor/vs"); });
  BOOST_TEST(exists);
}

BOOST_AUTO_TEST_CASE(label_verbose_prints_freebsd_progress_lines) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 64 * MiB);
  vtest::make_disks(k, {"td1"}, 64 * MiB);
  k.run([&] {
    r = vtest::gvirstor({"label", "-v", "-s", "1G", "vs", "td0", "td1"});
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out ==
             "Total virtual chunks: 256 (4 MB each), 1024 MB total virtual size.\n"
             "Clearing metadata on td0 td1.\n"
             "Writing allocation table to td0... (0 MB, 1 chunks) \n"
             "Storing metadata on td0 (16 chunks) (2 reserved) td1 (16 chunks) Done.\n");
}

BOOST_AUTO_TEST_CASE(label_refuses_providers_with_different_sector_sizes) {
  testsupport::booted k;
  vtest::cmd_result r;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB, 4096);
  k.run([&] {
    r = vtest::gvirstor({"label", "-s", "128M", "vs", "td0", "td1"});
  });
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err == "gvirstor: Devices need to have same sector size (4096 on td1 needs to be 512).\n");
  BOOST_TEST(field(last_sector("td0", 32 * MiB), 0, 13) != "GEOM::VIRSTOR");
}

BOOST_AUTO_TEST_CASE(label_refuses_bad_arguments_with_freebsd_messages) {
  testsupport::booted k;
  vtest::cmd_result zero, few;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  k.run([&] {
    zero = vtest::gvirstor({"label", "-s", "0", "vs", "td0"});
    few = vtest::gvirstor({"label", "vs"});
  });
  BOOST_TEST(zero.status == 1);
  BOOST_TEST(zero.err == "gvirstor: Virtual size and chunk size must be non-zero\n");
  BOOST_TEST(few.status == 1);
  BOOST_TEST(few.err ==
             "gvirstor: Too few arguments (1): expecting: name provider0 [provider1 ...]\n");
}

BOOST_AUTO_TEST_CASE(label_loads_the_class_module) {
  testsupport::booted k;  // nothing but the built-in classes
  BOOST_TEST(!k.k().module_loaded("g_virstor"));
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  k.run([&] {
    vtest::gvirstor({"label", "-s", "64M", "vs", "td0"});
  });
  BOOST_TEST(k.k().module_loaded("g_virstor"));
}

BOOST_AUTO_TEST_CASE(dump_prints_the_metadata_as_freebsd_does) {
  testsupport::booted k;
  vtest::cmd_result r, bad;
  vtest::make_disks(k, {"td0"}, 64 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  k.run([&] {
    vtest::gvirstor({"label", "-h", "-s", "1G", "vs", "td0", "td1"});
    r = vtest::gvirstor({"dump", "td0"});
    bad = vtest::gvirstor({"dump", "td1", "nosuch"});
  });
  uint32_t id = le32(last_sector("td0", 64 * MiB), 48);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out ==
             "Metadata on td0:\n"
             "          Magic string: GEOM::VIRSTOR\n"
             "      Metadata version: 1\n"
             "           Device name: vs\n"
             "             Device ID: " + std::to_string(id) + "\n"
             "        Provider index: 0\n"
             "      Active providers: 2\n"
             "    Hardcoded provider: td0\n"
             "          Virtual size: 1024 MB\n"
             "            Chunk size: 4096 kB\n"
             "    Chunks on provider: 15\n"
             "           Chunks free: 13\n"
             "       Reserved chunks: 2\n"
             "\n");
  BOOST_TEST(bad.status == 1);
  BOOST_TEST(bad.out.find("Metadata on td1:\n") == 0u);
  BOOST_TEST(bad.err ==
             "Can't read metadata from nosuch: No such file or directory.\n"
             "gvirstor: Not fully done (error reading metadata).\n");
}

BOOST_AUTO_TEST_CASE(clear_zeroes_virstor_metadata_and_refuses_other_sectors) {
  testsupport::booted k;
  vtest::cmd_result r, other;
  vtest::make_disks(k, {"td0"}, 32 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  k.run([&] {
    vtest::gvirstor({"label", "-s", "64M", "vs", "td0"});
    vtest::poke("td1", 32 * MiB - 512, bytes(512, 'x'));
    r = vtest::gvirstor({"clear", "-v", "td0"});
    other = vtest::gvirstor({"clear", "td1"});
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "Metadata cleared on td0.\nDone.\n");
  BOOST_TEST(last_sector("td0", 32 * MiB) == bytes(512, 0));
  BOOST_TEST(other.status == 1);
  BOOST_TEST(other.err ==
             "Can't clear metadata on td1: Invalid argument (do I own it?)\n"
             "gvirstor: Not fully done (can't clear metadata).\n");
  BOOST_TEST(last_sector("td1", 32 * MiB) == bytes(512, 'x'));
}

BOOST_AUTO_TEST_CASE(usage_lists_freebsd_commands_and_options) {
  testsupport::booted k;
  vtest::cmd_result r;
  k.run([&] { r = vtest::gvirstor({}); });
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err ==
             "usage: gvirstor clear [-v] prov ...\n"
             "       gvirstor dump prov ...\n"
             "       gvirstor label [-h] [-v] [-m chunk_size] [-s vir_size] name provider0 [provider1 ...]\n"
             "       gvirstor destroy [-fv] name ...\n"
             "       gvirstor stop [-fv] name ... (alias for \"destroy\")\n"
             "       gvirstor add [-vh] name prov [prov ...]\n"
             "       gvirstor remove [-v] name ...\n"
             "       gvirstor help\n"
             "       gvirstor list [-a] [name ...]\n"
             "       gvirstor status [-ags] [name ...]\n"
             "       gvirstor load [-v]\n"
             "       gvirstor unload [-v]\n");
}
