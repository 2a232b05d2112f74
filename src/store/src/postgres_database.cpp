#include "postgres_database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "libpq_loader.hpp"
#include "params.hpp"
#include "veche/store/sql_text.hpp"

namespace veche::store {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; stable across versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { pq().PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool sqlstate_class(std::string_view state, std::string_view cls) {
  return state.substr(0, 2) == cls;
}

// Maps a failed result to an Error. Only the primary message is used: DETAIL lines can quote
// row values (personal data) and must not reach logs.
Error map_error(const PGresult* res, PGconn* conn, std::string_view sql) {
  if (res == nullptr || pq().PQstatus(conn) == CONNECTION_BAD) {
    return unavailable(
        fmt::format("postgres: connection lost: {}", trimmed(pq().PQerrorMessage(conn))));
  }
  const char* state_c = pq().PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const std::string_view state = state_c != nullptr ? state_c : "";
  const char* primary = pq().PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string message =
      fmt::format("postgres: {} (SQLSTATE {})",
                  primary != nullptr ? primary : trimmed(pq().PQresultErrorMessage(res)),
                  state.empty() ? "none" : state);
  if (state == "23505") return already_exists(std::move(message));
  if (sqlstate_class(state, "23") || sqlstate_class(state, "22")) {
    return invalid_argument(std::move(message));
  }
  if (state == "40001" || state == "40P01" || state == "55P03") return conflict(std::move(message));
  if (sqlstate_class(state, "08") || sqlstate_class(state, "57") || sqlstate_class(state, "53")) {
    return unavailable(std::move(message));
  }
  if (sqlstate_class(state, "54")) return too_large(std::move(message));
  if (sqlstate_class(state, "42")) message += fmt::format(" in: {}", sql);
  return internal_error(std::move(message));
}

Result<Value> decode(const PGresult* res, int row, int col) {
  if (pq().PQgetisnull(res, row, col)) return Value{nullptr};
  const char* p = pq().PQgetvalue(res, row, col);
  const auto n = static_cast<std::size_t>(pq().PQgetlength(res, row, col));
  const std::string_view text(p, n);
  const Oid type = pq().PQftype(res, col);
  auto bad = [&](const char* what) {
    return internal_error(fmt::format("postgres: cannot read column {} as {}", col, what));
  };
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(p, p + n, v);
      if (ec != std::errc{} || end != p + n) return bad("an integer");
      return Value{v};
    }
    case kBoolOid:
      return Value{std::int64_t{text == "t" ? 1 : 0}};
    case kNumericOid: {
      // Integral numerics (SUM of BIGINT, COUNT in some drivers) read as INTEGER when they fit.
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(p, p + n, v);
      if (ec == std::errc{} && end == p + n) return Value{v};
      [[fallthrough]];
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      auto [end, ec] = std::from_chars(p, p + n, d);
      if (ec != std::errc{} || end != p + n) return bad("a number");
      return Value{d};
    }
    case kByteaOid: {
      std::size_t length = 0;
      unsigned char* raw = pq().PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &length);
      if (raw == nullptr) return bad("bytea");
      const auto* b = reinterpret_cast<const std::byte*>(raw);
      Blob blob(b, b + length);
      pq().PQfreemem(raw);
      return Value{std::move(blob)};
    }
    default:
      return Value{std::string(text)};
  }
}

// The parameters of one statement in the shape PQexecParams takes.
struct Params {
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  std::vector<std::string> text;  // storage for numbers rendered as text
};

Result<Params> encode(std::span<const Value> params) {
  static const char kEmpty = 0;
  Params out;
  const std::size_t n = params.size();
  out.types.resize(n, 0);
  out.values.resize(n, nullptr);
  out.lengths.resize(n, 0);
  out.formats.resize(n, 0);
  out.text.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (const auto* x = std::get_if<std::int64_t>(&v)) {
      out.types[i] = kInt8Oid;
      out.text[i] = std::to_string(*x);
      out.values[i] = out.text[i].c_str();
    } else if (const auto* d = std::get_if<double>(&v)) {
      VECHE_TRY(check_param(v, i + 1));
      out.types[i] = kFloat8Oid;
      if (std::isinf(*d)) {
        out.text[i] = *d > 0 ? "Infinity" : "-Infinity";
      } else {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
        out.text[i].assign(buf, end);
      }
      out.values[i] = out.text[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      VECHE_TRY(check_param(v, i + 1));
      out.values[i] = s->c_str();  // type 0: the server infers it from the statement
    } else if (const auto* b = std::get_if<Blob>(&v)) {
      if (b->size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return too_large(fmt::format("store: blob parameter {} is too large", i + 1));
      }
      out.types[i] = kByteaOid;
      out.formats[i] = 1;  // binary: the bytes as they are
      out.lengths[i] = static_cast<int>(b->size());
      // A null pointer would mean NULL; an empty blob needs a valid one.
      out.values[i] = b->empty() ? &kEmpty : reinterpret_cast<const char*>(b->data());
    }
  }
  return out;
}

