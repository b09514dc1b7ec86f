// The seed's defects, kept in the port, and what each one does in the
// simulator: a panic (the simulator's trap or KASSERT report), a wrong
// read, a hung request, a guard-zone or allocator finding. One test per
// defect; docs/virstor-defects.md describes them and names the scenarios.
// Each test checks the consequence itself, so a port that "fixed" the
// defect would fail here.
#define BOOST_TEST_MODULE virstor_defects
#include <boost/test/unit_test.hpp>

#include "kern/bsd_errno.h"
#include "kern/sched.h"
#include "kern/syscalls.h"
#include "tests/support/test_disk.h"
#include "tests/virstor/virstor_util.h"

using vtest::bytes;
using vtest::le16;

namespace {

constexpr int64_t KiB = 1024, MiB = 1 << 20, CHUNK = 4 * MiB;

vtest::cmd_result gvirstor(testsupport::booted &k, const std::vector<std::string> &args) {
  vtest::cmd_result r;
  k.run([&] { r = vtest::gvirstor(args); });
  return r;
}

int write_at(testsupport::booted &k, int64_t off, const bytes &data) {
  int error = -1;
  k.run([&] { error = vtest::dev_write("virstor/vs", off, data); });
  return error;
}

bytes read_at(testsupport::booted &k, int64_t off, size_t len) {
  bytes b;
  k.run([&] { vtest::dev_read("virstor/vs", off, len, b); });
  return b;
}

bool exists(testsupport::booted &k, const std::string &dev) {
  bool e = false;
  k.run([&] { e = vtest::dev_exists(dev); });
  return e;
}

void touch(testsupport::booted &k, const std::vector<std::string> &disks) {
  for (const std::string &d : disks) k.run([&] { vtest::dev_touch(d); });
}

// Labels vs (512 MiB, 4 MiB chunks) on the given 32 MiB disks.
void device(testsupport::booted &k, const std::vector<std::string> &disks) {
  vtest::make_disks(k, disks, 32 * MiB);
  std::vector<std::string> args{"label", "-s", "512M", "vs"};
  args.insert(args.end(), disks.begin(), disks.end());
  BOOST_REQUIRE(gvirstor(k, args).status == 0);
}

// The raw map entry i on td0 (flags, provider_no, provider_chunk).
bytes raw_map_entry(unsigned i) { return vtest::peek("td0", 8 * i, 8); }

uint64_t inuse(testsupport::booted &k, const std::string &type) {
  for (const kern::mem_type_stats &s : k.k().arena().stats())
    if (s.name == type) return s.inuse;
  return 0;
}

bool finding(testsupport::booted &k, const std::string &needle) {
  for (const std::string &f : k.k().findings())
    if (f.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

// g_virstor_start: for BIO_DELETE the running data pointer starts at
// bio_data (NULL) and is advanced per chunk, so a DELETE clone for any
// chunk after the first carries a non-NULL bio_data.
BOOST_AUTO_TEST_CASE(delete_spanning_two_allocated_chunks_panics_in_g_io_request) {
  testsupport::booted k;
  device(k, {"td0"});
  BOOST_REQUIRE(write_at(k, CHUNK - 4 * KiB, vtest::pattern(8 * KiB, 1)) == 0);
  k.run([&] { vtest::dev_delete("virstor/vs", CHUNK - 512, 1024); });
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "non-NULL bp->data in g_io_request(cmd=4)");
}

// A DELETE inside one chunk is fine: the pointer is still NULL.
BOOST_AUTO_TEST_CASE(delete_inside_one_chunk_does_not_panic) {
  testsupport::booted k;
  device(k, {"td0"});
  BOOST_REQUIRE(write_at(k, 0, vtest::pattern(8 * KiB, 1)) == 0);
  int error = -1;
  k.run([&] { error = vtest::dev_delete("virstor/vs", 0, 4096); });
  BOOST_TEST(error == 0);
  BOOST_TEST(!k.panicked());
  BOOST_TEST(read_at(k, 0, 4096) == bytes(4096, 0));
}

// g_virstor_start: a WRITE spanning two unallocated chunks when only one
// physical chunk is left allocates the first, clones for it (map sector
// and data), then parks the parent on the delayed queue without
// destroying those clones. After `add` the parent is started again: its
// bio_children still counts the lost clones, bio_inbed never catches up,
// and the write never completes. The first chunk is already "allocated" in
// memory at the replay, so its map sector (in a lost clone) is never
// written: here chunks 63 and 64 sit in different map sectors, and the
// on-disk map never learns of chunk 63.
BOOST_AUTO_TEST_CASE(multi_chunk_write_out_of_space_never_completes_after_add) {
  testsupport::booted k;
  // td0: 24 MiB = 5 usable chunks, 2 reserved: 3 to give. Use 2.
  vtest::make_disks(k, {"td0"}, 24 * MiB);
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"label", "-s", "512M", "vs", "td0"}).status == 0);
  BOOST_REQUIRE(write_at(k, 0, vtest::pattern(512, 1)) == 0);
  BOOST_REQUIRE(write_at(k, CHUNK, vtest::pattern(512, 2)) == 0);
  bytes data = vtest::pattern(128 * KiB, 3);
  int werror = -1;
  kern::thread *writer = k.k().spawn("writer", [&] {
    werror = vtest::dev_write("virstor/vs", 64 * CHUNK - 64 * KiB, data);  // chunks 63, 64
  });
  k.k().settle();
  BOOST_TEST(!writer->finished());
  BOOST_TEST(gvirstor(k, {"add", "vs", "td1"}).status == 0);
  k.k().settle();
  BOOST_TEST(!writer->finished());  // a single-chunk write would have completed here
  BOOST_TEST(read_at(k, 64 * CHUNK - 64 * KiB, data.size()) == data);  // yet the data is there
  BOOST_TEST(le16(raw_map_entry(63), 0) == 0u);  // never recorded on disk
  BOOST_TEST(le16(raw_map_entry(64), 0) == 1u);
  BOOST_TEST(!k.panicked());
}

