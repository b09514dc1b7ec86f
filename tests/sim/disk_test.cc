// The DISK class: hardware disks attached at boot, I/O landing on the
// media, flush per cache model, pulling a disk with requests in flight.
#define BOOST_TEST_MODULE sim_disk
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"
#include "tests/sim/probe.h"
#include "tests/sim/sim_fixture.h"

namespace {

bool has_dev(const std::string &name) {
  for (const auto &d : kern::sys_devfs_list())
    if (d == name) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hardware_disks_attach_at_boot_as_roots_of_class_disk) {
  simtest::rig r;
  r.m.add_memory_disk("ada0", 1 << 20);
  sim::media_config big;
  big.sector_size = 4096;
  r.m.add_memory_disk("ada1", 1ll << 40, big);
  BOOST_REQUIRE(r.boot());
  std::string txt;
  bool ada0 = false, ada1 = false;
  BOOST_TEST(r.run([&] {
    kern::sys_sysctl_get("kern.geom.conftxt", txt);
    ada0 = has_dev("ada0");
    ada1 = has_dev("ada1");
  }));
  BOOST_TEST(txt.find("0 DISK ada0 1048576 512 hd 16 sc 63\n") != std::string::npos);
  BOOST_TEST(txt.find("0 DISK ada1 1099511627776 4096 hd 16 sc 63\n") != std::string::npos);
  BOOST_TEST(ada0);
  BOOST_TEST(ada1);
}

BOOST_AUTO_TEST_CASE(a_write_through_dev_lands_on_the_media_and_names_its_thread) {
  simtest::rig r;
  auto m = r.m.add_memory_disk("ada0", 1 << 20);
  BOOST_REQUIRE(r.boot());
  auto data = simtest::pattern(8192, 4);
  int e = -1;
  BOOST_TEST(r.run([&] { e = simtest::dev_write("ada0", 65536, data); }));
  BOOST_TEST(e == 0);
  std::vector<unsigned char> got(8192);
  m->host_read_durable(65536, got.data(), got.size());
  BOOST_TEST(got == data);
  auto recs = r.m.log().since(0, "ada0");
  BOOST_REQUIRE(recs.size() == 1u);
  BOOST_TEST(recs[0].thread == "test");
  BOOST_TEST(recs[0].device == "ada0");
  BOOST_TEST(recs[0].offset == 65536);
  BOOST_TEST(recs[0].boot == 1);
}

BOOST_AUTO_TEST_CASE(flush_destages_a_write_back_disk_and_is_eopnotsupp_without_support) {
  simtest::rig r;
  sim::media_config wb;
  wb.cache = sim::cache_model::write_back;
  auto cached = r.m.add_memory_disk("ada0", 1 << 20, wb);
  sim::media_config noflush;
  noflush.flush_supported = false;
  r.m.add_memory_disk("ada1", 1 << 20, noflush);
  BOOST_REQUIRE(r.boot());
  auto data = simtest::pattern(4096, 8);
  int w = -1, f0 = -1, f1 = -1;
  size_t before = 0;
  BOOST_TEST(r.run([&] {
    w = simtest::dev_write("ada0", 0, data);
    before = cached->cached_writes();
    f0 = simtest::dev_flush("ada0");
    f1 = simtest::dev_flush("ada1");
  }));
  BOOST_TEST(w == 0);
  BOOST_TEST(before == 1u);
  BOOST_TEST(f0 == 0);
  BOOST_TEST(cached->cached_writes() == 0u);
  BOOST_TEST(f1 == kern::B_EOPNOTSUPP);
}

namespace {
void pull_with_bios_in_flight(kern::sched_mode mode) {
  simtest::rig r(1, mode);
  sim::media_config slow;
  slow.latency_ns = 1000000;  // 1 ms a request: the queue fills up
  auto m = r.m.add_memory_disk("ada0", 1 << 20, slow);
  BOOST_REQUIRE(r.boot());
  // When the third write reaches the disk, it is pulled.
  r.m.power_control().add(sim::trigger::on_io(sim::io_op::write, "ada0", -1, 3).then_pull());
  bool all = false, dev_after = true;
  BOOST_TEST(r.run([&] {
    BOOST_REQUIRE(probe::probe_attach("ada0") == 0);
    probe::probe_write(8, 0, 4096, 0x40);
    all = probe::probe_wait(60ll * 1000000000);
  }));
  // GEOM handles the orphan on its event thread, once the I/O drained.
  BOOST_TEST(r.run([&] { dev_after = has_dev("ada0"); }));
  BOOST_TEST(!r.m.kernel()->panicked());
  BOOST_TEST(all);
  auto res = probe::probe_get();
  BOOST_REQUIRE(res.issued == 8);
  BOOST_TEST(res.completed == 8);
  for (int i = 0; i < 8; i++) {
    BOOST_TEST(res.done_count[(size_t)i] == 1);
    BOOST_TEST(res.error[(size_t)i] == (i < 2 ? 0 : kern::B_ENXIO));
  }
  BOOST_TEST(res.orphaned);
  BOOST_TEST(!dev_after);
  BOOST_TEST(!r.m.disk_present("ada0"));
  // The log: two writes landed; the third was on its way and is lost.
  auto recs = r.m.log().since(0, "ada0");
  BOOST_REQUIRE(recs.size() == 3u);
  BOOST_TEST((recs[0].fate == sim::write_fate::durable));
  BOOST_TEST((recs[2].fate == sim::write_fate::lost));
  BOOST_TEST(recs[2].in_flight);
  std::vector<unsigned char> third(4096);
  m->host_read_durable(8192, third.data(), third.size());
  BOOST_TEST(third == std::vector<unsigned char>(4096, 0));
  BOOST_TEST(r.console_has("ada0: disk gone"));
}
}  // namespace

BOOST_AUTO_TEST_CASE(pulling_a_disk_with_bios_in_flight_fails_each_exactly_once) {
  pull_with_bios_in_flight(kern::sched_mode::det);
}

BOOST_AUTO_TEST_CASE(pulling_a_disk_with_bios_in_flight_fails_each_exactly_once_in_threads_mode) {
  pull_with_bios_in_flight(kern::sched_mode::threads);
}

BOOST_AUTO_TEST_CASE(a_pulled_disk_stays_out_across_a_reboot_until_plugged_back) {
  simtest::rig r;
  r.m.add_memory_disk("ada0", 1 << 20);
  r.m.add_memory_disk("ada1", 1 << 20);
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(r.m.pull("ada1") == 0);
  BOOST_TEST(r.m.pull("nosuch") == kern::B_ENOENT);
  bool present = true;
  BOOST_TEST(r.run([&] { present = has_dev("ada1"); }));
  BOOST_TEST(!present);
  BOOST_REQUIRE(r.m.reboot());
  BOOST_TEST(r.run([&] { present = has_dev("ada1") || !has_dev("ada0"); }));
  BOOST_TEST(!present);
  BOOST_TEST(r.m.insert_disk("ada1") == 0);
  BOOST_TEST(r.run([&] { present = has_dev("ada1"); }));
  BOOST_TEST(present);
  int e = -1;
  BOOST_TEST(r.run([&] { e = simtest::dev_write("ada1", 0, simtest::pattern(512, 1)); }));
  BOOST_TEST(e == 0);
}

BOOST_AUTO_TEST_CASE(disk_latency_passes_in_simulated_time_only) {
  simtest::rig r;
  sim::media_config slow;
  slow.latency_ns = 10ll * 1000000000;  // ten seconds a request
  r.m.add_memory_disk("ada0", 1 << 20, slow);
  BOOST_REQUIRE(r.boot());
  int64_t t0 = 0, t1 = 0;
  auto wall0 = std::chrono::steady_clock::now();
  BOOST_TEST(r.run([&] {
    t0 = kern::sys_uptime_ns();
    simtest::dev_write("ada0", 0, simtest::pattern(512, 1));
    t1 = kern::sys_uptime_ns();
  }));
  auto wall = std::chrono::steady_clock::now() - wall0;
  BOOST_TEST(t1 - t0 >= 10ll * 1000000000);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(wall).count() < 5);
}

BOOST_AUTO_TEST_CASE(delete_zeroes_the_range_and_is_logged) {
  simtest::rig r;
  auto m = r.m.add_memory_disk("ada0", 1 << 20);
  BOOST_REQUIRE(r.boot());
  int w = -1, d = -1;
  BOOST_TEST(r.run([&] {
    w = simtest::dev_write("ada0", 0, simtest::pattern(8192, 6));
    int fd;
    if (kern::sys_open("/dev/ada0", kern::BSD_O_RDWR, fd) == 0) {
      d = kern::sys_diocgdelete(fd, 0, 4096);
      kern::sys_close(fd);
    }
  }));
  BOOST_TEST(w == 0);
  BOOST_TEST(d == 0);
  std::vector<unsigned char> got(8192);
  m->host_read_durable(0, got.data(), got.size());
  BOOST_TEST(std::all_of(got.begin(), got.begin() + 4096, [](unsigned char c) { return c == 0; }));
  BOOST_TEST(std::equal(got.begin() + 4096, got.end(), simtest::pattern(8192, 6).begin() + 4096));
  auto recs = r.m.log().since(0, "ada0");
  BOOST_REQUIRE(recs.size() == 2u);
  BOOST_TEST((recs[1].op == sim::io_op::del));
}
