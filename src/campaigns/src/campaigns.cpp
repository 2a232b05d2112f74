#include "veche/campaigns/campaigns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "log_append.hpp"
#include "veche/agenda/agenda.hpp"
#include "veche/campaigns/petition.hpp"
#include "veche/core/text.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/password.hpp"
#include "veche/decisions/motions.hpp"

namespace veche::campaigns {
namespace {

using registry::AccountId;

constexpr std::size_t kMaxOrganizations = 20;
constexpr std::size_t kMaxExplanationChars = 2'000;
constexpr std::size_t kMaxNoteChars = 2'000;
constexpr std::chrono::days kMaxAhead{366};

constexpr std::array kActionKinds = {ActionKind::kLetter,   ActionKind::kMeeting,
                                     ActionKind::kHearing,  ActionKind::kLegalCase,
                                     ActionKind::kPetition, ActionKind::kPublication};
constexpr std::array kStatuses = {MilestoneStatus::kPlanned, MilestoneStatus::kInProgress,
                                  MilestoneStatus::kReached, MilestoneStatus::kMissed,
                                  MilestoneStatus::kDropped};
constexpr std::array kOutcomes = {Outcome::kOngoing, Outcome::kAchieved, Outcome::kPartly,
                                  Outcome::kNotAchieved};

std::string subject_of(CampaignId id) { return "campaign/" + id.str(); }

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out.push_back('\n');
    out += s;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const auto nl = s.find('\n', start);
    out.push_back(s.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

boost::json::array json_strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

Status check_title(std::string_view what, std::string_view title) {
  if (core::trim(title).empty()) return invalid_argument(fmt::format("The {} is missing.", what));
  return core::check_text(what, core::trim(title), kMaxTitleChars);
}

// Trims the links, drops empty ones; each must be an http(s) URL without spaces.
Result<std::vector<std::string>> check_links(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& raw : in) {
    const auto l = core::trim(raw);
    if (l.empty()) continue;
    VECHE_TRY(core::check_text("link", l, kMaxLinkChars));
    if ((!l.starts_with("https://") && !l.starts_with("http://")) ||
        l.find(' ') != std::string_view::npos || l.size() < 10) {
      return invalid_argument("A link must be a full address starting with https:// or http://.");
    }
    out.emplace_back(l);
  }
  if (out.size() > kMaxLinks) {
    return invalid_argument(fmt::format("At most {} links.", kMaxLinks));
  }
  return out;
}

Status check_day_range(core::TimePoint on, core::TimePoint now) {
  if (on > now + kMaxAhead) return invalid_argument("The date is more than a year ahead.");
  return ok();
}

Result<std::int64_t> organization_id(store::Transaction& tx, std::string_view slug) {
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx.query("SELECT id FROM organizations WHERE slug = ?", {std::string(slug)}));
  if (rows.empty()) return not_found("There is no such organization.");
  return rows[0].int64(0);
}

Result<std::string> delegate_handle(store::Transaction& tx, AccountId account, std::int64_t org) {
  VECHE_ASSIGN_OR_RETURN(auto acc, tx.query_one("SELECT handle FROM accounts WHERE id = ?",
                                                {account.value()}, "account"));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = "
                                  "'delegate' AND organization_id = ?",
                                  {account.value(), org}));
  if (rows.empty()) return permission_denied("Only a delegate of the organization can do that.");
  return acc.text(0);
}

struct Recorder {
  std::int64_t org = 0;
  std::string handle;
};

// The campaign exists, `slug` runs it and `account` is its delegate.
Result<Recorder> running_delegate(store::Transaction& tx, CampaignId id, std::string_view slug,
                                  AccountId account) {
  VECHE_ASSIGN_OR_RETURN(auto c, tx.query("SELECT 1 FROM campaigns WHERE id = ?", {id.value()}));
  if (c.empty()) return not_found("There is no such campaign.");
  if (slug.empty()) return invalid_argument("Choose the organization you record for.");
  VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(tx, slug));
  VECHE_ASSIGN_OR_RETURN(auto runs, tx.query("SELECT 1 FROM campaign_organizations WHERE "
                                             "campaign_id = ? AND organization_id = ?",
                                             {id.value(), org}));
  if (runs.empty()) {
    return permission_denied(
        "Only a delegate of an organization that runs the campaign can record for it.");
  }
  VECHE_ASSIGN_OR_RETURN(auto handle, delegate_handle(tx, account, org));
  return Recorder{org, std::move(handle)};
}

// Keeps the cached action count and dates of a campaign equal to its current actions.
Status refresh_counts(store::Transaction& tx, CampaignId id) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT COUNT(*), MIN(happened_on), MAX(happened_on) FROM "
                             "campaign_actions WHERE campaign_id = ? AND superseded = 0 AND "
                             "retracted = 0",
                             {id.value()}, "actions"));
  store::Value first = nullptr, last = nullptr;
  if (!row.is_null(1)) first = row.int64(1);
  if (!row.is_null(2)) last = row.int64(2);
  VECHE_TRY(
      tx.exec("UPDATE campaigns SET actions = ?, first_action = ?, last_action = ? WHERE id = ?",
              {row.int64(0), first, last, id.value()}));
  return ok();
}

