// Consensus conversations on the web: /conversations (the list), /conversations/new,
// /conversations/{id} (one statement at a time with agree / disagree / pass, and a form to add a
// statement), /conversations/{id}/moderation (the queue), /conversations/{id}/report (the
// opinion map, groups, consensus, bridging, divisive) with map.svg, report.csv and report.json;
// and the JSON API under /api/v1/conversations. The report is the one the worker thread last
// computed (veche_conversations' ReportWorker); no request computes one. Every form write checks
// its CSRF token, then who may do it; the rules live in veche_conversations.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <set>
#include <variant>

#include "charter_routes.hpp"
#include "veche/conversations/conversations.hpp"

namespace veche::http {
namespace {

namespace conv = conversations;
using conv::ConversationId;
using conv::StatementId;
using registry::Role;

constexpr std::string_view kNoConversation = "There is no such conversation.";
constexpr std::string_view kNoStatement = "There is no such statement.";
constexpr std::string_view kNotOpener = "Only delegates and moderators open conversations.";
constexpr std::string_view kNotModerator =
    "Only moderators may do this (with a second factor, in a logged-in session).";
constexpr std::string_view kNotParticipant = "Only constituents and delegates take part.";
// The engine lists its ten most divisive statements even when the groups barely differ on
// them; the page leaves out those under 20 points apart and those every group agrees with
// (the JSON and CSV exports keep them all).
constexpr double kMinDivisiveScore = 0.2;

Response json(const boost::json::value& v, int status = 200) {
  return Response::json(boost::json::serialize(v), status);
}

std::string day(core::TimePoint t) { return core::to_iso8601(t).substr(0, 10); }
std::string shown(core::TimePoint t) {
  const auto s = core::to_iso8601(t);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

// "2026-12-31": the conversation closes at the end of that day (UTC).
std::optional<core::TimePoint> parse_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, v);
    if (ec != std::errc() || end != s.data() + at + len) return std::nullopt;
    return v;
  };
  const auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                        std::chrono::month(static_cast<unsigned>(*m)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return core::TimePoint(std::chrono::sys_days(ymd) + std::chrono::days(1));
}

std::optional<ConversationId> conversation_param(const Request& req) {
  auto v = parse_positive(req.path_params.at("id"));
  if (!v) return std::nullopt;
  return ConversationId(*v);
}

bool is_moderator(const Principal& p) {
  return p.may_act_as(Role::kModerator) || p.may_act_as(Role::kOperator);
}

bool acts_as_delegate(const Principal& p) {
  for (const auto& g : p.roles) {
    if (g.role == Role::kDelegate && p.may_act_as(Role::kDelegate, g.organization)) return true;
  }
  return false;
}

bool may_open(const Principal& p) { return is_moderator(p) || acts_as_delegate(p); }
bool may_take_part(const Principal& p) {
  return p.may_act_as(Role::kConstituent) || acts_as_delegate(p);
}

std::string_view audience_label(conv::Audience a) {
  switch (a) {
    case conv::Audience::kConstituents:
      return "Constituents";
    case conv::Audience::kDelegates:
      return "Delegates";
    case conv::Audience::kBoth:
      break;
  }
  return "Constituents and delegates";
}

std::string percent(double share) { return fmt::format("{:.0f}%", 100 * share); }

boost::json::object conversation_json(const conv::Conversation& c) {
  return {{"id", c.id.value()},
          {"question", c.question},
          {"description", c.description},
          {"audience", std::string(conv::audience_name(c.audience))},
          {"created_at", core::to_iso8601(c.created_at)},
          {"closes_at", core::to_iso8601(c.closes_at)},
          {"open", c.open},
          {"statements", c.statements},
          {"pending", c.pending},
          {"participants", c.participants},
          {"votes", c.votes}};
}

boost::json::object statement_json(const conv::Statement& s) {
  return {{"id", s.id.value()}, {"text", s.text},
          {"seed", s.seed},     {"state", std::string(conv::state_name(s.state))},
          {"agree", s.agree},   {"disagree", s.disagree},
          {"pass", s.pass},     {"created_at", core::to_iso8601(s.created_at)}};
}

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

std::int64_t count_of(const boost::json::object& counts, std::string_view key) {
  const auto* v = counts.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}
double number_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return 0;
}
std::string text_of(const boost::json::object& o) {
  const auto* v = o.if_contains("text");
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}
// Readers of the stored report that tolerate a missing or differently typed field (the engine's
// format may grow), so an old or new report never makes the page fail.
const boost::json::array& array_of(const boost::json::object& o, std::string_view key) {
  static const boost::json::array kEmpty;
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? v->as_array() : kEmpty;
}
const boost::json::object& object_of(const boost::json::value& v) {
  static const boost::json::object kEmpty;
  return v.is_object() ? v.as_object() : kEmpty;
}
const boost::json::object& object_of(const boost::json::object& o, std::string_view key) {
  static const boost::json::object kEmpty;
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? v->as_object() : kEmpty;
}
std::string string_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

