// docs/protocol.md §6 (signatures and credentials).
#include "veche/crypto/sign.hpp"

#include <sodium.h>

#include <cstring>
#include <span>

#include "veche/crypto/hash.hpp"

namespace veche::crypto {

Result<VerifyKey> VerifyKey::from_bytes(ByteView bytes) {
  if (bytes.size() != 32) return invalid_argument("an Ed25519 public key is 32 bytes");
  if (crypto_core_ed25519_is_valid_point(bytes.data()) != 1) {
    return invalid_argument("not a valid Ed25519 public key");
  }
  VerifyKey k;
  std::memcpy(k.bytes_.data(), bytes.data(), 32);
  return k;
}

Status VerifyKey::verify(ByteView message, const SignatureBytes& sig) const {
  if (crypto_sign_verify_detached(sig.data(), message.data(), message.size(), bytes_.data()) != 0) {
    return invalid_argument("bad Ed25519 signature");
  }
  return ok();
}

std::string VerifyKey::fingerprint() const {
  const Digest d = h32("key-fingerprint").add(bytes_).digest32();
  return to_hex(ByteView(d).first(8));
}

SigningKey SigningKey::generate(core::Random& rng) {
  SecretBytes seed = SecretBytes::random(32, rng);
  auto k = from_seed(seed.expose());
  VECHE_CHECK(k.has_value(), "a 32-byte seed always makes a key");
  return std::move(k).value();
}

Result<SigningKey> SigningKey::from_seed(ByteView seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) return invalid_argument("a seed is 32 bytes");
  SigningKey k;
  k.seed_ = SecretBytes(seed);
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  k.expanded_ = SecretBytes(sk);
  sodium_memzero(sk.data(), sk.size());
  std::memcpy(k.verify_key_.bytes_.data(), pk.data(), 32);
  return k;
}

SignatureBytes SigningKey::sign(ByteView message) const {
  SignatureBytes sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(),
                       expanded_.expose().data());
  return sig;
}

namespace {

Result<SigningKey> credential_key(std::string_view election_id, ByteView code) {
  Digest seed = h32("credential").add(election_id).add(code).digest32();
  auto k = SigningKey::from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return k;
}

// A code as printed for the voter: base32 in groups of 4.
std::string printed_code(ByteView code) {
  const std::string plain = to_base32(code);
  std::string out;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(plain[i]);
  }
  return out;
}

}  // namespace

Credential Credential::generate(std::string_view election_id, core::Random& rng) {
  SecretBytes code = SecretBytes::random(kCodeBytes, rng);
  auto key = credential_key(election_id, code.expose());
  VECHE_CHECK(key.has_value(), "a hash always makes a seed");
  return Credential(std::move(code), std::move(key).value());
}

Result<Credential> Credential::from_code(std::string_view election_id, std::string_view code) {
  VECHE_ASSIGN_OR_RETURN(Bytes raw, from_base32(code));
  if (raw.size() != kCodeBytes) {
    sodium_memzero(raw.data(), raw.size());
    return invalid_argument("a credential code has 24 characters");
  }
  SecretBytes secret(raw);
  sodium_memzero(raw.data(), raw.size());
  VECHE_ASSIGN_OR_RETURN(SigningKey key, credential_key(election_id, secret.expose()));
  return Credential(std::move(secret), std::move(key));
}

std::string Credential::export_secret_code() const { return printed_code(code_.expose()); }

Credential::Issued Credential::issue(std::string_view election_id, core::Random& rng) {
  std::array<std::uint8_t, kCodeBytes> code{};
  rng.fill(std::as_writable_bytes(std::span(code)));
  Digest seed = h32("credential").add(election_id).add(code).digest32();
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  Issued out;
  crypto_sign_seed_keypair(out.credential.bytes_.data(), sk.data(), seed.data());
  out.code = printed_code(code);
  sodium_memzero(sk.data(), sk.size());
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(code.data(), code.size());
  return out;
}

}  // namespace veche::crypto
