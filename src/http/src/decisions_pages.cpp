// Coalition decisions on the site: motions (/motions, /motions/new, /motions/{id} with the vote,
// conflict and close forms), consultations (/consultations, /consultations/{id} with the
// ballot form and, once closed, the result), the public decisions log (/decisions), and the
// same under /api/v1/motions, /api/v1/consultations and /api/v1/decisions.
//
// Authorization is checked before anything else of a write: delegates (second factor passed;
// a token with the delegate scope) propose, vote for their organization, declare conflicts
// and close a motion whose window has ended; constituents (a token with the vote scope) cast
// consultation ballots. Cookie writes need the CSRF token. A motion is closed by a delegate
// (or `veche motion close`) once its window has ended; a consultation whose close time has
// passed is closed and counted by the first request that reads it, so its result is never
// shown before the close and never missing after it.
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <set>
#include <variant>

#include "charter_routes.hpp"
#include "form_time.hpp"
#include "veche/core/text.hpp"
#include "veche/decisions/charter_rules.hpp"
#include "veche/decisions/consultations.hpp"
#include "veche/decisions/log.hpp"
#include "veche/decisions/motions.hpp"

namespace veche::http {
namespace {

using decisions::ConsultationId;
using decisions::MotionId;
using registry::Role;

constexpr std::string_view kApiCsrf =
    "Send the CSRF token of your session in the X-CSRF-Token header.";
constexpr std::string_view kNoMotion = "There is no such motion.";
constexpr std::string_view kNoConsultation = "There is no such consultation.";
constexpr int kLogPage = 50;

Response api_json(const boost::json::value& v, int status = 200) {
  Response r = Response::json(boost::json::serialize(v), status);
  r.header("Cache-Control", "no-store");
  return r;
}

std::optional<std::int64_t> id_param(const Request& req) {
  const auto it = req.path_params.find("id");
  if (it == req.path_params.end()) return std::nullopt;
  return parse_positive(it->second);
}

std::string iso(core::TimePoint t) { return core::to_iso8601(t); }
// "2026-11-27 13:05 UTC" for people.
std::string shown(core::TimePoint t) {
  const auto s = core::to_iso8601(t);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

// The delegate's organization named in a write: one of the principal's.
Status check_delegate_of(const Principal& p, std::string_view org) {
  if (p.may_act_as(Role::kDelegate, org)) return ok();
  VECHE_TRY(check_any_delegate(p));
  return permission_denied("You are not a delegate of that organization.");
}

Status check_constituent(const Principal& p) {
  if (p.may_act_as(Role::kConstituent)) return ok();
  if (p.holds(Role::kConstituent)) return permission_denied("This token lacks the vote scope.");
  return permission_denied("Only constituents take part in consultations.");
}

boost::json::object rule_json(const decisions::DecisionRule& r) {
  return {{"kind", decisions::rule_kind_name(r.kind)},
          {"majority", {{"num", r.majority.num}, {"den", r.majority.den}}},
          {"quorum", {{"num", r.quorum.num}, {"den", r.quorum.den}}},
          {"description", decisions::describe_rule(r)}};
}

boost::json::object tally_json(const decisions::Tally& t) {
  return {{"yes", t.yes},
          {"no", t.no},
          {"abstain", t.abstain},
          {"objection", t.objection},
          {"absent", t.absent}};
}

boost::json::object motion_json(const decisions::Motion& m, core::TimePoint now) {
  boost::json::array votes;
  for (const auto& v : m.votes) {
    votes.push_back({{"organization", v.organization},
                     {"delegate", v.delegate},
                     {"choice", decisions::vote_choice_name(v.choice)},
                     {"reason", v.reason},
                     {"cast_at", iso(v.cast_at)},
                     {"counts", v.counts}});
  }
  boost::json::array recusals;
  for (const auto& r : m.recusals) {
    recusals.push_back({{"organization", r.organization},
                        {"delegate", r.delegate},
                        {"reason", r.reason},
                        {"declared_at", iso(r.declared_at)}});
  }
  boost::json::array electorate;
  for (const auto& e : m.electorate) electorate.push_back(boost::json::string(e));
  boost::json::array issues;
  for (auto i : m.agenda_issues) issues.push_back(i);
  boost::json::object o{{"id", m.id.value()},
                        {"title", m.title},
                        {"text_markdown", m.text},
                        {"kind", decisions::motion_kind_name(m.kind)},
                        {"organization", m.organization},
                        {"proposer", m.proposer},
                        {"agenda_issues", std::move(issues)},
                        {"rule", rule_json(m.rule)},
                        {"created_at", iso(m.created_at)},
                        {"voting_opens_at", iso(m.voting_opens_at)},
                        {"voting_closes_at", iso(m.voting_closes_at)},
                        {"state", decisions::motion_state_name(m.state(now))},
                        {"electorate", std::move(electorate)},
                        {"votes", std::move(votes)},
                        {"recusals", std::move(recusals)}};
  if (m.decision) {
    o["closed_at"] = iso(*m.closed_at);
    o["outcome"] = decisions::outcome_name(m.decision->outcome);
    o["reason"] = m.decision->reason;
    o["tally"] = tally_json(m.decision->tally);
  }
  return o;
}

boost::json::object consultation_json(const decisions::Consultation& c, bool with_result) {
  boost::json::array options;
  for (const auto& o : c.options) options.push_back(boost::json::string(o));
  boost::json::object o{{"id", c.id.value()},
                        {"title", c.title},
                        {"question_markdown", c.question},
                        {"kind", decisions::question_kind_name(c.kind)},
                        {"method", count::method_name(c.method)},
                        {"options", std::move(options)},
                        {"opened_at", iso(c.opened_at)},
                        {"closes_at", iso(c.closes_at)},
                        {"closed", c.closed()}};
  if (c.closed()) {
    o["closed_at"] = iso(*c.closed_at);
    o["ballots"] = c.ballots;
    if (with_result) {
      boost::system::error_code ec;
      o["report"] = boost::json::parse(c.report_json, ec);
    }
  }
  return o;
}

std::optional<std::int64_t> small_number(std::string_view s) {
  s = core::trim(s);
  std::int64_t v = 0;
  if (s.empty() || s.size() > 9) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Issue numbers separated by commas or spaces ("12, 15").
Result<std::vector<std::int64_t>> issue_list(std::string_view text) {
  std::vector<std::int64_t> out;
  std::string token;
  auto flush = [&]() -> Status {
    if (token.empty()) return ok();
    auto v = small_number(token.front() == '#' ? token.substr(1) : token);
    if (!v || *v <= 0) return invalid_argument("Agenda issues are numbers separated by commas.");
    out.push_back(*v);
    token.clear();
    return ok();
  };
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      VECHE_TRY(flush());
    } else {
      token += c;
    }
    if (token.size() > 20)
      return invalid_argument("Agenda issues are numbers separated by commas.");
  }
  VECHE_TRY(flush());
  return out;
}

// A new motion from form fields or a JSON object (the same names).
struct MotionInput {
  std::string title, text, kind, organization, rule, majority_num, majority_den, quorum_num,
      quorum_den, opens, closes, issues;
};

Result<decisions::NewMotion> new_motion(const MotionInput& in) {
  decisions::NewMotion m;
  m.title = in.title;
  m.text = in.text;
  const auto kind = decisions::parse_motion_kind(in.kind);
  if (!kind) {
    return invalid_argument(
        "Choose the kind of motion: position, statement, campaign or charter "
        "change.");
  }
  m.kind = *kind;
  m.organization = in.organization;
  const auto rule = decisions::parse_rule_kind(in.rule);
  if (!rule) {
    return invalid_argument(
        "Choose the decision rule: consensus, qualified majority or "
        "unanimity.");
  }
  m.rule.kind = *rule;
  auto fraction = [](std::string_view num, std::string_view den,
                     decisions::Fraction fallback) -> Result<decisions::Fraction> {
    if (core::trim(num).empty() && core::trim(den).empty()) return fallback;
    const auto n = small_number(num);
    const auto d = small_number(den);
    if (!n || !d) return invalid_argument("A fraction needs a whole numerator and denominator.");
    return decisions::Fraction{*n, *d};
  };
  VECHE_ASSIGN_OR_RETURN(m.rule.majority,
                         fraction(in.majority_num, in.majority_den, decisions::Fraction{2, 3}));
  VECHE_ASSIGN_OR_RETURN(m.rule.quorum,
                         fraction(in.quorum_num, in.quorum_den, decisions::Fraction{1, 2}));
  const auto opens = parse_time(in.opens);
  const auto closes = parse_time(in.closes);
  if (!opens || !closes) {
    return invalid_argument("Give the voting window as dates and times (UTC).");
  }
  m.voting_opens_at = *opens;
  m.voting_closes_at = *closes;
  VECHE_ASSIGN_OR_RETURN(m.agenda_issues, issue_list(in.issues));
  return m;
}

// A ballot from the form: single choice "choice"; approval every "approve"; ranked
// "rank_<option>" = position (blank: not ranked).
Result<decisions::Choices> form_ballot(const decisions::Consultation& c,
                                       const std::vector<std::pair<std::string, std::string>>& f) {
  decisions::Choices out;
  if (c.kind == decisions::QuestionKind::kSingleChoice ||
      c.kind == decisions::QuestionKind::kApproval) {
    const std::string name =
        c.kind == decisions::QuestionKind::kSingleChoice ? "choice" : "approve";
    for (const auto& [k, v] : f) {
      if (k != name) continue;
      const auto i = small_number(v);
      if (!i || *i < 0 || *i > 1000) return invalid_argument("That option is not on the ballot.");
      out.push_back(static_cast<int>(*i));
    }
    if (out.empty()) return invalid_argument("Choose at least one option.");
    return out;
  }
  std::vector<std::pair<std::int64_t, int>> ranked;  // position, option
  std::set<std::int64_t> positions;
  for (const auto& [k, v] : f) {
    if (!k.starts_with("rank_") || core::trim(v).empty()) continue;
    const auto option = small_number(std::string_view(k).substr(5));
    const auto position = small_number(v);
    if (!option || *option < 0 || *option > 1000 || !position || *position < 1) {
      return invalid_argument("Rank the options with the numbers 1, 2, 3, ...");
    }
    if (!positions.insert(*position).second) {
      return invalid_argument("Give each option a different rank.");
    }
    ranked.emplace_back(*position, static_cast<int>(*option));
  }
  std::sort(ranked.begin(), ranked.end());
  for (const auto& r : ranked) out.push_back(r.second);
  if (out.empty()) return invalid_argument("Rank at least one option.");
  return out;
}

// The lines of a textarea, without their line ends.
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// A new consultation as typed into the form (options one per line) or sent to the API.
Result<decisions::NewConsultation> new_consultation(std::string_view title,
                                                    std::string_view question,
                                                    std::string_view kind, std::string_view method,
                                                    std::vector<std::string> options,
                                                    std::string_view closes) {
  decisions::NewConsultation c;
  c.title = std::string(title);
  c.question = std::string(question);
  const auto k = decisions::parse_question_kind(kind);
  if (!k) return invalid_argument("The kind must be single-choice, approval or ranked.");
  c.kind = *k;
  c.method = std::string(method);
  for (auto& o : options) {
    if (!core::trim(o).empty()) c.options.emplace_back(core::trim(o));
  }
  const auto t = parse_time(closes);
  if (!t) return invalid_argument("Give the close time as 2026-12-01T18:00 (UTC).");
  c.closes_at = *t;
  return c;
}

Result<decisions::Choices> json_ballot(const boost::json::value& body) {
  const auto* o = body.is_object() ? body.as_object().if_contains("choices") : nullptr;
  if (o == nullptr || !o->is_array()) {
    return invalid_argument("'choices' must be an array of option numbers.");
  }
  decisions::Choices out;
  for (const auto& v : o->as_array()) {
    if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > 1000) {
      return invalid_argument("'choices' must be an array of option numbers.");
    }
    out.push_back(static_cast<int>(v.as_int64()));
  }
  return out;
}

std::string json_string(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_array()) {
    std::string joined;
    for (const auto& x : v->as_array()) {
      if (x.is_int64()) joined += std::to_string(x.as_int64()) + ",";
    }
    return joined;
  }
  return "?";  // a value of another type: refused by the parser it reaches
}

