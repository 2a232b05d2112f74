// Charter signatures: member organizations sign a charter version through one of their
// delegates; constituents sign as individuals.
//
// Privacy rules (DESIGN.md, "Data, privacy and trust rules"):
// - Which organizations signed a version is public, and each organization signature is
//   appended to the public audit log naming the organization and the delegate who signed.
// - Who signed as an individual is never public: readers get the NUMBER of individual
//   signatures only. An individual signature row holds the account and the version, no time,
//   and nothing is written to the audit log for it (see charter.cpp for why).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

struct CharterSignatures {
  CharterVersion charter;
  // The organizations that signed, in no meaningful order: readers sort them neutrally.
  std::vector<Organization> organizations;
  std::int64_t individuals = 0;  // how many constituents signed; never who
};

class Charter {
 public:
  // `db` and `clock` must outlive the service. Thread-safe.
  Charter(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Signs `version` for the organization `org_slug` by `delegate`, who must hold the delegate
  // role of that organization (checked here as well as by the caller). kNotFound for an
  // unknown version, organization or account; kPermissionDenied when the account is not a
  // delegate of the organization; kAlreadyExists when the organization signed this version.
  Status sign_for_organization(AccountId delegate, int version, std::string_view org_slug);
  // Withdraws the organization's signature (a delegate of it only). kNotFound when it had not
  // signed; kPermissionDenied as above.
  Status withdraw_for_organization(AccountId delegate, int version, std::string_view org_slug);

  // Signs `version` as an individual, once. kNotFound for an unknown version or account;
  // kAlreadyExists when the account has signed this version.
  Status sign_individually(AccountId account, int version);
  // Withdraws an individual signature. kNotFound when there is none.
  Status withdraw_individually(AccountId account, int version);

  // Every version, oldest first, each with its signatures.
  Result<std::vector<CharterSignatures>> versions() const;
  // The versions `account` signed as an individual, ascending (shown to its owner only).
  Result<std::vector<int>> signed_by(AccountId account) const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

// Adds fictional signatures to the demo coalition (demo.cpp calls it after load_demo's
// organizations, accounts and charter exist): organizations sign version 1 and a few demo
// constituents sign it as individuals. Missing demo organizations or accounts are skipped.
Status load_demo_signatures(store::Database& db, const core::Clock& clock);

}  // namespace veche::registry
