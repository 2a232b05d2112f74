// Consensus conversations: a question, seed statements, an audience and a close date; votes
// agree / disagree / pass on one statement at a time; statements added by participants and
// moderated before others see them; the report computed off the request path, vote by vote and
// in full (report_worker.hpp).
//
// Privacy: a participant is a number within one conversation. The number is found through a
// BLAKE2b hash of (conversation, account) keyed with the data key; votes and submitted
// statements sit next to that number, never next to an account, and no function here returns
// which account a number belongs to. Who opened a conversation and who moderated a statement
// is kept for accountability and not published.
//
// Tables `conversation*` (conversations migration 1). Thread-safe: every call runs in its own
// transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/consensus/vote_matrix.hpp"
#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::conversations {

struct ConversationTag {};
using ConversationId = core::Id<ConversationTag>;
struct StatementTag {};
using StatementId = core::Id<StatementTag>;

inline constexpr std::size_t kMaxQuestionChars = 300;
inline constexpr std::size_t kMaxDescriptionBytes = 10'000;
inline constexpr std::size_t kMaxStatementChars = 280;
inline constexpr std::size_t kMaxSeedStatements = 100;
inline constexpr std::size_t kMaxReasonChars = 1000;
// Statements one participant may submit to one conversation (pending or decided).
inline constexpr std::int64_t kMaxSubmissionsPerParticipant = 20;
// Statements (seed, pending and decided) in one conversation.
inline constexpr std::int64_t kMaxStatements = 5000;

enum class Audience { kConstituents, kDelegates, kBoth };
std::string_view audience_name(Audience audience);  // "constituents", "delegates", "both"
Result<Audience> parse_audience(std::string_view name);

enum class StatementState { kPending, kAccepted, kRejected };
std::string_view state_name(StatementState state);  // "pending", "accepted", "rejected"

// "agree", "disagree", "pass".
std::string_view vote_name(consensus::Vote vote);
Result<consensus::Vote> parse_vote(std::string_view name);

struct NewConversation {
  std::string question;     // 1..kMaxQuestionChars characters, one line
  std::string description;  // Markdown, up to kMaxDescriptionBytes
  Audience audience = Audience::kBoth;
  core::TimePoint closes_at;       // in the future
  std::vector<std::string> seeds;  // statements, each as check_statement(); empty lines dropped
};
// Checks and normalizes (trims; drops empty and duplicate seeds). kInvalidArgument naming the
// field otherwise; kInvalidArgument when `closes_at` is not after `now`.
Result<NewConversation> check_conversation(NewConversation conversation, core::TimePoint now);
// A statement: 1..kMaxStatementChars characters, one line, trimmed.
Result<std::string> check_statement(std::string_view text);

struct Conversation {
  ConversationId id;
  std::string question;
  std::string description;
  Audience audience = Audience::kBoth;
  core::TimePoint created_at;
  core::TimePoint closes_at;
  bool open = true;               // now < closes_at
  std::int64_t statements = 0;    // accepted
  std::int64_t pending = 0;       // waiting for a moderator
  std::int64_t participants = 0;  // who voted at least once
  std::int64_t votes = 0;
};

struct Statement {
  StatementId id;
  ConversationId conversation;
  std::string text;
  bool seed = false;  // written by whoever opened the conversation
  StatementState state = StatementState::kAccepted;
  std::string reason;  // why it was rejected (public)
  core::TimePoint created_at;
  std::int64_t agree = 0;
  std::int64_t disagree = 0;
  std::int64_t pass = 0;
  std::int64_t votes() const { return agree + disagree + pass; }
};

// The last computed report of a conversation.
struct StoredReport {
  core::TimePoint computed_at;
  std::int64_t votes = 0;  // the votes it was computed from
  // Empty when the votes did not support an analysis yet; then `problem` says why.
  std::string json;  // consensus::format_json, statement ids are the statement numbers
  std::string csv;   // consensus::format_csv
  std::string svg;   // consensus::format_svg: dots coloured by group, nobody identifiable
  std::string problem;
};

