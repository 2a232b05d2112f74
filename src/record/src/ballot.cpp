// docs/protocol.md §11 (ballots), §5.3 (range proofs), §5.4 (audit).
#include "veche/record/ballot.hpp"

#include <boost/json.hpp>

#include "json_reader.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/record/board.hpp"

namespace veche::record {

namespace json = boost::json;

namespace {
const std::vector<std::uint64_t> kZeroOne = {0, 1};
}

Status validate(const PlainBallot& b, const std::vector<Question>& questions) {
  if (b.selections.size() != questions.size()) {
    return invalid_argument("the ballot answers " + std::to_string(b.selections.size()) +
                            " questions, the election has " + std::to_string(questions.size()));
  }
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const auto& sel = b.selections[q];
    const auto& question = questions[q];
    if (sel.size() != question.choices.size()) {
      return invalid_argument("question \"" + question.id + "\": wrong number of choices");
    }
    std::uint64_t sum = 0;
    for (const auto v : sel) {
      if (v > 1) return invalid_argument("question \"" + question.id + "\": a choice is 0 or 1");
      sum += v;
    }
    const auto allowed = sum_values(question);
    if (std::find(allowed.begin(), allowed.end(), sum) == allowed.end()) {
      return invalid_argument("question \"" + question.id + "\": " + std::to_string(sum) +
                              " choices selected; allowed " + std::to_string(question.min) +
                              " to " + std::to_string(question.max) +
                              (question.blank ? " or none" : ""));
    }
  }
  return ok();
}

Result<EncryptedBallot> encrypt_ballot(const std::vector<Question>& questions,
                                       const crypto::PublicKey& key,
                                       const crypto::Digest& fingerprint,
                                       const crypto::Credential& credential,
                                       const PlainBallot& plain, core::Random& rng) {
  VECHE_TRY(validate(plain, questions));
  const auto& cred = credential.public_credential().bytes();
  const auto ctx = crypto::ProofContext::for_voter(fingerprint, cred);
  EncryptedBallot out;
  json::object& o = out.payload;
  o["election"] = crypto::to_hex(fingerprint);
  o["credential"] = crypto::to_hex(cred);
  json::array answers;
  for (std::size_t q = 0; q < questions.size(); ++q) {
    json::array choices;
    crypto::Ciphertext sum{crypto::Point(), crypto::Point()};
    crypto::Scalar sum_r;
    std::uint64_t total = 0;
    std::vector<crypto::Scalar> rs;
    for (std::size_t c = 0; c < questions[q].choices.size(); ++c) {
      const std::uint64_t m = plain.selections[q][c];
      const crypto::Scalar r = crypto::Scalar::random(rng);
      const crypto::Ciphertext ct = crypto::encrypt(key, m, r);
      const auto proof = crypto::RangeProof::make(ctx, key, ct, kZeroOne, m, r, rng);
      json::object jc;
      jc["c"] = crypto::to_hex(ct.to_bytes());
      jc["proof"] = crypto::to_hex(proof.to_bytes());
      choices.push_back(std::move(jc));
      sum += ct;
      sum_r += r;
      total += m;
      rs.push_back(r);
    }
    const auto values = sum_values(questions[q]);
    const auto index =
        static_cast<std::size_t>(std::find(values.begin(), values.end(), total) - values.begin());
    const auto sum_proof = crypto::RangeProof::make(ctx, key, sum, values, index, sum_r, rng);
    json::object ja;
    ja["choices"] = std::move(choices);
    ja["sum"] = crypto::to_hex(sum_proof.to_bytes());
    answers.push_back(std::move(ja));
    out.randomness.push_back(std::move(rs));
  }
  o["answers"] = std::move(answers);
  sign_payload(o, "ballot", credential.key());
  out.tracker = tracker_of(json::serialize(o));
  return out;
}

