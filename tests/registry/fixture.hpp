// A registry database for tests: SQLite in a temporary folder always, PostgreSQL when
// VECHE_TEST_POSTGRES_URL is set: each test then gets a schema of its own, so tests can run in
// parallel (ctest -j) against one database.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
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
      admin_url_ = url;
      static std::atomic<int> counter{0};
      schema_ = "veche_reg_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
      ASSERT_TRUE(run_admin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"));
      ASSERT_TRUE(run_admin("CREATE SCHEMA " + schema_));
      location = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") +
                 "options=-csearch_path%3D" + schema_;
    } else {
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string name = std::string(info->test_suite_name()) + "-" + info->name();
      for (char& c : name) {
        if (c == '/') c = '_';
      }
      dir_ = std::filesystem::temp_directory_path() /
             ("veche-registry-" + std::to_string(::getpid()) + "-" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location = (dir_ / "r.db").string();
    }
    auto db = store::open(location);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto migrated = store::migrate(*db_, migrations());
    ASSERT_TRUE(migrated) << migrated.error().message;
  }
  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) {
      EXPECT_TRUE(run_admin("DROP SCHEMA " + schema_ + " CASCADE"));
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
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
};

}  // namespace veche::registry
