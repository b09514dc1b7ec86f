// sim/explore/outcome.h — what became of a crash state, and the signature
// that groups states that failed the same way.
//
// Outcomes, from the most to the least severe (a state gets the first
// that applies): simulator error (the simulator itself failed), panic,
// hang, device missing, data lost, inconsistent (the offline checker
// found errors), check failed (a post-crash command of the script's own
// failed), ok. The signature is the outcome with what distinguishes one
// failure from another of the same outcome and nothing that varies from
// state to state: the panic message with numbers and addresses elided,
// the kinds of data loss, the checker's rule ids, the wait channel of a
// hang.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/interpreter.h"

namespace sim::explore {

enum class outcome_kind {
  ok, check_failed, inconsistent, data_lost, device_missing, hang, panic, simulator_error
};
const char *outcome_name(outcome_kind k);

struct state_outcome {
  outcome_kind kind = outcome_kind::ok;
  std::string signature;              // "data lost: changed; checker: next-chunk-reused"
  std::vector<std::string> details;   // one line each, for the report and JSON
  bool failed() const { return kind != outcome_kind::ok; }
};

// Classifies the run of a crash state's post-crash script.
state_outcome classify(const run_outcome &o);
// A simulator error (an exception escaped).
state_outcome simulator_error(const std::string &what);
// A panic message without what varies: hex and decimal numbers.
std::string normalize_panic(const std::string &message);

}  // namespace sim::explore
