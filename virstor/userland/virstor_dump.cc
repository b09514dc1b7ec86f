// gvirstor dump: FreeBSD's virstor_dump() and virstor_metadata_dump().
#include <cstdio>
#include <cstring>

#include <geom/virstor/g_virstor_md.h>

#include "kern/bsd_errno.h"
#include "virstor/userland/gvirstor.h"

namespace gvirstor {

namespace {

// The 16-byte strings are printed up to their NUL. FreeBSD prints them
// with a bare %s, which runs on into the next field when a name fills all
// 16 bytes; we stop at the field's end instead.
int field_len(const char *s, size_t n) { return (int)strnlen(s, n); }

void metadata_dump(const struct g_virstor_metadata *md, sim::proc_io &io) {
  io.print("          Magic string: %.*s\n", field_len(md->md_magic, 16), md->md_magic);
  io.print("      Metadata version: %u\n", (unsigned)md->md_version);
  io.print("           Device name: %.*s\n", field_len(md->md_name, 16), md->md_name);
  io.print("             Device ID: %u\n", (unsigned)md->md_id);
  io.print("        Provider index: %u\n", (unsigned)md->no);
  io.print("      Active providers: %u\n", (unsigned)md->md_count);
  if (md->provider[0] != '\0')
    io.print("    Hardcoded provider: %.*s\n", field_len(md->provider, 16), md->provider);
  else
    io.print("    Hardcoded provider: %s\n", "(not hardcoded)");
  io.print("          Virtual size: %u MB\n", (unsigned)(md->md_virsize / (1024 * 1024)));
  io.print("            Chunk size: %u kB\n", md->md_chunk_size / 1024);
  io.print("    Chunks on provider: %u\n", md->chunk_count);
  io.print("           Chunks free: %u\n", md->chunk_count - md->chunk_next);
  io.print("       Reserved chunks: %u\n", md->chunk_reserved);
}

}  // namespace

void dump(sim::gctl_req &req, sim::proc_io &io) {
  int nargs = req.get_int("nargs");
  if (nargs < 1) {
    req.set_error("Too few arguments.");
    return;
  }
  for (int i = 0; i < nargs; i++) {
    const char *name = req.get_ascii("arg%u", (unsigned)i);
    unsigned char tmpmd[512];
    int error = sim::g_metadata_read(name, tmpmd, sizeof(tmpmd), G_VIRSTOR_MAGIC);
    if (error != 0) {
      io.eprint("Can't read metadata from %s: %s.\n", name, kern::bsd_strerror(error));
      req.set_error("Not fully done (error reading metadata).");
      continue;
    }
    struct g_virstor_metadata md;
    virstor_metadata_decode(tmpmd, &md);
    io.print("Metadata on %s:\n", name);
    metadata_dump(&md, io);
    io.print("\n");
  }
}

}  // namespace gvirstor
