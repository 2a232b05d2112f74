#include "veche/decisions/motions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "log_append.hpp"
#include "motions_internal.hpp"
#include "veche/core/text.hpp"
#include "veche/decisions/charter_rules.hpp"

namespace veche::decisions {
namespace {

constexpr std::array kKindNames = {"position", "statement", "campaign", "charter-change"};
constexpr std::array kStateNames = {"discussion", "voting", "awaiting-close", "closed"};
constexpr std::chrono::seconds kMaxSpan{365LL * 24 * 3600};

constexpr std::string_view kMotionColumns =
    "m.id, m.title, m.body, m.kind, o.slug, m.proposer, m.rule_kind, m.majority_num, "
    "m.majority_den, m.quorum_num, m.quorum_den, m.created_at, m.voting_opens_at, "
    "m.voting_closes_at, m.closed_at, m.outcome, m.outcome_reason, m.yes_count, m.no_count, "
    "m.abstain_count, m.objection_count, m.absent_count";

Result<std::int64_t> organization_id(store::Transaction& tx, std::string_view slug) {
  VECHE_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT id FROM organizations WHERE slug = ?",
                                                {std::string(slug)}, "organization"));
  return row.int64(0);
}

// The handle of `account` when it is a delegate of the organization; kPermissionDenied when
// it is not, kNotFound for an unknown account.
Result<std::string> delegate_handle(store::Transaction& tx, registry::AccountId account,
                                    std::int64_t org) {
  VECHE_ASSIGN_OR_RETURN(auto acc, tx.query_one("SELECT handle FROM accounts WHERE id = ?",
                                                {account.value()}, "account"));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = "
                                  "'delegate' AND organization_id = ?",
                                  {account.value(), org}));
  if (rows.empty()) return permission_denied("Only a delegate of the organization can do that.");
  return acc.text(0);
}

boost::json::object rule_json(const DecisionRule& r) {
  return {{"kind", rule_kind_name(r.kind)},
          {"majority", {{"num", r.majority.num}, {"den", r.majority.den}}},
          {"quorum", {{"num", r.quorum.num}, {"den", r.quorum.den}}},
          {"description", describe_rule(r)}};
}

// The rule the motion takes under the current charter's decision rules
// (charter_rules.hpp): a charter change the strictest of them for today's member count; any
// other motion one of them, when the charter names any.
Status apply_charter_rules(store::Transaction& tx, MotionKind kind, DecisionRule& rule) {
  VECHE_ASSIGN_OR_RETURN(
      auto charter,
      tx.query("SELECT body_en FROM charter_versions ORDER BY version DESC LIMIT 1", {}));
  std::vector<DecisionRule> named;
  if (!charter.empty()) {
    auto parsed = charter_rules(charter.front().text(0));
    // A charter adopted with an unreadable block names no rule the system can apply: charter
    // changes then take unanimity, the strictest of all, and other motions any rule.
    if (parsed) named = std::move(*parsed);
  }
  if (kind == MotionKind::kCharterChange) {
    VECHE_ASSIGN_OR_RETURN(
        auto members, tx.query_one("SELECT COUNT(*) FROM organizations", {}, "organization count"));
    rule = strictest_rule(named, std::max<std::int64_t>(members.int64(0), 1));
    return ok();
  }
  if (named.empty() || std::ranges::find(named, rule) != named.end()) return ok();
  std::string allowed;
  for (const auto& r : named)
    allowed += fmt::format("{}\"{}\"", allowed.empty() ? "" : ", ", describe_rule(r));
  return invalid_argument(
      fmt::format("The charter names these decision rules: {}; choose one of them.", allowed));
}

Status check_title_and_text(std::string_view title, std::string_view text) {
  if (core::trim(title).empty()) return invalid_argument("A motion needs a title.");
  VECHE_TRY(core::check_text("title", title, kMaxTitleChars));
  if (core::trim(text).empty()) return invalid_argument("A motion needs a text.");
  return core::check_text("text", text, kMaxTextChars, /*multiline=*/true);
}

Status check_reason(std::string_view reason) {
  return core::check_text("reason", reason, kMaxReasonChars, /*multiline=*/true);
}

struct MotionRow {
  Motion m;
  std::int64_t org_id = 0;
};

