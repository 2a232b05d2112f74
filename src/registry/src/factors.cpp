// The two-step login, the second-factor requirement of role holders, and recovery codes.
#include "veche/registry/factors.hpp"

#include <fmt/format.h>

#include "audit_append.hpp"
#include "factors_internal.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/password.hpp"
#include "veche/crypto/random.hpp"

namespace veche::registry {
namespace {

using factors_detail::handle_key;
using factors_detail::handle_of;
using factors_detail::to_blob;

constexpr std::size_t kRecoveryBytes = 10;  // 80 bits: 16 base32 characters
constexpr std::string_view kWrongRecovery = "The handle or the recovery code is wrong.";
constexpr std::string_view kLoginExpired =
    "This login has expired or had too many wrong codes. Please log in again.";

std::string format_groups(const std::string& b32) {
  std::string out;
  for (std::size_t i = 0; i < b32.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += b32[i];
  }
  return out;
}

// A fresh recovery code and its Argon2id hash (of the canonical base32 form).
Result<std::pair<std::string, std::string>> make_recovery_code() {
  crypto::Bytes raw(kRecoveryBytes);
  crypto::SystemRandom rng;
  rng.fill(std::as_writable_bytes(std::span(raw)));
  const auto b32 = crypto::to_base32(raw);
  VECHE_ASSIGN_OR_RETURN(auto hash, crypto::hash_passphrase(b32));
  return std::make_pair(format_groups(b32), std::move(hash));
}

// The canonical form of a typed recovery code, or "" when it cannot be one.
std::string canonical_recovery(std::string_view typed) {
  if (typed.size() > 64) return {};
  auto raw = crypto::from_base32(typed);
  if (!raw || raw->size() != kRecoveryBytes) return {};
  return crypto::to_base32(*raw);
}

Status store_recovery_hash(store::Transaction& tx, std::int64_t account, const std::string& hash,
                           core::TimePoint now) {
  VECHE_TRY(tx.exec("DELETE FROM recovery_codes WHERE account_id = ?", {account}));
  VECHE_TRY(
      tx.exec("INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES "
              "(?, ?, ?)",
              {account, hash, core::to_unix(now)}));
  return ok();
}

}  // namespace

Factors::Factors(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key,
                 Accounts& accounts)
    : db_(db), clock_(clock), key_(key), accounts_(accounts) {
  auto dummy = crypto::hash_passphrase(crypto::random_token(24));
  VECHE_CHECK(dummy.has_value(), "64 MiB for one Argon2id hash at start-up");
  dummy_hash_ = std::move(*dummy);
}

Result<LoginStep> Factors::login(std::string_view handle, std::string_view passphrase) {
  VECHE_ASSIGN_OR_RETURN(auto id, accounts_.verify_login(handle, passphrase));
  VECHE_ASSIGN_OR_RETURN(auto state, totp_state(id));
  LoginStep step;
  step.account = id;
  if (state != TotpState::kActive) {
    VECHE_ASSIGN_OR_RETURN(step.session_token, accounts_.issue_session(id, false));
    return step;
  }
  step.challenge_token = crypto::random_token(32);
  const auto hash = to_blob(crypto::keyed_hash(key_, "login-challenge", step.challenge_token));
  const auto now = core::to_unix(clock_.now());
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM login_challenges WHERE expires_at <= ?", {now}));
    VECHE_TRY(
        tx.exec("INSERT INTO login_challenges (token_hash, account_id, expires_at, "
                "attempts) VALUES (?, ?, ?, 0)",
                {hash, id.value(), now + kLoginChallengeLifetime.count()}));
    return ok();
  }));
  return step;
}

Result<std::string> Factors::finish_login(std::string_view challenge_token, std::string_view code) {
  if (challenge_token.empty() || challenge_token.size() > 128) {
    return unauthenticated(std::string(kLoginExpired));
  }
  const auto hash = to_blob(crypto::keyed_hash(key_, "login-challenge", challenge_token));
  const auto now = core::to_unix(clock_.now());
  std::int64_t account = 0;  // 0: no live challenge
  // The wrong-code count must be committed even when the code is refused, so the code check
  // runs in its own transaction and its outcome is carried out of it.
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    account = 0;
    VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT account_id, attempts FROM "
                                               "login_challenges WHERE token_hash = ? AND "
                                               "expires_at > ?",
                                               {hash, now}));
    if (rows.empty()) return ok();
    const auto id = rows[0].int64(0);
    if (rows[0].int64(1) >= kMaxTotpAttempts) {
      VECHE_TRY(tx.exec("DELETE FROM login_challenges WHERE token_hash = ?", {hash}));
      return ok();
    }
    account = id;
    VECHE_TRY(tx.exec("UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = ?",
                      {hash}));
    return ok();
  }));
  if (account == 0) return unauthenticated(std::string(kLoginExpired));
  if (auto checked = verify_totp(AccountId(account), code); !checked) {
    if (checked.error().code == ErrorCode::kFailedPrecondition) {
      return unauthenticated(std::string(kLoginExpired));  // TOTP was turned off meanwhile
    }
    return checked.error();
  }
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM login_challenges WHERE token_hash = ?", {hash}));
    return ok();
  }));
  return accounts_.issue_session(AccountId(account), true);
}

