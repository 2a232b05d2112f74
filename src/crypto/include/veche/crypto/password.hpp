// Passphrases, random tokens and keyed hashes for accounts (libsodium).
//
// Passphrases are hashed with Argon2id (crypto_pwhash_str, libsodium's "interactive" limits:
// 2 passes over 64 MiB). Tokens are random bytes in URL-safe base64. Values that the server
// must find again without storing them (session tokens, invitation codes) are stored as a
// BLAKE2b hash keyed with the data key, which lives outside the database.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/secret.hpp"

namespace veche::crypto {

// The encoded Argon2id hash ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash") of `passphrase`,
// with a fresh random salt. kResourceExhausted when the memory cannot be allocated.
// Thread-safe; takes tens of milliseconds and 64 MiB by design.
Result<std::string> hash_passphrase(std::string_view passphrase);

// True when `passphrase` matches `encoded`; false for a mismatch or a malformed hash.
// Costs the same work as hash_passphrase() whenever `encoded` is well formed.
bool verify_passphrase(std::string_view encoded, std::string_view passphrase);

// `n` bytes from the OS CSPRNG in URL-safe base64 without padding (4n/3 characters, rounded
// up). Precondition: 1 <= n <= 1024.
std::string random_token(std::size_t n);

// Keyed-hash key sizes (BLAKE2b): 16..64 bytes; data keys are 32.
inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::size_t kMinKeyBytes = 16;
inline constexpr std::size_t kMaxKeyBytes = 64;

// BLAKE2b-256 keyed with `key` over frame(purpose) || data, so that one key serves several
// purposes ("session", "invitation", "csrf") without a hash of one standing for another.
// Precondition: kMinKeyBytes <= key.size() <= kMaxKeyBytes (checked: aborts otherwise).
Digest keyed_hash(const SecretBytes& key, std::string_view purpose, std::string_view data);

}  // namespace veche::crypto
