// gvirstor label: FreeBSD's virstor_label() and my_g_metadata_store(), on
// the simulated system calls.
//
// The kernel only tastes what this writes, so the arithmetic here is
// FreeBSD's to the bit, including its integer widths: the chunk size is a
// 32-bit field (a larger -m wraps), "too small" compares against a 32-bit
// 4 * chunk size, and each component's chunk count is checked against its
// last sector with a 32-bit product. Messages and their streams are
// FreeBSD's; so are its quirks: "Device %s is too small" is recorded but
// labelling goes on, and the output of -v ends without a newline (geom(8)
// prints "Done.").
#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <vector>

#include <sys/mman.h>

#include <geom/virstor/g_virstor.h>
#include <geom/virstor/g_virstor_md.h>

#include "kern/bsd_errno.h"
#include "kern/kernel.h"
#include "virstor/userland/gvirstor.h"

namespace gvirstor {

namespace {

// <sys/param.h> of stable/10 on amd64; the kernel's map blocks depend on it.
constexpr unsigned kMaxphys = 128 * 1024;

// strlcpy() into one of the metadata's 16-byte name fields.
template <size_t N>
void copy_name(char (&dst)[N], const char *src) {
  size_t n = std::min(std::strlen(src), N - 1);
  std::memcpy(dst, src, n);
  std::memset(dst + n, 0, N - n);
}

// open(2) of a provider given as "md0" or "/dev/md0": the descriptor, or
// -1 with the error in `error`.
int open_provider(const char *name, int &error) {
  int fd;
  error = kern::sys_open(sim::g_device_path(name), kern::BSD_O_RDWR, fd);
  return error == 0 ? fd : -1;
}

// Zero-filled memory from the host, unmapped when it goes.
class zeroed_buffer {
 public:
  explicit zeroed_buffer(size_t n) : size_(std::max<size_t>(n, 1)) {
    void *p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    p_ = p;
#ifdef MADV_HUGEPAGE
    madvise(p_, size_, MADV_HUGEPAGE);  // advice only
#endif
  }
  ~zeroed_buffer() {
    if (p_ != nullptr) munmap(p_, size_);
  }
  zeroed_buffer(const zeroed_buffer &) = delete;
  zeroed_buffer &operator=(const zeroed_buffer &) = delete;
  void *get() const { return p_; }

