// Accounts, sessions, invitation codes and the audit log on both backends.
#include "veche/registry/accounts.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <set>

#include "fixture.hpp"
#include "veche/crypto/random.hpp"

namespace veche::registry {
namespace {

using std::chrono::days;
using std::chrono::hours;

crypto::SecretBytes test_key() {
  const crypto::Bytes raw(32, 7);
  return crypto::SecretBytes(raw);
}

class AccountsTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = test_key();  // sodium_malloc needs sodium_init first
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Registry reg(*db_, clock_);
    ASSERT_TRUE(reg.add_organization({"alpha", {"Alpha", ""}, {"", ""}, ""}));
    ASSERT_TRUE(reg.add_organization({"beta", {"Beta", ""}, {"", ""}, ""}));
    accounts_ = std::make_unique<Accounts>(*db_, clock_, key_);
  }
  void TearDown() override {
    accounts_.reset();
    RegistryDatabaseTest::TearDown();
  }
  std::string one_code(std::string_view org = "alpha") {
    auto codes = accounts_->issue_codes(org, 1, days(7), "operator");
    EXPECT_TRUE(codes) << codes.error().message;
    return codes ? codes->front() : std::string();
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Accounts> accounts_;
};

constexpr std::string_view kPass = "a long enough passphrase";

TEST_P(AccountsTest, ACodeWorksExactlyOnce) {
  const auto code = one_code();
  ASSERT_EQ(code.size(), 19u) << code;  // XXXX-XXXX-XXXX-XXXX
  auto id = accounts_->join(code, "Marfa", kPass);
  ASSERT_TRUE(id) << id.error().message;
  auto again = accounts_->join(code, "someone-else", kPass);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPermissionDenied);
  auto acc = accounts_->account(*id);
  ASSERT_TRUE(acc);
  EXPECT_EQ(acc->handle, "Marfa");
  ASSERT_EQ(acc->roles.size(), 1u);
  EXPECT_EQ(acc->roles[0].role, Role::kConstituent);
}

TEST_P(AccountsTest, CodesAreReadCaseInsensitivelyWithoutDashes) {
  auto code = one_code();
  std::string typed;
  for (char c : code) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(accounts_->join(typed, "posadnik", kPass));
}

TEST_P(AccountsTest, ExpiredRevokedAndUnknownCodesFailAlike) {
  const auto expired = one_code();
  clock_.advance(days(8));
  auto e = accounts_->join(expired, "late-one", kPass);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::kPermissionDenied);

  const auto revoked = one_code();
  auto n = accounts_->revoke_unused_codes("alpha", "operator");
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);  // the expired one was unused too
  auto r = accounts_->join(revoked, "revoked-one", kPass);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, e.error().message);

  for (std::string_view bad : {"", "AAAA-AAAA-AAAA-AAAA", "not a code!", "AAAA"}) {
    auto b = accounts_->join(bad, "guesser", kPass);
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().message, e.error().message) << bad;
  }
}

TEST_P(AccountsTest, RegistrarsCountCodesButNothingLinksACodeToItsUser) {
  auto codes = accounts_->issue_codes("alpha", 3, days(7), "operator");
  ASSERT_TRUE(codes);
  ASSERT_TRUE(accounts_->join((*codes)[1], "ivan", kPass));
  auto counts = accounts_->code_counts("alpha");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->used, 1);
  EXPECT_EQ(counts->unused, 2);
  EXPECT_EQ(accounts_->code_counts("beta")->unused, 0);
  EXPECT_EQ(accounts_->code_counts("nope").error().code, ErrorCode::kNotFound);

  // The invitation_codes table has no column that could name an account or a time of use.
  auto tx = db_->begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto rows = (*tx)->query("SELECT * FROM invitation_codes");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].size(), 6u);  // code_hash, organization_id, batch, created_at,
                                     // expires_at, state
  // Every row of the batch looks the same apart from its hash and state.
  for (const auto& row : *rows) {
    EXPECT_EQ(row.int64(3), (*rows)[0].int64(3));
    EXPECT_EQ(row.int64(4), (*rows)[0].int64(4));
  }
}

