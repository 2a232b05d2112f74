#include "veche/decisions/consultations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstring>
#include <set>

#include "log_append.hpp"
#include "veche/core/text.hpp"
#include "veche/count/methods.hpp"
#include "veche/count/output.hpp"
#include "veche/count/profile.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/crypto/password.hpp"

namespace veche::decisions {
namespace {

constexpr std::array kKindNames = {"single-choice", "approval", "ranked"};
constexpr std::chrono::seconds kMaxSpan{365LL * 24 * 3600};
constexpr std::string_view kColumns =
    "id, title, question, kind, method, options, opened_at, closes_at, closed_at, ballots, "
    "report";

// The methods that fit a kind of question; the first is the default.
std::vector<count::Method> methods_for(QuestionKind kind) {
  switch (kind) {
    case QuestionKind::kSingleChoice:
      return {count::Method::kPlurality};
    case QuestionKind::kApproval:
      return {count::Method::kApproval};
    case QuestionKind::kRanked:
      return {count::Method::kSchulze, count::Method::kInstantRunoff, count::Method::kRankedPairs};
  }
  return {};
}

std::string subject_of(ConsultationId id) { return fmt::format("consultation/{}", id.value()); }

std::vector<int> ints_of(const boost::json::value& v) {
  std::vector<int> out;
  if (!v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    if (x.is_int64()) out.push_back(static_cast<int>(x.as_int64()));
  }
  return out;
}

Result<Consultation> consultation_of(const store::Row& r) {
  Consultation c;
  c.id = ConsultationId(r.int64(0));
  c.title = r.text(1);
  c.question = r.text(2);
  c.kind = parse_question_kind(r.text(3)).value_or(QuestionKind::kSingleChoice);
  c.method = count::method_from_name(r.text(4)).value_or(count::Method::kPlurality);
  boost::system::error_code ec;
  const auto options = boost::json::parse(r.text(5), ec);
  if (ec || !options.is_array()) return data_loss("a consultation's options are not readable");
  for (const auto& o : options.as_array()) {
    if (o.is_string()) c.options.emplace_back(o.as_string());
  }
  c.opened_at = core::from_unix(r.int64(6));
  c.closes_at = core::from_unix(r.int64(7));
  if (!r.is_null(8)) {
    c.closed_at = core::from_unix(r.int64(8));
    c.ballots = r.int64(9);
    c.report_json = r.text(10);
    const auto report = boost::json::parse(c.report_json, ec);
    if (ec || !report.is_object()) return data_loss("a consultation's report is not readable");
    const auto& o = report.as_object();
    if (const auto* w = o.if_contains("winners")) c.winners = ints_of(*w);
    if (const auto* levels = o.if_contains("ranking"); levels && levels->is_array()) {
      for (const auto& level : levels->as_array()) c.ranking.push_back(ints_of(level));
    }
    if (const auto* rounds = o.if_contains("rounds");
        rounds && rounds->is_array() && !rounds->as_array().empty()) {
      const auto& last = rounds->as_array().back();
      if (const auto* votes = last.as_object().if_contains("votes"); votes && votes->is_array()) {
        for (const auto& v : votes->as_array()) {
          if (v.is_string()) c.totals.emplace_back(v.as_string());
        }
      }
    }
  }
  return c;
}

Status check_choices(const Consultation& c, const Choices& choices) {
  if (choices.empty()) return invalid_argument("Choose at least one option.");
  std::set<int> seen;
  for (int i : choices) {
    if (i < 0 || static_cast<std::size_t>(i) >= c.options.size()) {
      return invalid_argument("That option is not one of this consultation's.");
    }
    if (!seen.insert(i).second) return invalid_argument("Each option may be chosen only once.");
  }
  if (c.kind == QuestionKind::kSingleChoice && choices.size() != 1) {
    return invalid_argument("Choose exactly one option.");
  }
  return ok();
}

std::string choices_json(const Choices& choices) {
  boost::json::array a;
  for (int i : choices) a.push_back(i);
  return boost::json::serialize(a);
}

store::Blob voter_key(const crypto::SecretBytes& key, ConsultationId id,
                      registry::AccountId account) {
  const auto d = crypto::keyed_hash(key, "consultation-ballot",
                                    fmt::format("{}:{}", id.value(), account.value()));
  store::Blob b(d.size());
  std::memcpy(b.data(), d.data(), d.size());
  return b;
}

Result<Consultation> load(store::Transaction& tx, ConsultationId id) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one(fmt::format("SELECT {} FROM consultations WHERE id = ?", kColumns),
                             {id.value()}, "consultation"));
  return consultation_of(row);
}

}  // namespace

std::string_view question_kind_name(QuestionKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<QuestionKind> parse_question_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (name == kKindNames[i]) return static_cast<QuestionKind>(i);
  }
  return std::nullopt;
}

