// The storage layer: one interface, two backends (SQLite embedded, PostgreSQL through libpq).
//
// SQL is written once for both backends with `?` placeholders (the PostgreSQL backend numbers
// them $1, $2, ...). Every statement is prepared and bound; nothing builds SQL from values.
// Domain modules own their tables and declare them as Migrations.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "veche/core/result.hpp"

namespace veche::store {

using Blob = std::vector<std::byte>;
// NULL, INTEGER (BIGINT), REAL (DOUBLE PRECISION), TEXT, BLOB (BYTEA).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

// One result row. Accessors check the column index and type: a mismatch (it means the SQL and
// the code disagree) or a NULL read as a non-optional aborts through VECHE_CHECK with a message
// naming the column, because it is a bug, never something a client can cause. Read a column
// that may hold NULL with is_null() or the opt_* accessors.
// PostgreSQL results are typed by column type: int2/int4/int8 and integral numeric (SUM of
// BIGINT) are INTEGER, float4/float8/other numeric are REAL, bytea is BLOB, bool is INTEGER 0/1,
// the rest is TEXT. SQLite results by storage class.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  const Value& at(std::size_t i) const;
  bool is_null(std::size_t i) const;
  std::int64_t int64(std::size_t i) const;  // precondition: column i holds an INTEGER
  double real(std::size_t i) const;         // INTEGER or REAL
  const std::string& text(std::size_t i) const;
  const Blob& blob(std::size_t i) const;
  std::optional<std::int64_t> opt_int64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

enum class Backend { kSqlite, kPostgres };

// A transaction. Not thread-safe: one thread uses it at a time. Destroying it without
// commit() rolls back. It must not outlive its Database.
// Errors: kInternal for SQL the backend rejects (syntax, unknown table: a bug), for a
// placeholder/parameter count mismatch and for a write in a read transaction;
// kAlreadyExists for a unique or primary-key violation; kInvalidArgument for another constraint
// (FOREIGN KEY, CHECK, NOT NULL), a value the column cannot hold, a NaN parameter, or text
// that is not valid UTF-8 or holds a NUL byte (bytes belong in a BLOB);
// kConflict for a serialization failure, a deadlock or a busy database (the caller may retry
// the whole transaction); kUnavailable when the connection is gone.
// After any error the transaction is rolled back at once on both backends (PostgreSQL aborts
// it, and SQLite is made to behave the same): later calls return kFailedPrecondition.
// One statement per call when it has parameters; exec() without parameters may run several
// statements separated by `;` (migrations).
class Transaction {
 public:
  virtual ~Transaction() = default;
  // Runs a statement that returns rows.
  virtual Result<Rows> query(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a statement; returns the number of rows it changed.
  virtual Result<std::int64_t> exec(std::string_view sql, std::span<const Value> params) = 0;
  // Commits. After commit() the transaction may not be used again.
  virtual Status commit() = 0;
  virtual Backend backend() const = 0;

  Result<Rows> query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<std::int64_t> exec(std::string_view sql, std::initializer_list<Value> params = {}) {
    return exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // The first row of a query, or kNotFound with `what` in its message.
  Result<Row> query_one(std::string_view sql, std::initializer_list<Value> params,
                        std::string_view what);
  // For "INSERT ... RETURNING id": the id of the new row.
  Result<std::int64_t> insert(std::string_view sql, std::initializer_list<Value> params);
};

enum class Durability {
  kNormal,  // committed data survives a process crash (SQLite WAL synchronous=NORMAL)
  kFull,    // also survives an OS crash or power loss before the acknowledgement (fsync)
};

enum class Access { kRead, kWrite };

// A database handle. Thread-safe: any thread may begin transactions. Write transactions are
// serialized (SQLite has one writer); read transactions run concurrently with them.
class Database {
 public:
  virtual ~Database() = default;
  virtual Result<std::unique_ptr<Transaction>> begin(
      Access access, Durability durability = Durability::kNormal) = 0;
  virtual Backend backend() const = 0;
};

struct OpenOptions {
  std::size_t read_connections = 4;  // pool size for read transactions (PostgreSQL: plus one)
  bool create = true;                // SQLite: create the file when missing
  // SQLite: how long a statement waits for another process's lock before kConflict.
  // PostgreSQL: how long begin() waits for a free pooled connection before kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
};

// Opens a SQLite file (a path, or ":memory:" for tests) or a PostgreSQL database
// ("postgresql://..." or "postgres://..."). Errors: kUnavailable when it cannot be reached
// (a missing parent folder, a server that does not answer), kInvalidArgument for a malformed
// location (an empty path, a malformed URL). The connection string is never logged nor put in
// an error message (it may hold a password).
// SQLite: WAL, foreign_keys=ON, one writer connection behind a mutex (BEGIN IMMEDIATE) and a
// pool of `read_connections` reader connections (deferred BEGIN: a WAL snapshot). ":memory:"
// uses one connection for reads and writes, so every transaction is serialized; a thread that
// holds a transaction and begins another on the same handle gets kFailedPrecondition instead of
// a deadlock (with a file, this holds for a second write transaction).
// PostgreSQL: a pool of connections; write transactions are SERIALIZABLE (the same guarantee as
// SQLite's single writer; conflicts are kConflict, which with_write retries), read transactions
// are REPEATABLE READ READ ONLY (one snapshot, like SQLite's).
Result<std::unique_ptr<Database>> open(std::string_view location, const OpenOptions& options = {});

// A versioned schema change. `version` is unique within `module` and grows; migrations run
// in order, each in its own transaction, exactly once; the applied set is kept in the
// table veche_migrations. `postgres_sql` may be empty when the SQLite text works unchanged.
struct Migration {
  std::string_view module;
  int version = 0;
  std::string_view description;
  std::string_view sqlite_sql;
  std::string_view postgres_sql;
};

// Applies the migrations not yet applied, in the order given; versions of one module must
// grow along the span (kInvalidArgument otherwise). A database written by a newer Veche (an
// applied version of a listed module above the highest this binary knows) is
// kFailedPrecondition and changes nothing. Safe to run from several processes at once: each
// migration is applied in one write transaction together with its veche_migrations row.
Status migrate(Database& db, std::span<const Migration> migrations);

// Runs `fn(tx)` in a write transaction and commits, retrying up to `attempts` times on
// kConflict. `fn` returns Status; its error rolls back and is returned.
template <class Fn>
Status with_write(Database& db, Fn&& fn, Durability durability = Durability::kNormal,
                  int attempts = 5) {
  for (int i = 0;; ++i) {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(Access::kWrite, durability));
    Status s = fn(*tx);
    if (s) s = tx->commit();
    if (s || s.error().code != ErrorCode::kConflict || i + 1 >= attempts) return s;
  }
}

}  // namespace veche::store
