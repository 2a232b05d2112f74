#include "veche/agenda/agenda.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "veche/agenda/outbox.hpp"
#include "veche/core/text.hpp"
#include "veche/count/methods.hpp"
#include "veche/count/output.hpp"
#include "veche/count/profile.hpp"
#include "veche/crypto/password.hpp"

namespace veche::agenda {

namespace {

constexpr std::array<std::string_view, 9> kTags = {
    "banking",   "vehicles",  "visas-and-residence", "asylum-and-deserters",
    "sanctions", "documents", "education",           "work",
    "other"};

constexpr int kMaxListLimit = 1000;
constexpr std::size_t kMaxRoundIssues = 200;

using registry::AccountId;

std::string join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.push_back(sep);
    out += p;
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto pos = text.find(sep);
    out.emplace_back(text.substr(0, pos));
    if (pos == std::string_view::npos) break;
    text.remove_prefix(pos + 1);
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<IssueState> state_from(std::string_view s) {
  if (s == "proposed") return IssueState::kProposed;
  if (s == "admitted") return IssueState::kAdmitted;
  if (s == "merged") return IssueState::kMerged;
  return data_loss("unknown issue state in the database");
}

Status check_reason(std::string_view field, std::string_view reason) {
  VECHE_TRY(core::check_text(field, reason, kMaxReasonChars, /*multiline=*/true));
  if (core::trim(reason).empty()) return invalid_argument(std::string(field) + " is required");
  return ok();
}

Result<bool> has_role(store::Transaction& tx, AccountId account,
                      std::initializer_list<std::string_view> roles) {
  for (auto role : roles) {
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = ?",
                                    {account.value(), std::string(role)}));
    if (!rows.empty()) return true;
  }
  return false;
}

Status require_constituent(store::Transaction& tx, AccountId account) {
  VECHE_ASSIGN_OR_RETURN(bool yes, has_role(tx, account, {"constituent"}));
  if (!yes) return permission_denied("only constituents may do this");
  return ok();
}

// `actor` invalid: the operator at the command line.
Status require_moderator(store::Transaction& tx, AccountId actor) {
  if (!actor.valid()) return ok();
  VECHE_ASSIGN_OR_RETURN(bool yes, has_role(tx, actor, {"moderator", "operator"}));
  if (!yes) return permission_denied("only moderators and operators may do this");
  return ok();
}

Status add_event(store::Transaction& tx, IssueId issue, core::TimePoint at, std::string_view kind,
                 std::string_view detail, AccountId actor) {
  if (actor.valid()) {
    VECHE_TRY(tx.exec(
        "INSERT INTO agenda_events (issue_id, at, kind, detail, actor_id) VALUES (?, ?, ?, ?, ?)",
        {issue.value(), core::to_unix(at), std::string(kind), std::string(detail), actor.value()}));
  } else {
    VECHE_TRY(tx.exec("INSERT INTO agenda_events (issue_id, at, kind, detail) VALUES (?, ?, ?, ?)",
                      {issue.value(), core::to_unix(at), std::string(kind), std::string(detail)}));
  }
  return ok();
}

Result<std::int64_t> threshold_in(store::Transaction& tx) {
  VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT threshold FROM agenda_settings"));
  if (rows.empty()) return kDefaultThreshold;
  return rows[0].int64(0);
}

struct IssueRow {
  IssueState state;
  bool hidden;
  std::int64_t supports;
  std::optional<std::int64_t> merged_into;
  std::optional<std::int64_t> author;
  bool appeal_pending;
};

Result<IssueRow> issue_row(store::Transaction& tx, IssueId id) {
  VECHE_ASSIGN_OR_RETURN(
      auto row,
      tx.query_one("SELECT state, hidden_reason, supports, merged_into, author_id, appeal_pending "
                   "FROM agenda_issues WHERE id = ?",
                   {id.value()}, "issue " + id.str()));
  VECHE_ASSIGN_OR_RETURN(auto state, state_from(row.text(0)));
  return IssueRow{
      state, !row.is_null(1), row.int64(2), row.opt_int64(3), row.opt_int64(4), row.int64(5) != 0};
}

// Admits `id` when it is proposed and has reached the threshold.
Status admit_if_due(store::Transaction& tx, IssueId id, std::int64_t supports,
                    std::int64_t threshold, core::TimePoint now) {
  if (supports < threshold) return ok();
  VECHE_ASSIGN_OR_RETURN(auto changed,
                         tx.exec("UPDATE agenda_issues SET state = 'admitted', admitted_at = ? "
                                 "WHERE id = ? AND state = 'proposed'",
                                 {core::to_unix(now), id.value()}));
  if (changed == 0) return ok();
  VECHE_TRY(add_event(tx, id, now, "admitted", fmt::format("{} supports", supports), AccountId{}));
  return enqueue(tx, "agenda.issue.admitted",
                 fmt::format(R"({{"issue":{},"supports":{}}})", id.value(), supports), now);
}

