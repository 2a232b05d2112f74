// The party-list file of `veche count FILE.json --method dhondt|sainte-lague` (docs/counting.md,
// "Party lists"): a JSON object with the seats, and each party's votes and ordered list.
#include <algorithm>
#include <boost/json.hpp>

#include "veche/core/text.hpp"
#include "veche/count/methods.hpp"

namespace veche::count {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxListLength = 10000;
constexpr std::size_t kMaxNameBytes = 400;
constexpr std::size_t kMaxGenderBytes = 32;

Result<std::string> text_field(const json::object& o, std::string_view key, std::string_view where,
                               std::size_t max_bytes, bool required) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    if (required)
      return invalid_argument(std::string(where) + ": \"" + std::string(key) + "\" is missing");
    return std::string();
  }
  if (!v->is_string()) {
    return invalid_argument(std::string(where) + ": \"" + std::string(key) + "\" must be a string");
  }
  const json::string& s = v->get_string();
  if (s.size() > max_bytes) {
    return invalid_argument(std::string(where) + ": \"" + std::string(key) + "\" is longer than " +
                            std::to_string(max_bytes) + " bytes");
  }
  if (required && s.empty()) {
    return invalid_argument(std::string(where) + ": \"" + std::string(key) + "\" is empty");
  }
  return std::string(s);
}

Status only_keys(const json::object& o, std::initializer_list<std::string_view> keys,
                 const std::string& where) {
  for (const auto& kv : o) {
    if (std::find(keys.begin(), keys.end(), std::string_view(kv.key())) == keys.end()) {
      return invalid_argument(where + ": unknown field \"" + std::string(kv.key()) + "\"");
    }
  }
  return ok();
}

Result<std::int64_t> whole_number(const json::value& v, const std::string& what, std::int64_t max) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(max)) {
    n = static_cast<std::int64_t>(v.get_uint64());
  } else {
    return invalid_argument(what + " must be a whole number");
  }
  if (n < 0 || n > max) {
    return invalid_argument(what + " must be between 0 and " + std::to_string(max));
  }
  return n;
}

Result<PartyList> party(const json::value& v, std::size_t index) {
  const std::string where = "parties[" + std::to_string(index) + "]";
  if (!v.is_object()) return invalid_argument(where + " must be an object");
  const json::object& o = v.get_object();
  VECHE_TRY(only_keys(o, {"name", "votes", "candidates"}, where));
  PartyList p;
  VECHE_ASSIGN_OR_RETURN(p.name, text_field(o, "name", where, kMaxNameBytes, true));
  const json::value* votes = o.if_contains("votes");
  if (votes == nullptr) return invalid_argument(where + ": \"votes\" is missing");
  VECHE_ASSIGN_OR_RETURN(
      p.votes, whole_number(*votes, where + ".votes", static_cast<std::int64_t>(kMaxTotalWeight)));
  const json::value* list = o.if_contains("candidates");
  if (list == nullptr) return p;
  if (!list->is_array()) return invalid_argument(where + ".candidates must be an array");
  if (list->get_array().size() > kMaxListLength) {
    return too_large(where + ".candidates: more than " + std::to_string(kMaxListLength));
  }
  std::size_t with_gender = 0;
  for (std::size_t k = 0; k < list->get_array().size(); ++k) {
    const json::value& c = list->get_array()[k];
    const std::string cwhere = where + ".candidates[" + std::to_string(k) + "]";
    if (c.is_string()) {
      // A bare name: no gender.
      if (c.get_string().empty() || c.get_string().size() > kMaxNameBytes) {
        return invalid_argument(cwhere + " must be a name of 1 to " +
                                std::to_string(kMaxNameBytes) + " bytes");
      }
      p.candidates.emplace_back(c.get_string());
      p.genders.emplace_back();
      continue;
    }
    if (!c.is_object()) return invalid_argument(cwhere + " must be a name or an object");
    VECHE_TRY(only_keys(c.get_object(), {"name", "gender"}, cwhere));
    VECHE_ASSIGN_OR_RETURN(auto name,
                           text_field(c.get_object(), "name", cwhere, kMaxNameBytes, true));
    VECHE_ASSIGN_OR_RETURN(auto gender,
                           text_field(c.get_object(), "gender", cwhere, kMaxGenderBytes, false));
    if (!gender.empty()) ++with_gender;
    p.candidates.push_back(std::move(name));
    p.genders.push_back(std::move(gender));
  }
  if (with_gender == 0) {
    p.genders.clear();
  } else if (with_gender != p.candidates.size()) {
    return invalid_argument(where + ".candidates: give every candidate a gender, or none");
  }
  return p;
}

}  // namespace

Result<PartyListFile> parse_party_lists(std::string_view text) {
  if (!core::is_valid_utf8(text)) return invalid_argument("the file is not valid UTF-8");
  json::parse_options options;
  options.max_depth = 8;
  std::error_code ec;
  json::value root =
      json::parse(json::string_view(text.data(), text.size()), ec, json::storage_ptr(), options);
  if (ec) return invalid_argument("not valid JSON: " + ec.message());
  if (!root.is_object()) return invalid_argument("the file must hold one JSON object");
  const json::object& o = root.get_object();
  VECHE_TRY(only_keys(o, {"title", "seats", "parties"}, "the file"));
  PartyListFile file;
  VECHE_ASSIGN_OR_RETURN(file.title, text_field(o, "title", "the file", kMaxNameBytes, false));
  if (const json::value* seats = o.if_contains("seats")) {
    VECHE_ASSIGN_OR_RETURN(auto n, whole_number(*seats, "seats", 100000));
    if (n < 1) return invalid_argument("seats must be between 1 and 100000");
    file.seats = static_cast<int>(n);
  }
  const json::value* parties = o.if_contains("parties");
  if (parties == nullptr || !parties->is_array() || parties->get_array().empty()) {
    return invalid_argument("\"parties\" must be a non-empty array");
  }
  if (parties->get_array().size() > kMaxCandidates) {
    return too_large("more than " + std::to_string(kMaxCandidates) + " parties");
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < parties->get_array().size(); ++i) {
    VECHE_ASSIGN_OR_RETURN(PartyList p, party(parties->get_array()[i], i));
    for (const auto& other : file.parties) {
      if (other.name == p.name) {
        return invalid_argument("parties[" + std::to_string(i) + "]: the name \"" + p.name +
                                "\" is used twice");
      }
    }
    total += p.votes;
    if (total > static_cast<std::int64_t>(kMaxTotalWeight)) {
      return too_large("more than " + std::to_string(kMaxTotalWeight) + " votes in total");
    }
    file.parties.push_back(std::move(p));
  }
  return file;
}

}  // namespace veche::count
