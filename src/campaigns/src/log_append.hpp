// Appending to the campaigns log from the service (private to src/campaigns).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::campaigns::detail {

// Appends one entry in the caller's write transaction, chained to the last one; returns its
// sequence number.
Result<std::int64_t> append_log(store::Transaction& tx, core::TimePoint now, std::string_view kind,
                                std::string_view subject, const boost::json::object& body);

}  // namespace veche::campaigns::detail
