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
//  * the write log and the power-loss triggers shared by all disks;
//  * the kernel currently booted, if any.
//
// Userland programs reach the machine through machine::current() (for
// files, say); kernel code reaches disks through the classes that attach
// them. Only one machine exists at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kern/kernel.h"

namespace sim {

class media;       // sim/media/media.h
class write_log;   // sim/media/write_log.h
class power;       // sim/media/power.h

struct machine_config {
  kern::sched_mode mode = kern::sched_mode::det;
  uint64_t seed = 1;
  // Console lines as the kernel prints them.
  std::function<void(const std::string &)> console;
};

class machine {
 public:
  explicit machine(machine_config cfg);
  ~machine();
  machine(const machine &) = delete;
  machine &operator=(const machine &) = delete;

  static machine *current();

  const machine_config &config() const { return cfg_; }
  void set_seed(uint64_t seed) { cfg_.seed = seed; }
  void set_mode(kern::sched_mode m) { cfg_.mode = m; }

  // loader.conf: tunables (kern.geom.virstor.debug=5) and modules
  // (geom_virstor_load="YES" is modules.push_back("geom_virstor")).
  std::map<std::string, std::string> &kenv() { return kenv_; }
  std::vector<std::string> &boot_modules() { return boot_modules_; }

  // Boots a kernel (a kernel must not be running). False if boot panicked.
  bool boot();
  // The running kernel, or nullptr (never booted, halted, powered off).
  kern::kernel *kernel() { return kernel_.get(); }
  // Orderly shutdown (sync, unmount, halt); the kernel object is kept
  // until the next boot so its panic report and findings can be read.
  void shutdown();
  // Cuts the power now: nothing more reaches any disk, the kernel stops.
  void power_cut();
  // shutdown() (unless powered off) and boot().
  bool reboot();

  // Persistent storage.
  void add_disk(const std::string &name, std::shared_ptr<media> m);
  std::shared_ptr<media> disk(const std::string &name) const;
  const std::map<std::string, std::shared_ptr<media>> &disks() const { return disks_; }

  // Files, by path: simulated files (created by truncate(1) or dd) or
  // host image files mapped in (map_host_file). nullptr if absent.
  std::shared_ptr<media> file(const std::string &path) const;
  void add_file(const std::string &path, std::shared_ptr<media> m);
  bool remove_file(const std::string &path);
  std::vector<std::string> files() const;

  write_log &log() { return *log_; }
  power &power_control() { return *power_; }

  // Run at every boot in proc0 after the modules loaded (drivers attach
  // hardware here). Registered by the simulator's drivers.
  void on_boot(std::function<void(machine &)> fn) { boot_hooks_.push_back(std::move(fn)); }

 private:
  machine_config cfg_;
  std::map<std::string, std::string> kenv_;
  std::vector<std::string> boot_modules_;
  std::unique_ptr<kern::kernel> kernel_;
  std::map<std::string, std::shared_ptr<media>> disks_;
  std::map<std::string, std::shared_ptr<media>> files_;
  std::unique_ptr<write_log> log_;
  std::unique_ptr<power> power_;
  std::vector<std::function<void(machine &)>> boot_hooks_;
};

}  // namespace sim
