// A constituent's own data: a public display name, an optional contact address, the export
// of everything Veche holds about the account, and a real erase.
//
// The contact address (an email or a messenger handle) is never stored in plain text: it is
// sealed with XChaCha20-Poly1305 under a key derived from the data key (crypto/at_rest.hpp),
// bound to its account row, and found again through a BLAKE2b hash keyed with the data key of
// its normalized form (trimmed, ASCII lowercase). Only its owner is shown it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

// Display names: 0..80 characters of one line ("" clears it).
Status check_display_name(std::string_view name);
// Contact addresses: 3..254 characters, valid UTF-8, no white space or control characters,
// after trimming.
Status check_contact_address(std::string_view address);

// Everything Veche holds about an account, for "Download my data".
struct PersonalDataExport {
  std::string handle;
  std::string display_name;
  std::optional<std::string> contact_address;  // decrypted
  std::vector<RoleGrant> roles;
  std::vector<int> charter_signatures;  // versions signed as an individual
  core::TimePoint created_at;
  std::int64_t sessions = 0;       // sessions not yet expired
  std::int64_t access_tokens = 0;  // personal access tokens
  bool totp = false;               // a second factor is set up
};

class PersonalData {
 public:
  // `db`, `clock` and `key` (the data key, 16..64 bytes) must outlive the service.
  // Thread-safe.
  PersonalData(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key)
      : db_(db), clock_(clock), key_(key) {}

  // kInvalidArgument for a bad name; kNotFound for an unknown account.
  Status set_display_name(AccountId account, std::string_view name);

  // Sets (or replaces) the contact address. kInvalidArgument for a bad address; kAlreadyExists
  // when another account has registered the same address; kNotFound for an unknown account.
  Status set_contact_address(AccountId account, std::string_view address);
  // Removes it (nothing happens when there is none).
  Status clear_contact_address(AccountId account);
  // The decrypted address, or nullopt. kDataLoss when the sealed value does not open (another
  // data key, or the row was changed).
  Result<std::optional<std::string>> contact_address(AccountId account) const;
  // The account registered with `address` (normalized as stored), or nullopt.
  Result<std::optional<AccountId>> find_by_contact_address(std::string_view address) const;

  Result<PersonalDataExport> export_data(AccountId account) const;

  // Erases the account for real: after checking `passphrase` against it, DELETES the account
  // row, its roles, sessions, login challenges, access tokens, TOTP secret, recovery code,
  // contact address and individual charter signatures in one transaction. Audit entries stay
  // (the log is append-only); they name the handle only. kUnauthenticated for a wrong
  // passphrase; kNotFound for an unknown account. Costs one Argon2id verification.
  Status erase(AccountId account, std::string_view passphrase);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
};

// For rotating the data key: opens every contact address with `old_key`, seals it again with
// `new_key` and recomputes its keyed hash under `new_key`, in one write transaction; returns
// how many. kDataLoss (and nothing changes) when an address does not open with `old_key`.
Result<std::int64_t> reseal_contact_addresses(store::Database& db,
                                              const crypto::SecretBytes& old_key,
                                              const crypto::SecretBytes& new_key);

// One page of the audit log, newest first.
struct AuditPage {
  std::vector<AuditEntry> entries;
  std::optional<std::int64_t> next_before;  // ?before= for the next (older) page, if any
};
inline constexpr int kAuditPageSize = 50;
// The entries with seq < `before` (all when nullopt), newest first, at most `limit`
// (1..500; kInvalidArgument otherwise); only the public ones when `public_only`.
Result<AuditPage> audit_page(store::Database& db, bool public_only,
                             std::optional<std::int64_t> before, int limit = kAuditPageSize);

}  // namespace veche::registry
