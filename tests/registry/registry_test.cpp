// The registry service against SQLite always, and PostgreSQL when VECHE_TEST_POSTGRES_URL is set.
#include "veche/registry/registry.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace veche::registry {
namespace {

class RegistryTest : public ::testing::TestWithParam<store::Backend> {
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
      dir_ = std::filesystem::temp_directory_path() /
             ("veche-registry-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location = (dir_ / "r.db").string();
    }
    auto db = store::open(location);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    if (GetParam() == store::Backend::kPostgres) {
      // Each test starts from empty registry tables (migrate() first makes veche_migrations).
      ASSERT_TRUE(store::migrate(*db_, {}));
      auto tx = db_->begin(store::Access::kWrite);
      ASSERT_TRUE(tx);
      for (const char* t : {"charter_versions", "organizations", "coalition"}) {
        (void)(*tx)->exec(std::string("DROP TABLE IF EXISTS ") + t);
      }
      (void)(*tx)->exec("DELETE FROM veche_migrations WHERE module = 'registry'");
      auto committed = (*tx)->commit();
      ASSERT_TRUE(committed) << committed.error().message;
    }
    ASSERT_TRUE(store::migrate(*db_, migrations()));
    reg_ = std::make_unique<Registry>(*db_, clock_);
  }
  void TearDown() override {
    reg_.reset();
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Registry> reg_;
};

TEST_P(RegistryTest, CoalitionIsMissingUntilCreated) {
  EXPECT_EQ(reg_->coalition().error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(reg_->set_coalition({{"Assembly", "Вече"}, {"Summary", ""}}));
  auto c = reg_->coalition();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name.in("ru"), "Вече");
  EXPECT_EQ(c->summary.in("ru"), "Summary");  // falls back to English
  ASSERT_TRUE(reg_->set_coalition({{"Renamed", ""}, {"", ""}}));
  EXPECT_EQ(reg_->coalition()->name.en, "Renamed");
}

TEST_P(RegistryTest, OrganizationsNeedAValidUniqueSlugAndName) {
  ASSERT_TRUE(reg_->add_organization({"alpha", {"Alpha", "Альфа"}, {"", ""}, ""}));
  EXPECT_EQ(reg_->add_organization({"alpha", {"Other", ""}, {"", ""}, ""}).error().code,
            ErrorCode::kAlreadyExists);
  for (const char* bad : {"A", "UPPER", "-lead", "trail-", "sp ace", "x"}) {
    EXPECT_EQ(reg_->add_organization({bad, {"Name", ""}, {"", ""}, ""}).error().code,
              ErrorCode::kInvalidArgument)
        << bad;
  }
  EXPECT_FALSE(reg_->add_organization({"beta", {"  ", ""}, {"", ""}, ""}));
  EXPECT_FALSE(reg_->add_organization({"beta", {"Beta", ""}, {"", ""}, "javascript:alert(1)"}));
  EXPECT_FALSE(reg_->add_organization({"beta", {std::string("B\0e", 3), ""}, {"", ""}, ""}));
  EXPECT_FALSE(reg_->add_organization({"beta", {"\xff", ""}, {"", ""}, ""}));
  auto all = reg_->organizations();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);  // nothing bad was stored
  auto one = reg_->organization("alpha");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->name.ru, "Альфа");
  EXPECT_EQ(one->joined_at, clock_.now());
  EXPECT_EQ(reg_->organization("nope").error().code, ErrorCode::kNotFound);
}

TEST_P(RegistryTest, CharterVersionsAreNumberedAndKept) {
  EXPECT_EQ(reg_->current_charter().error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*reg_->adopt_charter({"# One", ""}), 1);
  clock_.advance(std::chrono::hours(24));
  EXPECT_EQ(*reg_->adopt_charter({"# Two", "# Два"}), 2);
  auto cur = reg_->current_charter();
  ASSERT_TRUE(cur);
  EXPECT_EQ(cur->version, 2);
  EXPECT_EQ(cur->body.in("ru"), "# Два");
  EXPECT_EQ(reg_->charter_history()->size(), 2u);
}

TEST_P(RegistryTest, DemoLoadsOnceAndOnlyIntoAnEmptyDatabase) {
  ASSERT_TRUE(load_demo(*db_, clock_));
  EXPECT_GE(reg_->organizations()->size(), 5u);
  EXPECT_EQ(load_demo(*db_, clock_).error().code, ErrorCode::kAlreadyExists);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