Result<AccountId> Factors::challenge_account(std::string_view challenge_token) const {
  if (challenge_token.empty() || challenge_token.size() > 128) {
    return unauthenticated(std::string(kLoginExpired));
  }
  const auto hash = to_blob(crypto::keyed_hash(key_, "login-challenge", challenge_token));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT account_id FROM login_challenges WHERE "
                                              "token_hash = ? AND expires_at > ?",
                                              {hash, core::to_unix(clock_.now())}));
  if (rows.empty()) return unauthenticated(std::string(kLoginExpired));
  return AccountId(rows[0].int64(0));
}

Result<bool> Factors::needs_second_factor(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto a, accounts_.account(account));
  for (const auto& g : a.roles) {
    if (role_needs_second_factor(g.role)) return true;
  }
  return false;
}

Result<bool> Factors::second_factor_ok(const Session& session) const {
  if (session.second_factor) return true;
  VECHE_ASSIGN_OR_RETURN(auto needs, needs_second_factor(session.account));
  return !needs;
}

Result<std::string> Factors::new_recovery_code(AccountId account) {
  VECHE_ASSIGN_OR_RETURN(auto made, make_recovery_code());
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const auto handle = handle_of(tx, account.value());
    if (handle.empty()) return not_found("account");
    VECHE_TRY(store_recovery_hash(tx, account.value(), made.second, now));
    return append_audit_entry(tx, now, handle, "recovery.new", handle, false);
  }));
  return made.first;
}

Result<bool> Factors::has_recovery_code(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT 1 FROM recovery_codes WHERE account_id = ?", {account.value()}));
  return !rows.empty();
}

Result<std::string> Factors::recover(std::string_view handle, std::string_view code,
                                     std::string_view new_passphrase) {
  VECHE_TRY(check_passphrase(new_passphrase));
  std::optional<std::pair<std::int64_t, std::string>> found;
  const auto canonical = canonical_recovery(code);
  if (check_handle(handle) && !canonical.empty()) {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(
        auto rows, tx->query("SELECT a.id, r.code_hash FROM accounts a JOIN recovery_codes r ON "
                             "r.account_id = a.id WHERE a.handle_key = ?",
                             {handle_key(handle)}));
    if (!rows.empty()) found.emplace(rows[0].int64(0), rows[0].text(1));
  }
  // The same Argon2id work whether or not the handle exists and has a code.
  const bool match = crypto::verify_passphrase(
      found ? found->second : dummy_hash_,
      canonical.empty() ? std::string_view("-") : std::string_view(canonical));
  if (!found || !match) return unauthenticated(std::string(kWrongRecovery));
  VECHE_ASSIGN_OR_RETURN(auto pw_hash, crypto::hash_passphrase(new_passphrase));
  VECHE_ASSIGN_OR_RETURN(auto made, make_recovery_code());
  const auto now = clock_.now();
  const auto id = found->first;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    // The code is single-use: a concurrent recovery with the same code finds it replaced.
    VECHE_ASSIGN_OR_RETURN(auto still,
                           tx.exec("DELETE FROM recovery_codes WHERE account_id = ? AND "
                                   "code_hash = ?",
                                   {id, found->second}));
    if (still != 1) return unauthenticated(std::string(kWrongRecovery));
    VECHE_TRY(tx.exec("UPDATE accounts SET passphrase_hash = ? WHERE id = ?", {pw_hash, id}));
    VECHE_TRY(tx.exec("DELETE FROM sessions WHERE account_id = ?", {id}));
    VECHE_TRY(tx.exec("DELETE FROM login_challenges WHERE account_id = ?", {id}));
    VECHE_TRY(store_recovery_hash(tx, id, made.second, now));
    const auto h = handle_of(tx, id);
    return append_audit_entry(tx, now, h, "account.recover", h, false);
  }));
  return made.first;
}

}  // namespace veche::registry
