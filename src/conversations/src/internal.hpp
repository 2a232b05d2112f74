// What the service, the report and the demo share (private to src/conversations).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "veche/consensus/live.hpp"
#include "veche/conversations/conversations.hpp"

namespace veche::conversations::detail {

Result<bool> in_audience(store::Transaction& tx, registry::AccountId account, Audience audience);

// The participant key of an account in a conversation, and of any other pseudonymous voter
// (the demo's): BLAKE2b keyed with the data key.
store::Blob voter_key(const crypto::SecretBytes& key, ConversationId conversation,
                      registry::AccountId account);
store::Blob participant_key(const crypto::SecretBytes& key, std::string_view who);

Result<std::optional<std::int64_t>> find_participant(store::Transaction& tx,
                                                     ConversationId conversation,
                                                     const store::Blob& key);
// The participant's number, made on first use.
Result<std::int64_t> participant_number(store::Transaction& tx, ConversationId conversation,
                                        const store::Blob& key);
// Records or changes a vote and keeps the statement's counts and the conversation's version.
Status record_vote(store::Transaction& tx, ConversationId conversation, StatementId statement,
                   std::int64_t participant, consensus::Vote vote, core::TimePoint at);

// How much the next vote on a statement tells: its uncertainty weight from the last report
// (1 when unknown) over its votes so far plus one.
inline double routing_priority(double weight, std::int64_t votes) {
  return weight / static_cast<double>(votes + 1);
}

// A conversation's report kept current vote by vote between full analyses (report.cpp,
// docs/consensus.md "Live reports").
struct LiveReport {
  std::optional<consensus::LiveAnalysis> analysis;
  std::vector<std::string> texts;      // statement texts by statement index
  std::int64_t cursor = 0;             // the last queued vote it includes
  std::size_t updates = 0;             // votes applied since the full analysis
  std::int64_t base_votes = 0;         // StoredReport::votes of the full analysis
  std::int64_t base_report_votes = 0;  // its Report::votes (active statements only)
  bool stale = false;                  // a vote it could not apply: wants a full analysis
  core::TimePoint analysed_at;
  std::chrono::steady_clock::time_point used;
};
using LiveReports = std::unordered_map<std::int64_t, LiveReport>;

// The full recompute of Conversations::recompute(); when `live` is given, the analysis is
// kept there (with the queued votes it did not read applied) for apply_queued().
Result<StoredReport> recompute(store::Database& db, const core::Clock& clock, ConversationId id,
                               LiveReport* live);
// Applies the queued votes past `cursor` to the conversations in `live` and stores their
// updated reports (one write per conversation). Returns how many votes were applied.
Result<std::size_t> apply_queued(store::Database& db, const core::Clock& clock, LiveReports& live,
                                 std::int64_t& cursor);

}  // namespace veche::conversations::detail
