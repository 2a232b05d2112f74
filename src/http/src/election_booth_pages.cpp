// The voter's side of an election on the web (docs/elections.md): the booth
// /elections/{id}/vote and the result /elections/{id}/result with its JSON twin.
//
// The booth encrypts in the browser (web/static/js/booth.mjs with veche-crypto.mjs and
// libsodium from /static/vendor/): the page only carries what encryption needs (questions,
// fingerprint, joint key); the credential code is typed or read from the URL fragment and never
// sent. Without JavaScript the page explains, for this election, how to vote with `veche vote`.
// The result exists only once the `result` event is on the board: never partial results.
#include <boost/json.hpp>

#include "election_charts.hpp"
#include "election_web.hpp"
#include "site_impl.hpp"
#include "veche/elections/elections.hpp"

namespace veche::http {
namespace {

constexpr std::string_view kNoResult = "The result of this election is not published yet.";

bool is_party_list(const record::Question& q) { return q.kind == record::QuestionKind::kPartyList; }

// What the booth's script needs to encrypt (veche-crypto.mjs encryptBallot): the questions, the
// fingerprint and the joint key. Rendered into a data attribute (HTML-escaped by the template).
std::string booth_json(const elections::Summary& s) {
  return boost::json::serialize(boost::json::object{{"id", s.id},
                                                    {"election_id", s.election_id},
                                                    {"fingerprint", s.fingerprint},
                                                    {"joint_key", s.joint_key},
                                                    {"questions", questions_json(s.questions)}});
}

// A shell word: bare when it is safe, else in single quotes.
std::string shell_word(std::string_view s) {
  bool bare = !s.empty();
  for (char c : s) {
    bare = bare && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                    c == '.' || c == ',' || c == '=' || c == '/' || c == ':');
  }
  if (bare) return std::string(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// An example of --select for each question: its first `min` choices (at least one).
std::string example_selects(const std::vector<record::Question>& qs) {
  std::string out;
  for (const auto& q : qs) {
    if (q.choices.empty()) continue;
    std::string chosen;
    const std::size_t n = std::clamp<std::size_t>(q.min, 1, q.choices.size());
    for (std::size_t c = 0; c < n; ++c) chosen += (c == 0 ? "" : ",") + q.choices[c];
    out += " --select " + shell_word(q.id + "=" + chosen);
  }
  return out;
}

// The address of this site as the request named it (for commands to copy); "https://SITE",
// for the reader to replace, when the Host header is not a plain host[:port].
std::string site_address(const Request& req, bool https) {
  const auto host = req.header("host");
  bool plain = !host.empty() && host.size() <= 255;
  for (char c : host) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                      c == ':' || c == '[' || c == ']');
  }
  return plain ? std::string(https ? "https://" : "http://") + std::string(host)
               : std::string("https://SITE");
}

boost::json::object result_json(const elections::Summary& s) {
  const auto& r = *s.result;
  boost::json::array questions;
  for (std::size_t q = 0; q < s.questions.size(); ++q) {
    const auto& question = s.questions[q];
    boost::json::array choices;
    for (std::size_t c = 0; c < question.choices.size(); ++c) {
      boost::json::object choice{
          {"choice", question.choices[c]},
          {"votes", q < r.counts.size() && c < r.counts[q].size() ? r.counts[q][c] : 0}};
      if (is_party_list(question)) {
        choice["seats"] = q < r.seats.size() && c < r.seats[q].size() ? r.seats[q][c] : 0;
      }
      choices.push_back(std::move(choice));
    }
    boost::json::object o{{"id", question.id},
                          {"kind", record::to_string(question.kind)},
                          {"choices", std::move(choices)}};
    if (is_party_list(question)) {
      o["seats"] = question.seats;
      o["method"] = record::to_string(question.method);
      o["threshold_permille"] = question.threshold_permille;
    }
    questions.push_back(std::move(o));
  }
  return boost::json::object{{"id", s.id},
                             {"election_id", s.election_id},
                             {"title", s.title},
                             {"fingerprint", s.fingerprint},
                             {"ballots", s.ballots},
                             {"counted", r.counted},
                             {"questions", std::move(questions)}};
}

// What the booth and the result pages show of every election above their own content.
Data election_head(const elections::Summary& s) {
  Data d;
  d.set("id", std::to_string(s.id));
  d.set("title", s.title);
  d.set("phase", s.phase);
  d.set("ballots", std::to_string(s.ballots));
  d.set("fingerprint", s.fingerprint);
  d.set("has_result", s.result.has_value());
  return d;
}

}  // namespace

