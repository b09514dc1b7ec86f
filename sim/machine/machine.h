// sim/machine/machine.h — the simulated computer.
//
// A machine outlives the kernels booted on it, like real hardware does:
// its disks and its files keep their contents across a reboot and a power
// cut, while everything in memory (md malloc disks, GEOM state, open
// descriptors) is gone. It owns
//  * the boot configuration: scheduler mode, seed, loader.conf (tunables
//    and modules to load), and which built-in drivers the kernel has;
//  * the storage that persists: hardware disks (attached at every boot as
//    providers of the DISK class, ada0, ada1, ...) and files (what
//    `mdconfig -t vnode -f FILE` uses: simulated sparse files, or image
//    files on the host);
//  * the write log and the power domain (power loss and its triggers)
//    shared by all disks;
//  * the kernel currently booted, if any.
//
// Userland programs reach the machine through machine::current() (for
// files, say); kernel code reaches disks through the classes that attach
// them. Only one machine exists at a time. Calls are made from the host
// (the scenario interpreter, a test), not from a simulated thread, except
// the lookups (disk, disk_present, file, files) and pull_from_kernel,
// which simulated threads use too.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kern/kernel.h"
#include "sim/media/media.h"
#include "sim/media/power.h"
#include "sim/media/write_log.h"

namespace sim {

class machine;

// A driver of the simulated hardware (the DISK class registers one): it
// attaches the machine's disks at every boot and makes devices come and go
// while a kernel runs. Registered statically (machine_driver_registrar).
struct machine_driver {
  const char *name;
  // In proc0 at every boot, after the modules loaded: attach what exists.
  void (*attach)(machine &m);
  // In a simulated thread: disk `name` was plugged in while running.
  void (*insert)(machine &m, const std::string &name);
  // In a simulated thread: device `name` vanishes now, with whatever it
  // has in flight. 0 if it was this driver's, ENOENT if not.
  int (*pull)(const std::string &name);
};
void register_machine_driver(const machine_driver *d);
struct machine_driver_registrar {
  explicit machine_driver_registrar(const machine_driver *d) { register_machine_driver(d); }
};

// Who watches the machine's storage (geomsim explore's recording): every
// media's events, and what the machine itself does to its storage.
class storage_observer : public media_observer {
 public:
  // A media joined the machine: a hardware disk, or a file (is_file).
  virtual void media_connected(const std::string &name, const std::shared_ptr<media> &m,
                               bool is_file) = 0;
  // The power is being cut: the fates the cut decides come next.
  virtual void power_cut() = 0;
};

struct machine_config {
  kern::sched_mode mode = kern::sched_mode::det;
  uint64_t seed = 1;
  // The seed of random data (/dev/random, label ids): see kern::boot_config.
  uint64_t data_seed = 1;
  // Console lines as the kernel prints them.
  std::function<void(const std::string &)> console;
};

class machine {
 public:
  explicit machine(machine_config cfg);
  // Halts the running kernel and destages every write cache (the machine
  // is switched off properly), unless the power was cut.
  ~machine();
  machine(const machine &) = delete;
  machine &operator=(const machine &) = delete;

  static machine *current();

  const machine_config &config() const { return cfg_; }
  void set_seed(uint64_t seed) { cfg_.seed = seed; }
  void set_mode(kern::sched_mode m) { cfg_.mode = m; }
  void set_console(std::function<void(const std::string &)> fn) { cfg_.console = std::move(fn); }

  // loader.conf: tunables (kern.geom.virstor.debug=5) and modules
  // (geom_virstor_load="YES" is modules.push_back("geom_virstor")).
  // (Handing out either counts as a change of the setup.)
  std::map<std::string, std::string> &kenv() {
    setup_version_++;
    return kenv_;
  }
  std::vector<std::string> &boot_modules() {
    setup_version_++;
    return boot_modules_;
  }
  const std::map<std::string, std::string> &kenv_now() const { return kenv_; }
  const std::vector<std::string> &boot_modules_now() const { return boot_modules_; }
  // Changes whenever loader.conf, the disks or the files may have changed
  // (a disk added, pulled or inserted; a file made, resized or removed).
  uint64_t setup_version() const { return setup_version_.load(); }
  // The next boot is boot n + 1 (geomsim explore boots a crash state as
  // the workload's machine would have booted next: same seeds).
  void set_boots(int n) { boots_ = n; }

  // --- power and kernels -------------------------------------------------
  // Boots a kernel over the durable media (the previous kernel object, if
  // any, is destroyed first; a running one is shut down). Boot n runs with
  // the kernel seed boot_seed(n). False if the boot panicked.
  bool boot();
  // Boots so far (the write log's boot numbers).
  int boots() const { return boots_; }
  // The seed the kernel of boot n gets: the machine's seed for boot 1, a
  // value derived from it and n afterwards (each boot takes new choices,
  // and the whole sequence replays from one seed).
  uint64_t boot_seed(int n) const;
  // The running kernel, or nullptr (never booted, halted, powered off,
  // panicked).
  kern::kernel *kernel();
  // The kernel of the last boot, even stopped (its panic report, findings
  // and console stay readable until the next boot).
  kern::kernel *last_kernel() { return kernel_.get(); }
  // Orderly shutdown: the kernel halts, then every write cache is
  // destaged (as the disk drivers flush at shutdown).
  void shutdown();
  // Cuts the power now: the fate of every unflushed and in-flight write is
  // decided (see power.h), nothing more reaches any disk, the kernel stops.
  void power_cut(const std::string &reason = "power cut by the operator");
  // shutdown() (unless the power is off or the kernel stopped) and boot().
  bool reboot();
  bool powered() const { return power_->on(); }

