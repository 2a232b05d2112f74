#include "veche/campaigns/log.hpp"

#include <fmt/format.h>

#include "log_append.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/hash.hpp"

namespace veche::campaigns {
namespace {

constexpr int kMaxPage = 500;
constexpr std::string_view kColumns = "seq, at, kind, subject, body, prev_hash, hash";

LogEntry entry_of(const store::Row& r) {
  LogEntry e;
  e.seq = r.int64(0);
  e.time = core::from_unix(r.int64(1));
  e.kind = r.text(2);
  e.subject = r.text(3);
  e.body = r.text(4);
  e.prev_hash = r.text(5);
  e.hash = r.text(6);
  return e;
}

}  // namespace

std::string log_entry_hash(const LogEntry& e) {
  auto h = crypto::h32("campaigns/log");
  h.add_u64(static_cast<std::uint64_t>(e.seq))
      .add_u64(static_cast<std::uint64_t>(core::to_unix(e.time)))
      .add(std::string_view(e.kind))
      .add(std::string_view(e.subject))
      .add(std::string_view(e.body))
      .add(std::string_view(e.prev_hash));
  return crypto::to_hex(h.digest32());
}

namespace detail {

Result<std::int64_t> append_log(store::Transaction& tx, core::TimePoint now, std::string_view kind,
                                std::string_view subject, const boost::json::object& body) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT seq, hash FROM campaigns_log ORDER BY seq DESC LIMIT 1"));
  LogEntry e;
  e.seq = rows.empty() ? 1 : rows[0].int64(0) + 1;
  e.prev_hash = rows.empty() ? std::string(64, '0') : rows[0].text(1);
  e.time = now;
  e.kind = std::string(kind);
  e.subject = std::string(subject);
  e.body = boost::json::serialize(body);
  e.hash = log_entry_hash(e);
  VECHE_TRY(
      tx.exec("INSERT INTO campaigns_log (seq, at, kind, subject, body, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {e.seq, core::to_unix(e.time), e.kind, e.subject, e.body, e.prev_hash, e.hash}));
  return e.seq;
}

}  // namespace detail

Result<std::vector<LogEntry>> log_entries(store::Database& db, std::int64_t after, int limit,
                                          std::string_view subject) {
  if (limit < 1 || limit > kMaxPage) {
    return invalid_argument(fmt::format("A page holds 1 to {} entries.", kMaxPage));
  }
  if (after < 0) return invalid_argument("'after' must not be negative.");
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  store::Rows rows;
  if (subject.empty()) {
    VECHE_ASSIGN_OR_RETURN(
        rows, tx->query(fmt::format("SELECT {} FROM campaigns_log WHERE seq > ? ORDER BY seq "
                                    "LIMIT ?",
                                    kColumns),
                        {after, std::int64_t{limit}}));
  } else {
    VECHE_ASSIGN_OR_RETURN(
        rows, tx->query(fmt::format("SELECT {} FROM campaigns_log WHERE subject = ? AND seq > ? "
                                    "ORDER BY seq LIMIT ?",
                                    kColumns),
                        {std::string(subject), after, std::int64_t{limit}}));
  }
  std::vector<LogEntry> out;
  for (const auto& r : rows) out.push_back(entry_of(r));
  return out;
}

Result<LogReport> verify_log(store::Database& db) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query(fmt::format("SELECT {} FROM campaigns_log ORDER BY seq", kColumns)));
  LogReport report;
  std::string prev(64, '0');
  std::int64_t expected = 1;
  for (const auto& r : rows) {
    const LogEntry e = entry_of(r);
    ++report.entries;
    if (report.first_broken) continue;
    if (e.seq != expected) {
      report.first_broken = e.seq;
      report.problem = fmt::format("entry {} follows entry {}", e.seq, expected - 1);
    } else if (e.prev_hash != prev) {
      report.first_broken = e.seq;
      report.problem = "its previous hash is not the hash of the entry before it";
    } else if (log_entry_hash(e) != e.hash) {
      report.first_broken = e.seq;
      report.problem = "its hash does not match its content";
    }
    prev = e.hash;
    ++expected;
  }
  return report;
}

}  // namespace veche::campaigns