Result<std::int64_t> recount_supports(store::Transaction& tx, IssueId id) {
  VECHE_ASSIGN_OR_RETURN(auto row,
                         tx.query_one("SELECT COUNT(*) FROM agenda_supports WHERE issue_id = ?",
                                      {id.value()}, "supports"));
  std::int64_t n = row.int64(0);
  VECHE_TRY(tx.exec("UPDATE agenda_issues SET supports = ? WHERE id = ?", {n, id.value()}));
  return n;
}

std::string voter_key(const crypto::SecretBytes& key, RoundId round, AccountId account) {
  auto digest = crypto::keyed_hash(key, "agenda-ballot",
                                   fmt::format("{}/{}", round.value(), account.value()));
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

store::Blob to_blob(const std::string& s) {
  store::Blob b(s.size());
  std::transform(s.begin(), s.end(), b.begin(), [](char c) { return static_cast<std::byte>(c); });
  return b;
}

std::string encode_ballot(const Ballot& ballot) {
  std::string out;
  for (auto id : ballot) {
    if (!out.empty()) out.push_back(',');
    out += id.str();
  }
  return out;
}

Ballot decode_ballot(std::string_view text) {
  Ballot out;
  for (const auto& part : split(text, ',')) {
    if (auto v = parse_int(part)) out.emplace_back(*v);
  }
  return out;
}

std::string encode_ranking(const std::vector<std::vector<IssueId>>& ranking) {
  std::string out;
  for (const auto& level : ranking) {
    if (!out.empty()) out.push_back(';');
    out += encode_ballot(level);
  }
  return out;
}

std::vector<std::vector<IssueId>> decode_ranking(std::string_view text) {
  std::vector<std::vector<IssueId>> out;
  if (text.empty()) return out;
  for (const auto& level : split(text, ';')) out.push_back(decode_ballot(level));
  return out;
}

RoundPhase phase_of(core::TimePoint now, core::TimePoint opens, core::TimePoint closes,
                    bool counted) {
  if (counted) return RoundPhase::kCounted;
  if (now < opens) return RoundPhase::kScheduled;
  if (now < closes) return RoundPhase::kOpen;
  return RoundPhase::kClosed;
}

Result<Round> round_in(store::Transaction& tx, RoundId id, core::TimePoint now, bool full) {
  VECHE_ASSIGN_OR_RETURN(
      auto row,
      tx.query_one("SELECT title, method, opens_at, closes_at, counted_at, ballots, ranking, "
                   "report_json, report_text FROM agenda_rounds WHERE id = ?",
                   {id.value()}, "round " + id.str()));
  Round r;
  r.id = id;
  r.title = row.text(0);
  VECHE_ASSIGN_OR_RETURN(r.method, parse_method(row.text(1)));
  r.opens_at = core::from_unix(row.int64(2));
  r.closes_at = core::from_unix(row.int64(3));
  if (auto c = row.opt_int64(4)) r.counted_at = core::from_unix(*c);
  r.phase = phase_of(now, r.opens_at, r.closes_at, r.counted_at.has_value());
  r.ballots = row.int64(5);
  if (auto ranking = row.opt_text(6)) r.ranking = decode_ranking(*ranking);
  if (full) {
    r.report_json = row.opt_text(7).value_or("");
    r.report_text = row.opt_text(8).value_or("");
  }
  VECHE_ASSIGN_OR_RETURN(
      auto issues, tx.query("SELECT issue_id, title FROM agenda_round_issues WHERE round_id = ? "
                            "ORDER BY position",
                            {id.value()}));
  for (const auto& i : issues) r.issues.push_back({IssueId(i.int64(0)), i.text(1)});
  return r;
}

// The mandate's order from a report: its ranking when the method gives one; otherwise (IRV)
// the winners, then those still standing, then the others in reverse order of exclusion.
std::vector<std::vector<int>> ranking_of(const count::Report& report) {
  if (!report.ranking.empty()) return report.ranking;
  std::vector<std::vector<int>> out;
  std::set<int> placed;
  for (int w : report.winners) {
    out.push_back({w});
    placed.insert(w);
  }
  std::vector<int> excluded;
  for (const auto& round : report.rounds) {
    for (int e : round.excluded) excluded.push_back(e);
  }
  // Those neither elected nor excluded (the count stopped at a majority) come next, tied.
  std::vector<int> rest;
  for (int c = 0; c < static_cast<int>(report.candidates.size()); ++c) {
    if (!placed.count(c) && std::find(excluded.begin(), excluded.end(), c) == excluded.end()) {
      rest.push_back(c);
      placed.insert(c);
    }
  }
  if (!rest.empty()) out.push_back(rest);
  for (auto it = excluded.rbegin(); it != excluded.rend(); ++it) {
    if (placed.insert(*it).second) out.push_back({*it});
  }
  return out;
}

}  // namespace

