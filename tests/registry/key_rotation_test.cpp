// Rotating the data key on both backends: sealed values move to the new key, keyed hashes of
// secrets Veche does not keep are voided, and the wrong old key changes nothing.
#include "veche/registry/key_rotation.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/crypto/otp.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/factors.hpp"
#include "veche/registry/personal_data.hpp"

namespace veche::registry {
namespace {

using std::chrono::days;

class KeyRotationTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    old_key_ = crypto::SecretBytes(crypto::Bytes(32, 1));
    new_key_ = crypto::SecretBytes(crypto::Bytes(32, 2));
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(Registry(*db_, clock_).add_organization({"alpha", {"Alpha", ""}, {"", ""}, ""}));
  }
  std::string code_for(const std::string& secret_b32) const {
    auto raw = crypto::from_base32(secret_b32);
    EXPECT_TRUE(raw);
    return crypto::totp(*raw, core::to_unix(clock_.now()));
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes old_key_;
  crypto::SecretBytes new_key_;
};

TEST_P(KeyRotationTest, SealedValuesMoveToTheNewKeyAndKeyedHashesAreVoided) {
  Accounts accounts(*db_, clock_, old_key_);
  Factors factors(*db_, clock_, old_key_, accounts);
  PersonalData data(*db_, clock_, old_key_);
  auto codes = accounts.issue_codes("alpha", 3, days(7), "operator");
  ASSERT_TRUE(codes);
  auto id = accounts.join(codes->front(), "mira", "a long enough passphrase");
  ASSERT_TRUE(id);
  ASSERT_TRUE(data.set_contact_address(*id, "mira@example.org"));
  auto enrolment = factors.begin_totp(*id);
  ASSERT_TRUE(enrolment);
  ASSERT_TRUE(factors.confirm_totp(*id, code_for(enrolment->secret_base32), ""));
  clock_.advance(std::chrono::seconds(30));
  auto session = accounts.login("mira", "a long enough passphrase");
  ASSERT_FALSE(session) << "TOTP is on: the login needs the second step";
  auto step = factors.login("mira", "a long enough passphrase");
  ASSERT_TRUE(step);

  auto done = rotate_data_key(*db_, clock_, old_key_, new_key_, "operator");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->totp_secrets, 1);
  EXPECT_EQ(done->contact_addresses, 1);
  EXPECT_EQ(done->codes_revoked, 2);

  Accounts after(*db_, clock_, new_key_);
  Factors factors_after(*db_, clock_, new_key_, after);
  PersonalData data_after(*db_, clock_, new_key_);
  auto address = data_after.contact_address(*id);
  ASSERT_TRUE(address) << address.error().message;
  ASSERT_TRUE(address->has_value());
  EXPECT_EQ(**address, "mira@example.org");
  auto found = data_after.find_by_contact_address("mira@example.org");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::optional<AccountId>(*id)) << "the lookup hash moved too";
  clock_.advance(std::chrono::seconds(30));
  EXPECT_TRUE(factors_after.verify_totp(*id, code_for(enrolment->secret_base32)))
      << "the same authenticator app keeps working";
  EXPECT_EQ(after.join(codes->at(1), "late", "a long enough passphrase").error().code,
            ErrorCode::kPermissionDenied)
      << "unused codes are revoked";
  auto log = audit_entries(*db_, false);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->back().action, "data-key.rotate");
  EXPECT_EQ(verify_audit(*db_)->first_broken, std::nullopt);
}

TEST_P(KeyRotationTest, TheWrongOldKeyChangesNothing) {
  Accounts accounts(*db_, clock_, old_key_);
  PersonalData data(*db_, clock_, old_key_);
  auto codes = accounts.issue_codes("alpha", 2, days(7), "operator");
  ASSERT_TRUE(codes);
  auto id = accounts.join(codes->front(), "lada", "a long enough passphrase");
  ASSERT_TRUE(id);
  ASSERT_TRUE(data.set_contact_address(*id, "lada@example.org"));
  const crypto::SecretBytes wrong(crypto::Bytes(32, 3));
  auto refused = rotate_data_key(*db_, clock_, wrong, new_key_, "operator");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kDataLoss);
  EXPECT_EQ(**data.contact_address(*id), "lada@example.org") << "still under the old key";
  EXPECT_EQ(accounts.code_counts("alpha")->unused, 1) << "codes untouched";
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyRotationTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