Result<boost::json::object> json_body(const Request& req) {
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object()) return invalid_argument("The request body must be a JSON object.");
  return std::move(body.as_object());
}

// The pages and API of this file, over the site's shared state. Kept alive by the route
// handlers that capture it.
template <class Impl>
class DecisionsPages : public std::enable_shared_from_this<DecisionsPages<Impl>> {
 public:
  explicit DecisionsPages(Impl& s)
      : site(s),
        db(s.db),
        clock(s.clock),
        translator(s.translator),
        accounts_web(s.accounts_web),
        router(s.router) {}

  void add_decisions();

 private:
  template <class... A>
  Response page(A&&... a) const {
    return site.page(std::forward<A>(a)...);
  }
  template <class... A>
  Response error(A&&... a) const {
    return site.error(std::forward<A>(a)...);
  }
  template <class... A>
  Response account_form(A&&... a) const {
    return site.account_form(std::forward<A>(a)...);
  }
  Response org_error(const Request& req, const Error& e) const { return site.org_error(req, e); }
  // The principal of an API write that a delegate makes; otherwise the refusal to send (401,
  // 403 without the CSRF header of a cookie session, 403 for anyone else).
  std::variant<Principal, Response> delegate_for_api(Request& req) const {
    auto p = accounts_web->authenticate(req);
    if (!p) return org_error(req, p.error());
    if (p->needs_csrf() && !accounts_web->api_csrf_ok(req)) return error(req, 403, kApiCsrf);
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    return std::move(*p);
  }
  Lang lang(const Request& req) const { return site.lang(req); }
  Result<std::vector<registry::Organization>> organizations_sorted(Lang l) const {
    return site.organizations_sorted(l);
  }

