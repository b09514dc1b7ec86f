// The I/O path: writes allocate physical chunks in order and record them
// in the map on component 0, data reads back through /dev/virstor/<name>
// on one or several components and across chunk and component
// boundaries, and space never written reads as zeroes. Raw checks read
// the components' media at the reference's offsets.
#define BOOST_TEST_MODULE virstor_io
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "tests/support/test_disk.h"
#include "tests/virstor/virstor_util.h"

using vtest::bytes;
using vtest::le16;
using vtest::le32;

namespace {

constexpr int64_t KiB = 1024, MiB = 1 << 20, CHUNK = 4 * MiB;

// td0 and td1, 32 MiB each: 7 chunks of 4 MiB per component (the 8th
// would cover the last sector); a 512 MiB device has a 1 KiB map, one
// chunk of it, so chunks 0 and 1 of td0 are reserved: td0 offers physical
// chunks 2..6, then td1 0..6.
void two_component_device(testsupport::booted &k, const char *chunk = "4M",
                          const char *size = "512M") {
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  vtest::cmd_result r;
  k.run([&] { r = vtest::gvirstor({"label", "-m", chunk, "-s", size, "vs", "td0", "td1"}); });
  BOOST_REQUIRE(r.status == 0);
}

struct map_entry {
  unsigned flags, provider_no, provider_chunk;
};

// Entry i of the map on td0, read raw.
map_entry raw_map_entry(unsigned i) {
  bytes e = vtest::peek("td0", 8 * i, 8);
  return {le16(e, 0), le16(e, 2), le32(e, 4)};
}

int write_at(testsupport::booted &k, int64_t off, const bytes &data) {
  int error = -1;
  k.run([&] { error = vtest::dev_write("virstor/vs", off, data); });
  return error;
}

bytes read_at(testsupport::booted &k, int64_t off, size_t len) {
  bytes b;
  int error = -1;
  k.run([&] { error = vtest::dev_read("virstor/vs", off, len, b); });
  BOOST_TEST(error == 0);
  return b;
}

bytes slice(const bytes &b, size_t off, size_t len) {
  return bytes(b.begin() + off, b.begin() + off + len);
}

void across_chunk_and_component_boundaries(kern::sched_mode mode) {
  testsupport::booted k(vtest::options(mode, 5));
  two_component_device(k);
  // Virtual chunks 0..3 take td0's physical chunks 2..5.
  for (int c = 0; c < 4; c++) BOOST_TEST(write_at(k, c * CHUNK, vtest::pattern(512, c)) == 0);
  // 128 KiB straddling virtual chunks 20 and 21: 20 gets td0's last
  // chunk (6), 21 the first of td1 (0).
  bytes data = vtest::pattern(128 * KiB, 99);
  BOOST_TEST(write_at(k, 21 * CHUNK - 64 * KiB, data) == 0);
  BOOST_TEST(read_at(k, 21 * CHUNK - 64 * KiB, data.size()) == data);
  BOOST_TEST(vtest::peek("td0", 6 * CHUNK + CHUNK - 64 * KiB, 64 * KiB) == slice(data, 0, 64 * KiB));
  BOOST_TEST(vtest::peek("td1", 0, 64 * KiB) == slice(data, 64 * KiB, 64 * KiB));
  map_entry e20 = raw_map_entry(20), e21 = raw_map_entry(21);
  BOOST_TEST(e20.flags == 1u);
  BOOST_TEST(e20.provider_no == 0u);
  BOOST_TEST(e20.provider_chunk == 6u);
  BOOST_TEST(e21.flags == 1u);
  BOOST_TEST(e21.provider_no == 1u);
  BOOST_TEST(e21.provider_chunk == 0u);
  for (int c = 0; c < 4; c++) BOOST_TEST(read_at(k, c * CHUNK, 512) == vtest::pattern(512, c));
  BOOST_TEST(!k.panicked());
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_write_takes_the_next_physical_chunk_and_records_it_in_the_map) {
  testsupport::booted k;
  two_component_device(k);
  bytes a = vtest::pattern(4096, 1), b = vtest::pattern(4096, 2);
  BOOST_TEST(write_at(k, 5 * CHUNK + 1000 * 512, a) == 0);
  BOOST_TEST(write_at(k, 3 * CHUNK, b) == 0);
  map_entry e5 = raw_map_entry(5), e3 = raw_map_entry(3), e4 = raw_map_entry(4);
  BOOST_TEST(e5.flags == 1u);
  BOOST_TEST(e5.provider_no == 0u);
  BOOST_TEST(e5.provider_chunk == 2u);  // the first after the reserved ones
  BOOST_TEST(e3.flags == 1u);
  BOOST_TEST(e3.provider_chunk == 3u);
  BOOST_TEST(e4.flags == 0u);
  BOOST_TEST(vtest::peek("td0", 2 * CHUNK + 1000 * 512, 4096) == a);
  BOOST_TEST(vtest::peek("td0", 3 * CHUNK, 4096) == b);
}

BOOST_AUTO_TEST_CASE(data_round_trips_across_a_chunk_boundary_on_one_component) {
  testsupport::booted k;
  two_component_device(k);
  bytes data = vtest::pattern(256 * KiB, 7);
  BOOST_TEST(write_at(k, CHUNK - 64 * KiB, data) == 0);
  BOOST_TEST(read_at(k, CHUNK - 64 * KiB, data.size()) == data);
  // Virtual chunks 0 and 1 went to td0's physical chunks 2 and 3.
  BOOST_TEST(vtest::peek("td0", 3 * CHUNK - 64 * KiB, 64 * KiB) == slice(data, 0, 64 * KiB));
  BOOST_TEST(vtest::peek("td0", 3 * CHUNK, 192 * KiB) == slice(data, 64 * KiB, 192 * KiB));
}

BOOST_AUTO_TEST_CASE(data_round_trips_across_chunk_and_component_boundaries_det) {
  across_chunk_and_component_boundaries(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(data_round_trips_across_chunk_and_component_boundaries_threads) {
  across_chunk_and_component_boundaries(kern::sched_mode::threads);
}

BOOST_AUTO_TEST_CASE(never_written_space_reads_as_zeroes) {
  testsupport::booted k;
  two_component_device(k);
  // Dirty the components' free chunks behind GEOM's back: zeroes must
  // come from the map saying "unallocated", not from the media.
  vtest::poke("td0", 4 * CHUNK, bytes(CHUNK, 0x77));
  vtest::poke("td1", 0, bytes(CHUNK, 0x77));
  bytes data = vtest::pattern(64 * KiB, 4);
  BOOST_TEST(write_at(k, 2 * CHUNK, data) == 0);
  BOOST_TEST(read_at(k, 100 * CHUNK, 128 * KiB) == bytes(128 * KiB, 0));
  // Straddling an allocated chunk (2) and an unallocated one (1).
  bytes both = read_at(k, 2 * CHUNK - 64 * KiB, 128 * KiB);
  BOOST_TEST(slice(both, 0, 64 * KiB) == bytes(64 * KiB, 0));
  BOOST_TEST(slice(both, 64 * KiB, 64 * KiB) == data);
  // The rest of an allocated chunk reads what its physical chunk holds
  // (here: zeroes, td0's chunk 2 was never written by anyone else).
  BOOST_TEST(read_at(k, 2 * CHUNK + 64 * KiB, 64 * KiB) == bytes(64 * KiB, 0));
}

// Many writes of random sizes and places, 128 KiB chunks, spilling from
// td0 onto td1; the device must read back what a flat disk would.
BOOST_AUTO_TEST_CASE(random_writes_read_back_like_a_flat_disk) {
  testsupport::booted k(vtest::options(kern::sched_mode::det, 17));
  two_component_device(k, "128k", "64M");
  const int64_t span = 40 * MiB;  // 320 chunks: more than td0 offers
  bytes shadow(span, 0);
  uint32_t x = 12345;
  auto next = [&x] { return x = x * 1664525u + 1013904223u; };
  for (int i = 0; i < 150; i++) {
    int64_t off = (int64_t)(next() % (span / 512)) * 512;
    size_t len = (size_t)(1 + next() % 600) * 512;
    if (off + (int64_t)len > span) len = (size_t)(span - off);
    bytes data = vtest::pattern(len, (uint32_t)i);
    BOOST_REQUIRE(write_at(k, off, data) == 0);
    std::memcpy(&shadow[off], data.data(), len);
  }
  for (int64_t off = 0; off < span; off += MiB)
    BOOST_REQUIRE(read_at(k, off, MiB) == slice(shadow, off, MiB));
  BOOST_TEST(!k.panicked());
}
