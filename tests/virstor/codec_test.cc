// The metadata codec writes and reads FreeBSD's on-disk layout: the byte
// offsets of the reference's table, little-endian, md_virsize and
// md_chunk_size before md_id, strings as they are. The sectors here are
// built by hand from that table, not by the codec.
#define BOOST_TEST_MODULE virstor_codec
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <vector>

#include <geom/virstor/g_virstor_md.h>

namespace {

using bytes = std::vector<unsigned char>;

void put(bytes &b, size_t off, uint64_t v, size_t len) {
  for (size_t i = 0; i < len; i++) b[off + i] = (unsigned char)(v >> (8 * i));
}

void put_str(bytes &b, size_t off, const char *s, size_t len) {
  std::memcpy(&b[off], s, std::min(std::strlen(s), len));
}

// A 512-byte sector laid out by hand from the reference's table.
bytes hand_made_sector() {
  bytes b(512, 0);
  put_str(b, 0, "GEOM::VIRSTOR", 16);
  put(b, 16, 1, 4);                      // md_version
  put_str(b, 20, "mydata", 16);          // md_name
  put(b, 36, 0x0000020000000000ull, 8);  // md_virsize: 2 TiB
  put(b, 44, 4u << 20, 4);               // md_chunk_size: 4 MiB
  put(b, 48, 0xdeadbeef, 4);             // md_id
  put(b, 52, 3, 2);                      // md_count
  put_str(b, 54, "ada1", 16);            // provider
  put(b, 70, 2, 2);                      // no
  put(b, 72, 0x123456789abcull, 8);      // provsize
  put(b, 80, 0x01020304, 4);             // chunk_count
  put(b, 84, 0x05060708, 4);             // chunk_next
  put(b, 88, 0x0a0b, 2);                 // chunk_reserved
  put(b, 90, 0x0c0d, 2);                 // flags
  return b;
}

struct g_virstor_metadata expected_md() {
  struct g_virstor_metadata md;
  std::memset(&md, 0, sizeof md);
  std::strcpy(md.md_magic, "GEOM::VIRSTOR");
  md.md_version = 1;
  std::strcpy(md.md_name, "mydata");
  md.md_virsize = 0x0000020000000000ull;
  md.md_chunk_size = 4u << 20;
  md.md_id = 0xdeadbeef;
  md.md_count = 3;
  std::strcpy(md.provider, "ada1");
  md.no = 2;
  md.provsize = 0x123456789abcull;
  md.chunk_count = 0x01020304;
  md.chunk_next = 0x05060708;
  md.chunk_reserved = 0x0a0b;
  md.flags = 0x0c0d;
  return md;
}

}  // namespace

BOOST_AUTO_TEST_CASE(decode_reads_every_field_at_the_reference_offset) {
  bytes sector = hand_made_sector();
  struct g_virstor_metadata md;
  std::memset(&md, 0x55, sizeof md);
  virstor_metadata_decode(sector.data(), &md);
  BOOST_TEST(std::memcmp(md.md_magic, "GEOM::VIRSTOR\0\0\0", 16) == 0);
  BOOST_TEST(md.md_version == 1u);
  BOOST_TEST(std::memcmp(md.md_name, "mydata\0\0\0\0\0\0\0\0\0\0", 16) == 0);
  BOOST_TEST(md.md_virsize == 0x0000020000000000ull);
  BOOST_TEST(md.md_chunk_size == 4u << 20);
  BOOST_TEST(md.md_id == 0xdeadbeefu);
  BOOST_TEST(md.md_count == 3u);
  BOOST_TEST(std::memcmp(md.provider, "ada1\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
  BOOST_TEST(md.no == 2u);
  BOOST_TEST(md.provsize == 0x123456789abcull);
  BOOST_TEST(md.chunk_count == 0x01020304u);
  BOOST_TEST(md.chunk_next == 0x05060708u);
  BOOST_TEST(md.chunk_reserved == 0x0a0bu);
  BOOST_TEST(md.flags == 0x0c0du);
}

BOOST_AUTO_TEST_CASE(encode_writes_the_reference_bytes_and_nothing_past_byte_91) {
  struct g_virstor_metadata md = expected_md();
  bytes sector(512, 0xaa);
  virstor_metadata_encode(&md, sector.data());
  bytes want = hand_made_sector();
  BOOST_TEST(std::memcmp(sector.data(), want.data(), G_VIRSTOR_MD_ENCODED_SIZE) == 0);
  BOOST_TEST(G_VIRSTOR_MD_ENCODED_SIZE == 92);
  for (size_t i = G_VIRSTOR_MD_ENCODED_SIZE; i < sector.size(); i++)
    BOOST_TEST_REQUIRE(sector[i] == 0xaa, "byte " << i << " was written");
}

BOOST_AUTO_TEST_CASE(encode_sector_zeroes_to_the_end_of_the_sector) {
  struct g_virstor_metadata md = expected_md();
  bytes sector(4096, 0xaa);
  virstor_metadata_encode_sector(&md, sector.data(), sector.size());
  bytes want = hand_made_sector();
  want.resize(4096, 0);
  BOOST_TEST(sector == want);
}

BOOST_AUTO_TEST_CASE(id_follows_virsize_and_chunk_size_on_disk) {
  // The in-memory order is md_id, md_virsize, md_chunk_size; on disk md_id
  // comes third. Distinct values make a swapped order visible.
  struct g_virstor_metadata md = expected_md();
  bytes sector(512, 0);
  virstor_metadata_encode(&md, sector.data());
  BOOST_TEST(sector[48] == 0xef);
  BOOST_TEST(sector[51] == 0xde);
  BOOST_TEST(sector[44] == 0x00);
  BOOST_TEST(sector[46] == 0x40);  // 4 MiB = 0x00400000, little-endian
}

BOOST_AUTO_TEST_CASE(strings_are_copied_as_they_are_without_a_terminator) {
  bytes sector = hand_made_sector();
  std::memcpy(&sector[20], "ABCDEFGHIJKLMNOP", 16);  // md_name fills all 16 bytes
  std::memcpy(&sector[54], "0123456789abcdef", 16);  // so does provider
  struct g_virstor_metadata md;
  std::memset(&md, 0x55, sizeof md);
  virstor_metadata_decode(sector.data(), &md);
  BOOST_TEST(std::memcmp(md.md_name, "ABCDEFGHIJKLMNOP", 16) == 0);
  BOOST_TEST(std::memcmp(md.provider, "0123456789abcdef", 16) == 0);
  // Garbage after the NUL of a shorter name travels too.
  sector = hand_made_sector();
  sector[27] = 'Z';  // "mydata\0Z..."
  virstor_metadata_decode(sector.data(), &md);
  BOOST_TEST(md.md_name[6] == '\0');
  BOOST_TEST(md.md_name[7] == 'Z');
}

BOOST_AUTO_TEST_CASE(decode_of_encode_gives_back_every_field) {
  struct g_virstor_metadata in = expected_md(), out;
  bytes sector(512, 0);
  virstor_metadata_encode(&in, sector.data());
  std::memset(&out, 0, sizeof out);
  virstor_metadata_decode(sector.data(), &out);
  BOOST_TEST(std::memcmp(&in, &out, sizeof in) == 0);
}