  // The consultation, closed and counted first when its close time has passed.
  Result<decisions::Consultation> consultation_closing_if_due(ConsultationId id) const;
  Response motion_page(const Request& req, const decisions::Motion& m, std::string_view message,
                       std::string_view notice, int status) const;
  Response motion_form(const Request& req, const Principal& p, Data d, std::string_view message,
                       int status) const;
  Response consultation_page(const Request& req, const decisions::Consultation& c,
                             std::string_view message, std::string_view notice, int status) const;
  void add_consultations();
  void add_decisions_log();

  Impl& site;
  store::Database& db;
  const core::Clock& clock;
  const Translator& translator;
  std::unique_ptr<AccountsWeb>& accounts_web;
  Router& router;
};

template <class Impl>
Result<decisions::Consultation> DecisionsPages<Impl>::consultation_closing_if_due(
    ConsultationId id) const {
  decisions::Consultations service(db, clock, accounts_web->key_);
  VECHE_ASSIGN_OR_RETURN(auto c, service.consultation(id));
  if (!c.closed() && clock.now() >= c.closes_at) {
    auto closed = service.close(id, "operator");
    if (!closed && closed.error().code != ErrorCode::kFailedPrecondition) {
      return std::move(closed).error();
    }
    return service.consultation(id);
  }
  return c;
}

template <class Impl>
Response DecisionsPages<Impl>::motion_page(const Request& req, const decisions::Motion& m,
                                           std::string_view message, std::string_view notice,
                                           int status) const {
  const Lang l = lang(req);
  const auto code = lang_code(l);
  const auto now = clock.now();
  const auto state = m.state(now);
  Data d;
  d.set("id", m.id.str());
  d.set("title", m.title);
  d.set("html", markdown_to_html(m.text));
  d.set("kind", translator.tr(l, std::string(decisions::motion_kind_name(m.kind))));
  d.set("organization", m.organization);
  d.set("proposer", m.proposer);
  d.set("rule", decisions::describe_rule(m.rule));
  d.set("created", shown(m.created_at));
  d.set("opens", shown(m.voting_opens_at));
  d.set("closes", shown(m.voting_closes_at));
  d.set("opens_iso", iso(m.voting_opens_at));
  d.set("closes_iso", iso(m.voting_closes_at));
  d.set("state", translator.tr(l, std::string(decisions::motion_state_name(state))));
  d.set("state_code", std::string(decisions::motion_state_name(state)));
  if (!notice.empty()) d.set("notice", std::string(notice));
  Data issues = Data::type::list;
  for (auto i : m.agenda_issues) issues.push_back(Data("number", std::to_string(i)));
  d.set("issues", issues);
  d.set("has_issues", !m.agenda_issues.empty());
  // Each organization of the electorate with the vote that counts, in the neutral order.
  auto orgs = organizations_sorted(l);
  std::map<std::string, std::string> names;
  if (orgs) {
    for (const auto& o : *orgs) names[o.slug] = o.name.in(code);
  }
  Data rows = Data::type::list;
  const std::vector<registry::Organization> none;
  for (const auto& o : orgs ? *orgs : none) {
    if (std::find(m.electorate.begin(), m.electorate.end(), o.slug) == m.electorate.end()) {
      continue;
    }
    Data row;
    row.set("slug", o.slug);
    row.set("name", o.name.in(code));
    row.set("choice", translator.tr(l, "absent"));
    row.set("choice_code", "absent");
    for (const auto& v : m.votes) {
      if (v.organization != o.slug || !v.counts) continue;
      row.set("choice", translator.tr(l, std::string(decisions::vote_choice_name(v.choice))));
      row.set("choice_code", std::string(decisions::vote_choice_name(v.choice)));
      row.set("reason", v.reason);
      row.set("delegate", v.delegate);
    }
    rows.push_back(row);
  }
  d.set("electorate", rows);
  Data history = Data::type::list;
  for (const auto& v : m.votes) {
    Data row;
    row.set("organization",
            names.contains(v.organization) ? names[v.organization] : v.organization);
    row.set("delegate", v.delegate);
    row.set("choice", translator.tr(l, std::string(decisions::vote_choice_name(v.choice))));
    row.set("reason", v.reason);
    row.set("time", shown(v.cast_at));
    row.set("replaced", !v.counts);
    history.push_back(row);
  }
  d.set("history", history);
  d.set("has_history", !m.votes.empty());
  Data recusals = Data::type::list;
  for (const auto& r : m.recusals) {
    Data row;
    row.set("organization",
            names.contains(r.organization) ? names[r.organization] : r.organization);
    row.set("delegate", r.delegate);
    row.set("reason", r.reason);
    recusals.push_back(row);
  }
  d.set("recusals", recusals);
  d.set("has_recusals", !m.recusals.empty());
  if (m.decision) {
    d.set("closed", true);
    d.set("outcome", translator.tr(l, std::string(decisions::outcome_name(m.decision->outcome))));
    d.set("outcome_code", std::string(decisions::outcome_name(m.decision->outcome)));
    d.set("passed", m.decision->outcome == decisions::Outcome::kPassed);  // campaigns link
    d.set("reason", m.decision->reason);
    d.set("yes", std::to_string(m.decision->tally.yes));
    d.set("no", std::to_string(m.decision->tally.no));
    d.set("abstain", std::to_string(m.decision->tally.abstain));
    d.set("objection", std::to_string(m.decision->tally.objection));
    d.set("absent", std::to_string(m.decision->tally.absent));
  }
  const auto p = accounts_web->principal(req);
  if (p) {
    Data mine = Data::type::list;
    for (const auto& slug : delegate_orgs(*p)) {
      if (std::find(m.electorate.begin(), m.electorate.end(), slug) == m.electorate.end()) {
        continue;
      }
      Data o;
      o.set("slug", slug);
      o.set("name", names.contains(slug) ? names[slug] : slug);
      mine.push_back(o);
    }
    const bool is_delegate = !delegate_orgs(*p).empty();
    d.set("my_orgs", mine);
    d.set("can_vote", state == decisions::MotionState::kVoting && !mine.is_empty_list());
    d.set("can_declare", !m.closed_at && !mine.is_empty_list());
    d.set("can_close", state == decisions::MotionState::kAwaitingClose && is_delegate);
    return account_form(req, "motion", std::move(d), m.title, message, status);
  }
  return page(req, "motion", std::move(d), m.title, status);
}

