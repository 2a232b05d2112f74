// The backend-independent part of the store: Row accessors, Transaction helpers, open()
// dispatch and migrate().
#include "veche/store/database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "params.hpp"
#include "postgres_database.hpp"
#include "sqlite_database.hpp"
#include "veche/core/text.hpp"

namespace veche::store {
namespace {

const char* type_name(const Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "INTEGER";
    case 2:
      return "REAL";
    case 3:
      return "TEXT";
    default:
      return "BLOB";
  }
}

[[noreturn]] void column_failed(const char* cond, const std::string& why) {
  ::veche::check_failed(cond, why.c_str(), __FILE__, __LINE__);
}

template <class T>
const T& column_as(const std::vector<Value>& values, std::size_t i, const char* wanted) {
  if (i >= values.size()) {
    column_failed("i < size()", fmt::format("store::Row: column {} read from a row of {} columns",
                                            i, values.size()));
  }
  const Value& v = values[i];
  if (const T* p = std::get_if<T>(&v)) return *p;
  if (std::holds_alternative<std::nullptr_t>(v)) {
    column_failed("!is_null(i)",
                  fmt::format("store::Row: column {} is NULL but was read as {}", i, wanted));
  }
  column_failed("column type", fmt::format("store::Row: column {} holds {} but was read as {}", i,
                                           type_name(v), wanted));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

const Value& Row::at(std::size_t i) const {
  if (i >= values_.size()) {
    column_failed("i < size()", fmt::format("store::Row: column {} read from a row of {} columns",
                                            i, values_.size()));
  }
  return values_[i];
}

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(at(i)); }

std::int64_t Row::int64(std::size_t i) const {
  return column_as<std::int64_t>(values_, i, "INTEGER");
}

double Row::real(std::size_t i) const {
  if (const auto* p = std::get_if<std::int64_t>(&at(i))) return static_cast<double>(*p);
  return column_as<double>(values_, i, "REAL");
}

const std::string& Row::text(std::size_t i) const {
  return column_as<std::string>(values_, i, "TEXT");
}

const Blob& Row::blob(std::size_t i) const { return column_as<Blob>(values_, i, "BLOB"); }

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

Status check_param(const Value& value, std::size_t index) {
  if (const auto* d = std::get_if<double>(&value); d != nullptr && std::isnan(*d)) {
    return invalid_argument(fmt::format("store: parameter {} is NaN", index));
  }
  if (const auto* s = std::get_if<std::string>(&value)) {
    if (s->find('\0') != std::string::npos) {
      return invalid_argument(
          fmt::format("store: text parameter {} contains a NUL byte (store it as a BLOB)", index));
    }
    if (!core::is_valid_utf8(*s)) {
      return invalid_argument(
          fmt::format("store: text parameter {} is not valid UTF-8 (store it as a BLOB)", index));
    }
  }
  return ok();
}

Result<Row> Transaction::query_one(std::string_view sql, std::initializer_list<Value> params,
                                   std::string_view what) {
  VECHE_ASSIGN_OR_RETURN(Rows rows, query(sql, params));
  if (rows.empty()) return not_found(fmt::format("{} not found", what));
  return std::move(rows.front());
}

Result<std::int64_t> Transaction::insert(std::string_view sql,
                                         std::initializer_list<Value> params) {
  VECHE_ASSIGN_OR_RETURN(Rows rows, query(sql, params));
  if (rows.size() != 1 || rows.front().size() < 1 ||
      !std::holds_alternative<std::int64_t>(rows.front().at(0))) {
    return internal_error(
        "store: insert() needs a statement that inserts one row and returns its INTEGER id "
        "(INSERT ... RETURNING id)");
  }
  return rows.front().int64(0);
}

Result<std::unique_ptr<Database>> open(std::string_view location, const OpenOptions& options) {
  if (location.empty()) {
    return invalid_argument(
        "store: empty database location (give a SQLite path or a "
        "postgresql:// URL)");
  }
  if (starts_with(location, "postgresql://") || starts_with(location, "postgres://")) {
    return open_postgres(location, options);
  }
  return open_sqlite(location, options);
}

namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS veche_migrations ("
    "module TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))";

// PostgreSQL: concurrent migrate() calls from several nodes take this transaction-scoped
// advisory lock so that CREATE TABLE IF NOT EXISTS and each migration run one at a time. The
// transaction is switched to READ COMMITTED first (allowed before its first query) so that the
// statements after the lock see what the previous holder committed; a SERIALIZABLE snapshot
// would be taken before the wait. SQLite needs nothing: BEGIN IMMEDIATE is already exclusive
// and reads the latest state.
constexpr std::int64_t kMigrationLock = 0x7665636865'6d67;  // "veche" "mg"

Status lock_for_migration(Transaction& tx) {
  if (tx.backend() != Backend::kPostgres) return ok();
  VECHE_TRY(tx.exec("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"));
  VECHE_TRY(tx.query("SELECT pg_advisory_xact_lock(?)", {Value{kMigrationLock}}));
  return ok();
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status check_migrations(std::span<const Migration> migrations) {
  std::map<std::string_view, int> last;
  for (const Migration& m : migrations) {
    if (m.module.empty()) return invalid_argument("store: a migration has no module name");
    if (m.version <= 0) {
      return invalid_argument(
          fmt::format("store: migration {} v{}: versions start at 1", m.module, m.version));
    }
    if (m.sqlite_sql.empty()) {
      return invalid_argument(
          fmt::format("store: migration {} v{} has no SQL", m.module, m.version));
    }
    auto [it, inserted] = last.try_emplace(m.module, m.version);
    if (!inserted) {
      if (m.version <= it->second) {
        return invalid_argument(
            fmt::format("store: migrations of {} must have growing versions (v{} comes after v{})",
                        m.module, m.version, it->second));
      }
      it->second = m.version;
    }
  }
  return ok();
}

}  // namespace

Status migrate(Database& db, std::span<const Migration> migrations) {
  VECHE_TRY(check_migrations(migrations));
  const Status created = with_write(db, [](Transaction& tx) -> Status {
    VECHE_TRY(lock_for_migration(tx));
    VECHE_TRY(tx.exec(kCreateMigrationsTable));
    return ok();
  });
  VECHE_TRY(created);

  std::map<std::string_view, int> known_max;
  for (const Migration& m : migrations)
    known_max[m.module] = std::max(known_max[m.module], m.version);
  std::set<std::pair<std::string, std::int64_t>> applied;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(Access::kRead));
    VECHE_ASSIGN_OR_RETURN(Rows rows, tx->query("SELECT module, version FROM veche_migrations"));
    for (const Row& row : rows) {
      const std::string& module = row.text(0);
      const std::int64_t version = row.int64(1);
      auto it = known_max.find(module);
      if (it != known_max.end() && version > it->second) {
        return failed_precondition(fmt::format(
            "store: the database has migration {} v{} but this Veche knows {} only up to v{}: "
            "it was written by a newer version; upgrade Veche",
            module, version, module, it->second));
      }
      applied.emplace(module, version);
    }
  }

