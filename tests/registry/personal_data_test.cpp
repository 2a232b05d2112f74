// A constituent's own data on both backends: display name, the sealed contact address, the
// export and the real erase. On SQLite the database file is searched byte by byte.
#include "veche/registry/personal_data.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fixture.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/charter.hpp"
#include "veche/registry/factors.hpp"

namespace veche::registry {
namespace {

constexpr std::string_view kPass = "a long enough passphrase";
constexpr std::string_view kAddress = "Marfa.Posadnitsa@example.org";

// The bytes of every file of the SQLite database (the main file and its WAL, if any).
std::string file_bytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

class PersonalDataTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 5));
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Registry reg(*db_, clock_);
    ASSERT_TRUE(reg.add_organization({"alpha", {"Alpha", ""}, {"", ""}, ""}));
    ASSERT_TRUE(reg.adopt_charter({"# One", ""}));
    accounts_ = std::make_unique<Accounts>(*db_, clock_, key_);
    data_ = std::make_unique<PersonalData>(*db_, clock_, key_);
    marfa_ = join("Marfa");
    other_ = join("Vadim");
  }
  void TearDown() override {
    data_.reset();
    accounts_.reset();
    RegistryDatabaseTest::TearDown();
  }
  AccountId join(std::string_view handle) {
    auto codes = accounts_->issue_codes("alpha", 1, std::chrono::days(1), "operator");
    EXPECT_TRUE(codes);
    auto id = accounts_->join(codes->front(), handle, kPass);
    EXPECT_TRUE(id) << id.error().message;
    return *id;
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<PersonalData> data_;
  AccountId marfa_, other_;
};

TEST_P(PersonalDataTest, DisplayNameIsSetAndCleared) {
  ASSERT_TRUE(data_->set_display_name(marfa_, "  Марфа Посадница "));
  EXPECT_EQ(accounts_->account(marfa_)->display_name, "Марфа Посадница");
  EXPECT_EQ(data_->set_display_name(marfa_, std::string(81, 'x')).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(data_->set_display_name(marfa_, "two\nlines").error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(data_->set_display_name(marfa_, ""));
  EXPECT_EQ(accounts_->account(marfa_)->display_name, "");
}

TEST_P(PersonalDataTest, ContactAddressIsSealedAndFoundByKeyedHash) {
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  auto back = data_->contact_address(marfa_);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->value_or(""), kAddress);
  // Found case-insensitively, and only for its owner.
  auto found = data_->find_by_contact_address("marfa.posadnitsa@EXAMPLE.org ");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, marfa_);
  EXPECT_FALSE(data_->find_by_contact_address("nobody@example.org")->has_value());
  EXPECT_FALSE(data_->contact_address(other_)->has_value());
  // Another account cannot take the same address.
  EXPECT_EQ(data_->set_contact_address(other_, "MARFA.posadnitsa@example.org").error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(data_->set_contact_address(other_, "a b@example.org").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(data_->set_contact_address(other_, "x").error().code, ErrorCode::kInvalidArgument);
  // Replacing and clearing.
  ASSERT_TRUE(data_->set_contact_address(marfa_, "@marfa_telegram"));
  EXPECT_EQ(data_->contact_address(marfa_)->value_or(""), "@marfa_telegram");
  EXPECT_FALSE(data_->find_by_contact_address(kAddress)->has_value());
  ASSERT_TRUE(data_->clear_contact_address(marfa_));
  EXPECT_FALSE(data_->contact_address(marfa_)->has_value());
}

TEST_P(PersonalDataTest, ASealedAddressDoesNotOpenUnderAnotherKey) {
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  const crypto::SecretBytes other_key(crypto::Bytes(32, 6));
  PersonalData wrong(*db_, clock_, other_key);
  auto back = wrong.contact_address(marfa_);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kDataLoss);
  EXPECT_FALSE(wrong.find_by_contact_address(kAddress)->has_value());
}

TEST_P(PersonalDataTest, RotatingTheDataKeyResealsAddressesAndTheirKeyedHashes) {
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  ASSERT_TRUE(data_->set_contact_address(other_, "@vadim"));
  const crypto::SecretBytes new_key(crypto::Bytes(32, 8));
  const crypto::SecretBytes wrong_key(crypto::Bytes(32, 1));
  auto refused = reseal_contact_addresses(*db_, wrong_key, new_key);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kDataLoss);
  EXPECT_EQ(data_->contact_address(marfa_)->value_or(""), kAddress) << "nothing changed";
  auto count = reseal_contact_addresses(*db_, key_, new_key);
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 2);
  PersonalData rotated(*db_, clock_, new_key);
  EXPECT_EQ(rotated.contact_address(marfa_)->value_or(""), kAddress);
  EXPECT_EQ(rotated.find_by_contact_address(kAddress)->value_or(AccountId()), marfa_);
  EXPECT_EQ(data_->contact_address(marfa_).error().code, ErrorCode::kDataLoss);
}

