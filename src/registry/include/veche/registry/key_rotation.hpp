// Rotating the data key (the key file outside the database, docs/operators.md).
//
// What is sealed under the key (TOTP secrets, contact addresses) is opened with the old key and
// sealed again with the new one. What is only a keyed hash of a secret Veche never keeps
// (session tokens, login challenges, personal access tokens, invitation codes) cannot be
// re-hashed: sessions end, tokens are deleted and unused codes revoked. Passphrases and
// recovery codes are Argon2id hashes, not keyed: they keep working.
#pragma once

#include <cstdint>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

struct KeyRotation {
  std::int64_t totp_secrets = 0;
  std::int64_t contact_addresses = 0;
  std::int64_t sessions_ended = 0;
  std::int64_t tokens_deleted = 0;
  std::int64_t codes_revoked = 0;
};

// Moves the database from `old_key` to `new_key`. kDataLoss, and nothing changes, when a sealed
// value does not open with `old_key` (the wrong key file). The caller replaces the key file
// only after this returns. Audited (not publicly) as "data-key.rotate" by `actor`.
Result<KeyRotation> rotate_data_key(store::Database& db, const core::Clock& clock,
                                    const crypto::SecretBytes& old_key,
                                    const crypto::SecretBytes& new_key, std::string_view actor);

}  // namespace veche::registry
