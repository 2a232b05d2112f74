#include "veche/registry/key_rotation.hpp"

#include <fmt/format.h>

#include "audit_append.hpp"
#include "veche/registry/factors.hpp"
#include "veche/registry/personal_data.hpp"

namespace veche::registry {

Result<KeyRotation> rotate_data_key(store::Database& db, const core::Clock& clock,
                                    const crypto::SecretBytes& old_key,
                                    const crypto::SecretBytes& new_key, std::string_view actor) {
  KeyRotation r;
  VECHE_ASSIGN_OR_RETURN(r.totp_secrets, reseal_totp_secrets(db, old_key, new_key));
  auto contacts = reseal_contact_addresses(db, old_key, new_key);
  if (!contacts) {
    // Put the TOTP secrets back under the old key: the database stays on one key.
    (void)reseal_totp_secrets(db, new_key, old_key);
    return contacts.error();
  }
  r.contact_addresses = *contacts;
  VECHE_TRY(store::with_write(
      db,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(r.sessions_ended, tx.exec("DELETE FROM sessions"));
        VECHE_TRY(tx.exec("DELETE FROM login_challenges"));
        VECHE_ASSIGN_OR_RETURN(r.tokens_deleted, tx.exec("DELETE FROM access_tokens"));
        VECHE_ASSIGN_OR_RETURN(
            r.codes_revoked,
            tx.exec("UPDATE invitation_codes SET state = 'revoked' WHERE state = 'unused'"));
        return append_audit_entry(
            tx, clock.now(), actor, "data-key.rotate",
            fmt::format("{} TOTP secrets and {} contact addresses resealed; {} sessions ended, {} "
                        "access tokens deleted, {} unused codes revoked",
                        r.totp_secrets, r.contact_addresses, r.sessions_ended, r.tokens_deleted,
                        r.codes_revoked),
            false);
      },
      store::Durability::kFull));
  return r;
}

}  // namespace veche::registry
