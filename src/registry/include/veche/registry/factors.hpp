// Authentication factors beyond the passphrase: TOTP (RFC 6238), the recovery code and
// personal access tokens; and the two-step login that ties TOTP into sessions.
//
// - TOTP: HMAC-SHA1, 30-second steps, 6 digits, codes of the previous, current and next step
//   accepted, and a step once accepted never again (nor any earlier one). The secret is made
//   by the server, sealed at rest under a key derived from the data key, shown once while
//   enrolling and active only after a first valid code.
// - Required for role holders: an account holding any role beyond constituent
//   (needs_second_factor) may use its role powers only in a session that passed TOTP
//   (second_factor_ok). For constituents TOTP is optional, but once enrolled every login asks
//   for it.
// - Recovery code: one per account, stored as an Argon2id hash, shown once. recover() resets
//   the passphrase with it, ends every session and shows a new code; TOTP stays as it is.
// - Personal access tokens: stored as keyed hashes, with a name, scopes from a fixed list and
//   an expiry; the day of last use is kept, not the time. Revoking deletes the row.
// Every change of a factor goes into the audit log (private entries naming the handle only).
#pragma once

#include <chrono>
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

inline constexpr int kTotpDigits = 6;
inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits (RFC 4226 §4, R6)
inline constexpr int kMaxTotpAttempts = 5;           // wrong codes per login challenge
inline constexpr std::chrono::seconds kLoginChallengeLifetime{300};

// True for the roles that require a second factor: every role but constituent.
bool role_needs_second_factor(Role role);

enum class TotpState { kOff, kPending, kActive };

struct TotpEnrolment {
  std::string secret_base32;  // RFC 4648 base32 without padding, as authenticator apps take it
  std::string uri;            // otpauth://totp/Veche:<handle>?secret=...&issuer=Veche&...
};

// The result of the first login step: either a session (no TOTP enrolled) or a challenge
// token for the second step (finish_login). Exactly one of the two is set.
struct LoginStep {
  AccountId account;
  std::string session_token;
  std::string challenge_token;
};

enum class Scope { kRead, kVote, kRegistrar, kDelegate };
// "read", "vote", "registrar", "delegate"; every scope, in that order.
std::string_view scope_name(Scope scope);
Result<Scope> parse_scope(std::string_view name);
const std::vector<Scope>& all_scopes();

inline constexpr int kMaxTokensPerAccount = 20;
inline constexpr int kMaxTokenDays = 365;

struct AccessTokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::vector<Scope> scopes;
  core::TimePoint created_at;
  core::TimePoint expires_at;
  std::string last_used_day;  // "2026-11-27", "" when never used
  bool expired = false;
};

struct TokenAuth {
  AccountId account;
  std::string handle;
  std::int64_t token_id = 0;
  std::vector<Scope> scopes;
  bool second_factor = false;  // made in a session that had passed the second factor
};

class Factors {
 public:
  // `db`, `clock`, `key` and `accounts` must outlive the service; `key` is the data key.
  // Computes one Argon2id hash (the dummy for unknown handles in recover()). Thread-safe.
  Factors(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key,
          Accounts& accounts);

  // --- Login ---
  // The first step: checks the passphrase (Accounts::verify_login, same errors). Without TOTP
  // issues the session at once; with TOTP returns a challenge valid kLoginChallengeLifetime.
  Result<LoginStep> login(std::string_view handle, std::string_view passphrase);
  // The second step: a valid TOTP code for the challenge's account issues a session marked as
  // having passed the second factor, and ends the challenge. kUnauthenticated for an unknown
  // or expired challenge (also after kMaxTotpAttempts wrong codes); kPermissionDenied for a
  // wrong, malformed or replayed code (the challenge stays until its attempts run out).
  Result<std::string> finish_login(std::string_view challenge_token, std::string_view code);
  // The account a live challenge belongs to (for per-account rate limits before
  // finish_login). kUnauthenticated as finish_login.
  Result<AccountId> challenge_account(std::string_view challenge_token) const;