std::span<const std::string_view> tags() { return kTags; }

bool is_tag(std::string_view tag) {
  return std::find(kTags.begin(), kTags.end(), tag) != kTags.end();
}

std::string_view state_name(IssueState state) {
  switch (state) {
    case IssueState::kProposed:
      return "proposed";
    case IssueState::kAdmitted:
      return "admitted";
    case IssueState::kMerged:
      return "merged";
  }
  return "proposed";
}

std::string_view method_name(RoundMethod method) {
  switch (method) {
    case RoundMethod::kSchulze:
      return "schulze";
    case RoundMethod::kApproval:
      return "approval";
    case RoundMethod::kInstantRunoff:
      return "irv";
  }
  return "schulze";
}

Result<RoundMethod> parse_method(std::string_view name) {
  if (name == "schulze") return RoundMethod::kSchulze;
  if (name == "approval") return RoundMethod::kApproval;
  if (name == "irv" || name == "instant-runoff") return RoundMethod::kInstantRunoff;
  return invalid_argument("the method must be schulze, approval or irv");
}

bool is_ranked(RoundMethod method) { return method != RoundMethod::kApproval; }

std::string_view phase_name(RoundPhase phase) {
  switch (phase) {
    case RoundPhase::kScheduled:
      return "scheduled";
    case RoundPhase::kOpen:
      return "open";
    case RoundPhase::kClosed:
      return "closed";
    case RoundPhase::kCounted:
      return "counted";
  }
  return "scheduled";
}

Result<NewIssue> check_issue(NewIssue issue) {
  issue.title = std::string(core::trim(issue.title));
  VECHE_TRY(core::check_text("title", issue.title, kMaxTitleChars));
  if (issue.title.empty()) return invalid_argument("title is required");
  if (issue.body.size() > kMaxBodyBytes) {
    return invalid_argument(fmt::format("description is longer than {} bytes", kMaxBodyBytes));
  }
  VECHE_TRY(core::check_text("description", issue.body, kMaxBodyBytes, /*multiline=*/true));
  std::vector<std::string> countries;
  for (auto c : issue.countries) {
    std::string code(core::trim(c));
    if (code.empty()) continue;
    if (code.size() != 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
        !std::isalpha(static_cast<unsigned char>(code[1]))) {
      return invalid_argument("countries must be two-letter codes such as DE or GE");
    }
    for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (std::find(countries.begin(), countries.end(), code) == countries.end()) {
      countries.push_back(code);
    }
  }
  if (countries.size() > kMaxCountries) {
    return invalid_argument(fmt::format("at most {} countries", kMaxCountries));
  }
  issue.countries = std::move(countries);
  std::vector<std::string> groups;
  for (const auto& g : issue.groups) {
    std::string group(core::trim(g));
    if (group.empty()) continue;
    VECHE_TRY(core::check_text("groups", group, kMaxGroupChars));
    if (group.find(',') != std::string::npos) {
      return invalid_argument("a group may not contain a comma");
    }
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
  }
  if (groups.size() > kMaxGroups)
    return invalid_argument(fmt::format("at most {} groups", kMaxGroups));
  issue.groups = std::move(groups);
  std::vector<std::string> tag_list;
  for (const auto& t : issue.tags) {
    if (!is_tag(t)) return invalid_argument("unknown tag: choose from the list");
    if (std::find(tag_list.begin(), tag_list.end(), t) == tag_list.end()) tag_list.push_back(t);
  }
  if (tag_list.empty()) return invalid_argument("choose at least one tag");
  issue.tags = std::move(tag_list);
  return issue;
}

Agenda::Agenda(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key)
    : db_(db), clock_(clock), key_(key) {}

Result<std::int64_t> Agenda::threshold() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return threshold_in(*tx);
}

Status Agenda::set_threshold(std::int64_t supports) {
  if (supports < 1 || supports > kMaxThreshold) {
    return invalid_argument(fmt::format("the threshold must be between 1 and {}", kMaxThreshold));
  }
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(
        tx.exec("INSERT INTO agenda_settings (id, threshold) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET threshold = excluded.threshold",
                {supports}));
    VECHE_ASSIGN_OR_RETURN(auto due,
                           tx.query("SELECT id, supports FROM agenda_issues "
                                    "WHERE state = 'proposed' AND supports >= ? ORDER BY id",
                                    {supports}));
    for (const auto& r : due) {
      VECHE_TRY(admit_if_due(tx, IssueId(r.int64(0)), r.int64(1), supports, now));
    }
    return ok();
  });
}

