#include "veche/registry/charter.hpp"

#include <fmt/format.h>

#include <map>

#include "audit_append.hpp"

namespace veche::registry {
namespace {

Status check_version(store::Transaction& tx, int version) {
  VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT 1 FROM charter_versions WHERE version = ?",
                                             {std::int64_t{version}}));
  if (rows.empty()) return not_found("There is no such charter version.");
  return ok();
}

struct Signer {
  std::string handle;
  std::int64_t organization = 0;
};

// The delegate's handle and the organization's id, after checking the delegate role in the
// same transaction as the write (a role revoked a moment ago no longer signs).
Result<Signer> delegate_of(store::Transaction& tx, AccountId delegate, std::string_view slug) {
  VECHE_ASSIGN_OR_RETURN(
      auto orgs, tx.query("SELECT id FROM organizations WHERE slug = ?", {std::string(slug)}));
  if (orgs.empty()) return not_found("There is no organization with that short name.");
  const auto& org = orgs[0];
  VECHE_ASSIGN_OR_RETURN(auto acc, tx.query_one("SELECT handle FROM accounts WHERE id = ?",
                                                {delegate.value()}, "account"));
  VECHE_ASSIGN_OR_RETURN(auto roles,
                         tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND "
                                  "role = 'delegate' AND organization_id = ?",
                                  {delegate.value(), org.int64(0)}));
  if (roles.empty()) {
    return permission_denied("Only a delegate of the organization may sign for it.");
  }
  return Signer{acc.text(0), org.int64(0)};
}

}  // namespace

Status Charter::sign_for_organization(AccountId delegate, int version, std::string_view org_slug) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(check_version(tx, version));
    VECHE_ASSIGN_OR_RETURN(auto signer, delegate_of(tx, delegate, org_slug));
    auto inserted = tx.exec(
        "INSERT INTO charter_org_signatures (version, organization_id, signed_at) VALUES (?, ?, ?)",
        {std::int64_t{version}, signer.organization, core::to_unix(now)});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return already_exists("The organization has already signed this charter version.");
      }
      return inserted.error();
    }
    return append_audit_entry(
        tx, now, signer.handle, "charter.sign",
        fmt::format("organization {} signed charter version {}", org_slug, version), true);
  });
}

Status Charter::withdraw_for_organization(AccountId delegate, int version,
                                          std::string_view org_slug) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(check_version(tx, version));
    VECHE_ASSIGN_OR_RETURN(auto signer, delegate_of(tx, delegate, org_slug));
    VECHE_ASSIGN_OR_RETURN(
        auto removed,
        tx.exec("DELETE FROM charter_org_signatures WHERE version = ? AND organization_id = ?",
                {std::int64_t{version}, signer.organization}));
    if (removed == 0) {
      return not_found("The organization has not signed this charter version.");
    }
    return append_audit_entry(tx, now, signer.handle, "charter.withdraw",
                              fmt::format("organization {} withdrew its signature of charter "
                                          "version {}",
                                          org_slug, version),
                              true);
  });
}

// An individual signature writes no audit entry. The entry could not name the person (that
// is the rule), and an anonymous entry would still carry a time and a place in the chain next
// to the person's other audited acts (joining, a role change, a token), which is enough to
// link them. The count is public on the charter page and the rows are the record.
Status Charter::sign_individually(AccountId account, int version) {
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(check_version(tx, version));
    VECHE_ASSIGN_OR_RETURN(auto acc,
                           tx.query("SELECT 1 FROM accounts WHERE id = ?", {account.value()}));
    if (acc.empty()) return not_found("account");
    auto inserted =
        tx.exec("INSERT INTO charter_individual_signatures (version, account_id) VALUES (?, ?)",
                {std::int64_t{version}, account.value()});
    if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
      return already_exists("You have already signed this charter version.");
    }
    return inserted ? ok() : Status(inserted.error());
  });
}

Status Charter::withdraw_individually(AccountId account, int version) {
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(check_version(tx, version));
    VECHE_ASSIGN_OR_RETURN(
        auto removed,
        tx.exec("DELETE FROM charter_individual_signatures WHERE version = ? AND account_id = ?",
                {std::int64_t{version}, account.value()}));
    if (removed == 0) {
      return not_found("You have not signed this charter version.");
    }
    return ok();
  });
}

Result<std::vector<CharterSignatures>> Charter::versions() const {
  Registry registry(db_, clock_);
  VECHE_ASSIGN_OR_RETURN(auto history, registry.charter_history());
  VECHE_ASSIGN_OR_RETURN(auto orgs, registry.organizations());
  std::map<std::int64_t, const Organization*> by_id;
  for (const auto& o : orgs) by_id.emplace(o.id.value(), &o);

  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto org_rows,
                         tx->query("SELECT version, organization_id FROM charter_org_signatures"));
  VECHE_ASSIGN_OR_RETURN(auto counts,
                         tx->query("SELECT version, COUNT(*) FROM charter_individual_signatures "
                                   "GROUP BY version"));
  std::vector<CharterSignatures> out;
  out.reserve(history.size());
  std::map<std::int64_t, std::size_t> index;
  for (auto& v : history) {
    index.emplace(v.version, out.size());
    out.push_back(CharterSignatures{std::move(v), {}, 0});
  }
  for (const auto& r : org_rows) {
    const auto v = index.find(r.int64(0));
    const auto o = by_id.find(r.int64(1));
    if (v == index.end() || o == by_id.end()) continue;  // written after our snapshot
    out[v->second].organizations.push_back(*o->second);
  }
  for (const auto& r : counts) {
    const auto v = index.find(r.int64(0));
    if (v != index.end()) out[v->second].individuals = r.int64(1);
  }
  return out;
}

Result<std::vector<int>> Charter::signed_by(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT version FROM charter_individual_signatures "
                                              "WHERE account_id = ? ORDER BY version",
                                              {account.value()}));
  std::vector<int> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(static_cast<int>(r.int64(0)));
  return out;
}

}  // namespace veche::registry
