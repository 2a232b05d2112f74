#include "veche/registry/personal_data.hpp"

#include <fmt/format.h>

#include <cstring>

#include "veche/core/text.hpp"
#include "veche/crypto/at_rest.hpp"
#include "veche/crypto/password.hpp"

namespace veche::registry {
namespace {

constexpr std::string_view kSealPurpose = "contact-address";
constexpr std::string_view kLookupPurpose = "contact-address";

std::string associated(std::int64_t account) { return fmt::format("contact/account/{}", account); }

std::string normalized(std::string_view address) {
  std::string out(core::trim(address));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

store::Blob blob_of(const std::uint8_t* data, std::size_t size) {
  store::Blob b(size);
  if (size > 0) std::memcpy(b.data(), data, size);
  return b;
}

store::Blob lookup_key(const crypto::SecretBytes& key, std::string_view address) {
  const auto d = crypto::keyed_hash(key, kLookupPurpose, normalized(address));
  return blob_of(d.data(), d.size());
}

Status account_exists(store::Transaction& tx, AccountId account) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT 1 FROM accounts WHERE id = ?", {account.value()}));
  if (rows.empty()) return not_found("There is no such account.");
  return ok();
}

}  // namespace

Status check_display_name(std::string_view name) {
  return core::check_text("display name", name, 80);
}

Status check_contact_address(std::string_view address) {
  const auto a = core::trim(address);
  VECHE_TRY(core::check_text("contact address", a, 254));
  if (core::utf8_length(a) < 3) {
    return invalid_argument("A contact address must be 3 to 254 characters long.");
  }
  for (char c : a) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return invalid_argument("A contact address cannot contain spaces.");
    }
  }
  return ok();
}

Status PersonalData::set_display_name(AccountId account, std::string_view name) {
  const auto trimmed = core::trim(name);
  VECHE_TRY(check_display_name(trimmed));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto changed,
                           tx.exec("UPDATE accounts SET display_name = ? WHERE id = ?",
                                   {std::string(trimmed), account.value()}));
    if (changed == 0) return not_found("There is no such account.");
    return ok();
  });
}

Status PersonalData::set_contact_address(AccountId account, std::string_view address) {
  VECHE_TRY(check_contact_address(address));
  const auto plain = std::string(core::trim(address));
  const auto sealed =
      crypto::encrypt_at_rest(key_, kSealPurpose, associated(account.value()),
                              {reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()});
  const auto sealed_blob = blob_of(sealed.data(), sealed.size());
  const auto key = lookup_key(key_, plain);
  const auto now = core::to_unix(clock_.now());
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(account_exists(tx, account));
    VECHE_ASSIGN_OR_RETURN(
        auto other,
        tx.query("SELECT account_id FROM contact_addresses WHERE address_key = ?", {key}));
    if (!other.empty() && other[0].int64(0) != account.value()) {
      return already_exists("Another account uses this contact address.");
    }
    VECHE_TRY(tx.exec("DELETE FROM contact_addresses WHERE account_id = ?", {account.value()}));
    VECHE_TRY(
        tx.exec("INSERT INTO contact_addresses (account_id, sealed_address, address_key, "
                "updated_at) VALUES (?, ?, ?, ?)",
                {account.value(), sealed_blob, key, now}));
    return ok();
  });
}

Status PersonalData::clear_contact_address(AccountId account) {
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM contact_addresses WHERE account_id = ?", {account.value()}));
    return ok();
  });
}

Result<std::optional<std::string>> PersonalData::contact_address(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT sealed_address FROM contact_addresses WHERE account_id = ?",
                           {account.value()}));
  if (rows.empty()) return std::optional<std::string>();
  const auto& b = rows[0].blob(0);
  VECHE_ASSIGN_OR_RETURN(
      auto plain,
      crypto::decrypt_at_rest(key_, kSealPurpose, associated(account.value()),
                              {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()}));
  const auto v = plain.expose();
  return std::optional<std::string>(std::string(reinterpret_cast<const char*>(v.data()), v.size()));
}

Result<std::optional<AccountId>> PersonalData::find_by_contact_address(
    std::string_view address) const {
  if (!check_contact_address(address)) return std::optional<AccountId>();
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx->query("SELECT account_id FROM contact_addresses WHERE address_key = ?",
                                   {lookup_key(key_, address)}));
  if (rows.empty()) return std::optional<AccountId>();
  return std::optional<AccountId>(AccountId(rows[0].int64(0)));
}

