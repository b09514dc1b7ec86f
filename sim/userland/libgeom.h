// sim/userland/libgeom.h — the GEOM tree as userland sees it (libgeom).
//
// geom_gettree() reads kern.geom.confxml and builds the tree geom(8)'s
// list and status print. Like FreeBSD's libgeom it builds every list by
// inserting at the head, so classes, geoms, providers and consumers come
// out in creation order (the XML has newest first) and each object's
// configuration pairs in the reverse of the order dumpconf printed them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sim {

struct gconfig {
  std::string name;
  std::string val;
};

struct gclass;
struct ggeom;
struct gprovider;

struct gconsumer {
  std::string id;
  ggeom *geom = nullptr;
  gprovider *provider = nullptr;
  std::string mode;
  std::vector<gconfig> config;
};

struct gprovider {
  std::string id;
  ggeom *geom = nullptr;
  std::string name;
  std::string mode;
  int64_t mediasize = 0;
  unsigned sectorsize = 0;
  uint64_t stripesize = 0;
  uint64_t stripeoffset = 0;
  bool wither = false;
  std::vector<gconfig> config;
};

struct ggeom {
  std::string id;
  gclass *klass = nullptr;
  std::string name;
  int rank = 0;
  bool wither = false;
  std::vector<std::unique_ptr<gconsumer>> consumers;
  std::vector<std::unique_ptr<gprovider>> providers;
  std::vector<gconfig> config;
};

struct gclass {
  std::string id;
  std::string name;
  std::vector<std::unique_ptr<ggeom>> geoms;
};

struct gmesh {
  std::vector<std::unique_ptr<gclass>> classes;
  gclass *find_class(const std::string &name) const;  // case-insensitive
};

// Parses confxml; returns a FreeBSD errno (EINVAL for malformed XML).
int geom_xml2tree(gmesh &mesh, const std::string &xml);
// sysctl kern.geom.confxml + geom_xml2tree (userland thread only).
int geom_gettree(gmesh &mesh);

ggeom *find_geom(const gclass *cls, const std::string &name);
const char *find_config(const std::vector<gconfig> &cfg, const char *name);

}  // namespace sim
