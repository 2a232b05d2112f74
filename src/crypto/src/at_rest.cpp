#include "veche/crypto/at_rest.hpp"

#include <sodium.h>

#include <string>

#include "veche/crypto/password.hpp"

namespace veche::crypto {
namespace {

constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

Digest subkey(const SecretBytes& data_key, std::string_view purpose) {
  return keyed_hash(data_key, "at-rest/" + std::string(purpose), "");
}

}  // namespace

Bytes encrypt_at_rest(const SecretBytes& data_key, std::string_view purpose,
                      std::string_view associated, ByteView plaintext) {
  auto key = subkey(data_key, purpose);
  Bytes out(kNonce + plaintext.size() + kTag);
  randombytes_buf(out.data(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kNonce, &written, plaintext.data(), plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), nullptr,
      out.data(), key.data());
  sodium_memzero(key.data(), key.size());
  VECHE_CHECK(written == plaintext.size() + kTag, "the AEAD adds exactly one tag");
  return out;
}

Result<SecretBytes> decrypt_at_rest(const SecretBytes& data_key, std::string_view purpose,
                                    std::string_view associated, ByteView sealed) {
  if (sealed.size() < kNonce + kTag) return data_loss("a sealed value is truncated");
  auto key = subkey(data_key, purpose);
  Bytes plain(sealed.size() - kNonce - kTag);
  unsigned long long got = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plain.data(), &got, nullptr, sealed.data() + kNonce, sealed.size() - kNonce,
      reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), sealed.data(),
      key.data());
  sodium_memzero(key.data(), key.size());
  if (rc != 0) {
    sodium_memzero(plain.data(), plain.size());
    return data_loss("a sealed value does not open: it was changed or sealed under another key");
  }
  SecretBytes out(ByteView(plain.data(), static_cast<std::size_t>(got)));
  sodium_memzero(plain.data(), plain.size());
  return out;
}

}  // namespace veche::crypto
