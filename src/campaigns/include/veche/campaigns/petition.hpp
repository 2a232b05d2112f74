// Verifiable petition counts (pure: no database). A signer gets a random receipt once; the
// server publishes only signature_hash(petition, receipt) for each signature, sorted, with a
// digest of the whole list. The signer finds their hash by recomputing it from the receipt;
// anyone recounts the published list (distinct, well-formed hashes; the digest) without
// learning who signed. Hashes use the framed BLAKE2b of docs/protocol.md §2 (crypto::h32);
// docs/campaigns.md gives the exact inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"

namespace veche::campaigns {

// Hex BLAKE2b-256 of ("campaigns/petition-signature"; u64 petition; receipt).
std::string signature_hash(std::int64_t petition, std::string_view receipt);
// Hex BLAKE2b-256 of ("campaigns/petition-list"; u64 petition; u64 count; each hash in order).
std::string list_digest(std::int64_t petition, const std::vector<std::string>& sorted_hashes);

struct Recount {
  std::int64_t declared = 0;  // the count the list states
  std::int64_t counted = 0;   // distinct well-formed hashes in it
  bool sorted = true;
  bool digest_matches = false;
  std::vector<std::string> problems;  // empty when the list checks
  std::optional<bool> receipt_found;  // set when a receipt was given
  bool ok() const { return problems.empty(); }
};

// Recounts a published list (the JSON of GET /api/v1/petitions/{id}/signatures:
// {"petition", "count", "hashes", "digest", ...}); when `receipt` is not empty, also says whether
// its hash is in the list. kInvalidArgument when the text is not such a JSON object.
Result<Recount> recount(std::string_view published_json, std::string_view receipt = {});

}  // namespace veche::campaigns
