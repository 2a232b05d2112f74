// Ballots (docs/protocol.md §11): made on the voter's device, checked by the board and verifier.
// Lifecycle: PlainBallot -> EncryptedBallot -> cast (appended to the board) or audited
// (Benaloh, §5.4: its randomness revealed, never cast).
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "veche/core/random.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/proofs.hpp"
#include "veche/crypto/sign.hpp"
#include "veche/record/election.hpp"

namespace veche::record {

// The voter's choices: for each question, 0/1 per choice.
struct PlainBallot {
  std::vector<std::vector<std::uint8_t>> selections;
};

// kInvalidArgument when the selections do not fit the questions (shape, 0/1, min/max/blank).
Status validate(const PlainBallot& b, const std::vector<Question>& questions);

struct EncryptedBallot {
  boost::json::object payload;  // signed; append as a `ballot` event
  crypto::Digest tracker{};     // H32("tracker", payload bytes)
  // The encryption randomness per question and choice: revealed only by a Benaloh audit.
  std::vector<std::vector<crypto::Scalar>> randomness;
};

// Encrypts and signs a ballot (§11). Preconditions: none; errors are kInvalidArgument.
Result<EncryptedBallot> encrypt_ballot(const std::vector<Question>& questions,
                                       const crypto::PublicKey& key,
                                       const crypto::Digest& fingerprint,
                                       const crypto::Credential& credential,
                                       const PlainBallot& plain, core::Random& rng);

// Benaloh audit (§5.4): true when `plain` and `randomness` reproduce every ciphertext.
bool audit_ballot(const boost::json::object& payload, const crypto::PublicKey& key,
                  const PlainBallot& plain,
                  const std::vector<std::vector<crypto::Scalar>>& randomness);

// A ballot as read from the board (strict; shape checked against the questions).
struct Ballot {
  crypto::Digest election{};
  crypto::VerifyKey credential;
  struct Answer {
    std::vector<crypto::Ciphertext> choices;
    std::vector<std::array<std::uint8_t, 64>> choice_bytes;  // their encodings as parsed
    std::vector<crypto::RangeProof> proofs;
    crypto::RangeProof sum;
  };
  std::vector<Answer> answers;
};

Result<Ballot> parse_ballot(const boost::json::object& payload,
                            const std::vector<Question>& questions);

// Everything about one ballot that does not depend on other ballots: it names `fingerprint`,
// its signature is the credential's, and every proof verifies (§11, check 9).
Status verify_ballot(const Ballot& ballot, const boost::json::object& payload,
                     const std::vector<Question>& questions, const crypto::PublicKey& key,
                     const crypto::Digest& fingerprint);
// The same with the signature already checked (`signature` is its outcome).
Status verify_ballot(const Ballot& ballot, const Status& signature,
                     const std::vector<Question>& questions, const crypto::PublicKey& key,
                     const crypto::Digest& fingerprint);

// The same checks with the proof equations added to `batch` (docs/protocol.md §13) instead of
// checked one by one; the caller checks the batch and falls back to verify_ballot() to name a
// bad ballot. `batch` must have the election key as its second base.
Status verify_ballot_batched(const Ballot& ballot, const boost::json::object& payload,
                             const std::vector<Question>& questions, const crypto::PublicKey& key,
                             const crypto::Digest& fingerprint, crypto::BatchVerifier& batch,
                             core::Random& rng);
// The same with the signature already checked (`signature` is its outcome, for instance from
// check_payload_signature_bytes on the event's payload bytes).
Status verify_ballot_batched(const Ballot& ballot, const Status& signature,
                             const std::vector<Question>& questions, const crypto::PublicKey& key,
                             const crypto::Digest& fingerprint, crypto::BatchVerifier& batch,
                             core::Random& rng);

// The tracker of a ballot payload (its canonical bytes) and its short form for people.
crypto::Digest tracker_of(std::string_view payload_bytes);
std::string short_tracker(const crypto::Digest& tracker);

}  // namespace veche::record
