// A whole election run in memory with seeded randomness: every role's secrets, the board and
// its replayed state. Used by the record tests and the elections benchmark.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "veche/core/random.hpp"
#include "veche/crypto/dkg.hpp"
#include "veche/crypto/sign.hpp"
#include "veche/record/ballot.hpp"
#include "veche/record/board.hpp"
#include "veche/record/state.hpp"
#include "veche/record/trustee.hpp"

namespace veche::record::testing {

struct ElectionShape {
  std::uint32_t trustees = 3;
  std::uint32_t threshold = 2;
  std::uint32_t voters = 20;
  std::vector<Question> questions;
};

inline std::vector<Question> default_questions() {
  Question approval{"council",
                    QuestionKind::kApproval,
                    {"Anna", "Boris", "Vera", "Gleb"},
                    0,
                    2,
                    true,
                    0,
                    SeatMethod::kNone,
                    0};
  Question lists{"assembly",
                 QuestionKind::kPartyList,
                 {"North", "South", "East", "West"},
                 1,
                 1,
                 true,
                 10,
                 SeatMethod::kDhondt,
                 50};
  Question yes_no{"charter", QuestionKind::kYesNo, {"yes", "no"}, 1, 1, true, 0, SeatMethod::kNone,
                  0};
  return {approval, lists, yes_no};
}

class TestElection {
 public:
  explicit TestElection(ElectionShape shape, std::uint64_t seed = 1)
      : shape_(std::move(shape)),
        rng_(seed),
        admin_(crypto::SigningKey::generate(rng_)),
        registrar_(crypto::SigningKey::generate(rng_)) {
    if (shape_.questions.empty()) shape_.questions = default_questions();
    for (std::uint32_t i = 0; i < shape_.trustees; ++i) {
      trustee_keys_.push_back(crypto::SigningKey::generate(rng_));
      enc_.push_back(crypto::SecretScalar::random(rng_));
    }
  }

  // Setup, keys, deals (a `cheater` deals a bad share to trustee 1 when set), credentials, open.
  void open(std::optional<std::uint32_t> cheater = std::nullopt) {
    setup_.election_id = "test-election";
    setup_.title = "Test election";
    setup_.questions = shape_.questions;
    for (std::uint32_t i = 0; i < shape_.trustees; ++i) {
      setup_.trustees.push_back(
          {"Trustee " + std::to_string(i + 1), trustee_keys_[i].verify_key()});
    }
    setup_.threshold = shape_.threshold;
    setup_.registrars.push_back({"Registrar", registrar_.verify_key()});
    setup_.administrator = admin_.verify_key();
    append("setup", make_setup(setup_, admin_));
    for (std::uint32_t i = 1; i <= shape_.trustees; ++i) {
      append("trustee_key", make_trustee_key(state_, i, enc_[i - 1], trustee_keys_[i - 1], rng_));
    }
    for (std::uint32_t i = 1; i <= shape_.trustees; ++i) {
      auto poly = crypto::Polynomial::random(shape_.threshold, rng_);
      auto deal = make_trustee_deal(state_, i, poly, trustee_keys_[i - 1], rng_);
      VECHE_CHECK(deal.has_value(), "keys are published");
      if (cheater && *cheater == i) {
        // Replace the share for trustee 1 by one for a different polynomial.
        auto other = crypto::Polynomial::random(shape_.threshold, rng_);
        const auto bad =
            crypto::encrypt_share(i, 1, state_.enc_keys().at(1), other.evaluate(1).expose(), rng_);
        auto& share = deal->at("shares").as_array()[0].as_object();
        share["r"] = crypto::to_hex(bad.r.to_bytes());
        share["ct"] = crypto::to_hex(bad.ct);
        deal->erase("sig");
        deal->erase("signer");
        sign_payload(*deal, "trustee_deal", trustee_keys_[i - 1]);
      }
      append("trustee_deal", *deal);
    }
    for (std::uint32_t j = 1; j <= shape_.trustees; ++j) {
      for (auto& c : check_deals(state_, j, enc_[j - 1], trustee_keys_[j - 1], rng_)) {
        append("trustee_complaint", c);
      }
    }
    std::vector<crypto::VerifyKey> pub;
    for (std::uint32_t v = 0; v < shape_.voters; ++v) {
      const auto c = crypto::Credential::generate(setup_.election_id, rng_);
      voter_codes_.push_back(c.export_secret_code());
      pub.push_back(c.public_credential());
    }
    append("credentials", make_credentials(1, pub, registrar_));
    auto open_payload = make_open(state_, admin_);
    VECHE_CHECK(open_payload.has_value(), "enough trustees qualified");
    append("open", *open_payload);
  }

  // A deterministic plain ballot for voter v (variant changes it, for revotes).
  PlainBallot plain_for(std::uint32_t v, std::uint32_t variant = 0) const {
    PlainBallot b;
    const std::uint32_t x = v * 7 + variant * 3;
    for (const auto& q : shape_.questions) {
      std::vector<std::uint8_t> sel(q.choices.size(), 0);
      const std::uint32_t k = x % 5 == 0 && q.blank ? 0 : q.min + x % (q.max - q.min + 1);
      for (std::uint32_t s = 0; s < k && s < q.max; ++s) sel[(x + s * 3) % sel.size()] = 1;
      b.selections.push_back(std::move(sel));
    }
    return b;
  }

