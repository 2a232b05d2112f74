// The store suite's fixture: every case runs against SQLite (a file in a fresh temporary folder,
// and ":memory:" for the cases that need neither a reopen nor several connections) and against
// PostgreSQL when VECHE_TEST_POSTGRES_URL is set (each case in its own fresh schema).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "veche/store/database.hpp"

#define STORE_CONCAT_INNER_(a, b) a##b
#define STORE_CONCAT_(a, b) STORE_CONCAT_INNER_(a, b)

// Fails the test (with the error's message) unless `expr` holds a value.
#define ASSERT_OK(expr)                                              \
  do {                                                               \
    auto&& store_ok_ = (expr);                                       \
    ASSERT_TRUE(store_ok_.has_value()) << store_ok_.error().message; \
  } while (false)

#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, decl, expr)    \
  auto tmp = (expr);                                   \
  ASSERT_TRUE(tmp.has_value()) << tmp.error().message; \
  decl = std::move(tmp).value()

// `ASSERT_OK_AND_ASSIGN(auto x, f());` declares x from f()'s value or fails the test.
#define ASSERT_OK_AND_ASSIGN(decl, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(STORE_CONCAT_(store_assign_, __LINE__), decl, expr)

// Fails the test unless `expr` holds an error with code `code_`.
#define EXPECT_ERROR_CODE(expr, code_)                                                \
  do {                                                                                \
    auto&& store_err_ = (expr);                                                       \
    ASSERT_FALSE(store_err_.has_value()) << "expected " << #code_ << ", got a value"; \
    EXPECT_EQ(store_err_.error().code, code_) << store_err_.error().message;          \
  } while (false)

namespace veche::store::testing {

enum class Kind { kSqliteFile, kSqliteMemory, kPostgres };

std::string kind_name(const ::testing::TestParamInfo<Kind>& info);

// A fresh temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class StoreTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Backend backend() const {
    return GetParam() == Kind::kPostgres ? Backend::kPostgres : Backend::kSqlite;
  }
  const std::string& location() const { return location_; }

  // Opens another handle on the test's database (for ":memory:", a new empty database).
  Result<std::unique_ptr<Database>> open_db(const OpenOptions& options = {});
  // The database the fixture keeps open (opened in SetUp).
  Database& db() { return *db_; }

  // Runs DDL (the SQLite or the PostgreSQL text) in a write transaction.
  Status create(std::string_view sqlite_sql, std::string_view postgres_sql);
  // Creates people(id, name UNIQUE, age CHECK >= 0) and pets(id, owner REFERENCES people).
  Status create_people();
  Result<std::int64_t> count(std::string_view table);

 private:
  std::unique_ptr<TempDir> dir_;
  std::string location_;
  std::string schema_;
  std::string admin_url_;
  std::unique_ptr<Database> db_;
};

// The same cases, but only where a database can be reopened and have several connections.
class DurableStoreTest : public StoreTest {};

}  // namespace veche::store::testing