Motion motion_of(const store::Row& r) {
  Motion m;
  m.id = MotionId(r.int64(0));
  m.title = r.text(1);
  m.text = r.text(2);
  m.kind = parse_motion_kind(r.text(3)).value_or(MotionKind::kPosition);
  m.organization = r.text(4);
  m.proposer = r.text(5);
  m.rule.kind = parse_rule_kind(r.text(6)).value_or(RuleKind::kUnanimity);
  m.rule.majority = {r.int64(7), r.int64(8)};
  m.rule.quorum = {r.int64(9), r.int64(10)};
  m.created_at = core::from_unix(r.int64(11));
  m.voting_opens_at = core::from_unix(r.int64(12));
  m.voting_closes_at = core::from_unix(r.int64(13));
  if (!r.is_null(14)) {
    m.closed_at = core::from_unix(r.int64(14));
    Decision d;
    d.outcome = parse_outcome(r.text(15)).value_or(Outcome::kFailed);
    d.reason = r.text(16);
    d.tally = {r.int64(17), r.int64(18), r.int64(19), r.int64(20), r.int64(21)};
    m.decision = std::move(d);
  }
  return m;
}

}  // namespace

std::string_view motion_kind_name(MotionKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<MotionKind> parse_motion_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (name == kKindNames[i]) return static_cast<MotionKind>(i);
  }
  return std::nullopt;
}

std::string_view motion_state_name(MotionState state) {
  return kStateNames[static_cast<std::size_t>(state)];
}

MotionState Motion::state(core::TimePoint now) const {
  if (closed_at) return MotionState::kClosed;
  if (now < voting_opens_at) return MotionState::kDiscussion;
  if (now < voting_closes_at) return MotionState::kVoting;
  return MotionState::kAwaitingClose;
}

namespace detail {

Result<Motion> load_motion(store::Transaction& tx, MotionId id) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one(fmt::format("SELECT {} FROM motions m JOIN organizations o ON "
                                         "o.id = m.organization_id WHERE m.id = ?",
                                         kMotionColumns),
                             {id.value()}, "motion"));
  Motion m = motion_of(row);
  VECHE_ASSIGN_OR_RETURN(auto electorate,
                         tx.query("SELECT o.slug FROM motion_electorate e JOIN organizations o "
                                  "ON o.id = e.organization_id WHERE e.motion_id = ? "
                                  "ORDER BY o.slug",
                                  {id.value()}));
  for (const auto& r : electorate) m.electorate.push_back(r.text(0));
  VECHE_ASSIGN_OR_RETURN(
      auto issues,
      tx.query("SELECT issue_id FROM motion_issues WHERE motion_id = ? ORDER BY issue_id",
               {id.value()}));
  for (const auto& r : issues) m.agenda_issues.push_back(r.int64(0));
  VECHE_ASSIGN_OR_RETURN(
      auto recusals,
      tx.query("SELECT o.slug, r.delegate, r.reason, r.declared_at, r.account_id FROM "
               "motion_recusals r JOIN organizations o ON o.id = r.organization_id WHERE "
               "r.motion_id = ? ORDER BY r.declared_at, r.delegate",
               {id.value()}));
  std::set<std::int64_t> recused;
  for (const auto& r : recusals) {
    m.recusals.push_back({r.text(0), r.text(1), r.text(2), core::from_unix(r.int64(3))});
    recused.insert(r.int64(4));
  }
  VECHE_ASSIGN_OR_RETURN(
      auto votes,
      tx.query("SELECT o.slug, v.delegate, v.choice, v.reason, v.cast_at, v.account_id, v.id "
               "FROM motion_votes v JOIN organizations o ON o.id = v.organization_id WHERE "
               "v.motion_id = ? ORDER BY v.id",
               {id.value()}));
  std::map<std::string, std::size_t> latest;  // organization -> index of its latest vote
  for (const auto& r : votes) {
    CastVote v;
    v.organization = r.text(0);
    v.delegate = r.text(1);
    v.choice = parse_vote_choice(r.text(2)).value_or(VoteChoice::kAbstain);
    v.reason = r.text(3);
    v.cast_at = core::from_unix(r.int64(4));
    // A vote at or after the close cannot have been accepted; checked again here so that a
    // count never includes one.
    v.counts = v.cast_at < m.voting_closes_at && !recused.contains(r.int64(5));
    if (auto it = latest.find(v.organization); it != latest.end()) {
      m.votes[it->second].counts = false;
    }
    latest[v.organization] = m.votes.size();
    m.votes.push_back(std::move(v));
  }
  return m;
}

}  // namespace detail