bool audit_ballot(const json::object& payload, const crypto::PublicKey& key,
                  const PlainBallot& plain,
                  const std::vector<std::vector<crypto::Scalar>>& randomness) {
  const auto* answers = payload.if_contains("answers");
  if (answers == nullptr || !answers->is_array()) return false;
  const auto& a = answers->as_array();
  if (a.size() != plain.selections.size() || a.size() != randomness.size()) return false;
  for (std::size_t q = 0; q < a.size(); ++q) {
    const auto* choices = a[q].is_object() ? a[q].as_object().if_contains("choices") : nullptr;
    if (choices == nullptr || !choices->is_array()) return false;
    const auto& cs = choices->as_array();
    if (cs.size() != plain.selections[q].size() || cs.size() != randomness[q].size()) {
      return false;
    }
    for (std::size_t c = 0; c < cs.size(); ++c) {
      const auto* text = cs[c].is_object() ? cs[c].as_object().if_contains("c") : nullptr;
      if (text == nullptr || !text->is_string()) return false;
      auto bytes = crypto::from_hex(std::string_view(text->as_string()));
      if (!bytes) return false;
      auto ct = crypto::Ciphertext::from_bytes(*bytes);
      if (!ct) return false;
      if (!crypto::audit_ciphertext(key, *ct, plain.selections[q][c], randomness[q][c])) {
        return false;
      }
    }
  }
  return true;
}

Result<Ballot> parse_ballot(const json::object& payload, const std::vector<Question>& questions) {
  const json::value v(payload);
  detail::ObjectReader r(v, "ballot");
  VECHE_TRY(r.expect_keys({"election", "credential", "answers", "signer", "sig"}));
  Ballot b;
  VECHE_ASSIGN_OR_RETURN(b.election, r.digest("election"));
  VECHE_ASSIGN_OR_RETURN(b.credential, r.verify_key("credential"));
  VECHE_ASSIGN_OR_RETURN(const json::array* answers, r.array("answers", kMaxQuestions));
  if (answers->size() != questions.size()) {
    return invalid_argument("ballot: answers " + std::to_string(answers->size()) +
                            " questions, the election has " + std::to_string(questions.size()));
  }
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const std::string where = "ballot.answers[" + std::to_string(q) + "]";
    detail::ObjectReader ra(answers->at(q), where);
    VECHE_TRY(ra.expect_keys({"choices", "sum"}));
    VECHE_ASSIGN_OR_RETURN(const json::array* choices, ra.array("choices", kMaxChoices));
    if (choices->size() != questions[q].choices.size()) {
      return invalid_argument(where + ": wrong number of choices");
    }
    Ballot::Answer ans;
    for (std::size_t c = 0; c < choices->size(); ++c) {
      detail::ObjectReader rc(choices->at(c), where + ".choices[" + std::to_string(c) + "]");
      VECHE_TRY(rc.expect_keys({"c", "proof"}));
      std::array<std::uint8_t, 64> encoded{};
      VECHE_ASSIGN_OR_RETURN(crypto::Ciphertext ct, rc.ciphertext("c", encoded));
      VECHE_ASSIGN_OR_RETURN(crypto::Bytes pb, rc.hex("proof", 2 * 128));
      auto proof = crypto::RangeProof::from_bytes(pb, 2);
      if (!proof) return invalid_argument(rc.where() + ".proof: " + proof.error().message);
      ans.choices.push_back(ct);
      ans.choice_bytes.push_back(encoded);
      ans.proofs.push_back(std::move(proof).value());
    }
    const std::size_t k = sum_values(questions[q]).size();
    VECHE_ASSIGN_OR_RETURN(crypto::Bytes sb, ra.hex("sum", k * 128));
    auto sum = crypto::RangeProof::from_bytes(sb, k);
    if (!sum) return invalid_argument(where + ".sum: " + sum.error().message);
    ans.sum = std::move(sum).value();
    b.answers.push_back(std::move(ans));
  }
  VECHE_ASSIGN_OR_RETURN(crypto::VerifyKey signer, r.verify_key("signer"));
  if (!(signer == b.credential)) return invalid_argument("ballot: signer is not the credential");
  VECHE_TRY(r.hex("sig", 64));
  return b;
}

Status verify_ballot(const Ballot& ballot, const json::object& payload,
                     const std::vector<Question>& questions, const crypto::PublicKey& key,
                     const crypto::Digest& fingerprint) {
  return verify_ballot(ballot, check_payload_signature(payload, "ballot", ballot.credential),
                       questions, key, fingerprint);
}