Result<IssueId> Agenda::raise(AccountId author, NewIssue issue) {
  VECHE_ASSIGN_OR_RETURN(auto checked, check_issue(std::move(issue)));
  const auto now = clock_.now();
  IssueId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_constituent(tx, author));
    VECHE_ASSIGN_OR_RETURN(
        auto raw, tx.insert("INSERT INTO agenda_issues (title, body, groups_text, author_id, "
                            "created_at, state) VALUES (?, ?, ?, ?, ?, 'proposed') RETURNING id",
                            {checked.title, checked.body, join(checked.groups, ','), author.value(),
                             core::to_unix(now)}));
    id = IssueId(raw);
    for (const auto& t : checked.tags) {
      VECHE_TRY(tx.exec("INSERT INTO agenda_issue_tags (issue_id, tag) VALUES (?, ?)", {raw, t}));
    }
    for (const auto& c : checked.countries) {
      VECHE_TRY(tx.exec("INSERT INTO agenda_issue_countries (issue_id, country) VALUES (?, ?)",
                        {raw, c}));
    }
    VECHE_TRY(add_event(tx, id, now, "raised", "", AccountId{}));
    return enqueue(tx, "agenda.issue.raised", fmt::format(R"({{"issue":{}}})", raw), now);
  }));
  return id;
}

Result<Issue> Agenda::issue(IssueId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto row,
      tx->query_one("SELECT title, body, groups_text, created_at, state, admitted_at, "
                    "merged_into, hidden_reason, appeal_pending, supports FROM agenda_issues "
                    "WHERE id = ?",
                    {id.value()}, "issue " + id.str()));
  Issue out;
  out.id = id;
  out.title = row.text(0);
  out.body = row.text(1);
  out.groups = split(row.text(2), ',');
  out.created_at = core::from_unix(row.int64(3));
  VECHE_ASSIGN_OR_RETURN(out.state, state_from(row.text(4)));
  if (auto a = row.opt_int64(5)) out.admitted_at = core::from_unix(*a);
  if (auto m = row.opt_int64(6)) out.merged_into = IssueId(*m);
  out.hidden_reason = row.opt_text(7);
  if (out.hidden_reason) out.body.clear();
  out.appeal_pending = row.int64(8) != 0;
  out.supports = row.int64(9);
  VECHE_ASSIGN_OR_RETURN(
      auto tag_rows,
      tx->query("SELECT tag FROM agenda_issue_tags WHERE issue_id = ? ORDER BY tag", {id.value()}));
  for (const auto& t : tag_rows) out.tags.push_back(t.text(0));
  VECHE_ASSIGN_OR_RETURN(auto country_rows,
                         tx->query("SELECT country FROM agenda_issue_countries WHERE issue_id = ? "
                                   "ORDER BY country",
                                   {id.value()}));
  for (const auto& c : country_rows) out.countries.push_back(c.text(0));
  return out;
}

Result<std::vector<IssueEvent>> Agenda::history(IssueId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(
      tx->query_one("SELECT 1 FROM agenda_issues WHERE id = ?", {id.value()}, "issue " + id.str()));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT at, kind, detail FROM agenda_events WHERE issue_id = ? ORDER BY id",
                {id.value()}));
  std::vector<IssueEvent> out;
  for (const auto& r : rows) out.push_back({core::from_unix(r.int64(0)), r.text(1), r.text(2)});
  return out;
}