Status check_action(NewAction& a, core::TimePoint now) {
  VECHE_TRY(check_title("title", a.title));
  a.title = std::string(core::trim(a.title));
  VECHE_TRY(core::check_text("description", a.description, kMaxTextChars, /*multiline=*/true));
  VECHE_TRY(check_day_range(a.on, now));
  VECHE_ASSIGN_OR_RETURN(a.links, check_links(a.links));
  return ok();
}

boost::json::object action_json(ActionId id, ActionId root, const NewAction& a,
                                const std::string& handle) {
  return {{"action", id.value()},
          {"number", root.value()},
          {"kind", action_kind_name(a.kind)},
          {"on", day_text(a.on)},
          {"title", a.title},
          {"description", a.description},
          {"links", json_strings(a.links)},
          {"organization", a.organization},
          {"by", handle}};
}

constexpr std::string_view kActionColumns =
    "a.id, a.root_id, a.kind, a.happened_on, a.title, a.description, a.links, o.slug, "
    "a.recorded_by, a.recorded_at, a.retracted, a.correction, a.superseded";

Action action_of(const store::Row& r) {
  Action a;
  a.id = ActionId(r.int64(0));
  a.root = r.is_null(1) ? a.id : ActionId(r.int64(1));
  a.kind = parse_action_kind(r.text(2)).value_or(ActionKind::kLetter);
  a.on = core::from_unix(r.int64(3));
  a.title = r.text(4);
  a.description = r.text(5);
  a.links = split_lines(r.text(6));
  a.organization = r.text(7);
  a.recorded_by = r.text(8);
  a.recorded_at = core::from_unix(r.int64(9));
  a.retracted = r.int64(10) != 0;
  a.correction = r.text(11);
  return a;
}

// Summaries of the campaigns whose ids `ids_sql` selects (a subquery with `params`).
Result<std::vector<CampaignSummary>> summaries(store::Transaction& tx, const std::string& ids_sql,
                                               std::initializer_list<store::Value> params,
                                               std::optional<Outcome> outcome, int limit) {
  std::string sql = fmt::format(
      "SELECT id, title, started_at, outcome, outcome_at, actions, first_action, last_action "
      "FROM campaigns WHERE id IN ({})",
      ids_sql);
  std::vector<store::Value> values(params);
  if (outcome) {
    sql += " AND outcome = ?";
    values.emplace_back(std::string(outcome_name(*outcome)));
  }
  sql += " ORDER BY started_at DESC, id DESC LIMIT ?";
  values.emplace_back(std::int64_t{limit});
  VECHE_ASSIGN_OR_RETURN(auto rows, tx.query(sql, values));
  std::vector<CampaignSummary> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : rows) {
    CampaignSummary s;
    s.id = CampaignId(r.int64(0));
    s.title = r.text(1);
    s.started_at = core::from_unix(r.int64(2));
    s.outcome = parse_outcome(r.text(3)).value_or(Outcome::kOngoing);
    if (!r.is_null(4)) s.outcome_at = core::from_unix(r.int64(4));
    s.actions = r.int64(5);
    if (!r.is_null(6)) s.first_action = core::from_unix(r.int64(6));
    if (!r.is_null(7)) s.last_action = core::from_unix(r.int64(7));
    at[s.id.value()] = out.size();
    out.push_back(std::move(s));
  }
  if (out.empty()) return out;
  std::vector<store::Value> again(params);
  VECHE_ASSIGN_OR_RETURN(
      auto orgs, tx.query(fmt::format("SELECT co.campaign_id, o.slug FROM campaign_organizations "
                                      "co JOIN organizations o ON o.id = co.organization_id WHERE "
                                      "co.campaign_id IN ({}) ORDER BY co.campaign_id, "
                                      "co.joined_at, o.slug",
                                      ids_sql),
                          again));
  for (const auto& r : orgs) {
    if (auto it = at.find(r.int64(0)); it != at.end()) {
      out[it->second].organizations.push_back(r.text(1));
    }
  }
  VECHE_ASSIGN_OR_RETURN(
      auto ms, tx.query(fmt::format("SELECT campaign_id, COUNT(*), SUM(CASE WHEN status = "
                                    "'reached' THEN 1 ELSE 0 END) FROM campaign_milestones WHERE "
                                    "campaign_id IN ({}) GROUP BY campaign_id",
                                    ids_sql),
                        again));
  for (const auto& r : ms) {
    if (auto it = at.find(r.int64(0)); it != at.end()) {
      out[it->second].milestones = r.int64(1);
      out[it->second].milestones_reached = r.int64(2);
    }
  }
  return out;
}