void Site::Impl::add_conversations() {
  auto service = [this] { return conv::Conversations(db, clock, accounts_web->key_); };

  router.add(Method::kGet, "/conversations", [this, service](Request& req) {
    const Lang l = lang(req);
    auto list = service().list();
    if (!list) return error(req, list.error());
    const auto p = accounts_web->principal(req);
    const bool moderator = p && is_moderator(*p);
    Data open_list = Data::type::list;
    Data closed_list = Data::type::list;
    for (const auto& c : *list) {
      Data d;
      d.set("id", c.id.str());
      d.set("question", c.question);
      d.set("audience", translator.tr(l, audience_label(c.audience)));
      d.set("closes", day(c.closes_at));
      d.set("statements", std::to_string(c.statements));
      d.set("participants", std::to_string(c.participants));
      // Moderators see how many statements wait for them.
      d.set("waiting", moderator && c.pending > 0);
      d.set("pending", std::to_string(c.pending));
      (c.open ? open_list : closed_list).push_back(d);
    }
    Data d;
    d.set("open", open_list);
    d.set("closed", closed_list);
    d.set("has_open", !open_list.is_empty_list());
    d.set("has_closed", !closed_list.is_empty_list());
    d.set("may_open", p && may_open(*p));
    return page(req, "conversations", std::move(d), translator.tr(l, "Conversations"));
  });

  auto new_form = [this](const Request& req, const conv::NewConversation& values,
                         const std::string& closes, std::string_view message, int status) {
    Data d;
    d.set("question_value", values.question);
    d.set("description_value", values.description);
    std::string seeds;
    for (const auto& s : values.seeds) seeds += s + "\n";
    d.set("seeds_value", seeds);
    d.set("closes_value", closes);
    d.set("aud_constituents", values.audience == conv::Audience::kConstituents);
    d.set("aud_delegates", values.audience == conv::Audience::kDelegates);
    d.set("aud_both", values.audience == conv::Audience::kBoth);
    return account_form(req, "conversation_new", std::move(d), "Open a conversation", message,
                        status);
  };

  router.add(Method::kGet, "/conversations/new", [this, new_form](Request& req) {
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!may_open(*p)) return error(req, 403, kNotOpener);
    return new_form(req, {}, day(clock.now() + std::chrono::days(14)), "", 200);
  });

  router.add(Method::kPost, "/conversations/new", [this, service, new_form](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!may_open(*p)) return error(req, 403, kNotOpener);
    conv::NewConversation c;
    c.question = field(f, "question");
    c.description = field(f, "description");
    std::string line;
    for (char ch : field(f, "seeds")) {
      if (ch == '\n') {
        c.seeds.push_back(line);
        line.clear();
      } else if (ch != '\r') {
        line.push_back(ch);
      }
    }
    c.seeds.push_back(line);
    const auto closes_text = field(f, "closes");
    auto audience = conv::parse_audience(field(f, "audience"));
    if (!audience) return new_form(req, c, closes_text, "Choose who takes part.", 400);
    c.audience = *audience;
    const auto closes = parse_day(closes_text);
    if (!closes) return new_form(req, c, closes_text, "Give the close date as a date.", 400);
    c.closes_at = *closes;
    auto id = service().open(p->account, c);
    if (!id) {
      const int status = status_for(id.error().code);
      if (status >= 500) return error(req, id.error());
      return new_form(req, c, closes_text, id.error().message, status);
    }
    return Response::redirect("/conversations/" + id->str() + "?done=opened");
  });

  // The conversation: one statement at a time.
  router.add(Method::kGet, "/conversations/{id}", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto s = service();
    auto c = s.conversation(*id);
    if (!c) return error(req, c.error());
    Data d;
    d.set("id", c->id.str());
    d.set("question", c->question);
    d.set("html", markdown_to_html(c->description));
    d.set("audience", translator.tr(l, audience_label(c->audience)));
    d.set("closes", shown(c->closes_at));
    d.set("open", c->open);
    d.set("statements", std::to_string(c->statements));
    d.set("participants", std::to_string(c->participants));
    d.set("votes", std::to_string(c->votes));
    d.set("max_chars", std::to_string(conv::kMaxStatementChars));
    const auto done = req.query_param("done").value_or("");
    if (done == "voted") d.set("notice", translator.tr(l, "Your vote is recorded."));
    if (done == "submitted") {
      d.set("notice", translator.tr(l,
                                    "Thank you. Your statement is shown to others once a "
                                    "moderator accepts it."));
    }
    if (done == "opened") d.set("notice", translator.tr(l, "The conversation is open."));
    const auto p = accounts_web->principal(req);
    d.set("signed_in", p.has_value());
    if (p) {
      auto member = s.in_audience(p->account, *id);
      if (!member) return error(req, member.error());
      const bool takes_part = *member && may_take_part(*p);
      d.set("takes_part", takes_part && c->open);
      d.set("not_audience", !*member);
      if (takes_part) {
        auto next = s.next_statement(p->account, *id);
        if (!next) return error(req, next.error());
        auto voted = s.voted(p->account, *id);
        if (!voted) return error(req, voted.error());
        d.set("voted", std::to_string(*voted));
        if (*next) {
          d.set("has_next", true);
          d.set("statement_id", (*next)->id.str());
          d.set("statement_text", (*next)->text);
        } else {
          d.set("all_voted", *voted > 0 || c->statements > 0);
        }
      }
      if (is_moderator(*p)) {
        d.set("moderator", true);
        d.set("pending", std::to_string(c->pending));
      }
    }
    return account_form(req, "conversation", std::move(d), c->question, "", 200);
  });

  router.add(Method::kPost, "/conversations/{id}/vote", [this, service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    if (!may_take_part(*p)) return error(req, 403, kNotParticipant);
    const auto statement = parse_positive(field(f, "statement"));
    if (!statement) return error(req, 400, kNoStatement);
    auto vote = conv::parse_vote(field(f, "vote"));
    if (!vote) return error(req, 400, "Choose agree, disagree or pass.");
    auto s = service().vote(p->account, *id, StatementId(*statement), *vote);
    if (!s) return error(req, s.error());
    return Response::redirect("/conversations/" + id->str() + "?done=voted");
  });

  router.add(Method::kPost, "/conversations/{id}/statements", [this, service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    if (!may_take_part(*p)) return error(req, 403, kNotParticipant);
    auto sid = service().submit(p->account, *id, field(f, "text"));
    if (!sid) return error(req, sid.error());
    return Response::redirect("/conversations/" + id->str() + "?done=submitted");
  });

  router.add(Method::kGet, "/conversations/{id}/moderation", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!is_moderator(*p)) return error(req, 403, kNotModerator);
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto s = service();
    auto c = s.conversation(*id);
    if (!c) return error(req, c.error());
    auto queue = s.pending(p->account, *id);
    if (!queue) return error(req, queue.error());
    Data list = Data::type::list;
    for (const auto& st : *queue) {
      Data d;
      d.set("sid", st.id.str());
      d.set("text", st.text);
      d.set("date", day(st.created_at));
      list.push_back(d);
    }
    Data d;
    d.set("id", c->id.str());
    d.set("question", c->question);
    d.set("pending", list);
    d.set("has_pending", !queue->empty());
    if (req.query_param("done").value_or("") == "moderated") {
      d.set("notice", translator.tr(l, "The decision is recorded."));
    }
    return account_form(req, "conversation_moderation", std::move(d), "Moderation", "", 200);
  });

  router.add(Method::kPost, "/conversations/{id}/moderation", [this, service](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kCharterBadCsrf);
    const auto p = accounts_web->principal(req);
    if (!p) return Response::redirect("/login");
    if (!is_moderator(*p)) return error(req, 403, kNotModerator);
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    const auto statement = parse_positive(field(f, "statement"));
    if (!statement) return error(req, 400, kNoStatement);
    const auto action = field(f, "action");
    if (action != "accept" && action != "reject") {
      return error(req, 400, "Unknown moderation action.");
    }
    auto s = service();
    auto st = s.statement(StatementId(*statement));
    if (!st || st->conversation != *id) return error(req, 404, kNoStatement);
    auto done = s.moderate(p->account, st->id, action == "accept", field(f, "reason"));
    if (!done) return error(req, done.error());
    return Response::redirect("/conversations/" + id->str() + "/moderation?done=moderated");
  });

  // The report as the worker last computed it.
  router.add(Method::kGet, "/conversations/{id}/report", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto s = service();
    auto c = s.conversation(*id);
    if (!c) return error(req, c.error());
    auto report = s.report(*id);
    if (!report) return error(req, report.error());
    Data d;
    d.set("id", c->id.str());
    d.set("question", c->question);
    d.set("participants", std::to_string(c->participants));
    d.set("votes", std::to_string(c->votes));
    if (!*report) {
      d.set("none", true);
      return page(req, "conversation_report", std::move(d),
                  translator.tr(l, "Conversation report"));
    }
    const auto& r = **report;
    d.set("computed", shown(r.computed_at));
    d.set("report_votes", std::to_string(r.votes));
    d.set("stale", r.votes != c->votes);
    if (!r.problem.empty()) {
      d.set("problem", translator.tr(l, "Not enough votes for opinion groups yet."));
      return page(req, "conversation_report", std::move(d),
                  translator.tr(l, "Conversation report"));
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(r.json, ec);
    if (ec || !parsed.is_object()) return error(req, data_loss("a stored report is not JSON"));
    const auto& root = parsed.as_object();
    d.set("has_report", true);
    d.set("grouped", std::to_string(static_cast<std::int64_t>(number_of(root, "grouped"))));
    d.set("dimensions", std::to_string(static_cast<std::int64_t>(number_of(root, "dimensions"))));
    const auto agree_word = translator.tr(l, "agree");
    const auto disagree_word = translator.tr(l, "disagree");
    Data groups = Data::type::list;
    for (const auto& gv : array_of(root, "groups")) {
      const auto& g = object_of(gv);
      Data gd;
      gd.set("name", string_of(g, "group"));
      gd.set("size", std::to_string(static_cast<std::int64_t>(number_of(g, "size"))));
      Data reps = Data::type::list;
      for (const auto& rv : array_of(g, "representative")) {
        const auto& rep = object_of(rv);
        const bool agree = string_of(rep, "direction") == "agree";
        const auto& in = object_of(rep, "group");
        const auto& others = object_of(rep, "others");
        const auto seen_in =
            count_of(in, "agree") + count_of(in, "disagree") + count_of(in, "pass");
        const auto seen_out =
            count_of(others, "agree") + count_of(others, "disagree") + count_of(others, "pass");
        const auto key = agree ? "agree" : "disagree";
        Data rd;
        rd.set("text", text_of(rep));
        rd.set("direction", agree ? agree_word : disagree_word);
        rd.set("agree", agree);
        rd.set("in_share", seen_in ? percent(static_cast<double>(count_of(in, key)) /
                                             static_cast<double>(seen_in))
                                   : "–");
        rd.set("out_share", seen_out ? percent(static_cast<double>(count_of(others, key)) /
                                               static_cast<double>(seen_out))
                                     : "–");
        rd.set("seen", std::to_string(seen_in));
        const auto* sig = rep.if_contains("significant");
        rd.set("significant", sig != nullptr && sig->is_bool() && sig->as_bool());
        reps.push_back(rd);
      }
      gd.set("representative", reps);
      groups.push_back(gd);
    }
    d.set("groups", groups);
    auto counts_line = [&](const boost::json::object& o) {
      const auto& cts = object_of(o, "counts");
      return fmt::format("{} / {} / {}", count_of(cts, "agree"), count_of(cts, "disagree"),
                         count_of(cts, "pass"));
    };
    Data consensus = Data::type::list;
    std::set<std::string> agreed;
    for (const auto& cv : array_of(root, "consensus")) {
      const auto& co = object_of(cv);
      agreed.insert(string_of(co, "statement"));
      Data cd;
      cd.set("text", text_of(co));
      cd.set("direction", string_of(co, "direction") == "agree" ? agree_word : disagree_word);
      cd.set("confidence", percent(number_of(co, "confidence")));
      cd.set("counts", counts_line(co));
      consensus.push_back(cd);
    }
    d.set("consensus", consensus);
    d.set("has_consensus", !consensus.is_empty_list());
    Data bridging = Data::type::list;
    for (const auto& bv : array_of(root, "bridging")) {
      const auto& bo = object_of(bv);
      Data bd;
      bd.set("text", text_of(bo));
      bd.set("intercept", fmt::format("{:+.2f}", number_of(bo, "intercept")));
      bd.set("error", fmt::format("{:.2f}", number_of(bo, "standard_error")));
      const auto* b = bo.if_contains("bridges");
      bd.set("bridges", b != nullptr && b->is_bool() && b->as_bool());
      bd.set("counts", counts_line(bo));
      bridging.push_back(bd);
    }
    d.set("bridging", bridging);
    d.set("has_bridging", !bridging.is_empty_list());
    Data divisive = Data::type::list;
    for (const auto& dv : array_of(root, "divisive")) {
      const auto& dob = object_of(dv);
      if (number_of(dob, "score") < kMinDivisiveScore) continue;
      if (agreed.count(string_of(dob, "statement")) > 0) continue;
      Data dd;
      dd.set("text", text_of(dob));
      dd.set("agreeing", string_of(dob, "agreeing_group"));
      dd.set("disagreeing", string_of(dob, "disagreeing_group"));
      dd.set("confidence", percent(number_of(dob, "confidence")));
      dd.set("counts", counts_line(dob));
      divisive.push_back(dd);
    }
    d.set("divisive", divisive);
    d.set("has_divisive", !divisive.is_empty_list());
    return page(req, "conversation_report", std::move(d), translator.tr(l, "Conversation report"));
  });

  // The map and the exports of the last report.
  auto stored = [this, service](const Request& req) -> std::variant<conv::StoredReport, Response> {
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto report = service().report(*id);
    if (!report) return error(req, report.error());
    if (!*report || !(*report)->problem.empty()) {
      return error(req, 404, "There is no report for this conversation yet.");
    }
    return std::move(**report);
  };
  auto file = [](std::string body, std::string_view type, std::string_view name) {
    Response r = Response::text(std::move(body));
    r.content_type = std::string(type);
    if (!name.empty()) {
      r.header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
    }
    r.header("Cache-Control", "no-cache");
    return r;
  };
  router.add(Method::kGet, "/conversations/{id}/map.svg", [stored, file](Request& req) {
    auto r = stored(req);
    if (auto* e = std::get_if<Response>(&r)) return std::move(*e);
    auto resp = file(std::get<conv::StoredReport>(r).svg, "image/svg+xml", "");
    // An image: no scripts even if someone managed to put one in.
    resp.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    return resp;
  });
  router.add(Method::kGet, "/conversations/{id}/report.csv", [stored, file](Request& req) {
    auto r = stored(req);
    if (auto* e = std::get_if<Response>(&r)) return std::move(*e);
    return file(std::get<conv::StoredReport>(r).csv, "text/csv; charset=utf-8",
                "conversation-" + req.path_params.at("id") + "-report.csv");
  });
  router.add(Method::kGet, "/conversations/{id}/report.json", [stored, file](Request& req) {
    auto r = stored(req);
    if (auto* e = std::get_if<Response>(&r)) return std::move(*e);
    return file(std::get<conv::StoredReport>(r).json, "application/json",
                "conversation-" + req.path_params.at("id") + "-report.json");
  });

  // ---- JSON API ----
  auto api_principal = [this](Request& req) { return api_writer(req); };

  router.add(Method::kGet, "/api/v1/conversations", [this, service](Request& req) {
    auto list = service().list();
    if (!list) return error(req, list.error());
    boost::json::array out;
    for (const auto& c : *list) out.push_back(conversation_json(c));
    return json(boost::json::object{{"conversations", std::move(out)}});
  });

  router.add(Method::kPost, "/api/v1/conversations", [this, service, api_principal](Request& req) {
    auto who = api_principal(req);
    if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
    const auto& p = std::get<Principal>(who);
    if (!may_open(p)) return error(req, 403, kNotOpener);
    auto body = json_body(req);
    if (!body) return error(req, 400, "The request body must be a JSON object.");
    conv::NewConversation c;
    auto question = json_string(*body, "question");
    auto audience = json_string(*body, "audience");
    auto closes = json_string(*body, "closes_at");
    if (!question || !audience || !closes) {
      return error(req, 400, "'question', 'audience' and 'closes_at' are required strings.");
    }
    c.question = *question;
    if (body->contains("description")) {
      auto text = json_string(*body, "description");
      if (!text) return error(req, 400, "'description' must be a string.");
      c.description = *text;
    }
    auto a = conv::parse_audience(*audience);
    if (!a) return error(req, 400, "Choose who takes part.");
    c.audience = *a;
    auto at = parse_day(closes->substr(0, 10));
    if (!at) return error(req, 400, "Give the close date as a date.");
    c.closes_at = *at;
    if (const auto* seeds = body->if_contains("seeds")) {
      if (!seeds->is_array() || seeds->as_array().size() > conv::kMaxSeedStatements) {
        return error(req, 400, "'seeds' must be a list of statements.");
      }
      for (const auto& s : seeds->as_array()) {
        if (!s.is_string()) return error(req, 400, "'seeds' must be a list of statements.");
        c.seeds.emplace_back(s.as_string());
      }
    }
    auto s = service();
    auto id = s.open(p.account, c);
    if (!id) return error(req, id.error());
    auto created = s.conversation(*id);
    if (!created) return error(req, created.error());
    return json(conversation_json(*created), 201);
  });

  router.add(Method::kGet, "/api/v1/conversations/{id}", [this, service](Request& req) {
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto s = service();
    auto c = s.conversation(*id);
    if (!c) return error(req, c.error());
    auto list = s.statements(*id);
    if (!list) return error(req, list.error());
    auto o = conversation_json(*c);
    boost::json::array statements;
    for (const auto& st : *list) statements.push_back(statement_json(st));
    o["accepted_statements"] = std::move(statements);
    return json(o);
  });

  // A read: authenticated, but no CSRF token needed.
  router.add(Method::kGet, "/api/v1/conversations/{id}/next", [this, service](Request& req) {
    auto p = accounts_web->authenticate(req);
    if (!p) {
      Response r = error(req, p.error());
      if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
      return r;
    }
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto next = service().next_statement(p->account, *id);
    if (!next) return error(req, next.error());
    boost::json::object o;
    if (*next) {
      o["statement"] = statement_json(**next);
    } else {
      o["statement"] = nullptr;
    }
    return json(o);
  });

  router.add(Method::kPut, "/api/v1/conversations/{id}/votes/{statement}",
             [this, service, api_principal](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               if (!may_take_part(p)) return error(req, 403, kNotParticipant);
               const auto id = conversation_param(req);
               if (!id) return error(req, 404, kNoConversation);
               const auto statement = parse_positive(req.path_params.at("statement"));
               if (!statement) return error(req, 404, kNoStatement);
               auto body = json_body(req);
               if (!body) return error(req, 400, "The request body must be a JSON object.");
               auto vote_name = json_string(*body, "vote");
               if (!vote_name) return error(req, 400, "Choose agree, disagree or pass.");
               auto vote = conv::parse_vote(*vote_name);
               if (!vote) return error(req, 400, "Choose agree, disagree or pass.");
               auto s = service().vote(p.account, *id, StatementId(*statement), *vote);
               if (!s) return error(req, s.error());
               return json(boost::json::object{{"statement", *statement},
                                               {"vote", std::string(conv::vote_name(*vote))}});
             });

  router.add(Method::kPost, "/api/v1/conversations/{id}/statements",
             [this, service, api_principal](Request& req) {
               auto who = api_principal(req);
               if (auto* r = std::get_if<Response>(&who)) return std::move(*r);
               const auto& p = std::get<Principal>(who);
               if (!may_take_part(p)) return error(req, 403, kNotParticipant);
               const auto id = conversation_param(req);
               if (!id) return error(req, 404, kNoConversation);
               auto body = json_body(req);
               if (!body) return error(req, 400, "The request body must be a JSON object.");
               auto text = json_string(*body, "text");
               if (!text) return error(req, 400, "'text' must be a string.");
               auto s = service();
               auto sid = s.submit(p.account, *id, *text);
               if (!sid) return error(req, sid.error());
               auto st = s.statement(*sid);
               if (!st) return error(req, st.error());
               return json(statement_json(*st), 201);
             });

  router.add(Method::kGet, "/api/v1/conversations/{id}/report", [this, service](Request& req) {
    const auto id = conversation_param(req);
    if (!id) return error(req, 404, kNoConversation);
    auto report = service().report(*id);
    if (!report) return error(req, report.error());
    boost::json::object o{{"conversation", id->value()}};
    if (!*report) {
      o["computed_at"] = nullptr;
      return json(o);
    }
    const auto& r = **report;
    o["computed_at"] = core::to_iso8601(r.computed_at);
    o["votes"] = r.votes;
    if (!r.problem.empty()) {
      o["problem"] = r.problem;
      return json(o);
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(r.json, ec);
    if (ec) return error(req, data_loss("a stored report is not JSON"));
    o["report"] = std::move(parsed);
    return json(o);
  });
}

}  // namespace veche::http
