// The simulated computer. See sim/machine/machine.h.
#include "sim/machine/machine.h"

#include <cstdio>
#include <cstdlib>

#include "kern/bsd_errno.h"
#include "kern/prng.h"

namespace sim {

namespace {
machine *g_machine = nullptr;

std::vector<const machine_driver *> &drivers() {
  static std::vector<const machine_driver *> v;
  return v;
}

// Files live in a file system with a page cache.
media_config file_config(bool read_only) {
  media_config cfg;
  cfg.sector_size = 512;
  cfg.cache = cache_model::write_back;
  cfg.read_only = read_only;
  return cfg;
}
}  // namespace

void register_machine_driver(const machine_driver *d) { drivers().push_back(d); }

machine::machine(machine_config cfg)
    : cfg_(std::move(cfg)),
      log_(std::make_unique<write_log>()),
      power_(std::make_unique<power>(log_.get())) {
  if (g_machine != nullptr) {
    std::fprintf(stderr, "geomsim: a machine already exists\n");
    std::abort();
  }
  g_machine = this;
  power::set_current(power_.get());
  power_->pull_handler = [this](const std::string &dev) { pull_from_kernel(dev); };
}

machine::~machine() {
  if (kernel() != nullptr) kernel_->shutdown();
  kernel_.reset();
  if (power_->on()) destage_all("poweroff");
  power::set_current(nullptr);
  g_machine = nullptr;
}

machine *machine::current() { return g_machine; }

uint64_t machine::boot_seed(int n) const {
  if (n <= 1) return cfg_.seed;
  return kern::prng::stream(cfg_.seed, "boot " + std::to_string(n)).next();
}

// ------------------------------------------------------------- kernels

bool machine::boot() {
  if (kernel() != nullptr) shutdown();
  kernel_.reset();  // the previous boot's kernel, stopped: now it goes
  // Writes a halted or panicked kernel left on their way: the drives,
  // still powered, finish them.
  if (power_->on()) {
    for (auto &[name, m] : disks_) m->complete_in_flight();
    for (auto &[path, f] : files_) f.m->complete_in_flight();
  }
  boots_++;
  log_->set_boot(boots_);
  power_->restore(cfg_.seed, boots_);
  kern::boot_config bc;
  bc.mode = cfg_.mode;
  bc.seed = boot_seed(boots_);
  // Each boot draws other data, the same whatever the scheduling seed.
  bc.data_seed = kern::prng::stream(cfg_.data_seed, "data boot " + std::to_string(boots_)).next();
  bc.kenv = kenv_;
  bc.modules = boot_modules_;
  bc.console_sink = cfg_.console;
  bc.attach.push_back([this] {
    for (const machine_driver *d : drivers())
      if (d->attach != nullptr) d->attach(*this);
    for (auto &h : boot_hooks_) h(*this);
  });
  kernel_ = std::make_unique<kern::kernel>(std::move(bc));
  return kernel_->boot();
}

kern::kernel *machine::kernel() {
  if (kernel_ == nullptr || kernel_->stopped() || kernel_->powered_off()) return nullptr;
  return kernel_.get();
}

void machine::shutdown() {
  if (kernel() != nullptr) kernel_->shutdown();
  if (power_->on()) destage_all("shutdown");
}

void machine::power_cut(const std::string &reason) {
  power_->cut(reason);
  // A kernel that had already stopped (panic, halt) is off now too.
  if (kernel_ != nullptr && !kernel_->powered_off()) kernel_->power_cut();
}

bool machine::reboot() {
  if (power_->on()) shutdown();
  return boot();
}

void machine::destage_all(const char *who) {
  io_origin o;
  o.thread = who;
  for (auto &[name, m] : disks_) m->sync_cache(o);
  for (auto &[path, f] : files_) f.m->sync_cache(o);
}

// --------------------------------------------------------------- disks

void machine::connect(const std::string &name, const std::shared_ptr<media> &m, bool is_file) {
  m->set_name(name);
  m->connect(log_.get(), power_.get());
  power_->attach(m);
  setup_version_++;
  if (observer_ == nullptr) return;
  observer_->media_connected(name, m, is_file);
  m->set_observer(observer_);
}

void machine::connect_memory(const std::shared_ptr<media> &m) {
  m->connect(log_.get(), power_.get());
  power_->attach(m);
  if (observer_ == nullptr) return;
  observer_->media_connected(m->name(), m, false);
  m->set_observer(observer_);
}

void machine::set_storage_observer(storage_observer *o) {
  observer_ = o;
  power_->cut_listener = o == nullptr ? std::function<void()>() : [o] { o->power_cut(); };
  for (auto &[name, m] : disks_) {
    if (o != nullptr) o->media_connected(name, m, false);
    m->set_observer(o);
  }
  for (auto &[path, f] : files_) {
    if (o != nullptr) o->media_connected(path, f.m, true);
    f.m->set_observer(o);
  }
}

void machine::add_disk(const std::string &name, std::shared_ptr<media> m) {
  connect(name, m, false);
  std::lock_guard<std::mutex> g(mu_);
  disks_[name] = std::move(m);
  pulled_.erase(name);
}

std::shared_ptr<media> machine::add_memory_disk(const std::string &name, int64_t size,
                                                media_config cfg) {
  auto m = media::memory(size, cfg);
  add_disk(name, m);
  return m;
}

std::shared_ptr<media> machine::add_image_disk(const std::string &name,
                                               const std::string &host_path, media_config cfg,
                                               std::string *error) {
  auto m = media::open_image(host_path, cfg, error);
  if (m == nullptr) return nullptr;
  add_disk(name, m);
  return m;
}

std::shared_ptr<media> machine::disk(const std::string &name) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = disks_.find(name);
  return it == disks_.end() ? nullptr : it->second;
}

