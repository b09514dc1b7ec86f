// Grouping the components into devices, as taste does: by name and id.
#include <algorithm>
#include <map>
#include <utility>

#include "virstor/check/model.h"

namespace virstor_check {

namespace {

bool by_number(const component *a, const component *b) {
  if (a->md.no != b->md.no) return a->md.no < b->md.no;
  return a->source < b->source;
}

using device_key = std::pair<std::string, uint32_t>;  // name, id

device make_device(const device_key &key, std::vector<const component *> members) {
  device d;
  d.name = key.first;
  d.id = key.second;
  std::sort(members.begin(), members.end(), by_number);
  d.members = std::move(members);
  d.reference = d.members.front();  // number 0 when there is one: it sorts first
  return d;
}

}  // namespace

const component *device::number(unsigned no) const {
  for (const component *c : members)
    if (c->md.no == no) return c;
  return nullptr;
}

std::vector<uint16_t> device::missing() const {
  std::vector<uint16_t> numbers;
  for (unsigned no = 0; no < count(); no++)
    if (number(no) == nullptr) numbers.push_back((uint16_t)no);
  return numbers;
}

std::vector<device> group_devices(const std::vector<component> &components) {
  std::map<device_key, std::vector<const component *>> groups;
  for (const component &c : components)
    if (!c.refused) groups[{c.device, c.md.md_id}].push_back(&c);
  std::vector<device> devices;
  for (auto &[key, members] : groups) devices.push_back(make_device(key, std::move(members)));
  return devices;
}

}  // namespace virstor_check