 private:
  size_t size_;
  void *p_ = nullptr;
};

// pwrite(2): the byte count, or -1 with the error in `error`.
ssize_t pwrite_all(int fd, const void *buf, size_t len, int64_t off, int &error) {
  size_t done = 0;
  error = kern::sys_pwrite(fd, buf, len, off, done);
  return error == 0 ? (ssize_t)done : -1;
}

// FreeBSD's my_g_metadata_store(): the sector goes to the last sector.
int my_g_metadata_store(const char *name, const unsigned char *md, size_t size) {
  int error = 0;
  int fd = open_provider(name, error);
  if (fd == -1) return error;
  int64_t mediasize = sim::g_get_mediasize(name);
  unsigned sectorsize = 0;
  if (mediasize == 0) {
    error = sim::g_errno();
  } else if ((sectorsize = sim::g_get_sectorsize(name)) == 0) {
    error = sim::g_errno();
  } else {
    std::vector<unsigned char> sector(std::max<size_t>(sectorsize, size));
    std::memcpy(sector.data(), md, size);
    int werror;
    if (pwrite_all(fd, sector.data(), sectorsize, mediasize - sectorsize, werror) !=
        (ssize_t)sectorsize)
      error = werror != 0 ? werror : kern::B_EIO;
  }
  kern::sys_close(fd);
  return error;
}

// arc4random(3), from the simulated machine's seeded generator.
uint32_t arc4random() {
  return (uint32_t)(kern::kernel::current()->random("arc4random") >> 32);
}

}  // namespace

void label(sim::gctl_req &req, bool verbose, sim::proc_io &io) {
  struct g_virstor_metadata md;
  int64_t msize;
  unsigned int i;
  size_t ssize, secsize;
  const char *name;
  char param[32];
  int hardcode, nargs, error;
  size_t total_chunks;      // We'll run out of memory if this needs to be bigger.
  unsigned int map_chunks;  // Chunks needed by the map (map size).
  size_t map_size;          // In bytes.
  ssize_t written;
  int fd;

  nargs = req.get_int("nargs");
  if (nargs < 2) {
    req.set_error("Too few arguments (%d): expecting: name provider0 [provider1 ...]", nargs);
    return;
  }

  hardcode = req.get_int("hardcode");

  // Initialize constant parts of metadata: magic signature, version, name.
  std::memset(&md, 0, sizeof(md));
  copy_name(md.md_magic, G_VIRSTOR_MAGIC);
  md.md_version = G_VIRSTOR_VERSION;
  name = req.get_ascii("arg0");
  if (name == nullptr) {
    req.set_error("No 'arg%u' argument.", 0);
    return;
  }
  copy_name(md.md_name, name);

  md.md_virsize = (uint64_t)req.get_intmax("vir_size");
  md.md_chunk_size = (uint32_t)req.get_intmax("chunk_size");
  md.md_count = (uint16_t)(nargs - 1);

  if (md.md_virsize == 0 || md.md_chunk_size == 0) {
    req.set_error("Virtual size and chunk size must be non-zero");
    return;
  }

  if (md.md_chunk_size % kMaxphys != 0) {
    // Not strictly needed, but FreeBSD imposes it to keep chunks simple.
    size_t new_size = (md.md_chunk_size / kMaxphys) * kMaxphys;
    if (new_size < md.md_chunk_size) new_size += kMaxphys;
    io.eprint("Resizing chunk size to be a multiple of MAXPHYS (%d kB).\n", (int)(kMaxphys / 1024));
    io.eprint("New chunk size: %zu kB\n", new_size / 1024);
    md.md_chunk_size = (uint32_t)new_size;
  }

  if (md.md_virsize % md.md_chunk_size != 0) {
    int64_t chunk_count = (int64_t)(md.md_virsize / md.md_chunk_size);
    md.md_virsize = (uint64_t)chunk_count * md.md_chunk_size;
    io.eprint("Resizing virtual size to be a multiple of chunk size.\n");
    io.eprint("New virtual size: %zu MB\n", (size_t)(md.md_virsize / (1024 * 1024)));
  }

  msize = 0;
  secsize = 0;
  for (i = 1; i < (unsigned)nargs; i++) {
    std::snprintf(param, sizeof(param), "arg%u", i);
    name = req.get_ascii("%s", param);
    ssize = sim::g_get_sectorsize(name);
    if (ssize == 0) io.eprint("%s for %s\n", kern::bsd_strerror(sim::g_errno()), name);
    msize += sim::g_get_mediasize(name);
    if (secsize == 0) {
      secsize = ssize;
    } else if (secsize != ssize) {
      req.set_error("Devices need to have same sector size (%u on %s needs to be %u).",
                    (unsigned)ssize, name, (unsigned)secsize);
      return;
    }
  }

  if (secsize == 0) {
    req.set_error("Device not specified");
    return;
  }

  if (md.md_chunk_size % secsize != 0) {
    io.eprint("Error: chunk size is not a multiple of sector size.");
    req.set_error("Chunk size (in bytes) must be multiple of %u.", (unsigned)secsize);
    return;
  }

  total_chunks = md.md_virsize / md.md_chunk_size;
  map_size = total_chunks * sizeof(struct virstor_map_entry);

  ssize = map_size % secsize;
  if (ssize != 0) {
    // The map must fill whole sectors: add chunks, and so virtual size.
    size_t add_chunks = (secsize - ssize) / sizeof(struct virstor_map_entry);
    total_chunks += add_chunks;
    md.md_virsize = (uint64_t)total_chunks * md.md_chunk_size;
    map_size = total_chunks * sizeof(struct virstor_map_entry);
    io.eprint("Resizing virtual size to fit virstor structures.\n");
    io.eprint("New virtual size: %ju MB (%zu new chunks)\n",
              (uintmax_t)(md.md_virsize / (1024 * 1024)), add_chunks);
  }

  if (verbose)
    io.print("Total virtual chunks: %zu (%zu MB each), %ju MB total virtual size.\n",
             total_chunks, (size_t)(md.md_chunk_size / (1024 * 1024)),
             (uintmax_t)(md.md_virsize / (1024 * 1024)));

  if ((int64_t)md.md_virsize < msize)
    io.eprint("WARNING: Virtual storage size < Physical available storage (%ju < %ju)\n",
              (uintmax_t)md.md_virsize, (uintmax_t)msize);

  // Clear last sector first to spoil all components if device exists.
  if (verbose) io.print("Clearing metadata on");

  for (i = 1; i < (unsigned)nargs; i++) {
    std::snprintf(param, sizeof(param), "arg%u", i);
    name = req.get_ascii("%s", param);

    if (verbose) io.print(" %s", name);

    msize = sim::g_get_mediasize(name);
    ssize = sim::g_get_sectorsize(name);
    if (msize == 0 || ssize == 0) {
      req.set_error("Can't retrieve information about %s: %s.", name,
                    kern::bsd_strerror(sim::g_errno()));
      return;
    }
    // FreeBSD multiplies in 32 bits here (md_chunk_size is a uint32_t).
    uint32_t four_chunks = md.md_chunk_size * 4;
    if (msize < (int64_t)std::max<size_t>(four_chunks, map_size))
      req.set_error("Device %s is too small", name);  // recorded; labelling goes on
    error = sim::g_metadata_clear(name, nullptr);
    if (error != 0) {
      req.set_error("Can't clear metadata on %s: %s.", name, kern::bsd_strerror(error));
      return;
    }
  }

  // Write allocation table to the first provider - this needs to be done
  // before metadata is written because when kernel tastes it it's too late.
  name = req.get_ascii("arg1");  // device with metadata
  if (verbose) io.print(".\nWriting allocation table to %s...", name);

  // How many chunks does the map occupy?
  map_chunks = (unsigned)(map_size / md.md_chunk_size);
  if (map_size % md.md_chunk_size != 0) map_chunks++;
  if (verbose) io.print(" (%zu MB, %d chunks) ", map_size / (1024 * 1024), map_chunks);

  fd = open_provider(name, error);
  if (fd < 0) req.set_error("Cannot open provider %s to write map", name);

  // A zeroed map: no virtual chunk is backed yet. FreeBSD callocs it; a
  // fresh anonymous mapping is as zero, and reading it costs no page
  // clearing (huge zero pages where the host allows them): the map of a
  // 2 TB device in 1 MB chunks is 16 MB.
  zeroed_buffer map(total_chunks * sizeof(struct virstor_map_entry));
  if (map.get() == nullptr) {
    // FreeBSD goes on to pwrite(NULL), which fails; the first error stays.
    req.set_error("Out of memory (need %zu bytes for allocation map)", map_size);
    return;
  }
  written = pwrite_all(fd, map.get(), map_size, 0, error);
  if ((size_t)written != map_size) {
    if (verbose)
      io.eprint("\nTried to write %zu, written %zd (%s)\n", map_size, written,
                kern::bsd_strerror(error));
    req.set_error("Error writing out allocation map!");
    return;  // FreeBSD leaves fd to exit(3), and so do we
  }
  kern::sys_close(fd);

  if (verbose) io.print("\nStoring metadata on ");

  // ID is randomly generated, unique for a geom. This is used to recognize
  // all providers belonging to one geom.
  md.md_id = arc4random();

  // Ok, store metadata.
  for (i = 1; i < (unsigned)nargs; i++) {
    std::snprintf(param, sizeof(param), "arg%u", i);
    name = req.get_ascii("%s", param);

    msize = sim::g_get_mediasize(name);
    ssize = sim::g_get_sectorsize(name);

    if (verbose) io.print("%s ", name);

    // this provider's position/type in geom
    md.no = (uint16_t)(i - 1);
    // this provider's size
    md.provsize = (uint64_t)msize;
    // chunk allocation info
    md.chunk_count = (uint32_t)(md.provsize / md.md_chunk_size);
    if (verbose) io.print("(%u chunks) ", md.chunk_count);
    // Check to make sure last sector is unused (a 32-bit product in FreeBSD).
    uint32_t chunk_bytes = md.chunk_count * md.md_chunk_size;
    if ((int64_t)chunk_bytes > (int64_t)(msize - (int64_t)ssize)) md.chunk_count--;
    md.chunk_next = 0;
    if (i != 1) {
      md.chunk_reserved = 0;
      md.flags = 0;
    } else {
      md.chunk_reserved = (uint16_t)(map_chunks * 2);
      md.flags = VIRSTOR_PROVIDER_ALLOCATED | VIRSTOR_PROVIDER_CURRENT;
      md.chunk_next = md.chunk_reserved;
      if (verbose) io.print("(%u reserved) ", md.chunk_reserved);
    }

    if (!hardcode) {
      std::memset(md.provider, 0, sizeof(md.provider));
    } else {
      // convert "/dev/something" to "something"
      if (std::strncmp(name, _PATH_DEV, sizeof(_PATH_DEV) - 1) == 0)
        copy_name(md.provider, name + sizeof(_PATH_DEV) - 1);
      else
        copy_name(md.provider, name);
    }
    std::vector<unsigned char> sect(std::max<size_t>(ssize, G_VIRSTOR_MD_ENCODED_SIZE));
    virstor_metadata_encode_sector(&md, sect.data(), sect.size());
    error = my_g_metadata_store(name, sect.data(), ssize);
    if (error != 0) {
      if (verbose) io.print("\n");
      io.eprint("Can't store metadata on %s: %s.\n", name, kern::bsd_strerror(error));
      req.set_error("Not fully done (error storing metadata).");
      return;
    }
  }
}

}  // namespace gvirstor