Result<MotionId> Motions::propose(registry::AccountId delegate, const NewMotion& in) {
  VECHE_TRY(check_title_and_text(in.title, in.text));
  DecisionRule rule;
  if (in.kind != MotionKind::kCharterChange) {
    VECHE_ASSIGN_OR_RETURN(rule, normalize_rule(in.rule));
  }
  if (in.voting_closes_at <= in.voting_opens_at) {
    return invalid_argument("The voting window must close after it opens.");
  }
  if (in.voting_closes_at - in.voting_opens_at > kMaxSpan) {
    return invalid_argument("The voting window may last at most 365 days.");
  }
  if (in.agenda_issues.size() > kMaxLinkedIssues) {
    return invalid_argument(
        fmt::format("A motion may answer at most {} agenda issues.", kMaxLinkedIssues));
  }
  std::set<std::int64_t> issues;
  for (auto i : in.agenda_issues) {
    if (i <= 0) return invalid_argument("An agenda issue number must be positive.");
    issues.insert(i);
  }
  MotionId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const core::TimePoint now = clock_.now();
    if (in.voting_opens_at < now) {
      return invalid_argument("The voting window cannot open in the past.");
    }
    if (in.voting_opens_at - now > kMaxSpan) {
      return invalid_argument("The discussion may last at most 365 days.");
    }
    VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(tx, in.organization));
    VECHE_ASSIGN_OR_RETURN(const auto handle, delegate_handle(tx, delegate, org));
    VECHE_TRY(detail::check_agenda_issues(tx, issues));
    VECHE_TRY(apply_charter_rules(tx, in.kind, rule));
    VECHE_ASSIGN_OR_RETURN(
        const auto new_id,
        tx.insert("INSERT INTO motions (title, body, kind, organization_id, proposer_account, "
                  "proposer, rule_kind, majority_num, majority_den, quorum_num, quorum_den, "
                  "created_at, voting_opens_at, voting_closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {std::string(core::trim(in.title)), in.text,
                   std::string(motion_kind_name(in.kind)), org, delegate.value(), handle,
                   std::string(rule_kind_name(rule.kind)), rule.majority.num, rule.majority.den,
                   rule.quorum.num, rule.quorum.den, core::to_unix(now),
                   core::to_unix(in.voting_opens_at), core::to_unix(in.voting_closes_at)}));
    id = MotionId(new_id);
    VECHE_TRY(
        tx.exec("INSERT INTO motion_electorate (motion_id, organization_id) SELECT ?, id FROM "
                "organizations",
                {new_id}));
    for (auto i : issues) {
      VECHE_TRY(
          tx.exec("INSERT INTO motion_issues (motion_id, issue_id) VALUES (?, ?)", {new_id, i}));
    }
    VECHE_ASSIGN_OR_RETURN(const Motion m, detail::load_motion(tx, id));
    boost::json::array electorate;
    for (const auto& s : m.electorate) electorate.push_back(boost::json::string(s));
    boost::json::array linked;
    for (auto i : issues) linked.push_back(i);
    boost::json::object body{{"motion", new_id},
                             {"title", m.title},
                             {"text", m.text},
                             {"kind", motion_kind_name(m.kind)},
                             {"organization", m.organization},
                             {"proposer", handle},
                             {"rule", rule_json(m.rule)},
                             {"voting_opens_at", core::to_iso8601(m.voting_opens_at)},
                             {"voting_closes_at", core::to_iso8601(m.voting_closes_at)},
                             {"electorate", std::move(electorate)},
                             {"agenda_issues", std::move(linked)}};
    VECHE_TRY(detail::append_log(tx, now, "motion.proposed", fmt::format("motion/{}", new_id),
                                 boost::json::serialize(body)));
    // The notice is short (a motion's text may be larger than an outbox entry may be).
    const boost::json::object notice{{"motion", new_id},
                                     {"title", m.title},
                                     {"kind", motion_kind_name(m.kind)},
                                     {"organization", m.organization},
                                     {"voting_opens_at", core::to_iso8601(m.voting_opens_at)},
                                     {"voting_closes_at", core::to_iso8601(m.voting_closes_at)},
                                     {"path", fmt::format("/motions/{}", new_id)}};
    return detail::notify(tx, "decisions.motion.opened", boost::json::serialize(notice), now);
  }));
  return id;
}

