// The agenda: issues constituents raise and support, admission past the coalition's threshold,
// merging duplicates, moderation with public reasons and appeals, and priority rounds whose
// counted result is the published mandate.
//
// Privacy: who supports an issue is stored (one support per account, withdrawable) but never
// returned by any function here except `supported_by(account)` for that account itself; only
// counts are public. Issue authors are kept for appeals and never published. A priority-round
// ballot is stored next to a BLAKE2b hash of (round, account) keyed with the data key, never
// next to the account: the hash only enforces one ballot per account per round.
//
// Every state change of an issue (raised, admitted, merged, hidden, appealed, reinstated, appeal
// rejected) is appended to its public history; nothing is deleted. Tables `agenda_*` (agenda
// migration 2). Thread-safe: every call runs in its own transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"
#include "veche/count/report.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::agenda {

struct IssueTag {};
using IssueId = core::Id<IssueTag>;
struct RoundTag {};
using RoundId = core::Id<RoundTag>;

// The fixed tag list: "banking", "vehicles", "visas-and-residence", "asylum-and-deserters",
// "sanctions", "documents", "education", "work", "other".
std::span<const std::string_view> tags();
bool is_tag(std::string_view tag);

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxBodyBytes = 20'000;
inline constexpr std::size_t kMaxCountries = 30;
inline constexpr std::size_t kMaxGroups = 10;
inline constexpr std::size_t kMaxGroupChars = 80;
inline constexpr std::size_t kMaxReasonChars = 1000;
inline constexpr std::int64_t kDefaultThreshold = 50;
inline constexpr std::int64_t kMaxThreshold = 10'000'000;

enum class IssueState { kProposed, kAdmitted, kMerged };
std::string_view state_name(IssueState state);  // "proposed", "admitted", "merged"

struct NewIssue {
  std::string title;                   // 1..kMaxTitleChars characters, one line
  std::string body;                    // Markdown, up to kMaxBodyBytes
  std::vector<std::string> countries;  // ISO 3166-1 alpha-2 codes ("DE"), at most kMaxCountries
  std::vector<std::string> groups;     // free text ("deserters"), at most kMaxGroups
  std::vector<std::string> tags;       // from tags(), at least one
};
// Checks and normalizes a new issue (trims, upper-cases countries, removes duplicates).
// kInvalidArgument naming the field otherwise.
Result<NewIssue> check_issue(NewIssue issue);

struct Issue {
  IssueId id;
  std::string title;
  std::string body;  // "" when hidden: the text is withheld
  std::vector<std::string> countries;
  std::vector<std::string> groups;
  std::vector<std::string> tags;
  IssueState state = IssueState::kProposed;
  std::optional<IssueId> merged_into;
  std::optional<std::string> hidden_reason;  // set while hidden by a moderator
  bool appeal_pending = false;
  std::int64_t supports = 0;
  core::TimePoint created_at;
  std::optional<core::TimePoint> admitted_at;
};

// One public step of an issue's history.
struct IssueEvent {
  core::TimePoint at;
  std::string kind;    // "raised", "admitted", "merged-into", "merged-from", "hidden",
                       // "appealed", "reinstated", "appeal-rejected"
  std::string detail;  // the public reason, or the other issue's number
};

enum class SortOrder { kSupports, kNewest };

struct IssueFilter {
  std::string tag;      // "" for any
  std::string country;  // "" for any
  SortOrder sort = SortOrder::kSupports;
  bool include_merged = false;
  int limit = 200;          // 1..1000
  std::int64_t offset = 0;  // rows skipped first: 0..1,000,000 (paging)
};

struct Report {
  std::int64_t id = 0;
  IssueId issue;
  std::string reason;
  core::TimePoint created_at;
};

enum class RoundMethod { kSchulze, kApproval, kInstantRunoff };
std::string_view method_name(RoundMethod method);  // "schulze", "approval", "irv"
Result<RoundMethod> parse_method(std::string_view name);
// Whether a ballot is a ranking (schulze, irv) or a set of approvals.
bool is_ranked(RoundMethod method);

enum class RoundPhase { kScheduled, kOpen, kClosed, kCounted };
std::string_view phase_name(RoundPhase phase);

struct RoundEntry {
  IssueId issue;
  std::string title;
};

struct Round {
  RoundId id;
  std::string title;
  RoundMethod method = RoundMethod::kSchulze;
  core::TimePoint opens_at;
  core::TimePoint closes_at;
  RoundPhase phase = RoundPhase::kScheduled;
  std::vector<RoundEntry> issues;  // the admitted issues when it was created
  std::int64_t ballots = 0;        // how many ballots are in (shown only once counted)
  // After counting: the ranking (levels of issue ids, best first; a level of several is a
  // tie), the count's report as JSON (count::to_json) and as a text table.
  std::vector<std::vector<IssueId>> ranking;
  std::string report_json;
  std::string report_text;
  std::optional<core::TimePoint> counted_at;
};

