// TOTP enrolment and verification (RFC 6238 with the parameters in factors.hpp).
#include <fmt/format.h>

#include "audit_append.hpp"
#include "factors_internal.hpp"
#include "veche/crypto/at_rest.hpp"
#include "veche/crypto/otp.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/factors.hpp"

namespace veche::registry {
namespace {

using factors_detail::handle_of;
using factors_detail::to_blob;
using factors_detail::view;

constexpr std::string_view kPurpose = "totp-secret";
constexpr std::string_view kWrongCode =
    "This code is not right. Check the clock of your device and use the newest code.";

std::string associated(std::int64_t account) { return fmt::format("totp/account/{}", account); }

// Six digits, with spaces allowed between them as apps show them ("123 456").
std::optional<std::string> normalize_code(std::string_view code) {
  if (code.size() > 16) return std::nullopt;
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (digits.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
  return digits;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

struct StoredSecret {
  crypto::SecretBytes secret;
  bool active = false;
  std::int64_t last_step = 0;
};

Result<std::optional<StoredSecret>> load_secret(store::Transaction& tx,
                                                const crypto::SecretBytes& key,
                                                std::int64_t account) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT sealed_secret, active, last_step FROM totp_secrets WHERE "
                                  "account_id = ?",
                                  {account}));
  if (rows.empty()) return std::optional<StoredSecret>();
  VECHE_ASSIGN_OR_RETURN(auto secret, crypto::decrypt_at_rest(key, kPurpose, associated(account),
                                                              view(rows[0].blob(0))));
  return std::optional<StoredSecret>(
      StoredSecret{std::move(secret), rows[0].int64(1) == 1, rows[0].int64(2)});
}

// The step whose code matches within ±1 step of `now` and is later than `last_step`, if any.
// Every candidate is computed, so the time taken does not tell which one matched.
std::optional<std::int64_t> matching_step(const crypto::SecretBytes& secret, std::string_view code,
                                          core::TimePoint now, std::int64_t last_step) {
  const auto current =
      static_cast<std::int64_t>(crypto::totp_step(core::to_unix(now), kTotpStepSeconds));
  std::optional<std::int64_t> found;
  for (std::int64_t step = current - 1; step <= current + 1; ++step) {
    if (step < 0) continue;
    const auto expected =
        crypto::hotp(secret.expose(), static_cast<std::uint64_t>(step), kTotpDigits);
    if (equal_constant_time(expected, code) && step > last_step && !found) found = step;
  }
  return found;
}

std::string enrolment_uri(std::string_view handle, std::string_view secret_b32) {
  // Handles are ASCII letters, digits, '_' and '-': nothing in them needs escaping.
  return fmt::format(
      "otpauth://totp/Veche:{}?secret={}&issuer=Veche&algorithm=SHA1&digits={}&period={}", handle,
      secret_b32, kTotpDigits, kTotpStepSeconds);
}

// Checks `code` against the account's secret in `tx` and records its step. `want_active`
// selects an active secret (verify) or a pending one (confirm).
Status check_code(store::Transaction& tx, const crypto::SecretBytes& key, std::int64_t account,
                  std::string_view code, core::TimePoint now, bool want_active) {
  VECHE_ASSIGN_OR_RETURN(auto stored, load_secret(tx, key, account));
  if (!stored || stored->active != want_active) {
    return failed_precondition(want_active ? "This account has no second factor."
                                           : "Start setting up the authenticator app again.");
  }
  const auto digits = normalize_code(code);
  if (!digits) return permission_denied("A code has 6 digits.");
  const auto step = matching_step(stored->secret, *digits, now, stored->last_step);
  if (!step) return permission_denied(std::string(kWrongCode));
  // The guard on last_step makes two concurrent uses of one code accept only one.
  VECHE_ASSIGN_OR_RETURN(auto updated,
                         tx.exec("UPDATE totp_secrets SET last_step = ?, active = 1 WHERE "
                                 "account_id = ? AND last_step < ?",
                                 {*step, account, *step}));
  if (updated != 1) return permission_denied(std::string(kWrongCode));
  return ok();
}

}  // namespace

bool role_needs_second_factor(Role role) { return role != Role::kConstituent; }

Result<TotpState> Factors::totp_state(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT active FROM totp_secrets WHERE "
                                              "account_id = ?",
                                              {account.value()}));
  if (rows.empty()) return TotpState::kOff;
  return rows[0].int64(0) == 1 ? TotpState::kActive : TotpState::kPending;
}

