// libgeom: the GEOM tree from kern.geom.confxml. See sim/userland/libgeom.h.
#include "sim/userland/libgeom.h"

#include <strings.h>

#include <cstdlib>
#include <map>

#include "kern/bsd_errno.h"
#include "kern/syscalls.h"

namespace sim {

namespace {

// A tiny XML reader, enough for what geom_dump writes.
struct xnode {
  std::string tag;
  std::map<std::string, std::string> attrs;
  std::string text;
  std::vector<std::unique_ptr<xnode>> kids;
  const xnode *child(const char *t) const {
    for (auto &k : kids)
      if (k->tag == t) return k.get();
    return nullptr;
  }
  std::string child_text(const char *t) const {
    const xnode *k = child(t);
    return k ? k->text : std::string();
  }
};

class xml_reader {
 public:
  explicit xml_reader(const std::string &s) : s_(s) {}

  std::unique_ptr<xnode> parse() {
    skip_prolog();
    auto root = element();
    return ok_ ? std::move(root) : nullptr;
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) i_++;
  }
  void skip_prolog() {
    ws();
    if (s_.compare(i_, 5, "<?xml") == 0) {
      size_t e = s_.find("?>", i_);
      i_ = e == std::string::npos ? s_.size() : e + 2;
    }
    ws();
  }
  std::string name() {
    size_t b = i_;
    while (i_ < s_.size() && (isalnum((unsigned char)s_[i_]) || s_[i_] == '_' || s_[i_] == '-' || s_[i_] == ':' || s_[i_] == '.')) i_++;
    if (b == i_) ok_ = false;
    return s_.substr(b, i_ - b);
  }
  std::string decode(const std::string &t) {
    std::string out;
    for (size_t k = 0; k < t.size(); k++) {
      if (t[k] != '&') {
        out.push_back(t[k]);
        continue;
      }
      size_t e = t.find(';', k);
      if (e == std::string::npos) {
        ok_ = false;
        return out;
      }
      std::string ent = t.substr(k + 1, e - k - 1);
      if (ent == "amp") out.push_back('&');
      else if (ent == "lt") out.push_back('<');
      else if (ent == "gt") out.push_back('>');
      else if (ent == "quot") out.push_back('"');
      else if (ent == "apos") out.push_back('\'');
      else if (ent.size() > 2 && ent[0] == '#' && (ent[1] == 'x' || ent[1] == 'X'))
        out.push_back((char)std::strtol(ent.c_str() + 2, nullptr, 16));
      else if (ent.size() > 1 && ent[0] == '#')
        out.push_back((char)std::strtol(ent.c_str() + 1, nullptr, 10));
      else
        ok_ = false;
      k = e;
    }
    return out;
  }
  std::unique_ptr<xnode> element() {
    auto n = std::make_unique<xnode>();
    if (i_ >= s_.size() || s_[i_] != '<') {
      ok_ = false;
      return n;
    }
    i_++;
    n->tag = name();
    for (;;) {
      ws();
      if (!ok_ || i_ >= s_.size()) {
        ok_ = false;
        return n;
      }
      if (s_[i_] == '/') {
        if (s_.compare(i_, 2, "/>") != 0) ok_ = false;
        i_ += 2;
        return n;
      }
      if (s_[i_] == '>') {
        i_++;
        break;
      }
      std::string a = name();
      ws();
      if (i_ >= s_.size() || s_[i_] != '=') {
        ok_ = false;
        return n;
      }
      i_++;
      ws();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) {
        ok_ = false;
        return n;
      }
      char q = s_[i_++];
      size_t e = s_.find(q, i_);
      if (e == std::string::npos) {
        ok_ = false;
        return n;
      }
      n->attrs[a] = decode(s_.substr(i_, e - i_));
      i_ = e + 1;
    }
    std::string text;
    for (;;) {
      if (!ok_ || i_ >= s_.size()) {
        ok_ = false;
        return n;
      }
      if (s_[i_] == '<') {
        if (s_.compare(i_, 2, "</") == 0) {
          i_ += 2;
          std::string end = name();
          if (end != n->tag) ok_ = false;
          ws();
          if (i_ < s_.size() && s_[i_] == '>') i_++;
          else ok_ = false;
          break;
        }
        n->kids.push_back(element());
      } else {
        text.push_back(s_[i_++]);
      }
    }
    n->text = decode(text);
    return n;
  }

  const std::string &s_;
  size_t i_ = 0;
  bool ok_ = true;
};

