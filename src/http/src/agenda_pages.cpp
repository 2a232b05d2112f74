// The agenda on the web: /agenda (issues by supports or newest, filtered by tag and country),
// /agenda/new, /agenda/{id} (the issue, its history, support, report, moderation and appeal
// forms), /agenda/rounds/{id} (ballot form, result after close), /mandate; and the JSON API
// under /api/v1/agenda. Every form write checks its CSRF token, then who may do it; the rules
// themselves live in veche_agenda. Pages work without JavaScript.
#include <boost/json.hpp>

#include "charter_routes.hpp"
#include "form_time.hpp"
#include "veche/agenda/agenda.hpp"
#include "veche/core/text.hpp"

namespace veche::http {
namespace {

using agenda::IssueId;
using agenda::RoundId;

constexpr std::string_view kNoIssue = "There is no such issue.";
constexpr std::string_view kNoRound = "There is no such round.";
constexpr std::int64_t kAgendaPage = 100;         // issues per page of /agenda
constexpr std::int64_t kMaxAgendaPages = 10'000;  // the service skips at most 1,000,000
constexpr std::string_view kNotConstituent = "Only constituents may do this.";
constexpr std::string_view kNotModerator =
    "Only moderators may do this (with a second factor, in a logged-in session).";

Response json(const boost::json::value& v, int status = 200) {
  return Response::json(boost::json::serialize(v), status);
}

std::string_view tag_label(std::string_view tag) {
  if (tag == "banking") return "Banking";
  if (tag == "vehicles") return "Vehicles";
  if (tag == "visas-and-residence") return "Visas and residence";
  if (tag == "asylum-and-deserters") return "Asylum and deserters";
  if (tag == "sanctions") return "Sanctions";
  if (tag == "documents") return "Documents";
  if (tag == "education") return "Education";
  if (tag == "work") return "Work";
  return "Other";
}

std::string_view state_label(agenda::IssueState s) {
  switch (s) {
    case agenda::IssueState::kAdmitted:
      return "Admitted";
    case agenda::IssueState::kMerged:
      return "Merged";
    case agenda::IssueState::kProposed:
      break;
  }
  return "Proposed";
}

std::string_view event_label(std::string_view kind) {
  if (kind == "raised") return "Raised";
  if (kind == "admitted") return "Admitted to the agenda";
  if (kind == "merged-into") return "Merged into issue";
  if (kind == "merged-from") return "A duplicate was merged into it";
  if (kind == "hidden") return "Hidden by the moderators";
  if (kind == "appealed") return "The author appealed";
  if (kind == "reinstated") return "Reinstated on appeal";
  if (kind == "appeal-rejected") return "Appeal rejected";
  return "Changed";
}

std::string_view phase_label(agenda::RoundPhase p) {
  switch (p) {
    case agenda::RoundPhase::kScheduled:
      return "Scheduled";
    case agenda::RoundPhase::kOpen:
      return "Open";
    case agenda::RoundPhase::kClosed:
      return "Closed, being counted";
    case agenda::RoundPhase::kCounted:
      break;
  }
  return "Counted";
}

std::string day(core::TimePoint t) { return core::to_iso8601(t).substr(0, 10); }

bool is_moderator(const Principal& p) {
  return p.may_act_as(registry::Role::kModerator) || p.may_act_as(registry::Role::kOperator);
}

// A new priority round as typed into the form or sent to the API.
struct RoundInput {
  std::string title;
  agenda::RoundMethod method = agenda::RoundMethod::kSchulze;
  core::TimePoint opens_at;
  core::TimePoint closes_at;
};

Result<RoundInput> round_input(std::string_view title, std::string_view method,
                               std::string_view opens, std::string_view closes) {
  RoundInput in;
  in.title = std::string(core::trim(title));
  VECHE_ASSIGN_OR_RETURN(in.method, agenda::parse_method(method));
  const auto o = parse_time(opens);
  const auto c = parse_time(closes);
  if (!o || !c) {
    return invalid_argument("Give the opening and closing times as 2026-12-01T18:00 (UTC).");
  }
  in.opens_at = *o;
  in.closes_at = *c;
  return in;
}

std::optional<IssueId> issue_param(const Request& req) {
  auto v = parse_positive(req.path_params.at("id"));
  if (!v) return std::nullopt;
  return IssueId(*v);
}

std::optional<RoundId> round_param(const Request& req) {
  auto v = parse_positive(req.path_params.at("id"));
  if (!v) return std::nullopt;
  return RoundId(*v);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ',' || c == '\n' || c == ';') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

boost::json::object issue_json(const agenda::Issue& i) {
  boost::json::array tags, countries, groups;
  for (const auto& t : i.tags) tags.push_back(boost::json::string(t));
  for (const auto& c : i.countries) countries.push_back(boost::json::string(c));
  for (const auto& g : i.groups) groups.push_back(boost::json::string(g));
  boost::json::object o{{"id", i.id.value()},
                        {"title", i.title},
                        {"state", std::string(agenda::state_name(i.state))},
                        {"supports", i.supports},
                        {"tags", std::move(tags)},
                        {"countries", std::move(countries)},
                        {"groups", std::move(groups)},
                        {"created_at", core::to_iso8601(i.created_at)},
                        {"hidden", i.hidden_reason.has_value()}};
  if (i.admitted_at) o["admitted_at"] = core::to_iso8601(*i.admitted_at);
  if (i.merged_into) o["merged_into"] = i.merged_into->value();
  if (i.hidden_reason) {
    o["hidden_reason"] = *i.hidden_reason;
    o["appeal_pending"] = i.appeal_pending;
  }
  return o;
}

boost::json::object round_json(const agenda::Round& r, bool full) {
  boost::json::array issues;
  for (const auto& e : r.issues) issues.push_back({{"id", e.issue.value()}, {"title", e.title}});
  boost::json::object o{{"id", r.id.value()},
                        {"title", r.title},
                        {"method", std::string(agenda::method_name(r.method))},
                        {"ballot", agenda::is_ranked(r.method) ? "ranking" : "approval"},
                        {"opens_at", core::to_iso8601(r.opens_at)},
                        {"closes_at", core::to_iso8601(r.closes_at)},
                        {"phase", std::string(agenda::phase_name(r.phase))},
                        {"issues", std::move(issues)}};
  if (r.counted_at) {
    boost::json::array ranking;
    for (const auto& level : r.ranking) {
      boost::json::array l;
      for (auto id : level) l.push_back(id.value());
      ranking.push_back(std::move(l));
    }
    o["ranking"] = std::move(ranking);
    o["ballots"] = r.ballots;
    o["counted_at"] = core::to_iso8601(*r.counted_at);
    if (full && !r.report_json.empty()) {
      boost::system::error_code ec;
      auto report = boost::json::parse(r.report_json, ec);
      if (!ec) o["report"] = std::move(report);
    }
  }
  return o;
}

// Reads a JSON object body; nullopt (with `why`) when it is not one.
std::optional<boost::json::object> json_body(const Request& req) {
  boost::system::error_code ec;
  auto v = boost::json::parse(req.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

std::optional<std::string> json_string(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

// A list of strings, or nullopt when the field is there but is not one.
std::optional<std::vector<std::string>> json_strings(const boost::json::object& o,
                                                     std::string_view key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr) return out;
  if (!v->is_array() || v->as_array().size() > 100) return std::nullopt;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return std::nullopt;
    out.emplace_back(e.as_string());
  }
  return out;
}

}  // namespace

void Site::Impl::add_agenda() {
  // Both pages and API authenticate the same way; the API answers 401, pages send to /login.
  auto agenda_service = [this] { return agenda::Agenda(db, clock, accounts_web->key_); };

  // The issue list and the rounds.
  router.add(Method::kGet, "/agenda", [this, agenda_service](Request& req) {
    const Lang l = lang(req);
    auto service = agenda_service();
    agenda::IssueFilter filter;
    filter.tag = req.query_param("tag").value_or("");
    filter.country = req.query_param("country").value_or("");
    const auto sort = req.query_param("sort").value_or("supports");
    if (sort != "supports" && sort != "new") return error(req, 400, "Sort by supports or new.");
    filter.sort = sort == "new" ? agenda::SortOrder::kNewest : agenda::SortOrder::kSupports;
    std::int64_t page_no = 1;
    if (auto v = req.query_param("page")) {
      auto n = parse_positive(*v);
      if (!n || *n > kMaxAgendaPages) return error(req, 400, "There is no such page.");
      page_no = *n;
    }
    filter.limit = kAgendaPage + 1;  // one more tells whether a next page exists
    filter.offset = (page_no - 1) * kAgendaPage;
    auto issues = service.list(filter);
    if (!issues) return error(req, issues.error());
    const bool has_next = issues->size() > static_cast<std::size_t>(kAgendaPage);
    if (has_next) issues->pop_back();
    auto threshold = service.threshold();
    if (!threshold) return error(req, threshold.error());
    auto rounds = service.rounds();
    if (!rounds) return error(req, rounds.error());
    Data admitted = Data::type::list;
    Data proposed = Data::type::list;
    for (const auto& i : *issues) {
      Data d;
      d.set("id", i.id.str());
      d.set("title", i.title);
      d.set("supports", std::to_string(i.supports));
      d.set("hidden", i.hidden_reason.has_value());
      d.set("hidden_reason", i.hidden_reason.value_or(""));
      Data tags = Data::type::list;
      for (const auto& t : i.tags) tags.push_back(Data("label", translator.tr(l, tag_label(t))));
      d.set("tags", tags);
      std::string countries;
      for (const auto& c : i.countries) countries += (countries.empty() ? "" : ", ") + c;
      d.set("countries", countries);
      (i.state == agenda::IssueState::kAdmitted ? admitted : proposed).push_back(d);
    }
    Data tag_options = Data::type::list;
    for (auto t : agenda::tags()) {
      Data o;
      o.set("value", std::string(t));
      o.set("label", translator.tr(l, tag_label(t)));
      o.set("selected", t == filter.tag);
      tag_options.push_back(o);
    }
    Data round_list = Data::type::list;
    for (const auto& r : *rounds) {
      Data d;
      d.set("id", r.id.str());
      d.set("title", r.title);
      d.set("phase", translator.tr(l, phase_label(r.phase)));
      d.set("closes", day(r.closes_at));
      round_list.push_back(d);
    }
    Data d;
    d.set("admitted", admitted);
    d.set("proposed", proposed);
    d.set("has_admitted", !admitted.is_empty_list());
    d.set("has_proposed", !proposed.is_empty_list());
    d.set("tags", tag_options);
    d.set("country", filter.country);
    d.set("sort_new", sort == "new");
    d.set("threshold", std::to_string(*threshold));
    d.set("rounds", round_list);
    d.set("has_rounds", !round_list.is_empty_list());
    // Paging keeps the filters: /agenda?tag=..&country=..&sort=..&page=N.
    std::string keep = "sort=" + sort;
    if (!filter.tag.empty()) keep += "&tag=" + percent_encode(filter.tag);
    if (!filter.country.empty()) keep += "&country=" + percent_encode(filter.country);
    if (has_next) d.set("next_page", keep + "&page=" + std::to_string(page_no + 1));
    if (page_no > 1) d.set("previous_page", keep + "&page=" + std::to_string(page_no - 1));
    d.set("page_no", std::to_string(page_no));
    // Moderators see the reports waiting for them (reporters are never shown).
    const auto p = accounts_web->principal(req);
    if (p &&
        (p->may_act_as(registry::Role::kModerator) || p->may_act_as(registry::Role::kOperator))) {
      auto reports = service.open_reports();
      if (!reports) return error(req, reports.error());
      Data report_list = Data::type::list;
      for (const auto& r : *reports) {
        Data rd;
        rd.set("issue", r.issue.str());
        rd.set("reason", r.reason);
        rd.set("date", day(r.created_at));
        report_list.push_back(rd);
      }
      d.set("moderator", true);
      d.set("reports", report_list);
      d.set("has_reports", !reports->empty());
      d.set("round_opens", local_field(clock.now() + std::chrono::hours(1)));
      d.set("round_closes", local_field(clock.now() + std::chrono::days(14)));
      return account_form(req, "agenda", std::move(d), "Agenda", "", 200);
    }
    return page(req, "agenda", std::move(d), translator.tr(l, "Agenda"));
  });

  auto new_form = [this](const Request& req, const agenda::NewIssue& values,
                         std::string_view message, int status) {
    const Lang l = lang(req);
    Data d;
    d.set("title_value", values.title);
    d.set("body_value", values.body);
    std::string countries, groups;
    for (const auto& c : values.countries) countries += (countries.empty() ? "" : ", ") + c;
    for (const auto& g : values.groups) groups += (groups.empty() ? "" : ", ") + g;
    d.set("countries_value", countries);
    d.set("groups_value", groups);
    Data tags = Data::type::list;
    for (auto t : agenda::tags()) {
      Data o;
      o.set("value", std::string(t));
      o.set("label", translator.tr(l, tag_label(t)));
      o.set("checked", std::find(values.tags.begin(), values.tags.end(), t) != values.tags.end());
      tags.push_back(o);
    }
    d.set("tags", tags);
    return account_form(req, "agenda_new", std::move(d), "Raise an issue", message, status);
  };

  router.add(Method::kGet, "/agenda/new", [this, new_form](Request& req) {
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!p->may_act_as(registry::Role::kConstituent)) return error(req, 403, kNotConstituent);
    return new_form(req, {}, "", 200);
  });

