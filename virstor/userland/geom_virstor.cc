// gvirstor(8): the virstor class library of geom(8) and the program.
//
// The command table is FreeBSD's (sbin/geom/class/virstor/geom_virstor.c):
// the same verbs, options, defaults and usage lines. label, clear and dump
// run here (see gvirstor.h); the others become GEOM_CTL requests that
// g_virstor_config() handles in the kernel.
#include <geom/virstor/g_virstor_md.h>

#include "virstor/userland/gvirstor.h"

namespace {

using sim::g_command;
using sim::gctl_req;
using sim::proc_io;

const uint32_t virstor_version = G_VIRSTOR_VERSION;

// Dispatcher (FreeBSD's virstor_main): no real work, only the verb.
void virstor_main(gctl_req &req, unsigned flags, proc_io &io) {
  bool verbose = (flags & sim::G_FLAG_VERBOSE) != 0;
  const char *name = req.get_ascii("verb");
  if (name == nullptr) {
    req.set_error("No '%s' argument.", "verb");
    return;
  }
  std::string verb = name;
  if (verb == "label")
    gvirstor::label(req, verbose, io);
  else if (verb == "clear")
    gvirstor::clear(req, verbose, io);
  else if (verb == "dump")
    gvirstor::dump(req, io);
  else
    req.set_error("%s: Unknown command: %s.", "virstor_main", name);
}

const sim::geom_class_lib virstor_lib = {
    "virstor",
    &virstor_version,
    {
        {"clear", sim::G_FLAG_VERBOSE, virstor_main, {}, "[-v] prov ..."},
        {"dump", 0, virstor_main, {}, "prov ..."},
        {"label", sim::G_FLAG_VERBOSE | sim::G_FLAG_LOADKLD, virstor_main,
         {{'h', "hardcode", nullptr, sim::G_TYPE_BOOL},
          {'m', "chunk_size", "4M", sim::G_TYPE_NUMBER},
          {'s', "vir_size", "2T", sim::G_TYPE_NUMBER}},
         "[-h] [-v] [-m chunk_size] [-s vir_size] name provider0 [provider1 ...]"},
        {"destroy", sim::G_FLAG_VERBOSE, nullptr,
         {{'f', "force", nullptr, sim::G_TYPE_BOOL}},
         "[-fv] name ..."},
        {"stop", sim::G_FLAG_VERBOSE, nullptr,
         {{'f', "force", nullptr, sim::G_TYPE_BOOL}},
         "[-fv] name ... (alias for \"destroy\")"},
        {"add", sim::G_FLAG_VERBOSE, nullptr,
         {{'h', "hardcode", nullptr, sim::G_TYPE_BOOL}},
         "[-vh] name prov [prov ...]"},
        {"remove", sim::G_FLAG_VERBOSE, nullptr, {}, "[-v] name ..."},
    },
};

struct virstor_lib_registrar {
  virstor_lib_registrar() { sim::register_geom_class_lib(&virstor_lib); }
} virstor_lib_registrar_instance;

// gvirstor is geom(8) under another name: the class is "virstor".
int gvirstor_main(const std::vector<std::string> &argv, proc_io &io) {
  if (io.progname.empty()) io.progname = "gvirstor";
  std::vector<std::string> args;
  if (!argv.empty()) args.assign(argv.begin() + 1, argv.end());
  return sim::geom_main("gvirstor", "virstor", args, io);
}

}  // namespace

SIM_PROGRAM(gvirstor, "gvirstor", gvirstor_main,
            "gvirstor label [-hv] [-s virsize] [-m chunksize] name prov ... | "
            "gvirstor clear [-v] prov ... | gvirstor dump prov ... | "
            "gvirstor destroy [-fv] name ... | gvirstor stop [-fv] name ... | "
            "gvirstor add [-vh] name prov ... | gvirstor remove [-v] name ... | "
            "gvirstor list [-a] [name ...] | gvirstor status [-ags] [name ...]",
            "control utility for virtual data storage devices");