Result<std::vector<Issue>> Agenda::list(const IssueFilter& filter) const {
  if (!filter.tag.empty() && !is_tag(filter.tag)) return invalid_argument("unknown tag");
  std::string country(filter.country);
  if (!country.empty()) {
    if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
        !std::isalpha(static_cast<unsigned char>(country[1]))) {
      return invalid_argument("the country must be a two-letter code");
    }
    for (char& ch : country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  if (filter.limit < 1 || filter.limit > kMaxListLimit) {
    return invalid_argument(fmt::format("limit must be between 1 and {}", kMaxListLimit));
  }
  std::string sql =
      "SELECT i.id, i.title, i.groups_text, i.created_at, i.state, i.admitted_at, i.merged_into, "
      "i.hidden_reason, i.appeal_pending, i.supports FROM agenda_issues i WHERE 1 = 1";
  std::vector<store::Value> params;
  if (!filter.include_merged) sql += " AND i.state <> 'merged'";
  if (!filter.tag.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM agenda_issue_tags t WHERE t.issue_id = i.id AND t.tag = ?)";
    params.emplace_back(filter.tag);
  }
  if (!country.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM agenda_issue_countries c WHERE c.issue_id = i.id AND "
        "c.country = ?)";
    params.emplace_back(country);
  }
  sql += filter.sort == SortOrder::kSupports ? " ORDER BY i.supports DESC, i.id"
                                             : " ORDER BY i.id DESC";
  if (filter.offset < 0 || filter.offset > 1'000'000) {
    return invalid_argument("offset must be between 0 and 1000000");
  }
  sql += " LIMIT ? OFFSET ?";
  params.emplace_back(std::int64_t{filter.limit});
  params.emplace_back(filter.offset);
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query(sql, params));
  std::vector<Issue> out;
  out.reserve(rows.size());
  std::map<std::int64_t, std::size_t> index;
  for (const auto& row : rows) {
    Issue i;
    i.id = IssueId(row.int64(0));
    i.title = row.text(1);
    i.groups = split(row.text(2), ',');
    i.created_at = core::from_unix(row.int64(3));
    VECHE_ASSIGN_OR_RETURN(i.state, state_from(row.text(4)));
    if (auto a = row.opt_int64(5)) i.admitted_at = core::from_unix(*a);
    if (auto m = row.opt_int64(6)) i.merged_into = IssueId(*m);
    i.hidden_reason = row.opt_text(7);
    i.appeal_pending = row.int64(8) != 0;
    i.supports = row.int64(9);
    index[i.id.value()] = out.size();
    out.push_back(std::move(i));
  }
  if (out.empty()) return out;
  // Tags and countries of the page's issues, in two queries bounded by the page's id range.
  std::int64_t lo = index.begin()->first;
  std::int64_t hi = index.rbegin()->first;
  VECHE_ASSIGN_OR_RETURN(auto tag_rows,
                         tx->query("SELECT issue_id, tag FROM agenda_issue_tags "
                                   "WHERE issue_id BETWEEN ? AND ? ORDER BY issue_id, tag",
                                   {lo, hi}));
  for (const auto& t : tag_rows) {
    auto it = index.find(t.int64(0));
    if (it != index.end()) out[it->second].tags.push_back(t.text(1));
  }
  VECHE_ASSIGN_OR_RETURN(auto country_rows,
                         tx->query("SELECT issue_id, country FROM agenda_issue_countries "
                                   "WHERE issue_id BETWEEN ? AND ? ORDER BY issue_id, country",
                                   {lo, hi}));
  for (const auto& c : country_rows) {
    auto it = index.find(c.int64(0));
    if (it != index.end()) out[it->second].countries.push_back(c.text(1));
  }
  return out;
}

Result<std::int64_t> Agenda::support(AccountId account, IssueId id) {
  const auto now = clock_.now();
  std::int64_t count = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_constituent(tx, account));
    VECHE_ASSIGN_OR_RETURN(auto row, issue_row(tx, id));
    if (row.state == IssueState::kMerged) {
      return failed_precondition(
          fmt::format("this issue was merged into issue {}", row.merged_into.value_or(0)));
    }
    if (row.hidden) return failed_precondition("this issue is hidden by the moderators");
    VECHE_ASSIGN_OR_RETURN(
        auto added, tx.exec("INSERT INTO agenda_supports (issue_id, account_id) VALUES (?, ?) "
                            "ON CONFLICT DO NOTHING",
                            {id.value(), account.value()}));
    if (added == 0) return already_exists("you already support this issue");
    VECHE_ASSIGN_OR_RETURN(auto updated,
                           tx.query("UPDATE agenda_issues SET supports = supports + 1 WHERE id = ? "
                                    "RETURNING supports",
                                    {id.value()}));
    count = updated.at(0).int64(0);
    if (row.state == IssueState::kProposed) {
      VECHE_ASSIGN_OR_RETURN(auto threshold, threshold_in(tx));
      VECHE_TRY(admit_if_due(tx, id, count, threshold, now));
    }
    return ok();
  }));
  return count;
}

Result<std::int64_t> Agenda::withdraw(AccountId account, IssueId id) {
  std::int64_t count = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto row, issue_row(tx, id));
    if (row.state == IssueState::kMerged) {
      return failed_precondition(
          fmt::format("this issue was merged into issue {}", row.merged_into.value_or(0)));
    }
    VECHE_ASSIGN_OR_RETURN(
        auto removed, tx.exec("DELETE FROM agenda_supports WHERE issue_id = ? AND account_id = ?",
                              {id.value(), account.value()}));
    if (removed == 0) return not_found("you do not support this issue");
    // The trigger of migration 3 lowered the count.
    VECHE_ASSIGN_OR_RETURN(
        auto updated, tx.query_one("SELECT supports FROM agenda_issues WHERE id = ?", {id.value()},
                                   "issue " + id.str()));
    count = updated.int64(0);
    return ok();
  }));
  return count;
}

Result<bool> Agenda::supports(AccountId account, IssueId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT 1 FROM agenda_supports WHERE issue_id = ? AND account_id = ?",
                           {id.value(), account.value()}));
  return !rows.empty();
}