void Site::Impl::add_election_booth(std::shared_ptr<elections::Elections> service) {
  router.add(Method::kGet, "/elections/{id}/vote", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    Data d = election_head(*s);
    const bool open = s->phase == "open";
    d.set("open", open);
    d.set("not_open", !open);
    if (s->phase == "closed") {
      d.set("reason",
            translator.tr(l, "Voting is closed: the trustees are decrypting the result."));
    } else if (s->phase == "done") {
      d.set("reason", translator.tr(l, "Voting is closed and the result is published."));
    } else if (!open) {
      d.set("reason", translator.tr(l,
                                    "Voting has not opened yet: the trustees and registrars "
                                    "are still preparing the election."));
    }
    if (open) {
      d.set("booth_json", booth_json(*s));
      const std::string site = site_address(req, options.secure_cookies);
      d.set("site", site);
      d.set("selects", example_selects(s->questions));
    }
    Data questions{Data::type::list};
    for (std::size_t q = 0; q < s->questions.size(); ++q) {
      const auto& question = s->questions[q];
      Data qd;
      qd.set("index", std::to_string(q));
      qd.set("qid", question.id);
      qd.set("kind", record::to_string(question.kind));
      const bool several = question.kind == record::QuestionKind::kApproval;
      qd.set("several", several);
      qd.set("one", !several);
      qd.set("min", std::to_string(question.min));
      qd.set("max", std::to_string(question.max));
      qd.set("blank", question.blank);
      qd.set("radio_blank", !several && question.blank);
      qd.set("blank_allowed", question.blank && question.min > 0);
      Data choices{Data::type::list};
      for (std::size_t c = 0; c < question.choices.size(); ++c) {
        Data cd;
        cd.set("qindex", std::to_string(q));
        cd.set("cindex", std::to_string(c));
        cd.set("input_type", several ? "checkbox" : "radio");
        cd.set("choice", question.choices[c]);
        choices.push_back(cd);
      }
      qd.set("choices", choices);
      questions.push_back(qd);
    }
    d.set("questions", questions);
    return page(req, "election_vote", std::move(d), translator.tr(l, "Vote") + ": " + s->title);
  });

  router.add(Method::kGet, "/elections/{id}/result", [this, service](Request& req) {
    const Lang l = lang(req);
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    Data d = election_head(*s);
    d.set("no_result", !s->result.has_value());
    if (!s->result) {
      return page(req, "election_result", std::move(d),
                  translator.tr(l, "Result") + ": " + s->title);
    }
    const auto& r = *s->result;
    d.set("counted", std::to_string(r.counted));
    Data questions{Data::type::list};
    std::vector<std::string> curiae;
    std::vector<CuriaSeats> by_list;
    for (std::size_t q = 0; q < s->questions.size(); ++q) {
      const auto& question = s->questions[q];
      const auto& counts = q < r.counts.size() ? r.counts[q] : std::vector<std::uint64_t>{};
      std::vector<ResultRow> votes;
      std::uint64_t total = 0;
      Data rows{Data::type::list};
      for (std::size_t c = 0; c < question.choices.size(); ++c) {
        const std::uint64_t v = c < counts.size() ? counts[c] : 0;
        votes.push_back({question.choices[c], v});
        total += v;
      }
      Data qd;
      qd.set("qid", question.id);
      qd.set("kind", record::to_string(question.kind));
      const bool lists = is_party_list(question);
      qd.set("party_list", lists);
      std::vector<ResultRow> seats;
      for (std::size_t c = 0; c < question.choices.size(); ++c) {
        Data row;
        row.set("choice", question.choices[c]);
        row.set("votes", std::to_string(votes[c].value));
        if (lists) {
          const std::uint64_t n = q < r.seats.size() && c < r.seats[q].size() ? r.seats[q][c] : 0;
          row.set("seats", std::to_string(n));
          seats.push_back({question.choices[c], n});
          auto it = std::find_if(by_list.begin(), by_list.end(), [&](const CuriaSeats& x) {
            return x.label == question.choices[c];
          });
          if (it == by_list.end()) it = by_list.insert(by_list.end(), {question.choices[c], {}});
          it->seats.resize(curiae.size() + 1, 0);
          it->seats[curiae.size()] = n;
        }
        rows.push_back(row);
      }
      qd.set("rows", rows);
      qd.set("votes_svg", vote_bars_svg(translator.tr(l, "Votes per choice") + ": " + question.id,
                                        votes, total));
      if (lists) {
        qd.set("seats_total", std::to_string(question.seats));
        qd.set("method", record::to_string(question.method));
        qd.set("seats_svg",
               seat_squares_svg(translator.tr(l, "Seats per list") + ": " + question.id, seats));
        curiae.push_back(question.id);
      }
      questions.push_back(qd);
    }
    d.set("questions", questions);
    if (curiae.size() > 1) {
      for (auto& row : by_list) row.seats.resize(curiae.size(), 0);
      d.set("curiae_svg",
            seats_by_curia_svg(translator.tr(l, "Seats per list and curia"), by_list, curiae));
      d.set("has_curiae", true);
    }
    return page(req, "election_result", std::move(d), translator.tr(l, "Result") + ": " + s->title);
  });

  router.add(Method::kGet, "/api/v1/elections/{id}/result", [this, service](Request& req) {
    const auto id = election_param(req);
    if (!id) return error(req, 404, kNoElection);
    auto s = service->get(*id);
    if (!s) return error(req, s.error());
    if (!s->result) return error(req, 404, kNoResult);
    return Response::json(boost::json::serialize(result_json(*s)));
  });
}

}  // namespace veche::http
