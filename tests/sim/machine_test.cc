// The machine: power cuts through a running kernel under both cache
// models (the surviving writes checked against the write log), reboot
// leaving nothing of the previous boot, host image files, determinism.
#define BOOST_TEST_MODULE sim_machine
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "kern/syscalls.h"
#include "sim/media/hash.h"
#include "tests/sim/sim_fixture.h"

namespace {

// Writes sector-sized blocks i = first..last at offset i * len, one
// request at a time (each waits), each with its own pattern.
void write_blocks(const std::string &dev, int first, int last, size_t len, unsigned salt) {
  int fd;
  if (kern::sys_open("/dev/" + dev, kern::BSD_O_RDWR, fd) != 0) return;
  for (int i = first; i <= last; i++) {
    auto data = simtest::pattern(len, salt + (unsigned)i);
    size_t done;
    kern::sys_pwrite(fd, data.data(), len, (int64_t)i * (int64_t)len, done);
  }
  kern::sys_close(fd);
}

// What the disk must hold for each write record of `media` given its fate
// (writes never overlap here): durable = the data, lost = zeros, torn =
// the first `landed` sectors.
void check_disk_against_log(sim::machine &m, sim::media &disk, unsigned salt, size_t len) {
  for (const auto &r : m.log().since(0, disk.name())) {
    if (r.op != sim::io_op::write) continue;
    std::vector<unsigned char> got((size_t)r.length);
    disk.host_read_durable(r.offset, got.data(), got.size());
    auto data = simtest::pattern(len, salt + (unsigned)(r.offset / (int64_t)len));
    BOOST_TEST(sim::content_hash(data.data(), data.size()) == r.hash);
    size_t keep = r.fate == sim::write_fate::durable ? got.size()
                  : r.fate == sim::write_fate::torn  ? r.landed * disk.sector_size()
                                                     : 0;
    BOOST_TEST(std::equal(got.begin(), got.begin() + (long)keep, data.begin()), r.to_string());
    BOOST_TEST(std::all_of(got.begin() + (long)keep, got.end(), [](unsigned char c) { return c == 0; }),
               r.to_string());
  }
}

struct tmpdir {
  std::string path;
  tmpdir() {
    char t[] = "/tmp/geomsim-machine-XXXXXX";
    path = mkdtemp(t);
  }
  ~tmpdir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_cut_after_the_nth_write_keeps_every_completed_write_through_write) {
  simtest::rig r;
  auto disk = r.m.add_memory_disk("ada0", 1 << 20);
  BOOST_REQUIRE(r.boot());
  r.m.power_control().add(sim::trigger::after_writes(5, "ada0"));
  bool wrote_all = false;
  r.run([&] {
    write_blocks("ada0", 0, 9, 4096, 100);
    wrote_all = true;
  });
  BOOST_TEST(!wrote_all);  // the writer died with the kernel
  BOOST_TEST(r.m.kernel() == nullptr);
  BOOST_TEST(r.m.last_kernel()->powered_off());
  auto recs = r.m.log().since(0, "ada0");
  BOOST_REQUIRE(recs.size() == 5u);
  for (const auto &rec : recs) BOOST_TEST((rec.fate == sim::write_fate::durable));
  check_disk_against_log(r.m, *disk, 100, 4096);
  std::vector<unsigned char> sixth(4096);
  disk->host_read_durable(5 * 4096, sixth.data(), sixth.size());
  BOOST_TEST(std::all_of(sixth.begin(), sixth.end(), [](unsigned char c) { return c == 0; }));
  auto rep = r.m.log().reports().at(0);
  BOOST_TEST(rep.reason.find("after write #5 on ada0") != std::string::npos);
  BOOST_TEST(rep.boot == 1);

  // The next boot sees exactly that.
  BOOST_REQUIRE(r.m.reboot());
  std::vector<unsigned char> fifth(4096);
  BOOST_TEST(r.run([&] { simtest::dev_read("ada0", 4 * 4096, fifth); }));
  BOOST_TEST(fifth == simtest::pattern(4096, 104));
}

BOOST_AUTO_TEST_CASE(a_write_back_cut_loses_only_unflushed_writes_and_the_disk_matches_the_log) {
  int lost = 0, flushed_lost = 0;
  for (uint64_t seed = 1; seed <= 8; seed++) {
    simtest::rig r(seed);
    sim::media_config wb;
    wb.cache = sim::cache_model::write_back;
    auto disk = r.m.add_memory_disk("ada0", 1 << 20, wb);
    BOOST_REQUIRE(r.boot());
    BOOST_TEST(r.run([] {
      write_blocks("ada0", 0, 3, 4096, 7);
      simtest::dev_flush("ada0");
      write_blocks("ada0", 4, 11, 4096, 7);
    }));
    uint64_t flush_seq = 0;
    for (const auto &rec : r.m.log().records())
      if (rec.op == sim::io_op::flush) flush_seq = rec.seq;
    BOOST_REQUIRE(flush_seq == 5u);
    r.m.power_cut();
    for (const auto &rec : r.m.log().records()) {
      if (rec.seq < flush_seq) {
        BOOST_TEST((rec.fate == sim::write_fate::durable));
        flushed_lost += rec.fate != sim::write_fate::durable;
      }
      lost += rec.fate == sim::write_fate::lost;
    }
    check_disk_against_log(r.m, *disk, 7, 4096);
    // And a fresh kernel reads what the log says survived.
    BOOST_REQUIRE(r.m.reboot());
    std::vector<unsigned char> via_kernel(12 * 4096), raw(12 * 4096);
    BOOST_TEST(r.run([&] { simtest::dev_read("ada0", 0, via_kernel); }));
    disk->host_read_durable(0, raw.data(), raw.size());
    BOOST_TEST(via_kernel == raw);
  }
  BOOST_TEST(lost > 0);
  BOOST_TEST(flushed_lost == 0);
}

BOOST_AUTO_TEST_CASE(a_write_caught_in_flight_is_torn_at_sector_granularity_for_some_seeds) {
  std::set<std::string> fates;
  for (uint64_t seed = 1; seed <= 24; seed++) {
    simtest::rig r(seed);
    auto disk = r.m.add_memory_disk("ada0", 1 << 20);
    BOOST_REQUIRE(r.boot());
    // Cut when the write covering byte 40000 reaches the disk.
    r.m.power_control().add(sim::trigger::on_io(sim::io_op::write, "ada0", 40000));
    r.run([] { write_blocks("ada0", 0, 15, 8192, 3); });
    auto rep = r.m.log().reports().at(0);
    BOOST_REQUIRE(rep.affected.size() == 1u);
    sim::write_record rec;
    r.m.log().get(rep.affected[0], rec);
    BOOST_TEST(rec.in_flight);
    BOOST_TEST(rec.offset == 4 * 8192);
    fates.insert(sim::write_fate_name(rec.fate));
    check_disk_against_log(r.m, *disk, 3, 8192);
  }
  BOOST_TEST(fates.count("torn") == 1u);
  BOOST_TEST(fates.count("lost") == 1u);
}

BOOST_AUTO_TEST_CASE(md_malloc_contents_die_with_the_power_and_the_log_says_so) {
  simtest::rig r;
  BOOST_REQUIRE(r.boot());
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m").out == "md0\n");
  BOOST_TEST(r.run([] { write_blocks("md0", 0, 2, 512, 1); }));
  r.m.power_cut();
  auto recs = r.m.log().since(0, "md0");
  BOOST_REQUIRE(recs.size() == 3u);
  for (const auto &rec : recs) {
    BOOST_TEST((rec.fate == sim::write_fate::lost));
    BOOST_TEST(rec.by_cut);
  }
}

BOOST_AUTO_TEST_CASE(reboot_leaves_nothing_of_the_previous_boot_but_disks_and_files) {
  simtest::rig r;
  auto disk = r.m.add_memory_disk("ada0", 1 << 20);
  r.m.create_file("/data/img", 1 << 20);
  BOOST_REQUIRE(r.boot());
  kern::kernel *first = r.m.kernel();
  BOOST_TEST(r.sh("mdconfig -a -t malloc -s 1m").status == 0);
  BOOST_TEST(r.sh("mdconfig -a -t vnode -f /data/img").status == 0);
  BOOST_TEST(r.sh("gnop create -w 100 ada0").status == 0);
  BOOST_TEST(r.run([] {
    write_blocks("md1", 0, 0, 512, 9);
    write_blocks("md0", 0, 0, 512, 9);
    write_blocks("ada0", 1, 1, 512, 9);  // not through the gnop
  }));
  BOOST_REQUIRE(r.m.reboot());
  BOOST_TEST(r.m.boots() == 2);
  BOOST_TEST(r.m.kernel() != nullptr);
  std::vector<std::string> devs, mods;
  std::string txt;
  int64_t uptime = -1;
  std::vector<unsigned char> on_disk(512), in_file(512);
  BOOST_TEST(r.run([&] {
    devs = kern::sys_devfs_list();
    mods = kern::sys_kldstat();
    kern::sys_sysctl_get("kern.geom.conftxt", txt);
    uptime = kern::sys_uptime_ns();
    simtest::dev_read("ada0", 512, on_disk);
  }));
  BOOST_TEST(devs == std::vector<std::string>{"ada0"});
  BOOST_TEST((std::find(mods.begin(), mods.end(), "g_nop") == mods.end()));
  BOOST_TEST(txt == "0 DISK ada0 1048576 512 hd 16 sc 63\n");
  BOOST_TEST(uptime < 1000000000);
  BOOST_TEST(r.sh("mdconfig -l").out == "");
  BOOST_TEST(r.sh("gnop list").status == 1);
  BOOST_TEST(on_disk == simtest::pattern(512, 10));
  r.m.file("/data/img")->host_read(0, in_file.data(), 512);
  BOOST_TEST(in_file == simtest::pattern(512, 9));
  BOOST_TEST(r.m.files() == std::vector<std::string>{"/data/img"});
  (void)first;
  (void)disk;
}

BOOST_AUTO_TEST_CASE(host_images_round_trip_through_the_kernel) {
  tmpdir t;
  std::string disk_img = t.path + "/ada0.img", fbsd_img = t.path + "/fbsd.img";
  {  // "labelled on FreeBSD": a magic in the last sector
    std::ofstream out(fbsd_img, std::ios::binary);
    std::vector<char> img(1 << 20, 0);
    std::memcpy(&img[img.size() - 512], "GEOM::VIRSTOR", 13);
    out.write(img.data(), (std::streamsize)img.size());
  }
  {
    std::string err;
    auto created = sim::media::create_image(disk_img, 2 << 20, {}, &err);
    BOOST_REQUIRE_MESSAGE(created != nullptr, err);
  }
  auto data = simtest::pattern(4096, 21);
  std::vector<unsigned char> label(512), via_md(512);
  {
    simtest::rig r;
    std::string err;
    BOOST_REQUIRE_MESSAGE(r.m.add_image_disk("ada0", disk_img, {}, &err) != nullptr, err);
    BOOST_REQUIRE_MESSAGE(r.m.map_host_file("/images/fbsd.img", fbsd_img, true, &err) != nullptr, err);
    BOOST_REQUIRE(r.boot());
    BOOST_TEST(r.sh("mdconfig -a -t vnode -f /images/fbsd.img").status == 0);
    BOOST_TEST(r.run([&] {
      simtest::dev_write("ada0", 1 << 20, data);
      simtest::dev_read("md0", (1 << 20) - 512, via_md);
    }));
    r.m.shutdown();
  }
  BOOST_TEST(std::memcmp(via_md.data(), "GEOM::VIRSTOR", 13) == 0);
  std::ifstream in(disk_img, std::ios::binary);
  std::vector<unsigned char> raw((std::istreambuf_iterator<char>(in)), {});
  BOOST_REQUIRE(raw.size() == 2u << 20);
  BOOST_TEST(std::equal(data.begin(), data.end(), raw.begin() + (1 << 20)));
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_write_log_and_losses) {
  auto run = [](uint64_t seed) {
    simtest::rig r(seed);
    sim::media_config wb;
    wb.cache = sim::cache_model::write_back;
    r.m.add_memory_disk("ada0", 1 << 20, wb);
    r.m.add_memory_disk("ada1", 1 << 20);
    r.boot();
    r.sh("gnop create -w 20 ada1");
    r.m.power_control().add(sim::trigger::after_writes(14));
    kern::kernel &k = r.k();
    // Two writers at once: their interleaving is the seed's too.
    k.spawn("w0", [] { write_blocks("ada0", 0, 9, 1024, 1); });
    k.spawn("w1", [] { write_blocks("ada1.nop", 0, 9, 1024, 2); });
    k.settle();
    std::string out = r.m.log().dump();
    for (const auto &rep : r.m.log().reports()) out += rep.to_string(r.m.log());
    return out;
  };
  std::string a = run(11);
  BOOST_TEST(!a.empty());
  BOOST_TEST(a == run(11));
  bool differs = false;
  for (uint64_t s = 12; s <= 15 && !differs; s++) differs = run(s) != a;
  BOOST_TEST(differs);
}

BOOST_AUTO_TEST_CASE(a_cut_under_parallel_writers_in_threads_mode_matches_the_log) {
  for (uint64_t seed = 1; seed <= 5; seed++) {
    simtest::rig r(seed, kern::sched_mode::threads);
    sim::media_config wb;
    wb.cache = sim::cache_model::write_back;
    auto d0 = r.m.add_memory_disk("ada0", 1 << 20, wb);
    auto d1 = r.m.add_memory_disk("ada1", 1 << 20);
    BOOST_REQUIRE(r.boot());
    r.m.power_control().add(sim::trigger::after_writes(12));
    kern::kernel &k = r.k();
    k.spawn("w0", [] { write_blocks("ada0", 0, 15, 2048, 5); });
    k.spawn("w1", [] { write_blocks("ada1", 0, 15, 2048, 5); });
    k.settle();
    BOOST_TEST(r.m.kernel() == nullptr);
    BOOST_TEST(r.m.log().reports().size() == 1u);
    // Nothing completed after the cut: the 12th write, plus at most the
    // other writer's, which may finish while the trigger fires.
    for (const auto &rec : r.m.log().records())
      if (!rec.in_flight) BOOST_TEST(rec.seq <= 13u);
    check_disk_against_log(r.m, *d0, 5, 2048);
    check_disk_against_log(r.m, *d1, 5, 2048);
  }
}
