// virstor/userland/gvirstor.h — the gvirstor(8) verbs that run in userland.
//
// FreeBSD's geom_virstor.so (sbin/geom/class/virstor/geom_virstor.c) does
// label, clear and dump itself, through the component devices under /dev;
// add, remove, stop and destroy go to the kernel class as control requests.
// These functions are the userland three, with FreeBSD's algorithm and
// messages: stdout/stderr through `io`, the error geom(8) reports through
// req.set_error() (only the first one sticks). `verbose` is -v.
#pragma once

#include "sim/userland/geom_core.h"

namespace gvirstor {

// label [-h] [-v] [-m chunk_size] [-s vir_size] name prov0 [prov1 ...]
void label(sim::gctl_req &req, bool verbose, sim::proc_io &io);
// clear [-v] prov ...: zeroes the last sector where it holds virstor metadata.
void clear(sim::gctl_req &req, bool verbose, sim::proc_io &io);
// dump prov ...: prints each provider's decoded metadata.
void dump(sim::gctl_req &req, sim::proc_io &io);

}  // namespace gvirstor
