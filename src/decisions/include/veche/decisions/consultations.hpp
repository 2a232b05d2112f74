// Constituent-wide consultations: a question put to every constituent, answered by single
// choice, approval or ranking, and counted with the counting engine (count::count).
//
// Frozen when it opens: the question, the options, the counting method and the close time
// (the tables refuse changes). Results exist only after close(): before it, result() is
// kFailedPrecondition, so no partial result can leak through a page or the API.
//
// Privacy (DESIGN.md): a ballot row holds the consultation, a voter key and the ballot, and
// nothing else (no account, no time). The voter key is BLAKE2b keyed with the data key (which
// lives outside the database) over the consultation and the account: it makes one ballot per
// account, changeable until the close, without the database linking a ballot to a person.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"
#include "veche/count/report.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::decisions {

struct ConsultationTag {};
using ConsultationId = core::Id<ConsultationTag>;

enum class QuestionKind { kSingleChoice, kApproval, kRanked };
// "single-choice", "approval", "ranked".
std::string_view question_kind_name(QuestionKind kind);
std::optional<QuestionKind> parse_question_kind(std::string_view name);

inline constexpr std::size_t kMinOptions = 2;
inline constexpr std::size_t kMaxOptions = 30;
inline constexpr std::size_t kMaxOptionChars = 200;

struct NewConsultation {
  std::string title;     // 1..200 characters, one line
  std::string question;  // Markdown, 1..20,000 characters
  QuestionKind kind = QuestionKind::kSingleChoice;
  // single choice: plurality; approval: approval; ranked: schulze (default), irv or
  // ranked-pairs. Empty: the default of the kind.
  std::string method;
  std::vector<std::string> options;  // 2..30, distinct, 1..200 characters each
  core::TimePoint closes_at;         // in the future, at most 365 days away
};

struct Consultation {
  ConsultationId id;
  std::string title;
  std::string question;
  QuestionKind kind = QuestionKind::kSingleChoice;
  count::Method method = count::Method::kPlurality;
  std::vector<std::string> options;
  core::TimePoint opened_at;
  core::TimePoint closes_at;
  std::optional<core::TimePoint> closed_at;
  std::int64_t ballots = 0;               // set once closed (before: not shown)
  std::string report_json;                // count::to_json of the result, once closed
  std::vector<int> winners;               // option indices, once closed
  std::vector<std::vector<int>> ranking;  // levels of option indices, best first, once closed
  // Per option, the votes of the count's last round as the report writes them ("12"), when
  // the method has rounds (plurality, approval, instant-runoff); else empty.
  std::vector<std::string> totals;
  bool closed() const { return closed_at.has_value(); }
};

// A ballot: the option indices chosen. Single choice: exactly one. Approval: one or more,
// distinct. Ranked: one or more distinct, most preferred first.
using Choices = std::vector<int>;

class Consultations {
 public:
  // `db`, `clock` and `key` (the data key) must outlive the service. Thread-safe.
  Consultations(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key)
      : db_(db), clock_(clock), key_(key) {}

  // Opens a consultation now in the name of `actor`. kInvalidArgument for a bad title,
  // question, options, method (one that does not fit the kind) or close time.
  Result<ConsultationId> open(const NewConsultation& c, std::string_view actor);

  // Casts or replaces the ballot of `account`. kInvalidArgument for choices that do not fit
  // the kind; kNotFound for an unknown consultation; kFailedPrecondition at or after the
  // close time.
  Status cast(registry::AccountId account, ConsultationId id, const Choices& choices);

  // The ballot `account` cast, if any (for its owner only).
  Result<std::optional<Choices>> ballot_of(registry::AccountId account, ConsultationId id) const;

  // Counts and closes, in one transaction: kFailedPrecondition before the close time or
  // when closed already.
  Result<Consultation> close(ConsultationId id, std::string_view actor);
  // Closes every consultation past its close time; returns how many.
  Result<int> close_due(std::string_view actor);

  // The consultation; results fields are empty until closed.
  Result<Consultation> consultation(ConsultationId id) const;
  // The result; kFailedPrecondition until closed.
  Result<Consultation> result(ConsultationId id) const;
  // Newest first.
  Result<std::vector<Consultation>> list() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
};

}  // namespace veche::decisions
