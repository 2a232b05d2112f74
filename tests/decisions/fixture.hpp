// A database with the registry's, the agenda's and this module's tables, a few organizations
// and delegates: SQLite in a temporary folder always, PostgreSQL (a schema per test) when
// VECHE_TEST_POSTGRES_URL is set.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "veche/agenda/outbox.hpp"
#include "veche/crypto/random.hpp"
#include "veche/decisions/log.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"
#include "veche/store/database.hpp"

namespace veche::decisions {

// A clock that several threads may read while a test moves it.
class AtomicClock final : public core::Clock {
 public:
  explicit AtomicClock(core::TimePoint t) : now_(core::to_unix(t)) {}
  core::TimePoint now() const override { return core::from_unix(now_.load()); }
  void set(core::TimePoint t) { now_.store(core::to_unix(t)); }
  void advance(std::chrono::seconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> now_;
};

inline const core::TimePoint kStart = core::from_unix(1'790'000'000);

class DecisionsTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    std::string location;
    if (GetParam() == store::Backend::kPostgres) {
      const char* url = std::getenv("VECHE_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "VECHE_TEST_POSTGRES_URL is not set (make test starts a throwaway cluster)";
      }
      admin_url_ = url;
      static std::atomic<int> counter{0};
      schema_ = "veche_dec_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
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
             ("veche-decisions-" + std::to_string(::getpid()) + "-" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location = (dir_ / "d.db").string();
    }
    auto db = store::open(location);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    for (auto migrations :
         {registry::migrations(), agenda::migrations(), decisions::migrations()}) {
      auto migrated = store::migrate(*db_, migrations);
      ASSERT_TRUE(migrated) << migrated.error().message;
    }
    registry::Registry reg(*db_, clock_);
    for (const char* slug : {"alpha", "beta", "gamma"}) {
      if (!with_organizations_) break;
      auto added = reg.add_organization({slug, {std::string("Org ") + slug, ""}, {}, ""});
      ASSERT_TRUE(added) << added.error().message;
    }
    crypto::SystemRandom rng;
    key_ = crypto::SecretBytes::random(32, rng);
  }
  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) {
      EXPECT_TRUE(run_admin("DROP SCHEMA " + schema_ + " CASCADE"));
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // An account holding `role` (for `org` when given), made directly in the tables.
  registry::AccountId account(const std::string& handle, const std::string& role,
                              const std::string& org = "") {
    std::int64_t id = 0;
    auto s = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
      VECHE_ASSIGN_OR_RETURN(
          id, tx.insert("INSERT INTO accounts (handle, handle_key, passphrase_hash, created_at) "
                        "VALUES (?, ?, '!', 0) RETURNING id",
                        {handle, handle}));
      store::Value org_id = nullptr;
      if (!org.empty()) {
        VECHE_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT id FROM organizations WHERE slug = ?",
                                                      {org}, "organization"));
        org_id = row.int64(0);
      }
      VECHE_TRY(
          tx.exec("INSERT INTO account_roles (account_id, role, organization_id, "
                  "granted_at) VALUES (?, ?, ?, 0)",
                  {id, role, org_id}));
      return ok();
    });
    EXPECT_TRUE(s) << s.error().message;
    return registry::AccountId(id);
  }

  std::vector<LogEntry> log(std::string_view subject = {}) {
    auto page = log_entries(*db_, 0, 500, subject);
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->entries : std::vector<LogEntry>{};
  }

  std::vector<std::string> outbox_topics() {
    auto pending = agenda::pending(*db_, 1000);
    EXPECT_TRUE(pending);
    std::vector<std::string> topics;
    if (pending) {
      for (const auto& e : *pending) topics.push_back(e.topic);
    }
    return topics;
  }

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

  bool with_organizations_ = true;  // alpha, beta, gamma
  AtomicClock clock_{kStart};
  crypto::SecretBytes key_;
  std::string admin_url_;
  std::string schema_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
};

inline std::string backend_name(const ::testing::TestParamInfo<store::Backend>& info) {
  return info.param == store::Backend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace veche::decisions
