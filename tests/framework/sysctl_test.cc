// sysctl(3) names and loader tunables: read and written by name, reset at
// every boot (sys/sysctl.h, sys/kernel.h; kern/sysctl_tree.h).
#define BOOST_TEST_MODULE framework_sysctl
#include <boost/test/unit_test.hpp>

#include <sys/kernel.h>
#include <sys/sysctl.h>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

static int fw_rw = 7;
static int fw_ro = 3;
static int fw_tun = 5;
static int fw_tunable_only = 9;
static char fw_str[8] = "hello";

SYSCTL_DECL(_kern_geom);
SYSCTL_NODE(_kern_geom, OID_AUTO, fwtest, CTLFLAG_RW, 0, "framework test");
SYSCTL_INT(_kern_geom_fwtest, OID_AUTO, rw, CTLFLAG_RW, &fw_rw, 0, "read-write");
SYSCTL_INT(_kern_geom_fwtest, OID_AUTO, ro, CTLFLAG_RD, &fw_ro, 0, "read-only");
TUNABLE_INT("kern.geom.fwtest.tun", &fw_tun);
SYSCTL_INT(_kern_geom_fwtest, OID_AUTO, tun, CTLFLAG_RW, &fw_tun, 0, "tunable");
TUNABLE_INT("debug.fwtest_tunable_only", &fw_tunable_only);
SYSCTL_STRING(_kern_geom_fwtest, OID_AUTO, str, CTLFLAG_RW, fw_str, sizeof fw_str, "string");
FEATURE(fwtest_feature, "a feature");

namespace {

struct reply {
  int error = -1;
  std::string value;
};

reply get(fixture &k, const std::string &name) {
  reply r;
  k.run([&] { r.error = kern::sys_sysctl_get(name, r.value); });
  return r;
}

int set(fixture &k, const std::string &name, const std::string &value) {
  int error = -1;
  k.run([&] { error = kern::sys_sysctl_set(name, value); });
  return error;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sysctl_reads_and_writes_an_integer_by_name) {
  fixture k;
  BOOST_TEST(get(k, "kern.geom.fwtest.rw").value == "7");
  BOOST_TEST(set(k, "kern.geom.fwtest.rw", "0x10") == 0);
  BOOST_TEST(get(k, "kern.geom.fwtest.rw").value == "16");
  BOOST_TEST(fw_rw == 16);  // kernel code sees the variable itself
  BOOST_TEST(set(k, "kern.geom.debugflags", "16") == 0);
  BOOST_TEST(g_debugflags == 16);
}

BOOST_AUTO_TEST_CASE(writing_a_read_only_sysctl_fails_with_eperm) {
  fixture k;
  BOOST_TEST(set(k, "kern.geom.fwtest.ro", "4") == EPERM);
  BOOST_TEST(get(k, "kern.geom.fwtest.ro").value == "3");
}

BOOST_AUTO_TEST_CASE(an_unknown_name_gives_enoent_and_a_node_gives_eisdir) {
  fixture k;
  BOOST_TEST(get(k, "kern.geom.fwtest.nope").error == ENOENT);
  BOOST_TEST(get(k, "kern.geom.fwtest").error == EISDIR);
  BOOST_TEST(set(k, "kern.geom.nope", "1") == ENOENT);
}

BOOST_AUTO_TEST_CASE(a_value_that_does_not_parse_gives_einval) {
  fixture k;
  BOOST_TEST(set(k, "kern.geom.fwtest.rw", "12abc") == EINVAL);
  BOOST_TEST(set(k, "kern.geom.fwtest.rw", "") == EINVAL);
  BOOST_TEST(get(k, "kern.geom.fwtest.rw").value == "7");
}

BOOST_AUTO_TEST_CASE(a_string_sysctl_is_read_and_written_and_a_too_long_value_gives_einval) {
  fixture k;
  BOOST_TEST(get(k, "kern.geom.fwtest.str").value == "hello");
  BOOST_TEST(set(k, "kern.geom.fwtest.str", "bye") == 0);
  BOOST_TEST(get(k, "kern.geom.fwtest.str").value == "bye");
  BOOST_TEST(set(k, "kern.geom.fwtest.str", "far too long") == EINVAL);
}

BOOST_AUTO_TEST_CASE(tunables_from_the_boot_environment_apply_at_boot) {
  fixture k(1, kern::sched_mode::det,
            {{"kern.geom.fwtest.tun", "42"}, {"debug.fwtest_tunable_only", "11"}});
  BOOST_TEST(get(k, "kern.geom.fwtest.tun").value == "42");
  BOOST_TEST(fw_tunable_only == 11);
  int v = 0, found = 0;
  k.run([&] { found = getenv_int("kern.geom.fwtest.tun", &v); });
  BOOST_TEST(found == 1);
  BOOST_TEST(v == 42);
}

// Nothing carries over from one boot to the next: a power-loss test boots
// again and must find the kernel as configured, not as last tuned.
BOOST_AUTO_TEST_CASE(sysctl_values_go_back_to_their_compiled_value_at_every_boot) {
  {
    fixture k;
    set(k, "kern.geom.fwtest.rw", "99");
    set(k, "kern.geom.fwtest.str", "bye");
    set(k, "kern.geom.debugflags", "4");
  }
  fixture k;
  BOOST_TEST(get(k, "kern.geom.fwtest.rw").value == "7");
  BOOST_TEST(get(k, "kern.geom.fwtest.str").value == "hello");
  BOOST_TEST(get(k, "kern.geom.debugflags").value == "0");
}

BOOST_AUTO_TEST_CASE(a_tunable_missing_from_the_next_boot_environment_goes_back_to_its_compiled_value) {
  {
    fixture k(1, kern::sched_mode::det, {{"debug.fwtest_tunable_only", "11"}});
    BOOST_TEST(fw_tunable_only == 11);
  }
  fixture k;
  BOOST_TEST(fw_tunable_only == 9);
}

BOOST_AUTO_TEST_CASE(feature_shows_up_as_kern_features_name_equal_1) {
  fixture k;
  reply r = get(k, "kern.features.fwtest_feature");
  BOOST_TEST(r.error == 0);
  BOOST_TEST(r.value == "1");
}

// FreeBSD numbers OID_AUTO entries as they register and sysctl(8) lists
// them in that order.
BOOST_AUTO_TEST_CASE(sysctl_list_shows_the_leaves_under_a_name_in_registration_order) {
  fixture k;
  std::vector<std::string> names;
  k.run([&] { names = kern::sys_sysctl_list("kern.geom.fwtest"); });
  BOOST_TEST(names == (std::vector<std::string>{"kern.geom.fwtest.rw", "kern.geom.fwtest.ro",
                                                "kern.geom.fwtest.tun", "kern.geom.fwtest.str"}));
}