// virstor_check_and_run names sc->provider->name in the "truncated"
// warning before the provider exists: a virtual size that is not a whole
// number of chunks (label never writes one; a damaged or hand-made
// sector does) is a NULL dereference at taste.
BOOST_AUTO_TEST_CASE(virtual_size_not_a_chunk_multiple_is_a_null_dereference_at_taste) {
  testsupport::booted k;
  device(k, {"td0"});
  gvirstor(k, {"stop", "vs"});
  bytes v(8);
  uint64_t virsize = 512 * MiB + 512;
  for (int i = 0; i < 8; i++) v[i] = (uint8_t)(virsize >> (8 * i));
  vtest::poke("td0", 32 * MiB - 512 + 36, v);
  touch(k, {"td0"});
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "page fault");
  BOOST_TEST(k.console_has("Fatal trap 12: page fault while in kernel mode"));
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[2]: "));  // the line it was printing
}

// g_virstor_dumpconf divides by sc->chunk_count, which stays 0 until the
// last component arrives: `gvirstor list` (any confxml reader) on an
// incomplete device is an integer divide fault.
BOOST_AUTO_TEST_CASE(list_of_an_incomplete_device_is_a_divide_fault) {
  testsupport::booted k;
  device(k, {"td0", "td1"});
  gvirstor(k, {"stop", "vs"});
  touch(k, {"td0"});  // td1 not (yet) there
  BOOST_REQUIRE(!k.panicked());
  gvirstor(k, {"list"});
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "integer divide fault");
  BOOST_TEST(k.console_has("Fatal trap 18: integer divide fault while in kernel mode"));
}

// virstor_ctl_remove copies `found` elements of the tail instead of
// n_components - found - 1: removing the second of four components loses
// the fourth. The device then counts as incomplete for good: update_metadata
// silently writes nothing and add/remove refuse.
BOOST_AUTO_TEST_CASE(remove_copies_the_wrong_count_and_loses_a_component) {
  testsupport::booted k;
  device(k, {"td0", "td1", "td2", "td3"});
  vtest::make_disks(k, {"td4"}, 32 * MiB);
  BOOST_TEST(gvirstor(k, {"remove", "vs", "td1"}).status == 0);
  BOOST_TEST(le16(vtest::peek("td0", 32 * MiB - 512, 512), 52) == 4u);  // md_count not updated
  vtest::cmd_result add = gvirstor(k, {"add", "vs", "td4"});
  BOOST_TEST(add.status == 1);
  BOOST_TEST(add.err == "gvirstor: Virstor vs is incomplete\n");
  BOOST_TEST(!k.panicked());
}

