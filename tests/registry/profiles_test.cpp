// Organization profiles, invitation-code quotas and organization role holders on both backends.
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/accounts.hpp"

namespace veche::registry {
namespace {

using std::chrono::days;

class ProfilesTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 9));
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    registry_ = std::make_unique<Registry>(*db_, clock_);
    ASSERT_TRUE(registry_->add_organization({"alpha", {"Alpha", "Альфа"}, {"", ""}, ""}));
    ASSERT_TRUE(registry_->add_organization({"beta", {"Beta", ""}, {"", ""}, ""}));
    accounts_ = std::make_unique<Accounts>(*db_, clock_, key_);
  }
  void TearDown() override {
    accounts_.reset();
    registry_.reset();
    RegistryDatabaseTest::TearDown();
  }
  OrganizationProfile profile() {
    OrganizationProfile p;
    p.name = {"Alpha Union", "Союз Альфа"};
    p.description = {"We help **exiles** with papers.", ""};
    p.website = "https://alpha.example";
    p.other_names = {{"be", "Саюз Альфа"}, {"uk", "Союз Альфа"}};
    p.focus_areas = {"residence permits", "political prisoners"};
    p.regions = {"Vilnius", "Tbilisi"};
    p.minorities = {"Tatars"};
    return p;
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_P(ProfilesTest, ADelegateEditsTheProfileAndThePublicAuditLogSaysSo) {
  ASSERT_TRUE(registry_->update_profile("alpha", profile(), "operator"));
  auto o = registry_->organization("alpha");
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->name.en, "Alpha Union");
  EXPECT_EQ(o->name.in("ru"), "Союз Альфа");
  ASSERT_EQ(o->other_names.size(), 2u);
  EXPECT_EQ(o->other_names[0].lang, "be");
  EXPECT_EQ(o->other_names[0].name, "Саюз Альфа");
  EXPECT_EQ(o->focus_areas, (std::vector<std::string>{"residence permits", "political prisoners"}));
  EXPECT_EQ(o->regions, (std::vector<std::string>{"Vilnius", "Tbilisi"}));
  EXPECT_EQ(o->minorities, std::vector<std::string>{"Tatars"});
  auto log = audit_entries(*db_, true);
  ASSERT_TRUE(log);
  ASSERT_FALSE(log->empty());
  EXPECT_EQ(log->back().action, "organization.profile");
  EXPECT_EQ(log->back().subject, "alpha");
  EXPECT_EQ(verify_audit(*db_)->first_broken, std::nullopt);
}

TEST_P(ProfilesTest, BadProfilesChangeNothing) {
  const std::vector<std::pair<std::string, OrganizationProfile>> bad = [&] {
    std::vector<std::pair<std::string, OrganizationProfile>> v;
    auto p = profile();
    p.name.en = "";
    v.emplace_back("empty name", p);
    p = profile();
    p.website = "javascript:alert(1)";
    v.emplace_back("script website", p);
    p = profile();
    p.other_names.push_back({"BE", "x"});
    v.emplace_back("upper-case language", p);
    p = profile();
    p.other_names.push_back({"en", "x"});
    v.emplace_back("English as other", p);
    p = profile();
    p.other_names.push_back({"be", "again"});
    v.emplace_back("language twice", p);
    p = profile();
    p.focus_areas.push_back("two\nlines");
    v.emplace_back("newline in item", p);
    p = profile();
    p.regions.assign(21, "x");
    v.emplace_back("too many regions", p);
    p = profile();
    p.minorities.push_back(std::string(81, 'a'));
    v.emplace_back("long item", p);
    p = profile();
    p.minorities.push_back("   ");
    v.emplace_back("blank item", p);
    return v;
  }();
  for (const auto& [why, p] : bad) {
    auto s = registry_->update_profile("alpha", p, "operator");
    ASSERT_FALSE(s) << why;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << why;
  }
  EXPECT_EQ(registry_->organization("alpha")->name.en, "Alpha");
  EXPECT_EQ(registry_->update_profile("gamma", profile(), "operator").error().code,
            ErrorCode::kNotFound);
}

