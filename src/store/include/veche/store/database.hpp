// The storage layer: one interface, two backends (SQLite embedded, PostgreSQL through libpq).
//
// SQL is written once for both backends with `?` placeholders (the PostgreSQL backend numbers
// them $1, $2, ...). Every statement is prepared and bound; nothing builds SQL from values.
// Domain modules own their tables and declare them as Migrations.
#pragma once

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

// One result row. Accessors check the column index and type: a mismatch is kInternal
// (it means the SQL and the code disagree), a NULL read as a non-optional is kDataLoss.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  const Value& at(std::size_t i) const;
  bool is_null(std::size_t i) const;
  std::int64_t int64(std::size_t i) const;   // precondition: column i holds an INTEGER
  double real(std::size_t i) const;          // INTEGER or REAL
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
// commit() rolls back. Errors: kInvalidArgument for SQL the backend rejects at prepare time,
// kAlreadyExists for a unique-constraint violation, kConflict for a serialization failure or
// a busy database (the caller may retry), kUnavailable when the connection is gone.
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
  virtual Result<std::unique_ptr<Transaction>> begin(Access access,
                                                     Durability durability = Durability::kNormal) = 0;
  virtual Backend backend() const = 0;
};

struct OpenOptions {
  std::size_t read_connections = 4;  // pool size for read transactions
  bool create = true;                // SQLite: create the file when missing
};

// Opens a SQLite file (a path, or ":memory:" for tests) or a PostgreSQL database
// ("postgresql://..." or "postgres://..."). Errors: kUnavailable when it cannot be reached,
// kInvalidArgument for a malformed location.
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

// Applies the migrations not yet applied. A database written by a newer Veche (an applied
// version this binary does not know) is kFailedPrecondition and changes nothing.
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