// virstor_ctl_remove renumbers the old array (then frees it) and nothing
// rewrites the on-disk component number: after removing a middle
// component, the last one still says no=2 of a 2-component device, taste
// refuses it with EINVAL, and the device never comes back.
BOOST_AUTO_TEST_CASE(remove_of_a_middle_component_keeps_the_device_from_coming_back) {
  testsupport::booted k;
  device(k, {"td0", "td1", "td2"});
  BOOST_TEST(gvirstor(k, {"remove", "vs", "td1"}).status == 0);
  BOOST_TEST(le16(vtest::peek("td2", 32 * MiB - 512, 512), 70) == 2u);  // no
  gvirstor(k, {"stop", "vs"});
  touch(k, {"td0", "td2"});
  BOOST_TEST(!exists(k, "virstor/vs"));
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[1]: Error adding td2 to vs (error 22)"));
}

// virstor_ctl_add reallocates the component array without updating the
// consumers' private pointers, and never sets one for the new component.
// dumpconf then reads the freed (trashed) array: `gvirstor list` shows
// 0xdeadc0de as the old component's index and nothing for the new one.
BOOST_AUTO_TEST_CASE(after_add_list_reads_the_freed_component_array) {
  testsupport::booted k;
  device(k, {"td0"});
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"add", "vs", "td1"}).status == 0);
  vtest::cmd_result list = gvirstor(k, {"list"});
  BOOST_TEST(list.status == 0);
  BOOST_TEST(list.out.find("   ComponentIndex: 3735929054\n") != std::string::npos);
  BOOST_TEST(list.out.find("   ComponentIndex: 1\n") == std::string::npos);
}

// ... and the new component's consumer has no private pointer: when it is
// spoiled (someone opens td1 for writing while vs is closed) the orphan
// method's KASSERT fires.
BOOST_AUTO_TEST_CASE(after_add_spoiling_the_new_component_panics_in_g_virstor_orphan) {
  testsupport::booted k;
  device(k, {"td0"});
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"add", "vs", "td1"}).status == 0);
  touch(k, {"td1"});
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "g_virstor_orphan: No component in private part of consumer");
}

// ... and an old component's consumer points into the freed array: when
// it is spoiled, remove_component() follows a trashed pointer.
BOOST_AUTO_TEST_CASE(after_add_spoiling_an_old_component_is_a_protection_fault) {
  testsupport::booted k;
  device(k, {"td0"});
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"add", "vs", "td1"}).status == 0);
  touch(k, {"td0"});
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "general protection fault");
  BOOST_TEST(k.console_has("Fatal trap 9: general protection fault while in kernel mode"));
}

// Removing the last of three components copies two elements from past
// the end of the old array to past the end of the new one (3 slots): the
// new array's guard zone is overwritten, which free(9) reports when the
// device is stopped.
BOOST_AUTO_TEST_CASE(remove_of_the_last_of_three_overflows_the_new_array) {
  testsupport::booted k;
  device(k, {"td0", "td1", "td2"});
  BOOST_TEST(gvirstor(k, {"remove", "vs", "td2"}).status == 0);
  gvirstor(k, {"stop", "vs"});
  BOOST_TEST(finding(k, "REDZONE: Buffer overflow detected."));
}

// virstor_ctl_add grows the array with realloc(9) and never sets the new
// component's flags: the uninitialised word goes to its metadata.
BOOST_AUTO_TEST_CASE(add_writes_uninitialised_flags_to_the_new_component) {
  testsupport::booted k;
  device(k, {"td0"});
  vtest::make_disks(k, {"td1"}, 32 * MiB);
  BOOST_REQUIRE(gvirstor(k, {"add", "vs", "td1"}).status == 0);
  BOOST_TEST(le16(vtest::peek("td1", 32 * MiB - 512, 512), 90) == 0xc0deu);  // label writes 0
}

// The error paths of virstor_ctl_add destroy a consumer they attached
// without detaching it: adding a component that is already there panics.
BOOST_AUTO_TEST_CASE(adding_an_existing_component_panics_in_g_destroy_consumer) {
  testsupport::booted k;
  device(k, {"td0", "td1"});
  gvirstor(k, {"add", "vs", "td1"});
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "g_destroy_consumer but attached");
}