  EncryptedBallot make_ballot(std::uint32_t v, const PlainBallot& plain) {
    auto b = encrypt_ballot(setup_.questions, state_.joint_key(), state_.fingerprint(), voter(v),
                            plain, rng_);
    VECHE_CHECK(b.has_value(), "valid plain ballot");
    return std::move(b).value();
  }

  void cast(std::uint32_t v, const PlainBallot& plain) {
    append("ballot", make_ballot(v, plain).payload);
    last_[v] = plain;
  }

  void vote_all() {
    for (std::uint32_t v = 0; v < shape_.voters; ++v) cast(v, plain_for(v));
  }

  // vote_all() on `jobs` threads, for big benchmark boards: each voter's ballot is encrypted
  // with randomness seeded by (seed, voter), parsed in parallel, then appended in voter order.
  // The ballots' proofs are not re-verified here (the verifier under test does that).
  void vote_all_parallel(unsigned jobs, std::uint64_t seed) {
    const std::uint32_t n = shape_.voters;
    std::vector<std::string> payloads(n);
    std::vector<PreparedBallot> prepared(n);
    auto encrypt_share = [&](unsigned t) {
      for (std::uint32_t v = t; v < n; v += jobs) {
        core::SeededRandom rng(seed * 1'000'003 + v);
        auto b = encrypt_ballot(setup_.questions, state_.joint_key(), state_.fingerprint(),
                                voter(v), plain_for(v), rng);
        VECHE_CHECK(b.has_value(), "valid plain ballot");
        payloads[v] = boost::json::serialize(b->payload);
        auto parsed = parse_ballot(b->payload, setup_.questions);
        VECHE_CHECK(parsed.has_value(), "a ballot just made parses");
        prepared[v].ballot = std::move(parsed).value();
        prepared[v].tracker = b->tracker;
      }
    };
    {
      std::vector<std::jthread> pool;
      for (unsigned t = 0; t < jobs; ++t) pool.emplace_back(encrypt_share, t);
    }
    for (std::uint32_t v = 0; v < n; ++v) {
      const Event& e = board_.append_serialized("ballot", std::move(payloads[v]));
      auto st = state_.apply_ballot(e, prepared[v]);
      if (!st) check_failed("state.apply_ballot", st.error().message.c_str(), __FILE__, __LINE__);
      last_[v] = plain_for(v);
    }
  }

  void close() { append("close", make_close(state_, admin_)); }

  void decrypt(const std::vector<std::uint32_t>& present) {
    for (const auto j : present) {
      auto share = derive_share(state_, j, enc_[j - 1]);
      VECHE_CHECK(share.has_value(), "shares check");
      auto p = make_partial_decryption(state_, j, *share, trustee_keys_[j - 1], rng_);
      VECHE_CHECK(p.has_value(), "closed");
      append("partial_decryption", *p);
    }
  }

  void publish() {
    auto r = make_result(state_, admin_);
    VECHE_CHECK(r.has_value(), "enough partial decryptions");
    append("result", *r);
  }

  // Expected counts from the plaintexts of the last ballot per voter.
  std::vector<std::vector<std::uint64_t>> expected_counts() const {
    std::vector<std::vector<std::uint64_t>> out;
    for (const auto& q : shape_.questions) out.emplace_back(q.choices.size(), 0);
    for (const auto& [v, b] : last_) {
      for (std::size_t q = 0; q < out.size(); ++q) {
        for (std::size_t c = 0; c < out[q].size(); ++c) out[q][c] += b.selections[q][c];
      }
    }
    return out;
  }

  void append(std::string_view type, const boost::json::object& payload) {
    const Event& e = board_.append(type, payload);
    auto st = state_.apply(e);
    if (!st) check_failed("state.apply", st.error().message.c_str(), __FILE__, __LINE__);
  }

  // Speeds up building big boards: the replay stops re-verifying ballots as they are appended
  // (the verifier under test still verifies everything).
  void trust_ballots() { state_.trust_ballot_proofs(true); }

  const Board& board() const { return board_; }
  const ElectionState& state() const { return state_; }
  const Setup& setup() const { return setup_; }
  const crypto::SigningKey& admin() const { return admin_; }
  const crypto::SigningKey& registrar() const { return registrar_; }
  const crypto::SigningKey& trustee_key(std::uint32_t i) const { return trustee_keys_[i - 1]; }
  // Voter v's credential, re-derived from its code: a 100,000-voter board cannot keep that many
  // secrets in guarded memory at once (each is its own mapping; the kernel caps them).
  crypto::Credential voter(std::uint32_t v) const {
    auto c = crypto::Credential::from_code(setup_.election_id, voter_codes_[v]);
    VECHE_CHECK(c.has_value(), "codes made by Credential::generate parse");
    return std::move(c).value();
  }
  core::Random& rng() { return rng_; }

 private:
  ElectionShape shape_;
  core::SeededRandom rng_;
  crypto::SigningKey admin_;
  crypto::SigningKey registrar_;
  std::vector<crypto::SigningKey> trustee_keys_;
  std::vector<crypto::SecretScalar> enc_;
  std::vector<std::string> voter_codes_;
  std::map<std::uint32_t, PlainBallot> last_;
  Setup setup_;
  Board board_;
  ElectionState state_;
};

}  // namespace veche::record::testing
