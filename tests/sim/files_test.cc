// The machine's files as userland sees them (sim/userland/files.h): a file
// is as long as what was written to it, byte for byte, as st_size is on
// FreeBSD; dd extends it, conv=notrunc keeps the rest, truncate(1) cuts
// and grows it; md(4) makes a vnode disk of its whole sectors.
#define BOOST_TEST_MODULE sim_files
#include <boost/test/unit_test.hpp>

#include <string>

#include "kern/syscalls.h"
#include "sim/userland/files.h"
#include "tests/sim/sim_fixture.h"

namespace {

// The file's length and bytes, read from the host.
struct contents {
  int64_t size = -1;
  std::string bytes;
};

contents read_file(const std::string &path) {
  contents c;
  if (sim::file_size(path, c.size) != 0) return c;
  c.bytes.assign((size_t)c.size, '?');
  size_t done = 0;
  sim::file_read(path, c.bytes.data(), c.bytes.size(), 0, done);
  c.bytes.resize(done);
  return c;
}

void write_file(const std::string &path, const std::string &bytes) {
  size_t done = 0;
  BOOST_TEST(sim::file_truncate(path, 0) == 0);
  BOOST_TEST(sim::file_write(path, bytes.data(), bytes.size(), 0, done) == 0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_file_is_as_long_as_what_was_written_not_a_whole_number_of_sectors) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  write_file("/f", "hi");
  BOOST_TEST(read_file("/f").size == 2);
  auto dd = r.sh("dd if=/f of=/dev/null");
  BOOST_TEST(dd.status == 0);
  BOOST_TEST(dd.err.find("0+1 records in\n0+1 records out\n2 bytes transferred") == 0, dd.err);
  // The digests FreeBSD prints for the two bytes "hi".
  BOOST_TEST(r.sh("md5 /f").out == "MD5 (/f) = 49f68a5c8493ec2c0bf489821c21fc3b\n");
  BOOST_TEST(r.sh("sha256 -q /f").out ==
             "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4\n");
  BOOST_TEST(r.sh("truncate -s 2 /g").status == 0);
  BOOST_TEST(read_file("/g").size == 2);
  BOOST_TEST(r.sh("cmp /g /g").status == 0);
}

BOOST_AUTO_TEST_CASE(dd_extends_a_file_the_gap_reads_zeros_and_conv_notrunc_keeps_the_rest) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  write_file("/f", "abcdef");
  // Past the end: the file grows to the last byte written.
  BOOST_TEST(r.sh("dd if=/dev/zero of=/f bs=1 seek=10 count=3 conv=notrunc").status == 0);
  BOOST_TEST(read_file("/f").bytes == std::string("abcdef\0\0\0\0\0\0\0", 13));
  // Inside it with conv=notrunc: the length stays.
  BOOST_TEST(r.sh("dd if=/dev/zero of=/f bs=1 seek=1 count=1 conv=notrunc").status == 0);
  BOOST_TEST(read_file("/f").bytes == std::string("a\0cdef\0\0\0\0\0\0\0", 13));
  // Without it dd truncates the file at seek * obs first.
  BOOST_TEST(r.sh("dd if=/f of=/f bs=1 skip=2 seek=4 count=1").status == 0);
  BOOST_TEST(read_file("/f").bytes == std::string("a\0cdc", 5));
  // seek=0 without conv=notrunc: the output is what was copied.
  write_file("/src", "xyz");
  BOOST_TEST(r.sh("dd if=/src of=/f").status == 0);
  BOOST_TEST(read_file("/f").bytes == "xyz");
}

BOOST_AUTO_TEST_CASE(truncate_cuts_a_file_and_a_file_grown_again_reads_zeros_past_the_cut) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  write_file("/f", "abcdef");
  BOOST_TEST(r.sh("truncate -s 2 /f").status == 0);
  BOOST_TEST(read_file("/f").bytes == "ab");
  BOOST_TEST(r.sh("truncate -s +4 /f").status == 0);
  BOOST_TEST(read_file("/f").bytes == std::string("ab\0\0\0\0", 6));
  BOOST_TEST(r.sh("truncate -s 1000 /f").status == 0);
  contents c = read_file("/f");
  BOOST_TEST(c.size == 1000);
  BOOST_TEST(c.bytes == std::string("ab") + std::string(998, '\0'));
}

// md.c prunes the media size (mdconfig passes st_size) to whole sectors
// and refuses less than one sector.
BOOST_AUTO_TEST_CASE(md_vnode_disk_is_the_files_length_rounded_down_to_whole_sectors) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(r.sh("truncate -s 1000 /f").status == 0);
  BOOST_TEST(r.sh("mdconfig -a -t vnode -f /f").out == "md0\n");
  BOOST_TEST(r.sh("diskinfo md0").out == "md0\t512\t512\t1\t0\t0\n");
  BOOST_TEST(r.sh("truncate -s 2 /two").status == 0);
  auto two = r.sh("mdconfig -a -t vnode -f /two");
  BOOST_TEST(two.status == 1);
  BOOST_TEST(two.err == "mdconfig: ioctl(/dev/mdctl): Invalid argument\n");
  BOOST_TEST(r.sh("mdconfig -l").out.find("md1") == std::string::npos);
}
