#include "veche/crypto/proofs.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace veche::crypto {
namespace {

const Bytes kContext = {0xe1, 0xec, 0x7};

class ProofsTest : public ::testing::Test {
 protected:
  core::SeededRandom rng_{11};
  SecretScalar x_ = SecretScalar::random(rng_);
  PublicKey pk_ = std::move(PublicKey::make(Point::base_mul(x_.expose()))).value();
  ProofContext voter_ = ProofContext::for_voter(kContext, Bytes(32, 0x42));
};

TEST_F(ProofsTest, SchnorrValidAndTampered) {
  const Point big_x = pk_.point();
  const auto ctx = ProofContext::for_trustee(kContext, 1);
  const auto proof = SchnorrProof::make(ctx, x_, big_x, rng_);
  EXPECT_TRUE(proof.verify(ctx, big_x).has_value());
  auto parsed = SchnorrProof::from_bytes(proof.to_bytes());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->verify(ctx, big_x).has_value());
  // Another trustee, another election, another key, changed commitment or response.
  EXPECT_FALSE(proof.verify(ProofContext::for_trustee(kContext, 2), big_x).has_value());
  EXPECT_FALSE(proof.verify(ProofContext::for_trustee(Bytes{1}, 1), big_x).has_value());
  EXPECT_FALSE(proof.verify(ctx, big_x + Point::generator()).has_value());
  EXPECT_FALSE(proof.verify(ctx, Point()).has_value());
  auto bad = proof;
  bad.z += Scalar::from_u64(1);
  EXPECT_FALSE(bad.verify(ctx, big_x).has_value());
  bad = proof;
  bad.a += Point::generator();
  EXPECT_FALSE(bad.verify(ctx, big_x).has_value());
}

TEST_F(ProofsTest, DleqValidAndTampered) {
  const Point alpha = Point::base_mul(Scalar::random(rng_));
  const Point d = x_.expose() * alpha;
  const auto ctx = ProofContext::for_trustee(kContext, 3);
  const auto proof = DleqProof::make("dleq", ctx, x_, pk_.point(), alpha, d, rng_);
  EXPECT_TRUE(proof.verify("dleq", ctx, pk_.point(), alpha, d).has_value());
  auto parsed = DleqProof::from_bytes(proof.to_bytes());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->verify("dleq", ctx, pk_.point(), alpha, d).has_value());
  EXPECT_FALSE(proof.verify("complaint", ctx, pk_.point(), alpha, d).has_value());
  EXPECT_FALSE(proof.verify("dleq", ctx, pk_.point(), alpha, d + Point::generator()).has_value());
  EXPECT_FALSE(proof.verify("dleq", ctx, pk_.point(), alpha + Point::generator(), d).has_value());
  EXPECT_FALSE(proof.verify("dleq", ProofContext::for_trustee(kContext, 4), pk_.point(), alpha, d)
                   .has_value());
  auto bad = proof;
  bad.b += Point::generator();
  EXPECT_FALSE(bad.verify("dleq", ctx, pk_.point(), alpha, d).has_value());
  // A false statement cannot be proven: d' = x·α + G.
  const Point wrong = d + Point::generator();
  const auto forged = DleqProof::make("dleq", ctx, x_, pk_.point(), alpha, wrong, rng_);
  EXPECT_FALSE(forged.verify("dleq", ctx, pk_.point(), alpha, wrong).has_value());
}

TEST_F(ProofsTest, ZeroOneProofValidForBothValues) {
  const std::vector<std::uint64_t> values = {0, 1};
  for (std::size_t m = 0; m < 2; ++m) {
    const Scalar r = Scalar::random(rng_);
    const Ciphertext ct = encrypt(pk_, m, r);
    const auto proof = RangeProof::make(voter_, pk_, ct, values, m, r, rng_);
    EXPECT_TRUE(proof.verify(voter_, pk_, ct, values).has_value());
    auto parsed = RangeProof::from_bytes(proof.to_bytes(), 2);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(parsed->verify(voter_, pk_, ct, values).has_value());
  }
}

