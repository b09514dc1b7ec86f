// Tasting: a labelled set of components becomes /dev/virstor/<name> once
// all of them have been seen, with the virtual size and the components'
// sector size; hard-coded names and device ids decide which providers
// belong; stop and a later retaste bring back the same device and data.
#define BOOST_TEST_MODULE virstor_taste
#include <boost/test/unit_test.hpp>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "tests/support/test_disk.h"
#include "tests/virstor/virstor_util.h"

using vtest::bytes;

namespace {

constexpr int64_t MiB = 1 << 20;

bool exists(testsupport::booted &k, const std::string &dev) {
  bool e = false;
  k.run([&] { e = vtest::dev_exists(dev); });
  return e;
}

void touch(testsupport::booted &k, const std::vector<std::string> &disks) {
  for (const std::string &d : disks) k.run([&] { vtest::dev_touch(d); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(kldload_geom_virstor_loads_the_g_virstor_module_once) {
  testsupport::booted k;
  int first = -1, second = -1;
  k.run([&] {
    first = kern::sys_kldload("geom_virstor");
    second = kern::sys_kldload("geom_virstor");
  });
  BOOST_TEST(first == 0);
  BOOST_TEST(second == kern::B_EEXIST);
  BOOST_TEST(k.k().module_loaded("g_virstor"));
}

BOOST_AUTO_TEST_CASE(label_then_taste_gives_the_virtual_size_and_sector_size) {
  for (unsigned secsize : {512u, 4096u}) {
    testsupport::booted k;
    vtest::make_disks(k, {"td0", "td1"}, 64 * MiB, secsize);
    vtest::cmd_result r;
    k.run([&] { r = vtest::gvirstor({"label", "-s", "1G", "vs", "td0", "td1"}); });
    BOOST_TEST(r.status == 0);
    int64_t size = 0;
    unsigned ss = 0;
    bool ok = false;
    k.run([&] { ok = vtest::dev_geometry("virstor/vs", size, ss); });
    BOOST_TEST(ok);
    // 1 GiB of 4 MiB chunks is a 2 KiB map: half a 4 KiB sector, so label
    // doubles the chunk count (and the virtual size) to fill it.
    BOOST_TEST(size == (secsize == 512 ? int64_t(1) << 30 : int64_t(2) << 30));
    BOOST_TEST(ss == secsize);
    BOOST_TEST(!k.panicked());
  }
}

BOOST_AUTO_TEST_CASE(the_device_appears_only_once_every_component_is_tasted) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0", "td1", "td2"}, 32 * MiB);
  k.run([&] { vtest::gvirstor({"label", "-s", "256M", "vs", "td0", "td1", "td2"}); });
  BOOST_TEST(exists(k, "virstor/vs"));
  k.run([&] { vtest::gvirstor({"stop", "vs"}); });
  BOOST_TEST(!exists(k, "virstor/vs"));
  touch(k, {"td0", "td2"});
  BOOST_TEST(!exists(k, "virstor/vs"));
  touch(k, {"td1"});
  BOOST_TEST(exists(k, "virstor/vs"));
}

BOOST_AUTO_TEST_CASE(stop_then_retaste_brings_the_same_data_back) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0", "td1"}, 32 * MiB);
  bytes data = vtest::pattern(256 * 1024, 3), back;
  int werr = -1, rerr = -1;
  k.run([&] {
    vtest::gvirstor({"label", "-s", "512M", "vs", "td0", "td1"});
  });
  k.run([&] {
    // Straddles the boundary of virtual chunks 9 and 10.
    werr = vtest::dev_write("virstor/vs", 10 * 4 * MiB - 128 * 1024, data);
  });
  BOOST_TEST(werr == 0);
  k.run([&] { vtest::gvirstor({"stop", "vs"}); });
  BOOST_TEST(!exists(k, "virstor/vs"));
  touch(k, {"td0", "td1"});
  BOOST_TEST(exists(k, "virstor/vs"));
  k.run([&] { rerr = vtest::dev_read("virstor/vs", 10 * 4 * MiB - 128 * 1024, data.size(), back); });
  BOOST_TEST(rerr == 0);
  BOOST_TEST(back == data);
}

// md.provider names the component: a provider with that metadata but
// another name is not taken (g_compare_names); without -h it would be.
BOOST_AUTO_TEST_CASE(hardcoded_provider_names_are_honoured_at_taste) {
  for (bool hardcode : {true, false}) {
    testsupport::booted k;
    vtest::make_disks(k, {"td0", "td1", "td9"}, 32 * MiB);
    std::vector<std::string> args{"label", "-s", "256M", "vs", "td0", "td1"};
    if (hardcode) args.insert(args.begin() + 1, "-h");
    k.run([&] { vtest::gvirstor(args); });
    k.run([&] { vtest::gvirstor({"stop", "vs"}); });
    // td9 becomes a copy of td1's metadata; td1 goes away.
    vtest::poke("td9", 32 * MiB - 512, vtest::peek("td1", 32 * MiB - 512, 512));
    k.run([&] { testsupport::tdisk_destroy("td1"); });
    touch(k, {"td0", "td9"});
    BOOST_TEST(exists(k, "virstor/vs") == !hardcode, "hardcode=" << hardcode);
  }
}

// Same device name, different md_id: create_virstor_geom refuses it and
// says so, and the running device is left alone.
BOOST_AUTO_TEST_CASE(a_component_with_the_same_name_and_another_id_is_refused) {
  testsupport::booted k;
  vtest::make_disks(k, {"td0", "td1", "td2"}, 32 * MiB);
  bytes data = vtest::pattern(4096, 11), back;
  k.run([&] { vtest::gvirstor({"label", "-s", "256M", "vs", "td0"}); });
  k.run([&] { vtest::dev_write("virstor/vs", 0, data); });
  vtest::cmd_result r;
  k.run([&] { r = vtest::gvirstor({"label", "-s", "256M", "vs", "td1", "td2"}); });
  BOOST_TEST(r.status == 0);  // label itself knows nothing of it
  BOOST_TEST(vtest::console_matching(k, "GEOM_VIRSTOR[2]: Geom vs already exists").size() >= 1u);
  BOOST_TEST(vtest::console_matching(
                 k, "GEOM_VIRSTOR[1]: Some stale or invalid components exist for virstor "
                    "device named vs. You will need to <CLEAR> all stale components and "
                    "maybe reconfigure the virstor device. Tune kern.geom.virstor.debug "
                    "sysctl up for more information.")
                 .size() >= 1u);
  BOOST_TEST(vtest::console_matching(
                 k, "GEOM_VIRSTOR[1]: Error creating new instance of class VIRSTOR: vs")
                 .size() >= 1u);
  int64_t size = 0;
  unsigned ss = 0;
  k.run([&] {
    vtest::dev_geometry("virstor/vs", size, ss);
    vtest::dev_read("virstor/vs", 0, data.size(), back);
  });
  BOOST_TEST(size == int64_t(256) * MiB);
  BOOST_TEST(back == data);
  BOOST_TEST(!k.panicked());
}
