// kern/sysctl_tree.h — sysctl(3) names and loader tunables.
//
// Kernel code declares sysctls and tunables with FreeBSD's macros
// (sys/sysctl.h, sys/kernel.h); the macros create static registrations
// here. At boot the kernel resets every registered variable to the value it
// had when the program started (so nothing carries over from a previous
// boot), applies the tunables from the boot environment (loader.conf), and
// serves reads and writes by dotted name.
//
// Errors are FreeBSD errno values: ENOENT for an unknown name, EPERM for a
// write to a read-only one, EINVAL for a value that does not parse, EISDIR
// for a node read as a leaf.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kern {

enum class sysctl_kind { node, int_, uint, long_, ulong, string, proc };

// A parent in the static tree (what SYSCTL_DECL/SYSCTL_NODE name).
struct sysctl_parent {
  const char *name;
  const sysctl_parent *parent;
  std::string path() const;
};

struct sysctl_oid {
  std::string path;
  sysctl_kind kind = sysctl_kind::node;
  bool writable = false;
  std::string descr;
  void *ptr = nullptr;     // the variable (int kinds, string)
  size_t strsize = 0;      // capacity of a string variable
  int64_t constant = 0;    // value when ptr is NULL
  // proc kind: the handler computes the value (runs in a simulated thread)
  std::function<int(std::string &out)> read;
  std::function<int(const std::string &in)> write;
  uint64_t order = 0;  // registration order: how sysctl(8) lists a node
};

class sysctl_tree {
 public:
  void add(sysctl_oid oid);
  void remove(const std::string &path);
  int get(const std::string &name, std::string &value) const;
  int set(const std::string &name, const std::string &value);
  bool is_node(const std::string &name) const;
  // Leaf names at or below `prefix` ("" for all), in registration order
  // (FreeBSD numbers OID_AUTO entries as they register, and lists them so).
  std::vector<std::string> leaves(const std::string &prefix) const;
  const sysctl_oid *find(const std::string &name) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, sysctl_oid> oids_;
  uint64_t next_order_ = 0;
};

// Static registrations made by the FreeBSD macros before main(). `file`
// is the source file of the registration: a module's sysctls (those in
// the file that declares the module) appear when it loads and go when it
// unloads, as the entries of a kld's linker set do.
struct static_sysctl {
  const sysctl_parent *parent;
  const char *name;
  sysctl_kind kind;
  void *ptr;
  int64_t constant;
  unsigned flags;
  const char *descr;
  size_t strsize;
  const char *file;
  int64_t initial = 0;     // value of *ptr at registration
  std::string initial_str;
  static_sysctl(const sysctl_parent *parent, const char *name, sysctl_kind kind,
                void *ptr, int64_t constant, unsigned flags, const char *descr,
                size_t strsize = 0, const char *file = "");
};

struct static_tunable {
  const char *path;
  sysctl_kind kind;
  void *ptr;
  const char *file;
  static_tunable(const char *path, sysctl_kind kind, void *ptr, const char *file = "");
};

struct static_sysctl_node {
  const sysctl_parent *node;
  const char *descr;
  const char *file;
  static_sysctl_node(const sysctl_parent *node, const char *descr, const char *file = "");
};

// Attaches the static registrations whose file `pick` selects: variables
// go back to their initial values, tunables from `kenv` apply, names join
// the tree. At boot for the kernel proper, at kldload for a module.
using sysctl_file_pick = bool (*)(const char *file, const void *arg);
void sysctl_attach(sysctl_tree &tree, const std::map<std::string, std::string> &kenv,
                   sysctl_file_pick pick, const void *arg);
// Removes the names of the registrations `pick` selects (kldunload).
void sysctl_detach(sysctl_tree &tree, sysctl_file_pick pick, const void *arg);

// Parses a C integer ("12", "0x1f", "-3"); false if it is not one.
bool parse_integer(const std::string &s, int64_t &out);

}  // namespace kern