TrackRecord record_of(std::vector<CampaignSummary> list) {
  TrackRecord t;
  for (const auto& c : list) {
    t.actions += c.actions;
    switch (c.outcome) {
      case Outcome::kOngoing:
        ++t.counts.ongoing;
        break;
      case Outcome::kAchieved:
        ++t.counts.achieved;
        break;
      case Outcome::kPartly:
        ++t.counts.partly;
        break;
      case Outcome::kNotAchieved:
        ++t.counts.not_achieved;
        break;
    }
  }
  t.campaigns = std::move(list);
  return t;
}

store::Blob signer_key(const crypto::SecretBytes& key, PetitionId petition, AccountId account) {
  auto digest = crypto::keyed_hash(key, "campaign-signature",
                                   fmt::format("{}/{}", petition.value(), account.value()));
  store::Blob b(digest.size());
  std::transform(digest.begin(), digest.end(), b.begin(),
                 [](auto c) { return static_cast<std::byte>(c); });
  return b;
}

PetitionSummary petition_of(const store::Row& r, core::TimePoint now) {
  PetitionSummary p;
  p.id = PetitionId(r.int64(0));
  p.campaign = CampaignId(r.int64(1));
  p.campaign_title = r.text(2);
  p.title = r.text(3);
  p.text = r.text(4);
  p.opened_at = core::from_unix(r.int64(5));
  if (!r.is_null(6)) p.closes_at = core::from_unix(r.int64(6));
  p.signatures = r.int64(7);
  p.open = !p.closes_at || *p.closes_at > now;
  return p;
}

constexpr std::string_view kPetitionColumns =
    "p.id, p.campaign_id, c.title, p.title, p.body, p.opened_at, p.closes_at, p.signatures";

}  // namespace

std::string_view source_name(Source s) { return s == Source::kMotion ? "motion" : "issue"; }

std::string_view action_kind_name(ActionKind k) {
  switch (k) {
    case ActionKind::kLetter:
      return "letter";
    case ActionKind::kMeeting:
      return "meeting";
    case ActionKind::kHearing:
      return "hearing";
    case ActionKind::kLegalCase:
      return "legal-case";
    case ActionKind::kPetition:
      return "petition";
    case ActionKind::kPublication:
      return "publication";
  }
  return "letter";
}

