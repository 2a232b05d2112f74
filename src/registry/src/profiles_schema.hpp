// Registry migration 4: organizations' public profiles and the invitation-code quotas
// (private to src/registry; listed in schema.cpp).
#pragma once

#include <string_view>

namespace veche::registry::detail {

// Profile lists are stored one item per line. A quota row with organization_id 0 is the
// coalition's default; another row overrides it for one organization.
inline constexpr std::string_view kV4Sqlite = R"sql(
ALTER TABLE organizations ADD COLUMN other_names TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN focus_areas TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN regions TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN minorities TEXT NOT NULL DEFAULT '';
CREATE TABLE invitation_quotas (
  organization_id INTEGER PRIMARY KEY,
  codes INTEGER NOT NULL CHECK (codes >= 0),
  period_days INTEGER NOT NULL CHECK (period_days BETWEEN 1 AND 366)
);
CREATE INDEX invitation_codes_org_created ON invitation_codes (organization_id, created_at);
)sql";

inline constexpr std::string_view kV4Postgres = R"sql(
ALTER TABLE organizations ADD COLUMN other_names TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN focus_areas TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN regions TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN minorities TEXT NOT NULL DEFAULT '';
CREATE TABLE invitation_quotas (
  organization_id BIGINT PRIMARY KEY,
  codes BIGINT NOT NULL CHECK (codes >= 0),
  period_days BIGINT NOT NULL CHECK (period_days BETWEEN 1 AND 366)
);
CREATE INDEX invitation_codes_org_created ON invitation_codes (organization_id, created_at);
)sql";

}  // namespace veche::registry::detail
