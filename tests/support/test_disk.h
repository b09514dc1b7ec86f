// tests/support/test_disk.h — a minimal memory disk for tests.
//
// Class TDISK: one geom and one provider per disk, served from memory,
// synchronously in its start method (on g_down). It exists so that
// framework and class tests do not depend on the simulator's md(4).
// Call the functions from a simulated thread (kern::kernel::run).
#pragma once

#include <cstdint>
#include <string>

namespace testsupport {

// Creates provider `name` of `size` bytes (the topology lock is taken
// inside). Returns false if the name is taken.
bool tdisk_create(const std::string &name, int64_t size, unsigned sectorsize = 512);
// Orphans the provider and withers the geom (like mdconfig -d -o force).
bool tdisk_destroy(const std::string &name);
// Direct access to the media, bypassing GEOM (for checking what landed).
bool tdisk_peek(const std::string &name, int64_t off, void *buf, size_t len);
bool tdisk_poke(const std::string &name, int64_t off, const void *buf, size_t len);
// Requests served so far by the named disk.
uint64_t tdisk_requests(const std::string &name);

}  // namespace testsupport