Status Agenda::merge(AccountId actor, IssueId duplicate, IssueId surviving) {
  if (duplicate == surviving) return invalid_argument("an issue cannot be merged into itself");
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_moderator(tx, actor));
    VECHE_ASSIGN_OR_RETURN(auto dup, issue_row(tx, duplicate));
    VECHE_ASSIGN_OR_RETURN(auto keep, issue_row(tx, surviving));
    if (dup.state == IssueState::kMerged || keep.state == IssueState::kMerged) {
      return failed_precondition("an issue that was already merged cannot be merged again");
    }
    VECHE_TRY(
        tx.exec("INSERT INTO agenda_supports (issue_id, account_id) SELECT ?, account_id FROM "
                "agenda_supports WHERE issue_id = ? ON CONFLICT DO NOTHING",
                {surviving.value(), duplicate.value()}));
    VECHE_TRY(tx.exec("DELETE FROM agenda_supports WHERE issue_id = ?", {duplicate.value()}));
    VECHE_TRY(tx.exec(
        "UPDATE agenda_issues SET state = 'merged', merged_into = ?, supports = 0 WHERE id = ?",
        {surviving.value(), duplicate.value()}));
    VECHE_ASSIGN_OR_RETURN(auto count, recount_supports(tx, surviving));
    VECHE_TRY(add_event(tx, duplicate, now, "merged-into", surviving.str(), actor));
    VECHE_TRY(add_event(tx, surviving, now, "merged-from", duplicate.str(), actor));
    if (keep.state == IssueState::kProposed) {
      VECHE_ASSIGN_OR_RETURN(auto threshold, threshold_in(tx));
      VECHE_TRY(admit_if_due(tx, surviving, count, threshold, now));
    }
    return ok();
  });
}

Status Agenda::report(AccountId reporter, IssueId id, std::string_view reason) {
  VECHE_TRY(check_reason("reason", reason));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(issue_row(tx, id));
    VECHE_TRY(tx.exec(
        "INSERT INTO agenda_reports (issue_id, reporter_id, reason, created_at) VALUES (?, ?, ?, "
        "?)",
        {id.value(), reporter.value(), std::string(core::trim(reason)), core::to_unix(now)}));
    return enqueue(tx, "agenda.issue.reported", fmt::format(R"({{"issue":{}}})", id.value()), now);
  });
}

Result<std::vector<Report>> Agenda::open_reports() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx->query("SELECT id, issue_id, reason, created_at FROM agenda_reports "
                                   "WHERE closed = 0 ORDER BY id LIMIT 500"));
  std::vector<Report> out;
  for (const auto& r : rows) {
    out.push_back({r.int64(0), IssueId(r.int64(1)), r.text(2), core::from_unix(r.int64(3))});
  }
  return out;
}

Status Agenda::hide(AccountId moderator, IssueId id, std::string_view reason) {
  VECHE_TRY(check_reason("reason", reason));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_moderator(tx, moderator));
    VECHE_ASSIGN_OR_RETURN(auto row, issue_row(tx, id));
    if (row.hidden) return failed_precondition("this issue is already hidden");
    std::string text(core::trim(reason));
    VECHE_TRY(
        tx.exec("UPDATE agenda_issues SET hidden_reason = ? WHERE id = ?", {text, id.value()}));
    VECHE_TRY(tx.exec("UPDATE agenda_reports SET closed = 1 WHERE issue_id = ?", {id.value()}));
    VECHE_TRY(add_event(tx, id, now, "hidden", text, moderator));
    return enqueue(tx, "agenda.issue.hidden", fmt::format(R"({{"issue":{}}})", id.value()), now);
  });
}

Status Agenda::appeal(AccountId author, IssueId id, std::string_view text) {
  VECHE_TRY(check_reason("appeal", text));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto row, issue_row(tx, id));
    if (!row.author || *row.author != author.value()) {
      return permission_denied("only the author of an issue may appeal");
    }
    if (!row.hidden) return failed_precondition("this issue is not hidden");
    if (row.appeal_pending) return failed_precondition("an appeal is already pending");
    std::string body(core::trim(text));
    VECHE_TRY(tx.exec("INSERT INTO agenda_appeals (issue_id, text, created_at) VALUES (?, ?, ?)",
                      {id.value(), body, core::to_unix(now)}));
    VECHE_TRY(tx.exec("UPDATE agenda_issues SET appeal_pending = 1 WHERE id = ?", {id.value()}));
    VECHE_TRY(add_event(tx, id, now, "appealed", body, AccountId{}));
    return enqueue(tx, "agenda.issue.appealed", fmt::format(R"({{"issue":{}}})", id.value()), now);
  });
}

Status Agenda::decide_appeal(AccountId moderator, IssueId id, bool reinstate,
                             std::string_view reason) {
  VECHE_TRY(check_reason("reason", reason));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_moderator(tx, moderator));
    VECHE_ASSIGN_OR_RETURN(auto row, issue_row(tx, id));
    if (!row.appeal_pending) return failed_precondition("no appeal is pending for this issue");
    std::string text(core::trim(reason));
    if (reinstate) {
      VECHE_TRY(
          tx.exec("UPDATE agenda_issues SET hidden_reason = NULL, appeal_pending = 0 WHERE id = ?",
                  {id.value()}));
    } else {
      VECHE_TRY(tx.exec("UPDATE agenda_issues SET appeal_pending = 0 WHERE id = ?", {id.value()}));
    }
    VECHE_TRY(
        add_event(tx, id, now, reinstate ? "reinstated" : "appeal-rejected", text, moderator));
    return enqueue(
        tx, "agenda.issue.appeal-decided",
        fmt::format(R"({{"issue":{},"reinstated":{}}})", id.value(), reinstate ? "true" : "false"),
        now);
  });
}