// virstor_ctl_stop fetches -f and ignores it: it always destroys with
// force, so `gvirstor stop` without -f takes an open device away (with a
// warning in the log) instead of refusing. (Its other flaw, not reporting
// a failed destroy to the user, therefore never shows.)
BOOST_AUTO_TEST_CASE(stop_without_f_destroys_an_open_device) {
  testsupport::booted k;
  device(k, {"td0"});
  BOOST_REQUIRE(write_at(k, 0, vtest::pattern(4096, 1)) == 0);
  vtest::cmd_result r;
  bool still_there = true;
  int rerror = 0;
  k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/virstor/vs", kern::BSD_O_RDONLY, fd) == 0);
    r = vtest::gvirstor({"stop", "vs"});
    still_there = vtest::dev_exists("virstor/vs");
    std::vector<char> buf(4096);
    size_t done;
    rerror = kern::sys_pread(fd, buf.data(), buf.size(), 0, done);
    kern::sys_close(fd);
  });
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == "");
  BOOST_TEST(!still_there);
  BOOST_TEST(rerror == kern::B_ENXIO);
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[2]: Device virstor/vs is still open."));
  BOOST_TEST(!k.panicked());
}

// g_virstor_start, WRITE to an unallocated chunk: if cloning the data bio
// fails, the queued map-sector write is dropped but the map entry stays
// allocated in memory; the framework re-issues the request (ENOMEM), which
// now writes the data only. The write succeeds, the on-disk map never
// learns of the chunk: after a stop and a retaste the data reads as zeroes.
BOOST_AUTO_TEST_CASE(data_clone_failure_loses_the_map_update_and_the_data) {
  testsupport::booted k;
  device(k, {"td0"});
  bytes data = vtest::pattern(4096, 9);
  k.k().faults().add({"g_clone_bio", "virstor/vs", 2, 1});  // 1: map sector, 2: data
  BOOST_TEST(write_at(k, 3 * CHUNK, data) == 0);
  BOOST_TEST(read_at(k, 3 * CHUNK, data.size()) == data);  // in memory: fine
  BOOST_TEST(le16(raw_map_entry(3), 0) == 0u);             // on disk: unallocated
  gvirstor(k, {"stop", "vs"});
  touch(k, {"td0"});
  BOOST_TEST(read_at(k, 3 * CHUNK, data.size()) == bytes(4096, 0));
  BOOST_TEST(!k.panicked());
}

// The INVARIANTS check of g_virstor_destroy_geom (module unload) is what
// notices: the map sector on disk differs from the one in memory.
BOOST_AUTO_TEST_CASE(data_clone_failure_shows_as_a_corrupted_table_at_unload) {
  testsupport::booted k;
  device(k, {"td0"});
  k.k().faults().add({"g_clone_bio", "virstor/vs", 2, 1});
  BOOST_TEST(write_at(k, 3 * CHUNK, vtest::pattern(4096, 9)) == 0);
  k.run([&] { kern::sys_kldunload("geom_virstor"); });
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[1]: ERROR in allocation table, entry 0, offset 0"));
  BOOST_TEST(k.console_has(
      "GEOM_VIRSTOR[1]: ALLOCATION TABLE CORRUPTED FOR vs (1 sectors don't match, max 64 allocations)"));
}

// Same path, map-sector clone failing: the entry is rolled back, the
// physical chunk allocate_chunk handed out is not, so it is skipped.
BOOST_AUTO_TEST_CASE(map_clone_failure_skips_a_physical_chunk) {
  testsupport::booted k;
  device(k, {"td0"});
  k.k().faults().add({"g_clone_bio", "virstor/vs", 1, 1});
  BOOST_TEST(write_at(k, 0, vtest::pattern(4096, 1)) == 0);
  BOOST_TEST(vtest::le32(raw_map_entry(0), 4) == 3u);  // chunk 2 was lost
}