Result<ConsultationId> Consultations::open(const NewConsultation& in, std::string_view actor) {
  if (core::trim(in.title).empty()) return invalid_argument("A consultation needs a title.");
  VECHE_TRY(core::check_text("title", in.title, 200));
  if (core::trim(in.question).empty()) return invalid_argument("A consultation needs a question.");
  VECHE_TRY(core::check_text("question", in.question, 20'000, /*multiline=*/true));
  VECHE_TRY(core::check_text("actor", actor, 40));
  if (in.options.size() < kMinOptions || in.options.size() > kMaxOptions) {
    return invalid_argument(
        fmt::format("A consultation has {} to {} options.", kMinOptions, kMaxOptions));
  }
  std::set<std::string> distinct;
  boost::json::array options;
  for (const auto& raw : in.options) {
    const std::string o(core::trim(raw));
    if (o.empty()) return invalid_argument("An option cannot be empty.");
    VECHE_TRY(core::check_text("option", o, kMaxOptionChars));
    if (!distinct.insert(o).second) return invalid_argument("Two options are the same.");
    options.push_back(boost::json::string(o));
  }
  const auto allowed = methods_for(in.kind);
  count::Method method = allowed.front();
  if (!in.method.empty()) {
    const auto m = count::method_from_name(in.method);
    if (!m || std::find(allowed.begin(), allowed.end(), *m) == allowed.end()) {
      std::string names;
      for (auto a : allowed) names += std::string(names.empty() ? "" : ", ") + method_name(a);
      return invalid_argument(
          fmt::format("A {} question is counted with: {}.", question_kind_name(in.kind), names));
    }
    method = *m;
  }
  ConsultationId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const core::TimePoint now = clock_.now();
    if (in.closes_at <= now) return invalid_argument("The close time must be in the future.");
    if (in.closes_at - now > kMaxSpan) {
      return invalid_argument("A consultation may stay open at most 365 days.");
    }
    const std::string options_text = boost::json::serialize(options);
    VECHE_ASSIGN_OR_RETURN(
        const auto new_id,
        tx.insert("INSERT INTO consultations (title, question, kind, method, options, opened_at, "
                  "closes_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {std::string(core::trim(in.title)), in.question,
                   std::string(question_kind_name(in.kind)), std::string(method_name(method)),
                   options_text, core::to_unix(now), core::to_unix(in.closes_at)}));
    id = ConsultationId(new_id);
    boost::json::object body{{"consultation", new_id},
                             {"title", std::string(core::trim(in.title))},
                             {"question", in.question},
                             {"kind", question_kind_name(in.kind)},
                             {"method", method_name(method)},
                             {"options", options},
                             {"closes_at", core::to_iso8601(in.closes_at)},
                             {"opened_by", std::string(actor)}};
    VECHE_TRY(detail::append_log(tx, now, "consultation.opened", subject_of(id),
                                 boost::json::serialize(body)));
    const boost::json::object notice{{"consultation", new_id},
                                     {"title", std::string(core::trim(in.title))},
                                     {"closes_at", core::to_iso8601(in.closes_at)},
                                     {"path", fmt::format("/consultations/{}", new_id)}};
    return detail::notify(tx, "decisions.consultation.opened", boost::json::serialize(notice), now);
  }));
  return id;
}

Status Consultations::cast(registry::AccountId account, ConsultationId id, const Choices& choices) {
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const core::TimePoint now = clock_.now();
    VECHE_ASSIGN_OR_RETURN(const Consultation c, load(tx, id));
    if (c.closed() || now >= c.closes_at) {
      return failed_precondition("This consultation is closed.");
    }
    VECHE_TRY(check_choices(c, choices));
    VECHE_ASSIGN_OR_RETURN(auto role,
                           tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = "
                                    "'constituent'",
                                    {account.value()}));
    if (role.empty()) return permission_denied("Only constituents take part in consultations.");
    VECHE_TRY(tx.exec(
        "INSERT INTO consultation_ballots (consultation_id, voter_key, choices) VALUES (?, ?, ?) "
        "ON CONFLICT (consultation_id, voter_key) DO UPDATE SET choices = excluded.choices",
        {id.value(), voter_key(key_, id, account), choices_json(choices)}));
    return ok();
  });
}

Result<std::optional<Choices>> Consultations::ballot_of(registry::AccountId account,
                                                        ConsultationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT choices FROM consultation_ballots WHERE consultation_id = ? "
                           "AND voter_key = ?",
                           {id.value(), voter_key(key_, id, account)}));
  if (rows.empty()) return std::optional<Choices>();
  boost::system::error_code ec;
  const auto v = boost::json::parse(rows[0].text(0), ec);
  if (ec) return data_loss("a ballot is not readable");
  return std::optional<Choices>(ints_of(v));
}

