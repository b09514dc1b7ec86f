// Configuration export: kern.geom.confxml, confdot and conftxt in FreeBSD's
// formats, with the classes' dumpconf output (geom_dump.c; reference §9).
// libgeom and geom(8) parse the XML, so its shape is an interface.
#define BOOST_TEST_MODULE framework_conf
#include <boost/test/unit_test.hpp>

#include "kern/format.h"
#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

std::string ptr(const void *p) { return kern::format("%p", p); }

std::string sysctl(const char *name) {
  std::string v;
  int error = kern::sys_sysctl_get(name, v);
  BOOST_TEST(error == 0);
  return v;
}

// Geom g (PROBEA): consumer on d0 (open r1), provider gp; ids of all.
struct ids {
  std::string mp, gp, cp, pp, d0;
};

ids build(fixture &k) {
  ids i;
  k.run([] { new_disk("d0"); });
  k.run([&] {
    g_topology_lock();
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    struct g_consumer *cp = attach(gp, "d0");
    g_access(cp, 1, 0, 0);
    struct g_provider *pp = new_provider(gp, "gp");
    i = {ptr(&probe_a_class), ptr(gp), ptr(cp), ptr(pp), ptr(provider("d0"))};
    g_topology_unlock();
  });
  return i;
}

void keyed_dumpconf(struct sbuf *sb, const char *indent, struct g_geom *gp,
                    struct g_consumer *cp, struct g_provider *pp) {
  if (indent == NULL)
    sbuf_printf(sb, " x %d", 1);
  else if (cp != NULL)
    sbuf_printf(sb, "%s<Index>3</Index>\n", indent);
  else if (pp != NULL)
    sbuf_printf(sb, "%s<Pp>1</Pp>\n", indent);
  else
    sbuf_printf(sb, "%s<State>UP</State>\n", indent);
}

}  // namespace

