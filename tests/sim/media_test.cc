// Media: sparse memory at TiB sizes, raw image files on the host, the
// write log's records, copy-on-write overlays and what an observer hears.
#define BOOST_TEST_MODULE sim_media
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "kern/bsd_errno.h"
#include "kern/prng.h"
#include "sim/media/hash.h"
#include "sim/media/media.h"
#include "sim/media/overlay_store.h"
#include "sim/media/power.h"
#include "sim/media/write_log.h"
#include "tests/sim/sim_fixture.h"

namespace {

constexpr int64_t TiB = 1ll << 40;

// A scratch directory on the host, removed with its files.
struct tmpdir {
  std::string path;
  tmpdir() {
    char t[] = "/tmp/geomsim-media-XXXXXX";
    path = mkdtemp(t);
  }
  ~tmpdir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const char *n) const { return path + "/" + n; }
};

std::vector<unsigned char> slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

sim::io_origin who() {
  sim::io_origin o;
  o.thread = "test";
  return o;
}

// The last sector of a component as FreeBSD's gvirstor label writes it
// (docs: virstor-on-disk-format.md), little-endian, packed.
std::vector<unsigned char> virstor_label_sector(uint64_t provsize) {
  std::vector<unsigned char> s(512, 0);
  auto put = [&](size_t off, uint64_t v, int n) {
    for (int i = 0; i < n; i++) s[off + i] = (unsigned char)(v >> (8 * i));
  };
  std::memcpy(&s[0], "GEOM::VIRSTOR", 13);
  put(16, 1, 4);                      // md_version
  std::memcpy(&s[20], "vs0", 3);      // md_name
  put(36, 2 * TiB, 8);                // md_virsize
  put(44, 4 << 20, 4);                // md_chunk_size
  put(48, 0x12345678, 4);             // md_id
  put(52, 2, 2);                      // md_count
  put(70, 0, 2);                      // no
  put(72, provsize, 8);               // provsize
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_tib_label_over_two_one_tib_disks_costs_megabytes_not_terabytes) {
  uint64_t rss0 = simtest::rss_bytes();
  auto d0 = sim::media::memory(TiB);
  auto d1 = sim::media::memory(TiB);
  BOOST_TEST(d0->size() == TiB);
  // What a default virstor label writes: a metadata sector at the end of
  // each component and a 4 MiB allocation map at the start of the first.
  auto md = virstor_label_sector((uint64_t)TiB);
  BOOST_TEST(d0->write(sim::io_op::write, TiB - 512, 512, md.data(), false, who()) == 0);
  BOOST_TEST(d1->write(sim::io_op::write, TiB - 512, 512, md.data(), false, who()) == 0);
  auto map = simtest::pattern(128 * 1024, 7);
  for (int64_t off = 0; off < (4 << 20); off += (int64_t)map.size())
    BOOST_TEST(d0->write(sim::io_op::write, off, map.size(), map.data(), false, who()) == 0);
  // And data scattered over the whole virtual range.
  auto blk = simtest::pattern(4096, 3);
  for (int i = 0; i < 256; i++)
    BOOST_TEST(d1->write(sim::io_op::write, (TiB / 256) * i, 4096, blk.data(), false, who()) == 0);

  uint64_t bytes = d0->allocated_bytes() + d1->allocated_bytes();
  BOOST_TEST(bytes <= 8ull << 20);
  BOOST_TEST(bytes >= (4ull << 20) + 256 * 4096);
  BOOST_TEST(simtest::rss_bytes() - rss0 < 64ull << 20);

  // Unwritten sectors read back as zeros, written ones as written.
  std::vector<unsigned char> buf(4096, 0xff);
  BOOST_TEST(d1->read(TiB / 2 + 4096, buf.data(), buf.size(), who()) == 0);
  BOOST_TEST(std::all_of(buf.begin(), buf.end(), [](unsigned char c) { return c == 0; }));
  BOOST_TEST(d1->read((TiB / 256) * 77, buf.data(), buf.size(), who()) == 0);
  BOOST_TEST(buf == blk);
  std::vector<unsigned char> last(512);
  BOOST_TEST(d0->read(TiB - 512, last.data(), 512, who()) == 0);
  BOOST_TEST(last == md);
}