template <class Impl>
Response DecisionsPages<Impl>::motion_form(const Request& req, const Principal& p, Data d,
                                           std::string_view message, int status) const {
  const Lang l = lang(req);
  const auto code = lang_code(l);
  auto orgs = organizations_sorted(l);
  if (!orgs) return error(req, orgs.error());
  const auto mine = delegate_orgs(p);
  Data list = Data::type::list;
  for (const auto& o : *orgs) {
    if (std::find(mine.begin(), mine.end(), o.slug) == mine.end()) continue;
    Data od;
    od.set("slug", o.slug);
    od.set("name", o.name.in(code));
    list.push_back(od);
  }
  d.set("orgs", list);
  // The rules the charter names, if it names any (charter_rules.hpp).
  Data named = Data::type::list;
  if (auto charter = registry::Registry(db, clock).current_charter()) {
    if (auto rules = decisions::charter_rules(charter->body.en)) {
      for (const auto& r : *rules) named.push_back(Data("rule", decisions::describe_rule(r)));
    }
  }
  d.set("has_charter_rules", !named.is_empty_list());
  d.set("charter_rules", named);
  if (!d.get("opens")) d.set("opens", local_field(clock.now() + std::chrono::days(3)));
  if (!d.get("closes")) d.set("closes", local_field(clock.now() + std::chrono::days(10)));
  return account_form(req, "motion_new", std::move(d), "New motion", message, status);
}

