// The rules about the components of one device taken together.
#include "virstor/check/passes.h"

namespace virstor_check {

namespace {

// "ada0 says 2, ada1 says 3": who holds which value of one field.
template <class Field>
std::string who_says_what(const device &d, Field field) {
  std::string s;
  for (const component *c : d.members)
    s += text("%s%s says %ju", s.empty() ? "" : ", ", c->name.c_str(), (uintmax_t)field(*c));
  return s;
}

template <class Field>
bool members_agree(const device &d, Field field) {
  for (const component *c : d.members)
    if (field(*c) != field(*d.reference)) return false;
  return true;
}

// A crash in the middle of update_metadata() after add or remove leaves this.
void check_count(const device &d, sink &out) {
  auto count = [](const component &c) { return c.md.md_count; };
  if (members_agree(d, count)) return;
  out.add("count-mismatch", d.name, "",
          "components disagree on md_count (" + who_says_what(d, count) +
              "): the first one tasted decides");
}

template <class Field>
void check_same(const device &d, const char *what, Field field, sink &out) {
  if (members_agree(d, field)) return;
  out.add("geometry-mismatch", d.name, "",
          text("components disagree on the %s: ", what) + who_says_what(d, field));
}

void check_geometry(const device &d, sink &out) {
  check_same(d, "virtual size", [](const component &c) { return c.md.md_virsize; }, out);
  check_same(d, "chunk size", [](const component &c) { return c.md.md_chunk_size; }, out);
  check_same(d, "sector size", [](const component &c) { return c.sectorsize; }, out);
}

// Taste refuses a second component of a number with EEXIST.
void check_duplicates(const device &d, sink &out) {
  for (const component *c : d.members) {
    const component *first = d.number(c->md.no);
    if (first == c) continue;
    out.add("duplicate-number", d.name, c->name,
            text("component number %u, as %s: taste refuses whichever is tasted second",
                 c->md.no, first->name.c_str()));
  }
}

// Taste refuses it with EINVAL.
void check_numbers(const device &d, sink &out) {
  for (const component *c : d.members) {
    if (c->md.no < d.count()) continue;
    out.add("number-out-of-range", d.name, c->name,
            text("component number %u, but the device has %u components (md_count of %s)",
                 c->md.no, d.count(), d.reference->name.c_str()));
  }
}

// "1, 3-5": ascending numbers as ranges.
std::string ranges(const std::vector<uint16_t> &numbers) {
  std::string s;
  for (size_t i = 0; i < numbers.size();) {
    size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) j++;
    s += s.empty() ? "" : ", ";
    s += i == j ? text("%u", numbers[i]) : text("%u-%u", numbers[i], numbers[j]);
    i = j + 1;
  }
  return s;
}

void check_complete(const device &d, sink &out) {
  std::vector<uint16_t> missing = d.missing();
  if (missing.empty()) return;
  out.add("incomplete", d.name, "",
          text("%zu of %u components missing (number %s): the device will not come up",
               missing.size(), d.count(), ranges(missing).c_str()));
}

// "ada0, ada1": the members' names.
std::string names(const device &d) {
  std::vector<std::string> list;
  for (const component *c : d.members) list.push_back(c->name);
  return join(list);
}

}  // namespace

void check_ids(const std::vector<device> &devices, sink &out) {
  for (size_t i = 1; i < devices.size(); i++) {
    if (devices[i].name != devices[i - 1].name) continue;
    const device &a = devices[i - 1], &b = devices[i];
    out.add("id-mismatch", b.name, "",
            text("components of this name carry id %u (%s) and id %u (%s): taste adds a "
                 "component only to the device of its id; the first one tasted takes the name",
                 a.id, names(a).c_str(), b.id, names(b).c_str()));
  }
}

void check_members(const device &d, sink &out) {
  check_count(d, out);
  check_geometry(d, out);
  check_duplicates(d, out);
  check_numbers(d, out);
  check_complete(d, out);
}

}  // namespace virstor_check
