#include "veche/crypto/hash.hpp"

#include <gtest/gtest.h>

namespace veche::crypto {
namespace {

TEST(Hash, TagsSeparateDomains) {
  EXPECT_NE(h32("a").add("x").digest32(), h32("b").add("x").digest32());
}

TEST(Hash, FramingSeparatesPartBoundaries) {
  EXPECT_NE(h32("t").add("ab").add("c").digest32(), h32("t").add("a").add("bc").digest32());
}

TEST(Transcript, ChallengeCoversContextBindingAndStatement) {
  const Bytes ctx_a = {1, 2, 3};
  const Bytes ctx_b = {1, 2, 4};
  auto challenge = [](const ProofContext& c, std::string_view label, std::uint8_t v) {
    Transcript t("schnorr", c);
    const Bytes data = {v};
    t.append(label, data);
    return t.challenge();
  };
  const auto base = challenge(ProofContext::for_trustee(ctx_a, 1), "X", 9);
  EXPECT_EQ(base, challenge(ProofContext::for_trustee(ctx_a, 1), "X", 9));
  EXPECT_NE(base, challenge(ProofContext::for_trustee(ctx_b, 1), "X", 9));
  EXPECT_NE(base, challenge(ProofContext::for_trustee(ctx_a, 2), "X", 9));
  EXPECT_NE(base, challenge(ProofContext::for_trustee(ctx_a, 1), "Y", 9));
  EXPECT_NE(base, challenge(ProofContext::for_trustee(ctx_a, 1), "X", 8));
}

TEST(Bytes, HexIsStrictLowercase) {
  EXPECT_EQ(to_hex(Bytes{0xab, 0x01}), "ab01");
  EXPECT_TRUE(from_hex("ab01").has_value());
  EXPECT_FALSE(from_hex("AB01").has_value());
  EXPECT_FALSE(from_hex("ab0").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_FALSE((from_hex_fixed<2>("ab").has_value()));
}

TEST(Bytes, Base32RoundTrips) {
  const Bytes data = {0, 1, 2, 250, 251, 252, 253, 254, 255, 9, 8, 7, 6, 5, 4};
  const std::string text = to_base32(data);
  EXPECT_EQ(text.size(), 24U);
  auto back = from_base32(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, data);
  EXPECT_FALSE(from_base32("AB1C").has_value());
}

}  // namespace
}  // namespace veche::crypto
