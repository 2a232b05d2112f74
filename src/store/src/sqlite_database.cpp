#include "sqlite_database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "params.hpp"

namespace veche::store {
namespace {

// Prepared statements kept per connection; past this many the cache is emptied (the statements a
// running server uses are a few dozen, so this only bounds memory against unusual callers).
constexpr std::size_t kStatementCacheLimit = 256;

// The least a caller waits for a free read connection, whatever busy_timeout says.
constexpr std::chrono::milliseconds kMinPoolWait{1000};

Error map_error(int rc, sqlite3* db, std::string_view context) {
  const std::string message = fmt::format("sqlite: {}{}{}", context, context.empty() ? "" : ": ",
                                          db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return already_exists(message);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
      return invalid_argument(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return conflict(message);
    case SQLITE_TOOBIG:
      return too_large(message);
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return resource_exhausted(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return data_loss(message);
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_INTERRUPT:
      return unavailable(message);
    default:
      return internal_error(message);  // SQLITE_ERROR (bad SQL), SQLITE_READONLY, SQLITE_RANGE...
  }
}

bool only_separators(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ';' || c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
  });
}

// One sqlite3 connection and its statement cache. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    clear_cache();
    sqlite3_close_v2(db_);
  }

  sqlite3* handle() const { return db_; }

  // Runs SQL without parameters or results (BEGIN, COMMIT, PRAGMA ...).
  Status run(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return map_error(sqlite3_extended_errcode(db_), db_, sql);
    return ok();
  }

  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // Runs `sql`; appends the rows it returns to `rows` when given. Returns the number of rows
  // the statement(s) changed.
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params, Rows* rows) {
    if (auto it = cache_.find(sql); it != cache_.end()) return step(it->second, params, rows);

    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    VECHE_TRY(prepare(sql, &stmt, &tail));
    const std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
    if (stmt == nullptr) {  // only whitespace or comments
      if (!params.empty()) return placeholder_mismatch(0, params.size());
      return std::int64_t{0};
    }
    if (only_separators(rest)) {
      if (cache_.size() >= kStatementCacheLimit) clear_cache();
      cache_.emplace(std::string(sql), stmt);
      return step(stmt, params, rows);
    }
    // Several statements: allowed only without parameters and results (migrations).
    if (!params.empty() || rows != nullptr) {
      sqlite3_finalize(stmt);
      return internal_error(fmt::format(
          "store: several statements in one call need exec() without parameters: {}", sql));
    }
    std::int64_t changed = 0;
    std::string_view remaining = sql;
    while (stmt != nullptr) {
      Result<std::int64_t> n = step(stmt, params, nullptr);
      sqlite3_finalize(stmt);
      if (!n) return n;
      changed += *n;
      remaining = remaining.substr(static_cast<std::size_t>(tail - remaining.data()));
      stmt = nullptr;
      if (only_separators(remaining)) break;
      VECHE_TRY(prepare(remaining, &stmt, &tail));
    }
    return changed;
  }

 private:
  Status prepare(std::string_view sql, sqlite3_stmt** stmt, const char** tail) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return too_large("store: SQL text too long");
    }
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, stmt, tail);
    if (rc != SQLITE_OK) {
      *stmt = nullptr;
      Error e = map_error(sqlite3_extended_errcode(db_), db_, "cannot prepare");
      if ((rc & 0xff) == SQLITE_ERROR) e.message += fmt::format(" in: {}", sql);
      return e;
    }
    return ok();
  }

  static Error placeholder_mismatch(std::size_t placeholders, std::size_t params) {
    return internal_error(fmt::format("store: the statement has {} placeholders but {} parameters",
                                      placeholders, params));
  }

  Status bind(sqlite3_stmt* stmt, std::span<const Value> params) {
    const auto count = static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt));
    if (count != params.size()) return placeholder_mismatch(count, params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        VECHE_TRY(check_param(v, i + 1));
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        VECHE_TRY(check_param(v, i + 1));
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        const Blob& b = std::get<Blob>(v);
        // A null data pointer would bind NULL; an empty blob must stay an empty blob.
        rc = b.empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                       : sqlite3_bind_blob64(stmt, index, b.data(), b.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK)
        return map_error(rc, db_, fmt::format("cannot bind parameter {}", index));
    }
    return ok();
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return std::int64_t{sqlite3_column_int64(stmt, i)};
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const auto* p = sqlite3_column_text(stmt, i);
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
        return std::string(reinterpret_cast<const char*>(p), n);
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(stmt, i));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
        return n == 0 ? Blob{} : Blob(p, p + n);
      }
      default:
        return nullptr;
    }
  }

  // Binds, steps to the end and resets `stmt` (kept for reuse).
  Result<std::int64_t> step(sqlite3_stmt* stmt, std::span<const Value> params, Rows* rows) {
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    VECHE_TRY(bind(stmt, params));
    const sqlite3_int64 before = sqlite3_total_changes64(db_);
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return map_error(rc, db_, "");
      if (rows == nullptr) continue;
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column(stmt, i));
      rows->emplace_back(std::move(values));
    }
    // changes64() still holds the count of an earlier statement when this one changed nothing.
    return sqlite3_total_changes64(db_) != before ? std::int64_t{sqlite3_changes64(db_)}
                                                  : std::int64_t{0};
  }

  void clear_cache() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

