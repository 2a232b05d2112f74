// Pseudonymous accounts, roles, sessions, invitation codes and the audit log.
//
// Privacy rules this service keeps (DESIGN.md, "Data, privacy and trust rules"):
// - An invitation code row never says who used it, nor when: registrars count, never link.
// - Session tokens and invitation codes are stored only as keyed hashes (BLAKE2b keyed with
//   the data key, which lives in a file outside the database).
// - A failed login says the same thing and does the same work (one Argon2id verification)
//   whether or not the handle exists.
// Every role grant and revocation is appended to the hash-chained audit log.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

struct AccountTag {};
using AccountId = core::Id<AccountTag>;

enum class Role {
  kConstituent,
  kDelegate,
  kRegistrar,
  kTrustee,
  kCoordinator,
  kModerator,
  kOperator
};
// "constituent", "delegate", ...
std::string_view role_name(Role role);
// kInvalidArgument for an unknown name.
Result<Role> parse_role(std::string_view name);
// Delegates and registrars act for one organization; the other roles are coalition-wide.
bool role_needs_organization(Role role);

struct RoleGrant {
  Role role = Role::kConstituent;
  std::string organization;  // the organization's slug, "" for coalition-wide roles
};

struct Account {
  AccountId id;
  std::string handle;        // as the person typed it when joining
  std::string display_name;  // "" when not set
  core::TimePoint created_at;
  std::vector<RoleGrant> roles;
};

struct Session {
  AccountId account;
  std::string handle;
  core::TimePoint expires_at;
  bool second_factor = false;  // the login passed TOTP (factors.hpp)
};

// How many codes of an organization are in each state. Expired counts unused codes past
// their expiry (they are no longer usable).
struct CodeCounts {
  std::int64_t unused = 0;
  std::int64_t used = 0;
  std::int64_t revoked = 0;
  std::int64_t expired = 0;
};

// How many invitation codes an organization may issue per period (codes that were revoked
// unused do not count). The coalition sets a default and may override it per organization.
struct CodeQuota {
  std::int64_t codes = 500;
  int period_days = 30;
  bool organization_specific = false;  // set for this organization, not the default
};

// A holder of an organization role, for the organization's public page.
struct RoleHolder {
  std::string handle;
  std::string display_name;
  Role role = Role::kDelegate;
};

// Handles: 3..32 characters, ASCII letters, digits, '_' and '-'; unique regardless of case.
Status check_handle(std::string_view handle);
// Passphrases: 10..1024 bytes of valid UTF-8.
Status check_passphrase(std::string_view passphrase);

inline constexpr std::chrono::seconds kSessionLifetime{14 * 24 * 3600};
inline constexpr int kMaxCodesPerBatch = 1000;

// The data key file for a database: `configured` when set; otherwise "veche-data.key" in the
// folder of a SQLite file. kFailedPrecondition for PostgreSQL or ":memory:" without a
// configured file (several servers must share one key, so it cannot be invented per node).
Result<std::string> data_key_file_for(std::string_view configured, std::string_view db_location);

// Reads the data key (32 bytes) from `path`, creating the file with 32 random bytes and mode
// 0600 when it does not exist. kFailedPrecondition when the file has another size or can be
// read by group or others; kUnavailable when it cannot be read or created.
Result<crypto::SecretBytes> load_or_create_data_key(const std::string& path);