std::optional<ActionKind> parse_action_kind(std::string_view name) {
  for (auto k : kActionKinds) {
    if (action_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

std::span<const ActionKind> action_kinds() { return kActionKinds; }

std::string_view milestone_status_name(MilestoneStatus s) {
  switch (s) {
    case MilestoneStatus::kPlanned:
      return "planned";
    case MilestoneStatus::kInProgress:
      return "in-progress";
    case MilestoneStatus::kReached:
      return "reached";
    case MilestoneStatus::kMissed:
      return "missed";
    case MilestoneStatus::kDropped:
      return "dropped";
  }
  return "planned";
}

std::optional<MilestoneStatus> parse_milestone_status(std::string_view name) {
  for (auto s : kStatuses) {
    if (milestone_status_name(s) == name) return s;
  }
  return std::nullopt;
}

std::span<const MilestoneStatus> milestone_statuses() { return kStatuses; }

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kOngoing:
      return "ongoing";
    case Outcome::kAchieved:
      return "achieved";
    case Outcome::kPartly:
      return "partly";
    case Outcome::kNotAchieved:
      return "not-achieved";
  }
  return "ongoing";
}

std::optional<Outcome> parse_outcome(std::string_view name) {
  for (auto o : kOutcomes) {
    if (outcome_name(o) == name) return o;
  }
  return std::nullopt;
}

std::span<const Outcome> outcomes() { return kOutcomes; }

Result<core::TimePoint> parse_day(std::string_view field, std::string_view text) {
  const auto bad = [&] {
    return invalid_argument(fmt::format("The {} must be a date written YYYY-MM-DD.", field));
  };
  text = core::trim(text);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto num = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1990 || y > 2100 || m < 1 || d < 1) return bad();
  const std::chrono::year_month_day ymd{std::chrono::year(y),
                                        std::chrono::month(static_cast<unsigned>(m)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return bad();
  return core::TimePoint(std::chrono::sys_days(ymd));
}

std::string day_text(core::TimePoint t) { return core::to_iso8601(t).substr(0, 10); }

Result<CampaignId> Campaigns::start(AccountId delegate, const NewCampaign& in) {
  VECHE_TRY(check_title("title", in.title));
  if (core::trim(in.goal).empty()) return invalid_argument("The goal is missing.");
  VECHE_TRY(core::check_text("goal", in.goal, kMaxTextChars, /*multiline=*/true));
  std::vector<std::string> targets;
  for (const auto& t : in.targets) {
    const auto v = core::trim(t);
    if (v.empty()) continue;
    VECHE_TRY(core::check_text("target institution", v, kMaxTitleChars));
    targets.emplace_back(v);
  }
  if (targets.empty()) return invalid_argument("Name at least one target institution.");
  if (targets.size() > kMaxTargets) {
    return invalid_argument(fmt::format("At most {} target institutions.", kMaxTargets));
  }
  std::vector<std::string> orgs;
  for (const auto& o : in.organizations) {
    if (std::find(orgs.begin(), orgs.end(), o) == orgs.end()) orgs.push_back(o);
  }
  if (orgs.empty()) return invalid_argument("Choose at least one organization to run it.");
  if (orgs.size() > kMaxOrganizations) return invalid_argument("Too many organizations.");

  // The source, read through its module's public API before the write transaction.
  std::vector<std::int64_t> issues;
  if (in.source == Source::kMotion) {
    decisions::Motions motions(db_, clock_);
    auto m = motions.motion(decisions::MotionId(in.source_id));
    if (!m) {
      if (m.error().code == ErrorCode::kNotFound) return not_found("There is no such motion.");
      return std::move(m).error();
    }
    if (!m->decision || m->decision->outcome != decisions::Outcome::kPassed) {
      return failed_precondition("A campaign starts from a motion that has passed.");
    }
    issues = m->agenda_issues;
  } else {
    agenda::Agenda a(db_, clock_, key_);
    auto issue = a.issue(agenda::IssueId(in.source_id));
    if (!issue) {
      if (issue.error().code == ErrorCode::kNotFound) return not_found("There is no such issue.");
      return std::move(issue).error();
    }
    if (issue->state != agenda::IssueState::kAdmitted || issue->hidden_reason) {
      return failed_precondition("A campaign starts from an issue admitted to the agenda.");
    }
    issues = {in.source_id};
  }

  const auto now = clock_.now();
  CampaignId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    std::vector<std::int64_t> org_ids;
    std::string handle;
    for (const auto& slug : orgs) {
      VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(tx, slug));
      VECHE_ASSIGN_OR_RETURN(handle, delegate_handle(tx, delegate, org));
      org_ids.push_back(org);
    }
    VECHE_ASSIGN_OR_RETURN(
        const auto raw,
        tx.insert("INSERT INTO campaigns (title, goal, targets, source_kind, source_id, "
                  "started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {std::string(core::trim(in.title)), in.goal, join_lines(targets),
                   std::string(source_name(in.source)), in.source_id, handle, core::to_unix(now)}));
    id = CampaignId(raw);
    for (auto org : org_ids) {
      VECHE_TRY(
          tx.exec("INSERT INTO campaign_organizations (campaign_id, organization_id, "
                  "joined_at) VALUES (?, ?, ?)",
                  {raw, org, core::to_unix(now)}));
    }
    std::sort(issues.begin(), issues.end());
    issues.erase(std::unique(issues.begin(), issues.end()), issues.end());
    for (auto issue : issues) {
      VECHE_TRY(tx.exec("INSERT INTO campaign_issues (campaign_id, issue_id) VALUES (?, ?)",
                        {raw, issue}));
    }
    boost::json::array issue_list;
    for (auto i : issues) issue_list.push_back(i);
    VECHE_TRY(
        detail::append_log(tx, now, "campaign.started", subject_of(id),
                           {{"campaign", raw},
                            {"title", std::string(core::trim(in.title))},
                            {"goal", in.goal},
                            {"targets", json_strings(targets)},
                            {"organizations", json_strings(orgs)},
                            {"source", {{"kind", source_name(in.source)}, {"id", in.source_id}}},
                            {"issues", std::move(issue_list)},
                            {"by", handle}}));
    return ok();
  }));
  return id;
}

Status Campaigns::join(AccountId delegate, CampaignId id, std::string_view slug) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto c, tx.query("SELECT 1 FROM campaigns WHERE id = ?", {id.value()}));
    if (c.empty()) return not_found("There is no such campaign.");
    if (slug.empty()) return invalid_argument("Choose the organization that joins.");
    VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(tx, slug));
    VECHE_ASSIGN_OR_RETURN(const auto handle, delegate_handle(tx, delegate, org));
    auto s = tx.exec(
        "INSERT INTO campaign_organizations (campaign_id, organization_id, joined_at) VALUES "
        "(?, ?, ?)",
        {id.value(), org, core::to_unix(now)});
    if (!s) {
      if (s.error().code == ErrorCode::kAlreadyExists) {
        return already_exists("The organization runs this campaign already.");
      }
      return std::move(s).error();
    }
    VECHE_TRY(detail::append_log(
        tx, now, "campaign.joined", subject_of(id),
        {{"campaign", id.value()}, {"organization", std::string(slug)}, {"by", handle}}));
    return ok();
  });
}

