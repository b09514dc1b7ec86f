// The scenario language: lexing, directive parsing, script checks.
#define BOOST_TEST_MODULE scenario_language
#include <boost/test/unit_test.hpp>

#include "sim/scenario/directive.h"
#include "sim/scenario/interpreter.h"
#include "sim/scenario/lexer.h"
#include "sim/scenario/script.h"

using namespace sim;

BOOST_AUTO_TEST_CASE(words_split_on_blanks_and_quotes_group_them) {
  lexed_line l;
  std::string err;
  BOOST_TEST(lex_line("gvirstor label -m 1m 'my disk' \"a \\\"b\\\"\" c\\ d", l, err));
  std::vector<std::string> want = {"gvirstor", "label", "-m", "1m", "my disk", "a \"b\"", "c d"};
  BOOST_TEST(l.words == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ampersand_runs_in_the_background_and_redirection_is_recognised) {
  lexed_line l;
  std::string err;
  BOOST_TEST(lex_line("dd if=/dev/zero of=/dev/md0 bs=1m &", l, err));
  BOOST_TEST(l.background);
  BOOST_TEST(lex_line("true > /dev/md0", l, err));
  BOOST_TEST(l.redirect == "/dev/md0");
  BOOST_TEST(!l.append);
  BOOST_TEST(l.words.size() == 1u);
  BOOST_TEST(lex_line("echo x >>/tmp/f", l, err));
  BOOST_TEST(l.append);
  BOOST_TEST(l.redirect == "/tmp/f");
}

BOOST_AUTO_TEST_CASE(comment_words_end_the_line_but_not_inside_quotes) {
  lexed_line l;
  std::string err;
  BOOST_TEST(lex_line("echo a # b c", l, err));
  BOOST_TEST(l.words.size() == 2u);
  BOOST_TEST(lex_line("echo 'a # b'", l, err));
  BOOST_TEST(l.words.back() == "a # b");
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_refused) {
  lexed_line l;
  std::string err;
  BOOST_TEST(!lex_line("echo 'open", l, err));
  BOOST_TEST(!lex_line("echo a | grep a", l, err));
  BOOST_TEST(!lex_line("echo a & b", l, err));
  BOOST_TEST(!lex_line("echo a >", l, err));
}

BOOST_AUTO_TEST_CASE(directives_parse_into_their_parts) {
  directive d;
  std::string err;
  BOOST_TEST(parse_directive({"@disk", "ada0", "1t", "sector=4096", "cache=write-back"}, d, err));
  BOOST_TEST(d.kind == directive::disk);
  BOOST_TEST(d.size == (1ull << 40));
  BOOST_TEST(d.sectorsize == 4096u);
  BOOST_TEST(d.cache == "write-back");
  BOOST_TEST(parse_directive({"@power-cut", "after", "3", "writes", "on", "md1"}, d, err));
  BOOST_TEST(d.trigger == "after");
  BOOST_TEST(d.number == 3u);
  BOOST_TEST(d.name == "md1");
  BOOST_TEST(parse_directive({"@power-cut", "at", "WRITE", "md0", "offset=1m"}, d, err));
  BOOST_TEST(d.offset == (1 << 20));
  BOOST_TEST(parse_directive({"@expect", "stderr", "contains", "Device", "busy"}, d, err));
  BOOST_TEST(d.text == "Device busy");
  BOOST_TEST(parse_directive({"@sleep", "250ms"}, d, err));
  BOOST_TEST(d.duration_ns == 250000000);
  BOOST_TEST(!parse_directive({"@disk", "ada0", "1000"}, d, err));  // not a sector multiple
  BOOST_TEST(!parse_directive({"@fault", "cosmic-ray"}, d, err));
  BOOST_TEST(!parse_directive({"@expect", "sunshine"}, d, err));
}

BOOST_AUTO_TEST_CASE(a_script_is_checked_before_it_runs) {
  script s;
  std::vector<std::string> errors;
  BOOST_TEST(!parse_script("t.sh", "# header line\n\necho ok\nnosuchprog\n@seed x\n", s, errors));
  BOOST_TEST(errors.size() == 2u);
  BOOST_TEST(errors[0] == "t.sh:4: unknown command 'nosuchprog'");
  BOOST_TEST(errors[1] == "t.sh:5: bad seed 'x'");
  errors.clear();
  BOOST_TEST(parse_script("t.sh", "# What it teaches\n# second line\n\n@seed 9\necho ok\n", s, errors));
  BOOST_TEST(s.header.size() == 2u);
  BOOST_TEST(s.pinned_seed);
  BOOST_TEST(s.seed == 9u);
  BOOST_TEST(s.steps.size() == 2u);
}

// @stall and @resume name one of the three GEOM threads; @resume takes no
// trigger (it acts at once); @stall takes one as @pull does.
BOOST_AUTO_TEST_CASE(stall_and_resume_take_a_geom_thread_and_only_stall_takes_a_trigger) {
  directive d;
  std::string err;
  BOOST_TEST(!parse_directive({"@stall", "g_foo"}, d, err));
  BOOST_TEST(err == "unknown GEOM thread 'g_foo' (g_event, g_up, g_down)");
  err.clear();
  BOOST_TEST(!parse_directive({"@resume", "g_up", "now"}, d, err));
  BOOST_TEST(err == "usage: @resume g_event|g_up|g_down");
  err.clear();
  BOOST_TEST(parse_directive({"@stall", "g_up", "at", "WRITE", "md1", "offset=0"}, d, err));
  BOOST_TEST(err.empty());
  BOOST_TEST(d.kind == directive::stall);
  BOOST_TEST(d.thread == "g_up");
  BOOST_TEST(d.trigger == "at");
  BOOST_TEST(d.cmd == "WRITE");
  BOOST_TEST(d.name == "md1");
  BOOST_TEST(d.offset == 0);
  BOOST_TEST(parse_directive({"@resume", "g_down"}, d, err));
  BOOST_TEST(d.kind == directive::resume);
  BOOST_TEST(d.trigger == "now");
  // In a script: file:line and the same messages, before anything runs.
  script s;
  std::vector<std::string> errors;
  BOOST_TEST(!parse_script("t.sh", "@stall g_foo\n@resume g_up now\n@stall g_up at WRITE md1 offset=0\n",
                           s, errors));
  BOOST_TEST(errors == (std::vector<std::string>{
                           "t.sh:1: unknown GEOM thread 'g_foo' (g_event, g_up, g_down)",
                           "t.sh:2: usage: @resume g_event|g_up|g_down"}),
             boost::test_tools::per_element());
}

// geomsim shell feeds the interpreter one line at a time: a job and the
// last command keep naming their command line however many lines follow
// (the steps they point to never move).
BOOST_AUTO_TEST_CASE(shell_jobs_and_expectations_name_their_command_line_however_many_lines_follow) {
  session sh("shell", run_options{});
  BOOST_TEST(sh.run_line("sleep 3 &") == "# sleep 3 &\n[1] sleep\n");
  // Lines 2-63, then line 64 fails and line 65 expects it did not: the
  // steps grow past 1, 2, 4, ... 64 entries meanwhile.
  for (int i = 2; i <= 63; i++) {
    std::string n = std::to_string(i);
    BOOST_TEST(sh.run_line("echo line" + n) == "# echo line" + n + "\nline" + n + "\n");
  }
  BOOST_TEST(sh.run_line("false") == "# false\n");
  BOOST_TEST(sh.run_line("@expect ok") ==
             "geomsim: shell:65: expected 'false' to succeed, it exited 1\n");
  BOOST_TEST(sh.run_line("@sleep 5s") == "# @sleep 5s\n[1] Done (exit 0): sleep 3 &\n");
  sh.finish();
}