Status Motions::vote(registry::AccountId delegate, MotionId motion, std::string_view org_slug,
                     VoteChoice choice, std::string_view reason_in) {
  const std::string reason(core::trim(reason_in));
  VECHE_TRY(check_reason(reason));
  if (choice == VoteChoice::kObjection && reason.empty()) {
    return invalid_argument("An objection needs a reason.");
  }
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    // The clock is read inside the write transaction: see the file comment of motions.hpp.
    const core::TimePoint now = clock_.now();
    VECHE_ASSIGN_OR_RETURN(
        auto row, tx.query_one("SELECT voting_opens_at, voting_closes_at, closed_at FROM motions "
                               "WHERE id = ?",
                               {motion.value()}, "motion"));
    if (!row.is_null(2)) return failed_precondition("The motion is closed.");
    if (now < core::from_unix(row.int64(0))) {
      return failed_precondition("Voting on this motion has not opened yet.");
    }
    if (now >= core::from_unix(row.int64(1))) {
      return failed_precondition("Voting on this motion has closed.");
    }
    VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(tx, org_slug));
    VECHE_ASSIGN_OR_RETURN(auto member,
                           tx.query("SELECT 1 FROM motion_electorate WHERE motion_id = ? AND "
                                    "organization_id = ?",
                                    {motion.value(), org}));
    if (member.empty()) {
      return permission_denied(
          "The organization was not a member when the motion was proposed, so it does not "
          "vote on it.");
    }
    VECHE_ASSIGN_OR_RETURN(const auto handle, delegate_handle(tx, delegate, org));
    VECHE_ASSIGN_OR_RETURN(auto recused,
                           tx.query("SELECT 1 FROM motion_recusals WHERE motion_id = ? AND "
                                    "account_id = ?",
                                    {motion.value(), delegate.value()}));
    if (!recused.empty()) {
      return permission_denied(
          "You declared a conflict of interest on this motion: another delegate of your "
          "organization may vote.");
    }
    VECHE_ASSIGN_OR_RETURN(
        auto previous, tx.query("SELECT delegate, choice FROM motion_votes WHERE motion_id = ? AND "
                                "organization_id = ? ORDER BY id DESC LIMIT 1",
                                {motion.value(), org}));
    VECHE_TRY(tx.exec(
        "INSERT INTO motion_votes (motion_id, organization_id, account_id, delegate, choice, "
        "reason, cast_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {motion.value(), org, delegate.value(), handle, std::string(vote_choice_name(choice)),
         reason, core::to_unix(now)}));
    boost::json::object body{{"motion", motion.value()},
                             {"organization", std::string(org_slug)},
                             {"delegate", handle},
                             {"choice", vote_choice_name(choice)},
                             {"reason", reason}};
    if (!previous.empty()) {
      body["replaces"] = {{"delegate", previous[0].text(0)}, {"choice", previous[0].text(1)}};
    }
    VECHE_TRY(detail::append_log(tx, now, "motion.vote", fmt::format("motion/{}", motion.value()),
                                 boost::json::serialize(body)));
    return ok();
  });
}

Status Motions::declare_conflict(registry::AccountId delegate, MotionId motion,
                                 std::string_view org_slug, std::string_view reason_in) {
  const std::string reason(core::trim(reason_in));
  if (reason.empty()) return invalid_argument("Say what the conflict of interest is.");
  VECHE_TRY(check_reason(reason));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const core::TimePoint now = clock_.now();
    VECHE_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT closed_at FROM motions WHERE id = ?",
                                                  {motion.value()}, "motion"));
    if (!row.is_null(0)) return failed_precondition("The motion is closed.");
    VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(tx, org_slug));
    VECHE_ASSIGN_OR_RETURN(const auto handle, delegate_handle(tx, delegate, org));
    auto inserted = tx.exec(
        "INSERT INTO motion_recusals (motion_id, account_id, organization_id, delegate, reason, "
        "declared_at) VALUES (?, ?, ?, ?, ?, ?)",
        {motion.value(), delegate.value(), org, handle, reason, core::to_unix(now)});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return already_exists("You have already declared a conflict of interest on it.");
      }
      return std::move(inserted).error();
    }
    boost::json::object body{{"motion", motion.value()},
                             {"organization", std::string(org_slug)},
                             {"delegate", handle},
                             {"reason", reason}};
    VECHE_TRY(detail::append_log(tx, now, "motion.recusal",
                                 fmt::format("motion/{}", motion.value()),
                                 boost::json::serialize(body)));
    return ok();
  });
}