TEST_P(AccountsTest, HandlesAreCheckedAndUniqueRegardlessOfCase) {
  ASSERT_TRUE(accounts_->join(one_code(), "Sadko", kPass));
  auto dup = accounts_->join(one_code(), "sADKO", kPass);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  for (std::string_view bad :
       {"ab", "with space", "кириллица", "x@y", "0123456789012345678901234567890123"}) {
    auto r = accounts_->join(one_code(), bad, kPass);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  auto short_pass = accounts_->join(one_code(), "shorty", "too short");
  ASSERT_FALSE(short_pass);
  EXPECT_EQ(short_pass.error().code, ErrorCode::kInvalidArgument);
  // Only the failed duplicate and the bad handles left codes unused: none was consumed.
  EXPECT_EQ(accounts_->code_counts("alpha")->used, 1);
}

TEST_P(AccountsTest, WrongPassphraseAndUnknownHandleGiveTheSameError) {
  ASSERT_TRUE(accounts_->join(one_code(), "vasilisa", kPass));
  auto wrong = accounts_->login("vasilisa", "not the passphrase");
  auto unknown = accounts_->login("nobody-here", kPass);
  auto malformed = accounts_->login("no", kPass);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().code, unknown.error().code);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().message, malformed.error().message);
  EXPECT_TRUE(accounts_->login("VASILISA", kPass));
}

TEST_P(AccountsTest, EveryLoginMakesANewSessionAndLogoutEndsOnlyItsOwn) {
  auto id = accounts_->join(one_code(), "dobrynya", kPass);
  ASSERT_TRUE(id);
  auto t1 = accounts_->login("dobrynya", kPass);
  auto t2 = accounts_->login("dobrynya", kPass);
  ASSERT_TRUE(t1 && t2);
  EXPECT_NE(*t1, *t2);
  auto s = accounts_->session(*t1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->account, *id);
  EXPECT_EQ(s->handle, "dobrynya");
  ASSERT_TRUE(accounts_->logout(*t1));
  EXPECT_EQ(accounts_->session(*t1).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->session(*t2));
  auto t3 = accounts_->login("dobrynya", kPass);
  ASSERT_TRUE(t3);
  ASSERT_TRUE(accounts_->logout_everywhere(*id));
  EXPECT_FALSE(accounts_->session(*t2));
  EXPECT_FALSE(accounts_->session(*t3));
  EXPECT_FALSE(accounts_->session("made-up-token"));
}

TEST_P(AccountsTest, SessionsExpire) {
  ASSERT_TRUE(accounts_->join(one_code(), "ilya", kPass));
  auto t = accounts_->login("ilya", kPass);
  ASSERT_TRUE(t);
  clock_.advance(kSessionLifetime - std::chrono::seconds(1));
  EXPECT_TRUE(accounts_->session(*t));
  clock_.advance(std::chrono::seconds(1));
  EXPECT_FALSE(accounts_->session(*t));
}

TEST_P(AccountsTest, SecretsAreNotStoredInPlainText) {
  if (GetParam() != store::Backend::kSqlite) GTEST_SKIP() << "reads the SQLite file's bytes";
  const auto code = one_code();
  ASSERT_TRUE(accounts_->join(code, "alyosha", kPass));
  auto token = accounts_->login("alyosha", kPass);
  ASSERT_TRUE(token);
  db_.reset();  // checkpoint the WAL into the file
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(bytes.find("alyosha"), std::string::npos);  // the search itself works
  EXPECT_EQ(bytes.find(*token), std::string::npos);
  EXPECT_EQ(bytes.find(code), std::string::npos);
  EXPECT_EQ(bytes.find(std::string(kPass)), std::string::npos);
}

