// Control requests: the GEOM_CTL path from geom(8) to a class's ctlreq,
// and the gctl_* helpers (geom_ctl.c; reference §8).
#define BOOST_TEST_MODULE framework_gctl
#include <boost/test/unit_test.hpp>

#include "kern/syscalls.h"
#include "tests/framework/fwtest.h"

using namespace fwtest;

namespace {

kern::gctl_arg ascii(const std::string &name, const std::string &value) {
  kern::gctl_arg a;
  a.name = name;
  a.flag = GCTL_PARAM_RD | GCTL_PARAM_ASCII;
  a.value.assign(value.begin(), value.end());
  a.value.push_back('\0');
  return a;
}

kern::gctl_arg integer(const std::string &name, int v) {
  kern::gctl_arg a;
  a.name = name;
  a.flag = GCTL_PARAM_RD;
  a.value.resize(sizeof v);
  memcpy(a.value.data(), &v, sizeof v);
  return a;
}

kern::gctl_arg buffer(const std::string &name, int flag, const std::string &bytes) {
  kern::gctl_arg a;
  a.name = name;
  a.flag = flag;
  a.value.assign(bytes.begin(), bytes.end());
  return a;
}

// What geom(8) sends for `gprobea <verb> <arg0>`.
std::vector<kern::gctl_arg> request(const char *cls, const char *verb) {
  return {ascii("class", cls), ascii("verb", verb), integer("version", 7), integer("nargs", 1),
          ascii("arg0", "d0")};
}

struct result {
  int error = -1;
  std::string message;
};

result ctl(fixture &k, std::vector<kern::gctl_arg> &args) {
  result r;
  k.run([&] { r.error = kern::sys_geom_ctl(args, r.message); });
  return r;
}

result ctl(fixture &k, std::vector<kern::gctl_arg> &&args) { return ctl(k, args); }

}  // namespace

BOOST_AUTO_TEST_CASE(a_request_reaches_the_named_class_ctlreq_on_the_event_thread_with_the_lock_held) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *req, struct g_class *mp, const char *verb) {
    int *version = gctl_get_paraml(req, "version", sizeof(int));
    int *nargs = gctl_get_paraml(req, "nargs", sizeof(int));
    const char *arg0 = gctl_get_asciiparam(req, "arg0");
    note(std::string(mp->name) + " " + verb + " " + std::to_string(*version) + " " +
         std::to_string(*nargs) + " " + arg0 + " " + thread_name() +
         (g_topology_locked() ? " locked" : ""));
  };
  result r = ctl(k, request("PROBEA", "frob"));
  BOOST_TEST(r.error == 0);
  BOOST_TEST(r.message == "");
  BOOST_TEST(notes() == (std::vector<std::string>{"PROBEA frob 7 1 d0 g_event locked"}));
}

BOOST_AUTO_TEST_CASE(an_unknown_class_gives_class_not_found) {
  fixture k;
  result r = ctl(k, request("NOSUCH", "frob"));
  BOOST_TEST(r.error == EINVAL);
  BOOST_TEST(r.message == "Class not found");
}

BOOST_AUTO_TEST_CASE(a_class_without_ctlreq_gives_class_takes_no_requests) {
  fixture k;
  result r = ctl(k, request("TDISK", "frob"));
  BOOST_TEST(r.error == EINVAL);
  BOOST_TEST(r.message == "Class takes no requests");
}

BOOST_AUTO_TEST_CASE(a_request_without_a_verb_gives_verb_missing) {
  fixture k;
  result r = ctl(k, {ascii("class", "PROBEA"), integer("nargs", 0)});
  BOOST_TEST(r.error == EINVAL);
  BOOST_TEST(r.message == "Verb missing");
}

BOOST_AUTO_TEST_CASE(only_the_first_gctl_error_is_kept_and_the_request_fails_with_einval) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *req, struct g_class *, const char *) {
    gctl_error(req, "first %d", 1);
    gctl_error(req, "second");
  };
  result r = ctl(k, request("PROBEA", "frob"));
  BOOST_TEST(r.error == EINVAL);
  BOOST_TEST(r.message == "first 1");
}

BOOST_AUTO_TEST_CASE(gctl_get_paraml_reports_a_missing_argument) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *req, struct g_class *, const char *) {
    if (gctl_get_paraml(req, "force", sizeof(int)) == nullptr) note("null");
  };
  result r = ctl(k, request("PROBEA", "frob"));
  BOOST_TEST(r.message == "Missing force argument");
  BOOST_TEST(notes() == (std::vector<std::string>{"null"}));
}