std::vector<gconfig> read_config(const xnode *cfg) {
  std::vector<gconfig> out;
  if (cfg == nullptr) return out;
  // libgeom inserts at the head: the last pair printed comes first.
  for (auto it = cfg->kids.rbegin(); it != cfg->kids.rend(); ++it)
    out.push_back({(*it)->tag, (*it)->text});
  return out;
}

}  // namespace

gclass *gmesh::find_class(const std::string &name) const {
  for (auto &c : classes)
    if (strcasecmp(c->name.c_str(), name.c_str()) == 0) return c.get();
  return nullptr;
}

int geom_xml2tree(gmesh &mesh, const std::string &xml) {
  xml_reader rd(xml);
  auto root = rd.parse();
  if (!root || root->tag != "mesh") return kern::B_EINVAL;
  mesh.classes.clear();
  std::map<std::string, gprovider *> providers;
  std::vector<std::pair<gconsumer *, std::string>> links;
  // Lists are built by inserting at the head: walk the XML backwards.
  for (auto ci = root->kids.rbegin(); ci != root->kids.rend(); ++ci) {
    const xnode *c = ci->get();
    if (c->tag != "class") continue;
    auto cls = std::make_unique<gclass>();
    cls->id = c->attrs.count("id") ? c->attrs.at("id") : "";
    cls->name = c->child_text("name");
    for (auto gi = c->kids.rbegin(); gi != c->kids.rend(); ++gi) {
      const xnode *g = gi->get();
      if (g->tag != "geom") continue;
      auto geom = std::make_unique<ggeom>();
      geom->id = g->attrs.count("id") ? g->attrs.at("id") : "";
      geom->klass = cls.get();
      geom->name = g->child_text("name");
      geom->rank = std::atoi(g->child_text("rank").c_str());
      geom->wither = g->child("wither") != nullptr;
      geom->config = read_config(g->child("config"));
      if (geom->wither) geom->config.insert(geom->config.begin(), gconfig{"wither", ""});
      for (auto ki = g->kids.rbegin(); ki != g->kids.rend(); ++ki) {
        const xnode *k = ki->get();
        if (k->tag == "consumer") {
          auto cp = std::make_unique<gconsumer>();
          cp->id = k->attrs.count("id") ? k->attrs.at("id") : "";
          cp->geom = geom.get();
          cp->mode = k->child_text("mode");
          cp->config = read_config(k->child("config"));
          if (const xnode *pr = k->child("provider"))
            links.push_back({cp.get(), pr->attrs.count("ref") ? pr->attrs.at("ref") : ""});
          geom->consumers.push_back(std::move(cp));
        } else if (k->tag == "provider") {
          auto pp = std::make_unique<gprovider>();
          pp->id = k->attrs.count("id") ? k->attrs.at("id") : "";
          pp->geom = geom.get();
          pp->name = k->child_text("name");
          pp->mode = k->child_text("mode");
          pp->mediasize = std::strtoll(k->child_text("mediasize").c_str(), nullptr, 10);
          pp->sectorsize = (unsigned)std::strtoul(k->child_text("sectorsize").c_str(), nullptr, 10);
          pp->stripesize = std::strtoull(k->child_text("stripesize").c_str(), nullptr, 10);
          pp->stripeoffset = std::strtoull(k->child_text("stripeoffset").c_str(), nullptr, 10);
          pp->wither = k->child("wither") != nullptr;
          pp->config = read_config(k->child("config"));
          providers[pp->id] = pp.get();
          geom->providers.push_back(std::move(pp));
        }
      }
      cls->geoms.push_back(std::move(geom));
    }
    mesh.classes.push_back(std::move(cls));
  }
  for (auto &[cp, ref] : links) {
    auto it = providers.find(ref);
    cp->provider = it == providers.end() ? nullptr : it->second;
  }
  return 0;
}

int geom_gettree(gmesh &mesh) {
  std::string xml;
  int error = kern::sys_sysctl_get("kern.geom.confxml", xml);
  if (error != 0) return error;
  return geom_xml2tree(mesh, xml);
}

ggeom *find_geom(const gclass *cls, const std::string &name) {
  std::string n = name;
  if (n.compare(0, 5, "/dev/") == 0) n = n.substr(5);
  for (auto &g : cls->geoms)
    if (g->name == n) return g.get();
  return nullptr;
}

const char *find_config(const std::vector<gconfig> &cfg, const char *name) {
  for (const gconfig &c : cfg)
    if (strcasecmp(c.name.c_str(), name) == 0) return c.val.c_str();
  return nullptr;
}

}  // namespace sim