  // Whether the account holds a role that needs a second factor. kNotFound for no account.
  Result<bool> needs_second_factor(AccountId account) const;
  // True when the session may use the powers of its account's roles: the account needs no
  // second factor, or the session passed TOTP.
  Result<bool> second_factor_ok(const Session& session) const;

  // --- TOTP ---
  Result<TotpState> totp_state(AccountId account) const;
  // A new secret, pending until confirmed; replaces an earlier pending one. kAlreadyExists
  // when TOTP is active (disable it first).
  Result<TotpEnrolment> begin_totp(AccountId account);
  // The pending enrolment again (for a confirmation form that failed), or nullopt.
  Result<std::optional<TotpEnrolment>> pending_totp(AccountId account) const;
  // Activates the pending secret with a first valid code, and marks the session of
  // `session_token` (if it is the account's) as having passed the second factor.
  // kFailedPrecondition when nothing is pending; kPermissionDenied for a wrong code.
  Status confirm_totp(AccountId account, std::string_view code, std::string_view session_token);
  // Checks a code for an active secret (window ±1 step, no replay). kFailedPrecondition when
  // TOTP is not active; kPermissionDenied for a wrong, malformed or replayed code.
  Status verify_totp(AccountId account, std::string_view code);
  // Turns TOTP off; needs a valid current code. The account's sessions and tokens no longer
  // count as having passed a second factor. Errors as verify_totp.
  Status disable_totp(AccountId account, std::string_view code);
  // For a person who lost their authenticator (an operator's act, `veche second-factor
  // reset`): removes the account's TOTP, active or pending, and ends its sessions and login
  // challenges. `actor` ("operator" or a handle) goes to the audit log. kNotFound for an unknown
  // handle or an account without TOTP; kInvalidArgument for a malformed handle or actor.
  // The account's tokens no longer count as having passed a second factor.
  Status reset_totp(std::string_view actor, std::string_view handle);

  // --- Recovery code ---
  // A new recovery code (XXXX-XXXX-XXXX-XXXX, 80 bits), replacing the old one.
  Result<std::string> new_recovery_code(AccountId account);
  Result<bool> has_recovery_code(AccountId account) const;
  // Handle + recovery code + new passphrase: sets the passphrase, ends every session and login
  // challenge of the account and returns its new recovery code. kInvalidArgument for a bad new
  // passphrase; kUnauthenticated with one message for an unknown handle or a wrong code
  // (after the same Argon2id work).
  Result<std::string> recover(std::string_view handle, std::string_view code,
                              std::string_view new_passphrase);

  // --- Personal access tokens ---
  // A new token ("veche_pat_" + 43 characters), shown once. `name` 1..64 characters of text,
  // scopes not empty, validity 1..kMaxTokenDays days. kInvalidArgument otherwise;
  // kResourceExhausted past kMaxTokensPerAccount live tokens. `second_factor`: the session
  // making it had passed TOTP; a token carries role powers only then.
  Result<std::string> create_token(AccountId account, std::string_view name,
                                   const std::vector<Scope>& scopes, std::chrono::days valid_for,
                                   bool second_factor = false);
  // The account's tokens, newest first (expired ones included and marked).
  Result<std::vector<AccessTokenInfo>> tokens(AccountId account) const;
  // kNotFound when the account has no token with that id.
  Status revoke_token(AccountId account, std::int64_t token_id);
  // The account and scopes of a live token; records the day of use. kUnauthenticated for an
  // unknown, revoked or expired token.
  Result<TokenAuth> authenticate_token(std::string_view token);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
  Accounts& accounts_;
  std::string dummy_hash_;
};

// For rotating the data key: opens every TOTP secret with `old_key` and seals it again with
// `new_key`, in one write transaction; returns how many. kDataLoss (and nothing changes) when a
// secret does not open with `old_key`. Session tokens, invitation codes and access tokens are
// keyed hashes under the data key too: rotation ends sessions and voids unused codes and tokens
// whatever this function does.
Result<std::int64_t> reseal_totp_secrets(store::Database& db, const crypto::SecretBytes& old_key,
                                         const crypto::SecretBytes& new_key);

}  // namespace veche::registry