class Accounts {
 public:
  // `db`, `clock` and `key` must outlive the service. `key` is the data key (16..64 bytes).
  // Computes one Argon2id hash (the dummy for unknown handles). Thread-safe after construction.
  Accounts(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

  // Issues `count` (1..kMaxCodesPerBatch) single-use codes for the organization `org_slug`,
  // valid for `valid_for` (1 hour .. 365 days). Returns the plain codes: they exist nowhere
  // else afterwards. kNotFound for an unknown organization, kInvalidArgument for a bad count
  // or validity. `actor` (a handle or "operator") goes to the audit log.
  Result<std::vector<std::string>> issue_codes(std::string_view org_slug, int count,
                                               std::chrono::seconds valid_for,
                                               std::string_view actor);
  // The quota that applies to the organization, and how many codes it issued in the current
  // period (the last period_days days). issue_codes refuses a batch past the quota with
  // kResourceExhausted.
  Result<CodeQuota> code_quota(std::string_view org_slug) const;
  Result<std::int64_t> codes_issued_in_period(std::string_view org_slug) const;
  // Sets the coalition's default quota (`org_slug` empty) or one organization's; codes 0..100000,
  // period 1..366 days. Goes to the public audit log.
  Status set_code_quota(std::string_view actor, std::string_view org_slug, std::int64_t codes,
                        int period_days);
  // The delegates and registrars of an organization, ordered by role then handle.
  Result<std::vector<RoleHolder>> organization_roles(std::string_view org_slug) const;

  // Revokes every unused code of the organization; returns how many.
  Result<std::int64_t> revoke_unused_codes(std::string_view org_slug, std::string_view actor);
  Result<CodeCounts> code_counts(std::string_view org_slug) const;

  // Creates a constituent account with an invitation code, consuming it in the same
  // transaction. kInvalidArgument for a bad handle or passphrase; kPermissionDenied (one
  // message) for a code that is unknown, used, revoked or expired; kAlreadyExists when the
  // handle is taken (checked only after the code, so handles cannot be probed without one).
  Result<AccountId> join(std::string_view code, std::string_view handle,
                         std::string_view passphrase);

  // A new session token (43 characters) for a correct handle and passphrase. Other sessions of
  // the account are unaffected. kUnauthenticated with one message for a wrong passphrase and
  // an unknown handle alike. kFailedPrecondition when the account has TOTP: Factors::login
  // then asks for the code.
  Result<std::string> login(std::string_view handle, std::string_view passphrase);
  // login()'s first half: the account of a correct handle and passphrase, same errors, same work.
  Result<AccountId> verify_login(std::string_view handle, std::string_view passphrase) const;
  // login()'s second half: a new session for `account`, marked when it passed TOTP.
  Result<std::string> issue_session(AccountId account, bool second_factor);
  // kUnauthenticated for an unknown or expired token.
  Result<Session> session(std::string_view token) const;
  // Ends one session (nothing happens for an unknown token).
  Status logout(std::string_view token);
  // Ends every session of the account.
  Status logout_everywhere(AccountId account);

  Result<Account> account(AccountId id) const;

  // Grants or revokes a role; both are appended to the audit log (delegate, registrar and
  // trustee changes publicly). `org_slug` is required for delegates and registrars and must
  // be empty otherwise (kInvalidArgument). kNotFound for an unknown handle or organization;
  // kAlreadyExists when granted twice; kNotFound when revoking a role the account lacks.
  Status grant_role(std::string_view actor, std::string_view handle, Role role,
                    std::string_view org_slug = {});
  Status revoke_role(std::string_view actor, std::string_view handle, Role role,
                     std::string_view org_slug = {});

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
  std::string dummy_hash_;
};

// The audit log: append-only, each entry hashing the one before it.
struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, ...
  core::TimePoint time;
  std::string actor;   // a handle or "operator"
  std::string action;  // "role.grant", "role.revoke", "invitations.issue", ...
  std::string subject;
  bool is_public = false;
  std::string prev_hash;  // hex; 64 zeros for the first entry
  std::string hash;       // hex BLAKE2b-256 of the fields above
};

// The entries in order; only the public ones when `public_only`.
Result<std::vector<AuditEntry>> audit_entries(store::Database& db, bool public_only);

struct AuditReport {
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_broken;  // seq of the first entry that does not check
  std::string problem;                       // what is wrong with it
};
// Recomputes the chain from the first entry. A report with first_broken set is not an error:
// errors are for a database that cannot be read.
Result<AuditReport> verify_audit(store::Database& db);

}  // namespace veche::registry
