// sim/scenario/directive.h — simulation directives ('@' lines).
//
// Each directive is parsed into a structure before the script runs, so a
// malformed one stops the script with "file:line: message" before
// anything happens. docs/scenarios.md is the reference for all of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sim {

struct directive {
  enum kind {
    seed, loader, disk, image, pull, stall, resume, fault, fault_clear, power_cut, reboot,
    shutdown, boot, wait, sleep, check, writelog, echo, expect, crash, crash_check,
    after_crash, virstor_check
  } kind;

  // seed
  uint64_t number = 0;
  // loader: key=value
  std::string key, value;
  // disk: name size [sector=N] [cache=...] [flush=yes|no]; image: path host [ro]
  std::string name;
  uint64_t size = 0;
  unsigned sectorsize = 512;
  std::string cache = "write-through";
  bool flush = true;
  std::string host_path;
  bool readonly = false;
  bool cow = false;  // image: writes stay in memory
  // fault: point [detail] nth= count= percent=
  std::string point, detail;
  uint64_t nth = 1, count = 1;
  uint32_t percent = 0;
  // power-cut and pull: "now" | "after N writes [on DISK]" |
  // "at CMD DEV [offset=N]"
  std::string trigger;  // "now", "after", "at"
  std::string pull_target;  // pull: the disk that goes
  std::string thread;       // stall, resume: g_event, g_up or g_down
  std::string cmd;      // for "at": READ/WRITE/DELETE/FLUSH
  int64_t offset = -1;
  // sleep: nanoseconds
  int64_t duration_ns = 0;
  // check / expect data: dev [offset length]
  int64_t length = -1;
  // echo
  std::string text;
  // crash: "record" (after record `number`) or "at" (cmd, name, nth), and
  // the fate words after it ("lose 12,ada1 tear 13:3")
  std::vector<std::string> fate_words;
  // virstor-check: the disks to check (empty: all)
  std::vector<std::string> names;
  // crash-check, virstor-check: the findings expected (`expect LIST`):
  // the line passes when exactly these kinds are found
  bool expect_findings = false;
  std::vector<std::string> expected;

  // expect
  enum expect_kind {
    exit_code, ok, fail, stream, device, no_device, panic, data, blocked, finding
  } what = ok;
  std::string stream_name;  // stdout, stderr, output, console
  std::string op;           // contains, equals, lacks
};

bool parse_directive(const std::vector<std::string> &words, directive &d, std::string &error);

// "5s", "250ms", "10us", "3" (seconds) -> nanoseconds.
bool parse_duration(const std::string &s, int64_t &ns);

}  // namespace sim