bool machine::disk_present(const std::string &name) const {
  std::lock_guard<std::mutex> g(mu_);
  return disks_.count(name) != 0 && pulled_.count(name) == 0;
}

int machine::pull_from_kernel(const std::string &device) {
  int rc = kern::B_ENOENT;
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = disks_.find(device);
    if (it != disks_.end()) {
      // Out of the machine: nothing reaches it, and it stays out.
      pulled_.insert(device);
      it->second->set_present(false);
      setup_version_++;
      rc = 0;
    }
  }
  if (kern::scheduler::current() != nullptr && kernel() != nullptr) {
    for (const machine_driver *d : drivers())
      if (d->pull != nullptr && d->pull(device) == 0) rc = 0;
  }
  return rc;
}

int machine::pull(const std::string &device) {
  if (kernel() == nullptr) return pull_from_kernel(device);
  int rc = kern::B_ENOENT;
  kern::thread *t = kernel_->run("pull " + device, [&] { rc = pull_from_kernel(device); });
  kernel_->reap(t);
  return rc;
}

int machine::insert_disk(const std::string &name) {
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = disks_.find(name);
    if (it == disks_.end()) return kern::B_ENOENT;
    if (pulled_.count(name) == 0) return kern::B_EEXIST;
    pulled_.erase(name);
    it->second->set_present(true);
    setup_version_++;
  }
  if (kernel() != nullptr) {
    kern::thread *t = kernel_->run("insert " + name, [&] {
      for (const machine_driver *d : drivers())
        if (d->insert != nullptr) d->insert(*this, name);
    });
    kernel_->reap(t);
  }
  return 0;
}

// --------------------------------------------------------------- files

std::string machine::normalize_path(const std::string &path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string p = path.substr(i, j - i);
    if (p == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!p.empty() && p != ".") {
      parts.push_back(p);
    }
    i = j + 1;
  }
  std::string out;
  for (const std::string &p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

std::shared_ptr<media> machine::file(const std::string &path) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(normalize_path(path));
  return it == files_.end() ? nullptr : it->second.m;
}

int64_t machine::file_length(const std::string &path) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(normalize_path(path));
  return it == files_.end() ? -1 : it->second.length;
}

bool machine::set_file_length(const std::string &path, int64_t length) {
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(normalize_path(path));
  if (it == files_.end() || length < 0 || length > it->second.m->size()) return false;
  it->second.length = length;
  setup_version_++;
  return true;
}

int64_t machine::file_written(const std::string &path) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(normalize_path(path));
  return it == files_.end() ? -1 : it->second.written;
}

bool machine::set_file_written(const std::string &path, int64_t written) {
  std::lock_guard<std::mutex> g(mu_);
  auto it = files_.find(normalize_path(path));
  if (it == files_.end() || written < 0) return false;
  it->second.written = written;
  setup_version_++;
  return true;
}

int64_t machine::files_written() const {
  std::lock_guard<std::mutex> g(mu_);
  int64_t n = 0;
  for (const auto &[path, f] : files_) n += f.written;
  return n;
}

void machine::add_file(const std::string &path, std::shared_ptr<media> m, int64_t length) {
  std::string p = normalize_path(path);
  connect(p, m, true);
  if (length < 0 || length > m->size()) length = m->size();
  std::lock_guard<std::mutex> g(mu_);
  files_[p] = file_entry{std::move(m), length};
}

std::shared_ptr<media> machine::create_file(const std::string &path, int64_t size) {
  if (file(path) != nullptr || size < 0) return nullptr;
  const media_config cfg = file_config(false);
  int64_t sectors = size / cfg.sector_size + (size % cfg.sector_size != 0);
  auto m = media::memory(sectors * cfg.sector_size, cfg);
  add_file(path, m, size);
  return m;
}

std::shared_ptr<media> machine::map_host_file(const std::string &path,
                                              const std::string &host_path, bool read_only,
                                              std::string *error, bool cow) {
  if (file(path) != nullptr) {
    if (error) *error = "file '" + normalize_path(path) + "' exists";
    return nullptr;
  }
  auto m = cow ? media::open_image_cow(host_path, file_config(false), error)
               : media::open_image(host_path, file_config(read_only), error);
  if (m == nullptr) return nullptr;
  add_file(path, m);
  return m;
}

bool machine::remove_file(const std::string &path) {
  std::lock_guard<std::mutex> g(mu_);
  setup_version_++;
  return files_.erase(normalize_path(path)) != 0;
}

std::vector<std::string> machine::files() const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::string> out;
  for (const auto &[p, f] : files_) out.push_back(p);
  return out;
}

}  // namespace sim