TEST_P(ProfilesTest, CodesStopAtTheQuotaUntilThePeriodPasses) {
  ASSERT_TRUE(accounts_->set_code_quota("operator", "", 10, 30));
  auto q = accounts_->code_quota("alpha");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->codes, 10);
  EXPECT_FALSE(q->organization_specific);
  ASSERT_TRUE(accounts_->issue_codes("alpha", 8, days(7), "operator"));
  auto over = accounts_->issue_codes("alpha", 3, days(7), "operator");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(over.error().message.find("2 can still be issued"), std::string::npos)
      << over.error().message;
  EXPECT_EQ(*accounts_->codes_issued_in_period("alpha"), 8);
  // Another organization has a quota of its own.
  EXPECT_TRUE(accounts_->issue_codes("beta", 10, days(7), "operator"));
  // Revoked codes do not count; time frees the quota too.
  ASSERT_TRUE(accounts_->revoke_unused_codes("alpha", "operator"));
  EXPECT_TRUE(accounts_->issue_codes("alpha", 9, days(7), "operator"));
  EXPECT_FALSE(accounts_->issue_codes("alpha", 2, days(7), "operator"));
  clock_.advance(days(31));
  EXPECT_TRUE(accounts_->issue_codes("alpha", 10, days(7), "operator"));
}

TEST_P(ProfilesTest, AnOrganizationQuotaOverridesTheDefaultAndIsAudited) {
  ASSERT_TRUE(accounts_->set_code_quota("operator", "", 10, 30));
  ASSERT_TRUE(accounts_->set_code_quota("operator", "beta", 2, 7));
  auto q = accounts_->code_quota("beta");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->codes, 2);
  EXPECT_EQ(q->period_days, 7);
  EXPECT_TRUE(q->organization_specific);
  EXPECT_FALSE(accounts_->issue_codes("beta", 3, days(1), "operator"));
  EXPECT_EQ(accounts_->set_code_quota("operator", "", -1, 30).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(accounts_->set_code_quota("operator", "", 5, 0).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(accounts_->set_code_quota("operator", "nope", 5, 5).error().code, ErrorCode::kNotFound);
  auto log = audit_entries(*db_, true);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->back().action, "invitations.quota");
  EXPECT_EQ(log->back().subject, "beta: 2 codes per 7 days");
}

TEST_P(ProfilesTest, RoleHoldersOfAnOrganizationAreListed) {
  for (const char* h : {"zoya", "artem", "boris"}) {
    auto codes = accounts_->issue_codes("alpha", 1, days(7), "operator");
    ASSERT_TRUE(codes);
    ASSERT_TRUE(accounts_->join(codes->front(), h, "a long enough passphrase"));
  }
  ASSERT_TRUE(accounts_->grant_role("operator", "zoya", Role::kDelegate, "alpha"));
  ASSERT_TRUE(accounts_->grant_role("operator", "artem", Role::kDelegate, "alpha"));
  ASSERT_TRUE(accounts_->grant_role("operator", "boris", Role::kRegistrar, "alpha"));
  ASSERT_TRUE(accounts_->grant_role("operator", "boris", Role::kDelegate, "beta"));
  auto holders = accounts_->organization_roles("alpha");
  ASSERT_TRUE(holders) << holders.error().message;
  ASSERT_EQ(holders->size(), 3u);
  EXPECT_EQ((*holders)[0].handle, "artem");
  EXPECT_EQ((*holders)[0].role, Role::kDelegate);
  EXPECT_EQ((*holders)[1].handle, "zoya");
  EXPECT_EQ((*holders)[2].handle, "boris");
  EXPECT_EQ((*holders)[2].role, Role::kRegistrar);
  EXPECT_EQ(accounts_->organization_roles("nope").error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProfilesTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