class PostgresDatabase;

class PostgresTransaction final : public Transaction {
 public:
  PostgresTransaction(PostgresDatabase& db, PGconn* conn) : db_(&db), conn_(conn) {}
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;
  ~PostgresTransaction() override { release(); }

  using Transaction::exec;
  using Transaction::query;

  Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
    VECHE_TRY(usable());
    VECHE_ASSIGN_OR_RETURN(PgResult res, run(sql, params));
    Rows rows;
    const int nrows = pq().PQntuples(res.get());
    const int ncols = pq().PQnfields(res.get());
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        Result<Value> v = decode(res.get(), r, c);
        if (!v) return fail(std::move(v).error());
        values.push_back(std::move(v).value());
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, std::span<const Value> params) override {
    VECHE_TRY(usable());
    VECHE_ASSIGN_OR_RETURN(PgResult res, run(sql, params));
    const std::string_view status = pq().PQcmdStatus(res.get());
    if (status.substr(0, 6) == "SELECT") return std::int64_t{0};
    const std::string_view count = pq().PQcmdTuples(res.get());
    std::int64_t n = 0;
    std::from_chars(count.data(), count.data() + count.size(), n);
    return n;
  }

  Status commit() override {
    VECHE_TRY(usable());
    PgResult res(pq().PQexec(conn_, "COMMIT"));
    if (res == nullptr || pq().PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return fail(map_error(res.get(), conn_, "COMMIT"));
    }
    release();
    return ok();
  }

  Backend backend() const override { return Backend::kPostgres; }

 private:
  Status usable() const {
    if (failed_) {
      return failed_precondition("store: the transaction failed earlier and was rolled back");
    }
    if (conn_ == nullptr) return failed_precondition("store: the transaction is already committed");
    return ok();
  }

  // Ends the transaction at its first error: rolls back and gives the connection (and with it
  // SQLite's write lock) back at once rather than when the caller drops the object.
  Error fail(Error e) {
    failed_ = true;
    release();
    return e;
  }

  Result<PgResult> run(std::string_view sql, std::span<const Value> params) {
    NumberedSql numbered = number_placeholders(sql);
    if (numbered.placeholders != params.size()) {
      return fail(
          internal_error(fmt::format("store: the statement has {} placeholders but {} parameters",
                                     numbered.placeholders, params.size())));
    }
    if (numbered.text.find('\0') != std::string::npos) {
      return fail(internal_error("store: SQL text contains a NUL byte"));
    }
    PgResult res;
    if (params.empty()) {
      // The simple protocol: allows several statements (migrations).
      res.reset(pq().PQexec(conn_, numbered.text.c_str()));
    } else {
      Result<Params> p = encode(params);
      if (!p) return fail(std::move(p).error());
      res.reset(pq().PQexecParams(conn_, numbered.text.c_str(), static_cast<int>(params.size()),
                                  p->types.data(), p->values.data(), p->lengths.data(),
                                  p->formats.data(), 0));
    }
    const ExecStatusType status = res ? pq().PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return fail(map_error(res.get(), conn_, sql));
    }
    return res;
  }

  void release();

  PostgresDatabase* db_;
  PGconn* conn_;
  bool failed_ = false;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, const OpenOptions& options, PGconn* first)
      : url_(std::move(url)),
        options_(options),
        limit_(std::max<std::size_t>(options.read_connections, 1) + 1),
        open_(1),
        idle_{first} {}

  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  ~PostgresDatabase() override {
    // Every transaction has ended (they must not outlive the database), so all are idle.
    for (PGconn* c : idle_) pq().PQfinish(c);
  }

  Backend backend() const override { return Backend::kPostgres; }

  Result<std::unique_ptr<Transaction>> begin(Access access, Durability durability) override {
    const char* begin_sql = access == Access::kWrite
                                ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    // An idle pooled connection may have been closed by the server (restart, idle timeout):
    // libpq notices only when it is used, so a lost connection is replaced and BEGIN retried,
    // at most once per connection the pool can hold.
    for (std::size_t attempt = 0;; ++attempt) {
      VECHE_ASSIGN_OR_RETURN(PGconn * conn, take());
      auto tx = std::make_unique<PostgresTransaction>(*this, conn);
      Status s = simple(conn, begin_sql);
      if (s && access == Access::kWrite && durability == Durability::kFull) {
        s = simple(conn, "SET LOCAL synchronous_commit = on");
      }
      if (s) return std::unique_ptr<Transaction>(std::move(tx));
      const bool lost = pq().PQstatus(conn) == CONNECTION_BAD;
      tx.reset();  // returns (or drops) the connection
      if (!lost || attempt >= limit_) return std::move(s).error();
    }
  }

  // Takes back a connection from a finished transaction; rolls back what is still open and
  // drops the connection when it is broken.
  void give_back(PGconn* conn) {
    bool healthy = pq().PQstatus(conn) == CONNECTION_OK;
    if (healthy) {
      const PGTransactionStatusType ts = pq().PQtransactionStatus(conn);
      if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
        healthy = simple(conn, "ROLLBACK").has_value();
      } else if (ts != PQTRANS_IDLE) {
        healthy = false;
      }
    }
    {
      std::lock_guard lock(mu_);
      if (healthy) {
        idle_.push_back(conn);
      } else {
        pq().PQfinish(conn);
        --open_;
      }
    }
    cv_.notify_one();
  }

  static Result<PGconn*> connect(const std::string& url, std::chrono::milliseconds timeout) {
    const std::string seconds =
        std::to_string(std::max<std::chrono::milliseconds::rep>(timeout.count() / 1000, 2));
    // Keywords before dbname are defaults the URL may override; those after it are forced.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                          nullptr};
    const char* values[] = {seconds.c_str(), "veche", url.c_str(), "UTF8", nullptr};
    PGconn* conn = pq().PQconnectdbParams(keys, values, 1);
    if (conn == nullptr) return resource_exhausted("postgres: out of memory");
    if (pq().PQstatus(conn) != CONNECTION_OK) {
      // libpq's message names the host and the cause, never the password.
      Error e = unavailable(
          fmt::format("postgres: cannot connect: {}", trimmed(pq().PQerrorMessage(conn))));
      pq().PQfinish(conn);
      return e;
    }
    pq().PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return conn;
  }

 private:
  static Status simple(PGconn* conn, const char* sql) {
    PgResult res(pq().PQexec(conn, sql));
    if (res == nullptr || pq().PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return map_error(res.get(), conn, sql);
    }
    return ok();
  }

  Result<PGconn*> take() {
    std::unique_lock lock(mu_);
    const bool ready =
        cv_.wait_for(lock, options_.busy_timeout, [&] { return !idle_.empty() || open_ < limit_; });
    if (!ready) {
      return unavailable(fmt::format("store: all {} PostgreSQL connections stayed busy", limit_));
    }
    if (!idle_.empty()) {
      PGconn* conn = idle_.back();
      idle_.pop_back();
      if (pq().PQstatus(conn) == CONNECTION_OK) return conn;
      pq().PQfinish(conn);  // the server dropped it while idle: replace it
      --open_;
    }
    ++open_;
    lock.unlock();
    Result<PGconn*> conn = connect(url_, options_.busy_timeout);
    if (!conn) {
      {
        std::lock_guard relock(mu_);
        --open_;
      }
      cv_.notify_one();
    }
    return conn;
  }

  const std::string url_;  // may hold a password: never logged, never in an error
  const OpenOptions options_;
  const std::size_t limit_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t open_;           // GUARDED_BY(mu_): connections open, idle or in use
  std::vector<PGconn*> idle_;  // GUARDED_BY(mu_)
};

void PostgresTransaction::release() {
  if (conn_ == nullptr) return;
  db_->give_back(conn_);
  conn_ = nullptr;
}

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(std::string_view url, const OpenOptions& options) {
  std::string u(url);
  if (u.find('\0') != std::string::npos) {
    return invalid_argument("store: the PostgreSQL URL contains a NUL byte");
  }
  VECHE_TRY(load_libpq());
  char* parse_error = nullptr;
  PQconninfoOption* parsed = pq().PQconninfoParse(u.c_str(), &parse_error);
  if (parsed == nullptr) {
    // libpq's message may quote parts of the URL; it is not repeated.
    if (parse_error != nullptr) pq().PQfreemem(parse_error);
    return invalid_argument("store: malformed PostgreSQL URL");
  }
  pq().PQconninfoFree(parsed);
  VECHE_ASSIGN_OR_RETURN(PGconn * first, PostgresDatabase::connect(u, options.busy_timeout));
  return std::unique_ptr<Database>(
      std::make_unique<PostgresDatabase>(std::move(u), options, first));
}

}  // namespace veche::store
