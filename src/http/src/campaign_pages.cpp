// Campaigns on the web: /campaigns (all campaigns), /campaigns/new, /campaigns/{id} (the public
// track record of one campaign: goal, targets, organizations, timeline chart, actions with
// their corrections, milestones, outcome, petitions; and the team's forms), /petitions/{id}
// (sign once, receipt shown once), /track-record/organizations/{slug} and
// /track-record/issues/{id} (with SVG timelines and CSV/JSON exports), and the JSON API under
// /api/v1/campaigns, /api/v1/petitions and /api/v1/track-record. Every form write checks its
// CSRF token, then that the principal may act as a delegate (or, to sign, as a constituent);
// the rules themselves (who runs a campaign, what is valid) live in veche_campaigns.
#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <functional>
#include <map>

#include "campaign_charts.hpp"
#include "charter_routes.hpp"
#include "coordination_charts.hpp"
#include "veche/agenda/agenda.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/campaigns/export.hpp"
#include "veche/campaigns/log.hpp"
#include "veche/core/text.hpp"
#include "veche/crypto/random.hpp"

namespace veche::http {
namespace {

namespace cp = veche::campaigns;
using registry::Role;

constexpr std::string_view kNoCampaign = "There is no such campaign.";
constexpr std::string_view kNoPetition = "There is no such petition.";
constexpr std::string_view kNotConstituent = "Only constituents may sign petitions.";

Response json(const boost::json::value& v, int status = 200) {
  return Response::json(boost::json::serialize(v), status);
}

std::string_view kind_label(cp::ActionKind k) {
  switch (k) {
    case cp::ActionKind::kLetter:
      return "Letter";
    case cp::ActionKind::kMeeting:
      return "Meeting";
    case cp::ActionKind::kHearing:
      return "Hearing";
    case cp::ActionKind::kLegalCase:
      return "Legal case";
    case cp::ActionKind::kPetition:
      return "Petition";
    case cp::ActionKind::kPublication:
      return "Publication";
  }
  return "Letter";
}

std::string_view status_label(cp::MilestoneStatus s) {
  switch (s) {
    case cp::MilestoneStatus::kPlanned:
      return "Planned";
    case cp::MilestoneStatus::kInProgress:
      return "In progress";
    case cp::MilestoneStatus::kReached:
      return "Reached";
    case cp::MilestoneStatus::kMissed:
      return "Missed";
    case cp::MilestoneStatus::kDropped:
      return "Dropped";
  }
  return "Planned";
}

std::string_view outcome_label(cp::Outcome o) {
  switch (o) {
    case cp::Outcome::kOngoing:
      return "Ongoing";
    case cp::Outcome::kAchieved:
      return "Achieved";
    case cp::Outcome::kPartly:
      return "Partly achieved";
    case cp::Outcome::kNotAchieved:
      return "Not achieved";
  }
  return "Ongoing";
}

std::string day(core::TimePoint t) { return cp::day_text(t); }

std::optional<std::int64_t> id_param(const Request& req) {
  return parse_positive(req.path_params.at("id"));
}

// The fields of a write, from a form or a JSON object alike.
struct Input {
  std::function<std::string(const std::string&)> text;
  std::function<std::vector<std::string>(const std::string&)> list;
};

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

Input form_input(const std::map<std::string, std::string>& f) {
  return Input{[&f](const std::string& k) { return field(f, k); },
               [&f](const std::string& k) { return lines_of(field(f, k)); }};
}

// A JSON object whose values are strings, numbers, booleans or lists of strings; nullopt
// otherwise.
std::optional<Input> json_input(const boost::json::object& o) {
  for (const auto& [k, v] : o) {
    if (v.is_array()) {
      if (v.as_array().size() > 100) return std::nullopt;
      for (const auto& e : v.as_array()) {
        if (!e.is_string()) return std::nullopt;
      }
    } else if (!v.is_string() && !v.is_int64() && !v.is_bool() && !v.is_null()) {
      return std::nullopt;
    }
  }
  return Input{[&o](const std::string& k) -> std::string {
                 const auto* v = o.if_contains(k);
                 if (v == nullptr) return {};
                 if (v->is_string()) return std::string(v->as_string());
                 if (v->is_int64()) return std::to_string(v->as_int64());
                 if (v->is_bool()) return v->as_bool() ? "1" : "";
                 return {};
               },
               [&o](const std::string& k) {
                 std::vector<std::string> out;
                 const auto* v = o.if_contains(k);
                 if (v == nullptr) return out;
                 if (v->is_string()) return lines_of(v->as_string());
                 if (v->is_array()) {
                   for (const auto& e : v->as_array()) out.emplace_back(e.as_string());
                 }
                 return out;
               }};
}

Result<std::optional<core::TimePoint>> optional_day(std::string_view what, const std::string& s) {
  if (core::trim(s).empty()) return std::optional<core::TimePoint>();
  VECHE_ASSIGN_OR_RETURN(auto t, cp::parse_day(what, s));
  return std::optional<core::TimePoint>(t);
}

Result<std::int64_t> number(std::string_view what, const std::string& s) {
  auto v = parse_positive(core::trim(s));
  if (!v) return invalid_argument(fmt::format("Give the number of the {}.", what));
  return *v;
}

Result<cp::NewAction> action_of(const Input& in) {
  cp::NewAction a;
  auto kind = cp::parse_action_kind(in.text("kind"));
  if (!kind) {
    return invalid_argument(
        "The kind must be letter, meeting, hearing, legal-case, petition or publication.");
  }
  a.kind = *kind;
  VECHE_ASSIGN_OR_RETURN(a.on, cp::parse_day("date", in.text("date")));
  a.title = in.text("title");
  a.description = in.text("description");
  a.links = in.list("links");
  a.organization = in.text("organization");
  return a;
}

// The campaign writes, shared by the forms and the API: each returns the id of what it made
// (0 when nothing new has a number).
using Write = std::function<Result<std::int64_t>(cp::Campaigns&, const Principal&, cp::CampaignId,
                                                 const Input&)>;

const std::map<std::string, Write>& writes() {
  static const std::map<std::string, Write> w = {
      {"join",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         VECHE_TRY(s.join(p.account, id, in.text("organization")));
         return 0;
       }},
      {"actions",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         VECHE_ASSIGN_OR_RETURN(auto a, action_of(in));
         VECHE_ASSIGN_OR_RETURN(auto made, s.record_action(p.account, id, a));
         return made.value();
       }},
      {"corrections",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         VECHE_ASSIGN_OR_RETURN(const auto action, number("action", in.text("action")));
         const bool retract = !in.text("retract").empty();
         cp::NewAction a;
         a.organization = in.text("organization");
         if (!retract) {
           VECHE_ASSIGN_OR_RETURN(a, action_of(in));
         }
         VECHE_ASSIGN_OR_RETURN(auto made, s.correct_action(p.account, id, cp::ActionId(action), a,
                                                            retract, in.text("explanation")));
         return made.value();
       }},
      {"milestones",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         VECHE_ASSIGN_OR_RETURN(auto due, optional_day("due date", in.text("due")));
         VECHE_ASSIGN_OR_RETURN(auto made, s.add_milestone(p.account, id, in.text("organization"),
                                                           in.text("title"), due));
         return made.value();
       }},
      {"milestone-status",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         VECHE_ASSIGN_OR_RETURN(const auto m, number("milestone", in.text("milestone")));
         auto status = cp::parse_milestone_status(in.text("status"));
         if (!status) {
           return invalid_argument(
               "The status must be planned, in-progress, reached, missed or dropped.");
         }
         VECHE_TRY(s.update_milestone(p.account, id, cp::MilestoneId(m), in.text("organization"),
                                      *status, in.text("note")));
         return m;
       }},
      {"outcome",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         auto o = cp::parse_outcome(in.text("outcome"));
         if (!o)
           return invalid_argument(
               "The outcome must be ongoing, achieved, partly or not-achieved.");
         VECHE_TRY(s.record_outcome(p.account, id, in.text("organization"), *o, in.text("evidence"),
                                    in.list("links")));
         return 0;
       }},
      {"petitions",
       [](cp::Campaigns& s, const Principal& p, cp::CampaignId id,
          const Input& in) -> Result<std::int64_t> {
         VECHE_ASSIGN_OR_RETURN(auto closes, optional_day("closing date", in.text("closes")));
         VECHE_ASSIGN_OR_RETURN(
             auto made, s.open_petition(p.account, id, in.text("organization"), in.text("title"),
                                        in.text("text"), closes));
         return made.value();
       }},
  };
  return w;
}