Result<PersonalDataExport> PersonalData::export_data(AccountId account) const {
  PersonalDataExport out;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(
        auto acc, tx->query_one("SELECT handle, display_name, created_at FROM accounts WHERE "
                                "id = ?",
                                {account.value()}, "account"));
    out.handle = acc.text(0);
    out.display_name = acc.text(1);
    out.created_at = core::from_unix(acc.int64(2));
    VECHE_ASSIGN_OR_RETURN(
        auto roles, tx->query("SELECT r.role, o.slug FROM account_roles r LEFT JOIN "
                              "organizations o ON o.id = r.organization_id WHERE r.account_id = ? "
                              "ORDER BY r.id",
                              {account.value()}));
    for (const auto& r : roles) {
      VECHE_ASSIGN_OR_RETURN(auto role, parse_role(r.text(0)));
      out.roles.push_back(RoleGrant{role, r.opt_text(1).value_or("")});
    }
    VECHE_ASSIGN_OR_RETURN(auto sigs,
                           tx->query("SELECT version FROM charter_individual_signatures WHERE "
                                     "account_id = ? ORDER BY version",
                                     {account.value()}));
    for (const auto& r : sigs) out.charter_signatures.push_back(static_cast<int>(r.int64(0)));
    VECHE_ASSIGN_OR_RETURN(
        auto sessions,
        tx->query_one("SELECT COUNT(*) FROM sessions WHERE account_id = ? AND expires_at > ?",
                      {account.value(), core::to_unix(clock_.now())}, "sessions"));
    out.sessions = sessions.int64(0);
    VECHE_ASSIGN_OR_RETURN(auto tokens,
                           tx->query_one("SELECT COUNT(*) FROM access_tokens WHERE account_id = ?",
                                         {account.value()}, "tokens"));
    out.access_tokens = tokens.int64(0);
    VECHE_ASSIGN_OR_RETURN(
        auto totp, tx->query("SELECT 1 FROM totp_secrets WHERE account_id = ?", {account.value()}));
    out.totp = !totp.empty();
  }
  VECHE_ASSIGN_OR_RETURN(out.contact_address, contact_address(account));
  return out;
}

Status PersonalData::erase(AccountId account, std::string_view passphrase) {
  std::string stored_hash;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto row,
                           tx->query_one("SELECT passphrase_hash FROM accounts WHERE id = ?",
                                         {account.value()}, "account"));
    stored_hash = row.text(0);
  }
  if (!crypto::verify_passphrase(stored_hash, passphrase)) {
    return unauthenticated("The passphrase is wrong.");
  }
  // Every table is named, not left to ON DELETE CASCADE alone, so that the erase does not
  // depend on a foreign key pragma and reads as the list the privacy notice promises.
  static constexpr std::string_view kOwned[] = {
      "DELETE FROM charter_individual_signatures WHERE account_id = ?",
      "DELETE FROM contact_addresses WHERE account_id = ?",
      "DELETE FROM access_tokens WHERE account_id = ?",
      "DELETE FROM recovery_codes WHERE account_id = ?",
      "DELETE FROM totp_secrets WHERE account_id = ?",
      "DELETE FROM login_challenges WHERE account_id = ?",
      "DELETE FROM sessions WHERE account_id = ?",
      "DELETE FROM account_roles WHERE account_id = ?",
  };
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    // SQLite would otherwise leave the deleted rows' bytes in free pages until a VACUUM;
    // secure_delete overwrites them with zeros (a setting of the connection, allowed here).
    if (tx.backend() == store::Backend::kSqlite) VECHE_TRY(tx.query("PRAGMA secure_delete = ON"));
    for (const auto sql : kOwned) VECHE_TRY(tx.exec(sql, {account.value()}));
    VECHE_ASSIGN_OR_RETURN(auto removed,
                           tx.exec("DELETE FROM accounts WHERE id = ?", {account.value()}));
    if (removed == 0) return not_found("There is no such account.");
    return ok();
  });
}

Result<std::int64_t> reseal_contact_addresses(store::Database& db,
                                              const crypto::SecretBytes& old_key,
                                              const crypto::SecretBytes& new_key) {
  std::int64_t count = 0;
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    count = 0;
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx.query("SELECT account_id, sealed_address FROM contact_addresses"));
    for (const auto& r : rows) {
      const auto account = r.int64(0);
      const auto& b = r.blob(1);
      VECHE_ASSIGN_OR_RETURN(
          auto plain,
          crypto::decrypt_at_rest(old_key, kSealPurpose, associated(account),
                                  {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()}));
      const auto v = plain.expose();
      const std::string_view address(reinterpret_cast<const char*>(v.data()), v.size());
      const auto sealed = crypto::encrypt_at_rest(new_key, kSealPurpose, associated(account), v);
      VECHE_TRY(tx.exec(
          "UPDATE contact_addresses SET sealed_address = ?, address_key = ? WHERE account_id = ?",
          {blob_of(sealed.data(), sealed.size()), lookup_key(new_key, address), account}));
      ++count;
    }
    return ok();
  }));
  return count;
}

Result<AuditPage> audit_page(store::Database& db, bool public_only,
                             std::optional<std::int64_t> before, int limit) {
  if (limit < 1 || limit > 500) return invalid_argument("An audit page holds 1 to 500 entries.");
  if (before && *before < 1) return invalid_argument("'before' must be a positive entry number.");
  const std::int64_t below = before.value_or(INT64_MAX);
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  // One more row than asked for tells whether an older page exists.
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query(public_only
                    ? "SELECT seq, at, actor, action, subject, public, prev_hash, hash FROM "
                      "audit_log WHERE public = 1 AND seq < ? ORDER BY seq DESC LIMIT ?"
                    : "SELECT seq, at, actor, action, subject, public, prev_hash, hash FROM "
                      "audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?",
                {below, std::int64_t{limit} + 1}));
  AuditPage page;
  for (const auto& r : rows) {
    if (page.entries.size() == static_cast<std::size_t>(limit)) {
      page.next_before = page.entries.back().seq;
      break;
    }
    page.entries.push_back(AuditEntry{r.int64(0), core::from_unix(r.int64(1)), r.text(2), r.text(3),
                                      r.text(4), r.int64(5) == 1, r.text(6), r.text(7)});
  }
  return page;
}

}  // namespace veche::registry