  for (const Migration& m : migrations) {
    if (applied.count({std::string(m.module), m.version}) != 0) continue;
    Status s = with_write(
        db,
        [&m](Transaction& tx) -> Status {
          VECHE_TRY(lock_for_migration(tx));
          // Another process may have applied it since we looked.
          VECHE_ASSIGN_OR_RETURN(
              Rows done, tx.query("SELECT 1 FROM veche_migrations WHERE module = ? AND version = ?",
                                  {Value{std::string(m.module)}, Value{std::int64_t{m.version}}}));
          if (!done.empty()) return ok();
          const std::string_view sql = tx.backend() == Backend::kPostgres && !m.postgres_sql.empty()
                                           ? m.postgres_sql
                                           : m.sqlite_sql;
          VECHE_TRY(tx.exec(sql));
          VECHE_TRY(
              tx.exec("INSERT INTO veche_migrations (module, version, description, applied_at) "
                      "VALUES (?, ?, ?, ?)",
                      {Value{std::string(m.module)}, Value{std::int64_t{m.version}},
                       Value{std::string(m.description)}, Value{unix_now()}}));
          return ok();
        },
        Durability::kFull);
    if (!s) {
      return Error{s.error().code, fmt::format("store: migration {} v{} ({}) failed: {}", m.module,
                                               m.version, m.description, s.error().message)};
    }
  }
  return ok();
}

}  // namespace veche::store