Result<Consultation> Consultations::close(ConsultationId id, std::string_view actor) {
  VECHE_TRY(core::check_text("actor", actor, 40));
  Consultation closed;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const core::TimePoint now = clock_.now();
    VECHE_ASSIGN_OR_RETURN(Consultation c, load(tx, id));
    if (c.closed()) return failed_precondition("The consultation is closed already.");
    if (now < c.closes_at) {
      return failed_precondition(
          fmt::format("The consultation is open until {}.", core::to_iso8601(c.closes_at)));
    }
    count::ProfileBuilder builder;
    builder.profile().title = c.title;
    builder.profile().candidates = c.options;
    builder.profile().withdrawn.assign(c.options.size(), false);
    builder.profile().seats = 1;
    VECHE_ASSIGN_OR_RETURN(
        auto rows, tx.query("SELECT choices FROM consultation_ballots WHERE consultation_id = ?",
                            {id.value()}));
    std::vector<count::Item> items;
    for (const auto& r : rows) {
      boost::system::error_code ec;
      const auto choices = ints_of(boost::json::parse(r.text(0), ec));
      if (ec) return data_loss("a ballot is not readable");
      items.clear();
      for (int i : choices) items.push_back(static_cast<count::Item>(i));
      VECHE_TRY(builder.add(items, 1));
    }
    count::Profile profile = builder.finish();
    // The lot for ties: the head of the public decisions log when the count starts, so that
    // nobody knows it in advance and anyone can recompute it afterwards.
    VECHE_ASSIGN_OR_RETURN(auto head,
                           tx.query("SELECT hash FROM decisions_log ORDER BY seq DESC LIMIT 1"));
    auto seed_hash = crypto::h32("decisions/consultation-lot");
    seed_hash.add_u64(static_cast<std::uint64_t>(id.value()))
        .add(std::string_view(head.empty() ? std::string(64, '0') : head[0].text(0)));
    const auto digest = seed_hash.digest32();
    count::CountOptions options;
    std::memcpy(options.seed.data(), digest.data(), options.seed.size());
    VECHE_ASSIGN_OR_RETURN(const auto report, count::count(c.method, profile, options));
    const std::string report_json = count::to_json(report);
    VECHE_ASSIGN_OR_RETURN(
        const auto changed,
        tx.exec(
            "UPDATE consultations SET closed_at = ?, ballots = ?, report = ? WHERE id = ? "
            "AND closed_at IS NULL",
            {core::to_unix(now), static_cast<std::int64_t>(rows.size()), report_json, id.value()}));
    VECHE_CHECK(changed == 1, "the consultation was read open in this write transaction");
    boost::system::error_code ec;
    boost::json::object body{{"consultation", id.value()},
                             {"title", c.title},
                             {"method", method_name(c.method)},
                             {"ballots", static_cast<std::int64_t>(rows.size())},
                             {"report", boost::json::parse(report_json, ec)},
                             {"closed_by", std::string(actor)}};
    VECHE_TRY(detail::append_log(tx, now, "consultation.closed", subject_of(id),
                                 boost::json::serialize(body)));
    VECHE_ASSIGN_OR_RETURN(closed, load(tx, id));
    boost::json::array winners;
    for (int w : closed.winners) {
      winners.push_back(boost::json::string(closed.options[static_cast<std::size_t>(w)]));
    }
    const boost::json::object notice{{"consultation", id.value()},
                                     {"title", c.title},
                                     {"ballots", static_cast<std::int64_t>(rows.size())},
                                     {"winners", std::move(winners)},
                                     {"path", fmt::format("/consultations/{}", id.value())}};
    return detail::notify(tx, "decisions.consultation.closed", boost::json::serialize(notice), now);
  }));
  return closed;
}

Result<int> Consultations::close_due(std::string_view actor) {
  std::vector<std::int64_t> due;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx->query("SELECT id FROM consultations WHERE closed_at IS NULL AND "
                                     "closes_at <= ? ORDER BY id",
                                     {core::to_unix(clock_.now())}));
    for (const auto& r : rows) due.push_back(r.int64(0));
  }
  int closed = 0;
  for (auto id : due) {
    auto c = close(ConsultationId(id), actor);
    if (c) {
      ++closed;
    } else if (c.error().code != ErrorCode::kFailedPrecondition) {
      return std::move(c).error();
    }
  }
  return closed;
}

Result<Consultation> Consultations::consultation(ConsultationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return load(*tx, id);
}

Result<Consultation> Consultations::result(ConsultationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto c, consultation(id));
  if (!c.closed()) {
    return failed_precondition("Results are published only after the consultation closes.");
  }
  return c;
}

Result<std::vector<Consultation>> Consultations::list() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query(fmt::format("SELECT {} FROM consultations ORDER BY id DESC", kColumns)));
  std::vector<Consultation> out;
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto c, consultation_of(r));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace veche::decisions