Result<Decision> Motions::close(MotionId motion, std::string_view actor) {
  VECHE_TRY(core::check_text("actor", actor, 40));
  Decision decision;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const core::TimePoint now = clock_.now();
    VECHE_ASSIGN_OR_RETURN(const Motion m, detail::load_motion(tx, motion));
    if (m.closed_at) return failed_precondition("The motion is closed already.");
    if (now < m.voting_closes_at) {
      return failed_precondition(fmt::format("Voting on this motion is open until {}.",
                                             core::to_iso8601(m.voting_closes_at)));
    }
    std::vector<VoteChoice> choices;
    boost::json::array votes;
    for (const auto& v : m.votes) {
      if (!v.counts) continue;
      choices.push_back(v.choice);
      votes.push_back({{"organization", v.organization},
                       {"delegate", v.delegate},
                       {"choice", vote_choice_name(v.choice)},
                       {"reason", v.reason},
                       {"cast_at", core::to_iso8601(v.cast_at)}});
    }
    VECHE_ASSIGN_OR_RETURN(decision,
                           decide(m.rule, choices, static_cast<std::int64_t>(m.electorate.size())));
    VECHE_ASSIGN_OR_RETURN(
        const auto changed,
        tx.exec("UPDATE motions SET closed_at = ?, outcome = ?, outcome_reason = ?, "
                "yes_count = ?, no_count = ?, abstain_count = ?, objection_count = ?, "
                "absent_count = ? WHERE id = ? AND closed_at IS NULL",
                {core::to_unix(now), std::string(outcome_name(decision.outcome)), decision.reason,
                 decision.tally.yes, decision.tally.no, decision.tally.abstain,
                 decision.tally.objection, decision.tally.absent, motion.value()}));
    VECHE_CHECK(changed == 1, "the motion was read open in this write transaction");
    boost::json::object body{{"motion", motion.value()},
                             {"title", m.title},
                             {"rule", rule_json(m.rule)},
                             {"votes", std::move(votes)},
                             {"tally",
                              {{"yes", decision.tally.yes},
                               {"no", decision.tally.no},
                               {"abstain", decision.tally.abstain},
                               {"objection", decision.tally.objection},
                               {"absent", decision.tally.absent}}},
                             {"electorate", static_cast<std::int64_t>(m.electorate.size())},
                             {"outcome", outcome_name(decision.outcome)},
                             {"reason", decision.reason},
                             {"closed_by", std::string(actor)}};
    VECHE_TRY(detail::append_log(tx, now, "motion.closed", fmt::format("motion/{}", motion.value()),
                                 boost::json::serialize(body)));
    const boost::json::object notice{{"motion", motion.value()},
                                     {"title", m.title},
                                     {"outcome", outcome_name(decision.outcome)},
                                     {"reason", decision.reason},
                                     {"path", fmt::format("/motions/{}", motion.value())}};
    return detail::notify(tx, "decisions.motion.closed", boost::json::serialize(notice), now);
  }));
  return decision;
}

Result<int> Motions::close_due(std::string_view actor) {
  std::vector<std::int64_t> due;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT id FROM motions WHERE closed_at IS NULL "
                                                "AND voting_closes_at <= ? ORDER BY id",
                                                {core::to_unix(clock_.now())}));
    for (const auto& r : rows) due.push_back(r.int64(0));
  }
  int closed = 0;
  for (auto id : due) {
    auto d = close(MotionId(id), actor);
    if (d) {
      ++closed;
    } else if (d.error().code != ErrorCode::kFailedPrecondition) {
      return std::move(d).error();  // closed meanwhile by someone else is fine
    }
  }
  return closed;
}

Result<Motion> Motions::motion(MotionId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return detail::load_motion(*tx, id);
}

Result<std::vector<MotionSummary>> Motions::list() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query(fmt::format(
          "SELECT {}, (SELECT COUNT(*) FROM motion_electorate e WHERE e.motion_id = m.id), "
          "(SELECT COUNT(DISTINCT v.organization_id) FROM motion_votes v WHERE v.motion_id = "
          "m.id AND v.account_id NOT IN (SELECT r.account_id FROM motion_recusals r WHERE "
          "r.motion_id = m.id)) FROM motions m JOIN organizations o ON o.id = "
          "m.organization_id ORDER BY m.id DESC",
          kMotionColumns)));
  std::vector<MotionSummary> out;
  for (const auto& r : rows) {
    const Motion m = motion_of(r);
    MotionSummary s;
    s.id = m.id;
    s.title = m.title;
    s.kind = m.kind;
    s.organization = m.organization;
    s.rule = m.rule;
    s.voting_opens_at = m.voting_opens_at;
    s.voting_closes_at = m.voting_closes_at;
    s.closed = m.closed_at.has_value();
    s.electorate = r.int64(22);
    if (m.decision) {
      s.outcome = m.decision->outcome;
      s.organizations_voted = s.electorate - m.decision->tally.absent;
    } else {
      s.organizations_voted = r.int64(23);
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace veche::decisions
