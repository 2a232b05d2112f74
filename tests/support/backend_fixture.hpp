// A module's database for its tests: the migrations the module needs applied, on SQLite in a
// temporary folder always, and on PostgreSQL (a schema per test) when VECHE_TEST_POSTGRES_URL is
// set (`make test` starts a throwaway cluster). Accounts are inserted directly (no Argon2id), so
// tests with many constituents stay fast. A module's fixture derives from BackendTest and says
// which migrations it needs and how its folders and schemas are named.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"
#include "veche/store/database.hpp"

namespace veche::test_support {

class BackendTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  // `name` names the folder and the PostgreSQL schema ("agenda" gives veche-agenda-<test> and
  // veche_agenda_<pid>_<n>); `modules` are the migration lists, applied in order after the
  // registry's.
  BackendTest(std::string name, std::initializer_list<std::span<const store::Migration>> modules)
      : name_(std::move(name)), modules_(modules) {}

  void SetUp() override {
    std::string location;
    if (GetParam() == store::Backend::kPostgres) {
      const char* url = std::getenv("VECHE_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "VECHE_TEST_POSTGRES_URL is not set (make test starts a throwaway cluster)";
      }
      admin_url_ = url;
      static std::atomic<int> counter{0};
      schema_ =
          "veche_" + name_ + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
      ASSERT_TRUE(run_admin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"));
      ASSERT_TRUE(run_admin("CREATE SCHEMA " + schema_));
      location = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") +
                 "options=-csearch_path%3D" + schema_;
    } else {
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string test = std::string(info->test_suite_name()) + "-" + info->name();
      for (char& c : test) {
        if (c == '/') c = '_';
      }
      // The process id keeps two runs of the same tests (two checkouts) apart.
      dir_ = std::filesystem::temp_directory_path() /
             ("veche-" + name_ + "-" + std::to_string(::getpid()) + "-" + test);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location = (dir_ / "a.db").string();
    }
    auto db = store::open(location);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    std::vector<store::Migration> all;
    for (const auto& m : registry::migrations()) all.push_back(m);
    for (auto module : modules_) {
      for (const auto& m : module) all.push_back(m);
    }
    auto migrated = store::migrate(*db_, all);
    ASSERT_TRUE(migrated) << migrated.error().message;
  }
  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) {
      EXPECT_TRUE(run_admin("DROP SCHEMA " + schema_ + " CASCADE"));
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // An account holding `roles` (role names), inserted without a passphrase hash worth the name.
  registry::AccountId add_account(const std::string& handle,
                                  std::initializer_list<std::string_view> roles) {
    std::int64_t id = 0;
    auto s = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
      VECHE_ASSIGN_OR_RETURN(
          id, tx.insert("INSERT INTO accounts (handle, handle_key, passphrase_hash, created_at) "
                        "VALUES (?, ?, 'x', 0) RETURNING id",
                        {handle, handle}));
      for (auto role : roles) {
        VECHE_TRY(
            tx.exec("INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, ?, 0)",
                    {id, std::string(role)}));
      }
      return ok();
    });
    EXPECT_TRUE(s) << s.error().message;
    return registry::AccountId(id);
  }

  // Runs one statement on the test database itself (outside the test's schema).
  bool run_admin(const std::string& sql) {
    auto admin = store::open(admin_url_);
    if (!admin) return false;
    return store::with_write(**admin,
                             [&](store::Transaction& tx) -> Status {
                               VECHE_TRY(tx.exec(sql));
                               return ok();
                             })
        .has_value();
  }

  std::string admin_url_;
  std::string schema_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;

 private:
  std::string name_;
  std::vector<std::span<const store::Migration>> modules_;
};

// Test name suffixes for the backends: .../Sqlite, .../Postgres.
inline std::string backend_name(const ::testing::TestParamInfo<store::Backend>& info) {
  return info.param == store::Backend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace veche::test_support