  router.add(Method::kPost, "/agenda/new", [this, agenda_service, new_form](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!p->may_act_as(registry::Role::kConstituent)) return error(req, 403, kNotConstituent);
    agenda::NewIssue issue;
    issue.title = field(f, "title");
    issue.body = field(f, "body");
    issue.countries = split_list(field(f, "countries"));
    issue.groups = split_list(field(f, "groups"));
    for (auto t : agenda::tags()) {
      if (!field(f, "tag_" + std::string(t)).empty()) issue.tags.emplace_back(t);
    }
    auto service = agenda_service();
    auto id = service.raise(p->account, issue);
    if (!id) {
      const int status = status_for(id.error().code);
      if (status >= 500) return error(req, id.error());
      return new_form(req, issue, id.error().message, status);
    }
    return Response::redirect("/agenda/" + id->str() + "?done=raised");
  });

  // The round page: ballot form while open, result once counted.
  router.add(Method::kGet, "/agenda/rounds/{id}", [this, agenda_service](Request& req) {
    const Lang l = lang(req);
    const auto id = round_param(req);
    if (!id) return error(req, 404, kNoRound);
    auto service = agenda_service();
    if (auto due = service.count_due_rounds(); !due) return error(req, due.error());
    auto r = service.round(*id);
    if (!r) return error(req, r.error());
    const auto p = accounts_web->principal(req);
    agenda::Ballot mine;
    if (p && r->phase == agenda::RoundPhase::kOpen) {
      auto b = service.ballot_of(p->account, *id);
      if (!b) return error(req, b.error());
      mine = std::move(*b);
    }
    Data d;
    d.set("id", r->id.str());
    d.set("title", r->title);
    d.set("phase", translator.tr(l, phase_label(r->phase)));
    d.set("method", std::string(agenda::method_name(r->method)));
    d.set("ranked", agenda::is_ranked(r->method));
    d.set("opens", core::to_iso8601(r->opens_at));
    d.set("closes", core::to_iso8601(r->closes_at));
    d.set("open", r->phase == agenda::RoundPhase::kOpen);
    d.set("signed_in", p.has_value());
    d.set("has_ballot", !mine.empty());
    d.set("cast", req.query_param("done").value_or("") == "cast");
    d.set("opened", req.query_param("done").value_or("") == "opened");
    d.set("can_close", p && is_moderator(*p) &&
                           (r->phase == agenda::RoundPhase::kOpen ||
                            r->phase == agenda::RoundPhase::kScheduled));
    Data choices = Data::type::list;
    for (const auto& e : r->issues) {
      Data o;
      o.set("issue", e.issue.str());
      o.set("title", e.title);
      auto pos = std::find(mine.begin(), mine.end(), e.issue);
      const bool chosen = pos != mine.end();
      o.set("approved", chosen);
      Data ranks = Data::type::list;
      for (std::size_t k = 1; k <= r->issues.size(); ++k) {
        Data rk;
        rk.set("rank", std::to_string(k));
        rk.set("selected", chosen && static_cast<std::size_t>(pos - mine.begin()) + 1 == k);
        ranks.push_back(rk);
      }
      o.set("ranks", ranks);
      choices.push_back(o);
    }
    d.set("options", choices);
    if (r->counted_at) {
      d.set("counted", true);
      d.set("ballots", std::to_string(r->ballots));
      Data ranking = Data::type::list;
      int place = 1;
      for (const auto& level : r->ranking) {
        for (auto issue : level) {
          Data row;
          row.set("place", std::to_string(place));
          row.set("issue", issue.str());
          for (const auto& e : r->issues) {
            if (e.issue == issue) row.set("title", e.title);
          }
          ranking.push_back(row);
        }
        place += static_cast<int>(level.size());
      }
      d.set("ranking", ranking);
      d.set("report", r->report_text);
    }
    if (!p) return page(req, "agenda_round", std::move(d), r->title);
    return account_form(req, "agenda_round", std::move(d), r->title, "", 200);
  });