// g_virstor_destroy_geom's INVARIANTS check counts with `flags ||
// VIRSTOR_MAP_ALLOCATED != 0`, always true: every chunk is "allocated".
BOOST_AUTO_TEST_CASE(unload_counts_every_chunk_as_allocated) {
  testsupport::boot_options o = vtest::with_virstor();
  o.kenv["kern.geom.virstor.debug"] = "5";
  testsupport::booted k(o);
  device(k, {"td0"});
  BOOST_REQUIRE(write_at(k, 0, vtest::pattern(512, 1)) == 0);
  int error = -1;
  k.run([&] { error = kern::sys_kldunload("geom_virstor"); });
  BOOST_TEST(error == kern::B_EAGAIN);  // destroy_geom's answer, as documented
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[5]: Device vs has 128 allocated chunks"));
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[5]: Allocation table ok for vs"));
}

// write_metadata encodes into malloc(9) memory without M_ZERO: the rest
// of the metadata sector is whatever the allocator left (INVARIANTS'
// 0xdeadc0de here). The class rewrites the metadata as soon as the
// device first closes, which its own taste of virstor/vs already does.
BOOST_AUTO_TEST_CASE(kernel_metadata_writes_leave_the_sector_tail_uninitialised) {
  testsupport::booted k;
  device(k, {"td0"});
  bytes s = vtest::peek("td0", 32 * MiB - 512, 512);
  BOOST_TEST(s[92] == 0xde);
  BOOST_TEST(s[93] == 0xc0);
  BOOST_TEST(s[94] == 0xad);
  BOOST_TEST(s[95] == 0xde);
  BOOST_TEST(s[511] == 0xde);
}

// virstor_check_and_run reads the allocation map with g_read_data while
// tasting, i.e. with the topology lock held, which g_data(9) forbids.
// FreeBSD 10 lets it pass; the simulator records it as a finding.
BOOST_AUTO_TEST_CASE(taste_reads_the_map_with_the_topology_lock_held) {
  testsupport::booted k;
  device(k, {"td0"});
  BOOST_TEST(finding(k, "g_read_data() called with the topology lock held"));
}

// add_provider_to_geom returns EINVAL for a sector size mismatch after
// attaching its consumer, and leaves it attached with no component: when
// that provider is later spoiled, g_virstor_orphan's KASSERT fires.
BOOST_AUTO_TEST_CASE(a_component_refused_for_its_sector_size_stays_attached) {
  testsupport::booted k;
  device(k, {"td0", "td1"});
  gvirstor(k, {"stop", "vs"});
  // td5: 4 KiB sectors, same size, td1's metadata in its last sector.
  vtest::make_disks(k, {"td5"}, 32 * MiB, 4096);
  vtest::poke("td5", 32 * MiB - 4096, vtest::peek("td1", 32 * MiB - 512, 512));
  k.run([&] { testsupport::tdisk_destroy("td1"); });
  touch(k, {"td0", "td5"});
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[1]: Provider td5 of vs has invalid sector size (4096)"));
  BOOST_TEST(k.console_has("GEOM_VIRSTOR[1]: Error adding td5 to vs (error 22)"));
  BOOST_REQUIRE(!k.panicked());
  touch(k, {"td5"});
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "g_virstor_orphan: No component in private part of consumer");
}

// When a component of a live device goes away and comes back (spoiled by
// a writer, then retasted), virstor_check_and_run reads the map into a new
// allocation and drops the old one: after stop, one map stays allocated.
BOOST_AUTO_TEST_CASE(a_component_coming_back_leaks_the_previous_map) {
  testsupport::booted k;
  device(k, {"td0", "td1"});
  touch(k, {"td1"});  // spoils virstor's consumer: the provider goes away...
  BOOST_TEST(exists(k, "virstor/vs"));  // ...and comes back at the retaste
  gvirstor(k, {"stop", "vs"});
  BOOST_TEST(!exists(k, "virstor/vs"));
  BOOST_TEST(inuse(k, "gvirstor") == 1u);  // the first map (a fresh device frees all)
  BOOST_TEST(!k.panicked());
}

// With the device open, its components carry access counts; remove of an
// unallocated component detaches the consumer without closing it.
BOOST_AUTO_TEST_CASE(remove_while_the_device_is_open_panics_in_g_detach) {
  testsupport::booted k;
  device(k, {"td0", "td1"});
  k.run([&] {
    int fd;
    BOOST_REQUIRE(kern::sys_open("/dev/virstor/vs", kern::BSD_O_RDONLY, fd) == 0);
    vtest::gvirstor({"remove", "vs", "td1"});
  });
  BOOST_TEST(k.panicked());
  BOOST_TEST(k.panic_message() == "detach but nonzero acr");
}
