// LOG_MSG and LOG_REQ print what FreeBSD's do, at the levels
// kern.geom.virstor.debug lets through: "GEOM_VIRSTOR[<lvl>]: text" (no
// level for announcements), LOG_REQ followed by g_print_bio's rendering.
// The level comes from the loader tunable or from sysctl at run time.
#define BOOST_TEST_MODULE virstor_log
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/support/test_disk.h"
#include "tests/virstor/virstor_util.h"

namespace {

constexpr int64_t MiB = 1 << 20;

using lines = std::vector<std::string>;

lines virstor_lines(const testsupport::booted &k) {
  return vtest::console_matching(k, "GEOM_VIRSTOR");
}

// Labels vs on td0 and td1 (32 MiB, 512 MiB virtual) without letting the
// class taste, then offers td0 and td1 in that order: the messages come
// out in a fixed order whatever the scheduler does inside label.
void label_then_taste(testsupport::booted &k) {
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  k.run([&] {
    kern::sys_sysctl_set("kern.geom.notaste", "1");
    vtest::gvirstor({"label", "-s", "512M", "vs", "td0", "td1"});
    kern::sys_sysctl_set("kern.geom.notaste", "0");
  });
  k.run([&] { vtest::dev_touch("td0"); });
  k.run([&] { vtest::dev_touch("td1"); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(debug_2_shows_announcements_errors_and_warnings_only) {
  testsupport::booted k(vtest::with_virstor());
  label_then_taste(k);
  BOOST_TEST(virstor_lines(k) == (lines{
                                     "GEOM_VIRSTOR: Device vs created",
                                     "GEOM_VIRSTOR[2]: Device vs running out of components (1/2: td0)",
                                 }),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(debug_5_from_the_loader_tunable_adds_info_messages) {
  testsupport::boot_options o = vtest::with_virstor();
  o.kenv["kern.geom.virstor.debug"] = "5";
  testsupport::booted k(o);
  label_then_taste(k);
  BOOST_TEST(virstor_lines(k) ==
                 (lines{
                     "GEOM_VIRSTOR: Device vs created",
                     "GEOM_VIRSTOR[5]: Adding td0 to vs (first found)",
                     "GEOM_VIRSTOR[5]: Adding td1 to vs",
                     "GEOM_VIRSTOR[5]: Device vs has 14 physical chunks and 128 virtual (4096 KB chunks)",
                     "GEOM_VIRSTOR[2]: Device vs running out of components (1/2: td0)",
                     "GEOM_VIRSTOR[5]: virstor/vs activated",
                 }),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(debug_15_from_sysctl_traces_a_write_request_by_request) {
  testsupport::booted k(vtest::with_virstor());
  label_then_taste(k);
  lines during;
  k.run([&] {
    vtest::set_debug(15);
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/virstor/vs", kern::BSD_O_RDWR, fd) == 0);
    size_t before = k.console().size();
    std::vector<char> buf(4096, 'v');
    size_t done;
    kern::sys_pwrite(fd, buf.data(), buf.size(), 0, done);
    during.assign(k.console().begin() + (long)before, k.console().end());
    kern::sys_close(fd);
  });
  // A write to unallocated virtual chunk 0: td0's physical chunk 2 is
  // allocated (dump_component prints at 12 and up), then the map sector
  // and the data go out in disksort order.
  BOOST_TEST(during ==
                 (lines{
                     "GEOM_VIRSTOR[15]: g_virstor_start virstor/vs[WRITE(offset=0, length=4096)]",
                     "GEOM_VIRSTOR[12]: BIO arrived, size=4096",
                     "GEOM_VIRSTOR[10]: Mapped W(0, 4096) to (0,0,4096)",
                     "Component 0: td0",
                     "  chunk_count: 7",
                     "   chunk_next: 2",
                     "        flags: 3",
                     "GEOM_VIRSTOR[10]: Allocated chunk 2 on td0 for virstor/vs",
                     "GEOM_VIRSTOR[15]: Firing request td0[WRITE(offset=0, length=512)]",
                     "GEOM_VIRSTOR[10]:  firing bio, offset=0, length=512",
                     "GEOM_VIRSTOR[15]: Firing request td0[WRITE(offset=8388608, length=4096)]",
                     "GEOM_VIRSTOR[10]:  firing bio, offset=8388608, length=4096",
                 }),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(debug_level_is_a_read_write_sysctl_with_the_seed_defaults) {
  testsupport::booted k(vtest::with_virstor());
  std::string debug, chunk_wm, comp_wm, after;
  k.run([&] {
    kern::sys_sysctl_get("kern.geom.virstor.debug", debug);
    kern::sys_sysctl_get("kern.geom.virstor.chunk_watermark", chunk_wm);
    kern::sys_sysctl_get("kern.geom.virstor.component_watermark", comp_wm);
    vtest::set_debug(15);
    kern::sys_sysctl_get("kern.geom.virstor.debug", after);
  });
  BOOST_TEST(debug == "2");
  BOOST_TEST(chunk_wm == "100");
  BOOST_TEST(comp_wm == "1");
  BOOST_TEST(after == "15");
}
