// Encryption at rest for small secrets kept in the database (TOTP secrets): XChaCha20-Poly1305
// (libsodium crypto_aead_xchacha20poly1305_ietf) under a key derived from the data key for one
// purpose, with a random 192-bit nonce per message. The associated data binds a ciphertext to
// its row (say "totp/account/17"), so a sealed value copied to another row does not open.
#pragma once

#include <string_view>

#include "veche/core/result.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/secret.hpp"

namespace veche::crypto {

// nonce (24 bytes) || ciphertext || tag (16 bytes). The subkey is
// keyed_hash(data_key, "at-rest/" + purpose). Preconditions: purpose is a short constant;
// data_key is 16..64 bytes (aborts otherwise). Thread-safe.
Bytes encrypt_at_rest(const SecretBytes& data_key, std::string_view purpose,
                      std::string_view associated, ByteView plaintext);

// The plaintext of encrypt_at_rest(). kDataLoss when the value is truncated, was changed, was
// sealed for another row or purpose, or under another data key.
Result<SecretBytes> decrypt_at_rest(const SecretBytes& data_key, std::string_view purpose,
                                    std::string_view associated, ByteView sealed);

}  // namespace veche::crypto
