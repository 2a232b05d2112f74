// The registry service against SQLite always, and PostgreSQL when VECHE_TEST_POSTGRES_URL is set.
#include "veche/registry/registry.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace veche::registry {
namespace {

class RegistryTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    reg_ = std::make_unique<Registry>(*db_, clock_);
  }
  void TearDown() override {
    reg_.reset();
    RegistryDatabaseTest::TearDown();
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
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
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
