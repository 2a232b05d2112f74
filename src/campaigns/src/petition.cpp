#include "veche/campaigns/petition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "veche/crypto/bytes.hpp"
#include "veche/crypto/hash.hpp"

namespace veche::campaigns {
namespace {

bool is_hash(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string signature_hash(std::int64_t petition, std::string_view receipt) {
  auto h = crypto::h32("campaigns/petition-signature");
  h.add_u64(static_cast<std::uint64_t>(petition)).add(receipt);
  return crypto::to_hex(h.digest32());
}

std::string list_digest(std::int64_t petition, const std::vector<std::string>& sorted_hashes) {
  auto h = crypto::h32("campaigns/petition-list");
  h.add_u64(static_cast<std::uint64_t>(petition))
      .add_u64(static_cast<std::uint64_t>(sorted_hashes.size()));
  for (const auto& s : sorted_hashes) h.add(std::string_view(s));
  return crypto::to_hex(h.digest32());
}

Result<Recount> recount(std::string_view published_json, std::string_view receipt) {
  boost::system::error_code ec;
  auto v = boost::json::parse(published_json, ec);
  if (ec || !v.is_object()) return invalid_argument("The published list is not a JSON object.");
  const auto& o = v.as_object();
  const auto* petition = o.if_contains("petition");
  const auto* count = o.if_contains("count");
  const auto* hashes = o.if_contains("hashes");
  const auto* digest = o.if_contains("digest");
  if (petition == nullptr || !petition->is_int64() || count == nullptr || !count->is_int64() ||
      hashes == nullptr || !hashes->is_array() || digest == nullptr || !digest->is_string()) {
    return invalid_argument(
        "The published list needs 'petition' and 'count' (numbers), 'hashes' (a list) and "
        "'digest' (a string).");
  }
  Recount r;
  r.declared = count->as_int64();
  std::vector<std::string> list;
  std::set<std::string> distinct;
  for (const auto& h : hashes->as_array()) {
    if (!h.is_string() || !is_hash(h.as_string())) {
      r.problems.push_back("an entry is not a 64-character lowercase hex hash");
      continue;
    }
    list.emplace_back(h.as_string());
    if (!distinct.insert(list.back()).second) {
      r.problems.push_back("hash " + list.back() + " appears more than once");
    }
  }
  r.counted = static_cast<std::int64_t>(distinct.size());
  r.sorted = std::is_sorted(list.begin(), list.end());
  if (!r.sorted) r.problems.push_back("the hashes are not sorted");
  if (r.counted != r.declared) {
    r.problems.push_back(fmt::format("the list states {} signatures but holds {} distinct hashes",
                                     r.declared, r.counted));
  }
  r.digest_matches = list_digest(petition->as_int64(), list) == digest->as_string();
  if (!r.digest_matches) r.problems.push_back("the digest does not match the list");
  if (!receipt.empty()) {
    r.receipt_found = distinct.count(signature_hash(petition->as_int64(), receipt)) > 0;
  }
  return r;
}

}  // namespace veche::campaigns