template <class Impl>
void DecisionsPages<Impl>::add_decisions() {
  const auto self = this->shared_from_this();
  // ---- Motions: pages ----
  router.add(Method::kGet, "/motions", [this, self](Request& req) {
    const Lang l = lang(req);
    decisions::Motions motions(db, clock);
    auto list = motions.list();
    if (!list) return error(req, list.error());
    const auto now = clock.now();
    Data open = Data::type::list;
    Data closed = Data::type::list;
    for (const auto& s : *list) {
      Data d;
      d.set("id", s.id.str());
      d.set("title", s.title);
      d.set("kind", translator.tr(l, std::string(decisions::motion_kind_name(s.kind))));
      d.set("organization", s.organization);
      d.set("rule", decisions::describe_rule(s.rule));
      d.set("opens", shown(s.voting_opens_at));
      d.set("closes", shown(s.voting_closes_at));
      d.set("voted", std::to_string(s.organizations_voted));
      d.set("electorate", std::to_string(s.electorate));
      const auto state = s.closed                   ? decisions::MotionState::kClosed
                         : now < s.voting_opens_at  ? decisions::MotionState::kDiscussion
                         : now < s.voting_closes_at ? decisions::MotionState::kVoting
                                                    : decisions::MotionState::kAwaitingClose;
      d.set("state", translator.tr(l, std::string(decisions::motion_state_name(state))));
      if (s.outcome) {
        d.set("outcome", translator.tr(l, std::string(decisions::outcome_name(*s.outcome))));
        d.set("outcome_code", std::string(decisions::outcome_name(*s.outcome)));
        closed.push_back(d);
      } else {
        open.push_back(d);
      }
    }
    Data d;
    d.set("open", open);
    d.set("closed", closed);
    d.set("has_open", !open.is_empty_list());
    d.set("has_closed", !closed.is_empty_list());
    const auto p = accounts_web->principal(req);
    d.set("can_propose", p && !delegate_orgs(*p).empty());
    return page(req, "motions", std::move(d), translator.tr(l, "Motions"));
  });

  router.add(Method::kGet, "/motions/new", [this, self](Request& req) {
    auto p = accounts_web->authenticate(req);
    if (!p) return org_error(req, p.error());
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    Data d;
    d.set("kind_position", true);
    d.set("rule_consensus", true);
    return motion_form(req, *p, std::move(d), "", 200);
  });

  router.add(Method::kPost, "/motions", [this, self](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    auto p = accounts_web->authenticate(req);
    if (!p) return org_error(req, p.error());
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    MotionInput in{field(f, "title"),        field(f, "text"),       field(f, "kind"),
                   field(f, "organization"), field(f, "rule"),       field(f, "majority_num"),
                   field(f, "majority_den"), field(f, "quorum_num"), field(f, "quorum_den"),
                   field(f, "opens"),        field(f, "closes"),     field(f, "issues")};
    Data keep;
    for (const auto& [k, v] : {std::pair{"title", in.title},
                               {"text", in.text},
                               {"majority_num", in.majority_num},
                               {"majority_den", in.majority_den},
                               {"quorum_num", in.quorum_num},
                               {"quorum_den", in.quorum_den},
                               {"opens", in.opens},
                               {"closes", in.closes},
                               {"issues", in.issues}}) {
      keep.set(k, v);
    }
    keep.set("kind_" + (decisions::parse_motion_kind(in.kind)
                            ? std::string(in.kind == "charter-change" ? "charter" : in.kind)
                            : std::string("position")),
             true);
    keep.set("rule_" + (decisions::parse_rule_kind(in.rule)
                            ? std::string(in.rule == "qualified-majority" ? "majority" : in.rule)
                            : std::string("consensus")),
             true);
    auto m = new_motion(in);
    if (!m) return motion_form(req, *p, std::move(keep), m.error().message, 400);
    if (auto s = check_delegate_of(*p, m->organization); !s) return error(req, s.error());
    decisions::Motions motions(db, clock);
    auto id = motions.propose(p->account, *m);
    if (!id) {
      const int status = status_for(id.error().code);
      if (status >= 500) return error(req, id.error());
      return motion_form(req, *p, std::move(keep), id.error().message, status);
    }
    return Response::redirect("/motions/" + id->str() + "?done=proposed");
  });

  router.add(Method::kGet, "/motions/{id}", [this, self](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoMotion);
    auto m = decisions::Motions(db, clock).motion(MotionId(*id));
    if (!m) return error(req, m.error());
    const Lang l = lang(req);
    const auto done = req.query_param("done").value_or("");
    std::string notice;
    if (done == "proposed") notice = translator.tr(l, "The motion is proposed.");
    if (done == "voted") notice = translator.tr(l, "The vote is recorded.");
    if (done == "declared") notice = translator.tr(l, "The conflict of interest is recorded.");
    if (done == "closed") notice = translator.tr(l, "The motion is closed and counted.");

    return motion_page(req, *m, "", notice, 200);
  });

  // Vote, declare a conflict, close: forms on the motion page.
  for (const std::string action : {"vote", "conflict", "close"}) {
    router.add(Method::kPost, "/motions/{id}/" + action, [this, self, action](Request& req) {
      const auto f = form_fields(req);
      if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
      auto p = accounts_web->authenticate(req);
      if (!p) return org_error(req, p.error());
      if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
      const auto id = id_param(req);
      if (!id) return error(req, 404, kNoMotion);
      decisions::Motions motions(db, clock);
      Status s;
      std::string done;
      if (action == "close") {
        auto closed = motions.close(MotionId(*id), p->handle);
        s = closed ? ok() : Status(std::move(closed).error());
        done = "closed";
      } else {
        const auto org = field(f, "organization").substr(0, 64);
        if (org.empty()) return error(req, 400, "Choose the organization you act for.");
        if (auto allowed = check_delegate_of(*p, org); !allowed) {
          return error(req, allowed.error());
        }
        if (action == "vote") {
          const auto choice = decisions::parse_vote_choice(field(f, "choice"));
          if (!choice) {
            s = invalid_argument("Choose yes, no, abstain or objection.");
          } else {
            s = motions.vote(p->account, MotionId(*id), org, *choice, field(f, "reason"));
          }
          done = "voted";
        } else {
          s = motions.declare_conflict(p->account, MotionId(*id), org, field(f, "reason"));
          done = "declared";
        }
      }
      if (!s) {
        const int status = status_for(s.error().code);
        if (status >= 500 || status == 404) return error(req, s.error());
        auto m = motions.motion(MotionId(*id));
        if (!m) return error(req, m.error());
        return motion_page(req, *m, s.error().message, "", status);
      }
      return Response::redirect("/motions/" + std::to_string(*id) + "?done=" + done);
    });
  }

  // ---- Motions: API ----
  router.add(Method::kGet, "/api/v1/motions", [this, self](Request& req) {
    decisions::Motions motions(db, clock);
    auto list = motions.list();
    if (!list) return error(req, list.error());
    boost::json::array out;
    for (const auto& s : *list) {
      boost::json::object o{{"id", s.id.value()},
                            {"title", s.title},
                            {"kind", decisions::motion_kind_name(s.kind)},
                            {"organization", s.organization},
                            {"rule", rule_json(s.rule)},
                            {"voting_opens_at", iso(s.voting_opens_at)},
                            {"voting_closes_at", iso(s.voting_closes_at)},
                            {"organizations_voted", s.organizations_voted},
                            {"electorate", s.electorate},
                            {"closed", s.closed}};
      if (s.outcome) o["outcome"] = decisions::outcome_name(*s.outcome);
      out.push_back(std::move(o));
    }
    return api_json(boost::json::object{{"motions", std::move(out)}});
  });

  router.add(Method::kGet, "/api/v1/motions/{id}", [this, self](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoMotion);
    auto m = decisions::Motions(db, clock).motion(MotionId(*id));
    if (!m) return error(req, m.error());
    return api_json(motion_json(*m, clock.now()));
  });

  router.add(Method::kPost, "/api/v1/motions", [this, self](Request& req) {
    auto p = delegate_for_api(req);
    if (auto* refused = std::get_if<Response>(&p)) return std::move(*refused);
    const auto& who = std::get<Principal>(p);
    auto body = json_body(req);
    if (!body) return error(req, body.error());
    MotionInput in{json_string(*body, "title"),
                   json_string(*body, "text_markdown"),
                   json_string(*body, "kind"),
                   json_string(*body, "organization"),
                   json_string(*body, "rule"),
                   json_string(*body, "majority_num"),
                   json_string(*body, "majority_den"),
                   json_string(*body, "quorum_num"),
                   json_string(*body, "quorum_den"),
                   json_string(*body, "voting_opens_at"),
                   json_string(*body, "voting_closes_at"),
                   json_string(*body, "agenda_issues")};
    auto m = new_motion(in);
    if (!m) return error(req, m.error());
    if (auto s = check_delegate_of(who, m->organization); !s) return error(req, s.error());
    decisions::Motions motions(db, clock);
    auto id = motions.propose(who.account, *m);
    if (!id) return error(req, id.error());
    auto created = motions.motion(*id);
    if (!created) return error(req, created.error());
    return api_json(motion_json(*created, clock.now()), 201);
  });

  for (const std::string action : {"votes", "conflicts", "close"}) {
    router.add(Method::kPost, "/api/v1/motions/{id}/" + action, [this, self, action](Request& req) {
      auto p = delegate_for_api(req);
      if (auto* refused = std::get_if<Response>(&p)) return std::move(*refused);
      const auto& who = std::get<Principal>(p);
      const auto id = id_param(req);
      if (!id) return error(req, 404, kNoMotion);
      decisions::Motions motions(db, clock);
      if (action == "close") {
        auto closed = motions.close(MotionId(*id), who.handle);
        if (!closed) return error(req, closed.error());
      } else {
        auto body = json_body(req);
        if (!body) return error(req, body.error());
        const auto org = json_string(*body, "organization").substr(0, 64);
        if (org.empty()) return error(req, 400, "'organization' must name your organization.");
        if (auto s = check_delegate_of(who, org); !s) return error(req, s.error());
        Status s;
        if (action == "votes") {
          const auto choice = decisions::parse_vote_choice(json_string(*body, "choice"));
          if (!choice) return error(req, 400, "'choice' must be yes, no, abstain or objection.");
          s = motions.vote(who.account, MotionId(*id), org, *choice, json_string(*body, "reason"));
        } else {
          s = motions.declare_conflict(who.account, MotionId(*id), org,
                                       json_string(*body, "reason"));
        }
        if (!s) return error(req, s.error());
      }
      auto m = motions.motion(MotionId(*id));
      if (!m) return error(req, m.error());
      return api_json(motion_json(*m, clock.now()), action == "close" ? 200 : 201);
    });
  }

  add_consultations();
}