BOOST_AUTO_TEST_CASE(deleting_or_zeroing_returns_memory) {
  auto d = sim::media::memory(TiB);
  auto blk = simtest::pattern(64 * 1024, 1);
  BOOST_TEST(d->write(sim::io_op::write, 1 << 30, blk.size(), blk.data(), false, who()) == 0);
  BOOST_TEST(d->allocated_bytes() == 64u * 1024);
  BOOST_TEST(d->write(sim::io_op::del, 1 << 30, 32 * 1024, nullptr, false, who()) == 0);
  BOOST_TEST(d->allocated_bytes() == 32u * 1024);
  std::vector<unsigned char> zeros(32 * 1024, 0);
  BOOST_TEST(d->write(sim::io_op::write, (1 << 30) + 32 * 1024, zeros.size(), zeros.data(), false,
                      who()) == 0);
  BOOST_TEST(d->allocated_bytes() == 0u);
}

// The sparse store keeps 4 KiB chunks in 1 MiB groups: writes, deletes
// and reads that straddle chunks and groups, and reads over holes, must
// read back exactly what a flat array would hold.
BOOST_AUTO_TEST_CASE(sparse_memory_reads_back_like_a_flat_array_across_groups_and_holes) {
  const int64_t size = 8ll << 20;
  auto d = sim::media::memory(size);
  std::vector<unsigned char> flat((size_t)size, 0);
  kern::prng rng(7);
  for (int i = 0; i < 400; i++) {
    int64_t off = (int64_t)rng.below((uint64_t)(size / 512)) * 512;
    int64_t len = (int64_t)(1 + rng.below(600)) * 512;
    if (off + len > size) len = size - off;
    if (rng.below(4) == 0) {
      BOOST_REQUIRE(d->write(sim::io_op::del, off, (size_t)len, nullptr, false, who()) == 0);
      std::fill(flat.begin() + off, flat.begin() + off + len, 0);
    } else {
      auto blk = simtest::pattern((size_t)len, (unsigned)i + 1);
      if (rng.below(5) == 0) std::fill(blk.begin(), blk.end(), 0);  // zeros make holes
      BOOST_REQUIRE(d->write(sim::io_op::write, off, blk.size(), blk.data(), false, who()) == 0);
      std::copy(blk.begin(), blk.end(), flat.begin() + off);
    }
  }
  std::vector<unsigned char> got((size_t)size, 0xaa);  // holes must be zeroed
  BOOST_REQUIRE(d->read(0, got.data(), got.size(), who()) == 0);
  BOOST_TEST((got == flat));
  // An odd window read (not chunk-aligned, over several groups).
  std::vector<unsigned char> part(3 << 20, 0xaa);
  BOOST_REQUIRE(d->read((1 << 20) - 512, part.data(), part.size(), who()) == 0);
  BOOST_TEST(std::equal(part.begin(), part.end(), flat.begin() + (1 << 20) - 512));
  // Memory follows the non-zero 4 KiB chunks exactly.
  uint64_t nonzero = 0;
  for (size_t c = 0; c < flat.size(); c += 4096)
    if (std::any_of(flat.begin() + (long)c, flat.begin() + (long)c + 4096,
                    [](unsigned char b) { return b != 0; }))
      nonzero++;
  BOOST_TEST(d->allocated_bytes() == nonzero * 4096);
}