  // Moderators open and close priority rounds.
  router.add(Method::kPost, "/agenda/rounds", [this, agenda_service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!is_moderator(*p)) return error(req, 403, kNotModerator);
    auto in =
        round_input(field(f, "title"), field(f, "method"), field(f, "opens"), field(f, "closes"));
    if (!in) return error(req, in.error());
    auto id = agenda_service().create_round(p->account, in->title, in->method, in->opens_at,
                                            in->closes_at);
    if (!id) return error(req, id.error());
    return Response::redirect("/agenda/rounds/" + id->str() + "?done=opened");
  });

  router.add(Method::kPost, "/agenda/rounds/{id}/close", [this, agenda_service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!is_moderator(*p)) return error(req, 403, kNotModerator);
    const auto id = round_param(req);
    if (!id) return error(req, 404, kNoRound);
    if (auto s = agenda_service().close_round(p->account, *id); !s) return error(req, s.error());
    return Response::redirect("/agenda/rounds/" + id->str() + "?done=closed");
  });

  router.add(Method::kPost, "/agenda/rounds/{id}/ballot", [this, agenda_service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!p->may_act_as(registry::Role::kConstituent)) return error(req, 403, kNotConstituent);
    const auto id = round_param(req);
    if (!id) return error(req, 404, kNoRound);
    auto service = agenda_service();
    auto r = service.round(*id);
    if (!r) return error(req, r.error());
    agenda::Ballot ballot;
    if (agenda::is_ranked(r->method)) {
      // rank_<issue> = 1..n; blanks are left out; two issues may not share a rank.
      std::vector<std::pair<std::int64_t, IssueId>> ranked;
      for (const auto& e : r->issues) {
        const auto v = field(f, "rank_" + e.issue.str());
        if (v.empty()) continue;
        auto rank = parse_positive(v);
        if (!rank || *rank > static_cast<std::int64_t>(r->issues.size())) {
          return error(req, 400, "Each rank must be a number from 1 to the number of issues.");
        }
        ranked.emplace_back(*rank, e.issue);
      }
      std::sort(ranked.begin(), ranked.end());
      for (std::size_t k = 1; k < ranked.size(); ++k) {
        if (ranked[k].first == ranked[k - 1].first) {
          return error(req, 400, "Two issues have the same rank: give each a different number.");
        }
      }
      for (const auto& [rank, issue] : ranked) ballot.push_back(issue);
    } else {
      for (const auto& e : r->issues) {
        if (!field(f, "approve_" + e.issue.str()).empty()) ballot.push_back(e.issue);
      }
    }
    if (auto s = service.cast(p->account, *id, ballot); !s) return error(req, s.error());
    return Response::redirect("/agenda/rounds/" + id->str() + "?done=cast");
  });

  // The issue page.
  router.add(Method::kGet, "/agenda/{id}", [this, agenda_service](Request& req) {
    const Lang l = lang(req);
    const auto id = issue_param(req);
    if (!id) return error(req, 404, kNoIssue);
    auto service = agenda_service();
    auto issue = service.issue(*id);
    if (!issue) return error(req, issue.error());
    auto history = service.history(*id);
    if (!history) return error(req, history.error());
    auto threshold = service.threshold();
    if (!threshold) return error(req, threshold.error());
    const auto p = accounts_web->principal(req);
    Data d;
    d.set("id", issue->id.str());
    d.set("title", issue->title);
    d.set("state", translator.tr(l, state_label(issue->state)));
    d.set("admitted", issue->state == agenda::IssueState::kAdmitted);
    d.set("merged", issue->merged_into.has_value());
    d.set("merged_into", issue->merged_into ? issue->merged_into->str() : "");
    d.set("hidden", issue->hidden_reason.has_value());
    d.set("hidden_reason", issue->hidden_reason.value_or(""));
    d.set("appeal_pending", issue->appeal_pending);
    d.set("html", markdown_to_html(issue->body));
    d.set("supports", std::to_string(issue->supports));
    d.set("threshold", std::to_string(*threshold));
    d.set("created", day(issue->created_at));
    Data tags = Data::type::list;
    for (const auto& t : issue->tags) tags.push_back(Data("label", translator.tr(l, tag_label(t))));
    d.set("tags", tags);
    std::string countries, groups;
    for (const auto& c : issue->countries) countries += (countries.empty() ? "" : ", ") + c;
    for (const auto& g : issue->groups) groups += (groups.empty() ? "" : ", ") + g;
    d.set("countries", countries);
    d.set("groups", groups);
    Data events = Data::type::list;
    for (const auto& e : *history) {
      Data ed;
      ed.set("date", day(e.at));
      ed.set("what", translator.tr(l, event_label(e.kind)));
      ed.set("detail", e.detail);
      events.push_back(ed);
    }
    d.set("history", events);
    const auto done = req.query_param("done").value_or("");
    if (done == "raised") d.set("notice", translator.tr(l, "Your issue is raised."));
    if (done == "supported") d.set("notice", translator.tr(l, "Your support is counted."));
    if (done == "withdrawn") d.set("notice", translator.tr(l, "Your support is withdrawn."));
    if (done == "reported")
      d.set("notice", translator.tr(l, "Thank you: the moderators will look at it."));
    if (done == "moderated") d.set("notice", translator.tr(l, "Done."));
    if (!p) return page(req, "agenda_issue", std::move(d), issue->title);
    d.set("signed_in", true);
    const bool constituent = p->may_act_as(registry::Role::kConstituent);
    d.set("may_support", constituent && !issue->merged_into && !issue->hidden_reason);
    auto mine = service.supports(p->account, *id);
    if (!mine) return error(req, mine.error());
    d.set("i_support", *mine);
    d.set("moderator",
          p->may_act_as(registry::Role::kModerator) || p->may_act_as(registry::Role::kOperator));
    return account_form(req, "agenda_issue", std::move(d), issue->title, "", 200);
  });

  for (const bool add : {true, false}) {
    router.add(Method::kPost, add ? "/agenda/{id}/support" : "/agenda/{id}/withdraw",
               [this, agenda_service, add](Request& req) {
                 const auto f = form_fields(req);
                 if (!accounts_web->csrf_ok(req, field(f, "csrf"))) {
                   return error(req, 403, kCharterBadCsrf);
                 }
                 const auto p = accounts_web->principal(req);
                 if (!p) return Response::redirect("/login");
                 if (!p->may_act_as(registry::Role::kConstituent)) {
                   return error(req, 403, kNotConstituent);
                 }
                 const auto id = issue_param(req);
                 if (!id) return error(req, 404, kNoIssue);
                 auto service = agenda_service();
                 auto n =
                     add ? service.support(p->account, *id) : service.withdraw(p->account, *id);
                 if (!n) return error(req, n.error());
                 return Response::redirect("/agenda/" + id->str() +
                                           (add ? "?done=supported" : "?done=withdrawn"));
               });
  }

  router.add(Method::kPost, "/agenda/{id}/report", [this, agenda_service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    const auto id = issue_param(req);
    if (!id) return error(req, 404, kNoIssue);
    auto service = agenda_service();
    if (auto s = service.report(p->account, *id, field(f, "reason")); !s) {
      return error(req, s.error());
    }
    return Response::redirect("/agenda/" + id->str() + "?done=reported");
  });

  // Moderation and appeals: action = hide | reinstate | keep-hidden | merge (moderators),
  // appeal (the author).
  router.add(Method::kPost, "/agenda/{id}/moderate", [this, agenda_service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    const auto id = issue_param(req);
    if (!id) return error(req, 404, kNoIssue);
    const auto action = field(f, "action");
    const auto reason = field(f, "reason");
    auto service = agenda_service();
    Status s = ok();
    if (action == "appeal") {
      s = service.appeal(p->account, *id, reason);
    } else if (action == "hide" || action == "reinstate" || action == "keep-hidden" ||
               action == "merge") {
      if (!p->may_act_as(registry::Role::kModerator) && !p->may_act_as(registry::Role::kOperator)) {
        return error(req, 403, kNotModerator);
      }
      if (action == "hide") {
        s = service.hide(p->account, *id, reason);
      } else if (action == "merge") {
        auto into = parse_positive(field(f, "into"));
        if (!into) return error(req, 400, "Give the number of the issue to merge into.");
        s = service.merge(p->account, *id, IssueId(*into));
      } else {
        s = service.decide_appeal(p->account, *id, action == "reinstate", reason);
      }
    } else {
      return error(req, 400, "Unknown moderation action.");
    }
    if (!s) return error(req, s.error());
    return Response::redirect("/agenda/" + id->str() + "?done=moderated");
  });

  router.add(Method::kGet, "/mandate", [this, agenda_service](Request& req) {
    const Lang l = lang(req);
    auto service = agenda_service();
    if (auto due = service.count_due_rounds(); !due) return error(req, due.error());
    auto rounds = service.mandate();
    if (!rounds) return error(req, rounds.error());
    Data list = Data::type::list;
    bool first = true;
    for (const auto& r : *rounds) {
      Data rd;
      rd.set("id", r.id.str());
      rd.set("title", r.title);
      rd.set("method", std::string(agenda::method_name(r.method)));
      rd.set("closed", day(r.closes_at));
      rd.set("ballots", std::to_string(r.ballots));
      rd.set("latest", first);
      first = false;
      Data ranking = Data::type::list;
      int place = 1;
      for (const auto& level : r.ranking) {
        for (auto issue : level) {
          Data row;
          row.set("place", std::to_string(place));
          row.set("issue", issue.str());
          for (const auto& e : r.issues) {
            if (e.issue == issue) row.set("title", e.title);
          }
          ranking.push_back(row);
        }
        place += static_cast<int>(level.size());
      }
      rd.set("ranking", ranking);
      list.push_back(rd);
    }
    Data d;
    d.set("rounds", list);
    d.set("has_rounds", !rounds->empty());
    return page(req, "mandate", std::move(d), translator.tr(l, "Mandate"));
  });

  // ---- JSON API ----
  auto api_principal = [this](Request& req) { return api_writer(req); };

  router.add(Method::kGet, "/api/v1/agenda/issues", [this, agenda_service](Request& req) {
    agenda::IssueFilter filter;
    filter.tag = req.query_param("tag").value_or("");
    filter.country = req.query_param("country").value_or("");
    const auto sort = req.query_param("sort").value_or("supports");
    if (sort != "supports" && sort != "new") {
      return error(req, 400, "Sort by supports or new.");
    }
    filter.sort = sort == "new" ? agenda::SortOrder::kNewest : agenda::SortOrder::kSupports;
    if (auto limit = req.query_param("limit")) {
      auto v = parse_positive(*limit);
      if (!v || *v > 1000) return error(req, 400, "limit must be between 1 and 1000.");
      filter.limit = static_cast<int>(*v);
    }
    if (auto offset = req.query_param("offset")) {
      auto v = parse_positive(*offset);
      if ((!v && *offset != "0") || (v && *v > 1'000'000)) {
        return error(req, 400, "offset must be between 0 and 1000000.");
      }
      filter.offset = v.value_or(0);
    }
    auto service = agenda_service();
    auto issues = service.list(filter);
    if (!issues) return error(req, issues.error());
    auto threshold = service.threshold();
    if (!threshold) return error(req, threshold.error());
    boost::json::array out;
    for (const auto& i : *issues) out.push_back(issue_json(i));
    return json(boost::json::object{{"threshold", *threshold}, {"issues", std::move(out)}});
  });

  router.add(
      Method::kPost, "/api/v1/agenda/issues", [this, agenda_service, api_principal](Request& req) {
        auto who = api_principal(req);
        if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
        const auto& p = std::get<Principal>(who);
        if (!p.may_act_as(registry::Role::kConstituent)) return error(req, 403, kNotConstituent);
        auto body = json_body(req);
        if (!body) return error(req, 400, "The request body must be a JSON object.");
        agenda::NewIssue issue;
        auto title = json_string(*body, "title");
        if (!title) return error(req, 400, "'title' must be a string.");
        issue.title = *title;
        if (body->contains("description")) {
          auto text = json_string(*body, "description");
          if (!text) return error(req, 400, "'description' must be a string.");
          issue.body = *text;
        }
        auto countries = json_strings(*body, "countries");
        auto groups = json_strings(*body, "groups");
        auto tags = json_strings(*body, "tags");
        if (!countries || !groups || !tags) {
          return error(req, 400, "'countries', 'groups' and 'tags' must be lists of strings.");
        }
        issue.countries = std::move(*countries);
        issue.groups = std::move(*groups);
        issue.tags = std::move(*tags);
        auto service = agenda_service();
        auto id = service.raise(p.account, issue);
        if (!id) return error(req, id.error());
        auto created = service.issue(*id);
        if (!created) return error(req, created.error());
        return json(issue_json(*created), 201);
      });

  router.add(Method::kGet, "/api/v1/agenda/issues/{id}", [this, agenda_service](Request& req) {
    const auto id = issue_param(req);
    if (!id) return error(req, 404, kNoIssue);
    auto service = agenda_service();
    auto issue = service.issue(*id);
    if (!issue) return error(req, issue.error());
    auto history = service.history(*id);
    if (!history) return error(req, history.error());
    auto o = issue_json(*issue);
    if (!issue->hidden_reason) o["description"] = issue->body;
    boost::json::array events;
    for (const auto& e : *history) {
      events.push_back({{"at", core::to_iso8601(e.at)}, {"kind", e.kind}, {"detail", e.detail}});
    }
    o["history"] = std::move(events);
    return json(o);
  });

  for (const bool add : {true, false}) {
    router.add(
        add ? Method::kPost : Method::kDelete, "/api/v1/agenda/issues/{id}/support",
        [this, agenda_service, api_principal, add](Request& req) {
          auto who = api_principal(req);
          if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
          const auto& p = std::get<Principal>(who);
          if (!p.may_act_as(registry::Role::kConstituent)) {
            return error(req, 403, kNotConstituent);
          }
          const auto id = issue_param(req);
          if (!id) return error(req, 404, kNoIssue);
          auto service = agenda_service();
          auto n = add ? service.support(p.account, *id) : service.withdraw(p.account, *id);
          if (!n) return error(req, n.error());
          return json(
              boost::json::object{{"issue", id->value()}, {"supported", add}, {"supports", *n}},
              add ? 201 : 200);
        });
  }

  router.add(Method::kPost, "/api/v1/agenda/issues/{id}/reports",
             [this, agenda_service, api_principal](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               const auto id = issue_param(req);
               if (!id) return error(req, 404, kNoIssue);
               auto body = json_body(req);
               if (!body) return error(req, 400, "The request body must be a JSON object.");
               auto reason = json_string(*body, "reason");
               if (!reason) return error(req, 400, "'reason' must be a string.");
               auto service = agenda_service();
               if (auto s = service.report(p.account, *id, *reason); !s) {
                 return error(req, s.error());
               }
               return json(boost::json::object{{"issue", id->value()}, {"reported", true}}, 201);
             });

  router.add(Method::kPost, "/api/v1/agenda/issues/{id}/moderation",
             [this, agenda_service, api_principal](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               const auto id = issue_param(req);
               if (!id) return error(req, 404, kNoIssue);
               auto body = json_body(req);
               if (!body) return error(req, 400, "The request body must be a JSON object.");
               const auto action = json_string(*body, "action").value_or("");
               const auto reason = json_string(*body, "reason").value_or("");
               auto service = agenda_service();
               Status s = ok();
               if (action == "appeal") {
                 s = service.appeal(p.account, *id, reason);
               } else if (action == "hide" || action == "reinstate" || action == "keep-hidden" ||
                          action == "merge") {
                 if (!p.may_act_as(registry::Role::kModerator) &&
                     !p.may_act_as(registry::Role::kOperator)) {
                   return error(req, 403, kNotModerator);
                 }
                 if (action == "hide") {
                   s = service.hide(p.account, *id, reason);
                 } else if (action == "merge") {
                   const auto* into = body->if_contains("into");
                   if (into == nullptr || !into->is_int64() || into->as_int64() <= 0) {
                     return error(req, 400, "'into' must be the number of an issue.");
                   }
                   s = service.merge(p.account, *id, IssueId(into->as_int64()));
                 } else {
                   s = service.decide_appeal(p.account, *id, action == "reinstate", reason);
                 }
               } else {
                 return error(req, 400,
                              "'action' must be hide, appeal, reinstate, keep-hidden or merge.");
               }
               if (!s) return error(req, s.error());
               auto issue = service.issue(*id);
               if (!issue) return error(req, issue.error());
               return json(issue_json(*issue));
             });

  router.add(Method::kGet, "/api/v1/agenda/rounds", [this, agenda_service](Request& req) {
    auto service = agenda_service();
    if (auto due = service.count_due_rounds(); !due) return error(req, due.error());
    auto rounds = service.rounds();
    if (!rounds) return error(req, rounds.error());
    boost::json::array out;
    for (const auto& r : *rounds) out.push_back(round_json(r, false));
    return json(boost::json::object{{"rounds", std::move(out)}});
  });

  router.add(Method::kGet, "/api/v1/agenda/rounds/{id}", [this, agenda_service](Request& req) {
    const auto id = round_param(req);
    if (!id) return error(req, 404, kNoRound);
    auto service = agenda_service();
    if (auto due = service.count_due_rounds(); !due) return error(req, due.error());
    auto r = service.round(*id);
    if (!r) return error(req, r.error());
    return json(round_json(*r, true));
  });

  router.add(Method::kPut, "/api/v1/agenda/rounds/{id}/ballot",
             [this, agenda_service, api_principal](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               if (!p.may_act_as(registry::Role::kConstituent)) {
                 return error(req, 403, kNotConstituent);
               }
               const auto id = round_param(req);
               if (!id) return error(req, 404, kNoRound);
               auto body = json_body(req);
               const auto* issues = body ? body->if_contains("issues") : nullptr;
               if (issues == nullptr || !issues->is_array() || issues->as_array().size() > 1000) {
                 return error(req, 400, "The body must be {\"issues\": [issue numbers]}.");
               }
               agenda::Ballot ballot;
               for (const auto& v : issues->as_array()) {
                 if (!v.is_int64() || v.as_int64() <= 0) {
                   return error(req, 400, "The body must be {\"issues\": [issue numbers]}.");
                 }
                 ballot.emplace_back(v.as_int64());
               }
               auto service = agenda_service();
               if (auto s = service.cast(p.account, *id, ballot); !s) return error(req, s.error());
               return json(boost::json::object{{"round", id->value()}, {"cast", true}});
             });

  router.add(
      Method::kPost, "/api/v1/agenda/rounds", [this, agenda_service, api_principal](Request& req) {
        auto who = api_principal(req);
        if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
        const auto& p = std::get<Principal>(who);
        if (!is_moderator(p)) return error(req, 403, kNotModerator);
        auto body = json_body(req);
        if (!body) return error(req, 400, "The request body must be a JSON object.");
        const auto title = json_string(*body, "title");
        const auto method = json_string(*body, "method");
        const auto opens = json_string(*body, "opens_at");
        const auto closes = json_string(*body, "closes_at");
        if (!title || !method || !opens || !closes) {
          return error(req, 400, "'title', 'method', 'opens_at' and 'closes_at' must be strings.");
        }
        auto in = round_input(*title, *method, *opens, *closes);
        if (!in) return error(req, in.error());
        auto service = agenda_service();
        auto id =
            service.create_round(p.account, in->title, in->method, in->opens_at, in->closes_at);
        if (!id) return error(req, id.error());
        auto r = service.round(*id);
        if (!r) return error(req, r.error());
        return json(round_json(*r, false), 201);
      });

  router.add(Method::kPost, "/api/v1/agenda/rounds/{id}/close",
             [this, agenda_service, api_principal](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               if (!is_moderator(std::get<Principal>(who))) {
                 return error(req, 403, kNotModerator);
               }
               const auto id = round_param(req);
               if (!id) return error(req, 404, kNoRound);
               auto service = agenda_service();
               if (auto s = service.close_round(std::get<Principal>(who).account, *id); !s) {
                 return error(req, s.error());
               }
               auto r = service.round(*id);
               if (!r) return error(req, r.error());
               return json(round_json(*r, false));
             });

  // The reports waiting for moderators: issue, reason, date; never the reporter.
  router.add(Method::kGet, "/api/v1/agenda/reports", [this, agenda_service](Request& req) {
    auto p = accounts_web->authenticate(req);
    if (!p) {
      Response r = error(req, p.error());
      if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
      return r;
    }
    if (!is_moderator(*p)) return error(req, 403, kNotModerator);
    auto reports = agenda_service().open_reports();
    if (!reports) return error(req, reports.error());
    boost::json::array out;
    for (const auto& r : *reports) {
      out.push_back({{"id", r.id},
                     {"issue", r.issue.value()},
                     {"reason", r.reason},
                     {"created_at", core::to_iso8601(r.created_at)}});
    }
    return json(boost::json::object{{"reports", std::move(out)}});
  });

  router.add(Method::kGet, "/api/v1/agenda/mandate", [this, agenda_service](Request& req) {
    auto service = agenda_service();
    if (auto due = service.count_due_rounds(); !due) return error(req, due.error());
    auto rounds = service.mandate();
    if (!rounds) return error(req, rounds.error());
    boost::json::array out;
    for (const auto& r : *rounds) out.push_back(round_json(r, false));
    return json(boost::json::object{{"rounds", std::move(out)}});
  });
}

}  // namespace veche::http
