// The notification outbox: events that a mailer or webhook sender delivers later.
//
// A module that wants people told about something (an issue admitted, a round opened, a motion
// decided) calls enqueue() inside the same write transaction that makes the change, so the
// notice is committed with the change or not at all: nothing is lost when delivery is down.
// A delivery script reads pending() (oldest first), sends, then calls mark_delivered(); an
// entry it could not send stays pending and is offered again. Delivery is at least once: a
// script that crashes between sending and mark_delivered() sends that entry again.
// Table `outbox` (agenda migration 1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::agenda {

// Bounds on what enqueue() accepts.
inline constexpr std::size_t kMaxTopicBytes = 100;
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;
inline constexpr int kMaxPendingLimit = 1000;

struct OutboxEntry {
  std::int64_t id = 0;
  core::TimePoint created_at;
  std::string topic;    // e.g. "agenda.issue.admitted"
  std::string payload;  // a JSON object
  std::optional<core::TimePoint> delivered_at;
};

// The agenda module's migrations (the outbox and the agenda tables), in order. They refer to
// the registry's tables: apply registry::migrations() first.
std::span<const store::Migration> migrations();

// Checks a topic: 1..kMaxTopicBytes of [a-z0-9._-], starting with a letter.
Status check_topic(std::string_view topic);

// Adds an entry in the caller's write transaction `tx` (committed or rolled back with it).
// `json_payload` must parse as a JSON object of at most kMaxPayloadBytes.
// Errors: kInvalidArgument for a bad topic or payload; the transaction's errors.
Status enqueue(store::Transaction& tx, std::string_view topic, std::string_view json_payload,
               core::TimePoint now);

// Up to `limit` (1..kMaxPendingLimit) undelivered entries, oldest first.
// Errors: kInvalidArgument for a limit out of range; the database's errors.
Result<std::vector<OutboxEntry>> pending(store::Database& db, int limit);

// Up to `limit` (1..kMaxPendingLimit) entries, delivered or not, newest first.
Result<std::vector<OutboxEntry>> recent(store::Database& db, int limit);

// Marks entry `id` delivered at `now`. Marking an entry delivered twice is not an error (the
// first time is kept), so a retried acknowledgement is harmless.
// Errors: kNotFound for an unknown id; the database's errors.
Status mark_delivered(store::Database& db, std::int64_t id, core::TimePoint now);

}  // namespace veche::agenda
