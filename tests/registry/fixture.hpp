// A registry database for tests: SQLite in a temporary folder always, PostgreSQL when
// VECHE_TEST_POSTGRES_URL is set (each test then starts from empty registry tables).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "veche/registry/registry.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

class RegistryDatabaseTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    std::string location;
    if (GetParam() == store::Backend::kPostgres) {
      const char* url = std::getenv("VECHE_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "VECHE_TEST_POSTGRES_URL is not set (make test starts a throwaway cluster)";
      }
      location = url;
    } else {
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string name = std::string(info->test_suite_name()) + "-" + info->name();
      for (char& c : name) {
        if (c == '/') c = '_';
      }
      dir_ = std::filesystem::temp_directory_path() / ("veche-registry-" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location = (dir_ / "r.db").string();
    }
    auto db = store::open(location);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    if (GetParam() == store::Backend::kPostgres) {
      // migrate() first makes veche_migrations; then drop every registry table, newest first.
      ASSERT_TRUE(store::migrate(*db_, {}));
      auto tx = db_->begin(store::Access::kWrite);
      ASSERT_TRUE(tx);
      auto dropped = (*tx)->exec(
          "DROP TABLE IF EXISTS audit_log, invitation_codes, sessions, account_roles, accounts, "
          "charter_versions, organizations, coalition CASCADE");
      ASSERT_TRUE(dropped) << dropped.error().message;
      ASSERT_TRUE((*tx)->exec("DROP FUNCTION IF EXISTS veche_audit_log_append_only() CASCADE"));
      ASSERT_TRUE((*tx)->exec("DELETE FROM veche_migrations WHERE module = 'registry'"));
      auto committed = (*tx)->commit();
      ASSERT_TRUE(committed) << committed.error().message;
    }
    auto migrated = store::migrate(*db_, migrations());
    ASSERT_TRUE(migrated) << migrated.error().message;
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace veche::registry