Result<bool> Agenda::is_moderator(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return has_role(*tx, account, {"moderator", "operator"});
}

Result<RoundId> Agenda::create_round(AccountId actor, std::string_view title, RoundMethod method,
                                     core::TimePoint opens_at, core::TimePoint closes_at) {
  std::string name(core::trim(title));
  VECHE_TRY(core::check_text("title", name, kMaxTitleChars));
  if (name.empty()) return invalid_argument("title is required");
  if (closes_at <= opens_at) return invalid_argument("the round must close after it opens");
  const auto now = clock_.now();
  if (closes_at <= now) return invalid_argument("the round must close in the future");
  RoundId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_moderator(tx, actor));
    VECHE_ASSIGN_OR_RETURN(
        auto admitted, tx.query("SELECT id, title FROM agenda_issues WHERE state = 'admitted' AND "
                                "hidden_reason IS NULL ORDER BY supports DESC, id LIMIT ?",
                                {static_cast<std::int64_t>(kMaxRoundIssues)}));
    if (admitted.size() < 2) {
      return failed_precondition("a round needs at least two admitted issues");
    }
    VECHE_ASSIGN_OR_RETURN(
        auto raw, tx.insert("INSERT INTO agenda_rounds (title, method, opens_at, closes_at, "
                            "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                            {name, std::string(method_name(method)), core::to_unix(opens_at),
                             core::to_unix(closes_at), core::to_unix(now)}));
    id = RoundId(raw);
    std::int64_t position = 0;
    for (const auto& a : admitted) {
      VECHE_TRY(tx.exec(
          "INSERT INTO agenda_round_issues (round_id, position, issue_id, title) VALUES (?, ?, "
          "?, ?)",
          {raw, position++, a.int64(0), a.text(1)}));
    }
    return enqueue(tx, "agenda.round.created",
                   fmt::format(R"({{"round":{},"opens_at":"{}","closes_at":"{}"}})", raw,
                               core::to_iso8601(opens_at), core::to_iso8601(closes_at)),
                   now);
  }));
  return id;
}

Result<Round> Agenda::round(RoundId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return round_in(*tx, id, clock_.now(), /*full=*/true);
}

Result<std::vector<Round>> Agenda::rounds() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT id FROM agenda_rounds ORDER BY id DESC"));
  std::vector<Round> out;
  const auto now = clock_.now();
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto one, round_in(*tx, RoundId(r.int64(0)), now, /*full=*/false));
    out.push_back(std::move(one));
  }
  return out;
}

Status Agenda::cast(AccountId account, RoundId id, const Ballot& ballot) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_constituent(tx, account));
    VECHE_ASSIGN_OR_RETURN(auto r, round_in(tx, id, now, /*full=*/false));
    if (r.phase != RoundPhase::kOpen) {
      return failed_precondition(r.phase == RoundPhase::kScheduled ? "this round is not open yet"
                                                                   : "this round is closed");
    }
    std::set<std::int64_t> seen;
    for (auto issue : ballot) {
      bool member = std::any_of(r.issues.begin(), r.issues.end(),
                                [&](const RoundEntry& e) { return e.issue == issue; });
      if (!member) return invalid_argument("the ballot names an issue that is not in this round");
      if (!seen.insert(issue.value()).second) {
        return invalid_argument("the ballot names an issue twice");
      }
    }
    if (ballot.empty()) return invalid_argument("the ballot is empty: choose at least one issue");
    auto key = to_blob(voter_key(key_, id, account));
    std::string text = encode_ballot(ballot);
    VECHE_ASSIGN_OR_RETURN(
        auto replaced,
        tx.exec("UPDATE agenda_ballots SET ballot = ? WHERE round_id = ? AND voter_key = ?",
                {text, id.value(), key}));
    if (replaced == 0) {
      VECHE_TRY(tx.exec("INSERT INTO agenda_ballots (round_id, voter_key, ballot) VALUES (?, ?, ?)",
                        {id.value(), key, text}));
      VECHE_TRY(
          tx.exec("UPDATE agenda_rounds SET ballots = ballots + 1 WHERE id = ?", {id.value()}));
    }
    return ok();
  });
}

Result<Ballot> Agenda::ballot_of(AccountId account, RoundId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT ballot FROM agenda_ballots WHERE round_id = ? AND voter_key = ?",
                           {id.value(), to_blob(voter_key(key_, id, account))}));
  if (rows.empty()) return Ballot{};
  return decode_ballot(rows[0].text(0));
}

