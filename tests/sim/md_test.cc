// md(4) and mdconfig(8): create, list, destroy (busy, forced, orphaning
// the consumers), the unit's own thread, flush per type, vnode disks over
// the machine's files, FreeBSD's messages.
#define BOOST_TEST_MODULE sim_md
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "kern/syscalls.h"
#include "sim/md/md_ioctl.h"
#include "sim/userland/program.h"
#include "tests/sim/probe.h"
#include "tests/sim/sim_fixture.h"

namespace {

bool has_dev(const std::string &name) {
  for (const auto &d : kern::sys_devfs_list())
    if (d == name) return true;
  return false;
}

bool has_thread(kern::kernel &k, const std::string &name) {
  for (kern::thread *t : k.sched().live_threads())
    if (t->name() == name) return true;
  return false;
}

// Runs a program inside the calling simulated thread (so that descriptors
// the thread holds stay open).
simtest::cmd_result inline_sh(const std::vector<std::string> &argv) {
  simtest::cmd_result res;
  sim::proc_io io;
  io.progname = argv[0];
  res.status = sim::find_program(argv[0])->main(argv, io);
  res.out = io.out;
  res.err = io.err;
  res.finished = true;
  return res;
}

}  // namespace

BOOST_AUTO_TEST_CASE(mdconfig_creates_units_prints_their_names_and_lists_them) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  auto a = r.sh("mdconfig -a -t malloc -s 1m");
  BOOST_TEST(a.status == 0);
  BOOST_TEST(a.out == "md0\n");
  BOOST_TEST(r.sh("mdconfig -a -t swap -s 2048").out == "md1\n");  // 512-byte blocks
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 4m -S 4096 -u 7").out == "");
  BOOST_TEST(r.sh("mdconfig -l").out == "md0 md1 md7 \n");
  BOOST_TEST(r.sh("mdconfig -l -v").out ==
             "md0\tmalloc\t  1.0M\nmd1\tswap\t  1.0M\nmd7\tmalloc\t  4.0M\n");
  BOOST_TEST(r.sh("mdconfig -l -u 7").out == "md7\tmalloc\t  4.0M\n");
  BOOST_TEST(r.sh("mdconfig -l -n").out == "0 1 7 \n");
  std::string txt;
  unsigned secsize = 0;
  BOOST_TEST(r.run([&] {
    kern::sys_sysctl_get("kern.geom.conftxt", txt);
    int fd;
    if (kern::sys_open("/dev/md7", kern::BSD_O_RDONLY, fd) == 0) {
      kern::sys_diocgsectorsize(fd, secsize);
      kern::sys_close(fd);
    }
  }));
  BOOST_TEST(txt.find("0 MD md0 1048576 512 u 0 s 512 f 0 fs 0 l 1048576 t malloc\n") !=
             std::string::npos);
  BOOST_TEST(secsize == 4096u);
}

BOOST_AUTO_TEST_CASE(each_unit_is_served_by_its_own_thread) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m");
  BOOST_TEST(has_thread(r.k(), "md0"));
  int e = -1;
  BOOST_TEST(r.run([&] { e = simtest::dev_write("md0", 4096, simtest::pattern(4096, 2)); }));
  BOOST_TEST(e == 0);
  auto recs = r.m.log().since(0, "md0");
  BOOST_REQUIRE(recs.size() == 1u);
  BOOST_TEST(recs[0].thread == "test");  // who asked, not who served
  BOOST_TEST(r.sh("mdconfig -d -u 0").status == 0);
  BOOST_TEST(!has_thread(r.k(), "md0"));
}

BOOST_AUTO_TEST_CASE(destroying_an_open_unit_is_ebusy_unless_forced) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m");
  simtest::cmd_result busy, forced;
  int rd = -1, cl = -1;
  BOOST_TEST(r.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/md0", kern::BSD_O_RDWR, fd) == 0);
    busy = inline_sh({"mdconfig", "-d", "-u", "0"});
    forced = inline_sh({"mdconfig", "-d", "-u", "0", "-o", "force"});
    char buf[512];
    size_t done;
    rd = kern::sys_pread(fd, buf, sizeof buf, 0, done);
    cl = kern::sys_close(fd);
  }));
  BOOST_TEST(busy.status == 1);
  BOOST_TEST(busy.err == "mdconfig: ioctl(/dev/mdctl): Device busy\n");
  BOOST_TEST(forced.status == 0);
  BOOST_TEST(rd == kern::B_ENXIO);
  BOOST_TEST(cl == 0);
  BOOST_TEST(r.sh("mdconfig -l").out == "");
}

