#include "veche/decisions/log.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "log_append.hpp"
#include "veche/core/text.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/hash.hpp"

namespace veche::decisions {
namespace {

constexpr int kMaxPage = 500;

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

constexpr std::string_view kColumns = "seq, at, kind, subject, body, prev_hash, hash";

}  // namespace

std::string log_entry_hash(const LogEntry& e) {
  auto h = crypto::h32("decisions/log");
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
                                std::string_view subject, std::string body) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT seq, hash FROM decisions_log ORDER BY seq DESC LIMIT 1"));
  LogEntry e;
  e.seq = rows.empty() ? 1 : rows[0].int64(0) + 1;
  e.prev_hash = rows.empty() ? std::string(64, '0') : rows[0].text(1);
  e.time = now;
  e.kind = std::string(kind);
  e.subject = std::string(subject);
  e.body = std::move(body);
  e.hash = log_entry_hash(e);
  VECHE_TRY(
      tx.exec("INSERT INTO decisions_log (seq, at, kind, subject, body, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              {e.seq, core::to_unix(e.time), e.kind, e.subject, e.body, e.prev_hash, e.hash}));
  return e.seq;
}

}  // namespace detail

Result<LogPage> log_entries(store::Database& db, std::int64_t after, int limit,
                            std::string_view subject) {
  if (limit < 1 || limit > kMaxPage) {
    return invalid_argument(fmt::format("A page holds 1 to {} entries.", kMaxPage));
  }
  if (after < 0) return invalid_argument("'after' must not be negative.");
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  LogPage page;
  store::Rows rows;
  if (subject.empty()) {
    VECHE_ASSIGN_OR_RETURN(
        rows, tx->query(fmt::format("SELECT {} FROM decisions_log WHERE seq > ? ORDER BY seq "
                                    "LIMIT ?",
                                    kColumns),
                        {after, std::int64_t{limit}}));
    VECHE_ASSIGN_OR_RETURN(
        auto total, tx->query_one("SELECT COUNT(*) FROM decisions_log", {}, "the size of the log"));
    page.total = total.int64(0);
  } else {
    VECHE_ASSIGN_OR_RETURN(
        rows, tx->query(fmt::format("SELECT {} FROM decisions_log WHERE subject = ? AND seq > ? "
                                    "ORDER BY seq LIMIT ?",
                                    kColumns),
                        {std::string(subject), after, std::int64_t{limit}}));
    VECHE_ASSIGN_OR_RETURN(auto total,
                           tx->query_one("SELECT COUNT(*) FROM decisions_log WHERE subject = ?",
                                         {std::string(subject)}, "the size of the log"));
    page.total = total.int64(0);
  }
  for (const auto& r : rows) page.entries.push_back(entry_of(r));
  return page;
}

Result<LogReport> verify_log(store::Database& db) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query(fmt::format("SELECT {} FROM decisions_log ORDER BY seq", kColumns)));
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

Result<std::int64_t> append_correction(store::Database& db, const core::Clock& clock,
                                       std::int64_t seq, std::string_view text,
                                       std::string_view actor) {
  const auto trimmed = core::trim(text);
  if (trimmed.empty()) return invalid_argument("A correction needs an explanation.");
  VECHE_TRY(core::check_text("explanation", trimmed, 2000, /*multiline=*/true));
  VECHE_TRY(core::check_text("actor", actor, 40));
  std::int64_t appended = 0;
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto target,
                           tx.query_one("SELECT subject FROM decisions_log WHERE seq = ?", {seq},
                                        fmt::format("log entry {}", seq)));
    boost::json::object body{{"corrects", seq},
                             {"corrects_subject", target.text(0)},
                             {"explanation", std::string(trimmed)},
                             {"by", std::string(actor)}};
    VECHE_ASSIGN_OR_RETURN(
        appended, detail::append_log(tx, clock.now(), "correction", fmt::format("log/{}", seq),
                                     boost::json::serialize(body)));
    return ok();
  }));
  return appended;
}

}  // namespace veche::decisions