Result<cp::NewCampaign> new_campaign_of(const Input& in, std::vector<std::string> orgs) {
  cp::NewCampaign c;
  c.title = in.text("title");
  c.goal = in.text("goal");
  c.targets = in.list("targets");
  c.organizations = std::move(orgs);
  const auto source = in.text("source");
  if (source != "issue" && source != "motion") {
    return invalid_argument("The source must be an agenda issue or a motion.");
  }
  c.source = source == "motion" ? cp::Source::kMotion : cp::Source::kIssue;
  VECHE_ASSIGN_OR_RETURN(c.source_id, number(source, in.text("source_id")));
  return c;
}

Response download(std::string body, std::string_view type, std::string_view name) {
  Response r = Response::text(std::move(body));
  r.content_type = std::string(type);
  r.header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
  r.header("Cache-Control", "no-cache");
  return r;
}

Response svg(std::string body) {
  Response r = Response::text(std::move(body));
  r.content_type = "image/svg+xml";
  r.header("Cache-Control", "no-cache");
  r.header("Content-Security-Policy", "default-src 'none'");
  return r;
}

}  // namespace

void Site::Impl::add_campaigns() {
  // SystemRandom holds no state; one for the routes of this page family.
  auto rng = std::make_shared<crypto::SystemRandom>();
  auto service = [this, rng] { return cp::Campaigns(db, clock, accounts_web->key_, *rng); };
  auto org_names = [this](Lang l) {
    std::map<std::string, std::string> names;
    if (auto orgs = registry.organizations()) {
      for (const auto& o : *orgs) names[o.slug] = o.name.in(lang_code(l));
    }
    return names;
  };
  using Names = std::map<std::string, std::string>;
  auto org_list = [](const Names& names, const std::vector<std::string>& slugs) {
    Data list = Data::type::list;
    for (const auto& s : slugs) {
      Data d;
      d.set("slug", s);
      auto it = names.find(s);
      d.set("name", it == names.end() ? s : it->second);
      list.push_back(d);
    }
    return list;
  };
  // The rows of a campaigns table as HTML, escaped here: a track record may list hundreds of
  // campaigns, and building them directly costs a fraction of a Mustache section per row
  // (bench/campaigns).
  auto summaries_rows = [this, org_names](Lang l, const std::vector<cp::CampaignSummary>& list) {
    const Names names = org_names(l);  // read once for the whole list
    std::string out;
    out.reserve(list.size() * 400);
    std::array<std::string, 4> outcome_text;
    for (auto o : cp::outcomes()) {
      outcome_text[static_cast<std::size_t>(o)] =
          core::xml_escape(translator.tr(l, outcome_label(o)));
    }
    for (const auto& c : list) {
      std::string orgs;
      for (const auto& slug : c.organizations) {
        auto it = names.find(slug);
        orgs += fmt::format("<a href=\"/track-record/organizations/{0}\">{1}</a> ",
                            core::xml_escape(slug),
                            core::xml_escape(it == names.end() ? slug : it->second));
      }
      const auto started = day(c.started_at);
      out += fmt::format(
          "<tr><td><a href=\"/campaigns/{}\">{}</a></td><td>{}</td><td><time datetime=\"{}\">{}"
          "</time></td><td>{}</td><td>{}/{}</td><td class=\"outcome {}\">{}</td></tr>",
          c.id.value(), core::xml_escape(c.title), orgs, started, started, c.actions,
          c.milestones_reached, c.milestones, cp::outcome_name(c.outcome),
          outcome_text[static_cast<std::size_t>(c.outcome)]);
    }
    return out;
  };
  auto bars_of = [this](Lang l, const std::vector<cp::CampaignSummary>& list) {
    std::vector<RecordBar> bars;
    bars.reserve(list.size());
    const auto now = clock.now();
    for (const auto& c : list) {
      bars.push_back(RecordBar{c.title, c.started_at, c.outcome_at.value_or(now),
                               std::string(cp::outcome_name(c.outcome)),
                               translator.tr(l, outcome_label(c.outcome))});
    }
    return bars;
  };
  auto counts_data = [this](Lang l, const cp::TrackRecord& r, Data& d) {
    d.set("achieved", std::to_string(r.counts.achieved));
    d.set("partly", std::to_string(r.counts.partly));
    d.set("not_achieved", std::to_string(r.counts.not_achieved));
    d.set("ongoing", std::to_string(r.counts.ongoing));
    d.set("total_actions", std::to_string(r.actions));
    d.set("total", std::to_string(r.campaigns.size()));
    (void)l;
  };

  // ---- Pages ----
  router.add(Method::kGet, "/campaigns", [this, service, summaries_rows](Request& req) {
    const Lang l = lang(req);
    cp::CampaignFilter filter;
    const auto outcome = req.query_param("outcome").value_or("");
    if (!outcome.empty()) {
      filter.outcome = cp::parse_outcome(outcome);
      if (!filter.outcome) return error(req, 400, "Unknown outcome.");
    }
    auto s = service();
    auto list = s.list(filter);
    if (!list) return error(req, list.error());
    auto orgs = organizations_sorted(l);
    if (!orgs) return error(req, orgs.error());
    Data d;
    d.set("rows", summaries_rows(l, *list));
    d.set("has_campaigns", !list->empty());
    Data org_links = Data::type::list;
    for (const auto& o : *orgs) {
      Data od;
      od.set("slug", o.slug);
      od.set("name", o.name.in(lang_code(l)));
      org_links.push_back(od);
    }
    d.set("orgs", org_links);
    Data outcomes = Data::type::list;
    for (auto o : cp::outcomes()) {
      Data od;
      od.set("value", std::string(cp::outcome_name(o)));
      od.set("label", translator.tr(l, outcome_label(o)));
      od.set("selected", outcome == cp::outcome_name(o));
      outcomes.push_back(od);
    }
    d.set("outcomes", outcomes);
    const auto p = accounts_web->principal(req);
    d.set("can_start", p && !delegate_orgs(*p).empty());
    return page(req, "campaigns", std::move(d), translator.tr(l, "Campaigns"));
  });

  // The campaigns log, 200 entries a page (the JSON API has the same entries).
  router.add(Method::kGet, "/campaigns/log", [this](Request& req) {
    const Lang l = lang(req);
    std::int64_t after = 0;
    if (auto a = req.query_param("after"); a && *a != "0") {
      auto v = parse_positive(*a);
      if (!v) return error(req, 400, "'after' must be a sequence number.");
      after = *v;
    }
    constexpr int kPage = 200;
    auto entries = cp::log_entries(db, after, kPage);
    if (!entries) return error(req, entries.error());
    Data list = Data::type::list;
    for (const auto& e : *entries) {
      Data d;
      d.set("seq", std::to_string(e.seq));
      d.set("time", core::to_iso8601(e.time));
      d.set("kind", e.kind);
      d.set("subject", e.subject);
      d.set("campaign", e.subject.substr(e.subject.find('/') + 1));
      d.set("body", e.body);
      d.set("hash", e.hash);
      d.set("prev_hash", e.prev_hash);
      list.push_back(d);
    }
    Data d;
    d.set("entries", list);
    d.set("has_entries", !entries->empty());
    if (entries->size() == static_cast<std::size_t>(kPage)) {
      d.set("next", std::to_string(entries->back().seq));
    }
    return page(req, "campaigns_log", std::move(d), translator.tr(l, "Campaigns log"));
  });

  auto new_form = [this](const Request& req, const Principal& p, const Input& in,
                         std::string_view message, int status) {
    Data d;
    d.set("title_value", in.text("title"));
    d.set("goal_value", in.text("goal"));
    d.set("targets_value", in.text("targets"));
    const auto source = in.text("source");
    d.set("source_motion", source == "motion");
    d.set("source_id", in.text("source_id"));
    Data orgs = Data::type::list;
    for (const auto& slug : delegate_orgs(p)) {
      Data o;
      o.set("slug", slug);
      o.set("checked", !in.text("org_" + slug).empty());
      orgs.push_back(o);
    }
    d.set("orgs", orgs);
    return account_form(req, "campaign_new", std::move(d), "Start a campaign", message, status);
  };

  router.add(Method::kGet, "/campaigns/new", [this, new_form](Request& req) {
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    std::map<std::string, std::string> f;
    if (auto m = req.query_param("motion")) {
      f["source"] = "motion";
      f["source_id"] = *m;
    } else {
      f["source"] = "issue";
      f["source_id"] = req.query_param("issue").value_or("");
    }
    const auto mine = delegate_orgs(*p);
    if (mine.size() == 1) f["org_" + mine[0]] = "1";
    return new_form(req, *p, form_input(f), "", 200);
  });

  router.add(Method::kPost, "/campaigns", [this, service, new_form](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    const auto in = form_input(f);
    std::vector<std::string> orgs;
    for (const auto& slug : delegate_orgs(*p)) {
      if (!field(f, "org_" + slug).empty()) orgs.push_back(slug);
    }
    auto c = new_campaign_of(in, orgs);
    Result<cp::CampaignId> id =
        c ? service().start(p->account, *c) : Result<cp::CampaignId>(c.error());
    if (!id) {
      const int status = status_for(id.error().code);
      if (status >= 500) return error(req, id.error());
      return new_form(req, *p, in, id.error().message, status);
    }
    return Response::redirect("/campaigns/" + id->str() + "?done=started");
  });

  router.add(Method::kGet, "/campaigns/{id}", [this, service, org_list, org_names](Request& req) {
    const Lang l = lang(req);
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoCampaign);
    auto s = service();
    auto c = s.campaign(cp::CampaignId(*id));
    if (!c) return error(req, c.error());
    Data d;
    d.set("id", c->id.str());
    d.set("title", c->title);
    d.set("goal", markdown_to_html(c->goal));
    Data targets = Data::type::list;
    for (const auto& t : c->targets) targets.push_back(Data("name", t));
    d.set("targets", targets);
    d.set("organizations", org_list(org_names(l), c->organizations));
    d.set("from_motion", c->source == cp::Source::kMotion);
    d.set("source_id", std::to_string(c->source_id));
    Data issues = Data::type::list;
    for (auto i : c->issues) issues.push_back(Data("issue", std::to_string(i)));
    d.set("issues", issues);
    d.set("started", day(c->started_at));
    d.set("started_by", c->started_by);
    d.set("outcome", translator.tr(l, outcome_label(c->outcome)));
    d.set("outcome_class", std::string(cp::outcome_name(c->outcome)));
    d.set("chart",
          campaign_timeline_svg(translator.tr(l, "Timeline"),
                                [&] {
                                  std::vector<TimelineEvent> ev;
                                  ev.push_back({c->started_at, "started", c->title});
                                  for (const auto& a : c->actions) {
                                    if (!a.retracted) ev.push_back({a.on, "action", a.title});
                                  }
                                  for (const auto& m : c->milestones) {
                                    if (m.due) ev.push_back({*m.due, "milestone", m.title});
                                  }
                                  if (c->outcome_at) {
                                    ev.push_back({*c->outcome_at, "outcome",
                                                  std::string(cp::outcome_name(c->outcome))});
                                  }
                                  return ev;
                                }(),
                                clock.now(),
                                {translator.tr(l, "Start and outcome"), translator.tr(l, "Actions"),
                                 translator.tr(l, "Milestones")}));
    auto action_data = [&](const cp::Action& a) {
      Data ad;
      ad.set("number", a.root.str());
      ad.set("date", day(a.on));
      ad.set("kind", translator.tr(l, kind_label(a.kind)));
      ad.set("title", a.title);
      ad.set("description", markdown_to_html(a.description));
      Data links = Data::type::list;
      for (const auto& link : a.links) links.push_back(Data("href", link));
      ad.set("links", links);
      ad.set("organization", a.organization);
      ad.set("recorded_by", a.recorded_by);
      ad.set("retracted", a.retracted);
      // Mustache treats an empty string as a value: keys are set only when there is one.
      if (!a.correction.empty()) ad.set("correction", a.correction);
      return ad;
    };
    Data actions = Data::type::list;
    for (const auto& a : c->actions) {
      Data ad = action_data(a);
      Data earlier = Data::type::list;
      for (const auto& e : a.earlier) earlier.push_back(action_data(e));
      ad.set("earlier", earlier);
      ad.set("has_earlier", !a.earlier.empty());
      actions.push_back(ad);
    }
    d.set("actions", actions);
    d.set("has_actions", !c->actions.empty());
    Data milestones = Data::type::list;
    for (const auto& m : c->milestones) {
      Data md;
      md.set("id", m.id.str());
      md.set("title", m.title);
      if (m.due) md.set("due", day(*m.due));
      md.set("status", translator.tr(l, status_label(m.status)));
      md.set("status_class", std::string(cp::milestone_status_name(m.status)));
      Data updates = Data::type::list;
      for (const auto& u : m.updates) {
        Data ud;
        ud.set("date", day(u.at));
        ud.set("status", translator.tr(l, status_label(u.status)));
        if (!u.note.empty()) ud.set("note", u.note);
        ud.set("by", u.recorded_by);
        updates.push_back(ud);
      }
      md.set("updates", updates);
      milestones.push_back(md);
    }
    d.set("milestones", milestones);
    d.set("has_milestones", !c->milestones.empty());
    Data outcomes = Data::type::list;
    for (const auto& o : c->outcome_history) {
      Data od;
      od.set("date", day(o.at));
      od.set("outcome", translator.tr(l, outcome_label(o.outcome)));
      od.set("evidence", markdown_to_html(o.evidence));
      Data links = Data::type::list;
      for (const auto& link : o.links) links.push_back(Data("href", link));
      od.set("links", links);
      od.set("by", o.recorded_by);
      outcomes.push_back(od);
    }
    d.set("outcome_history", outcomes);
    d.set("has_outcome_history", !c->outcome_history.empty());
    Data petitions = Data::type::list;
    for (const auto& pt : c->petitions) {
      Data pd;
      pd.set("id", pt.id.str());
      pd.set("title", pt.title);
      pd.set("signatures", std::to_string(pt.signatures));
      pd.set("open", pt.open);
      petitions.push_back(pd);
    }
    d.set("petitions", petitions);
    d.set("has_petitions", !c->petitions.empty());
    const auto done = req.query_param("done").value_or("");
    if (!done.empty()) d.set("notice", translator.tr(l, "Recorded."));
    const auto p = accounts_web->principal(req);
    if (!p) return page(req, "campaign", std::move(d), c->title);
    // The team's forms: for the principal's organizations that run the campaign; the join form
    // for those that do not.
    Data team = Data::type::list, others = Data::type::list;
    for (const auto& slug : delegate_orgs(*p)) {
      const bool runs = std::find(c->organizations.begin(), c->organizations.end(), slug) !=
                        c->organizations.end();
      (runs ? team : others).push_back(Data("slug", slug));
    }
    d.set("team", team);
    d.set("is_team", !team.is_empty_list());
    d.set("others", others);
    d.set("may_join", !others.is_empty_list());
    // The choices of a select: each value's name and its label in the reader's language.
    const auto choices = [&](const auto& values, auto name, auto label) {
      Data list = Data::type::list;
      for (auto v : values) {
        Data o;
        o.set("value", std::string(name(v)));
        o.set("label", translator.tr(l, label(v)));
        list.push_back(o);
      }
      return list;
    };
    d.set("kinds", choices(cp::action_kinds(), cp::action_kind_name, kind_label));
    d.set("statuses", choices(cp::milestone_statuses(), cp::milestone_status_name, status_label));
    d.set("outcome_options", choices(cp::outcomes(), cp::outcome_name, outcome_label));
    d.set("today", day(clock.now()));
    return account_form(req, "campaign", std::move(d), c->title, "", 200);
  });

  router.add(Method::kGet, "/campaigns/{id}/export.csv", [this, service](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoCampaign);
    auto c = service().campaign(cp::CampaignId(*id));
    if (!c) return error(req, c.error());
    return download(cp::campaign_csv(*c), "text/csv; charset=utf-8",
                    fmt::format("campaign-{}.csv", *id));
  });

  router.add(Method::kGet, "/campaigns/{id}/export.json", [this, service](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoCampaign);
    auto c = service().campaign(cp::CampaignId(*id));
    if (!c) return error(req, c.error());
    return download(boost::json::serialize(cp::campaign_json(*c)), "application/json",
                    fmt::format("campaign-{}.json", *id));
  });

  for (const auto& [name, write] : writes()) {
    router.add(Method::kPost, "/campaigns/{id}/" + name,
               [this, service, write = write](Request& req) {
                 const auto f = form_fields(req);
                 if (!accounts_web->csrf_ok(req, field(f, "csrf"))) {
                   return error(req, 403, kCharterBadCsrf);
                 }
                 const auto p = accounts_web->principal(req);
                 if (!p) return Response::redirect("/login");
                 if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
                 const auto id = id_param(req);
                 if (!id) return error(req, 404, kNoCampaign);
                 const auto org = field(f, "organization");
                 if (!org.empty() && !p->may_act_as(Role::kDelegate, org)) {
                   return error(req, 403, "You are not a delegate of that organization.");
                 }
                 auto s = service();
                 auto made = write(s, *p, cp::CampaignId(*id), form_input(f));
                 if (!made) return error(req, made.error());
                 return Response::redirect("/campaigns/" + std::to_string(*id) + "?done=1");
               });
  }

  auto petition_page = [this, service](const Request& req, cp::PetitionId id,
                                       const cp::SignatureReceipt* receipt) {
    const Lang l = lang(req);
    auto s = service();
    auto pt = s.petition(id);
    if (!pt) return error(req, pt.error());
    auto published = s.published_signatures(id);
    if (!published) return error(req, published.error());
    Data d;
    d.set("id", pt->id.str());
    d.set("title", pt->title);
    d.set("text", markdown_to_html(pt->text));
    d.set("campaign", pt->campaign.str());
    d.set("campaign_title", pt->campaign_title);
    d.set("signatures", std::to_string(pt->signatures));
    d.set("open", pt->open);
    if (pt->closes_at) d.set("closes", day(*pt->closes_at));
    d.set("digest", published->digest);
    Data names = Data::type::list;
    for (const auto& n : published->public_names) names.push_back(Data("name", n));
    d.set("names", names);
    d.set("has_names", !published->public_names.empty());
    if (receipt != nullptr) {
      d.set("receipt", receipt->receipt);
      d.set("signature_hash", receipt->signature_hash);
    }
    const auto p = accounts_web->principal(req);
    if (!p) return page(req, "petition", std::move(d), pt->title);
    d.set("signed_in", true);
    auto mine = s.has_signed(p->account, id);
    if (!mine) return error(req, mine.error());
    d.set("signed", *mine);
    (void)l;
    return account_form(req, "petition", std::move(d), pt->title, "", 200);
  };

  router.add(Method::kGet, "/petitions/{id}", [this, petition_page](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoPetition);
    return petition_page(req, cp::PetitionId(*id), nullptr);
  });

  router.add(Method::kPost, "/petitions/{id}/sign", [this, service, petition_page](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!p->may_act_as(Role::kConstituent)) return error(req, 403, kNotConstituent);
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoPetition);
    auto receipt = service().sign(p->account, cp::PetitionId(*id), field(f, "public_name"));
    if (!receipt) return error(req, receipt.error());
    // The receipt is shown once, on this answer, and never stored.
    return petition_page(req, cp::PetitionId(*id), &*receipt);
  });

  auto record_page = [this, summaries_rows, bars_of, counts_data](
                         const Request& req, const cp::TrackRecord& r, Data d,
                         const std::string& title, const std::string& base) {
    const Lang l = lang(req);
    d.set("rows", summaries_rows(l, r.campaigns));
    d.set("has_campaigns", !r.campaigns.empty());
    counts_data(l, r, d);
    d.set("chart", record_timeline_svg(title, bars_of(l, r.campaigns)));
    d.set("base", base);
    return page(req, "track_record", std::move(d), title);
  };

  router.add(Method::kGet, "/track-record/organizations/{slug}",
             [this, service, record_page](Request& req) {
               const Lang l = lang(req);
               const auto slug = req.path_params.at("slug");
               auto org = registry.organization(slug);
               if (!org) return error(req, org.error());
               auto r = service().organization_record(slug);
               if (!r) return error(req, r.error());
               Data d;
               d.set("is_organization", true);
               d.set("slug", slug);
               d.set("name", org->name.in(lang_code(l)));
               return record_page(
                   req, *r, std::move(d),
                   translator.tr(l, "Track record") + ": " + org->name.in(lang_code(l)),
                   "/track-record/organizations/" + slug);
             });

  router.add(Method::kGet, "/track-record/organizations/{slug}/export.csv",
             [this, service](Request& req) {
               const auto slug = req.path_params.at("slug");
               auto r = service().organization_record(slug);
               if (!r) return error(req, r.error());
               return download(cp::summaries_csv(r->campaigns), "text/csv; charset=utf-8",
                               "track-record-" + slug + ".csv");
             });

  router.add(Method::kGet, "/track-record/organizations/{slug}/export.json",
             [this, service](Request& req) {
               const auto slug = req.path_params.at("slug");
               auto r = service().organization_record(slug);
               if (!r) return error(req, r.error());
               auto o = cp::record_json(*r);
               o["organization"] = slug;
               return download(boost::json::serialize(o), "application/json",
                               "track-record-" + slug + ".json");
             });

  router.add(
      Method::kGet, "/track-record/organizations/{slug}/timeline.svg",
      [this, service, bars_of](Request& req) {
        const Lang l = lang(req);
        const auto slug = req.path_params.at("slug");
        auto r = service().organization_record(slug);
        if (!r) return error(req, r.error());
        return svg(record_timeline_svg(translator.tr(l, "Track record"), bars_of(l, r->campaigns)));
      });

  router.add(Method::kGet, "/track-record/issues/{id}", [this, service, record_page](Request& req) {
    const Lang l = lang(req);
    const auto id = id_param(req);
    if (!id) return error(req, 404, "There is no such issue.");
    agenda::Agenda issues(db, clock, accounts_web->key_);
    auto issue = issues.issue(agenda::IssueId(*id));
    if (!issue) return error(req, issue.error());
    auto r = service().issue_record(*id);
    if (!r) return error(req, r.error());
    Data d;
    d.set("is_issue", true);
    d.set("issue", std::to_string(*id));
    d.set("name", issue->title);
    if (issue->admitted_at) d.set("admitted", day(*issue->admitted_at));
    d.set("supports", std::to_string(issue->supports));
    // The mandate: the issue's place in the latest counted priority round that ranked it.
    auto rounds = issues.mandate();
    if (!rounds) return error(req, rounds.error());
    for (const auto& round : *rounds) {
      int place = 1;
      bool found = false;
      for (const auto& level : round.ranking) {
        if (std::find(level.begin(), level.end(), agenda::IssueId(*id)) != level.end()) {
          found = true;
          break;
        }
        place += static_cast<int>(level.size());
      }
      if (!found) continue;
      d.set("mandate_place", std::to_string(place));
      d.set("mandate_round", round.title);
      d.set("mandate_of", std::to_string(round.issues.size()));
      break;
    }
    return record_page(req, *r, std::move(d),
                       translator.tr(l, "Track record") + ": " + issue->title,
                       "/track-record/issues/" + std::to_string(*id));
  });

  // ---- JSON API ----
  auto api_principal = [this](Request& req) { return api_writer(req); };
  auto body_of = [](const Request& req) -> std::optional<boost::json::object> {
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return v.as_object();
  };

  router.add(Method::kGet, "/api/v1/campaigns", [this, service](Request& req) {
    cp::CampaignFilter filter;
    if (auto o = req.query_param("outcome")) {
      filter.outcome = cp::parse_outcome(*o);
      if (!filter.outcome) return error(req, 400, "Unknown outcome.");
    }
    filter.organization = req.query_param("organization").value_or("");
    auto list = service().list(filter);
    if (!list) return error(req, list.error());
    boost::json::array out;
    for (const auto& c : *list) out.push_back(cp::summary_json(c));
    return json(boost::json::object{{"campaigns", std::move(out)}});
  });

  router.add(Method::kPost, "/api/v1/campaigns",
             [this, service, api_principal, body_of](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               if (auto s = check_any_delegate(p); !s) return error(req, s.error());
               auto body = body_of(req);
               if (!body) return error(req, 400, "The request body must be a JSON object.");
               auto in = json_input(*body);
               if (!in)
                 return error(req, 400, "Fields must be strings, numbers or lists of strings.");
               const auto orgs = in->list("organizations");
               for (const auto& o : orgs) {
                 if (!p.may_act_as(Role::kDelegate, o)) {
                   return error(req, 403, "You are not a delegate of that organization.");
                 }
               }
               auto c = new_campaign_of(*in, orgs);
               if (!c) return error(req, c.error());
               auto s = service();
               auto id = s.start(p.account, *c);
               if (!id) return error(req, id.error());
               auto made = s.campaign(*id);
               if (!made) return error(req, made.error());
               return json(cp::campaign_json(*made), 201);
             });

  router.add(Method::kGet, "/api/v1/campaigns/log", [this](Request& req) {
    std::int64_t after = 0;
    if (auto a = req.query_param("after"); a && *a != "0") {
      auto v = parse_positive(*a);
      if (!v) return error(req, 400, "'after' must be a sequence number.");
      after = *v;
    }
    auto entries = cp::log_entries(db, after, 500, req.query_param("subject").value_or(""));
    if (!entries) return error(req, entries.error());
    boost::json::array out;
    for (const auto& e : *entries) {
      boost::system::error_code ec;
      auto body = boost::json::parse(e.body, ec);
      out.push_back({{"seq", e.seq},
                     {"at", core::to_iso8601(e.time)},
                     {"kind", e.kind},
                     {"subject", e.subject},
                     {"body", ec ? boost::json::value(e.body) : body},
                     {"body_text", e.body},
                     {"prev_hash", e.prev_hash},
                     {"hash", e.hash}});
    }
    return json(boost::json::object{{"entries", std::move(out)}});
  });

  router.add(Method::kGet, "/api/v1/campaigns/{id}", [this, service](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoCampaign);
    auto c = service().campaign(cp::CampaignId(*id));
    if (!c) return error(req, c.error());
    return json(cp::campaign_json(*c));
  });

  for (const auto& [name, write] : writes()) {
    const std::string path = name == "join" ? "organizations" : name;
    router.add(Method::kPost, "/api/v1/campaigns/{id}/" + path,
               [this, service, api_principal, body_of, write = write](Request& req) {
                 auto who = api_principal(req);
                 if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
                 const auto& p = std::get<Principal>(who);
                 if (auto s = check_any_delegate(p); !s) return error(req, s.error());
                 const auto id = id_param(req);
                 if (!id) return error(req, 404, kNoCampaign);
                 auto body = body_of(req);
                 if (!body) return error(req, 400, "The request body must be a JSON object.");
                 auto in = json_input(*body);
                 if (!in) {
                   return error(req, 400, "Fields must be strings, numbers or lists of strings.");
                 }
                 const auto org = in->text("organization");
                 if (!org.empty() && !p.may_act_as(Role::kDelegate, org)) {
                   return error(req, 403, "You are not a delegate of that organization.");
                 }
                 auto s = service();
                 auto made = write(s, p, cp::CampaignId(*id), *in);
                 if (!made) return error(req, made.error());
                 auto c = s.campaign(cp::CampaignId(*id));
                 if (!c) return error(req, c.error());
                 auto o = cp::campaign_json(*c);
                 o["made"] = *made;
                 return json(o, 201);
               });
  }

  router.add(Method::kGet, "/api/v1/petitions/{id}", [this, service](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoPetition);
    auto p = service().petition(cp::PetitionId(*id));
    if (!p) return error(req, p.error());
    return json(cp::petition_json(*p));
  });

  router.add(Method::kGet, "/api/v1/petitions/{id}/signatures", [this, service](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoPetition);
    auto p = service().published_signatures(cp::PetitionId(*id));
    if (!p) return error(req, p.error());
    return json(cp::published_json(*p));
  });

  router.add(Method::kPost, "/api/v1/petitions/{id}/signatures",
             [this, service, api_principal, body_of](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               if (!p.may_act_as(Role::kConstituent)) return error(req, 403, kNotConstituent);
               const auto id = id_param(req);
               if (!id) return error(req, 404, kNoPetition);
               auto body = body_of(req);
               if (!body) return error(req, 400, "The request body must be a JSON object.");
               std::string name;
               if (const auto* v = body->if_contains("public_name");
                   v != nullptr && !v->is_null()) {
                 if (!v->is_string()) return error(req, 400, "'public_name' must be a string.");
                 name = std::string(v->as_string());
               }
               auto receipt = service().sign(p.account, cp::PetitionId(*id), name);
               if (!receipt) return error(req, receipt.error());
               Response r = json(boost::json::object{{"petition", *id},
                                                     {"receipt", receipt->receipt},
                                                     {"signature_hash", receipt->signature_hash},
                                                     {"signatures", receipt->count}},
                                 201);
               r.header("Cache-Control", "no-store");
               return r;
             });

  router.add(Method::kGet, "/api/v1/track-record/organizations/{slug}",
             [this, service](Request& req) {
               const auto slug = req.path_params.at("slug");
               auto r = service().organization_record(slug);
               if (!r) return error(req, r.error());
               auto o = cp::record_json(*r);
               o["organization"] = slug;
               return json(o);
             });

  router.add(Method::kGet, "/api/v1/track-record/issues/{id}", [this, service](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, "There is no such issue.");
    auto r = service().issue_record(*id);
    if (!r) return error(req, r.error());
    auto o = cp::record_json(*r);
    o["issue"] = *id;
    return json(o);
  });
}

}  // namespace veche::http
