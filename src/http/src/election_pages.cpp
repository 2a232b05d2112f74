// Elections on the web (docs/elections.md): /elections, /elections/{id} (parameters,
// fingerprint, phase, the live number of ballots cast: never partial results),
// /elections/{id}/board ("find my ballot"), /elections/{id}/verify, the record download, and
// the JSON API under /api/v1/elections. Casting needs no account: the credential's signature
// is the only authorization, and the server never learns which account holds a credential.
// Pages work without JavaScript.
#include <boost/json.hpp>
#include <charconv>

#include "accounts_web.hpp"
#include "election_web.hpp"
#include "site_impl.hpp"
#include "veche/elections/elections.hpp"

namespace veche::http {
namespace {

constexpr std::size_t kBoardPage = 500;  // ballots listed on /elections/{id}/board
constexpr std::size_t kMaxBallotBytes = 1u << 20;

Response json(const boost::json::value& v, int status = 200) {
  return Response::json(boost::json::serialize(v), status);
}

boost::json::object summary_json(const elections::Summary& s, bool full) {
  boost::json::object o{{"id", s.id},           {"election_id", s.election_id},
                        {"title", s.title},     {"phase", s.phase},
                        {"ballots", s.ballots}, {"fingerprint", s.fingerprint}};
  if (!full) return o;
  boost::json::array trustees;
  for (const auto& t : s.trustees) trustees.emplace_back(t);
  o["questions"] = questions_json(s.questions);
  o["trustees"] = std::move(trustees);
  o["threshold"] = s.threshold;
  o["events"] = s.events;
  o["head"] = s.head;
  return o;
}

Data summary_data(const elections::Summary& s) {
  Data d;
  d.set("id", std::to_string(s.id));
  d.set("title", s.title);
  d.set("election_id", s.election_id);
  d.set("phase", s.phase);
  d.set("ballots", std::to_string(s.ballots));
  d.set("fingerprint", s.fingerprint);
  d.set("has_fingerprint", !s.fingerprint.empty());
  d.set("threshold", std::to_string(s.threshold));
  d.set("trustee_count", std::to_string(s.trustees.size()));
  d.set("open", s.phase == "open");
  d.set("has_result", s.result.has_value());
  d.set("events", std::to_string(s.events));
  d.set("head", s.head);
  d.set("has_head", !s.head.empty());
  Data trustees{Data::type::list};
  for (const auto& t : s.trustees) trustees.push_back(Data("name", t));
  d.set("trustees", trustees);
  Data questions{Data::type::list};
  for (const auto& q : s.questions) {
    Data qd;
    qd.set("qid", q.id);
    qd.set("kind", record::to_string(q.kind));
    qd.set("min", std::to_string(q.min));
    qd.set("max", std::to_string(q.max));
    Data choices{Data::type::list};
    for (const auto& c : q.choices) choices.push_back(Data("choice", c));
    qd.set("choices", choices);
    questions.push_back(qd);
  }
  d.set("questions", questions);
  return d;
}

// The credential named by a ballot payload (for the per-credential budget), or "".
std::string credential_of(std::string_view body) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto* c = v.as_object().if_contains("credential");
  if (c == nullptr || !c->is_string()) return "";
  return std::string(c->as_string()).substr(0, 64);
}

}  // namespace

boost::json::array questions_json(const std::vector<record::Question>& questions) {
  boost::json::array out;
  for (const auto& q : questions) {
    boost::json::array choices;
    for (const auto& c : q.choices) choices.emplace_back(c);
    out.push_back(boost::json::object{{"id", q.id},
                                      {"kind", record::to_string(q.kind)},
                                      {"choices", std::move(choices)},
                                      {"min", q.min},
                                      {"max", q.max},
                                      {"blank", q.blank}});
  }
  return out;
}

