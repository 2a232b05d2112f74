// The payloads each role appends to the board (docs/protocol.md §7, §8, §10.3): trustees
// (keys, deals, complaints, partial decryptions), registrars (credential lists) and the
// administrator (setup, open, close, result). Each returns a signed payload to append.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "veche/core/random.hpp"
#include "veche/crypto/dkg.hpp"
#include "veche/crypto/sign.hpp"
#include "veche/record/state.hpp"

namespace veche::record {

boost::json::object make_setup(const Setup& setup, const crypto::SigningKey& admin);

// Trustee `index` publishes its share-encryption key E = e·G with a Schnorr proof (§7.1).
boost::json::object make_trustee_key(const ElectionState& state, std::uint32_t index,
                                     const crypto::SecretScalar& enc_secret,
                                     const crypto::SigningKey& key, core::Random& rng);

// Trustee `index` deals its polynomial: commitments, a proof for C_0 and a share encrypted to
// every trustee, itself included (§7.2). kFailedPrecondition before every key is published.
Result<boost::json::object> make_trustee_deal(const ElectionState& state, std::uint32_t index,
                                              const crypto::Polynomial& poly,
                                              const crypto::SigningKey& key, core::Random& rng);

// Trustee `index` checks every deal's share for it (§7.3) and returns a signed complaint for
// each bad one (§7.4); an empty vector when every share is good.
std::vector<boost::json::object> check_deals(const ElectionState& state, std::uint32_t index,
                                             const crypto::SecretScalar& enc_secret,
                                             const crypto::SigningKey& key, core::Random& rng);

// x_j = Σ_{i∈Q} s_{ij} (§7.5), from the board after the opening. kFailedPrecondition when a
// qualified dealer's share does not open or check.
Result<crypto::SecretScalar> derive_share(const ElectionState& state, std::uint32_t index,
                                          const crypto::SecretScalar& enc_secret);

boost::json::object make_credentials(std::uint32_t registrar,
                                     std::vector<crypto::VerifyKey> credentials,
                                     const crypto::SigningKey& key);

// The administrator opens the election once every registrar has published (§9).
Result<boost::json::object> make_open(const ElectionState& state, const crypto::SigningKey& admin);
boost::json::object make_close(const ElectionState& state, const crypto::SigningKey& admin);

// Trustee j's decryption factors for the recomputed tally, with proofs (§8).
Result<boost::json::object> make_partial_decryption(const ElectionState& state, std::uint32_t index,
                                                    const crypto::SecretScalar& share,
                                                    const crypto::SigningKey& key,
                                                    core::Random& rng);

// The result from the first t partial decryptions (§12); kFailedPrecondition before that.
Result<boost::json::object> make_result(const ElectionState& state,
                                        const crypto::SigningKey& admin);

}  // namespace veche::record
