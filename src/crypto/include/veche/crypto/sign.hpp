// Ed25519 signatures (libsodium) and voter credentials (docs/protocol.md §6).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "veche/core/random.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/secret.hpp"

namespace veche::crypto {

using VerifyKeyBytes = std::array<std::uint8_t, 32>;
using SignatureBytes = std::array<std::uint8_t, 64>;

// An Ed25519 public key; from_bytes rejects encodings that are not valid curve points of
// prime order (libsodium's crypto_core_ed25519_is_valid_point).
class VerifyKey {
 public:
  static Result<VerifyKey> from_bytes(ByteView bytes);
  const VerifyKeyBytes& bytes() const { return bytes_; }
  // kInvalidArgument when `sig` is not a valid signature of `message` by this key.
  Status verify(ByteView message, const SignatureBytes& sig) const;
  // First 16 hex digits of H32("key-fingerprint", pk), to compare out of band (§6).
  std::string fingerprint() const;
  friend bool operator==(const VerifyKey& a, const VerifyKey& b) { return a.bytes_ == b.bytes_; }
  friend bool operator<(const VerifyKey& a, const VerifyKey& b) { return a.bytes_ < b.bytes_; }

 private:
  friend class SigningKey;
  friend class Credential;
  VerifyKeyBytes bytes_{};
};

// An Ed25519 signing key made from a 32-byte seed (kept secret). Move-only.
class SigningKey {
 public:
  static SigningKey generate(core::Random& rng);
  // Precondition: 32-byte seed. kInvalidArgument otherwise.
  static Result<SigningKey> from_seed(ByteView seed);
  const VerifyKey& verify_key() const { return verify_key_; }
  SignatureBytes sign(ByteView message) const;
  Bytes export_secret_seed() const { return seed_.export_secret_bytes(); }

 private:
  SecretBytes seed_;
  SecretBytes expanded_;  // libsodium's 64-byte secret key
  VerifyKey verify_key_;
};

// A voter credential (§6): the secret code handed to the voter and the key derived from it.
class Credential {
 public:
  static constexpr std::size_t kCodeBytes = 15;
  static Credential generate(std::string_view election_id, core::Random& rng);
  // A registrar's many credentials: the printed code and the public credential of a new one,
  // the same as generate() but without locked memory for each secret (the printed sheet holds
  // the codes anyway): 20 times faster.
  struct Issued {
    std::string code;  // secret
    VerifyKey credential;
  };
  static Issued issue(std::string_view election_id, core::Random& rng);
  // From the printed code ("ABCD-EFGH-..."); kInvalidArgument for a malformed code.
  static Result<Credential> from_code(std::string_view election_id, std::string_view code);
  // The code as printed for the voter (24 base32 characters in groups of 4). Secret.
  std::string export_secret_code() const;
  const SigningKey& key() const { return key_; }
  const VerifyKey& public_credential() const { return key_.verify_key(); }

 private:
  Credential(SecretBytes code, SigningKey key) : code_(std::move(code)), key_(std::move(key)) {}
  SecretBytes code_;
  SigningKey key_;
};

}  // namespace veche::crypto