BOOST_AUTO_TEST_CASE(confxml_describes_every_class_geom_consumer_and_provider_in_freebsds_markup) {
  fixture k;
  probe_a.dumpconf = keyed_dumpconf;
  ids i = build(k);
  std::string xml;
  k.run([&] { xml = sysctl("kern.geom.confxml"); });
  const std::string geom =
      "  <class id=\"" + i.mp + "\">\n"
      "    <name>PROBEA</name>\n"
      "    <geom id=\"" + i.gp + "\">\n"
      "      <class ref=\"" + i.mp + "\"/>\n"
      "      <name>g</name>\n"
      "      <rank>2</rank>\n"
      "      <config>\n"
      "\t<State>UP</State>\n"
      "      </config>\n"
      "\t<consumer id=\"" + i.cp + "\">\n"
      "\t  <geom ref=\"" + i.gp + "\"/>\n"
      "\t  <provider ref=\"" + i.d0 + "\"/>\n"
      "\t  <mode>r1w0e0</mode>\n"
      "\t  <config>\n"
      "\t    <Index>3</Index>\n"
      "\t  </config>\n"
      "\t</consumer>\n"
      "\t<provider id=\"" + i.pp + "\">\n"
      "\t  <geom ref=\"" + i.gp + "\"/>\n"
      "\t  <mode>r0w0e0</mode>\n"
      "\t  <name>gp</name>\n"
      "\t  <mediasize>1048576</mediasize>\n"
      "\t  <sectorsize>512</sectorsize>\n"
      "\t  <stripesize>0</stripesize>\n"
      "\t  <stripeoffset>0</stripeoffset>\n"
      "\t  <config>\n"
      "\t    <Pp>1</Pp>\n"
      "\t  </config>\n"
      "\t</provider>\n"
      "    </geom>\n"
      "  </class>\n";
  BOOST_TEST(xml.find(geom) != std::string::npos, xml);
  BOOST_TEST(xml.rfind("<mesh>\n", 0) == 0u);
  BOOST_TEST(xml.size() >= 8u);
  BOOST_TEST(xml.substr(xml.size() - 8) == "</mesh>\n");
  // Every class appears, even without geoms.
  BOOST_TEST(xml.find("    <name>PROBEB</name>\n  </class>\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dumpconf_is_called_with_freebsds_indents) {
  fixture k;
  static std::vector<std::string> calls;
  calls.clear();
  probe_a.dumpconf = [](struct sbuf *, const char *indent, struct g_geom *,
                        struct g_consumer *cp, struct g_provider *pp) {
    std::string what = cp ? "consumer" : pp ? "provider" : "geom";
    calls.push_back(what + " [" + (indent ? indent : "NULL") + "]");
  };
  build(k);
  k.run([] { sysctl("kern.geom.confxml"); });
  BOOST_TEST(calls == (std::vector<std::string>{"geom [\t]", "consumer [\t    ]",
                                                "provider [\t    ]"}));
}

BOOST_AUTO_TEST_CASE(a_withering_geom_shows_wither_instead_of_its_config) {
  fixture k;
  probe_a.dumpconf = keyed_dumpconf;
  probe_b.orphan = [](struct g_consumer *) {};  // keep a user on gp
  build(k);
  std::string xml;
  k.run([&] {
    g_topology_lock();
    attach(new_geom(&probe_b_class, "h"), "gp");
    g_wither_geom(LIST_FIRST(&probe_a_class.geom), ENXIO);
    g_topology_unlock();
    g_waitidle();
    xml = sysctl("kern.geom.confxml");
  });
  BOOST_TEST(xml.find("      <rank>2</rank>\n      <wither/>\n") != std::string::npos, xml);
  BOOST_TEST(xml.find("<State>") == std::string::npos);
  BOOST_TEST(xml.find("<Index>") == std::string::npos);
  BOOST_TEST(xml.find("<Pp>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_withering_provider_shows_wither) {
  fixture k;
  probe_b.orphan = [](struct g_consumer *) {};
  build(k);
  std::string xml;
  k.run([&] {
    g_topology_lock();
    attach(new_geom(&probe_b_class, "h"), "gp");
    g_wither_provider(provider("gp"), ENXIO);
    g_topology_unlock();
    g_waitidle();
    xml = sysctl("kern.geom.confxml");
  });
  BOOST_TEST(xml.find("\t  <name>gp</name>\n") != std::string::npos);
  BOOST_TEST(xml.find("<stripeoffset>0</stripeoffset>\n\t  <wither/>\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(names_are_escaped_in_the_xml) {
  fixture k;
  std::string xml;
  k.run([&] {
    g_topology_lock();
    new_geom(&probe_a_class, "a<b&\"c'd>\x80\x01");
    g_topology_unlock();
    xml = sysctl("kern.geom.confxml");
  });
  BOOST_TEST(xml.find("<name>a&#x3C;b&#x26;&#x22;c&#x27;d&#x3E;&#x80;?</name>") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(confdot_draws_geoms_consumers_and_providers) {
  fixture k;
  ids i = build(k);
  std::string dot;
  k.run([&] { dot = sysctl("kern.geom.confdot"); });
  BOOST_TEST(dot.rfind("digraph geom {\n", 0) == 0u);
  BOOST_TEST(dot.substr(dot.size() - 3) == "};\n");
  for (const std::string &line : {
           "z" + i.gp + " [shape=box,label=\"PROBEA\\ng\\nr#2\"];\n",
           "z" + i.cp + " [label=\"r1w0e0\"];\n",
           "z" + i.cp + " -> z" + i.d0 + ";\n",
           "z" + i.gp + " -> z" + i.cp + ";\n",
           "z" + i.pp + " [shape=hexagon,label=\"gp\\nr0w0e0\\nerr#0\"];\n",
           "z" + i.pp + " -> z" + i.gp + ";\n",
       })
    BOOST_TEST(dot.find(line) != std::string::npos, line);
}

// conftxt starts from disks (DISK and MD geoms); each line is what
// gpart/bsdinstall read: level, class, provider, mediasize, sectorsize and
// the class's " key value" pairs (dumpconf with a NULL indent).
static void md_dumpconf(struct sbuf *sb, const char *indent, struct g_geom *,
                        struct g_consumer *, struct g_provider *pp) {
  if (indent == NULL && pp != NULL) sbuf_printf(sb, " u 0 s 512");
}
static void md_start(struct bio *bp) { g_io_deliver(bp, EOPNOTSUPP); }
static struct g_class md_class = {
    .name = "MD",
    .version = G_VERSION,
    .start = md_start,
    .dumpconf = md_dumpconf,
    .access = g_std_access,
};
DECLARE_GEOM_CLASS(md_class, g_conftest_md);

BOOST_AUTO_TEST_CASE(conftxt_lists_the_tree_below_each_disk) {
  fixture k;
  probe_a.dumpconf = keyed_dumpconf;
  std::string txt;
  k.run([&] {
    kern::sys_kldload("g_conftest_md");
    g_topology_lock();
    new_provider(new_geom(&md_class, "md0"), "md0");
    struct g_geom *gp = new_geom(&probe_a_class, "g");
    attach(gp, "md0");
    new_provider(gp, "md0.g", 1 << 19);
    struct g_geom *dead = new_geom(&probe_b_class, "dead");
    attach(dead, "md0");
    new_provider(dead, "md0.dead");
    g_wither_geom(dead, ENXIO);
    g_topology_unlock();
    g_waitidle();
    txt = sysctl("kern.geom.conftxt");
  });
  BOOST_TEST(txt == "0 MD md0 1048576 512 u 0 s 512\n1 PROBEA md0.g 524288 512 x 1\n");
}
