// Fictional charter signatures for `veche demo` (called from load_demo in demo.cpp).
#include <fmt/format.h>

#include "audit_append.hpp"
#include "veche/registry/charter.hpp"

namespace veche::registry {
namespace {

// Organizations of the demo coalition that signed the first charter version.
constexpr std::string_view kSigningOrganizations[] = {"northern-forum", "volga-federalists",
                                                      "legal-aid-abroad", "free-press-union",
                                                      "anti-war-women"};
constexpr int kDemoSigners = 12;

}  // namespace

Status load_demo_signatures(store::Database& db, const core::Clock& clock) {
  const auto now = core::to_unix(clock.now());
  return store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto first, tx.query("SELECT MIN(version) FROM charter_versions"));
    if (first.empty() || first[0].is_null(0)) return ok();
    const std::int64_t version = first[0].int64(0);
    for (const auto slug : kSigningOrganizations) {
      VECHE_ASSIGN_OR_RETURN(
          auto org, tx.query("SELECT id FROM organizations WHERE slug = ?", {std::string(slug)}));
      if (org.empty()) continue;
      VECHE_TRY(
          tx.exec("INSERT INTO charter_org_signatures (version, organization_id, signed_at) "
                  "VALUES (?, ?, ?)",
                  {version, org[0].int64(0), now}));
      // Audited like a real signature, so the demo's audit page has entries to show.
      VECHE_TRY(append_audit_entry(
          tx, clock.now(), "operator", "charter.sign",
          fmt::format("organization {} signed charter version {} (demo data)", slug, version),
          true));
    }
    // Fictional constituents who signed as individuals. Their passphrase hash is not a valid
    // Argon2id string, so nobody can log in as them.
    for (int i = 1; i <= kDemoSigners; ++i) {
      const auto handle = fmt::format("demo-signer-{:02}", i);
      VECHE_ASSIGN_OR_RETURN(
          auto id, tx.insert("INSERT INTO accounts (handle, handle_key, passphrase_hash, "
                             "display_name, created_at) VALUES (?, ?, '!', '', ?) RETURNING id",
                             {handle, handle, now}));
      VECHE_TRY(
          tx.exec("INSERT INTO account_roles (account_id, role, organization_id, "
                  "granted_at) VALUES (?, 'constituent', NULL, ?)",
                  {id, now}));
      VECHE_TRY(
          tx.exec("INSERT INTO charter_individual_signatures (version, account_id) VALUES (?, ?)",
                  {version, id}));
    }
    return ok();
  });
}

}  // namespace veche::registry
