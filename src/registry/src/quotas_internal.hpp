// The invitation-code quota check inside issue_codes' transaction (private to src/registry).
#pragma once

#include <cstdint>

#include "veche/core/clock.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::registry::detail {

Result<CodeQuota> quota_for(store::Transaction& tx, std::int64_t org);
Result<std::int64_t> issued_since(store::Transaction& tx, std::int64_t org, core::TimePoint since);
// kResourceExhausted when `count` more codes would pass the organization's quota.
Status check_quota(store::Transaction& tx, std::int64_t org, std::int64_t count,
                   core::TimePoint now);

}  // namespace veche::registry::detail