Result<ActionId> Campaigns::record_action(AccountId delegate, CampaignId id, const NewAction& in) {
  NewAction a = in;
  const auto now = clock_.now();
  VECHE_TRY(check_action(a, now));
  ActionId action;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto who, running_delegate(tx, id, a.organization, delegate));
    VECHE_ASSIGN_OR_RETURN(
        const auto raw,
        tx.insert("INSERT INTO campaign_actions (campaign_id, kind, happened_on, title, "
                  "description, links, organization_id, recorded_by, recorded_at) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {id.value(), std::string(action_kind_name(a.kind)), core::to_unix(a.on), a.title,
                   a.description, join_lines(a.links), who.org, who.handle, core::to_unix(now)}));
    action = ActionId(raw);
    VECHE_TRY(refresh_counts(tx, id));
    VECHE_TRY(detail::append_log(tx, now, "action.recorded", subject_of(id),
                                 action_json(action, action, a, who.handle)));
    return ok();
  }));
  return action;
}

Result<ActionId> Campaigns::correct_action(AccountId delegate, CampaignId id, ActionId root_in,
                                           const NewAction& in, bool retract,
                                           std::string_view explanation) {
  const auto why = core::trim(explanation);
  if (why.empty()) return invalid_argument("A correction needs an explanation.");
  VECHE_TRY(core::check_text("explanation", why, kMaxExplanationChars, /*multiline=*/true));
  NewAction a = in;
  const auto now = clock_.now();
  if (!retract) VECHE_TRY(check_action(a, now));
  ActionId version;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto who, running_delegate(tx, id, a.organization, delegate));
    VECHE_ASSIGN_OR_RETURN(auto found,
                           tx.query("SELECT id, root_id FROM campaign_actions WHERE id = ? AND "
                                    "campaign_id = ?",
                                    {root_in.value(), id.value()}));
    if (found.empty()) return not_found("There is no such action in this campaign.");
    const std::int64_t root = found[0].is_null(1) ? found[0].int64(0) : found[0].int64(1);
    VECHE_ASSIGN_OR_RETURN(
        auto current,
        tx.query_one(fmt::format("SELECT {} FROM campaign_actions a JOIN organizations o ON "
                                 "o.id = a.organization_id WHERE (a.id = ? OR a.root_id = ?) AND "
                                 "a.superseded = 0",
                                 kActionColumns),
                     {root, root}, "the action's current version"));
    const Action cur = action_of(current);
    if (cur.retracted) return failed_precondition("This action was retracted.");
    if (retract) {
      a.kind = cur.kind;
      a.on = cur.on;
      a.title = cur.title;
      a.description = cur.description;
      a.links = cur.links;
    }
    VECHE_TRY(tx.exec("UPDATE campaign_actions SET superseded = 1 WHERE id = ?", {cur.id.value()}));
    VECHE_ASSIGN_OR_RETURN(
        const auto raw,
        tx.insert("INSERT INTO campaign_actions (campaign_id, root_id, kind, happened_on, title, "
                  "description, links, organization_id, recorded_by, recorded_at, retracted, "
                  "correction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {id.value(), root, std::string(action_kind_name(a.kind)), core::to_unix(a.on),
                   a.title, a.description, join_lines(a.links), who.org, who.handle,
                   core::to_unix(now), std::int64_t{retract ? 1 : 0}, std::string(why)}));
    version = ActionId(raw);
    VECHE_TRY(refresh_counts(tx, id));
    auto body = action_json(version, ActionId(root), a, who.handle);
    body["replaces"] = cur.id.value();
    body["retracted"] = retract;
    body["explanation"] = std::string(why);
    VECHE_TRY(detail::append_log(tx, now, "action.corrected", subject_of(id), body));
    return ok();
  }));
  return version;
}

Result<MilestoneId> Campaigns::add_milestone(AccountId delegate, CampaignId id,
                                             std::string_view organization, std::string_view title,
                                             std::optional<core::TimePoint> due) {
  VECHE_TRY(check_title("milestone", title));
  const auto now = clock_.now();
  MilestoneId m;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto who, running_delegate(tx, id, organization, delegate));
    store::Value due_value = nullptr;
    if (due) due_value = core::to_unix(*due);
    VECHE_ASSIGN_OR_RETURN(const auto raw,
                           tx.insert("INSERT INTO campaign_milestones (campaign_id, title, due_on) "
                                     "VALUES (?, ?, ?) RETURNING id",
                                     {id.value(), std::string(core::trim(title)), due_value}));
    m = MilestoneId(raw);
    VECHE_TRY(
        tx.exec("INSERT INTO campaign_milestone_updates (milestone_id, status, note, "
                "recorded_by, at) VALUES (?, 'planned', '', ?, ?)",
                {raw, who.handle, core::to_unix(now)}));
    boost::json::object body{{"milestone", raw},
                             {"title", std::string(core::trim(title))},
                             {"organization", std::string(organization)},
                             {"by", who.handle}};
    if (due) body["due"] = day_text(*due);
    VECHE_TRY(detail::append_log(tx, now, "milestone.added", subject_of(id), body));
    return ok();
  }));
  return m;
}

