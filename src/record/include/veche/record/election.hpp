// Election parameters: questions, trustees, registrars (docs/protocol.md §10.3, event `setup`).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "veche/core/result.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/sign.hpp"

namespace veche::record {

enum class QuestionKind { kApproval, kSingle, kYesNo, kPartyList };
enum class SeatMethod { kNone, kDhondt, kSainteLague };

const char* to_string(QuestionKind k);
const char* to_string(SeatMethod m);
Result<QuestionKind> parse_question_kind(std::string_view s);
Result<SeatMethod> parse_seat_method(std::string_view s);

inline constexpr std::size_t kMaxQuestions = 64;
inline constexpr std::size_t kMaxChoices = 64;
inline constexpr std::size_t kMaxTrustees = 64;

struct Question {
  std::string id;
  QuestionKind kind = QuestionKind::kApproval;
  std::vector<std::string> choices;
  std::uint32_t min = 0;
  std::uint32_t max = 1;
  bool blank = false;
  std::uint32_t seats = 0;
  SeatMethod method = SeatMethod::kNone;
  std::uint32_t threshold_permille = 0;
};

// The values a question's sum may take (§11): [min..max], with 0 first when blank is allowed.
std::vector<std::uint64_t> sum_values(const Question& q);

// The rules of §10.3 for one question. kInvalidArgument names the rule broken.
Status validate(const Question& q);

struct Party {
  std::string name;
  crypto::VerifyKey key;
};

struct Setup {
  std::string election_id;
  std::string title;
  std::vector<Question> questions;
  std::vector<Party> trustees;  // trustee i is trustees[i - 1]
  std::uint32_t threshold = 1;
  std::vector<Party> registrars;
  crypto::VerifyKey administrator;
};

Status validate(const Setup& s);
// The unsigned payload of the `setup` event.
boost::json::object to_json(const Setup& s);
// Strict: the signed payload of a `setup` event (signature not checked here).
Result<Setup> parse_setup(const boost::json::object& payload);

}  // namespace veche::record