BOOST_AUTO_TEST_CASE(forced_destroy_orphans_the_consumers) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m");
  BOOST_TEST(r.run([&] { BOOST_REQUIRE(probe::probe_attach("md0") == 0); }));
  BOOST_TEST(r.sh("mdconfig -d -u 0").err == "mdconfig: ioctl(/dev/mdctl): Device busy\n");
  BOOST_TEST(!probe::probe_get().orphaned);
  BOOST_TEST(r.sh("mdconfig -d -u 0 -o force").status == 0);
  bool dev = true;
  BOOST_TEST(r.run([&] { dev = has_dev("md0"); }));
  BOOST_TEST(probe::probe_get().orphaned);
  BOOST_TEST(!dev);
  // The unit number is free again.
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m").out == "md0\n");
  BOOST_TEST(!r.k().panicked());
}

BOOST_AUTO_TEST_CASE(pulling_a_unit_fails_every_request_in_flight_exactly_once) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m");
  r.m.power_control().add(sim::trigger::on_io(sim::io_op::write, "md0", -1, 3).then_pull());
  bool all = false;
  BOOST_TEST(r.run([&] {
    BOOST_REQUIRE(probe::probe_attach("md0") == 0);
    probe::probe_write(8, 0, 4096, 1);
    all = probe::probe_wait(60ll * 1000000000);
  }));
  BOOST_TEST(all);
  auto res = probe::probe_get();
  BOOST_TEST(res.completed == 8);
  for (int i = 0; i < 8; i++) {
    BOOST_TEST(res.done_count[(size_t)i] == 1);
    BOOST_TEST(res.error[(size_t)i] == (i < 2 ? 0 : kern::B_ENXIO));
  }
  BOOST_TEST(res.orphaned);
  BOOST_TEST(r.sh("mdconfig -l").out == "");
  BOOST_TEST(r.console_has("md0: disk gone"));
  BOOST_TEST(!r.k().panicked());
}

BOOST_AUTO_TEST_CASE(flush_is_eopnotsupp_on_malloc_and_fsync_on_vnode) {
  simtest::rig r;
  auto file = r.m.create_file("/var/img", 1 << 20);
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m").out == "md0\n");
  BOOST_TEST(r.sh("mdconfig -a -t vnode -f /var/img").out == "md1\n");
  auto data = simtest::pattern(4096, 3);
  int f0 = -1, w1 = -1, f1 = -1;
  BOOST_TEST(r.run([&] {
    f0 = simtest::dev_flush("md0");
    w1 = simtest::dev_write("md1", 8192, data);
    f1 = simtest::dev_flush("md1");
  }));
  BOOST_TEST(f0 == kern::B_EOPNOTSUPP);
  BOOST_TEST(w1 == 0);
  BOOST_TEST(f1 == 0);
  std::vector<unsigned char> got(4096);
  file->host_read_durable(8192, got.data(), got.size());
  BOOST_TEST(got == data);  // IO_SYNC: durable without the flush too
  auto recs = r.m.log().since(0, "md1");
  BOOST_REQUIRE(recs.size() == 2u);
  BOOST_TEST(recs[0].media == "/var/img");
  BOOST_TEST(recs[0].fua);
  BOOST_TEST((recs[1].op == sim::io_op::flush));
}

BOOST_AUTO_TEST_CASE(vnode_disks_keep_their_file_across_reboot_malloc_disks_vanish) {
  simtest::rig r;
  r.m.create_file("/img", 2 << 20);
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m");
  r.sh("mdconfig -a -t vnode -f /img");
  auto data = simtest::pattern(4096, 77);
  BOOST_TEST(r.run([&] {
    simtest::dev_write("md0", 0, data);
    simtest::dev_write("md1", 4096, data);
  }));
  BOOST_REQUIRE(r.m.reboot());
  BOOST_TEST(r.sh("mdconfig -l").out == "");
  bool md = true;
  BOOST_TEST(r.run([&] { md = has_dev("md0") || has_dev("md1"); }));
  BOOST_TEST(!md);
  BOOST_TEST(r.sh("mdconfig -a -t vnode -f /img").out == "md0\n");
  std::vector<unsigned char> got(4096);
  BOOST_TEST(r.run([&] { simtest::dev_read("md0", 4096, got); }));
  BOOST_TEST(got == data);
  BOOST_TEST(r.sh("mdconfig -l -v").out == "md0\tvnode\t  2.0M\t/img\n");
}