TEST_P(AccountsTest, RoleChangesGoToTheAuditLogAndVerify) {
  ASSERT_TRUE(accounts_->join(one_code(), "registrar-1", kPass));
  ASSERT_TRUE(accounts_->grant_role("operator", "registrar-1", Role::kRegistrar, "alpha"));
  EXPECT_EQ(
      accounts_->grant_role("operator", "registrar-1", Role::kRegistrar, "alpha").error().code,
      ErrorCode::kAlreadyExists);
  EXPECT_EQ(accounts_->grant_role("operator", "registrar-1", Role::kRegistrar).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      accounts_->grant_role("operator", "registrar-1", Role::kModerator, "alpha").error().code,
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(accounts_->grant_role("operator", "ghost", Role::kModerator).error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(accounts_->grant_role("registrar-1", "registrar-1", Role::kModerator));
  ASSERT_TRUE(accounts_->revoke_role("operator", "registrar-1", Role::kModerator));
  EXPECT_EQ(accounts_->revoke_role("operator", "registrar-1", Role::kModerator).error().code,
            ErrorCode::kNotFound);

  auto all = audit_entries(*db_, false);
  ASSERT_TRUE(all);
  // issue (1 code), grant registrar, grant moderator, revoke moderator.
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[1].action, "role.grant");
  EXPECT_EQ((*all)[1].subject, "registrar-1: registrar of alpha");
  EXPECT_TRUE((*all)[1].is_public);
  EXPECT_EQ((*all)[2].actor, "registrar-1");
  EXPECT_FALSE((*all)[2].is_public);
  EXPECT_EQ((*all)[3].prev_hash, (*all)[2].hash);
  auto pub = audit_entries(*db_, true);
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->size(), 1u);
  auto report = verify_audit(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->entries, 4);
  EXPECT_FALSE(report->first_broken);

  auto token = accounts_->login("registrar-1", kPass);
  ASSERT_TRUE(token);
  auto session = accounts_->session(*token);
  ASSERT_TRUE(session);
  auto acc = accounts_->account(session->account);
  ASSERT_TRUE(acc);
  ASSERT_EQ(acc->roles.size(), 2u);
}

TEST_P(AccountsTest, TamperingOneAuditRowMakesVerifyNameIt) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(accounts_->issue_codes("beta", 1, days(1), "operator"));
  // The table refuses changes; an attacker with the database file removes the guard first.
  {
    auto guarded = db_->begin(store::Access::kWrite);
    ASSERT_TRUE(guarded);
    EXPECT_FALSE((*guarded)->exec("UPDATE audit_log SET subject = 'x' WHERE seq = 3"));
    EXPECT_FALSE((*guarded)->exec("DELETE FROM audit_log"));
  }
  auto tx = db_->begin(store::Access::kWrite);
  ASSERT_TRUE(tx);
  if (GetParam() == store::Backend::kSqlite) {
    ASSERT_TRUE((*tx)->exec("DROP TRIGGER audit_log_no_update"));
  } else {
    ASSERT_TRUE((*tx)->exec("DROP TRIGGER audit_log_append_only ON audit_log"));
  }
  ASSERT_TRUE((*tx)->exec("UPDATE audit_log SET subject = '0 codes for beta' WHERE seq = 3"));
  ASSERT_TRUE((*tx)->commit());
  auto report = verify_audit(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->entries, 4);
  ASSERT_TRUE(report->first_broken);
  EXPECT_EQ(*report->first_broken, 3);
}

TEST_P(AccountsTest, IssuingChecksCountValidityAndOrganization) {
  EXPECT_EQ(accounts_->issue_codes("alpha", 0, days(1), "operator").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      accounts_->issue_codes("alpha", kMaxCodesPerBatch + 1, days(1), "operator").error().code,
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(accounts_->issue_codes("alpha", 1, std::chrono::minutes(5), "operator").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(accounts_->issue_codes("missing", 1, days(1), "operator").error().code,
            ErrorCode::kNotFound);
  auto codes = accounts_->issue_codes("alpha", 50, days(1), "operator");
  ASSERT_TRUE(codes);
  std::set<std::string> unique(codes->begin(), codes->end());
  EXPECT_EQ(unique.size(), 50u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

TEST(DataKey, IsCreatedOnceWithMode0600AndReadBack) {
  ASSERT_TRUE(crypto::initialize());
  const auto dir = std::filesystem::temp_directory_path() / "veche-data-key-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = data_key_file_for("", (dir / "veche.db").string());
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, (dir / "veche-data.key").string());
  auto k1 = load_or_create_data_key(*path);
  ASSERT_TRUE(k1) << k1.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::filesystem::file_size(*path), 32u);
  auto k2 = load_or_create_data_key(*path);
  ASSERT_TRUE(k2);
  EXPECT_TRUE(*k1 == *k2);
  ::chmod(path->c_str(), 0644);
  EXPECT_EQ(load_or_create_data_key(*path).error().code, ErrorCode::kFailedPrecondition);
  {
    std::ofstream(dir / "short.key") << "short";
    ::chmod((dir / "short.key").c_str(), 0600);
  }
  EXPECT_EQ(load_or_create_data_key((dir / "short.key").string()).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(data_key_file_for("", "postgresql://x/y").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*data_key_file_for("/etc/veche/key", "postgresql://x/y"), "/etc/veche/key");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace veche::registry
