// The independent verifier of an election record (docs/protocol.md §14): every numbered check,
// a verdict, and the first thing that is wrong. Ballots are verified in parallel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/record/state.hpp"

namespace veche::record {

enum class CheckStatus { kPassed, kFailed, kNotReached };

struct CheckResult {
  int number = 0;
  std::string name;
  CheckStatus status = CheckStatus::kNotReached;
  std::string detail;  // a count for a passed check, what is wrong for the failed one
};

struct VerificationReport {
  bool valid = false;
  std::vector<CheckResult> checks;  // all 16, in order
  int failed_check = 0;             // 0 when valid
  std::string error;                // the first thing that is wrong
  std::optional<ResultSummary> result;
  std::vector<std::string> question_ids;
  // What was checked, for observers to compare: the election, its fingerprint (hex, once voting
  // opened) and the hash of the last event accepted (hex; the whole record's when valid).
  std::string election_id;
  std::string fingerprint;
  std::string head;
  std::uint64_t events = 0;  // events accepted
};

struct VerifyOptions {
  // Ballots are verified on this many threads (0: std::thread::hardware_concurrency()). The
  // report does not depend on it: each ballot's verdict is its own, reported in record order.
  unsigned threads = 0;
  // Called from the calling thread after each batch of ballots: (verified, total).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

VerificationReport verify_record(std::string_view record, const VerifyOptions& options);

}  // namespace veche::record
