// Appending to the audit log from other files of the registry (private to src/registry).
#pragma once

#include <string>
#include <string_view>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

// Appends one entry in the caller's write transaction, chained to the last one (accounts.cpp).
Status append_audit_entry(store::Transaction& tx, core::TimePoint now, std::string_view actor,
                          std::string_view action, std::string subject, bool is_public);

}  // namespace veche::registry
