// Passphrase hashing (Argon2id), random tokens and keyed hashes.
#include "veche/crypto/password.hpp"

#include <gtest/gtest.h>

#include <set>

#include "veche/crypto/random.hpp"

namespace veche::crypto {
namespace {

SecretBytes key_of(std::uint8_t fill) {
  const Bytes raw(kDataKeyBytes, fill);
  return SecretBytes(raw);
}

TEST(Passphrase, HashIsArgon2idAndVerifiesOnlyTheSamePassphrase) {
  auto h = hash_passphrase("correct horse battery staple");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << *h;
  EXPECT_TRUE(verify_passphrase(*h, "correct horse battery staple"));
  EXPECT_FALSE(verify_passphrase(*h, "correct horse battery stapl"));
  EXPECT_FALSE(verify_passphrase(*h, ""));
}

TEST(Passphrase, SaltMakesEveryHashDifferent) {
  auto a = hash_passphrase("same passphrase");
  auto b = hash_passphrase("same passphrase");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_passphrase(*b, "same passphrase"));
}

TEST(Passphrase, MalformedHashesNeverVerify) {
  for (std::string_view bad :
       {"", "$argon2id$", "plain text", "$argon2id$v=19$m=65536,t=2,p=1$x$y"}) {
    EXPECT_FALSE(verify_passphrase(bad, "anything")) << bad;
  }
  EXPECT_FALSE(verify_passphrase(std::string(500, 'a'), "anything"));
  EXPECT_FALSE(verify_passphrase(std::string_view("$argon\0x", 8), "anything"));
}

TEST(RandomToken, IsUrlSafeOfTheRightLengthAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto t = random_token(32);
    EXPECT_EQ(t.size(), 43u);
    for (char c : t) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    }
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(random_token(1).size(), 2u);
}

TEST(KeyedHash, DependsOnKeyPurposeAndData) {
  const auto k1 = key_of(1);
  const auto k2 = key_of(2);
  const auto h = keyed_hash(k1, "session", "token");
  EXPECT_EQ(h, keyed_hash(k1, "session", "token"));
  EXPECT_NE(h, keyed_hash(k2, "session", "token"));
  EXPECT_NE(h, keyed_hash(k1, "invitation", "token"));
  EXPECT_NE(h, keyed_hash(k1, "session", "token2"));
  // The purpose is framed: moving bytes between purpose and data changes the hash.
  EXPECT_NE(keyed_hash(k1, "ab", "c"), keyed_hash(k1, "a", "bc"));
}

TEST(KeyedHash, MatchesBlake2bKnownAnswer) {
  // BLAKE2b-256, key 0x00..0x1f, message frame("") = 0x00: computed independently with
  // Python's hashlib.blake2b(b"\x00", key=bytes(range(32)), digest_size=32).
  Bytes raw(32);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i);
  const SecretBytes key(raw);
  EXPECT_EQ(to_hex(keyed_hash(key, "", "")),
            "41ff93a4eaeebd3b78a93438a6f62a92ab5959c859e682b72c7def406197ca4d");
}

}  // namespace
}  // namespace veche::crypto
