// Chrome trace-event output. See sim/scenario/trace.h.
#include "sim/scenario/trace.h"

#include <cstring>

#include <cstdio>

#include "kern/sched.h"

namespace sim {

namespace {
std::string json_escape(const std::string &s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if ((unsigned char)c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else {
      o += c;
    }
  }
  return o;
}

const char *cmd_name(int cmd) {
  switch (cmd) {
    case 0x01: return "READ";
    case 0x02: return "WRITE";
    case 0x04: return "DELETE";
    case 0x08: return "GETATTR";
    case 0x10: return "FLUSH";
    default: return "CMD";
  }
}
}  // namespace

tracer::tracer(std::string path) : path_(std::move(path)) { kern::g_tracer = this; }

tracer::~tracer() { close(); }

double tracer::ts() {
  kern::scheduler *s = kern::current_scheduler();
  double us = s ? (double)s->now() / 1000.0 : 0.0;
  return us + (double)(++seq_) * 0.001;
}

int tracer::current_tid() {
  const kern::thread *t = kern::scheduler::current();
  return t ? t->tid() : 0;
}

void tracer::event(const std::string &fields, int tid) {
  char head[96];
  std::snprintf(head, sizeof head, "{\"pid\":1,\"tid\":%d,\"ts\":%.3f,", tid, ts());
  if (!body_.empty()) body_ += ",\n";
  body_ += head + fields + "}";
}

void tracer::run_begin(const kern::thread *t) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (closed_) return;
  if (named_.insert(t->tid()).second) {
    if (!body_.empty()) body_ += ",\n";
    body_ += "{\"ph\":\"M\",\"pid\":1,\"tid\":" + std::to_string(t->tid()) +
             ",\"name\":\"thread_name\",\"args\":{\"name\":\"" + json_escape(t->name()) + "\"}}";
  }
  event("\"ph\":\"B\",\"name\":\"" + json_escape(t->name()) + "\"", t->tid());
}

void tracer::run_end(const kern::thread *t) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (closed_) return;
  event("\"ph\":\"E\"", t->tid());
}

void tracer::bio(const char *phase, uint64_t id, uint64_t parent, const char *provider, int cmd,
                 int64_t offset, int64_t length, int error) {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (closed_) return;
  int tid = current_tid();
  std::string to;
  if (provider != nullptr) {
    to = provider;
    bio_to_[id] = to;
  } else {
    auto it = bio_to_.find(id);
    if (it != bio_to_.end()) to = it->second;
  }
  if (std::strcmp(phase, "done") == 0) bio_to_.erase(id);
  std::string name = std::string(cmd_name(cmd)) + " " + json_escape(to);
  std::string args = "\"args\":{\"bio\":" + std::to_string(id) + ",\"parent\":" +
                     std::to_string(parent) + ",\"offset\":" + std::to_string(offset) +
                     ",\"length\":" + std::to_string(length) + ",\"error\":" +
                     std::to_string(error) + "}";
  event("\"ph\":\"i\",\"s\":\"t\",\"cat\":\"bio\",\"name\":\"" + std::string(phase) + " " + name +
            "\"," + args,
        tid);
  std::string ph = std::string(phase) == "request" ? "s" : std::string(phase) == "done" ? "f" : "t";
  std::string flow = "\"ph\":\"" + ph + "\",\"cat\":\"bio\",\"name\":\"bio\",\"id\":" +
                     std::to_string(id);
  if (ph == "f") flow += ",\"bp\":\"e\"";
  event(flow, tid);
}

void tracer::close() {
  std::lock_guard<kern::host_mutex> g(mu_);
  if (closed_) return;
  closed_ = true;
  if (kern::g_tracer == this) kern::g_tracer = nullptr;
  FILE *f = std::fopen(path_.c_str(), "w");
  if (f == nullptr) return;
  std::fprintf(f, "{\"traceEvents\":[\n%s\n],\"displayTimeUnit\":\"ns\"}\n", body_.c_str());
  std::fclose(f);
}

}  // namespace sim
