// Elections run by the site (docs/elections.md, "Running an election on the site"): the
// organizer's guided form (/elections/new), the ballot preview, the manage page with the invite
// links and who has done what, and the administrator's steps (freeze the setup, open, close,
// publish); the invitees' pages (/elections/{id}/join/{token}, /elections/{id}/trustees/{slot},
// /elections/{id}/registrars/{slot}) where trustees and registrars register a public key and
// upload the events the command-line client makes; and their JSON API. Organizers are delegates
// of member organizations (second factor passed) or the operator. Trustees and registrars need
// no account: the invite token, then the signature by the key named in the setup, authorize
// them. Every page works without JavaScript; the ceremony scripts (helper J) enhance the
// sections with the ids of the contract.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <chrono>

#include "accounts_web.hpp"
#include "form_time.hpp"
#include "site_impl.hpp"
#include "veche/core/text.hpp"
#include "veche/elections/lifecycle.hpp"
#include "veche/record/board.hpp"

namespace veche::http {
namespace {

namespace el = elections;
using registry::Role;

constexpr std::string_view kNoRun = "There is no such election run by this site.";
constexpr std::string_view kBadCsrf =
    "This form has expired or did not come from this site. Please go back, reload it and try "
    "again.";
constexpr std::string_view kNotOrganizer =
    "Only delegates of member organizations and the operator organize elections.";
constexpr std::string_view kNotYours = "Only the election's organizer and the operator manage it.";
constexpr std::size_t kFormQuestions = 4;  // question blocks on the form without JavaScript
// One event, as the record allows it: a registrar's credentials for a large electorate (67 bytes
// each: about 250,000) are one event.
constexpr std::size_t kMaxEventBytes = record::kMaxLineBytes;

Response json(const boost::json::value& v, int status = 200) {
  return Response::json(boost::json::serialize(v), status);
}

std::optional<std::int64_t> positive_param(const Request& req, const char* name) {
  const auto it = req.path_params.find(name);
  if (it == req.path_params.end()) return std::nullopt;
  const auto& s = it->second;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

bool may_organize(const Principal& p) {
  return p.may_act_as(Role::kOperator) || !delegate_orgs(p).empty();
}

std::optional<std::uint32_t> parse_count(std::string_view s, std::uint32_t def) {
  s = core::trim(s);
  if (s.empty()) return def;
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > 1'000'000) return std::nullopt;
  return v;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    auto line = core::trim(text.substr(0, nl));
    if (!line.empty()) out.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// The draft of the guided form. Messages name the field, for people.
Result<el::Draft> draft_from_form(const std::map<std::string, std::string>& f) {
  el::Draft d;
  d.title = std::string(core::trim(field(f, "title")));
  for (std::size_t i = 1; i <= kFormQuestions; ++i) {
    const std::string p = "q" + std::to_string(i) + "_";
    const std::string text(core::trim(field(f, p + "id")));
    const auto kind_name = field(f, p + "kind");
    auto choices = lines_of(field(f, p + "choices"));
    if (text.empty() && choices.empty()) continue;
    const std::string where = "Question " + std::to_string(i) + ": ";
    if (text.empty()) return invalid_argument(where + "write the question.");
    record::Question q;
    q.id = text;
    auto kind = record::parse_question_kind(kind_name);
    if (!kind) return invalid_argument(where + "choose a kind.");
    q.kind = *kind;
    if (q.kind == record::QuestionKind::kYesNo && choices.empty()) choices = {"yes", "no"};
    q.choices = std::move(choices);
    const bool single = q.kind != record::QuestionKind::kApproval;
    const auto min = parse_count(field(f, p + "min"), single ? 1 : 0);
    const auto max = parse_count(field(f, p + "max"), single ? 1 : 1);
    if (!min || !max) return invalid_argument(where + "the least and most choices are numbers.");
    q.min = *min;
    q.max = *max;
    q.blank = !field(f, p + "blank").empty();
    if (q.kind == record::QuestionKind::kPartyList) {
      const auto seats = parse_count(field(f, p + "seats"), 0);
      if (!seats || *seats == 0) return invalid_argument(where + "a party list needs seats.");
      q.seats = *seats;
      auto method = record::parse_seat_method(field(f, p + "method"));
      if (!method || *method == record::SeatMethod::kNone) {
        return invalid_argument(where + "choose D'Hondt or Sainte-Laguë.");
      }
      q.method = *method;
      const auto threshold = parse_count(field(f, p + "threshold"), 0);
      if (!threshold || *threshold > 1000) {
        return invalid_argument(where + "the threshold is 0 to 1000 per mille.");
      }
      q.threshold_permille = *threshold;
    }
    if (auto st = record::validate(q); !st) return invalid_argument(where + st.error().message);
    d.questions.push_back(std::move(q));
  }
  d.trustees = lines_of(field(f, "trustees"));
  d.registrars = lines_of(field(f, "registrars"));
  const auto threshold = parse_count(field(f, "threshold"), 0);
  if (!threshold) return invalid_argument("The threshold is a number of trustees.");
  d.threshold = *threshold;
  const auto opens = parse_time(field(f, "opens_at"));
  const auto closes = parse_time(field(f, "closes_at"));
  if (!opens || !closes) {
    return invalid_argument("Write the opening and the close as 2026-12-03T10:00 (UTC).");
  }
  d.opens_at = *opens;
  d.closes_at = *closes;
  const auto outage = parse_count(field(f, "outage_minutes"), 0);
  const auto hours = parse_count(field(f, "max_hours"), 0);
  if (!outage || !hours) return invalid_argument("The extension rule needs whole numbers.");
  d.extension = {*outage, *hours};
  VECHE_TRY(el::validate(d));
  return d;
}

// The same from the JSON API body (docs/api/openapi.yaml, ElectionDraft).
Result<el::Draft> draft_from_json(std::string_view body) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return invalid_argument("The body must be a JSON object.");
  const auto& o = v.as_object();
  std::map<std::string, std::string> f;
  auto text = [](const boost::json::value* x) -> std::string {
    if (x == nullptr) return "";
    if (x->is_string()) return std::string(x->as_string());
    if (x->is_int64()) return std::to_string(x->as_int64());
    if (x->is_uint64()) return std::to_string(x->as_uint64());
    if (x->is_bool()) return x->as_bool() ? "1" : "";
    return "?";
  };
  auto lines = [&](const boost::json::value* x) -> std::string {
    if (x == nullptr || !x->is_array()) return text(x);
    std::string out;
    for (const auto& e : x->as_array()) out += text(&e) + "\n";
    return out;
  };
  f["title"] = text(o.if_contains("title"));
  const auto* qs = o.if_contains("questions");
  if (qs == nullptr || !qs->is_array() || qs->as_array().empty()) {
    return invalid_argument("The election needs at least one question.");
  }
  if (qs->as_array().size() > kFormQuestions) {
    return invalid_argument("At most four questions here; import a board for more.");
  }
  std::size_t i = 0;
  for (const auto& q : qs->as_array()) {
    if (!q.is_object()) return invalid_argument("Each question must be an object.");
    const auto& qo = q.as_object();
    const std::string p = "q" + std::to_string(++i) + "_";
    f[p + "id"] = text(qo.if_contains("id"));
    f[p + "kind"] = text(qo.if_contains("kind"));
    f[p + "choices"] = lines(qo.if_contains("choices"));
    f[p + "min"] = text(qo.if_contains("min"));
    f[p + "max"] = text(qo.if_contains("max"));
    f[p + "blank"] = text(qo.if_contains("blank"));
    f[p + "seats"] = text(qo.if_contains("seats"));
    f[p + "method"] = text(qo.if_contains("method"));
    f[p + "threshold"] = text(qo.if_contains("threshold_permille"));
  }
  f["trustees"] = lines(o.if_contains("trustees"));
  f["registrars"] = lines(o.if_contains("registrars"));
  f["threshold"] = text(o.if_contains("threshold"));
  f["opens_at"] = text(o.if_contains("opens_at"));
  f["closes_at"] = text(o.if_contains("closes_at"));
  if (const auto* ext = o.if_contains("extension"); ext != nullptr && ext->is_object()) {
    f["outage_minutes"] = text(ext->as_object().if_contains("outage_minutes"));
    f["max_hours"] = text(ext->as_object().if_contains("max_hours"));
  }
  return draft_from_form(f);
}

// The site's address as the request names it, for links and commands people copy (shown,
// escaped, never used for a redirect).
std::string site_origin(const Request& req, bool secure) {
  const std::string host(req.header("host"));
  return (secure ? "https://" : "http://") + (host.empty() ? std::string("localhost") : host);
}

const char* kind_label(record::QuestionKind k) {
  switch (k) {
    case record::QuestionKind::kApproval:
      return "Approval (tick any number)";
    case record::QuestionKind::kSingle:
      return "One choice";
    case record::QuestionKind::kYesNo:
      return "Yes or no";
    case record::QuestionKind::kPartyList:
      return "Party list (seats)";
  }
  return "";
}

}  // namespace

std::uint64_t election_event_body_limit(Method method, std::string_view target) {
  if (method != Method::kPost) return 0;
  target = target.substr(0, target.find('?'));
  std::vector<std::string_view> parts;
  while (!target.empty()) {
    const auto slash = target.find('/');
    if (slash != 0) parts.push_back(target.substr(0, slash));
    if (slash == std::string_view::npos) break;
    target.remove_prefix(slash + 1);
  }
  // POST /api/v1/elections/{id}/events: one event as JSON.
  if (parts.size() == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "elections" &&
      parts[4] == "events") {
    return kMaxEventBytes + (4u << 10);
  }
  // POST /elections/{id}/registrars/{slot}: the same lines pasted into the page's form, where
  // URL encoding adds a few bytes per credential.
  if (parts.size() == 4 && parts[0] == "elections" && parts[2] == "registrars") {
    return 2 * kMaxEventBytes;
  }
  return 0;
}

// The schedule and the extension rule of a site-run election, for its public page.
void Site::Impl::election_schedule(const Request& req, std::int64_t id, Data& d) const {
  const Lang l = lang(req);
  el::Lifecycle life(db, clock, accounts_web->key_, *elections_service);
  auto run = life.run(id);
  if (!run) return;
  Data s;
  s.set("opens_at", local_field(run->draft.opens_at));
  s.set("closes_at", local_field(run->effective_close()));
  s.set("extended", run->extended_seconds > 0);
  s.set("scheduled_close", local_field(run->draft.closes_at));
  const auto& rule = run->draft.extension;
  if (rule.outage_minutes == 0) {
    s.set("rule", translator.tr(l, "Voting is never extended."));
  } else {
    s.set("rule", fmt::format(fmt::runtime(translator.tr(
                                  l,
                                  "If the booth is unreachable for more than {} minutes while "
                                  "voting is open, the close moves by the length of the "
                                  "outage, by at most {} hours in all.")),
                              rule.outage_minutes, rule.max_hours));
  }
  d.set("schedule", s);
}

void Site::Impl::add_election_admin() {
  elections_service = std::make_shared<el::Elections>(db, clock);
  auto life = std::make_shared<el::Lifecycle>(db, clock, accounts_web->key_, *elections_service);
  // Budgets per minute on the events API: each election at most 600 events (a 64-trustee
  // ceremony has about 8,000 in all, sent over many minutes), 6,000 over all elections; over
  // budget is 429 and costs no verification.
  auto event_budget = std::make_shared<RateLimiter>(600, 6'000);
  auto key_budget = std::make_shared<RateLimiter>(30, 600);  // role-key registrations

  // The organizer's principal, or the response refusing (login page, 401, 403).
  auto organizer = [this](Request& req, bool api) -> std::variant<Principal, Response> {
    Principal p;
    if (api) {
      auto w = api_writer(req);
      if (std::holds_alternative<Response>(w)) return std::get<Response>(std::move(w));
      p = std::get<Principal>(std::move(w));
    } else {
      auto found = accounts_web->principal(req);
      if (!found) return Response::redirect("/login");
      p = std::move(*found);
    }
    if (!may_organize(p)) {
      if (auto s = check_any_delegate(p); !s && !p.holds(Role::kOperator)) {
        return error(req, s.error());
      }
      return error(req, 403, kNotOrganizer);
    }
    return p;
  };
  // The run when the principal organizes it (or is the operator).
  auto owned = [this, life](const Request& req, const Principal& p,
                            std::int64_t id) -> std::variant<el::Run, Response> {
    auto run = life->run(id);
    if (!run) return error(req, run.error());
    if (run->organizer != p.account.value() && !p.may_act_as(Role::kOperator)) {
      return error(req, 403, kNotYours);
    }
    return std::move(*run);
  };

  auto new_form = [this](const Request& req, const std::map<std::string, std::string>& f,
                         std::string_view message, int status) {
    Data d;
    for (const char* k : {"title", "trustees", "registrars", "threshold", "opens_at", "closes_at",
                          "outage_minutes", "max_hours"}) {
      d.set(std::string(k) + "_value", field(f, k));
    }
    const Lang l = lang(req);
    Data blocks = Data::type::list;
    for (std::size_t i = 1; i <= kFormQuestions; ++i) {
      const std::string p = "q" + std::to_string(i) + "_";
      Data b;
      b.set("n", std::to_string(i));
      for (const char* k : {"id", "choices", "min", "max", "seats", "threshold"}) {
        b.set(std::string(k) + "_value", field(f, p + k));
      }
      b.set("blank_checked", !field(f, p + "blank").empty());
      Data kinds = Data::type::list;
      for (auto k : {record::QuestionKind::kSingle, record::QuestionKind::kApproval,
                     record::QuestionKind::kYesNo, record::QuestionKind::kPartyList}) {
        Data o;
        o.set("value", std::string(record::to_string(k)));
        o.set("label", translator.tr(l, kind_label(k)));
        o.set("selected", field(f, p + "kind") == record::to_string(k));
        kinds.push_back(o);
      }
      b.set("kinds", kinds);
      b.set("sainte_lague", field(f, p + "method") == "sainte_lague");
      blocks.push_back(b);
    }
    d.set("blocks", blocks);
    return account_form(req, "election_new", std::move(d), "Organize an election", message, status);
  };

  router.add(Method::kGet, "/elections/new", [this, organizer, new_form](Request& req) {
    auto who = organizer(req, false);
    if (std::holds_alternative<Response>(who)) return std::get<Response>(std::move(who));
    const auto today = clock.now();
    std::map<std::string, std::string> f = {
        {"threshold", "2"},
        {"trustees", ""},
        {"opens_at", local_field(today + std::chrono::days(7))},
        {"closes_at", local_field(today + std::chrono::days(14))},
        {"outage_minutes", "30"},
        {"max_hours", "24"},
        {"q1_kind", "single"}};
    return new_form(req, f, "", 200);
  });

  router.add(Method::kPost, "/elections/new", [this, organizer, new_form, life](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    auto who = organizer(req, false);
    if (std::holds_alternative<Response>(who)) return std::get<Response>(std::move(who));
    const auto& p = std::get<Principal>(who);
    auto draft = draft_from_form(f);
    Result<el::ElectionId> id =
        draft ? life->create(p.account.value(), *draft) : Result<el::ElectionId>(draft.error());
    if (!id) {
      const int status = status_for(id.error().code);
      if (status >= 500) return error(req, id.error());
      return new_form(req, f, id.error().message, status);
    }
    return Response::redirect("/elections/" + std::to_string(*id) + "/manage");
  });

  router.add(Method::kGet, "/elections/{id}/preview", [this, life](Request& req) {
    const Lang l = lang(req);
    const auto id = positive_param(req, "id");
    if (!id) return error(req, 404, kNoRun);
    auto run = life->run(*id);
    if (!run) return error(req, run.error());
    Data d;
    d.set("id", std::to_string(*id));
    d.set("title", run->draft.title);
    Data questions = Data::type::list;
    std::size_t n = 0;
    for (const auto& q : run->draft.questions) {
      Data qd;
      qd.set("n", std::to_string(++n));
      qd.set("text", q.id);
      qd.set("kind", translator.tr(l, kind_label(q.kind)));
      qd.set("many", q.kind == record::QuestionKind::kApproval);
      qd.set("min", std::to_string(q.min));
      qd.set("max", std::to_string(q.max));
      qd.set("blank", q.blank);
      qd.set("seats", std::to_string(q.seats));
      qd.set("party_list", q.kind == record::QuestionKind::kPartyList);
      qd.set("method", q.method == record::SeatMethod::kDhondt ? "D'Hondt" : "Sainte-Laguë");
      qd.set("threshold", std::to_string(q.threshold_permille / 10.0).substr(0, 4));
      Data choices = Data::type::list;
      std::size_t c = 0;
      for (const auto& ch : q.choices) {
        Data cd;
        cd.set("choice", ch);
        cd.set("cid", "q" + std::to_string(n) + "c" + std::to_string(++c));
        choices.push_back(cd);
      }
      qd.set("choices", choices);
      questions.push_back(qd);
    }
    d.set("questions", questions);
    election_schedule(req, *id, d);
    return page(req, "election_preview", std::move(d),
                translator.tr(l, "Ballot preview") + ": " + run->draft.title);
  });

  auto manage_page = [this, life](const Request& req, const el::Run& run, std::string_view notice,
                                  std::string_view message, int status) {
    const Lang l = lang(req);
    auto progress = life->progress(run.id);
    if (!progress) return error(req, progress.error());
    Data d;
    d.set("id", std::to_string(run.id));
    d.set("title", run.draft.title);
    d.set("phase", progress->phase);
    d.set("election_id", run.election_id);
    d.set("ballots", std::to_string(progress->ballots));
    d.set("threshold", std::to_string(run.draft.threshold));
    d.set("partials", std::to_string(progress->partials));
    if (!notice.empty()) d.set("notice", translator.tr(l, notice));
    const bool draft = progress->phase == "draft";
    Data trustees = Data::type::list, registrars = Data::type::list;
    for (const auto& r : run.roles) {
      Data rd;
      rd.set("slot", std::to_string(r.slot));
      rd.set("name", r.name);
      rd.set("role", std::string(el::role_name(r.role)));
      rd.set("registered", !r.public_key.empty());
      rd.set("key", r.public_key);
      if (draft && r.public_key.empty()) {
        const std::string link = "/elections/" + std::to_string(run.id) + "/join/" + r.invite_token;
        rd.set("link", link);
        rd.set("full_link", site_origin(req, options.secure_cookies) + link);
      }
      rd.set("renewable", draft && r.public_key.empty());
      if (r.role == el::Role::kTrustee) {
        const auto& t = progress->trustees.at(r.slot - 1);
        rd.set("enc_key", t.enc_key);
        rd.set("dealt", t.dealt);
        rd.set("complaints", std::to_string(t.complaints));
        rd.set("disqualified", t.disqualified);
        rd.set("partial", t.partial);
        trustees.push_back(rd);
      } else {
        const auto c = progress->registrar_creds.at(r.slot - 1);
        rd.set("credentials", c >= 0);
        rd.set("credential_count", std::to_string(std::max<std::int64_t>(c, 0)));
        registrars.push_back(rd);
      }
    }
    d.set("trustees", trustees);
    d.set("registrars", registrars);
    for (const auto& [name, blocked] :
         {std::pair{"setup", &progress->freeze_blocked}, std::pair{"open", &progress->open_blocked},
          std::pair{"close", &progress->close_blocked},
          std::pair{"publish", &progress->publish_blocked}}) {
      d.set(std::string("can_") + name, blocked->empty());
      if (!blocked->empty()) d.set(std::string(name) + "_blocked", translator.tr(l, *blocked));
    }
    election_schedule(req, run.id, d);
    return account_form(req, "election_manage", std::move(d), "Manage the election", message,
                        status);
  };

  router.add(
      Method::kGet, "/elections/{id}/manage", [this, organizer, owned, manage_page](Request& req) {
        auto who = organizer(req, false);
        if (std::holds_alternative<Response>(who)) return std::get<Response>(std::move(who));
        const auto id = positive_param(req, "id");
        if (!id) return error(req, 404, kNoRun);
        auto run = owned(req, std::get<Principal>(who), *id);
        if (std::holds_alternative<Response>(run)) return std::get<Response>(std::move(run));
        const auto done = req.query_param("done").value_or("");
        return manage_page(req, std::get<el::Run>(run), done.empty() ? "" : "Done.", "", 200);
      });

  router.add(
      Method::kPost, "/elections/{id}/manage",
      [this, organizer, owned, manage_page, life](Request& req) {
        const auto f = form_fields(req);
        if (!accounts_web->csrf_ok(req, field(f, "csrf"))) {
          return error(req, 403, kBadCsrf);
        }
        auto who = organizer(req, false);
        if (std::holds_alternative<Response>(who)) return std::get<Response>(std::move(who));
        const auto id = positive_param(req, "id");
        if (!id) return error(req, 404, kNoRun);
        auto run = owned(req, std::get<Principal>(who), *id);
        if (std::holds_alternative<Response>(run)) return std::get<Response>(std::move(run));
        const auto action = field(f, "action");
        const auto status_of = [](const auto& r) -> Status {
          if (r) return ok();
          return r.error();
        };
        Status done = ok();
        if (action == "setup") {
          done = status_of(life->freeze_setup(*id));
        } else if (action == "open") {
          done = status_of(life->open(*id));
        } else if (action == "close") {
          done = status_of(life->close(*id));
        } else if (action == "publish") {
          done = status_of(life->publish(*id));
        } else if (action == "invite") {
          const auto slot = parse_count(field(f, "slot"), 0);
          const auto role = field(f, "role");
          if (!slot || (role != "trustee" && role != "registrar")) {
            return error(req, 400, "Choose a trustee or registrar.");
          }
          done = status_of(life->renew_invite(
              *id, role == "trustee" ? el::Role::kTrustee : el::Role::kRegistrar, *slot));
        } else {
          return error(req, 400, "Unknown action.");
        }
        if (!done) {
          const int status = status_for(done.error().code);
          if (status >= 500) return error(req, done.error());
          return manage_page(req, std::get<el::Run>(run), "", done.error().message, status);
        }
        return Response::redirect("/elections/" + std::to_string(*id) + "/manage?done=" + action);
      });

  // JSON API of the organizer.
  router.add(Method::kPost, "/api/v1/elections", [this, organizer, life](Request& req) {
    auto who = organizer(req, true);
    if (std::holds_alternative<Response>(who)) return std::get<Response>(std::move(who));
    auto draft = draft_from_json(req.body);
    if (!draft) return error(req, draft.error());
    auto id = life->create(std::get<Principal>(who).account.value(), *draft);
    if (!id) return error(req, id.error());
    auto run = life->run(*id);
    if (!run) return error(req, run.error());
    boost::json::array invitations;
    for (const auto& r : run->roles) {
      invitations.push_back(boost::json::object{
          {"role", el::role_name(r.role)},
          {"slot", r.slot},
          {"name", r.name},
          {"token", r.invite_token},
          {"url", "/elections/" + std::to_string(*id) + "/join/" + r.invite_token}});
    }
    return json(boost::json::object{{"id", *id},
                                    {"election_id", run->election_id},
                                    {"phase", "draft"},
                                    {"invitations", std::move(invitations)}},
                201);
  });

  for (const std::string step : {"setup", "open", "close", "publish"}) {
    router.add(Method::kPost, "/api/v1/elections/{id}/" + step,
               [this, organizer, owned, life, step](Request& req) {
                 auto who = organizer(req, true);
                 if (std::holds_alternative<Response>(who)) {
                   return std::get<Response>(std::move(who));
                 }
                 const auto id = positive_param(req, "id");
                 if (!id) return error(req, 404, kNoRun);
                 auto run = owned(req, std::get<Principal>(who), *id);
                 if (std::holds_alternative<Response>(run)) {
                   return std::get<Response>(std::move(run));
                 }
                 auto seq = step == "setup"   ? life->freeze_setup(*id)
                            : step == "open"  ? life->open(*id)
                            : step == "close" ? life->close(*id)
                                              : life->publish(*id);
                 if (!seq) return error(req, seq.error());
                 auto progress = life->progress(*id);
                 if (!progress) return error(req, progress.error());
                 return json(boost::json::object{{"seq", *seq}, {"phase", progress->phase}}, 201);
               });
  }

  // Invitees register a public key (contract: POST role-keys; no login, the token authorizes).
  router.add(
      Method::kPost, "/api/v1/elections/{id}/role-keys", [this, life, key_budget](Request& req) {
        const auto id = positive_param(req, "id");
        if (!id) return error(req, 404, kNoRun);
        if (!key_budget->allow(std::to_string(*id), clock.now())) {
          return error(req, 429, "Too many requests at once. Please try again in a minute.")
              .header("Retry-After", "60");
        }
        boost::system::error_code ec;
        const auto v = boost::json::parse(req.body, ec);
        const auto* o = ec ? nullptr : v.if_object();
        const auto* token = o ? o->if_contains("token") : nullptr;
        const auto* key = o ? o->if_contains("key") : nullptr;
        if (token == nullptr || !token->is_string() || key == nullptr || !key->is_string()) {
          return error(req, 400, "The body needs \"token\" and \"key\" (strings).");
        }
        auto slot = life->register_key(*id, token->as_string(), key->as_string());
        if (!slot) return error(req, slot.error());
        return json(boost::json::object{{"role", el::role_name(slot->role)}, {"slot", slot->slot}},
                    201);
      });

  // Trustees' and registrars' signed events (contract: POST events).
  auto post_event = [this, life, event_budget](
                        std::int64_t id, std::string_view text) -> Result<el::Lifecycle::Appended> {
    if (text.size() > kMaxEventBytes) {
      return too_large("The event is too large.");
    }
    if (!event_budget->allow(std::to_string(id), clock.now())) {
      return resource_exhausted("Too many events at once. Please try again in a minute.");
    }
    VECHE_ASSIGN_OR_RETURN(auto e, el::parse_submitted(text));
    return life->append(id, e);
  };

  router.add(Method::kPost, "/api/v1/elections/{id}/events", [this, post_event](Request& req) {
    const auto id = positive_param(req, "id");
    if (!id) return error(req, 404, kNoRun);
    auto done = post_event(*id, req.body);
    if (!done) {
      Response r = error(req, done.error());
      if (r.status == 429) r.header("Retry-After", "60");
      return r;
    }
    return json(boost::json::object{{"seq", done->seq}, {"hash", done->hash}}, 201);
  });

  // The invitee's page: paste the public key printed by `veche trustee|registrar keygen`, or
  // let the script make one in the browser (section #browser-key).
  auto join_page = [this, life](const Request& req, std::int64_t id, const std::string& token,
                                std::string_view message, int status) {
    const auto run = life->run(id);
    if (!run) return error(req, run.error());
    auto slot = life->invitee(id, token);
    if (!slot) return error(req, slot.error());
    Data d;
    d.set("id", std::to_string(id));
    d.set("token", token);
    d.set("title", run->draft.title);
    d.set("name", slot->name);
    d.set("slot", std::to_string(slot->slot));
    d.set("role", std::string(el::role_name(slot->role)));
    d.set("trustee", slot->role == el::Role::kTrustee);
    d.set("registered", !slot->public_key.empty());
    d.set("key", slot->public_key);
    auto progress = life->progress(id);
    if (!progress) return error(req, progress.error());
    d.set("frozen", progress->phase != "draft");
    return account_form(req, "election_join", std::move(d), "Your role in the election", message,
                        status);
  };

  router.add(Method::kGet, "/elections/{id}/join/{token}", [this, join_page](Request& req) {
    const auto id = positive_param(req, "id");
    if (!id) return error(req, 404, kNoRun);
    return join_page(req, *id, req.path_params.at("token"), "", 200);
  });

  router.add(Method::kPost, "/elections/{id}/join/{token}",
             [this, join_page, life, key_budget](Request& req) {
               const auto f = form_fields(req);
               if (!accounts_web->csrf_ok(req, field(f, "csrf"))) {
                 return error(req, 403, kBadCsrf);
               }
               const auto id = positive_param(req, "id");
               if (!id) return error(req, 404, kNoRun);
               if (!key_budget->allow(std::to_string(*id), clock.now())) {
                 return error(req, 429, "Too many requests at once. Please try again in a minute.");
               }
               const auto& token = req.path_params.at("token");
               const std::string key(core::trim(field(f, "key")));
               auto slot = life->register_key(*id, token, key);
               if (!slot) {
                 const int status = status_for(slot.error().code);
                 if (status >= 500) return error(req, slot.error());
                 return join_page(req, *id, token, slot.error().message, status);
               }
               return Response::redirect("/elections/" + std::to_string(*id) + "/" +
                                         el::role_name(slot->role) + "s/" +
                                         std::to_string(slot->slot));
             });

  // Public status of a trustee or registrar with what to do next, and a form that uploads the
  // event lines the command-line client appended to its copy of the board.
  auto role_page = [this, life](const Request& req, std::int64_t id, el::Role role,
                                std::uint32_t slot, std::string_view notice,
                                std::string_view message, int status) {
    const Lang l = lang(req);
    const auto run = life->run(id);
    if (!run) return error(req, run.error());
    const auto progress = life->progress(id);
    if (!progress) return error(req, progress.error());
    const el::RoleSlot* me = nullptr;
    for (const auto& r : run->roles) {
      if (r.role == role && r.slot == slot) me = &r;
    }
    if (me == nullptr) return error(req, 404, "There is no such trustee or registrar.");
    Data d;
    d.set("id", std::to_string(id));
    d.set("title", run->draft.title);
    d.set("slot", std::to_string(slot));
    d.set("name", me->name);
    d.set("phase", progress->phase);
    d.set("registered", !me->public_key.empty());
    d.set("key", me->public_key);
    d.set("origin", site_origin(req, options.secure_cookies));
    if (!notice.empty()) d.set("notice", translator.tr(l, notice));
    std::string next;
    if (role == el::Role::kTrustee) {
      const auto& t = progress->trustees.at(slot - 1);
      d.set("enc_key", t.enc_key);
      d.set("dealt", t.dealt);
      d.set("complaints", std::to_string(t.complaints));
      d.set("disqualified", t.disqualified);
      d.set("partial", t.partial);
      const auto& ph = progress->phase;
      next = ph == "draft"    ? "Wait for the organizer to freeze the setup."
             : ph == "setup"  ? (t.dealt ? "Run share once more when every trustee has dealt, to "
                                           "check the deals; then wait for the opening."
                                         : "Run the share command and upload the new lines.")
             : ph == "open"   ? "Voting is open: wait for the close."
             : ph == "closed" ? (t.partial ? "Done: wait for the result."
                                           : "Run the decrypt command and upload the new line.")
                              : "The result is published. Thank you.";
      d.set("command", "share");
      d.set("decrypt", ph == "closed");
    } else {
      const auto c = progress->registrar_creds.at(slot - 1);
      d.set("credentials", c >= 0);
      d.set("credential_count", std::to_string(std::max<std::int64_t>(c, 0)));
      next = progress->phase == "draft"   ? "Wait for the organizer to freeze the setup."
             : progress->phase == "setup" ? (c >= 0 ? "Done: give each voter a code."
                                                    : "Make the credentials and upload "
                                                      "the new line.")
                                          : "Done.";
    }
    d.set("next", translator.tr(l, next));
    return account_form(req, role == el::Role::kTrustee ? "election_trustee" : "election_registrar",
                        std::move(d), role == el::Role::kTrustee ? "Trustee" : "Registrar", message,
                        status);
  };

  for (const auto role : {el::Role::kTrustee, el::Role::kRegistrar}) {
    const std::string base = std::string("/elections/{id}/") + el::role_name(role) + "s/{slot}";
    router.add(Method::kGet, base, [this, role_page, role](Request& req) {
      const auto id = positive_param(req, "id");
      const auto slot = positive_param(req, "slot");
      if (!id || !slot || *slot > static_cast<std::int64_t>(el::kMaxRoleSlots)) {
        return error(req, 404, "There is no such trustee or registrar.");
      }
      return role_page(req, *id, role, static_cast<std::uint32_t>(*slot),
                       req.query_param("done") ? "Published." : "", "", 200);
    });
    router.add(Method::kPost, base, [this, role_page, post_event, role](Request& req) {
      const auto f = form_fields(req);
      if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
      const auto id = positive_param(req, "id");
      const auto slot = positive_param(req, "slot");
      if (!id || !slot || *slot > static_cast<std::int64_t>(el::kMaxRoleSlots)) {
        return error(req, 404, "There is no such trustee or registrar.");
      }
      const auto lines = lines_of(field(f, "events"));
      if (lines.empty()) {
        return role_page(req, *id, role, static_cast<std::uint32_t>(*slot), "",
                         "Paste the new lines of your board file.", 400);
      }
      for (const auto& line : lines) {
        auto done = post_event(*id, line);
        if (!done) {
          const int status = status_for(done.error().code);
          if (status >= 500) return error(req, done.error());
          return role_page(req, *id, role, static_cast<std::uint32_t>(*slot), "",
                           done.error().message, status);
        }
      }
      return Response::redirect("/elections/" + std::to_string(*id) + "/" + el::role_name(role) +
                                "s/" + std::to_string(*slot) + "?done=1");
    });
  }
}

}  // namespace veche::http