TEST_F(ProofsTest, ZeroOneProofTampered) {
  const std::vector<std::uint64_t> values = {0, 1};
  const Scalar r = Scalar::random(rng_);
  const Ciphertext ct = encrypt(pk_, 1, r);
  const auto proof = RangeProof::make(voter_, pk_, ct, values, 1, r, rng_);
  // Copied into another voter's ballot (replay), or another election.
  EXPECT_FALSE(proof.verify(ProofContext::for_voter(kContext, Bytes(32, 0x43)), pk_, ct, values)
                   .has_value());
  EXPECT_FALSE(proof.verify(ProofContext::for_voter(Bytes{9}, Bytes(32, 0x42)), pk_, ct, values)
                   .has_value());
  // Another ciphertext (e.g. 2 = 1 + 1), another value set.
  const Ciphertext two = ct + encrypt(pk_, 1, Scalar::random(rng_));
  EXPECT_FALSE(proof.verify(voter_, pk_, two, values).has_value());
  const std::vector<std::uint64_t> other = {0, 2};
  EXPECT_FALSE(proof.verify(voter_, pk_, ct, other).has_value());
  for (std::size_t j = 0; j < 2; ++j) {
    for (int field = 0; field < 4; ++field) {
      auto bad = proof;
      auto& br = bad.branches[j];
      if (field == 0) br.a += Point::generator();
      if (field == 1) br.b += Point::generator();
      if (field == 2) br.c += Scalar::from_u64(1);
      if (field == 3) br.z += Scalar::from_u64(1);
      EXPECT_FALSE(bad.verify(voter_, pk_, ct, values).has_value())
          << "branch " << j << " field " << field;
    }
  }
  // Shifting challenge between branches keeps the sum but breaks the equations.
  auto shifted = proof;
  shifted.branches[0].c += Scalar::from_u64(5);
  shifted.branches[1].c = shifted.branches[1].c - Scalar::from_u64(5);
  EXPECT_FALSE(shifted.verify(voter_, pk_, ct, values).has_value());
}

TEST_F(ProofsTest, ZeroOneProofOfTwoCannotBeMade) {
  const std::vector<std::uint64_t> values = {0, 1};
  const Scalar r = Scalar::random(rng_);
  const Ciphertext ct = encrypt(pk_, 2, r);
  const auto proof = RangeProof::make(voter_, pk_, ct, values, 1, r, rng_);
  EXPECT_FALSE(proof.verify(voter_, pk_, ct, values).has_value());
}

TEST_F(ProofsTest, SumProofOverMinMaxWithBlank) {
  const std::vector<std::uint64_t> values = {0, 2, 3};  // blank, or 2..3
  const Scalar r = Scalar::random(rng_);
  const Ciphertext ct = encrypt(pk_, 3, r);
  const auto proof = RangeProof::make(voter_, pk_, ct, values, 2, r, rng_);
  EXPECT_TRUE(proof.verify(voter_, pk_, ct, values).has_value());
  const Ciphertext one = encrypt(pk_, 1, r);
  const auto bad = RangeProof::make(voter_, pk_, one, values, 0, r, rng_);
  EXPECT_FALSE(bad.verify(voter_, pk_, one, values).has_value());
  EXPECT_FALSE(RangeProof::from_bytes(proof.to_bytes(), 2).has_value());
}

}  // namespace
}  // namespace veche::crypto

namespace veche::crypto {
namespace {

TEST_F(ProofsTest, BatchVerificationAcceptsValidProofsAndRejectsOneBadEquation) {
  const std::vector<std::uint64_t> values = {0, 1};
  std::vector<Ciphertext> cts;
  std::vector<RangeProof> proofs;
  for (int i = 0; i < 20; ++i) {
    const std::uint64_t m = static_cast<std::uint64_t>(i % 2);
    const Scalar r = Scalar::random(rng_);
    cts.push_back(encrypt(pk_, m, r));
    proofs.push_back(*RangeProof::from_bytes(
        RangeProof::make(voter_, pk_, cts.back(), values, m, r, rng_).to_bytes(), 2));
  }
  BatchVerifier good(pk_.point());
  for (std::size_t i = 0; i < cts.size(); ++i) {
    ASSERT_TRUE(proofs[i].add_to_batch(voter_, pk_, cts[i], values, good, rng_).has_value());
  }
  EXPECT_TRUE(good.verify());
  // A proof whose challenges still sum right but whose equation is false: shift c between
  // branches. The challenge check passes; only the batch catches it.
  auto bad = proofs[7];
  bad.branches[0].c += Scalar::from_u64(1);
  bad.branches[1].c = bad.branches[1].c - Scalar::from_u64(1);
  BatchVerifier batch(pk_.point());
  for (std::size_t i = 0; i < cts.size(); ++i) {
    const auto& p = i == 7 ? bad : proofs[i];
    ASSERT_TRUE(p.add_to_batch(voter_, pk_, cts[i], values, batch, rng_).has_value());
  }
  EXPECT_FALSE(batch.verify());
  EXPECT_FALSE(bad.verify(voter_, pk_, cts[7], values).has_value());
  // Changing a commitment breaks the challenge sum at once.
  auto changed = proofs[3];
  changed.branches[0].a += Point::generator();
  changed.encoded.clear();
  BatchVerifier other(pk_.point());
  EXPECT_FALSE(changed.add_to_batch(voter_, pk_, cts[3], values, other, rng_).has_value());
}

}  // namespace
}  // namespace veche::crypto