template <class Impl>
void DecisionsPages<Impl>::add_consultations() {
  const auto self = this->shared_from_this();
  // Delegates open consultations (operators also can, from the command line).
  const auto consultation_form = [this](const Request& req, Data d, std::string_view message,
                                        int status) {
    if (!d.get("closes")) d.set("closes", local_field(clock.now() + std::chrono::days(14)));
    return account_form(req, "consultation_new", std::move(d), "New consultation", message, status);
  };
  router.add(Method::kGet, "/consultations/new", [this, self, consultation_form](Request& req) {
    auto p = accounts_web->authenticate(req);
    if (!p) return org_error(req, p.error());
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    Data d;
    d.set("kind_single", true);
    return consultation_form(req, std::move(d), "", 200);
  });
  router.add(Method::kPost, "/consultations", [this, self, consultation_form](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    auto p = accounts_web->authenticate(req);
    if (!p) return org_error(req, p.error());
    if (auto s = check_any_delegate(*p); !s) return error(req, s.error());
    Data keep;
    for (const char* k : {"title", "question", "options", "closes"}) keep.set(k, field(f, k));
    const auto kind = field(f, "kind");
    keep.set(kind == "approval" ? "kind_approval"
             : kind == "ranked" ? "kind_ranked"
                                : "kind_single",
             true);
    auto in = new_consultation(field(f, "title"), field(f, "question"), kind, field(f, "method"),
                               split_lines(field(f, "options")), field(f, "closes"));
    Result<ConsultationId> id =
        in ? decisions::Consultations(db, clock, accounts_web->key_).open(*in, p->handle)
           : Result<ConsultationId>(in.error());
    if (!id) {
      const int status = status_for(id.error().code);
      if (status >= 500) return error(req, id.error());
      return consultation_form(req, std::move(keep), id.error().message, status);
    }
    return Response::redirect("/consultations/" + id->str() + "?done=opened");
  });
  router.add(Method::kPost, "/api/v1/consultations", [this, self](Request& req) {
    auto p = delegate_for_api(req);
    if (auto* refused = std::get_if<Response>(&p)) return std::move(*refused);
    const auto& who = std::get<Principal>(p);
    auto body = json_body(req);
    if (!body) return error(req, body.error());
    std::vector<std::string> options;
    const auto* list = body->if_contains("options");
    if (list == nullptr || !list->is_array() || list->as_array().size() > decisions::kMaxOptions) {
      return error(req, 400, "'options' must be a list of at most 30 strings.");
    }
    for (const auto& o : list->as_array()) {
      if (!o.is_string()) return error(req, 400, "'options' must be a list of strings.");
      options.emplace_back(o.as_string());
    }
    auto in = new_consultation(json_string(*body, "title"), json_string(*body, "question"),
                               json_string(*body, "kind"), json_string(*body, "method"),
                               std::move(options), json_string(*body, "closes_at"));
    if (!in) return error(req, in.error());
    decisions::Consultations service(db, clock, accounts_web->key_);
    auto id = service.open(*in, who.handle);
    if (!id) return error(req, id.error());
    auto c = service.consultation(*id);
    if (!c) return error(req, c.error());
    return api_json(consultation_json(*c, false), 201);
  });
  router.add(Method::kGet, "/consultations", [this, self](Request& req) {
    const Lang l = lang(req);
    decisions::Consultations service(db, clock, accounts_web->key_);
    auto list = service.list();
    if (!list) return error(req, list.error());
    Data open = Data::type::list;
    Data closed = Data::type::list;
    for (const auto& c : *list) {
      Data d;
      d.set("id", c.id.str());
      d.set("title", c.title);
      d.set("kind", translator.tr(l, std::string(decisions::question_kind_name(c.kind))));
      d.set("closes", shown(c.closes_at));
      if (c.closed()) {
        d.set("ballots", std::to_string(c.ballots));
        closed.push_back(d);
      } else {
        open.push_back(d);
      }
    }
    Data d;
    d.set("open", open);
    d.set("closed", closed);
    d.set("has_open", !open.is_empty_list());
    d.set("has_closed", !closed.is_empty_list());
    return page(req, "consultations", std::move(d), translator.tr(l, "Consultations"));
  });

  router.add(Method::kGet, "/consultations/{id}", [this, self](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoConsultation);
    auto c = consultation_closing_if_due(ConsultationId(*id));
    if (!c) return error(req, c.error());
    const auto done = req.query_param("done").value_or("");
    const std::string_view notice = done == "cast"     ? "Your ballot is recorded."
                                    : done == "opened" ? "The consultation is open."
                                                       : "";
    return consultation_page(req, *c, "", notice, 200);
  });

  router.add(Method::kPost, "/consultations/{id}/ballot", [this, self](Request& req) {
    const auto pairs =
        parse_form(req.body).value_or(std::vector<std::pair<std::string, std::string>>{});
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    auto p = accounts_web->authenticate(req);
    if (!p) return org_error(req, p.error());
    if (auto s = check_constituent(*p); !s) return error(req, s.error());
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoConsultation);
    decisions::Consultations service(db, clock, accounts_web->key_);
    auto c = service.consultation(ConsultationId(*id));
    if (!c) return error(req, c.error());
    auto choices = form_ballot(*c, pairs);
    Status s =
        choices ? service.cast(p->account, c->id, *choices) : Status(std::move(choices).error());
    if (!s) {
      const int status = status_for(s.error().code);
      if (status >= 500) return error(req, s.error());
      return consultation_page(req, *c, s.error().message, "", status);
    }
    return Response::redirect("/consultations/" + c->id.str() + "?done=cast");
  });

  router.add(Method::kGet, "/api/v1/consultations", [this, self](Request& req) {
    decisions::Consultations service(db, clock, accounts_web->key_);
    auto list = service.list();
    if (!list) return error(req, list.error());
    boost::json::array out;
    for (const auto& c : *list) out.push_back(consultation_json(c, false));
    return api_json(boost::json::object{{"consultations", std::move(out)}});
  });

  router.add(Method::kGet, "/api/v1/consultations/{id}", [this, self](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoConsultation);
    auto c = consultation_closing_if_due(ConsultationId(*id));
    if (!c) return error(req, c.error());
    return api_json(consultation_json(*c, false));
  });

  router.add(Method::kGet, "/api/v1/consultations/{id}/result", [this, self](Request& req) {
    const auto id = id_param(req);
    if (!id) return error(req, 404, kNoConsultation);
    auto c = consultation_closing_if_due(ConsultationId(*id));
    if (!c) return error(req, c.error());
    if (!c->closed()) {
      return error(req, 409, "Results are published only after the consultation closes.");
    }
    return api_json(consultation_json(*c, true));
  });

  for (const Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/api/v1/consultations/{id}/ballot", [this, self, m](Request& req) {
      auto p = accounts_web->authenticate(req);
      if (!p) return org_error(req, p.error());
      if (m == Method::kPost && p->needs_csrf() && !accounts_web->api_csrf_ok(req)) {
        return error(req, 403, kApiCsrf);
      }
      if (auto s = check_constituent(*p); !s) return error(req, s.error());
      const auto id = id_param(req);
      if (!id) return error(req, 404, kNoConsultation);
      decisions::Consultations service(db, clock, accounts_web->key_);
      if (m == Method::kPost) {
        boost::system::error_code ec;
        const auto body = boost::json::parse(req.body, ec);
        if (ec) return error(req, 400, "The request body must be a JSON object.");
        auto choices = json_ballot(body);
        if (!choices) return error(req, choices.error());
        if (auto s = service.cast(p->account, ConsultationId(*id), *choices); !s) {
          return error(req, s.error());
        }
      }
      auto mine = service.ballot_of(p->account, ConsultationId(*id));
      if (!mine) return error(req, mine.error());
      if (!*mine) {
        auto c = service.consultation(ConsultationId(*id));
        if (!c) return error(req, c.error());
        return error(req, 404, "You have not cast a ballot in this consultation.");
      }
      boost::json::array choices;
      for (int i : **mine) choices.push_back(i);
      return api_json(boost::json::object{{"consultation", *id}, {"choices", std::move(choices)}},
                      m == Method::kPost ? 201 : 200);
    });
  }

  add_decisions_log();
}

