// gvirstor clear: FreeBSD's virstor_clear().
//
// The last sector is zeroed only where it starts with the virstor magic
// (g_metadata_clear refuses other metadata). FreeBSD then opens each
// cleared provider for writing, meaning to clear its header sector too, and
// never writes or closes it: the descriptor stays open until the program
// exits (here: until the command's thread ends), which delays the retaste
// of the provider until then. Kept as FreeBSD has it.
#include <cstdio>

#include <geom/virstor/g_virstor_md.h>

#include "kern/bsd_errno.h"
#include "virstor/userland/gvirstor.h"

namespace gvirstor {

void clear(sim::gctl_req &req, bool verbose, sim::proc_io &io) {
  int nargs = req.get_int("nargs");
  if (nargs < 1) {
    req.set_error("Too few arguments.");
    return;
  }
  for (unsigned i = 0; i < (unsigned)nargs; i++) {
    char param[32];
    std::snprintf(param, sizeof(param), "arg%u", i);
    const char *name = req.get_ascii("%s", param);

    int error = sim::g_metadata_clear(name, G_VIRSTOR_MAGIC);
    if (error != 0) {
      io.eprint("Can't clear metadata on %s: %s (do I own it?)\n", name,
                kern::bsd_strerror(error));
      req.set_error("Not fully done (can't clear metadata).");
      continue;
    }
    int fd;
    if (kern::sys_open(sim::g_device_path(name), kern::BSD_O_RDWR, fd) != 0) {
      req.set_error("Cannot clear header sector for %s", name);
      continue;
    }
    if (verbose) io.print("Metadata cleared on %s.\n", name);
  }
}

}  // namespace gvirstor
