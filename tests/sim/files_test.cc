// The machine's files as userland sees them (sim/userland/files.h): a file
// is as long as what was written to it, byte for byte, as st_size is on
// FreeBSD; dd extends it, conv=notrunc keeps the rest, truncate(1) cuts
// and grows it; md(4) makes a vnode disk of its whole sectors.
#define BOOST_TEST_MODULE sim_files
#include <boost/test/unit_test.hpp>

#include <string>

#include "kern/bsd_errno.h"
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

// A file that grows gets room to grow more (its media at least doubles),
// so dd writing a file piece by piece copies it a logarithmic number of
// times; the room never shows: the length is what was written, and bytes
// past a cut read as zeros when the file grows into them again.
BOOST_AUTO_TEST_CASE(a_file_written_piece_by_piece_keeps_every_byte_and_its_exact_length) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(sim::file_truncate("/f", 0) == 0);
  std::string want;
  for (int i = 0; i < 300; i++) {
    std::string piece(1000 + i % 7, (char)('a' + i % 26));
    size_t done = 0;
    BOOST_TEST(sim::file_write("/f", piece.data(), piece.size(), (int64_t)want.size(), done) == 0);
    want += piece;
    BOOST_TEST(read_file("/f").size == (int64_t)want.size());
  }
  BOOST_TEST(read_file("/f").bytes == want);
  BOOST_TEST(r.m.file("/f")->size() >= (int64_t)want.size());
  // Cut inside, grow past the old end: the cut-off bytes do not come back.
  BOOST_TEST(sim::file_truncate("/f", 50123) == 0);
  BOOST_TEST(read_file("/f").bytes == want.substr(0, 50123));
  BOOST_TEST(sim::file_truncate("/f", 400000) == 0);
  BOOST_TEST(read_file("/f").bytes == want.substr(0, 50123) + std::string(400000 - 50123, '\0'));
  // A one-byte write far out leaves zeros between.
  size_t done = 0;
  BOOST_TEST(sim::file_write("/f", "z", 1, 999999, done) == 0);
  contents c = read_file("/f");
  BOOST_TEST(c.size == 1000000);
  BOOST_TEST(c.bytes.substr(50123, 999999 - 50123) == std::string(999999 - 50123, '\0'));
  BOOST_TEST(c.bytes.back() == 'z');
}

// The machine's file system has a size: writes that would take more fail
// with ENOSPC, as on a full UFS, so a runaway `dd if=/dev/zero of=FILE`
// ends instead of running (or filling the host) forever. truncate's holes
// take no space; cutting a file gives its space back.
BOOST_AUTO_TEST_CASE(a_full_file_system_fails_writes_with_enospc_and_holes_take_no_space) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  const int64_t fs = sim::machine::kFileSystemSize;
  BOOST_TEST(r.sh("truncate -s 1t /sparse").status == 0);  // a hole: free
  BOOST_TEST(r.m.files_written() == 0);
  std::string mib(1 << 20, '\0');
  BOOST_TEST(sim::file_truncate("/big", 0) == 0);
  int64_t off = 0;
  size_t done = 0;
  int error = 0;
  while ((error = sim::file_write("/big", mib.data(), mib.size(), off, done)) == 0) off += (int64_t)done;
  BOOST_TEST(error == kern::B_ENOSPC);
  BOOST_TEST(off == fs);
  BOOST_TEST(r.m.files_written() == fs);
  // Writing inside a file takes nothing more; a new byte past the end does.
  BOOST_TEST(sim::file_write("/big", "x", 1, 5, done) == 0);
  BOOST_TEST(sim::file_write("/sparse", "x", 1, 5, done) == 0);  // inside its length
  BOOST_TEST(sim::file_write("/other", "x", 1, 0, done) == kern::B_ENOENT);
  BOOST_TEST(sim::file_truncate("/other", 0) == 0);
  BOOST_TEST(sim::file_write("/other", "x", 1, 0, done) == kern::B_ENOSPC);
  auto dd = r.sh("dd if=/dev/zero of=/other bs=512 count=1");
  BOOST_TEST(dd.status == 1);
  BOOST_TEST(dd.err.find("dd: /other: No space left on device") == 0, dd.err);
  // Cut the big file in half: the space comes back.
  BOOST_TEST(sim::file_truncate("/big", fs / 2) == 0);
  BOOST_TEST(r.m.files_written() == fs / 2);
  BOOST_TEST(sim::file_write("/other", "x", 1, 0, done) == 0);
}
