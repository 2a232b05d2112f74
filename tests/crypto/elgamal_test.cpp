#include "veche/crypto/elgamal.hpp"

#include <gtest/gtest.h>

namespace veche::crypto {
namespace {

struct KeyPair {
  SecretScalar x;
  PublicKey pk;
};

KeyPair make_key(core::Random& rng) {
  SecretScalar x = SecretScalar::random(rng);
  auto pk = PublicKey::make(Point::base_mul(x.expose()));
  return {std::move(x), std::move(pk).value()};
}

TEST(ElGamal, EncryptsAndDecryptsZeroAndOne) {
  core::SeededRandom rng(1);
  const KeyPair k = make_key(rng);
  const DiscreteLog dlog(10);
  for (const std::uint64_t m : {0U, 1U, 7U}) {
    const Ciphertext ct = encrypt(k.pk, m, Scalar::random(rng));
    auto got = dlog.solve(decrypt_to_point(ct, k.x));
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, m);
  }
}

TEST(ElGamal, SumOfCiphertextsDecryptsToTheSum) {
  core::SeededRandom rng(2);
  const KeyPair k = make_key(rng);
  Ciphertext sum{Point(), Point()};
  std::uint64_t expected = 0;
  for (int i = 0; i < 20; ++i) {
    const std::uint64_t m = static_cast<std::uint64_t>(i % 2);
    expected += m;
    sum += encrypt(k.pk, m, Scalar::random(rng));
  }
  EXPECT_EQ(*DiscreteLog(20).solve(decrypt_to_point(sum, k.x)), expected);
}

TEST(ElGamal, IdentityKeyIsRejected) { EXPECT_FALSE(PublicKey::make(Point()).has_value()); }

TEST(ElGamal, BenalohAuditAcceptsTheTruthOnly) {
  core::SeededRandom rng(3);
  const KeyPair k = make_key(rng);
  const Scalar r = Scalar::random(rng);
  const Ciphertext ct = encrypt(k.pk, 1, r);
  EXPECT_TRUE(audit_ciphertext(k.pk, ct, 1, r));
  EXPECT_FALSE(audit_ciphertext(k.pk, ct, 0, r));
  EXPECT_FALSE(audit_ciphertext(k.pk, ct, 1, r + Scalar::from_u64(1)));
}

TEST(ElGamal, CiphertextBytesRoundTrip) {
  core::SeededRandom rng(4);
  const KeyPair k = make_key(rng);
  const Ciphertext ct = encrypt(k.pk, 1, Scalar::random(rng));
  auto back = Ciphertext::from_bytes(ct.to_bytes());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, ct);
  auto bytes = ct.to_bytes();
  bytes[0] ^= 1;  // an odd s is never canonical, or the point changes
  auto changed = Ciphertext::from_bytes(bytes);
  EXPECT_TRUE(!changed.has_value() || !(*changed == ct));
}

TEST(DiscreteLog, SolvesEveryValueInRangeAndRejectsOutside) {
  const DiscreteLog dlog(1000);
  for (std::uint64_t m = 0; m <= 1000; m += 37) {
    EXPECT_EQ(*dlog.solve(Point::base_mul(Scalar::from_u64(m))), m);
  }
  EXPECT_EQ(*dlog.solve(Point::base_mul(Scalar::from_u64(1000))), 1000U);
  EXPECT_FALSE(dlog.solve(Point::base_mul(Scalar::from_u64(1001))).has_value());
  EXPECT_FALSE(dlog.solve(-Point::generator()).has_value());
}

}  // namespace
}  // namespace veche::crypto