TEST_P(PersonalDataTest, TheExportHoldsEverythingAboutTheAccount) {
  ASSERT_TRUE(data_->set_display_name(marfa_, "Marfa P."));
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  ASSERT_TRUE(Charter(*db_, clock_).sign_individually(marfa_, 1));
  ASSERT_TRUE(accounts_->login("Marfa", kPass));
  ASSERT_TRUE(accounts_->login("Marfa", kPass));
  auto e = data_->export_data(marfa_);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->handle, "Marfa");
  EXPECT_EQ(e->display_name, "Marfa P.");
  EXPECT_EQ(e->contact_address.value_or(""), kAddress);
  ASSERT_EQ(e->roles.size(), 1u);
  EXPECT_EQ(e->roles[0].role, Role::kConstituent);
  EXPECT_EQ(e->charter_signatures, std::vector<int>{1});
  EXPECT_EQ(e->sessions, 2);
  EXPECT_FALSE(e->totp);
  EXPECT_EQ(core::to_unix(e->created_at), 1'790'000'000);
}

TEST_P(PersonalDataTest, EraseNeedsThePassphraseAndDeletesEveryRow) {
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  ASSERT_TRUE(Charter(*db_, clock_).sign_individually(marfa_, 1));
  ASSERT_TRUE(Charter(*db_, clock_).sign_individually(other_, 1));
  ASSERT_TRUE(accounts_->login("Marfa", kPass));
  ASSERT_TRUE(accounts_->grant_role("operator", "Marfa", Role::kDelegate, "alpha"));

  auto wrong = data_->erase(marfa_, "not the passphrase at all");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->account(marfa_));

  ASSERT_TRUE(data_->erase(marfa_, kPass));
  EXPECT_EQ(accounts_->account(marfa_).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(data_->export_data(marfa_).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(data_->find_by_contact_address(kAddress)->has_value());
  EXPECT_EQ(accounts_->login("Marfa", kPass).error().code, ErrorCode::kUnauthenticated);
  auto tx = db_->begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  for (const char* table :
       {"account_roles", "sessions", "contact_addresses", "charter_individual_signatures",
        "access_tokens", "totp_secrets", "recovery_codes", "login_challenges"}) {
    auto rows = (*tx)->query(std::string("SELECT COUNT(*) FROM ") + table + " WHERE account_id = ?",
                             {marfa_.value()});
    ASSERT_TRUE(rows) << table;
    EXPECT_EQ((*rows)[0].int64(0), 0) << table;
  }
  tx->reset();
  // The other signer is still counted; the audit log still checks.
  EXPECT_EQ(Charter(*db_, clock_).versions()->front().individuals, 1);
  EXPECT_FALSE(verify_audit(*db_)->first_broken);
  EXPECT_EQ(data_->erase(marfa_, kPass).error().code, ErrorCode::kNotFound);
}

TEST_P(PersonalDataTest, TheDatabaseFileNeverHoldsAContactAddressInPlainText) {
  if (GetParam() != store::Backend::kSqlite) GTEST_SKIP() << "searches the SQLite file";
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  ASSERT_TRUE(data_->set_contact_address(other_, "@vadim_signal"));
  // While the database is open (main file and WAL).
  auto bytes = file_bytes(dir_);
  ASSERT_FALSE(bytes.empty());
  EXPECT_FALSE(contains(bytes, kAddress));
  EXPECT_FALSE(contains(bytes, "posadnitsa"));
  EXPECT_FALSE(contains(bytes, "vadim_signal"));
  EXPECT_TRUE(contains(bytes, "Marfa"));  // the search does see the handle: it can find text
}

TEST_P(PersonalDataTest, AfterEraseTheFileHasNoTraceOfTheSealedAddress) {
  if (GetParam() != store::Backend::kSqlite) GTEST_SKIP() << "searches the SQLite file";
  ASSERT_TRUE(data_->set_contact_address(marfa_, kAddress));
  std::string sealed, lookup;
  {
    auto tx = db_->begin(store::Access::kRead);
    ASSERT_TRUE(tx);
    auto rows = (*tx)->query(
        "SELECT sealed_address, address_key FROM contact_addresses WHERE account_id = ?",
        {marfa_.value()});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    const auto& s = (*rows)[0].blob(0);
    const auto& k = (*rows)[0].blob(1);
    sealed.assign(reinterpret_cast<const char*>(s.data()), s.size());
    lookup.assign(reinterpret_cast<const char*>(k.data()), k.size());
  }
  ASSERT_TRUE(data_->erase(marfa_, kPass));
  // Close the database (SQLite checkpoints the WAL into the file), then compact it.
  data_.reset();
  accounts_.reset();
  db_.reset();
  const auto path = (dir_ / "r.db").string();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  EXPECT_EQ(
      sqlite3_exec(raw, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(raw);
  const auto bytes = file_bytes(dir_);
  EXPECT_FALSE(contains(bytes, sealed));
  EXPECT_FALSE(contains(bytes, lookup));
  EXPECT_FALSE(contains(bytes, kAddress));
}

INSTANTIATE_TEST_SUITE_P(Backends, PersonalDataTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