Status Campaigns::update_milestone(AccountId delegate, CampaignId id, MilestoneId m,
                                   std::string_view organization, MilestoneStatus status,
                                   std::string_view note) {
  VECHE_TRY(core::check_text("note", core::trim(note), kMaxNoteChars, /*multiline=*/true));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto who, running_delegate(tx, id, organization, delegate));
    VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT 1 FROM campaign_milestones WHERE id = ? AND "
                                               "campaign_id = ?",
                                               {m.value(), id.value()}));
    if (rows.empty()) return not_found("There is no such milestone in this campaign.");
    const std::string name(milestone_status_name(status));
    VECHE_TRY(
        tx.exec("INSERT INTO campaign_milestone_updates (milestone_id, status, note, "
                "recorded_by, at) VALUES (?, ?, ?, ?, ?)",
                {m.value(), name, std::string(core::trim(note)), who.handle, core::to_unix(now)}));
    VECHE_TRY(tx.exec("UPDATE campaign_milestones SET status = ? WHERE id = ?", {name, m.value()}));
    VECHE_TRY(detail::append_log(tx, now, "milestone.updated", subject_of(id),
                                 {{"milestone", m.value()},
                                  {"status", name},
                                  {"note", std::string(core::trim(note))},
                                  {"organization", std::string(organization)},
                                  {"by", who.handle}}));
    return ok();
  });
}

Status Campaigns::record_outcome(AccountId delegate, CampaignId id, std::string_view organization,
                                 Outcome outcome, std::string_view evidence,
                                 const std::vector<std::string>& links_in) {
  const auto text = core::trim(evidence);
  if (outcome != Outcome::kOngoing && text.empty()) {
    return invalid_argument("An outcome needs its evidence.");
  }
  VECHE_TRY(core::check_text("evidence", text, kMaxTextChars, /*multiline=*/true));
  VECHE_ASSIGN_OR_RETURN(auto links, check_links(links_in));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto who, running_delegate(tx, id, organization, delegate));
    const std::string name(outcome_name(outcome));
    VECHE_TRY(tx.exec(
        "INSERT INTO campaign_outcomes (campaign_id, outcome, evidence, links, "
        "recorded_by, at) VALUES (?, ?, ?, ?, ?, ?)",
        {id.value(), name, std::string(text), join_lines(links), who.handle, core::to_unix(now)}));
    store::Value at = nullptr;
    if (outcome != Outcome::kOngoing) at = core::to_unix(now);
    VECHE_TRY(tx.exec("UPDATE campaigns SET outcome = ?, outcome_at = ? WHERE id = ?",
                      {name, at, id.value()}));
    VECHE_TRY(detail::append_log(tx, now, "outcome.recorded", subject_of(id),
                                 {{"outcome", name},
                                  {"evidence", std::string(text)},
                                  {"links", json_strings(links)},
                                  {"organization", std::string(organization)},
                                  {"by", who.handle}}));
    return ok();
  });
}

Result<PetitionId> Campaigns::open_petition(AccountId delegate, CampaignId id,
                                            std::string_view organization, std::string_view title,
                                            std::string_view text,
                                            std::optional<core::TimePoint> closes) {
  VECHE_TRY(check_title("petition title", title));
  if (core::trim(text).empty()) return invalid_argument("The petition needs its text.");
  VECHE_TRY(core::check_text("petition text", text, kMaxTextChars, /*multiline=*/true));
  const auto now = clock_.now();
  if (closes && *closes <= now) return invalid_argument("The closing date must be in the future.");
  if (closes && *closes > now + kMaxAhead) {
    return invalid_argument("The closing date is more than a year ahead.");
  }
  PetitionId p;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto who, running_delegate(tx, id, organization, delegate));
    store::Value closes_value = nullptr;
    if (closes) closes_value = core::to_unix(*closes);
    VECHE_ASSIGN_OR_RETURN(
        const auto raw,
        tx.insert("INSERT INTO campaign_petitions (campaign_id, title, body, opened_at, "
                  "closes_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                  {id.value(), std::string(core::trim(title)), std::string(text),
                   core::to_unix(now), closes_value}));
    p = PetitionId(raw);
    const auto today = core::TimePoint(std::chrono::floor<std::chrono::days>(now));
    VECHE_TRY(
        tx.exec("INSERT INTO campaign_actions (campaign_id, kind, happened_on, title, "
                "description, links, organization_id, recorded_by, recorded_at) VALUES "
                "(?, 'petition', ?, ?, ?, '', ?, ?, ?)",
                {id.value(), core::to_unix(today), std::string(core::trim(title)),
                 fmt::format("Petition {} opened for signatures.", raw), who.org, who.handle,
                 core::to_unix(now)}));
    VECHE_TRY(refresh_counts(tx, id));
    boost::json::object body{{"petition", raw},
                             {"title", std::string(core::trim(title))},
                             {"text", std::string(text)},
                             {"organization", std::string(organization)},
                             {"by", who.handle}};
    if (closes) body["closes"] = core::to_iso8601(*closes);
    VECHE_TRY(detail::append_log(tx, now, "petition.opened", subject_of(id), body));
    return ok();
  }));
  return p;
}