void Site::Impl::add_elections() {
  // Shared with the site-run elections' pages (add_election_admin(), called first).
  auto service =
      elections_service ? elections_service : std::make_shared<elections::Elections>(db, clock);
  // Budgets per minute: each election may spend at most 60,000 ballot checks (1,000/s, about
  // twice what two cores verify), each credential at most 10 casts; over budget is 429 and
  // costs no proof verification. An unknown credential is refused before its proofs are checked.
  auto election_budget = std::make_shared<RateLimiter>(60'000, 240'000);
  auto credential_budget = std::make_shared<RateLimiter>(10, 240'000);

  router.add(Method::kGet, "/elections", [this, service](Request& req) {
    const Lang l = lang(req);
    auto all = service->list();
    if (!all) return error(req, all.error());
    Data d;
    Data list{Data::type::list};
    for (const auto& s : *all) list.push_back(summary_data(s));
    d.set("elections", list);
    d.set("empty", all->empty());
    return page(req, "elections", std::move(d), translator.tr(l, "Elections"));
  });

  router.add(Method::kGet, "/elections/{id}", [this, service](Request& req) {
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    Data d = summary_data(*s);
    election_schedule(req, *id, d);
    return page(req, "election", std::move(d), s->title);
  });

  router.add(Method::kGet, "/elections/{id}/board", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    const std::string prefix = req.query_param("tracker").value_or("");
    auto found = service->ballots(*id, prefix, kBoardPage + 1);
    if (!found) return error(req, found.error());
    Data d = summary_data(*s);
    d.set("tracker", prefix);
    d.set("searched", !prefix.empty());
    d.set("none", found->empty());
    d.set("more", found->size() > kBoardPage);
    if (found->size() > kBoardPage) found->resize(kBoardPage);
    Data rows{Data::type::list};
    for (const auto& b : *found) {
      Data r;
      r.set("seq", std::to_string(b.seq));
      r.set("short_tracker", b.short_tracker);
      r.set("full_tracker", b.tracker);
      rows.push_back(r);
    }
    d.set("ballots_found", rows);
    return page(req, "election_board", std::move(d),
                translator.tr(l, "Bulletin board") + ": " + s->title);
  });

  router.add(Method::kGet, "/elections/{id}/verify", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    return page(req, "election_verify", summary_data(*s),
                translator.tr(l, "Verify this election yourself") + ": " + s->title);
  });

  router.add(Method::kGet, "/elections/{id}/record", [this, service](Request& req) {
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto text = service->record(*id);
    if (!text) return error(req, text.error());
    Response r = Response::text(std::move(*text));
    r.content_type = "application/x-ndjson";
    r.header("Content-Disposition",
             "attachment; filename=\"election-" + std::to_string(*id) + "-board.jsonl\"");
    return r;
  });

  router.add(Method::kGet, "/api/v1/elections", [this, service](Request& req) {
    auto all = service->list();
    if (!all) return error(req, all.error());
    boost::json::array out;
    for (const auto& s : *all) out.push_back(summary_json(s, false));
    return json(boost::json::object{{"elections", std::move(out)}});
  });

  router.add(Method::kGet, "/api/v1/elections/{id}", [this, service](Request& req) {
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    return json(summary_json(*s, true));
  });

  router.add(Method::kGet, "/api/v1/elections/{id}/ballots", [this, service](Request& req) {
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto found = service->ballots(*id, req.query_param("tracker").value_or(""), kBoardPage);
    if (!found) return error(req, found.error());
    boost::json::array out;
    for (const auto& b : *found) {
      out.push_back(boost::json::object{
          {"seq", b.seq}, {"tracker", b.tracker}, {"short_tracker", b.short_tracker}});
    }
    return json(boost::json::object{{"ballots", std::move(out)}});
  });

  add_election_booth(service);

  router.add(
      Method::kPost, "/api/v1/elections/{id}/ballots",
      [this, service, election_budget, credential_budget](Request& req) {
        const auto id = election_param(req);
        if (!id) return error(req, 404, kNoElection);
        if (req.body.size() > kMaxBallotBytes) {
          return error(req, 413, "The ballot is too large.");
        }
        const auto now = clock.now();
        if (!election_budget->allow(std::to_string(*id), now) ||
            !credential_budget->allow(std::to_string(*id) + "/" + credential_of(req.body), now)) {
          return error(req, 429, "Too many ballots at once. Please try again in a minute.")
              .header("Retry-After", "60");
        }
        auto receipt = service->cast(*id, req.body);
        if (!receipt) return error(req, receipt.error());
        return json(boost::json::object{{"tracker", receipt->tracker},
                                        {"short_tracker", receipt->short_tracker},
                                        {"seq", receipt->seq},
                                        {"already_cast", receipt->already_cast}},
                    receipt->already_cast ? 200 : 201);
      });
}

}  // namespace veche::http
