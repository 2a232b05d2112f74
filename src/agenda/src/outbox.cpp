#include "veche/agenda/outbox.hpp"

#include <boost/json.hpp>

namespace veche::agenda {

namespace {

OutboxEntry entry_from(const store::Row& row) {
  OutboxEntry e;
  e.id = row.int64(0);
  e.created_at = core::from_unix(row.int64(1));
  e.topic = row.text(2);
  e.payload = row.text(3);
  if (auto d = row.opt_int64(4)) e.delivered_at = core::from_unix(*d);
  return e;
}

Status check_limit(int limit) {
  if (limit < 1 || limit > kMaxPendingLimit) {
    return invalid_argument("limit must be between 1 and " + std::to_string(kMaxPendingLimit));
  }
  return ok();
}

Result<std::vector<OutboxEntry>> list(store::Database& db, std::string_view sql, int limit) {
  VECHE_TRY(check_limit(limit));
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query(sql, {std::int64_t{limit}}));
  std::vector<OutboxEntry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(entry_from(row));
  return out;
}

}  // namespace

Status check_topic(std::string_view topic) {
  if (topic.empty() || topic.size() > kMaxTopicBytes) {
    return invalid_argument("the topic must have 1 to " + std::to_string(kMaxTopicBytes) +
                            " characters");
  }
  if (topic[0] < 'a' || topic[0] > 'z') {
    return invalid_argument("the topic must start with a lowercase letter");
  }
  for (char c : topic) {
    bool good =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!good) return invalid_argument("the topic may hold only a-z, 0-9, '.', '_' and '-'");
  }
  return ok();
}

Status enqueue(store::Transaction& tx, std::string_view topic, std::string_view json_payload,
               core::TimePoint now) {
  VECHE_TRY(check_topic(topic));
  if (json_payload.size() > kMaxPayloadBytes) {
    return invalid_argument("the payload is larger than " + std::to_string(kMaxPayloadBytes) +
                            " bytes");
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(json_payload, ec);
  if (ec || !parsed.is_object()) return invalid_argument("the payload must be a JSON object");
  VECHE_TRY(tx.exec("INSERT INTO outbox (created_at, topic, payload) VALUES (?, ?, ?)",
                    {core::to_unix(now), std::string(topic), std::string(json_payload)}));
  return ok();
}

Result<std::vector<OutboxEntry>> pending(store::Database& db, int limit) {
  return list(db,
              "SELECT id, created_at, topic, payload, delivered_at FROM outbox "
              "WHERE delivered_at IS NULL ORDER BY id LIMIT ?",
              limit);
}

Result<std::vector<OutboxEntry>> recent(store::Database& db, int limit) {
  return list(db,
              "SELECT id, created_at, topic, payload, delivered_at FROM outbox "
              "ORDER BY id DESC LIMIT ?",
              limit);
}

Status mark_delivered(store::Database& db, std::int64_t id, core::TimePoint now) {
  return store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx.query("SELECT delivered_at FROM outbox WHERE id = ?", {id}));
    if (rows.empty()) return not_found("no outbox entry " + std::to_string(id));
    if (!rows[0].is_null(0)) return ok();
    VECHE_TRY(tx.exec("UPDATE outbox SET delivered_at = ? WHERE id = ?", {core::to_unix(now), id}));
    return ok();
  });
}

}  // namespace veche::agenda
