// Charter signatures on both backends: organizations through their delegates, individuals
// counted but never named.
#include "veche/registry/charter.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/crypto/random.hpp"

namespace veche::registry {
namespace {

class CharterTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 9));
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Registry reg(*db_, clock_);
    ASSERT_TRUE(reg.add_organization({"alpha", {"Alpha", ""}, {"", ""}, ""}));
    ASSERT_TRUE(reg.add_organization({"beta", {"Beta", ""}, {"", ""}, ""}));
    ASSERT_TRUE(reg.adopt_charter({"# One", ""}));
    ASSERT_TRUE(reg.adopt_charter({"# Two", ""}));
    accounts_ = std::make_unique<Accounts>(*db_, clock_, key_);
    alice_ = join("alice");
    bob_ = join("bob");
    ASSERT_TRUE(accounts_->grant_role("operator", "alice", Role::kDelegate, "alpha"));
  }
  void TearDown() override {
    accounts_.reset();
    RegistryDatabaseTest::TearDown();
  }
  AccountId join(std::string_view handle) {
    auto codes = accounts_->issue_codes("alpha", 1, std::chrono::days(1), "operator");
    EXPECT_TRUE(codes);
    auto id = accounts_->join(codes->front(), handle, "a long enough passphrase");
    EXPECT_TRUE(id) << id.error().message;
    return *id;
  }
  const CharterSignatures& version(const std::vector<CharterSignatures>& all, int v) {
    return all.at(static_cast<std::size_t>(v - 1));
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Accounts> accounts_;
  AccountId alice_, bob_;
};

TEST_P(CharterTest, ADelegateSignsForItsOrganizationOncePublicly) {
  Charter charter(*db_, clock_);
  ASSERT_TRUE(charter.sign_for_organization(alice_, 2, "alpha"));
  auto again = charter.sign_for_organization(alice_, 2, "alpha");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);

  auto all = charter.versions();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_TRUE(version(*all, 1).organizations.empty());
  ASSERT_EQ(version(*all, 2).organizations.size(), 1u);
  EXPECT_EQ(version(*all, 2).organizations[0].slug, "alpha");

  auto log = audit_entries(*db_, true);
  ASSERT_TRUE(log);
  ASSERT_FALSE(log->empty());
  EXPECT_EQ(log->back().action, "charter.sign");
  EXPECT_EQ(log->back().actor, "alice");
  EXPECT_NE(log->back().subject.find("alpha"), std::string::npos);
  EXPECT_TRUE(verify_audit(*db_)->entries > 0);
  EXPECT_FALSE(verify_audit(*db_)->first_broken);
}

TEST_P(CharterTest, OnlyADelegateOfThatOrganizationSignsForIt) {
  Charter charter(*db_, clock_);
  auto constituent = charter.sign_for_organization(bob_, 1, "alpha");
  ASSERT_FALSE(constituent);
  EXPECT_EQ(constituent.error().code, ErrorCode::kPermissionDenied);
  auto other_org = charter.sign_for_organization(alice_, 1, "beta");
  ASSERT_FALSE(other_org);
  EXPECT_EQ(other_org.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(charter.sign_for_organization(alice_, 7, "alpha").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(charter.sign_for_organization(alice_, 1, "nobody").error().code, ErrorCode::kNotFound);
  auto all = charter.versions();
  ASSERT_TRUE(all);
  EXPECT_TRUE(version(*all, 1).organizations.empty());

  // A revoked delegate no longer signs.
  ASSERT_TRUE(accounts_->revoke_role("operator", "alice", Role::kDelegate, "alpha"));
  EXPECT_EQ(charter.sign_for_organization(alice_, 1, "alpha").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(CharterTest, ADelegateWithdrawsTheOrganizationsSignature) {
  Charter charter(*db_, clock_);
  EXPECT_EQ(charter.withdraw_for_organization(alice_, 1, "alpha").error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(charter.sign_for_organization(alice_, 1, "alpha"));
  ASSERT_TRUE(charter.withdraw_for_organization(alice_, 1, "alpha"));
  auto all = charter.versions();
  ASSERT_TRUE(all);
  EXPECT_TRUE(version(*all, 1).organizations.empty());
  EXPECT_EQ(audit_entries(*db_, true)->back().action, "charter.withdraw");
}

TEST_P(CharterTest, IndividualsAreCountedOncePerVersionAndNeverAudited) {
  Charter charter(*db_, clock_);
  const auto audit_before = audit_entries(*db_, false)->size();
  ASSERT_TRUE(charter.sign_individually(alice_, 1));
  ASSERT_TRUE(charter.sign_individually(bob_, 1));
  ASSERT_TRUE(charter.sign_individually(bob_, 2));
  auto twice = charter.sign_individually(bob_, 1);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(charter.sign_individually(bob_, 3).error().code, ErrorCode::kNotFound);

  auto all = charter.versions();
  ASSERT_TRUE(all);
  EXPECT_EQ(version(*all, 1).individuals, 2);
  EXPECT_EQ(version(*all, 2).individuals, 1);
  EXPECT_EQ(*charter.signed_by(bob_), (std::vector<int>{1, 2}));
  // No audit entry, public or not, for an individual signature.
  EXPECT_EQ(audit_entries(*db_, false)->size(), audit_before);

  ASSERT_TRUE(charter.withdraw_individually(bob_, 1));
  EXPECT_EQ(charter.withdraw_individually(bob_, 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(version(*charter.versions(), 1).individuals, 1);
  EXPECT_EQ(*charter.signed_by(bob_), (std::vector<int>{2}));
}

TEST_P(CharterTest, TheDemoHasOrganizationAndIndividualSignatures) {
  // load_demo needs an empty database: use a second in-memory one on SQLite only.
  if (GetParam() != store::Backend::kSqlite) GTEST_SKIP() << "the demo is checked on SQLite";
  auto db = store::open(":memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE(store::migrate(**db, migrations()));
  ASSERT_TRUE(load_demo(**db, clock_));
  Charter charter(**db, clock_);
  auto all = charter.versions();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_FALSE(all->empty());
  EXPECT_GE(all->front().organizations.size(), 3u);
  EXPECT_GE(all->front().individuals, 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, CharterTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