Result<SignatureReceipt> Campaigns::sign(AccountId account, PetitionId id,
                                         std::string_view public_name) {
  const auto name = core::trim(public_name);
  VECHE_TRY(core::check_text("public name", name, kMaxPublicNameChars));
  crypto::Bytes raw(32);
  rng_.fill(std::as_writable_bytes(std::span(raw)));
  SignatureReceipt receipt;
  receipt.receipt = crypto::to_base32(raw);
  receipt.signature_hash = signature_hash(id.value(), receipt.receipt);
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto role, tx.query("SELECT 1 FROM account_roles WHERE account_id = ? "
                                               "AND role = 'constituent'",
                                               {account.value()}));
    if (role.empty()) return permission_denied("Only constituents may sign petitions.");
    VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT closes_at, signatures FROM "
                                               "campaign_petitions WHERE id = ?",
                                               {id.value()}));
    if (rows.empty()) return not_found("There is no such petition.");
    if (!rows[0].is_null(0) && core::from_unix(rows[0].int64(0)) <= now) {
      return failed_precondition("This petition is closed.");
    }
    store::Value name_value = nullptr;
    if (!name.empty()) name_value = std::string(name);
    auto s = tx.exec(
        "INSERT INTO campaign_signatures (petition_id, signer_key, signature_hash, "
        "public_name) VALUES (?, ?, ?, ?)",
        {id.value(), signer_key(key_, id, account), receipt.signature_hash, name_value});
    if (!s) {
      if (s.error().code == ErrorCode::kAlreadyExists) {
        return already_exists("You have signed this petition already.");
      }
      return std::move(s).error();
    }
    VECHE_TRY(tx.exec("UPDATE campaign_petitions SET signatures = signatures + 1 WHERE id = ?",
                      {id.value()}));
    receipt.count = rows[0].int64(1) + 1;
    return ok();
  }));
  return receipt;
}

Result<bool> Campaigns::has_signed(AccountId account, PetitionId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT 1 FROM campaign_signatures WHERE "
                                              "petition_id = ? AND signer_key = ?",
                                              {id.value(), signer_key(key_, id, account)}));
  return !rows.empty();
}

Result<PetitionSummary> Campaigns::petition(PetitionId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto row,
      tx->query(fmt::format("SELECT {} FROM campaign_petitions p JOIN campaigns c ON c.id = "
                            "p.campaign_id WHERE p.id = ?",
                            kPetitionColumns),
                {id.value()}));
  if (row.empty()) return not_found("There is no such petition.");
  return petition_of(row[0], clock_.now());
}

Result<PublishedSignatures> Campaigns::published_signatures(PetitionId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto p, tx->query("SELECT title FROM campaign_petitions WHERE id = ?", {id.value()}));
  if (p.empty()) return not_found("There is no such petition.");
  PublishedSignatures out;
  out.petition = id;
  out.title = p[0].text(0);
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT signature_hash, public_name FROM "
                                              "campaign_signatures WHERE petition_id = ?",
                                              {id.value()}));
  for (const auto& r : rows) {
    out.hashes.push_back(r.text(0));
    if (!r.is_null(1)) out.public_names.push_back(r.text(1));
  }
  // Sorted, so the order says nothing about who signed when.
  std::sort(out.hashes.begin(), out.hashes.end());
  std::sort(out.public_names.begin(), out.public_names.end());
  out.count = static_cast<std::int64_t>(out.hashes.size());
  out.digest = list_digest(id.value(), out.hashes);
  return out;
}