class Conversations {
 public:
  // `db`, `clock` and `key` (the data key) must outlive the service.
  Conversations(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

  // Opens a conversation with its seed statements (accepted at once). kPermissionDenied unless
  // `actor` is a delegate (of any organization), a moderator or an operator (`actor` invalid
  // means the operator at the command line); kInvalidArgument for bad fields.
  Result<ConversationId> open(registry::AccountId actor, NewConversation conversation);
  // kNotFound for an unknown conversation.
  Result<Conversation> conversation(ConversationId id) const;
  // Every conversation, open ones first, newest first; at most `limit` (1..1000).
  Result<std::vector<Conversation>> list(int limit = 200) const;
  // The accepted statements with their counts, oldest first.
  Result<std::vector<Statement>> statements(ConversationId id) const;
  // One statement in any state. kNotFound when unknown.
  Result<Statement> statement(StatementId id) const;

  // Whether `account` belongs to the conversation's audience (constituents, delegates of any
  // organization, or both).
  Result<bool> in_audience(registry::AccountId account, ConversationId id) const;

  // Adds a statement for moderation. kPermissionDenied outside the audience;
  // kFailedPrecondition once closed; kInvalidArgument for a bad text; kAlreadyExists when the
  // conversation has the same text already; kResourceExhausted past
  // kMaxSubmissionsPerParticipant or kMaxStatements.
  Result<StatementId> submit(registry::AccountId account, ConversationId id, std::string_view text);
  // Statements waiting for a moderator, oldest first. kPermissionDenied unless `moderator`
  // is a moderator or operator (invalid: the operator).
  Result<std::vector<Statement>> pending(registry::AccountId moderator, ConversationId id) const;
  // Accepts a pending statement, or rejects it with a public reason (1..kMaxReasonChars).
  // kPermissionDenied as for pending(); kFailedPrecondition when it was decided already.
  Status moderate(registry::AccountId moderator, StatementId statement, bool accept,
                  std::string_view reason);

  // Votes, or changes a vote, on an accepted statement. kPermissionDenied outside the
  // audience; kFailedPrecondition once closed or for a statement that is not accepted;
  // kNotFound when the statement is not in this conversation.
  Status vote(registry::AccountId account, ConversationId id, StatementId statement,
              consensus::Vote vote);
  // `account`'s vote on a statement, if any (for that account's own page only).
  Result<std::optional<consensus::Vote>> vote_of(registry::AccountId account,
                                                 StatementId statement) const;
  // How many statements `account` voted on in the conversation.
  Result<std::int64_t> voted(registry::AccountId account, ConversationId id) const;
  // The statement to show `account` next: never one it voted on; the one whose next vote
  // tells most: fewest votes first, weighted by how uncertain the last report left the groups
  // (see docs/consensus.md). nullopt when every accepted statement has its vote.
  Result<std::optional<Statement>> next_statement(registry::AccountId account,
                                                  ConversationId id) const;

  // The votes as `veche consensus analyse` reads them (Pol.is votes.csv: timestamp,
  // comment-id, voter-id, vote), participants as numbers; accepted statements only.
  Result<std::string> export_votes(ConversationId id) const;
  // The accepted statements as Pol.is comments.csv (comment-id, comment-body).
  Result<std::string> export_statements(ConversationId id) const;

  // The last computed report, nullopt before the first computation.
  Result<std::optional<StoredReport>> report(ConversationId id) const;
  // Recomputes the report of one conversation now and stores it (the analysis runs outside
  // any transaction). Groups keep their labels from the previous report.
  Result<StoredReport> recompute(ConversationId id);
  // Recomputes every conversation whose votes or statements changed since its last full
  // analysis and whose last full analysis is at least `min_interval` old (live updates in
  // between do not count). Returns how many were recomputed.
  Result<int> recompute_due(std::chrono::seconds min_interval);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
};

// A fictional demo conversation with seeded votes from pseudonymous participants in four
// camps and its first report. kAlreadyExists (and no change) when conversations exist.
Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

std::span<const store::Migration> migrations();

}  // namespace veche::conversations