  // --- hardware disks -----------------------------------------------------
  // Disks are attached at every boot, in name order, as DISK providers
  // (one added while a kernel runs appears at the next boot; to hot-plug
  // it, pull() it first and insert_disk() it when wanted). The media is
  // renamed `name` and joins the write log and the power domain.
  void add_disk(const std::string &name, std::shared_ptr<media> m);
  // A sparse memory disk of `size` bytes.
  std::shared_ptr<media> add_memory_disk(const std::string &name, int64_t size,
                                         media_config cfg = {});
  // A disk backed by an existing raw image on the host (nullptr and
  // *error if it cannot be opened; the file is never truncated).
  std::shared_ptr<media> add_image_disk(const std::string &name, const std::string &host_path,
                                        media_config cfg, std::string *error);
  std::shared_ptr<media> disk(const std::string &name) const;
  // Host only (not while simulated threads run).
  const std::map<std::string, std::shared_ptr<media>> &disks() const { return disks_; }
  // Disks attached at boot: present ones only.
  bool disk_present(const std::string &name) const;

  // Pulls a device out now: a hardware disk (it stays out, across
  // reboots, until insert_disk) or an md unit ("md0"). Its provider is
  // orphaned; requests in flight fail with ENXIO, each exactly once.
  // Returns 0, or ENOENT. From the host it runs in a kernel thread and
  // the system runs until that is done; kernel code (a trigger) calls
  // pull_from_kernel instead.
  int pull(const std::string &device);
  // Plugs a pulled disk back in; a running kernel tastes it at once.
  int insert_disk(const std::string &name);
  // Simulated thread (or host without a kernel): what pull does.
  int pull_from_kernel(const std::string &device);

  // Connects a media that lives in kernel memory (an md malloc or swap
  // unit) to the write log, the power domain and the storage observer.
  void connect_memory(const std::shared_ptr<media> &m);

  // --- files --------------------------------------------------------------
  // Files, by absolute path ("/var/tmp/disk.img"): simulated sparse files
  // or host image files mapped in. Paths are normalized (normalize_path).
  // A file is a media with 512-byte sectors and a write-back cache (the
  // file system's page cache: what md's IO_SYNC writes and fsync reach),
  // and a length in bytes (st_size), which need not be a whole number of
  // sectors: the media holds at least the length rounded up to a sector
  // (a file that grows gets room to grow more), and the bytes past the
  // length are zeros (sim/userland/files.cc keeps it so). A host image's
  // length is its media's size.
  std::shared_ptr<media> file(const std::string &path) const;
  // The file's length in bytes, or -1 if there is no such file.
  int64_t file_length(const std::string &path) const;
  // Sets the length of an existing file (0 <= length <= its media size).
  bool set_file_length(const std::string &path, int64_t length);
  // The bytes of a file's length that writes put there (not truncate's
  // holes): what the file takes of the file system. -1 if no such file.
  int64_t file_written(const std::string &path) const;
  bool set_file_written(const std::string &path, int64_t written);
  // The sum over all files: checked against kFileSystemSize.
  int64_t files_written() const;
  // The machine's file system (/var/tmp and the rest) holds this many
  // bytes written to files; a write past it fails with ENOSPC, as a full
  // UFS does, instead of filling the host's memory.
  static constexpr int64_t kFileSystemSize = int64_t(1) << 30;
  // Adds (or replaces) a file; its length is `length`, or the media's
  // size when negative.
  void add_file(const std::string &path, std::shared_ptr<media> m, int64_t length = -1);
  // truncate -s SIZE PATH: a new sparse file of `size` bytes (its media
  // rounded up to whole sectors), or nullptr if it exists.
  std::shared_ptr<media> create_file(const std::string &path, int64_t size);
  // Maps host image `host_path` in as `path` (nullptr and *error if the
  // host file cannot be opened; never created, never truncated). With
  // `cow`, writes stay in memory: the host file is only read.
  std::shared_ptr<media> map_host_file(const std::string &path, const std::string &host_path,
                                       bool read_only, std::string *error, bool cow = false);
  bool remove_file(const std::string &path);
  std::vector<std::string> files() const;
  // realpath(3) over the simulated namespace: absolute (relative paths
  // start at "/"), no ".", "..", or repeated '/'.
  static std::string normalize_path(const std::string &path);

  // --- observation ----------------------------------------------------------
  write_log &log() { return *log_; }
  power &power_control() { return *power_; }

  // Run at every boot in proc0 after the modules and drivers attached.
  void on_boot(std::function<void(machine &)> fn) { boot_hooks_.push_back(std::move(fn)); }
  // Watches every media the machine has and gets (null: stop watching).
  void set_storage_observer(storage_observer *o);

 private:
  void connect(const std::string &name, const std::shared_ptr<media> &m, bool is_file);
  void destage_all(const char *who);

  machine_config cfg_;
  std::map<std::string, std::string> kenv_;
  std::vector<std::string> boot_modules_;
  std::unique_ptr<kern::kernel> kernel_;
  int boots_ = 0;
  // Guards the maps below: simulated threads (mdconfig, a pull trigger)
  // look files and disks up while the host waits.
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<media>> disks_;
  std::set<std::string> pulled_;
  struct file_entry {
    std::shared_ptr<media> m;
    int64_t length = 0;   // bytes (st_size)
    int64_t written = 0;  // of which written (see file_written)
  };
  std::map<std::string, file_entry> files_;
  std::unique_ptr<write_log> log_;
  std::unique_ptr<power> power_;
  std::vector<std::function<void(machine &)>> boot_hooks_;
  storage_observer *observer_ = nullptr;
  std::atomic<uint64_t> setup_version_{0};
};

}  // namespace sim