BOOST_AUTO_TEST_CASE(mdconfig_says_what_freebsd_says) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  auto e = r.sh("mdconfig -a -t malloc");
  BOOST_TEST(e.status == 1);
  BOOST_TEST(e.err == "mdconfig: must specify -s for -t malloc, -t swap, or -t null\n");
  BOOST_TEST(r.sh("mdconfig -a -t swap -s 1000b").err ==
             "mdconfig: ioctl(/dev/mdctl): Numerical argument out of domain\n");
  BOOST_TEST(r.sh("mdconfig -d").err == "mdconfig: -d requires -u\n");
  BOOST_TEST(r.sh("mdconfig -a -t foo").err == "mdconfig: unknown type: foo\n");
  BOOST_TEST(r.sh("mdconfig -d -u 7").err ==
             "mdconfig: ioctl(/dev/mdctl): No such file or directory\n");
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m -u 3").status == 0);
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m -u 3").err == "mdconfig: ioctl(/dev/mdctl): Device busy\n");
  BOOST_TEST(r.sh("mdconfig -a -t vnode -f /nofile").err ==
             "mdconfig: realpath: No such file or directory\n");
  BOOST_TEST(r.sh("mdconfig -d -u 3 -v").err == "mdconfig: -v can only be used with -l\n");
  BOOST_TEST(r.sh("mdconfig -l -u x").err == "mdconfig: bad unit: x\n");
  auto u = r.sh("mdconfig");
  BOOST_TEST(u.status == 1);
  BOOST_TEST(u.err.compare(0, 39, "usage: mdconfig -a -t type [-n] [-o [no") == 0);
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m -o readonly").err ==
             "mdconfig: ioctl(/dev/mdctl): Invalid argument\n");
}

BOOST_AUTO_TEST_CASE(xml_config_and_geometry_are_md4s) {
  simtest::rig r;
  r.m.create_file("/f", 1 << 20);
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m -x 63 -y 16");
  r.sh("mdconfig -a -t vnode -f /f -o readonly");
  std::string xml;
  unsigned fws = 0, fwh = 0;
  int wr = -1;
  BOOST_TEST(r.run([&] {
    kern::sys_sysctl_get("kern.geom.confxml", xml);
    int fd;
    if (kern::sys_open("/dev/md0", kern::BSD_O_RDONLY, fd) == 0) {
      kern::sys_diocgfwsectors(fd, fws);
      kern::sys_diocgfwheads(fd, fwh);
      kern::sys_close(fd);
    }
    wr = kern::sys_open("/dev/md1", kern::BSD_O_RDWR, fd);
  }));
  BOOST_TEST(fws == 63u);
  BOOST_TEST(fwh == 16u);
  BOOST_TEST(wr == kern::B_EROFS);
  for (const char *key : {"<unit>0</unit>", "<sectorsize>512</sectorsize>", "<fwheads>16</fwheads>",
                          "<fwsectors>63</fwsectors>", "<length>1048576</length>",
                          "<compression>on</compression>", "<access>read-write</access>",
                          "<type>malloc</type>", "<access>read-only</access>", "<type>vnode</type>",
                          "<file>/f</file>"})
    BOOST_TEST(xml.find(key) != std::string::npos, key);
}

BOOST_AUTO_TEST_CASE(a_unit_pulled_from_the_host_is_gone_and_null_disks_read_zeros) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m").out == "md0\n");
  BOOST_TEST(r.sh("mdconfig -a -t null -s 1m").out == "md1\n");
  BOOST_TEST(r.m.pull("md0") == 0);
  BOOST_TEST(r.m.pull("md0") == kern::B_ENOENT);
  BOOST_TEST(r.sh("mdconfig -l").out == "md1 \n");
  std::vector<unsigned char> got(4096, 0xee);
  int w = -1, rd = -1;
  BOOST_TEST(r.run([&] {
    w = simtest::dev_write("md1", 0, simtest::pattern(4096, 1));
    rd = simtest::dev_read("md1", 0, got);
  }));
  BOOST_TEST(w == 0);
  BOOST_TEST(rd == 0);
  BOOST_TEST(got == std::vector<unsigned char>(4096, 0));
  BOOST_TEST(r.m.log().since(0, "md1").empty());  // nothing is stored
}

