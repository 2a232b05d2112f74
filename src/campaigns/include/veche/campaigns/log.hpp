// The public campaigns log: every campaign started or joined, every action (and correction),
// milestone, outcome and petition, in order. Append-only and hash chained exactly like the
// decisions log (decisions/log.hpp), with its own tag: entry n hashes its fields and the hash
// of entry n-1; the table refuses UPDATE and DELETE on both backends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::campaigns {

struct LogEntry {
  std::int64_t seq = 0;  // 1, 2, ...
  core::TimePoint time;
  std::string kind;       // "campaign.started", "campaign.joined", "action.recorded",
                          // "action.corrected", "milestone.added", "milestone.updated",
                          // "outcome.recorded", "petition.opened"
  std::string subject;    // "campaign/3"
  std::string body;       // a JSON object
  std::string prev_hash;  // hex; 64 zeros for the first entry
  std::string hash;       // hex BLAKE2b-256 (docs/campaigns.md)
};

std::string log_entry_hash(const LogEntry& e);

// Entries with seq > `after`, oldest first, at most `limit` (1..500); `subject` filters.
Result<std::vector<LogEntry>> log_entries(store::Database& db, std::int64_t after, int limit,
                                          std::string_view subject = {});

struct LogReport {
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_broken;
  std::string problem;
};
// Recomputes the chain. A broken chain is a report, not an error.
Result<LogReport> verify_log(store::Database& db);

}  // namespace veche::campaigns
