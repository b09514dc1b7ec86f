// sysctl names and tunables. See kern/sysctl_tree.h.
#include "kern/sysctl_tree.h"

#include <algorithm>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "kern/bsd_errno.h"

namespace kern {

namespace {
std::vector<static_sysctl *> &statics() {
  static std::vector<static_sysctl *> v;
  return v;
}
std::vector<static_tunable *> &tunables() {
  static std::vector<static_tunable *> v;
  return v;
}
std::vector<static_sysctl_node *> &nodes() {
  static std::vector<static_sysctl_node *> v;
  return v;
}
// A tunable's variable as compiled, restored before the boot environment
// applies (a tunable need not also be a sysctl, whose reset would do it).
std::map<const static_tunable *, int64_t> &tunable_initial() {
  static std::map<const static_tunable *, int64_t> m;
  return m;
}

int64_t load(sysctl_kind kind, const void *p) {
  switch (kind) {
    case sysctl_kind::int_: return *(const int *)p;
    case sysctl_kind::uint: return *(const unsigned *)p;
    case sysctl_kind::long_: return *(const long *)p;
    case sysctl_kind::ulong: return (int64_t) * (const unsigned long *)p;
    default: return 0;
  }
}

void store(sysctl_kind kind, void *p, int64_t v) {
  switch (kind) {
    case sysctl_kind::int_: *(int *)p = (int)v; break;
    case sysctl_kind::uint: *(unsigned *)p = (unsigned)v; break;
    case sysctl_kind::long_: *(long *)p = (long)v; break;
    case sysctl_kind::ulong: *(unsigned long *)p = (unsigned long)v; break;
    default: break;
  }
}

constexpr unsigned kWritable = 0x40000000;  // CTLFLAG_WR
}  // namespace

bool parse_integer(const std::string &s, int64_t &out) {
  if (s.empty()) return false;
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 0);
  if (*end != '\0' || errno != 0) {
    // Allow the full unsigned range too.
    errno = 0;
    unsigned long long u = std::strtoull(s.c_str(), &end, 0);
    if (*end != '\0' || errno != 0 || s[0] == '-') return false;
    out = (int64_t)u;
    return true;
  }
  out = v;
  return true;
}

std::string sysctl_parent::path() const {
  if (parent == nullptr || parent->name == nullptr || parent->name[0] == '\0')
    return name;
  return parent->path() + "." + name;
}

static_sysctl::static_sysctl(const sysctl_parent *parent_, const char *name_,
                             sysctl_kind kind_, void *ptr_, int64_t constant_,
                             unsigned flags_, const char *descr_, size_t strsize_,
                             const char *file_)
    : parent(parent_), name(name_), kind(kind_), ptr(ptr_), constant(constant_),
      flags(flags_), descr(descr_), strsize(strsize_), file(file_) {
  if (ptr != nullptr) {
    if (kind == sysctl_kind::string) initial_str = (const char *)ptr;
    else initial = load(kind, ptr);
  }
  statics().push_back(this);
}

static_tunable::static_tunable(const char *path_, sysctl_kind kind_, void *ptr_,
                               const char *file_)
    : path(path_), kind(kind_), ptr(ptr_), file(file_) {
  tunables().push_back(this);
  tunable_initial()[this] = load(kind, ptr);
}

static_sysctl_node::static_sysctl_node(const sysctl_parent *node_, const char *descr_,
                                       const char *file_)
    : node(node_), descr(descr_), file(file_) {
  nodes().push_back(this);
}