BOOST_AUTO_TEST_CASE(a_4096_byte_sector_media_refuses_unaligned_requests) {
  sim::media_config cfg;
  cfg.sector_size = 4096;
  auto d = sim::media::memory(1 << 20, cfg);
  std::vector<unsigned char> buf(4096, 1);
  BOOST_TEST(d->write(sim::io_op::write, 512, 4096, buf.data(), false, who()) == kern::B_EINVAL);
  BOOST_TEST(d->write(sim::io_op::write, 4096, 512, buf.data(), false, who()) == kern::B_EINVAL);
  BOOST_TEST(d->write(sim::io_op::write, 4096, 4096, buf.data(), false, who()) == 0);
  BOOST_TEST(d->write(sim::io_op::write, 1 << 20, 4096, buf.data(), false, who()) == kern::B_EIO);
}

BOOST_AUTO_TEST_CASE(image_file_written_here_holds_the_same_bytes_on_the_host) {
  tmpdir t;
  std::string err;
  auto d = sim::media::create_image(t.file("disk.img"), 8 << 20, {}, &err);
  BOOST_REQUIRE_MESSAGE(d != nullptr, err);
  auto a = simtest::pattern(8192, 11), b = simtest::pattern(512, 12);
  BOOST_TEST(d->write(sim::io_op::write, 1 << 20, a.size(), a.data(), false, who()) == 0);
  BOOST_TEST(d->write(sim::io_op::write, (8 << 20) - 512, b.size(), b.data(), false, who()) == 0);
  d.reset();  // closes the file
  auto raw = slurp(t.file("disk.img"));
  BOOST_REQUIRE(raw.size() == 8u << 20);
  BOOST_TEST(std::equal(a.begin(), a.end(), raw.begin() + (1 << 20)));
  BOOST_TEST(std::equal(b.begin(), b.end(), raw.end() - 512));
  BOOST_TEST(std::all_of(raw.begin(), raw.begin() + (1 << 20), [](unsigned char c) { return c == 0; }));
}