template <class Impl>
Response DecisionsPages<Impl>::consultation_page(const Request& req,
                                                 const decisions::Consultation& c,
                                                 std::string_view message, std::string_view notice,
                                                 int status) const {
  const Lang l = lang(req);
  Data d;
  d.set("id", c.id.str());
  d.set("title", c.title);
  d.set("html", markdown_to_html(c.question));
  d.set("kind", translator.tr(l, std::string(decisions::question_kind_name(c.kind))));
  d.set("method", std::string(count::method_name(c.method)));
  d.set("opened", shown(c.opened_at));
  d.set("closes", shown(c.closes_at));
  d.set("closes_iso", iso(c.closes_at));
  d.set("single", c.kind == decisions::QuestionKind::kSingleChoice);
  d.set("approval", c.kind == decisions::QuestionKind::kApproval);
  d.set("ranked", c.kind == decisions::QuestionKind::kRanked);
  if (!notice.empty()) d.set("notice", translator.tr(l, notice));
  const auto p = accounts_web->principal(req);
  std::optional<decisions::Choices> mine;
  if (p && !c.closed()) {
    decisions::Consultations service(db, clock, accounts_web->key_);
    auto b = service.ballot_of(p->account, c.id);
    if (b) mine = *b;
  }
  Data options = Data::type::list;
  for (std::size_t i = 0; i < c.options.size(); ++i) {
    Data o;
    o.set("index", std::to_string(i));
    o.set("label", c.options[i]);
    if (mine) {
      const auto at = std::find(mine->begin(), mine->end(), static_cast<int>(i));
      if (at != mine->end()) {
        o.set("chosen", true);
        o.set("rank", std::to_string(at - mine->begin() + 1));
      }
    }
    if (c.closed()) {
      if (i < c.totals.size()) o.set("total", c.totals[i]);
      o.set("winner",
            std::find(c.winners.begin(), c.winners.end(), static_cast<int>(i)) != c.winners.end());
    }
    options.push_back(o);
  }
  d.set("options", options);
  d.set("has_ballot", mine.has_value());
  if (c.closed()) {
    d.set("closed", true);
    d.set("ballots", std::to_string(c.ballots));
    d.set("has_totals", !c.totals.empty());
    Data ranking = Data::type::list;
    int place = 1;
    for (const auto& level : c.ranking) {
      std::string names;
      for (int i : level) {
        if (i < 0 || static_cast<std::size_t>(i) >= c.options.size()) continue;
        names += (names.empty() ? "" : " = ") + c.options[static_cast<std::size_t>(i)];
      }
      Data r;
      r.set("place", std::to_string(place));
      r.set("names", names);
      ranking.push_back(r);
      place += static_cast<int>(level.size());
    }
    d.set("ranking", ranking);
    d.set("has_ranking", !c.ranking.empty());
  }
  if (p && !c.closed()) {
    d.set("can_vote", p->may_act_as(Role::kConstituent));
    return account_form(req, "consultation", std::move(d), c.title, message, status);
  }
  d.set("signed_out", !p.has_value());
  return page(req, "consultation", std::move(d), c.title, status);
}

