#include "veche/crypto/sign.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace veche::crypto {
namespace {

TEST(Signature, SignsAndRejectsTampering) {
  core::SeededRandom rng(31);
  const SigningKey key = SigningKey::generate(rng);
  const Bytes msg = {1, 2, 3};
  const auto sig = key.sign(msg);
  EXPECT_TRUE(key.verify_key().verify(msg, sig).has_value());
  auto bad = sig;
  bad[0] ^= 1;
  EXPECT_FALSE(key.verify_key().verify(msg, bad).has_value());
  EXPECT_FALSE(key.verify_key().verify(Bytes{1, 2, 4}, sig).has_value());
  const SigningKey other = SigningKey::generate(rng);
  EXPECT_FALSE(other.verify_key().verify(msg, sig).has_value());
}

TEST(Signature, VerifyKeyRejectsInvalidPoints) {
  Bytes zero(32, 0);  // small order point
  EXPECT_FALSE(VerifyKey::from_bytes(zero).has_value());
  EXPECT_FALSE(VerifyKey::from_bytes(Bytes(31, 1)).has_value());
}

TEST(Credential, CodeRederivesTheSameKeyInTheSameElectionOnly) {
  core::SeededRandom rng(32);
  const Credential c = Credential::generate("election-1", rng);
  const std::string code = c.export_secret_code();
  EXPECT_EQ(code.size(), 29U);  // 24 characters in groups of four
  auto again = Credential::from_code("election-1", code);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->public_credential(), c.public_credential());
  std::string lower = code;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(Credential::from_code("election-1", lower)->public_credential(), c.public_credential());
  auto elsewhere = Credential::from_code("election-2", code);
  ASSERT_TRUE(elsewhere.has_value());
  EXPECT_FALSE(elsewhere->public_credential() == c.public_credential());
  EXPECT_FALSE(Credential::from_code("election-1", "ABCD-EFGH").has_value());
  EXPECT_FALSE(Credential::from_code("election-1", "ABCD-EFGH-IJKL-MNOP-QRST-UV!1").has_value());
}

TEST(Credential, IssuedInBulkIsTheSameAsOneGeneratedFromItsCode) {
  core::SeededRandom rng(34);
  const auto a = Credential::issue("election-1", rng);
  const auto b = Credential::issue("election-1", rng);
  EXPECT_EQ(a.code.size(), 29U);
  EXPECT_NE(a.code, b.code);
  EXPECT_FALSE(a.credential == b.credential);
  EXPECT_EQ(Credential::from_code("election-1", a.code)->public_credential(), a.credential);
  EXPECT_TRUE(VerifyKey::from_bytes(a.credential.bytes()).has_value());
  core::SeededRandom same(34);  // the same randomness makes the same code both ways
  EXPECT_EQ(Credential::generate("election-1", same).export_secret_code(), a.code);
}

TEST(Secret, PrintsRedactedAndComparesByValue) {
  core::SeededRandom rng(33);
  const SecretScalar a = SecretScalar::random(rng);
  const SecretScalar b(a.expose());
  EXPECT_TRUE(a == b);
  std::ostringstream os;
  os << a << " " << SecretBytes(Bytes{1, 2});
  EXPECT_EQ(os.str(), "<redacted> <redacted>");
  SecretScalar moved = SecretScalar::random(rng);
  const ScalarBytes before = moved.export_secret_bytes();
  SecretScalar target = std::move(moved);
  EXPECT_EQ(target.export_secret_bytes(), before);
}

}  // namespace
}  // namespace veche::crypto
