#include "veche/crypto/dkg.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace veche::crypto {
namespace {

const Bytes kSetup = {5, 5, 5};

struct Trustee {
  std::uint32_t index;
  SecretScalar enc_secret;
  Point enc_key;
  Polynomial poly;
  std::vector<Point> commitments;
};

TEST(Dkg, TwoOfThreeDecryptsWithAnyPairAndNeverReconstructs) {
  core::SeededRandom rng(21);
  const std::uint32_t n = 3;
  const std::uint32_t t = 2;
  std::vector<Trustee> trustees;
  for (std::uint32_t i = 1; i <= n; ++i) {
    SecretScalar e = SecretScalar::random(rng);
    const Point ek = Point::base_mul(e.expose());
    Polynomial p = Polynomial::random(t, rng);
    auto c = p.commitments();
    trustees.push_back({i, std::move(e), ek, std::move(p), std::move(c)});
  }
  // Deal and check every share; sum into each trustee's share.
  std::vector<SecretScalar> shares;
  for (const auto& to : trustees) {
    Scalar acc;
    for (const auto& from : trustees) {
      const SecretScalar s = from.poly.evaluate(to.index);
      const auto enc = encrypt_share(from.index, to.index, to.enc_key, s.expose(), rng);
      auto opened = decrypt_share(from.index, to.enc_secret, to.enc_key, enc);
      ASSERT_TRUE(opened.has_value());
      EXPECT_EQ(Point::base_mul(opened->expose()), feldman_eval(from.commitments, to.index));
      acc += opened->expose();
    }
    shares.emplace_back(acc);
  }
  Point joint;
  for (const auto& tr : trustees) joint += tr.commitments[0];
  auto pk = PublicKey::make(joint);
  ASSERT_TRUE(pk.has_value());
  // Verification keys computed publicly match the secret shares.
  for (std::uint32_t j = 1; j <= n; ++j) {
    Point vk;
    for (const auto& tr : trustees) vk += feldman_eval(tr.commitments, j);
    EXPECT_EQ(vk, Point::base_mul(shares[j - 1].expose()));
  }
  const Ciphertext ct = encrypt(*pk, 5, Scalar::random(rng));
  const DiscreteLog dlog(10);
  for (const auto& pair : std::vector<std::vector<std::uint32_t>>{{1, 2}, {1, 3}, {2, 3}}) {
    std::vector<Point> partials;
    for (const std::uint32_t j : pair) partials.push_back(shares[j - 1].expose() * ct.alpha);
    const Point m = ct.beta - combine_partials(pair, partials);
    EXPECT_EQ(*dlog.solve(m), 5U);
  }
  // One trustee alone cannot decrypt.
  const Point lone = ct.beta - shares[0].expose() * ct.alpha;
  EXPECT_FALSE(dlog.solve(lone).has_value());
}

TEST(Dkg, ComplaintNamesTheCheatingDealer) {
  core::SeededRandom rng(22);
  SecretScalar e2 = SecretScalar::random(rng);
  const Point ek2 = Point::base_mul(e2.expose());
  const Polynomial p1 = Polynomial::random(2, rng);
  const auto c1 = p1.commitments();
  // Dealer 1 sends trustee 2 a wrong share.
  const Scalar wrong = p1.evaluate(2).expose() + Scalar::from_u64(1);
  const auto enc = encrypt_share(1, 2, ek2, wrong, rng);
  auto opened = decrypt_share(1, e2, ek2, enc);
  ASSERT_TRUE(opened.has_value());
  EXPECT_FALSE(Point::base_mul(opened->expose()) == feldman_eval(c1, 2));
  const auto ctx = ProofContext::for_trustee(kSetup, 2);
  const auto complaint = Complaint::make(ctx, 1, e2, ek2, enc, rng);
  EXPECT_EQ(judge_complaint(ctx, complaint, ek2, enc, c1), ComplaintVerdict::kDealerCheated);
}

TEST(Dkg, FalseComplaintNamesTheComplainer) {
  core::SeededRandom rng(23);
  SecretScalar e2 = SecretScalar::random(rng);
  const Point ek2 = Point::base_mul(e2.expose());
  const Polynomial p1 = Polynomial::random(2, rng);
  const auto c1 = p1.commitments();
  const auto enc = encrypt_share(1, 2, ek2, p1.evaluate(2).expose(), rng);
  const auto ctx = ProofContext::for_trustee(kSetup, 2);
  const auto complaint = Complaint::make(ctx, 1, e2, ek2, enc, rng);
  EXPECT_EQ(judge_complaint(ctx, complaint, ek2, enc, c1), ComplaintVerdict::kComplainerCheated);
  // A complaint with a made-up key K fails its proof and names the complainer too.
  auto forged = complaint;
  forged.k += Point::generator();
  EXPECT_EQ(judge_complaint(ctx, forged, ek2, enc, c1), ComplaintVerdict::kComplainerCheated);
}

TEST(Dkg, ShareForAnotherRecipientDoesNotOpen) {
  core::SeededRandom rng(24);
  SecretScalar e2 = SecretScalar::random(rng);
  SecretScalar e3 = SecretScalar::random(rng);
  const Point ek2 = Point::base_mul(e2.expose());
  const Point ek3 = Point::base_mul(e3.expose());
  const auto enc = encrypt_share(1, 2, ek2, Scalar::from_u64(9), rng);
  EXPECT_FALSE(decrypt_share(1, e3, ek3, enc).has_value());
  EXPECT_FALSE(decrypt_share(3, e2, ek2, enc).has_value());
  auto bad = enc;
  bad.ct[5] ^= 1;
  EXPECT_FALSE(decrypt_share(1, e2, ek2, bad).has_value());
}

TEST(Dkg, LagrangeCoefficientsInterpolateAtZero) {
  // f(x) = 7 + 3x: f(1) = 10, f(3) = 16 -> f(0) = 7.
  const std::vector<std::uint32_t> idx = {1, 3};
  const Scalar v = lagrange_at_zero(idx, 1) * Scalar::from_u64(10) +
                   lagrange_at_zero(idx, 3) * Scalar::from_u64(16);
  EXPECT_EQ(v, Scalar::from_u64(7));
}

}  // namespace
}  // namespace veche::crypto
