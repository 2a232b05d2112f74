// docs/protocol.md §10.3 (setup and questions), §11 (allowed sums).
#include "veche/record/election.hpp"

#include <boost/json.hpp>
#include <set>

#include "json_reader.hpp"
#include "veche/core/text.hpp"

namespace veche::record {

namespace json = boost::json;

const char* to_string(QuestionKind k) {
  switch (k) {
    case QuestionKind::kApproval:
      return "approval";
    case QuestionKind::kSingle:
      return "single";
    case QuestionKind::kYesNo:
      return "yes_no";
    case QuestionKind::kPartyList:
      return "party_list";
  }
  return "?";
}

const char* to_string(SeatMethod m) {
  switch (m) {
    case SeatMethod::kNone:
      return "none";
    case SeatMethod::kDhondt:
      return "dhondt";
    case SeatMethod::kSainteLague:
      return "sainte_lague";
  }
  return "?";
}

Result<QuestionKind> parse_question_kind(std::string_view s) {
  for (auto k : {QuestionKind::kApproval, QuestionKind::kSingle, QuestionKind::kYesNo,
                 QuestionKind::kPartyList}) {
    if (s == to_string(k)) return k;
  }
  return invalid_argument("unknown question kind \"" + std::string(s) + "\"");
}

Result<SeatMethod> parse_seat_method(std::string_view s) {
  for (auto m : {SeatMethod::kNone, SeatMethod::kDhondt, SeatMethod::kSainteLague}) {
    if (s == to_string(m)) return m;
  }
  return invalid_argument("unknown seat method \"" + std::string(s) + "\"");
}

std::vector<std::uint64_t> sum_values(const Question& q) {
  std::vector<std::uint64_t> out;
  if (q.blank && q.min > 0) out.push_back(0);
  for (std::uint64_t v = q.min; v <= q.max; ++v) out.push_back(v);
  return out;
}

Status validate(const Question& q) {
  const std::string where = "question \"" + q.id + "\": ";
  VECHE_TRY(core::check_text("question id", q.id, 64));
  if (q.id.empty()) return invalid_argument("a question needs an id");
  if (q.choices.empty() || q.choices.size() > kMaxChoices) {
    return invalid_argument(where + "1 to 64 choices");
  }
  std::set<std::string> names;
  for (const auto& c : q.choices) {
    VECHE_TRY(core::check_text("choice", c, 200));
    if (c.empty() || !names.insert(c).second) {
      return invalid_argument(where + "choices must be non-empty and distinct");
    }
  }
  if (q.min > q.max || q.max > q.choices.size() || q.max == 0) {
    return invalid_argument(where + "needs 0 <= min <= max <= number of choices, max >= 1");
  }
  if ((q.kind == QuestionKind::kSingle || q.kind == QuestionKind::kYesNo) && q.max != 1) {
    return invalid_argument(where + "a single-choice or yes/no question has max = 1");
  }
  if (q.kind == QuestionKind::kYesNo &&
      (q.choices.size() != 2 || q.choices[0] != "yes" || q.choices[1] != "no")) {
    return invalid_argument(where + "a yes/no question has the choices yes, no");
  }
  if (q.kind == QuestionKind::kPartyList) {
    if (q.seats < 1 || q.min != 1 || q.max != 1 || q.method == SeatMethod::kNone) {
      return invalid_argument(where + "a party list needs seats >= 1, min = max = 1, a method");
    }
  } else if (q.seats != 0 || q.method != SeatMethod::kNone) {
    return invalid_argument(where + "only party lists have seats and a method");
  }
  if (q.threshold_permille > 1000) return invalid_argument(where + "threshold above 1000 permille");
  if (q.kind != QuestionKind::kPartyList && q.threshold_permille != 0) {
    return invalid_argument(where + "only party lists have a threshold");
  }
  return ok();
}

Status validate(const Setup& s) {
  VECHE_TRY(core::check_text("election id", s.election_id, 128));
  if (s.election_id.empty()) return invalid_argument("an election needs an id");
  VECHE_TRY(core::check_text("title", s.title, 300));
  if (s.questions.empty() || s.questions.size() > kMaxQuestions) {
    return invalid_argument("an election has 1 to 64 questions");
  }
  std::set<std::string> ids;
  for (const auto& q : s.questions) {
    VECHE_TRY(validate(q));
    if (!ids.insert(q.id).second) return invalid_argument("question ids must be distinct");
  }
  if (s.trustees.empty() || s.trustees.size() > kMaxTrustees) {
    return invalid_argument("an election has 1 to 64 trustees");
  }
  if (s.threshold < 1 || s.threshold > s.trustees.size()) {
    return invalid_argument("the threshold must be between 1 and the number of trustees");
  }
  if (s.registrars.empty() || s.registrars.size() > kMaxTrustees) {
    return invalid_argument("an election has 1 to 64 registrars");
  }
  for (const auto* list : {&s.trustees, &s.registrars}) {
    for (const auto& p : *list) VECHE_TRY(core::check_text("name", p.name, 200));
  }
  return ok();
}

json::object to_json(const Setup& s) {
  json::object o;
  o["election_id"] = s.election_id;
  o["title"] = s.title;
  json::array qs;
  for (const auto& q : s.questions) {
    json::object jq;
    jq["id"] = q.id;
    jq["kind"] = to_string(q.kind);
    json::array cs;
    for (const auto& c : q.choices) cs.push_back(json::value(c));
    jq["choices"] = std::move(cs);
    jq["min"] = q.min;
    jq["max"] = q.max;
    jq["blank"] = q.blank;
    jq["seats"] = q.seats;
    jq["method"] = to_string(q.method);
    jq["threshold_permille"] = q.threshold_permille;
    qs.push_back(std::move(jq));
  }
  o["questions"] = std::move(qs);
  auto parties = [](const std::vector<Party>& ps) {
    json::array a;
    for (const auto& p : ps) {
      json::object jp;
      jp["name"] = p.name;
      jp["key"] = crypto::to_hex(p.key.bytes());
      a.push_back(std::move(jp));
    }
    return a;
  };
  o["trustees"] = parties(s.trustees);
  o["threshold"] = s.threshold;
  o["registrars"] = parties(s.registrars);
  o["administrator"] = crypto::to_hex(s.administrator.bytes());
  return o;
}

namespace {

Result<std::vector<Party>> parse_parties(const json::array& a, const std::string& where) {
  std::vector<Party> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    detail::ObjectReader r(a[i], where + "[" + std::to_string(i) + "]");
    VECHE_TRY(r.expect_keys({"name", "key"}));
    Party p;
    VECHE_ASSIGN_OR_RETURN(p.name, r.text("name", 800));
    VECHE_ASSIGN_OR_RETURN(p.key, r.verify_key("key"));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<Setup> parse_setup(const json::object& payload) {
  const json::value v(payload);
  detail::ObjectReader r(v, "setup");
  VECHE_TRY(r.expect_keys({"election_id", "title", "questions", "trustees", "threshold",
                           "registrars", "administrator", "signer", "sig"}));
  Setup s;
  VECHE_ASSIGN_OR_RETURN(s.election_id, r.text("election_id", 512));
  VECHE_ASSIGN_OR_RETURN(s.title, r.text("title", 1200));
  VECHE_ASSIGN_OR_RETURN(const json::array* qs, r.array("questions", kMaxQuestions));
  for (std::size_t i = 0; i < qs->size(); ++i) {
    detail::ObjectReader q(qs->at(i), "setup.questions[" + std::to_string(i) + "]");
    VECHE_TRY(q.expect_keys(
        {"id", "kind", "choices", "min", "max", "blank", "seats", "method", "threshold_permille"}));
    Question out;
    VECHE_ASSIGN_OR_RETURN(out.id, q.text("id", 256));
    VECHE_ASSIGN_OR_RETURN(std::string kind, q.text("kind", 32));
    VECHE_ASSIGN_OR_RETURN(out.kind, parse_question_kind(kind));
    VECHE_ASSIGN_OR_RETURN(const json::array* cs, q.array("choices", kMaxChoices));
    for (std::size_t c = 0; c < cs->size(); ++c) {
      VECHE_ASSIGN_OR_RETURN(std::string name,
                             detail::as_text(cs->at(c), 800, q.where() + ".choices"));
      out.choices.push_back(std::move(name));
    }
    VECHE_ASSIGN_OR_RETURN(const std::uint64_t mn, q.integer("min", kMaxChoices));
    VECHE_ASSIGN_OR_RETURN(const std::uint64_t mx, q.integer("max", kMaxChoices));
    out.min = static_cast<std::uint32_t>(mn);
    out.max = static_cast<std::uint32_t>(mx);
    VECHE_ASSIGN_OR_RETURN(out.blank, q.boolean("blank"));
    VECHE_ASSIGN_OR_RETURN(const std::uint64_t seats, q.integer("seats", 100000));
    out.seats = static_cast<std::uint32_t>(seats);
    VECHE_ASSIGN_OR_RETURN(std::string method, q.text("method", 32));
    VECHE_ASSIGN_OR_RETURN(out.method, parse_seat_method(method));
    VECHE_ASSIGN_OR_RETURN(const std::uint64_t th, q.integer("threshold_permille", 1000));
    out.threshold_permille = static_cast<std::uint32_t>(th);
    s.questions.push_back(std::move(out));
  }
  VECHE_ASSIGN_OR_RETURN(const json::array* ts, r.array("trustees", kMaxTrustees));
  VECHE_ASSIGN_OR_RETURN(s.trustees, parse_parties(*ts, "setup.trustees"));
  VECHE_ASSIGN_OR_RETURN(const std::uint64_t t, r.integer("threshold", kMaxTrustees));
  s.threshold = static_cast<std::uint32_t>(t);
  VECHE_ASSIGN_OR_RETURN(const json::array* rs, r.array("registrars", kMaxTrustees));
  VECHE_ASSIGN_OR_RETURN(s.registrars, parse_parties(*rs, "setup.registrars"));
  VECHE_ASSIGN_OR_RETURN(s.administrator, r.verify_key("administrator"));
  VECHE_TRY(validate(s));
  return s;
}

}  // namespace veche::record
