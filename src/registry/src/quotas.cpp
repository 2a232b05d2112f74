// Invitation-code quotas per organization and period, and the holders of organization roles.
#include <fmt/format.h>

#include "audit_append.hpp"
#include "quotas_internal.hpp"
#include "veche/registry/accounts.hpp"

namespace veche::registry {
namespace {

constexpr std::int64_t kMaxQuotaCodes = 100000;

Result<std::int64_t> org_id(store::Transaction& tx, std::string_view slug) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT id FROM organizations WHERE slug = ?", {std::string(slug)},
                             fmt::format("organization '{}'", slug)));
  return row.int64(0);
}

}  // namespace

namespace detail {

Result<CodeQuota> quota_for(store::Transaction& tx, std::int64_t org) {
  VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT organization_id, codes, period_days FROM "
                                             "invitation_quotas WHERE organization_id IN (0, ?) "
                                             "ORDER BY organization_id DESC",
                                             {org}));
  CodeQuota q;
  if (!rows.empty()) {
    q.codes = rows[0].int64(1);
    q.period_days = static_cast<int>(rows[0].int64(2));
    q.organization_specific = rows[0].int64(0) != 0;
  }
  return q;
}

Result<std::int64_t> issued_since(store::Transaction& tx, std::int64_t org, core::TimePoint since) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT COUNT(*) FROM invitation_codes WHERE organization_id = ? AND "
                             "created_at > ? AND state <> 'revoked'",
                             {org, core::to_unix(since)}, "codes"));
  return row.int64(0);
}

Status check_quota(store::Transaction& tx, std::int64_t org, std::int64_t count,
                   core::TimePoint now) {
  VECHE_ASSIGN_OR_RETURN(CodeQuota q, quota_for(tx, org));
  VECHE_ASSIGN_OR_RETURN(auto issued,
                         issued_since(tx, org, now - std::chrono::days(q.period_days)));
  if (issued + count > q.codes) {
    return resource_exhausted(fmt::format(
        "the coalition allows this organization {} invitation codes per {} days; {} were issued "
        "in that time, so {} can still be issued",
        q.codes, q.period_days, issued, std::max<std::int64_t>(0, q.codes - issued)));
  }
  return ok();
}

}  // namespace detail

Result<CodeQuota> Accounts::code_quota(std::string_view org_slug) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto org, org_id(*tx, org_slug));
  return detail::quota_for(*tx, org);
}

Result<std::int64_t> Accounts::codes_issued_in_period(std::string_view org_slug) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto org, org_id(*tx, org_slug));
  VECHE_ASSIGN_OR_RETURN(CodeQuota q, detail::quota_for(*tx, org));
  return detail::issued_since(*tx, org, clock_.now() - std::chrono::days(q.period_days));
}

Status Accounts::set_code_quota(std::string_view actor, std::string_view org_slug,
                                std::int64_t codes, int period_days) {
  if (actor != "operator") VECHE_TRY(check_handle(actor));
  if (codes < 0 || codes > kMaxQuotaCodes) {
    return invalid_argument(fmt::format("a quota is 0 to {} codes", kMaxQuotaCodes));
  }
  if (period_days < 1 || period_days > 366) {
    return invalid_argument("a quota period is 1 to 366 days");
  }
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    std::int64_t org = 0;
    if (!org_slug.empty()) {
      VECHE_ASSIGN_OR_RETURN(org, org_id(tx, org_slug));
    }
    VECHE_TRY(
        tx.exec("INSERT INTO invitation_quotas (organization_id, codes, period_days) VALUES "
                "(?, ?, ?) ON CONFLICT (organization_id) DO UPDATE SET codes = "
                "excluded.codes, period_days = excluded.period_days",
                {org, codes, std::int64_t{period_days}}));
    return append_audit_entry(
        tx, clock_.now(), actor, "invitations.quota",
        fmt::format("{}: {} codes per {} days",
                    org_slug.empty() ? std::string("default") : std::string(org_slug), codes,
                    period_days),
        true);
  });
}

Result<std::vector<RoleHolder>> Accounts::organization_roles(std::string_view org_slug) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto org, org_id(*tx, org_slug));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT a.handle, a.display_name, r.role FROM account_roles r JOIN "
                           "accounts a ON a.id = r.account_id WHERE r.organization_id = ? "
                           "ORDER BY r.role, a.handle_key",
                           {org}));
  std::vector<RoleHolder> out;
  for (const auto& row : rows) {
    auto role = parse_role(row.text(2));
    if (!role) continue;  // a role this version does not know: not shown
    out.push_back({row.text(0), row.text(1), *role});
  }
  return out;
}

}  // namespace veche::registry
