// Appending to the decisions log and to the notification outbox from the services of this
// module (private to src/decisions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::decisions::detail {

// Appends one entry in the caller's write transaction, chained to the last one; returns its
// sequence number. `body` is a JSON object.
Result<std::int64_t> append_log(store::Transaction& tx, core::TimePoint now, std::string_view kind,
                                std::string_view subject, std::string body);

// Queues a notification (topic "decisions.<event>") in the caller's write transaction.
Status notify(store::Transaction& tx, std::string_view topic, std::string_view json_payload,
              core::TimePoint now);

}  // namespace veche::decisions::detail
