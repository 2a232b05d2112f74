// Notifications go to the agenda module's outbox, in the caller's transaction, so a notice is
// committed with the change it announces or not at all.
#include "log_append.hpp"
#include "veche/agenda/outbox.hpp"

namespace veche::decisions::detail {

Status notify(store::Transaction& tx, std::string_view topic, std::string_view json_payload,
              core::TimePoint now) {
  return agenda::enqueue(tx, topic, json_payload, now);
}

}  // namespace veche::decisions::detail