Status Agenda::close_round(AccountId actor, RoundId id) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_moderator(tx, actor));
    VECHE_ASSIGN_OR_RETURN(auto r, round_in(tx, id, now, /*full=*/false));
    if (r.phase == RoundPhase::kClosed || r.phase == RoundPhase::kCounted) {
      return failed_precondition("this round is already closed");
    }
    std::int64_t at = core::to_unix(now);
    std::int64_t opens = std::min(core::to_unix(r.opens_at), at);
    VECHE_TRY(tx.exec("UPDATE agenda_rounds SET closes_at = ?, opens_at = ? WHERE id = ?",
                      {at, opens, id.value()}));
    return ok();
  });
}

Result<Round> Agenda::count_round(RoundId id) {
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto r, round_in(tx, id, now, /*full=*/false));
    if (r.phase == RoundPhase::kCounted) return ok();
    if (r.phase != RoundPhase::kClosed) {
      return failed_precondition("a round is counted only after it closes");
    }
    count::Profile shell;
    shell.title = r.title;
    std::map<std::int64_t, count::Item> index;
    for (std::size_t i = 0; i < r.issues.size(); ++i) {
      index[r.issues[i].issue.value()] = static_cast<count::Item>(i);
    }
    count::ProfileBuilder builder;
    VECHE_ASSIGN_OR_RETURN(
        auto ballots,
        tx.query("SELECT ballot FROM agenda_ballots WHERE round_id = ?", {id.value()}));
    std::vector<count::Item> items;
    for (const auto& b : ballots) {
      items.clear();
      for (auto issue : decode_ballot(b.text(0))) {
        auto it = index.find(issue.value());
        if (it == index.end()) continue;
        count::Item item = it->second;
        // An approval ballot is one rank level holding every approved issue.
        if (!is_ranked(r.method) && !items.empty()) item |= count::kTiedWithPrevious;
        items.push_back(item);
      }
      VECHE_TRY(builder.add(items, 1));
    }
    count::Profile profile = builder.finish();
    profile.title = r.title;
    for (const auto& e : r.issues)
      profile.candidates.push_back(fmt::format("#{} {}", e.issue.value(), e.title));
    profile.withdrawn.assign(profile.candidates.size(), false);
    profile.seats = 1;
    count::CountOptions options;
    // The lot for ties: seeded from the round number, so anyone can recompute it.
    auto seed_text = fmt::format("veche-agenda-round/{}", id.value());
    for (std::size_t i = 0; i < seed_text.size() && i < options.seed.size(); ++i) {
      options.seed[i] = static_cast<std::byte>(seed_text[i]);
    }
    const count::Method method = r.method == RoundMethod::kSchulze ? count::Method::kSchulze
                                 : r.method == RoundMethod::kApproval
                                     ? count::Method::kApproval
                                     : count::Method::kInstantRunoff;
    std::vector<std::vector<IssueId>> ranking;
    std::string json;
    std::string text;
    if (ballots.empty()) {
      ranking.push_back({});
      for (const auto& e : r.issues) ranking.back().push_back(e.issue);
      json = R"({"ballots":0})";
      text = "No ballots were cast; every issue is tied.\n";
    } else {
      VECHE_ASSIGN_OR_RETURN(auto report, count::count(method, profile, options));
      for (const auto& level : ranking_of(report)) {
        ranking.emplace_back();
        for (int c : level) ranking.back().push_back(r.issues[static_cast<std::size_t>(c)].issue);
      }
      json = count::to_json(report);
      text = count::to_text(report);
    }
    VECHE_TRY(tx.exec(
        "UPDATE agenda_rounds SET counted_at = ?, ranking = ?, report_json = ?, report_text = ?, "
        "ballots = ? WHERE id = ?",
        {core::to_unix(now), encode_ranking(ranking), json, text,
         static_cast<std::int64_t>(ballots.size()), id.value()}));
    return enqueue(tx, "agenda.round.counted", fmt::format(R"({{"round":{}}})", id.value()), now);
  }));
  return round(id);
}

Result<int> Agenda::count_due_rounds() {
  std::vector<RoundId> due;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx->query("SELECT id FROM agenda_rounds WHERE counted_at IS NULL AND "
                                     "closes_at <= ? ORDER BY id",
                                     {core::to_unix(clock_.now())}));
    for (const auto& r : rows) due.emplace_back(r.int64(0));
  }
  for (auto id : due) VECHE_TRY(count_round(id));
  return static_cast<int>(due.size());
}

Result<std::vector<Round>> Agenda::mandate() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query(
          "SELECT id FROM agenda_rounds WHERE counted_at IS NOT NULL ORDER BY closes_at DESC, "
          "id DESC"));
  std::vector<Round> out;
  const auto now = clock_.now();
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto one, round_in(*tx, RoundId(r.int64(0)), now, /*full=*/false));
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace veche::agenda
