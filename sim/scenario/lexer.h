// sim/scenario/lexer.h — splitting a scenario line into words.
//
// The rules are a small subset of sh(1): words are separated by blanks;
// '...' quotes literally, "..." quotes with \" \\ \$ escapes, a backslash
// outside quotes escapes the next character; a word starting with '#'
// begins a comment; '&' at the end runs the command in the background;
// '>' and '>>' redirect standard output to a file or device, '<' opens
// standard input from one (held open while the program runs); '|' is not
// supported (one program per line keeps transcripts simple).
#pragma once

#include <string>
#include <vector>

namespace sim {

struct lexed_line {
  std::vector<std::string> words;
  bool background = false;
  std::string redirect;  // target of > or >>, "" if none
  bool append = false;   // >>
  std::string input;     // target of <, "" if none
};

// Returns false and sets `error` if the line cannot be split (unterminated
// quote, dangling redirection, misplaced '&', a pipe).
bool lex_line(const std::string &line, lexed_line &out, std::string &error);

}  // namespace sim
