// Splitting a scenario line into words. See sim/scenario/lexer.h.
#include "sim/scenario/lexer.h"

namespace sim {

bool lex_line(const std::string &line, lexed_line &out, std::string &error) {
  out = lexed_line{};
  std::vector<std::string> words;
  std::vector<bool> quoted;  // operator detection only for unquoted words
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i >= n) break;
    if (line[i] == '#') break;  // comment
    std::string w;
    bool q = false;
    // Operators stand alone even without blanks around them.
    if (line[i] == '&' || line[i] == '|' || line[i] == '>' || line[i] == '<') {
      if (line[i] == '>' && i + 1 < n && line[i + 1] == '>') {
        w = ">>";
        i += 2;
      } else {
        w = line[i++];
      }
      words.push_back(w);
      quoted.push_back(false);
      continue;
    }
    while (i < n && line[i] != ' ' && line[i] != '\t') {
      char c = line[i];
      if (c == '\'') {
        size_t e = line.find('\'', i + 1);
        if (e == std::string::npos) {
          error = "unterminated ' quote";
          return false;
        }
        w += line.substr(i + 1, e - i - 1);
        q = true;
        i = e + 1;
      } else if (c == '"') {
        i++;
        bool closed = false;
        while (i < n) {
          if (line[i] == '\\' && i + 1 < n &&
              (line[i + 1] == '"' || line[i + 1] == '\\' || line[i + 1] == '$')) {
            w += line[i + 1];
            i += 2;
          } else if (line[i] == '"') {
            closed = true;
            i++;
            break;
          } else {
            w += line[i++];
          }
        }
        if (!closed) {
          error = "unterminated \" quote";
          return false;
        }
        q = true;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          error = "backslash at the end of the line";
          return false;
        }
        w += line[i + 1];
        q = true;
        i += 2;
      } else if (c == '&' || c == '|' || c == '>' || c == '<') {
        break;  // an operator ends the word
      } else {
        w += c;
        i++;
      }
    }
    words.push_back(w);
    quoted.push_back(q);
  }
  for (size_t k = 0; k < words.size(); k++) {
    if (quoted[k]) {
      out.words.push_back(words[k]);
      continue;
    }
    const std::string &w = words[k];
    if (w == "|") {
      error = "pipes are not supported: one program per line";
      return false;
    }
    if (w == "&") {
      if (k + 1 != words.size()) {
        error = "'&' must end the line";
        return false;
      }
      out.background = true;
      continue;
    }
    if (w == "<") {
      if (k + 1 >= words.size() || (!quoted[k + 1] &&
          (words[k + 1] == "&" || words[k + 1] == ">" || words[k + 1] == ">>" ||
           words[k + 1] == "<"))) {
        error = "redirection without a target";
        return false;
      }
      if (!out.input.empty()) {
        error = "more than one input redirection";
        return false;
      }
      out.input = words[++k];
      continue;
    }
    if (w == ">" || w == ">>") {
      if (k + 1 >= words.size() || (!quoted[k + 1] &&
          (words[k + 1] == "&" || words[k + 1] == ">" || words[k + 1] == ">>" ||
           words[k + 1] == "<"))) {
        error = "redirection without a target";
        return false;
      }
      if (!out.redirect.empty()) {
        error = "more than one redirection";
        return false;
      }
      out.redirect = words[++k];
      out.append = w == ">>";
      continue;
    }
    out.words.push_back(w);
  }
  return true;
}

}  // namespace sim