void sysctl_attach(sysctl_tree &tree, const std::map<std::string, std::string> &kenv,
                   sysctl_file_pick pick, const void *arg) {
  for (static_sysctl *s : statics()) {
    if (s->ptr == nullptr || !pick(s->file, arg)) continue;
    if (s->kind == sysctl_kind::string) std::strncpy((char *)s->ptr, s->initial_str.c_str(), s->strsize);
    else store(s->kind, s->ptr, s->initial);
  }
  for (static_tunable *t : tunables()) {
    if (!pick(t->file, arg)) continue;
    store(t->kind, t->ptr, tunable_initial()[t]);
    auto it = kenv.find(t->path);
    int64_t v;
    if (it != kenv.end() && parse_integer(it->second, v)) store(t->kind, t->ptr, v);
  }
  for (static_sysctl_node *n : nodes()) {
    if (!pick(n->file, arg)) continue;
    sysctl_oid oid;
    oid.path = n->node->path();
    oid.kind = sysctl_kind::node;
    oid.descr = n->descr ? n->descr : "";
    tree.add(oid);
  }
  for (static_sysctl *s : statics()) {
    if (!pick(s->file, arg)) continue;
    sysctl_oid oid;
    oid.path = s->parent->path() + "." + s->name;
    oid.kind = s->kind;
    oid.writable = (s->flags & kWritable) != 0 && s->ptr != nullptr;
    oid.descr = s->descr ? s->descr : "";
    oid.ptr = s->ptr;
    oid.constant = s->constant;
    oid.strsize = s->strsize;
    tree.add(oid);
  }
}

void sysctl_detach(sysctl_tree &tree, sysctl_file_pick pick, const void *arg) {
  for (static_sysctl *s : statics())
    if (pick(s->file, arg)) tree.remove(s->parent->path() + "." + s->name);
  for (static_sysctl_node *n : nodes())
    if (pick(n->file, arg)) tree.remove(n->node->path());
}

void sysctl_tree::add(sysctl_oid oid) {
  std::lock_guard<std::mutex> g(mu_);
  std::string path = oid.path;
  oid.order = next_order_++;
  oids_[path] = std::move(oid);
}

void sysctl_tree::remove(const std::string &path) {
  std::lock_guard<std::mutex> g(mu_);
  oids_.erase(path);
}

const sysctl_oid *sysctl_tree::find(const std::string &name) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = oids_.find(name);
  return it == oids_.end() ? nullptr : &it->second;
}

bool sysctl_tree::is_node(const std::string &name) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = oids_.lower_bound(name + ".");
  return it != oids_.end() && it->first.compare(0, name.size() + 1, name + ".") == 0;
}

int sysctl_tree::get(const std::string &name, std::string &value) const {
  const sysctl_oid *o = find(name);
  if (o == nullptr) return is_node(name) ? B_EISDIR : B_ENOENT;
  switch (o->kind) {
    case sysctl_kind::node: return B_EISDIR;
    case sysctl_kind::proc: return o->read ? o->read(value) : B_EPERM;
    case sysctl_kind::string: value = o->ptr ? (const char *)o->ptr : ""; return 0;
    default:
      value = std::to_string(o->ptr ? load(o->kind, o->ptr) : o->constant);
      return 0;
  }
}

int sysctl_tree::set(const std::string &name, const std::string &value) {
  const sysctl_oid *o = find(name);
  if (o == nullptr) return is_node(name) ? B_EISDIR : B_ENOENT;
  if (o->kind == sysctl_kind::proc) return o->write ? o->write(value) : B_EPERM;
  if (!o->writable) return B_EPERM;
  if (o->kind == sysctl_kind::string) {
    if (value.size() + 1 > o->strsize) return B_EINVAL;
    std::strcpy((char *)o->ptr, value.c_str());
    return 0;
  }
  int64_t v;
  if (!parse_integer(value, v)) return B_EINVAL;
  store(o->kind, o->ptr, v);
  return 0;
}

std::vector<std::string> sysctl_tree::leaves(const std::string &prefix) const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::pair<uint64_t, std::string>> found;
  for (auto &[path, o] : oids_) {
    if (o.kind == sysctl_kind::node) continue;
    if (prefix.empty() || path == prefix ||
        path.compare(0, prefix.size() + 1, prefix + ".") == 0)
      found.push_back({o.order, path});
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto &f : found) out.push_back(f.second);
  return out;
}

}  // namespace kern