// A ballot: for ranked methods the issues in order of preference (a prefix is fine); for
// approval the approved issues. Issues must belong to the round; no repeats.
using Ballot = std::vector<IssueId>;

class Agenda {
 public:
  // `db`, `clock` and `key` (the data key, 16..64 bytes) must outlive the service.
  Agenda(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

  // The admission threshold (supports), kDefaultThreshold until set.
  Result<std::int64_t> threshold() const;
  // Sets it (1..kMaxThreshold) and admits the proposed issues that already reach it.
  Status set_threshold(std::int64_t supports);

  // Raises an issue. kPermissionDenied unless `author` holds the constituent role;
  // kInvalidArgument for a bad issue (see check_issue).
  Result<IssueId> raise(registry::AccountId author, NewIssue issue);
  // kNotFound for an unknown issue.
  Result<Issue> issue(IssueId id) const;
  Result<std::vector<IssueEvent>> history(IssueId id) const;
  // Issues (without their bodies) matching the filter. kInvalidArgument for an unknown tag, a
  // malformed country or a limit out of range.
  Result<std::vector<Issue>> list(const IssueFilter& filter) const;

  // Supports an issue; admits it when it reaches the threshold. Returns the new count.
  // kPermissionDenied unless a constituent; kAlreadyExists when this account already supports
  // it; kFailedPrecondition for a merged or hidden issue; kNotFound for an unknown one.
  Result<std::int64_t> support(registry::AccountId account, IssueId id);
  // Withdraws a support; returns the new count. kNotFound when there was none.
  Result<std::int64_t> withdraw(registry::AccountId account, IssueId id);
  // Whether `account` supports `id` (for that account's own page only).
  Result<bool> supports(registry::AccountId account, IssueId id) const;

  // Merges `duplicate` into `surviving` (a moderator or operator; `actor` invalid means the
  // operator at the command line). Supports carry over; an account that supported both counts
  // once. kInvalidArgument when they are the same; kFailedPrecondition when either is merged.
  Status merge(registry::AccountId actor, IssueId duplicate, IssueId surviving);

  // Any account reports an issue with a reason (1..kMaxReasonChars).
  Status report(registry::AccountId reporter, IssueId id, std::string_view reason);
  // Reports not yet dealt with (for moderators), oldest first.
  Result<std::vector<Report>> open_reports() const;
  // A moderator hides an issue with a public reason; its open reports are closed.
  // kFailedPrecondition when already hidden.
  Status hide(registry::AccountId moderator, IssueId id, std::string_view reason);
  // The author appeals a hidden issue. kPermissionDenied for anyone else; kFailedPrecondition
  // when not hidden or an appeal is already pending.
  Status appeal(registry::AccountId author, IssueId id, std::string_view text);
  // A moderator decides a pending appeal: reinstate (shown again) or keep hidden, with a public
  // reason. kFailedPrecondition when no appeal is pending.
  Status decide_appeal(registry::AccountId moderator, IssueId id, bool reinstate,
                       std::string_view reason);
  // Whether `account` holds the moderator or operator role.
  Result<bool> is_moderator(registry::AccountId account) const;

  // Opens a priority round over the admitted, visible issues at this moment (at least two),
  // accepting ballots from `opens_at` until `closes_at`. `actor` as for merge().
  Result<RoundId> create_round(registry::AccountId actor, std::string_view title,
                               RoundMethod method, core::TimePoint opens_at,
                               core::TimePoint closes_at);
  Result<Round> round(RoundId id) const;
  // Every round, newest first (without reports).
  Result<std::vector<Round>> rounds() const;
  // Casts or replaces `account`'s ballot. kPermissionDenied unless a constituent;
  // kFailedPrecondition outside the voting window; kInvalidArgument for a bad ballot.
  Status cast(registry::AccountId account, RoundId id, const Ballot& ballot);
  // `account`'s current ballot in the round (empty when none).
  Result<Ballot> ballot_of(registry::AccountId account, RoundId id) const;
  // Closes a round now (moves closes_at to now when later) — `actor` as for merge().
  Status close_round(registry::AccountId actor, RoundId id);
  // Counts a closed round and publishes its result. Counting twice is not an error (the
  // first result stands). kFailedPrecondition before the round closes.
  Result<Round> count_round(RoundId id);
  // Counts every round that has closed and is not counted yet; returns how many.
  Result<int> count_due_rounds();
  // The counted rounds, newest first: the mandate and its history.
  Result<std::vector<Round>> mandate() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
};

// A fictional demo agenda: issues, supports from demo constituents, one counted round and one
// open. kAlreadyExists (and no change) when the agenda already has issues.
Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

}  // namespace veche::agenda
