// The demo coalition's organization profiles, delegates, registrars and invitation-code
// statistics, so that every page of a demo server has something to show. All fictional.
#include <fmt/format.h>

#include "audit_append.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/registry.hpp"

namespace veche::registry {
namespace {

struct DemoProfile {
  const char* slug;
  std::vector<OtherName> other_names;
  std::vector<std::string> focus_areas;
  std::vector<std::string> regions;
  std::vector<std::string> minorities;
  const char* delegate;
  const char* registrar;
};

const std::vector<DemoProfile>& demo_profiles() {
  static const std::vector<DemoProfile> profiles = {
      {"northern-forum",
       {{"be", "Паўночны форум"}},
       {"residence permits", "schools for children in exile"},
       {"Vilnius", "Riga", "Tallinn"},
       {},
       "demo-ilmen",
       "demo-ladoga"},
      {"volga-federalists",
       {{"tt", "Идел федералистлары"}},
       {"federalism", "regional self-government"},
       {"Tbilisi", "Yerevan"},
       {"Tatars", "Bashkirs", "Chuvash"},
       "demo-zhiguli",
       "demo-kama"},
      {"legal-aid-abroad",
       {},
       {"asylum cases", "extradition requests", "political prisoners"},
       {"Berlin", "Warsaw", "Prague"},
       {},
       "demo-pravda",
       "demo-sudebnik"},
      {"anti-war-women",
       {},
       {"anti-war", "women's rights"},
       {"Paris", "Istanbul"},
       {},
       "demo-vesna",
       "demo-zarya"},
  };
  return profiles;
}

std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "\n") + i;
  return out;
}

}  // namespace

Status load_demo_profiles(store::Database& db, const core::Clock& clock) {
  const auto now = clock.now();
  crypto::SystemRandom rng;
  return store::with_write(db, [&](store::Transaction& tx) -> Status {
    for (const auto& p : demo_profiles()) {
      VECHE_ASSIGN_OR_RETURN(
          auto org, tx.query("SELECT id FROM organizations WHERE slug = ?", {std::string(p.slug)}));
      if (org.empty()) continue;
      const std::int64_t org_id = org[0].int64(0);
      std::vector<std::string> other;
      for (const auto& n : p.other_names) other.push_back(n.lang + "=" + n.name);
      VECHE_TRY(tx.exec(
          "UPDATE organizations SET other_names = ?, focus_areas = ?, regions = ?, minorities = ? "
          "WHERE id = ?",
          {lines(other), lines(p.focus_areas), lines(p.regions), lines(p.minorities), org_id}));
      // Role holders nobody can log in as (their passphrase hash is not an Argon2id string).
      for (const auto& [handle, role] :
           {std::pair{p.delegate, "delegate"}, std::pair{p.registrar, "registrar"}}) {
        VECHE_ASSIGN_OR_RETURN(
            auto id, tx.insert("INSERT INTO accounts (handle, handle_key, passphrase_hash, "
                               "display_name, created_at) VALUES (?, ?, '!', '', ?) RETURNING id",
                               {std::string(handle), std::string(handle), core::to_unix(now)}));
        VECHE_TRY(
            tx.exec("INSERT INTO account_roles (account_id, role, organization_id, "
                    "granted_at) VALUES (?, ?, ?, ?)",
                    {id, std::string(role), org_id, core::to_unix(now)}));
        VECHE_TRY(append_audit_entry(tx, now, "operator", "role.grant",
                                     fmt::format("{} {} of {}", handle, role, p.slug), true));
      }
      // Invitation-code statistics: rows whose codes nobody holds (random hashes), in each
      // state, so the registrar's page shows counts.
      const char* states[] = {"used", "used", "used", "unused", "unused", "revoked"};
      for (int i = 0; i < 6; ++i) {
        store::Blob hash(32);
        rng.fill(std::span(hash));
        VECHE_TRY(
            tx.exec("INSERT INTO invitation_codes (code_hash, organization_id, batch, "
                    "created_at, expires_at, state) VALUES (?, ?, 1, ?, ?, ?)",
                    {hash, org_id, core::to_unix(now), core::to_unix(now + std::chrono::days(14)),
                     std::string(states[i])}));
      }
    }
    return ok();
  });
}

}  // namespace veche::registry