BOOST_AUTO_TEST_CASE(image_labelled_elsewhere_reads_back_byte_for_byte) {
  tmpdir t;
  const int64_t size = 4 << 20;
  auto label = virstor_label_sector((uint64_t)size);
  {
    std::ofstream out(t.file("freebsd.img"), std::ios::binary);
    std::vector<char> zero(size - 512, 0);
    out.write(zero.data(), (std::streamsize)zero.size());
    out.write((const char *)label.data(), 512);
  }
  std::string err;
  auto d = sim::media::open_image(t.file("freebsd.img"), {}, &err);
  BOOST_REQUIRE_MESSAGE(d != nullptr, err);
  BOOST_TEST(d->size() == size);
  std::vector<unsigned char> got(512);
  BOOST_TEST(d->read(size - 512, got.data(), 512, who()) == 0);
  BOOST_TEST(got == label);
  BOOST_TEST(std::memcmp(got.data(), "GEOM::VIRSTOR", 13) == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_image_fails_with_a_message_naming_it) {
  std::string err;
  auto d = sim::media::open_image("/nonexistent/geomsim/disk.img", {}, &err);
  BOOST_TEST(d == nullptr);
  BOOST_TEST(err.find("/nonexistent/geomsim/disk.img") != std::string::npos);
  BOOST_TEST(err.find("No such file or directory") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(opening_never_truncates_or_recreates_a_host_file) {
  tmpdir t;
  std::string path = t.file("keep.img");
  {
    std::ofstream out(path, std::ios::binary);
    auto p = simtest::pattern(3 * 512 + 100, 5);  // a ragged tail
    out.write((const char *)p.data(), (std::streamsize)p.size());
  }
  auto before = slurp(path);
  std::string err;
  {
    auto d = sim::media::open_image(path, {}, &err);
    BOOST_REQUIRE(d != nullptr);
    BOOST_TEST(d->size() == 3 * 512);  // the tail is not the media's
  }
  BOOST_TEST(sim::media::create_image(path, 1 << 20, {}, &err) == nullptr);
  BOOST_TEST(err.find("File exists") != std::string::npos);
  BOOST_TEST(slurp(path) == before);
}

BOOST_AUTO_TEST_CASE(a_read_only_image_refuses_writes) {
  tmpdir t;
  std::string err;
  BOOST_REQUIRE(sim::media::create_image(t.file("ro.img"), 1 << 20, {}, &err) != nullptr);
  sim::media_config cfg;
  cfg.read_only = true;
  auto d = sim::media::open_image(t.file("ro.img"), cfg, &err);
  BOOST_REQUIRE(d != nullptr);
  std::vector<unsigned char> buf(512, 9);
  BOOST_TEST(d->write(sim::io_op::write, 0, 512, buf.data(), false, who()) == kern::B_EROFS);
  BOOST_TEST(d->read(0, buf.data(), 512, who()) == 0);
}

// The values are pinned: a write log printed by one version of geomsim
// must compare byte for byte with one printed by the next.
BOOST_AUTO_TEST_CASE(content_hash_is_fixed_and_matches_its_zeros_shortcut) {
  BOOST_TEST(sim::content_hash("", 0) == 0x71a4471ee4a8bc75ull);
  BOOST_TEST(sim::content_hash("a", 1) == 0x3f65c8c1a7439a5dull);
  BOOST_TEST(sim::content_hash("foobar", 6) == 0x17f8511a12bd8398ull);
  BOOST_TEST(sim::content_hash("0123456789abcdefXYZ", 19) == 0x36b00ba599ae1ec0ull);
  // 44 bytes: one block through the four lanes, a word and a tail.
  BOOST_TEST(sim::content_hash("The quick brown fox jumps over the lazy dog.", 44) ==
             0xf096c65597cb72d6ull);
  unsigned char z[4096 + 37] = {0};
  BOOST_TEST(sim::content_hash_zeros(37) == sim::content_hash(z, 37));
  BOOST_TEST(sim::content_hash_zeros(4096 + 37) == sim::content_hash(z, 4096 + 37));
  BOOST_TEST(sim::content_hash_zeros(64) == sim::content_hash(z, 64));
  // Words in different lanes do not commute.
  unsigned char ab[64] = {0}, ba[64] = {0};
  ab[0] = 1, ab[8] = 2;
  ba[0] = 2, ba[8] = 1;
  BOOST_TEST(sim::content_hash(ab, 64) != sim::content_hash(ba, 64));
  BOOST_TEST(sim::content_hash("a", 1) != sim::content_hash("b", 1));
}

BOOST_AUTO_TEST_CASE(write_log_records_each_completed_write_in_order) {
  sim::write_log log;
  log.set_boot(1);
  auto d = sim::media::memory(1 << 20);
  d->set_name("ada0");
  d->connect(&log, nullptr);
  auto a = simtest::pattern(1024, 1), b = simtest::pattern(512, 2);
  sim::io_origin o;
  o.device = "ada0";
  o.tid = 100007;
  o.thread = "dd";
  BOOST_TEST(d->write(sim::io_op::write, 4096, a.size(), a.data(), false, o) == 0);
  BOOST_TEST(d->write(sim::io_op::del, 0, 512, nullptr, false, o) == 0);
  BOOST_TEST(d->write(sim::io_op::write, 8192, b.size(), b.data(), false, o) == 0);
  std::vector<unsigned char> rd(512);
  BOOST_TEST(d->read(0, rd.data(), 512, o) == 0);  // reads are not logged
  auto recs = log.records();
  BOOST_REQUIRE(recs.size() == 3u);
  BOOST_TEST(recs[0].seq == 1u);
  BOOST_TEST(recs[0].offset == 4096);
  BOOST_TEST(recs[0].hash == sim::content_hash(a.data(), a.size()));
  BOOST_TEST((recs[1].op == sim::io_op::del));
  BOOST_TEST(recs[1].hash == sim::content_hash_zeros(512));
  BOOST_TEST(recs[2].seq == 3u);
  BOOST_TEST(recs[2].thread == "dd");
  BOOST_TEST(recs[2].tid == 100007);
  char want[160];
  std::snprintf(want, sizeof want,
                "#3 boot=1 t=0.000000000 ada0 WRITE off=8192 len=512 hash=%016llx "
                "thread=dd[100007] durable",
                (unsigned long long)sim::content_hash(b.data(), b.size()));
  BOOST_TEST(recs[2].to_string() == want);
}

// md(4)'s resize of a memory media: what lies past a smaller size is
// gone (it reads zeros when the media grows again), a write on its way
// to the vanished sectors fails and the log says it was lost, and an
// image file keeps its size.
BOOST_AUTO_TEST_CASE(a_memory_media_resizes_and_what_lies_past_a_smaller_end_is_gone) {
  sim::write_log log;
  auto d = sim::media::memory(1 << 20);
  d->set_name("md0");
  d->connect(&log, nullptr);
  sim::io_origin o;
  o.device = "md0";
  auto a = simtest::pattern(4096, 1), b = simtest::pattern(4096, 2);
  BOOST_TEST(d->write(sim::io_op::write, 0, a.size(), a.data(), false, o) == 0);
  BOOST_TEST(d->write(sim::io_op::write, 768 << 10, a.size(), a.data(), false, o) == 0);
  int error = 0;
  uint64_t t = d->begin_write(sim::io_op::write, 900 << 10, b.size(), b.data(), false, o, &error);
  BOOST_REQUIRE(t != 0);
  BOOST_TEST(d->resize(512 << 10) == 0);
  BOOST_TEST(d->size() == (512 << 10));
  BOOST_TEST(d->finish_write(t) == kern::B_EIO);
  BOOST_TEST((log.records().back().fate == sim::write_fate::lost));
  std::vector<unsigned char> rd(4096);
  BOOST_TEST(d->read(768 << 10, rd.data(), rd.size(), o) == kern::B_EIO);  // past the end
  BOOST_TEST(d->resize(1 << 20) == 0);
  BOOST_TEST(d->read(0, rd.data(), rd.size(), o) == 0);
  BOOST_TEST(rd == a);
  BOOST_TEST(d->read(768 << 10, rd.data(), rd.size(), o) == 0);
  BOOST_TEST(std::all_of(rd.begin(), rd.end(), [](unsigned char c) { return c == 0; }));
  BOOST_TEST(d->read(900 << 10, rd.data(), rd.size(), o) == 0);
  BOOST_TEST(std::all_of(rd.begin(), rd.end(), [](unsigned char c) { return c == 0; }));
  BOOST_TEST(d->resize(1000) == 0);  // rounded down to whole sectors
  BOOST_TEST(d->size() == 512);
  tmpdir dir;
  std::string err;
  auto img = sim::media::create_image(dir.file("img"), 1 << 20, {}, &err);
  BOOST_REQUIRE_MESSAGE(img != nullptr, err);
  BOOST_TEST(img->resize(512 << 10) == kern::B_EOPNOTSUPP);
  BOOST_TEST(img->size() == (1 << 20));
}

// ------------------------------------------------------------ overlays

BOOST_AUTO_TEST_CASE(an_overlay_reads_through_and_never_writes_its_base) {
  auto base = std::make_shared<sim::sparse_store>(64 << 10);
  auto old = simtest::pattern(10000, 1);
  base->write(100, old.data(), old.size());
  sim::overlay_store ov(base, 64 << 10);
  std::vector<unsigned char> got(10000);
  ov.read(100, got.data(), got.size());
  BOOST_TEST(got == old);
  auto fresh = simtest::pattern(300, 2);
  ov.write(4000, fresh.data(), fresh.size());  // straddles two chunks
  ov.zero(9000, 50);
  std::vector<unsigned char> want = old;
  std::copy(fresh.begin(), fresh.end(), want.begin() + 3900);
  std::fill(want.begin() + 8900, want.begin() + 8950, 0);
  ov.read(100, got.data(), got.size());
  BOOST_TEST(got == want);
  base->read(100, got.data(), got.size());
  BOOST_TEST(got == old);
  BOOST_TEST(ov.chunks() == 3u);  // copies of the three chunks written
}

BOOST_AUTO_TEST_CASE(an_overlay_larger_than_its_base_reads_zeros_past_the_base) {
  auto base = std::make_shared<sim::sparse_store>(4096);
  auto a = simtest::pattern(4096, 3);
  base->write(0, a.data(), a.size());
  sim::overlay_store ov(base, 16384);
  std::vector<unsigned char> got(16384);
  ov.read(0, got.data(), got.size());
  BOOST_TEST(std::equal(a.begin(), a.end(), got.begin()));
  BOOST_TEST(std::all_of(got.begin() + 4096, got.end(), [](unsigned char c) { return c == 0; }));
}

// ------------------------------------------------------------ observers

namespace {
// Writes every call down as one word.
struct note_taker final : sim::media_observer {
  std::vector<std::string> calls;
  void stored(const sim::media &, uint64_t t, int64_t off, const void *d, size_t len) override {
    calls.push_back("stored " + std::to_string(t) + " " + std::to_string(off) + "+" +
                    std::to_string(len) + (d == nullptr ? " zeros" : ""));
  }
  void arrived(const sim::media &, uint64_t t, sim::io_op, int64_t, size_t, const void *,
               bool) override {
    calls.push_back("arrived " + std::to_string(t));
  }
  void completed(const sim::media &, uint64_t t, uint64_t seq, bool cached) override {
    calls.push_back("completed " + std::to_string(t) + " #" + std::to_string(seq) +
                    (cached ? " cached" : ""));
  }
  void destaged(const sim::media &, uint64_t t) override {
    calls.push_back("destaged " + std::to_string(t));
  }
  void dropped(const sim::media &, uint64_t t) override {
    calls.push_back("dropped " + std::to_string(t));
  }
  void flushed(const sim::media &, uint64_t seq) override {
    calls.push_back("flushed #" + std::to_string(seq));
  }
};

// A write-back media with a note taker listening.
struct observed {
  sim::write_log log;
  std::shared_ptr<sim::media> m;
  note_taker notes;
  observed() {
    sim::media_config cfg;
    cfg.cache = sim::cache_model::write_back;
    m = sim::media::memory(1 << 20, cfg);
    m->connect(&log, nullptr);
    m->set_observer(&notes);
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(an_observer_hears_every_step_of_every_write_in_order) {
  observed b;
  auto &m = b.m;
  auto &notes = b.notes;
  auto a = simtest::pattern(1024, 1);
  m->write(sim::io_op::write, 0, a.size(), a.data(), false, who());   // cached
  m->write(sim::io_op::write, 4096, a.size(), a.data(), true, who()); // FUA: durable
  m->write(sim::io_op::del, 8192, 512, nullptr, false, who());        // cached
  m->flush(who());
  std::vector<std::string> want = {
      "arrived 1", "completed 1 #1 cached", "arrived 2", "stored 2 4096+1024", "completed 2 #2",
      "arrived 3", "completed 3 #3 cached", "stored 1 0+1024", "destaged 1",
      "stored 3 8192+512 zeros", "destaged 3", "flushed #4"};
  BOOST_TEST(notes.calls == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_observer_hears_what_a_cut_lets_land_and_what_it_drops) {
  observed b;
  auto &m = b.m;
  auto &notes = b.notes;
  auto a = simtest::pattern(1024, 1);
  m->write(sim::io_op::write, 0, a.size(), a.data(), false, who());
  int error;
  m->begin_write(sim::io_op::write, 4096, a.size(), a.data(), false, who(), &error);
  sim::fate_plan plan;
  plan.in_flight[{"", 1}] = 1;  // the media has no name: torn after one sector
  sim::plan_decider decide(plan);
  sim::power_loss_report rep;
  m->lose_power(decide, rep);
  std::vector<std::string> want = {"arrived 1", "completed 1 #1 cached", "arrived 2",
                                   "stored 1 0+1024", "dropped 1", "stored 2 4096+512",
                                   "dropped 2"};
  BOOST_TEST(notes.calls == want, boost::test_tools::per_element());
  BOOST_TEST(rep.torn.size() == 1u);
}