template <class Impl>
void DecisionsPages<Impl>::add_decisions_log() {
  const auto self = this->shared_from_this();
  auto read = [this](const Request& req) -> Result<decisions::LogPage> {
    std::int64_t after = 0;
    if (const auto q = req.query_param("after"); q && *q != "0") {
      const auto v = parse_positive(*q);
      if (!v) return invalid_argument("'after' must be an entry number.");
      after = *v;
    }
    int limit = kLogPage;
    if (const auto q = req.query_param("limit")) {
      const auto v = parse_positive(*q);
      if (!v || *v > 500) return invalid_argument("'limit' must be between 1 and 500.");
      limit = static_cast<int>(*v);
    }
    std::string subject = req.query_param("subject").value_or("");
    if (subject.size() > 64) return invalid_argument("'subject' is too long.");
    return decisions::log_entries(db, after, limit, subject);
  };

  router.add(Method::kGet, "/decisions", [this, self, read](Request& req) {
    const Lang l = lang(req);
    auto page_of = read(req);
    if (!page_of) return error(req, page_of.error());
    Data list = Data::type::list;
    for (const auto& e : page_of->entries) {
      Data d;
      d.set("seq", std::to_string(e.seq));
      d.set("time", iso(e.time));
      d.set("kind", e.kind);
      d.set("subject", e.subject);
      // The subject's page: motion/3 -> /motions/3, consultation/1 -> /consultations/1.
      if (e.subject.starts_with("motion/")) {
        d.set("link", "/motions/" + e.subject.substr(7));
      } else if (e.subject.starts_with("consultation/")) {
        d.set("link", "/consultations/" + e.subject.substr(13));
      }
      boost::system::error_code ec;
      const auto body = boost::json::parse(e.body, ec);
      if (!ec && body.is_object()) {
        const auto& o = body.as_object();
        std::string summary;
        for (const char* key :
             {"title", "organization", "delegate", "choice", "outcome", "reason", "explanation"}) {
          if (const auto* v = o.if_contains(key); v && v->is_string() && !v->as_string().empty()) {
            summary += (summary.empty() ? "" : " · ") + std::string(v->as_string());
          }
        }
        d.set("summary", summary);
      }
      d.set("body", e.body);
      d.set("hash", e.hash);
      d.set("prev_hash", e.prev_hash);
      list.push_back(d);
    }
    Data d;
    d.set("entries", list);
    d.set("empty", page_of->entries.empty());
    d.set("total", std::to_string(page_of->total));
    if (!page_of->entries.empty() && static_cast<int>(page_of->entries.size()) == kLogPage) {
      d.set("next", std::to_string(page_of->entries.back().seq));
      // The next page keeps the subject the reader filtered on.
      if (const auto subject = req.query_param("subject"); subject && !subject->empty()) {
        d.set("subject_query", "&subject=" + percent_encode(*subject));
      }
    }
    return page(req, "decisions", std::move(d), translator.tr(l, "Decisions log"));
  });

  router.add(Method::kGet, "/api/v1/decisions", [this, self, read](Request& req) {
    auto page_of = read(req);
    if (!page_of) return error(req, page_of.error());
    boost::json::array entries;
    for (const auto& e : page_of->entries) {
      boost::system::error_code ec;
      entries.push_back({{"seq", e.seq},
                         {"at", iso(e.time)},
                         {"kind", e.kind},
                         {"subject", e.subject},
                         {"body", e.body},
                         {"prev_hash", e.prev_hash},
                         {"hash", e.hash}});
    }
    boost::json::object out{{"entries", std::move(entries)}, {"total", page_of->total}};
    if (!page_of->entries.empty()) out["next_after"] = page_of->entries.back().seq;
    return api_json(out);
  });
}

}  // namespace

void Site::Impl::add_decisions() {
  std::make_shared<DecisionsPages<Site::Impl>>(*this)->add_decisions();
}

}  // namespace veche::http
