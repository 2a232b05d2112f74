// Coalition motions: proposed by a delegate, decided by member organizations with one vote
// each under a rule fixed when the motion opens.
//
// Lifecycle: proposed (discussion) -> voting (voting_opens_at <= now < voting_closes_at) ->
// closed (close() at or after voting_closes_at counts the votes in one transaction). The
// rule, the times and the organizations that may vote (the members when it was proposed) are
// frozen at proposal; the tables refuse to change them.
//
// Votes: the latest vote of an organization counts; an earlier one stays in the log. A vote
// is accepted only when the clock, read inside the write transaction that records it, is in
// [voting_opens_at, voting_closes_at) and the motion is not closed. Since close() runs in one
// write transaction too and write transactions are serialized, a vote is either committed
// before the close (and counted) or refused.
//
// Conflicts of interest: a delegate who declares one on a motion is recused: they cannot vote
// on it, and their organization's vote, if it is theirs, no longer counts (another delegate
// of the organization may vote).
// Every change is appended to the decisions log (log.hpp) in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"
#include "veche/decisions/rules.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::decisions {

struct MotionTag {};
using MotionId = core::Id<MotionTag>;

enum class MotionKind { kPosition, kStatement, kCampaign, kCharterChange };
// "position", "statement", "campaign", "charter-change".
std::string_view motion_kind_name(MotionKind kind);
std::optional<MotionKind> parse_motion_kind(std::string_view name);

enum class MotionState { kDiscussion, kVoting, kAwaitingClose, kClosed };
// "discussion", "voting", "awaiting-close", "closed".
std::string_view motion_state_name(MotionState state);

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxTextChars = 20'000;
inline constexpr std::size_t kMaxReasonChars = 2'000;
inline constexpr std::size_t kMaxLinkedIssues = 20;

struct NewMotion {
  std::string title;  // 1..200 characters, one line
  std::string text;   // Markdown, 1..20,000 characters
  MotionKind kind = MotionKind::kPosition;
  std::string organization;                 // slug of the proposing organization (the delegate's)
  std::vector<std::int64_t> agenda_issues;  // ids of agenda issues it answers (at most 20)
  DecisionRule rule;  // one the charter names; a charter change takes strictest_rule()
  core::TimePoint voting_opens_at;   // the discussion lasts until then (not in the past)
  core::TimePoint voting_closes_at;  // after opens, at most 365 days after it
};

struct CastVote {
  std::string organization;  // slug
  std::string delegate;      // handle of the delegate who cast it
  VoteChoice choice = VoteChoice::kYes;
  std::string reason;  // required for an objection
  core::TimePoint cast_at;
  bool counts = true;  // false: replaced by a later vote, or its delegate was recused
};

struct Recusal {
  std::string organization;
  std::string delegate;
  std::string reason;
  core::TimePoint declared_at;
};

struct Motion {
  MotionId id;
  std::string title;
  std::string text;
  MotionKind kind = MotionKind::kPosition;
  std::string organization;  // proposing organization (slug)
  std::string proposer;      // handle
  std::vector<std::int64_t> agenda_issues;
  DecisionRule rule;
  core::TimePoint created_at;
  core::TimePoint voting_opens_at;
  core::TimePoint voting_closes_at;
  std::vector<std::string> electorate;  // slugs of the organizations that may vote
  std::vector<CastVote> votes;          // every vote, oldest first
  std::vector<Recusal> recusals;
  std::optional<core::TimePoint> closed_at;
  std::optional<Decision> decision;  // set once closed

  MotionState state(core::TimePoint now) const;
};

struct MotionSummary {
  MotionId id;
  std::string title;
  MotionKind kind = MotionKind::kPosition;
  std::string organization;
  DecisionRule rule;
  core::TimePoint voting_opens_at;
  core::TimePoint voting_closes_at;
  std::optional<Outcome> outcome;
  std::int64_t organizations_voted = 0;
  std::int64_t electorate = 0;
  bool closed = false;
};

class Motions {
 public:
  // `db` and `clock` must outlive the service. Thread-safe.
  Motions(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Proposes a motion as `delegate`, who must be a delegate of m.organization
  // (kPermissionDenied). kInvalidArgument for a bad title, text, rule, times or issue ids
  // (an id that names no agenda issue); kNotFound for an unknown organization or account.
  Result<MotionId> propose(registry::AccountId delegate, const NewMotion& m);

  // Casts (or replaces) the vote of `organization` as `delegate`. kPermissionDenied when the
  // account is not a delegate of it or is recused; kInvalidArgument for an objection without
  // a reason or a reason too long; kNotFound for an unknown motion; kFailedPrecondition
  // outside the voting window or once closed; kPermissionDenied for an organization that is
  // not in the motion's electorate.
  Status vote(registry::AccountId delegate, MotionId motion, std::string_view organization,
              VoteChoice choice, std::string_view reason);

  // Declares a conflict of interest: the delegate is recused from the motion.
  // kAlreadyExists when declared before; kFailedPrecondition once closed; kInvalidArgument
  // for a reason that is empty or too long.
  Status declare_conflict(registry::AccountId delegate, MotionId motion,
                          std::string_view organization, std::string_view reason);

  // Counts the votes and closes the motion, in one transaction, in the name of `actor` (a
  // handle or "operator"). kFailedPrecondition before voting_closes_at or when closed already.
  Result<Decision> close(MotionId motion, std::string_view actor);

  // Closes every motion whose window has ended; returns how many (for `veche motion close
  // --due` and the server's periodic sweep).
  Result<int> close_due(std::string_view actor);

  Result<Motion> motion(MotionId id) const;
  // Newest first.
  Result<std::vector<MotionSummary>> list() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace veche::decisions