Result<TotpEnrolment> Factors::begin_totp(AccountId account) {
  crypto::SystemRandom rng;
  const auto secret = crypto::SecretBytes::random(kTotpSecretBytes, rng);
  const auto sealed =
      crypto::encrypt_at_rest(key_, kPurpose, associated(account.value()), secret.expose());
  std::string handle;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    handle = handle_of(tx, account.value());
    if (handle.empty()) return not_found("account");
    VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT active FROM totp_secrets WHERE "
                                               "account_id = ?",
                                               {account.value()}));
    if (!rows.empty() && rows[0].int64(0) == 1) {
      return already_exists("The authenticator app is already set up. Turn it off first.");
    }
    VECHE_TRY(tx.exec("DELETE FROM totp_secrets WHERE account_id = ?", {account.value()}));
    VECHE_TRY(
        tx.exec("INSERT INTO totp_secrets (account_id, sealed_secret, active, last_step, "
                "created_at) VALUES (?, ?, 0, 0, ?)",
                {account.value(), to_blob(sealed), core::to_unix(clock_.now())}));
    return ok();
  }));
  TotpEnrolment e;
  e.secret_base32 = crypto::to_base32(secret.expose());
  e.uri = enrolment_uri(handle, e.secret_base32);
  return e;
}

Result<std::optional<TotpEnrolment>> Factors::pending_totp(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto stored, load_secret(*tx, key_, account.value()));
  if (!stored || stored->active) return std::optional<TotpEnrolment>();
  TotpEnrolment e;
  e.secret_base32 = crypto::to_base32(stored->secret.expose());
  e.uri = enrolment_uri(handle_of(*tx, account.value()), e.secret_base32);
  return std::optional<TotpEnrolment>(std::move(e));
}

Status Factors::confirm_totp(AccountId account, std::string_view code,
                             std::string_view session_token) {
  const auto now = clock_.now();
  const auto token_hash = to_blob(crypto::keyed_hash(key_, "session", session_token));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(check_code(tx, key_, account.value(), code, now, false));
    if (!session_token.empty()) {
      VECHE_TRY(
          tx.exec("UPDATE sessions SET second_factor = 1 WHERE token_hash = ? AND "
                  "account_id = ?",
                  {token_hash, account.value()}));
    }
    return append_audit_entry(tx, now, handle_of(tx, account.value()), "totp.enable",
                              handle_of(tx, account.value()), false);
  });
}

Status Factors::verify_totp(AccountId account, std::string_view code) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    return check_code(tx, key_, account.value(), code, now, true);
  });
}

Status Factors::disable_totp(AccountId account, std::string_view code) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(check_code(tx, key_, account.value(), code, now, true));
    VECHE_TRY(tx.exec("DELETE FROM totp_secrets WHERE account_id = ?", {account.value()}));
    // Without the app, no session or token of the account stands for a second factor any more
    // (should a role needing one be granted later).
    VECHE_TRY(
        tx.exec("UPDATE sessions SET second_factor = 0 WHERE account_id = ?", {account.value()}));
    VECHE_TRY(tx.exec("UPDATE access_tokens SET second_factor = 0 WHERE account_id = ?",
                      {account.value()}));
    return append_audit_entry(tx, now, handle_of(tx, account.value()), "totp.disable",
                              handle_of(tx, account.value()), false);
  });
}

Status Factors::reset_totp(std::string_view actor, std::string_view handle) {
  if (actor != "operator") VECHE_TRY(check_handle(actor));
  VECHE_TRY(check_handle(handle));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(
        auto row,
        tx.query_one("SELECT id, handle FROM accounts WHERE handle_key = ?",
                     {factors_detail::handle_key(handle)}, fmt::format("account '{}'", handle)));
    const auto id = row.int64(0);
    VECHE_ASSIGN_OR_RETURN(auto removed,
                           tx.exec("DELETE FROM totp_secrets WHERE account_id = ?", {id}));
    if (removed == 0) return not_found(fmt::format("{} has no authenticator app", row.text(1)));
    VECHE_TRY(tx.exec("DELETE FROM sessions WHERE account_id = ?", {id}));
    VECHE_TRY(tx.exec("DELETE FROM login_challenges WHERE account_id = ?", {id}));
    VECHE_TRY(tx.exec("UPDATE access_tokens SET second_factor = 0 WHERE account_id = ?", {id}));
    return append_audit_entry(tx, now, actor, "totp.reset", row.text(1), false);
  });
}

Result<std::int64_t> reseal_totp_secrets(store::Database& db, const crypto::SecretBytes& old_key,
                                         const crypto::SecretBytes& new_key) {
  std::int64_t count = 0;
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    count = 0;
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx.query("SELECT account_id, sealed_secret FROM totp_secrets"));
    for (const auto& r : rows) {
      const auto account = r.int64(0);
      VECHE_ASSIGN_OR_RETURN(
          auto secret,
          crypto::decrypt_at_rest(old_key, kPurpose, associated(account), view(r.blob(1))));
      const auto sealed =
          crypto::encrypt_at_rest(new_key, kPurpose, associated(account), secret.expose());
      VECHE_TRY(tx.exec("UPDATE totp_secrets SET sealed_secret = ? WHERE account_id = ?",
                        {to_blob(sealed), account}));
      ++count;
    }
    return ok();
  }));
  return count;
}

}  // namespace veche::registry