// mdconfig -r, as FreeBSD 10's MDIOCRESIZE: the provider follows through
// g_resize_provider. Growing is free; shrinking takes -o force, and the
// consumer of a geom without a resize method (the probe) is orphaned,
// while DEV (which has one) keeps /dev/md0 with its new size.
// (diskinfo is not linked here: mdconfig -l -v shows the size.)
BOOST_AUTO_TEST_CASE(resize_grows_freely_and_shrinking_takes_force_and_orphans_consumers_without_resize) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(r.sh("mdconfig -a -t swap -s 1m").out == "md0\n");
  BOOST_TEST(r.run([&] {
    BOOST_REQUIRE(probe::probe_attach("md0") == 0);
    probe::probe_write(1, 0, 4096, 'a');
    BOOST_REQUIRE(probe::probe_wait(1000000000));
  }));
  BOOST_TEST(r.sh("mdconfig -r -u 0 -s 2m").status == 0);
  BOOST_TEST(r.sh("mdconfig -l -v").out == "md0\tswap\t  2.0M\n");
  BOOST_TEST(!probe::probe_get().orphaned);
  auto busy = r.sh("mdconfig -r -u 0 -s 512k");
  BOOST_TEST(busy.status == 1);
  BOOST_TEST(busy.err == "mdconfig: ioctl(/dev/mdctl): Device busy\n");
  BOOST_TEST(r.sh("mdconfig -r -u 0 -s 512k -o force").status == 0);
  BOOST_TEST(probe::probe_get().orphaned);
  BOOST_TEST(r.sh("mdconfig -l -v").out == "md0\tswap\t  512K\n");
  std::vector<unsigned char> sector(512);
  BOOST_TEST(r.run([&] { BOOST_TEST(simtest::dev_read("md0", 524288 - 512, sector) == 0); }));
}

// A swap unit frees what lies past a smaller size: grown back, it reads
// zeros there; what lies inside stays.
BOOST_AUTO_TEST_CASE(shrinking_a_swap_unit_loses_what_lies_past_the_new_end) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t swap -s 1m");
  std::vector<unsigned char> data(1 << 20);
  for (size_t i = 0; i < data.size(); i++) data[i] = (unsigned char)(i * 7 + 1);
  BOOST_TEST(r.run([&] { BOOST_TEST(simtest::dev_write("md0", 0, data) == 0); }));
  BOOST_TEST(r.sh("mdconfig -r -u 0 -s 512k -o force").status == 0);
  BOOST_TEST(r.sh("mdconfig -r -u 0 -s 1m").status == 0);
  std::vector<unsigned char> back(1 << 20);
  BOOST_TEST(r.run([&] { BOOST_TEST(simtest::dev_read("md0", 0, back) == 0); }));
  BOOST_TEST((std::equal(back.begin(), back.begin() + (512 << 10), data.begin())));
  BOOST_TEST((std::all_of(back.begin() + (512 << 10), back.end(), [](unsigned char c) { return c == 0; })));
}

BOOST_AUTO_TEST_CASE(resize_refuses_what_freebsd_10_refuses) {
  simtest::rig r;
  auto file = r.m.create_file("/var/img", 1 << 20);
  BOOST_REQUIRE(r.boot());
  r.sh("mdconfig -a -t malloc -s 1m");
  r.sh("mdconfig -a -t swap -s 1m");
  r.sh("mdconfig -a -t vnode -s 512k -f /var/img");
  BOOST_TEST(r.sh("mdconfig -r -u 0 -s 2m").err ==
             "mdconfig: ioctl(/dev/mdctl): Operation not supported\n");
  BOOST_TEST(r.sh("mdconfig -r -u 1 -s 1025k").err ==
             "mdconfig: ioctl(/dev/mdctl): Numerical argument out of domain\n");
  BOOST_TEST(r.sh("mdconfig -r -u 7 -s 1m").err ==
             "mdconfig: ioctl(/dev/mdctl): No such file or directory\n");
  // A vnode unit takes any size that fits in its file (the simulator's
  // files do not grow through md, as at create).
  BOOST_TEST(r.sh("mdconfig -r -u 2 -s 1m").status == 0);
  BOOST_TEST(r.sh("mdconfig -r -u 2 -s 2m").err ==
             "mdconfig: ioctl(/dev/mdctl): Invalid argument\n");
}
