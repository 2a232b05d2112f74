#include "veche/crypto/group.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <vector>

#include "veche/core/random.hpp"

namespace veche::crypto {
namespace {

TEST(GroupCompat, DecafBasePointEncodesLikeLibsodiumScalarOne) {
  std::array<std::uint8_t, 32> one{};
  one[0] = 1;
  std::array<std::uint8_t, 32> sodium_base{};
  ASSERT_EQ(crypto_scalarmult_ristretto255_base(sodium_base.data(), one.data()), 0);
  EXPECT_EQ(Point::generator().to_bytes(), sodium_base);
}

TEST(GroupCompat, MultiplesAgreeWithLibsodium) {
  core::SeededRandom rng(7);
  std::vector<Scalar> scalars = {Scalar::from_u64(2), Scalar::from_u64(3), Scalar::from_u64(1000)};
  for (int i = 0; i < 5; ++i) scalars.push_back(Scalar::random(rng));
  for (const Scalar& s : scalars) {
    const ScalarBytes sb = s.to_bytes();
    std::array<std::uint8_t, 32> expected{};
    ASSERT_EQ(crypto_scalarmult_ristretto255_base(expected.data(), sb.data()), 0);
    EXPECT_EQ(Point::base_mul(s).to_bytes(), expected);
    EXPECT_EQ((s * Point::generator()).to_bytes(), expected);
    auto parsed = Point::from_bytes(expected);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, Point::base_mul(s));
  }
}

TEST(GroupCompat, AdditionAgreesWithLibsodium) {
  core::SeededRandom rng(8);
  const Point a = Point::base_mul(Scalar::random(rng));
  const Point b = Point::base_mul(Scalar::random(rng));
  std::array<std::uint8_t, 32> sum{};
  ASSERT_EQ(crypto_core_ristretto255_add(sum.data(), a.to_bytes().data(), b.to_bytes().data()), 0);
  EXPECT_EQ((a + b).to_bytes(), sum);
}

TEST(Group, IdentityIsAnOrdinaryValue) {
  // libsodium refuses scalar 0 and returns an error; libdecaf gives the identity.
  EXPECT_TRUE(Point::base_mul(Scalar()).is_identity());
  const PointBytes zero{};
  EXPECT_EQ(Point().to_bytes(), zero);
  auto p = Point::from_bytes(zero);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->is_identity());
  const Point g = Point::generator();
  EXPECT_TRUE((g - g).is_identity());
  EXPECT_EQ(g + Point(), g);
}

TEST(Group, RejectsNonCanonicalPointEncodings) {
  // s = 1 is "negative" (odd) in Ristretto255: not a canonical encoding.
  PointBytes odd{};
  odd[0] = 1;
  EXPECT_FALSE(Point::from_bytes(odd).has_value());
  // s = p (2^255 - 19) is a non-reduced field element.
  PointBytes p_bytes{};
  p_bytes.fill(0xff);
  p_bytes[0] = 0xed;
  p_bytes[31] = 0x7f;
  EXPECT_FALSE(Point::from_bytes(p_bytes).has_value());
  // The high bit set.
  PointBytes g = Point::generator().to_bytes();
  g[31] |= 0x80;
  EXPECT_FALSE(Point::from_bytes(g).has_value());
  // Wrong length.
  EXPECT_FALSE(Point::from_bytes(ByteView(g).first(31)).has_value());
}

TEST(Group, RejectsScalarsNotBelowTheOrder) {
  // ℓ itself, little-endian.
  const ScalarBytes ell = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                           0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                           0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
  EXPECT_FALSE(Scalar::from_bytes(ell).has_value());
  ScalarBytes ell_minus_1 = ell;
  ell_minus_1[0] = 0xec;
  auto s = Scalar::from_bytes(ell_minus_1);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, -Scalar::from_u64(1));
  ScalarBytes all{};
  all.fill(0xff);
  EXPECT_FALSE(Scalar::from_bytes(all).has_value());
}

TEST(Group, ScalarArithmetic) {
  core::SeededRandom rng(3);
  const Scalar a = Scalar::random(rng);
  const Scalar b = Scalar::random(rng);
  EXPECT_EQ(a + b - b, a);
  EXPECT_EQ(a * a.inverse(), Scalar::from_u64(1));
  EXPECT_EQ(Scalar::from_u64(6), Scalar::from_u64(2) * Scalar::from_u64(3));
  EXPECT_TRUE((a - a).is_zero());
}

TEST(Group, FixedBaseAndDoubleMulAgreeWithPlainMultiplication) {
  core::SeededRandom rng(4);
  const Point p = Point::base_mul(Scalar::random(rng));
  const FixedBase table(p);
  const Scalar a = Scalar::random(rng);
  const Scalar b = Scalar::random(rng);
  EXPECT_EQ(table.mul(a), a * p);
  EXPECT_EQ(Point::double_mul(a, p, b, Point::generator()), a * p + Point::base_mul(b));
  EXPECT_EQ(Point::base_double_mul_vartime(a, p, b), Point::base_mul(a) + b * p);
}

TEST(Group, MultiScalarMulAgreesWithTheNaiveSum) {
  core::SeededRandom rng(5);
  for (const std::size_t n : {0U, 1U, 2U, 3U, 17U, 200U}) {
    std::vector<Scalar> s;
    std::vector<Point> p;
    Point expected;
    for (std::size_t i = 0; i < n; ++i) {
      s.push_back(Scalar::random(rng));
      p.push_back(Point::base_mul(Scalar::random(rng)));
      expected += s.back() * p.back();
    }
    EXPECT_EQ(multi_scalar_mul(s, p), expected) << "n = " << n;
  }
}

TEST(Group, HashToGroupMatchesLibsodium) {
  std::array<std::uint8_t, 64> h{};
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<std::uint8_t>(i);
  std::array<std::uint8_t, 32> expected{};
  crypto_core_ristretto255_from_hash(expected.data(), h.data());
  EXPECT_EQ(Point::from_hash(h).to_bytes(), expected);
}

}  // namespace
}  // namespace veche::crypto