Result<std::unique_ptr<Connection>> connect(const std::string& path, int flags,
                                            const OpenOptions& options) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = map_error(rc, raw, fmt::format("cannot open database {}", path));
    if (e.code == ErrorCode::kInternal) e.code = ErrorCode::kUnavailable;
    sqlite3_close_v2(raw);
    return e;
  }
  auto conn = std::make_unique<Connection>(raw);
  sqlite3_extended_result_codes(raw, 1);
  const auto timeout = std::min<std::chrono::milliseconds::rep>(options.busy_timeout.count(),
                                                                std::numeric_limits<int>::max());
  sqlite3_busy_timeout(raw, static_cast<int>(std::max<std::chrono::milliseconds::rep>(timeout, 0)));
  if (Status s = conn->run("PRAGMA foreign_keys=ON"); !s) {
    return Error{s.error().code, fmt::format("{} (database {})", s.error().message, path)};
  }
  return conn;
}

// Checkpoints off the commit path. SQLite's automatic checkpoint runs inside the commit that
// crosses its threshold, so that one writer (and every request waiting behind it) also pays for
// copying the log into the database and its fsync: hundreds of milliseconds on a slow disk.
// Here the writer's WAL hook only wakes this thread, which checkpoints on a connection of its
// own in PASSIVE mode (never blocking the writer or readers).
class Checkpointer {
 public:
  static constexpr int kPages = 1000;  // SQLite's default automatic threshold

  Checkpointer(std::string path, OpenOptions options)
      : path_(std::move(path)), options_(options), thread_([this] { run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // For sqlite3_wal_hook on the writer connection (replaces the automatic checkpoint).
  static int on_commit(void* self, sqlite3* /*db*/, const char* /*schema*/, int pages) {
    if (pages >= kPages) static_cast<Checkpointer*>(self)->request();
    return SQLITE_OK;
  }

 private:
  void request() {
    {
      std::lock_guard lock(mu_);
      wanted_ = true;
    }
    cv_.notify_one();
  }
  void run() {
    std::unique_ptr<Connection> conn;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || wanted_; });
      if (stop_) return;
      wanted_ = false;
      lock.unlock();
      if (!conn) {
        // A connection checkpoints only once it has opened the log: a first read does that.
        auto made = connect(path_, SQLITE_OPEN_READWRITE, options_);
        if (made && (*made)->run("SELECT count(*) FROM sqlite_master")) conn = std::move(*made);
      }
      if (conn) {
        (void)sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                        nullptr);
      }
      lock.lock();
    }
  }

  const std::string path_;
  const OpenOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;  // GUARDED_BY(mu_)
  bool stop_ = false;    // GUARDED_BY(mu_)
  std::thread thread_;
};

