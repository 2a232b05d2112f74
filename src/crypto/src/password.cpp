#include "veche/crypto/password.hpp"

#include <sodium.h>

#include <vector>

namespace veche::crypto {

Result<std::string> hash_passphrase(std::string_view passphrase) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, passphrase.data(), passphrase.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return resource_exhausted("not enough memory to hash the passphrase; try again later");
  }
  return std::string(out);
}

bool verify_passphrase(std::string_view encoded, std::string_view passphrase) {
  // crypto_pwhash_str_verify needs a NUL-terminated string of at most STRBYTES - 1 characters.
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES ||
      encoded.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string z(encoded);
  return crypto_pwhash_str_verify(z.c_str(), passphrase.data(), passphrase.size()) == 0;
}

std::string random_token(std::size_t n) {
  VECHE_CHECK(n >= 1 && n <= 1024, "token sizes are fixed by the caller, never by a client");
  std::vector<unsigned char> raw(n);
  randombytes_buf(raw.data(), raw.size());
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
  sodium_memzero(raw.data(), raw.size());
  out.resize(out.find('\0'));
  return out;
}

Digest keyed_hash(const SecretBytes& key, std::string_view purpose, std::string_view data) {
  VECHE_CHECK(key.size() >= kMinKeyBytes && key.size() <= kMaxKeyBytes,
              "data keys are checked when they are loaded");
  VECHE_CHECK(purpose.size() < 256, "purposes are short constants");
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.expose().data(), key.size(), 32);
  const auto len = static_cast<unsigned char>(purpose.size());
  crypto_generichash_update(&st, &len, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()),
                            purpose.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  Digest out{};
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

}  // namespace veche::crypto
