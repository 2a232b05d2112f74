// The public decisions log: every motion proposed, every vote and recusal, every outcome,
// every consultation opened and its full result report. Append-only and hash chained like
// the registry's audit log: entry n hashes its fields and the hash of entry n-1, and the
// table refuses UPDATE and DELETE (triggers on both backends). An entry is never edited; a
// mistake is answered with a correction entry that names the entry it corrects.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::decisions {

// The tables of this module (motions, votes, consultations, ballots, the log), for
// store::migrate(); they refer to the registry's tables: apply registry::migrations() first.
std::span<const store::Migration> migrations();

struct LogEntry {
  std::int64_t seq = 0;  // 1, 2, ...
  core::TimePoint time;
  std::string kind;       // "motion.proposed", "motion.vote", "motion.recusal", "motion.closed",
                          // "consultation.opened", "consultation.closed", "correction"
  std::string subject;    // "motion/3", "consultation/1", "log/17" for a correction
  std::string body;       // a JSON object: what happened, in full
  std::string prev_hash;  // hex; 64 zeros for the first entry
  std::string hash;       // hex BLAKE2b-256 of the fields above (docs/decisions.md)
};

// The hash an entry must carry (recomputed by verify_log and by anyone with the entries).
std::string log_entry_hash(const LogEntry& e);

struct LogPage {
  std::vector<LogEntry> entries;  // oldest first
  std::int64_t total = 0;         // entries in the log
};
// Entries with seq > `after`, oldest first, at most `limit` (1..500; kInvalidArgument
// otherwise). `subject`, when not empty, keeps only that subject's entries.
Result<LogPage> log_entries(store::Database& db, std::int64_t after, int limit,
                            std::string_view subject = {});

struct LogReport {
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_broken;  // seq of the first entry that does not check
  std::string problem;
};
// Recomputes the chain. A broken chain is a report, not an error.
Result<LogReport> verify_log(store::Database& db);

// Appends a correction of entry `seq` with the explanation `text` (1..2,000 characters) in
// the name of `actor`. kNotFound for an unknown entry; kInvalidArgument for a bad text.
Result<std::int64_t> append_correction(store::Database& db, const core::Clock& clock,
                                       std::int64_t seq, std::string_view text,
                                       std::string_view actor);

}  // namespace veche::decisions