class SqliteDatabase;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteDatabase& db, Connection& conn, Access access, bool restore_sync)
      : db_(&db), conn_(&conn), access_(access), restore_sync_(restore_sync) {}
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction() override { release(); }

  using Transaction::exec;
  using Transaction::query;

  Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
    VECHE_TRY(usable());
    Rows rows;
    Result<std::int64_t> r = conn_->execute(sql, params, &rows);
    if (!r) return fail(std::move(r).error());
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, std::span<const Value> params) override {
    VECHE_TRY(usable());
    Result<std::int64_t> r = conn_->execute(sql, params, nullptr);
    if (!r) return fail(std::move(r).error());
    return r;
  }

  Status commit() override {
    VECHE_TRY(usable());
    Status s = conn_->run("COMMIT");
    if (!s) return fail(std::move(s).error());  // release() rolls back
    release();
    return ok();
  }

  Backend backend() const override { return Backend::kSqlite; }

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
  void release();

  SqliteDatabase* db_;
  Connection* conn_;
  Access access_;
  bool restore_sync_;
  bool failed_ = false;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const OpenOptions& options, std::unique_ptr<Connection> writer)
      : path_(std::move(path)),
        options_(options),
        memory_(path_ == ":memory:"),
        checkpointer_(memory_ ? nullptr : std::make_unique<Checkpointer>(path_, options_)),
        writer_(std::move(writer)) {
    if (checkpointer_) {
      sqlite3_wal_hook(writer_->handle(), &Checkpointer::on_commit, checkpointer_.get());
    }
  }

  Backend backend() const override { return Backend::kSqlite; }

  Result<std::unique_ptr<Transaction>> begin(Access access, Durability durability) override {
    if (access == Access::kWrite || memory_) return begin_on_writer(access, durability);
    return begin_read();
  }

  // Called by SqliteTransaction once it is committed or rolled back.
  void release(Connection& conn, Access access, bool restore_sync) {
    if (conn.in_transaction()) (void)conn.run("ROLLBACK");
    if (&conn == writer_.get()) {
      if (restore_sync) (void)conn.run("PRAGMA synchronous=NORMAL");
      if (memory_ && access == Access::kRead) (void)conn.run("PRAGMA query_only=0");
      {
        std::lock_guard lock(write_mu_);
        writer_busy_ = false;
        write_owner_ = std::thread::id{};
      }
      write_cv_.notify_one();
      return;
    }
    {
      std::lock_guard lock(pool_mu_);
      idle_.push_back(&conn);
    }
    pool_cv_.notify_one();
  }

 private:
  Result<std::unique_ptr<Transaction>> begin_on_writer(Access access, Durability durability) {
    {
      std::unique_lock lock(write_mu_);
      if (writer_busy_ && write_owner_ == std::this_thread::get_id()) {
        return failed_precondition(
            memory_ ? "store: this thread already holds a transaction on this in-memory database"
                    : "store: this thread already holds a write transaction on this database");
      }
      write_cv_.wait(lock, [&] { return !writer_busy_; });
      writer_busy_ = true;
      write_owner_ = std::this_thread::get_id();
    }
    const bool full = access == Access::kWrite && durability == Durability::kFull;
    Status s = ok();
    if (full) s = writer_->run("PRAGMA synchronous=FULL");
    if (s && memory_ && access == Access::kRead) s = writer_->run("PRAGMA query_only=1");
    if (s) s = writer_->run(access == Access::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    if (!s) {
      release(*writer_, access, full);
      return std::move(s).error();
    }
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(*this, *writer_, access, full));
  }

  Result<std::unique_ptr<Transaction>> begin_read() {
    VECHE_ASSIGN_OR_RETURN(Connection * conn, take_reader());
    if (Status s = conn->run("BEGIN"); !s) {
      release(*conn, Access::kRead, false);
      return std::move(s).error();
    }
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(*this, *conn, Access::kRead, false));
  }

  Result<Connection*> take_reader() {
    std::unique_lock lock(pool_mu_);
    const auto wait = std::max(options_.busy_timeout, kMinPoolWait);
    const std::size_t limit = std::max<std::size_t>(options_.read_connections, 1);
    const bool ready =
        pool_cv_.wait_for(lock, wait, [&] { return !idle_.empty() || readers_.size() < limit; });
    if (!ready) {
      return unavailable(fmt::format("store: all {} read connections stayed busy", limit));
    }
    if (!idle_.empty()) {
      Connection* conn = idle_.back();
      idle_.pop_back();
      return conn;
    }
    // Opening under the lock keeps the count exact; it happens at most `limit` times.
    VECHE_ASSIGN_OR_RETURN(auto conn, connect(path_, SQLITE_OPEN_READWRITE, options_));
    VECHE_TRY(conn->run("PRAGMA query_only=1"));
    readers_.push_back(std::move(conn));
    return readers_.back().get();
  }

  const std::string path_;
  const OpenOptions options_;
  const bool memory_;

  // Declared before writer_: destroyed after it, so the hook never outlives its target.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Connection> writer_;
  // The writer connection belongs to one transaction at a time. A flag rather than a held mutex,
  // because a transaction may end on another thread than the one that began it.
  std::mutex write_mu_;
  std::condition_variable write_cv_;
  bool writer_busy_ = false;       // GUARDED_BY(write_mu_)
  std::thread::id write_owner_{};  // GUARDED_BY(write_mu_): the thread that began it

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;  // GUARDED_BY(pool_mu_)
  std::vector<Connection*> idle_;                     // GUARDED_BY(pool_mu_)
};