Status verify_ballot(const Ballot& ballot, const Status& signature,
                     const std::vector<Question>& questions, const crypto::PublicKey& key,
                     const crypto::Digest& fingerprint) {
  if (ballot.election != fingerprint) {
    return invalid_argument("the ballot names another election fingerprint");
  }
  VECHE_TRY(signature);
  const auto ctx = crypto::ProofContext::for_voter(fingerprint, ballot.credential.bytes());
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const auto& ans = ballot.answers[q];
    crypto::Ciphertext sum{crypto::Point(), crypto::Point()};
    for (std::size_t c = 0; c < ans.choices.size(); ++c) {
      auto st = ans.proofs[c].verify(ctx, key, ans.choices[c], kZeroOne, ans.choice_bytes[c]);
      if (!st) {
        return invalid_argument("question " + std::to_string(q + 1) + " choice " +
                                std::to_string(c + 1) + ": " + st.error().message);
      }
      sum += ans.choices[c];
    }
    auto st = ans.sum.verify(ctx, key, sum, sum_values(questions[q]));
    if (!st) {
      return invalid_argument("question " + std::to_string(q + 1) + " sum: " + st.error().message);
    }
  }
  return ok();
}

Status verify_ballot_batched(const Ballot& ballot, const json::object& payload,
                             const std::vector<Question>& questions, const crypto::PublicKey& key,
                             const crypto::Digest& fingerprint, crypto::BatchVerifier& batch,
                             core::Random& rng) {
  return verify_ballot_batched(ballot,
                               check_payload_signature(payload, "ballot", ballot.credential),
                               questions, key, fingerprint, batch, rng);
}

Status verify_ballot_batched(const Ballot& ballot, const Status& signature,
                             const std::vector<Question>& questions, const crypto::PublicKey& key,
                             const crypto::Digest& fingerprint, crypto::BatchVerifier& batch,
                             core::Random& rng) {
  if (ballot.election != fingerprint) {
    return invalid_argument("the ballot names another election fingerprint");
  }
  VECHE_TRY(signature);
  const auto ctx = crypto::ProofContext::for_voter(fingerprint, ballot.credential.bytes());
  std::array<crypto::Scalar, kMaxChoices> alpha{};
  std::array<crypto::Scalar, kMaxChoices> beta{};
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const auto& ans = ballot.answers[q];
    const std::size_t n = ans.choices.size();
    crypto::Ciphertext sum{crypto::Point(), crypto::Point()};
    for (std::size_t c = 0; c < n; ++c) {
      alpha[c] = crypto::Scalar();
      beta[c] = crypto::Scalar();
      auto st = ans.proofs[c].add_to_batch_split(ctx, key, ans.choices[c], kZeroOne, batch, rng,
                                                 ans.choice_bytes[c], alpha[c], beta[c]);
      if (!st) {
        return invalid_argument("question " + std::to_string(q + 1) + " choice " +
                                std::to_string(c + 1) + ": " + st.error().message);
      }
      sum += ans.choices[c];
    }
    // The sum's α and β are Σ α_c and Σ β_c: its coefficients go onto every choice (§13).
    crypto::Scalar sum_alpha;
    crypto::Scalar sum_beta;
    auto st = ans.sum.add_to_batch_split(ctx, key, sum, sum_values(questions[q]), batch, rng, {},
                                         sum_alpha, sum_beta);
    if (!st) {
      return invalid_argument("question " + std::to_string(q + 1) + " sum: " + st.error().message);
    }
    for (std::size_t c = 0; c < n; ++c) {
      batch.add(alpha[c] + sum_alpha, ans.choices[c].alpha);
      batch.add(beta[c] + sum_beta, ans.choices[c].beta);
    }
  }
  return ok();
}

crypto::Digest tracker_of(std::string_view payload_bytes) {
  return crypto::h32("tracker").add(payload_bytes).digest32();
}

std::string short_tracker(const crypto::Digest& tracker) {
  return crypto::to_base32(crypto::ByteView(tracker).first(10));
}

}  // namespace veche::record