BOOST_AUTO_TEST_CASE(gctl_get_paraml_reports_an_argument_of_the_wrong_length) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *req, struct g_class *, const char *) {
    if (gctl_get_paraml(req, "version", sizeof(intmax_t)) == nullptr) note("null");
  };
  result r = ctl(k, request("PROBEA", "frob"));
  BOOST_TEST(r.message == "Wrong length version argument");
  BOOST_TEST(notes() == (std::vector<std::string>{"null"}));
}

BOOST_AUTO_TEST_CASE(gctl_get_asciiparam_reports_an_unterminated_argument) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *req, struct g_class *, const char *) {
    if (gctl_get_asciiparam(req, "name") == nullptr) note("null");
    if (gctl_get_asciiparam(req, "absent") == nullptr) note("absent is null");
  };
  auto args = request("PROBEA", "frob");
  args.push_back(buffer("name", GCTL_PARAM_RD, "abc"));
  result r = ctl(k, args);
  BOOST_TEST(r.message == "Unterminated argument (name)");
  BOOST_TEST(notes() == (std::vector<std::string>{"null", "absent is null"}));
}

// geom(8)'s `output` buffer: the only parameter a class writes.
BOOST_AUTO_TEST_CASE(gctl_set_param_copies_a_writable_parameter_back_and_refuses_a_read_only_one) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *req, struct g_class *, const char *) {
    note(std::to_string(gctl_set_param(req, "output", "hello", 6)));
    note(std::to_string(gctl_set_param(req, "arg0", "x", 2)));
    note(std::to_string(gctl_set_param(req, "nope", "x", 2)));
  };
  auto args = request("PROBEA", "frob");
  args.push_back(buffer("output", GCTL_PARAM_RW, std::string(16, '\0')));
  result r = ctl(k, args);
  BOOST_TEST(r.error == 0);
  BOOST_TEST(std::string(args.back().value.data()) == "hello");
  BOOST_TEST(std::string(args[4].value.data()) == "d0");
  BOOST_TEST(notes() == (std::vector<std::string>{"0", std::to_string(EPERM),
                                                  std::to_string(EINVAL)}));
}

BOOST_AUTO_TEST_CASE(malformed_parameters_are_refused_before_the_class_is_called) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *, struct g_class *, const char *) { note("called"); };
  auto args = request("PROBEA", "frob");
  args.push_back(buffer("empty", GCTL_PARAM_RD, ""));
  result r = ctl(k, args);
  BOOST_TEST(r.error == EINVAL);
  BOOST_TEST(r.message.find("wrong param value length") == 0u);
  BOOST_TEST(notes().empty());
}

// virstor's ctlreq drops the lock around its metadata I/O and takes it
// back; other threads may take the topology lock meanwhile.
BOOST_AUTO_TEST_CASE(a_ctlreq_may_drop_the_topology_lock_and_other_threads_then_take_it) {
  fixture k;
  static int go, other_done;
  go = other_done = 0;
  kern::thread *other = k.k().spawn("other", [] {
    while (!go) tsleep(&go, PRIBIO, "wait", 0);
    g_topology_lock();
    note("other thread had the lock");
    g_topology_unlock();
    other_done = 1;
    wakeup(&other_done);
  });
  k.k().settle();
  probe_a.ctlreq = [](struct gctl_req *, struct g_class *, const char *) {
    g_topology_unlock();
    go = 1;
    wakeup(&go);
    while (!other_done) tsleep(&other_done, PRIBIO, "wait", 0);
    g_topology_lock();
    note("ctlreq has it back");
  };
  result r = ctl(k, request("PROBEA", "frob"));
  BOOST_TEST(r.error == 0);
  BOOST_TEST(notes() == (std::vector<std::string>{"other thread had the lock",
                                                  "ctlreq has it back"}));
  BOOST_TEST(!k.panicked());
  k.k().reap(other);
}

BOOST_AUTO_TEST_CASE(a_ctlreq_returning_without_the_topology_lock_panics) {
  fixture k;
  probe_a.ctlreq = [](struct gctl_req *, struct g_class *, const char *) {
    g_topology_unlock();
  };
  ctl(k, request("PROBEA", "frob"));
  CHECK_PANIC(k, "Lock GEOM topology not exclusively locked");
}
