// Registry migration 5: charter signatures and contact addresses. Included by schema.cpp only.
//
// - charter_org_signatures: which organization signed which charter version (public).
// - charter_individual_signatures: which account signed which version, with no time (nothing
//   to correlate with other records); the rows go when the account is erased.
// - contact_addresses: a constituent's optional contact address, sealed with a key derived
//   from the data key (XChaCha20-Poly1305, crypto/at_rest.hpp), and a BLAKE2b hash keyed with
//   the data key of its normalized form so an account can be found by address. The address
//   itself is never stored in plain text.
#pragma once

#include <string_view>

namespace veche::registry::charter_detail {

inline constexpr std::string_view kV5Sqlite = R"sql(
CREATE TABLE charter_org_signatures (
  version INTEGER NOT NULL REFERENCES charter_versions(version),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  signed_at INTEGER NOT NULL,
  PRIMARY KEY (version, organization_id)
);
CREATE TABLE charter_individual_signatures (
  version INTEGER NOT NULL REFERENCES charter_versions(version),
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  PRIMARY KEY (version, account_id)
);
CREATE INDEX charter_individual_signatures_account ON charter_individual_signatures (account_id);
CREATE TABLE contact_addresses (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  sealed_address BLOB NOT NULL,
  address_key BLOB NOT NULL UNIQUE,
  updated_at INTEGER NOT NULL
);
)sql";

inline constexpr std::string_view kV5Postgres = R"sql(
CREATE TABLE charter_org_signatures (
  version BIGINT NOT NULL REFERENCES charter_versions(version),
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  signed_at BIGINT NOT NULL,
  PRIMARY KEY (version, organization_id)
);
CREATE TABLE charter_individual_signatures (
  version BIGINT NOT NULL REFERENCES charter_versions(version),
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  PRIMARY KEY (version, account_id)
);
CREATE INDEX charter_individual_signatures_account ON charter_individual_signatures (account_id);
CREATE TABLE contact_addresses (
  account_id BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  sealed_address BYTEA NOT NULL,
  address_key BYTEA NOT NULL UNIQUE,
  updated_at BIGINT NOT NULL
);
)sql";

}  // namespace veche::registry::charter_detail