void SqliteTransaction::release() {
  if (conn_ == nullptr) return;
  db_->release(*conn_, access_, restore_sync_);
  conn_ = nullptr;
}

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(std::string_view path, const OpenOptions& options) {
  if (path.find('\0') != std::string_view::npos) {
    return invalid_argument("store: the SQLite path contains a NUL byte");
  }
  std::string p(path);
  const bool memory = p == ":memory:";
  int flags = SQLITE_OPEN_READWRITE;
  if (options.create || memory) flags |= SQLITE_OPEN_CREATE;
  VECHE_ASSIGN_OR_RETURN(auto writer, connect(p, flags, options));
  if (!memory) {
    std::string mode;
    // Another process opening the same new file at the same moment holds a lock that the
    // journal-mode change does not wait for: retry within the busy timeout.
    const auto give_up = std::chrono::steady_clock::now() + options.busy_timeout;
    int rc = SQLITE_BUSY;
    for (;;) {
      rc = sqlite3_exec(
          writer->handle(), "PRAGMA journal_mode=WAL",
          [](void* out, int n, char** values, char**) {
            if (n > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
            return 0;
          },
          &mode, nullptr);
      const int primary = rc & 0xff;
      if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= give_up) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (rc != SQLITE_OK) {
      Error e = map_error(sqlite3_extended_errcode(writer->handle()), writer->handle(),
                          fmt::format("cannot use database {}", p));
      if (e.code == ErrorCode::kInternal) e.code = ErrorCode::kUnavailable;
      return e;
    }
    if (mode != "wal") {
      return unavailable(fmt::format(
          "store: database {} cannot use write-ahead logging (journal mode stays \"{}\")", p,
          mode));
    }
  }
  VECHE_TRY(writer->run("PRAGMA synchronous=NORMAL"));
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(std::move(p), options, std::move(writer)));
}

}  // namespace veche::store