Result<Campaign> Campaigns::campaign(CampaignId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT title, goal, targets, source_kind, source_id, started_by, "
                           "started_at, outcome, outcome_at FROM campaigns WHERE id = ?",
                           {id.value()}));
  if (rows.empty()) return not_found("There is no such campaign.");
  const auto& r = rows[0];
  Campaign c;
  c.id = id;
  c.title = r.text(0);
  c.goal = r.text(1);
  c.targets = split_lines(r.text(2));
  c.source = r.text(3) == "motion" ? Source::kMotion : Source::kIssue;
  c.source_id = r.int64(4);
  c.started_by = r.text(5);
  c.started_at = core::from_unix(r.int64(6));
  c.outcome = parse_outcome(r.text(7)).value_or(Outcome::kOngoing);
  if (!r.is_null(8)) c.outcome_at = core::from_unix(r.int64(8));
  VECHE_ASSIGN_OR_RETURN(
      auto orgs, tx->query("SELECT o.slug FROM campaign_organizations co JOIN organizations o ON "
                           "o.id = co.organization_id WHERE co.campaign_id = ? ORDER BY "
                           "co.joined_at, o.slug",
                           {id.value()}));
  for (const auto& o : orgs) c.organizations.push_back(o.text(0));
  VECHE_ASSIGN_OR_RETURN(auto issues, tx->query("SELECT issue_id FROM campaign_issues WHERE "
                                                "campaign_id = ? ORDER BY issue_id",
                                                {id.value()}));
  for (const auto& i : issues) c.issues.push_back(i.int64(0));
  VECHE_ASSIGN_OR_RETURN(
      auto actions,
      tx->query(fmt::format("SELECT {} FROM campaign_actions a JOIN organizations o ON o.id = "
                            "a.organization_id WHERE a.campaign_id = ? ORDER BY a.id",
                            kActionColumns),
                {id.value()}));
  std::map<std::int64_t, std::vector<Action>> earlier;  // by root, oldest first
  for (const auto& row : actions) {
    Action a = action_of(row);
    if (row.int64(12) != 0) {
      earlier[a.root.value()].push_back(std::move(a));
    } else {
      c.actions.push_back(std::move(a));
    }
  }
  for (auto& a : c.actions) {
    if (auto it = earlier.find(a.root.value()); it != earlier.end()) {
      a.earlier.assign(it->second.rbegin(), it->second.rend());
    }
  }
  std::stable_sort(c.actions.begin(), c.actions.end(), [](const Action& x, const Action& y) {
    return x.on != y.on ? x.on < y.on : x.root < y.root;
  });
  VECHE_ASSIGN_OR_RETURN(auto ms, tx->query("SELECT id, title, due_on, status FROM "
                                            "campaign_milestones WHERE campaign_id = ? ORDER BY id",
                                            {id.value()}));
  std::map<std::int64_t, std::size_t> at;
  for (const auto& m : ms) {
    Milestone x;
    x.id = MilestoneId(m.int64(0));
    x.title = m.text(1);
    if (!m.is_null(2)) x.due = core::from_unix(m.int64(2));
    x.status = parse_milestone_status(m.text(3)).value_or(MilestoneStatus::kPlanned);
    at[x.id.value()] = c.milestones.size();
    c.milestones.push_back(std::move(x));
  }
  VECHE_ASSIGN_OR_RETURN(
      auto updates,
      tx->query("SELECT u.milestone_id, u.status, u.note, u.recorded_by, u.at FROM "
                "campaign_milestone_updates u JOIN campaign_milestones m ON m.id = u.milestone_id "
                "WHERE m.campaign_id = ? ORDER BY u.id",
                {id.value()}));
  for (const auto& u : updates) {
    if (auto it = at.find(u.int64(0)); it != at.end()) {
      c.milestones[it->second].updates.push_back(
          MilestoneUpdate{parse_milestone_status(u.text(1)).value_or(MilestoneStatus::kPlanned),
                          u.text(2), u.text(3), core::from_unix(u.int64(4))});
    }
  }
  VECHE_ASSIGN_OR_RETURN(auto outs, tx->query("SELECT outcome, evidence, links, recorded_by, at "
                                              "FROM campaign_outcomes WHERE campaign_id = ? "
                                              "ORDER BY id",
                                              {id.value()}));
  for (const auto& o : outs) {
    c.outcome_history.push_back(OutcomeRecord{parse_outcome(o.text(0)).value_or(Outcome::kOngoing),
                                              o.text(1), split_lines(o.text(2)), o.text(3),
                                              core::from_unix(o.int64(4))});
  }
  VECHE_ASSIGN_OR_RETURN(
      auto ps, tx->query(fmt::format("SELECT {} FROM campaign_petitions p JOIN campaigns c ON "
                                     "c.id = p.campaign_id WHERE p.campaign_id = ? ORDER BY p.id",
                                     kPetitionColumns),
                         {id.value()}));
  for (const auto& p : ps) c.petitions.push_back(petition_of(p, clock_.now()));
  return c;
}

Result<std::vector<CampaignSummary>> Campaigns::list(const CampaignFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 5000) {
    return invalid_argument("limit must be between 1 and 5000.");
  }
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  if (filter.organization.empty()) {
    return summaries(*tx, "SELECT id FROM campaigns", {}, filter.outcome, filter.limit);
  }
  VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(*tx, filter.organization));
  return summaries(*tx, "SELECT campaign_id FROM campaign_organizations WHERE organization_id = ?",
                   {org}, filter.outcome, filter.limit);
}

Result<TrackRecord> Campaigns::organization_record(std::string_view slug) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(const auto org, organization_id(*tx, slug));
  VECHE_ASSIGN_OR_RETURN(
      auto list,
      summaries(*tx, "SELECT campaign_id FROM campaign_organizations WHERE organization_id = ?",
                {org}, std::nullopt, 100'000));
  return record_of(std::move(list));
}

Result<TrackRecord> Campaigns::issue_record(std::int64_t issue) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto list, summaries(*tx, "SELECT campaign_id FROM campaign_issues WHERE issue_id = ?",
                           {issue}, std::nullopt, 100'000));
  return record_of(std::move(list));
}

Result<std::vector<std::string>> Campaigns::delegate_of(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx->query("SELECT o.slug FROM account_roles r JOIN organizations o ON "
                                   "o.id = r.organization_id WHERE r.account_id = ? AND r.role = "
                                   "'delegate' ORDER BY o.slug",
                                   {account.value()}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace veche::campaigns
