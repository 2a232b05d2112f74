// Second factors: TOTP (RFC 6238 vectors, window, replay, sealed at rest), the two-step login,
// the requirement for role holders, recovery codes and personal access tokens, on both backends.
#include "veche/registry/factors.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "fixture.hpp"
#include "veche/crypto/at_rest.hpp"
#include "veche/crypto/otp.hpp"
#include "veche/crypto/random.hpp"

namespace veche::registry {
namespace {

using std::chrono::days;
using std::chrono::seconds;

constexpr std::string_view kPass = "a long enough passphrase";

// RFC 6238 Appendix B, the SHA-1 rows: the seed is the ASCII string "12345678901234567890".
TEST(Totp, MatchesRfc6238AppendixB) {
  const auto seed = crypto::as_bytes("12345678901234567890");
  const std::pair<std::int64_t, const char*> rows[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [t, code] : rows) EXPECT_EQ(crypto::totp(seed, t, 8), code) << "T=" << t;
  EXPECT_EQ(crypto::totp_step(1111111109), 0x23523ECu);
  EXPECT_EQ(crypto::totp_step(20000000000), 0x27BC86AAu);
}

// RFC 4226 Appendix D: HOTP counters 0..9, six digits.
TEST(Totp, HotpMatchesRfc4226AppendixD) {
  const auto seed = crypto::as_bytes("12345678901234567890");
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t c = 0; c < 10; ++c) EXPECT_EQ(crypto::hotp(seed, c, 6), expected[c]);
}

TEST(AtRest, OpensOnlyWithTheSameKeyPurposeAndRow) {
  ASSERT_TRUE(crypto::initialize());
  const crypto::SecretBytes key(crypto::Bytes(32, 3));
  const crypto::SecretBytes other(crypto::Bytes(32, 4));
  const auto secret = crypto::as_bytes("twenty bytes secret!");
  const auto sealed = crypto::encrypt_at_rest(key, "totp-secret", "totp/account/1", secret);
  EXPECT_EQ(sealed.size(), 24 + secret.size() + 16);
  auto opened = crypto::decrypt_at_rest(key, "totp-secret", "totp/account/1", sealed);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(std::equal(opened->expose().begin(), opened->expose().end(), secret.begin()));
  EXPECT_NE(crypto::encrypt_at_rest(key, "totp-secret", "totp/account/1", secret), sealed)
      << "each sealing draws a fresh nonce";
  EXPECT_EQ(crypto::decrypt_at_rest(key, "totp-secret", "totp/account/2", sealed).error().code,
            ErrorCode::kDataLoss);
  EXPECT_FALSE(crypto::decrypt_at_rest(key, "contact", "totp/account/1", sealed));
  EXPECT_FALSE(crypto::decrypt_at_rest(other, "totp-secret", "totp/account/1", sealed));
  auto tampered = sealed;
  tampered[30] ^= 1;
  EXPECT_FALSE(crypto::decrypt_at_rest(key, "totp-secret", "totp/account/1", tampered));
  EXPECT_FALSE(crypto::decrypt_at_rest(key, "totp-secret", "totp/account/1",
                                       crypto::ByteView(sealed.data(), 20)));
}

class FactorsTest : public RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 7));
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Registry reg(*db_, clock_);
    ASSERT_TRUE(reg.add_organization({"alpha", {"Alpha", ""}, {"", ""}, ""}));
    accounts_ = std::make_unique<Accounts>(*db_, clock_, key_);
    factors_ = std::make_unique<Factors>(*db_, clock_, key_, *accounts_);
  }
  void TearDown() override {
    factors_.reset();
    accounts_.reset();
    RegistryDatabaseTest::TearDown();
  }
  AccountId join(std::string_view handle) {
    auto codes = accounts_->issue_codes("alpha", 1, days(7), "operator");
    EXPECT_TRUE(codes);
    auto id = accounts_->join(codes->front(), handle, kPass);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : AccountId();
  }
  // The code an authenticator app shows now (or `offset` steps away) for a base32 secret.
  std::string code_for(const std::string& secret_b32, int offset = 0) const {
    auto raw = crypto::from_base32(secret_b32);
    EXPECT_TRUE(raw);
    return crypto::totp(*raw, core::to_unix(clock_.now()) + offset * kTotpStepSeconds);
  }
  // Enrols and confirms TOTP; returns the secret. Leaves the clock on the next step.
  std::string enrol(AccountId id) {
    auto e = factors_->begin_totp(id);
    EXPECT_TRUE(e) << e.error().message;
    EXPECT_TRUE(factors_->confirm_totp(id, code_for(e->secret_base32), ""));
    clock_.advance(seconds(kTotpStepSeconds));
    return e->secret_base32;
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Factors> factors_;
};

TEST_P(FactorsTest, EnrolmentIsPendingUntilAFirstValidCode) {
  const auto id = join("sadko");
  EXPECT_EQ(*factors_->totp_state(id), TotpState::kOff);
  auto e = factors_->begin_totp(id);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->secret_base32.size(), 32u);  // 20 bytes
  EXPECT_EQ(e->uri, "otpauth://totp/Veche:sadko?secret=" + e->secret_base32 +
                        "&issuer=Veche&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(*factors_->totp_state(id), TotpState::kPending);
  // Pending: logging in needs no code yet.
  auto step = factors_->login("sadko", kPass);
  ASSERT_TRUE(step);
  EXPECT_FALSE(step->session_token.empty());
  EXPECT_TRUE(step->challenge_token.empty());

  EXPECT_EQ(factors_->confirm_totp(id, "000000", "").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(factors_->confirm_totp(id, "12345", "").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ((*factors_->pending_totp(id))->secret_base32, e->secret_base32);
  ASSERT_TRUE(factors_->confirm_totp(id, code_for(e->secret_base32), step->session_token));
  EXPECT_EQ(*factors_->totp_state(id), TotpState::kActive);
  EXPECT_FALSE(*factors_->pending_totp(id));
  EXPECT_TRUE(accounts_->session(step->session_token)->second_factor)
      << "confirming in a session proves the factor for that session";
  EXPECT_EQ(factors_->begin_totp(id).error().code, ErrorCode::kAlreadyExists);
}

TEST_P(FactorsTest, LoginWithTotpNeedsTheSecondStep) {
  const auto id = join("volga");
  const auto secret = enrol(id);
  EXPECT_EQ(accounts_->login("volga", kPass).error().code, ErrorCode::kFailedPrecondition)
      << "the one-step login cannot skip the code";
  auto step = factors_->login("volga", kPass);
  ASSERT_TRUE(step);
  EXPECT_TRUE(step->session_token.empty());
  ASSERT_FALSE(step->challenge_token.empty());
  EXPECT_EQ(factors_->login("volga", "wrong passphrase").error().code, ErrorCode::kUnauthenticated);

  EXPECT_EQ(factors_->finish_login(step->challenge_token, "111111").error().code,
            ErrorCode::kPermissionDenied);
  auto token = factors_->finish_login(step->challenge_token, code_for(secret));
  ASSERT_TRUE(token) << token.error().message;
  auto s = accounts_->session(*token);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->account, id);
  EXPECT_TRUE(s->second_factor);
  // The challenge is spent.
  clock_.advance(seconds(kTotpStepSeconds));
  EXPECT_EQ(factors_->finish_login(step->challenge_token, code_for(secret)).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(FactorsTest, AUsedStepCannotBeReplayedNorAnEarlierOne) {
  const auto id = join("kitezh");
  const auto secret = enrol(id);
  const auto code = code_for(secret);
  ASSERT_TRUE(factors_->verify_totp(id, code));
  EXPECT_EQ(factors_->verify_totp(id, code).error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(factors_->verify_totp(id, code_for(secret, -1)))
      << "the previous step is inside the window but before the step already used";
  EXPECT_TRUE(factors_->verify_totp(id, code_for(secret, +1)));
  EXPECT_FALSE(factors_->verify_totp(id, code_for(secret, 0)));
}

TEST_P(FactorsTest, CodesOneStepAwayAreAcceptedTwoStepsAwayAreNot) {
  const auto id = join("lada");
  const auto secret = enrol(id);
  clock_.advance(seconds(10 * kTotpStepSeconds));
  EXPECT_FALSE(factors_->verify_totp(id, code_for(secret, -2)));
  EXPECT_FALSE(factors_->verify_totp(id, code_for(secret, +2)));
  EXPECT_TRUE(factors_->verify_totp(id, code_for(secret, -1)));
  clock_.advance(seconds(10 * kTotpStepSeconds));
  EXPECT_TRUE(factors_->verify_totp(id, code_for(secret, +1)));
  const auto spaced = code_for(secret, +2);
  clock_.advance(seconds(kTotpStepSeconds));
  EXPECT_TRUE(factors_->verify_totp(id, spaced.substr(0, 3) + " " + spaced.substr(3)))
      << "a space between the groups, as apps show codes, is ignored";
}

TEST_P(FactorsTest, AChallengeDiesAfterFiveWrongCodesOrFiveMinutes) {
  const auto id = join("bylina");
  const auto secret = enrol(id);
  auto step = factors_->login("bylina", kPass);
  ASSERT_TRUE(step);
  for (int i = 0; i < kMaxTotpAttempts; ++i) {
    EXPECT_EQ(factors_->finish_login(step->challenge_token, "999999").error().code,
              ErrorCode::kPermissionDenied);
  }
  EXPECT_EQ(factors_->finish_login(step->challenge_token, code_for(secret)).error().code,
            ErrorCode::kUnauthenticated);
  auto late = factors_->login("bylina", kPass);
  ASSERT_TRUE(late);
  clock_.advance(kLoginChallengeLifetime);
  EXPECT_EQ(factors_->finish_login(late->challenge_token, code_for(secret)).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(factors_->finish_login("made-up", code_for(secret)).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(FactorsTest, RoleHoldersNeedTheSecondFactorForTheirPowers) {
  const auto id = join("posadnik");
  EXPECT_FALSE(*factors_->needs_second_factor(id));
  auto plain = accounts_->session(*accounts_->login("posadnik", kPass));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->second_factor);
  EXPECT_TRUE(*factors_->second_factor_ok(*plain)) << "optional for constituents";

  ASSERT_TRUE(accounts_->grant_role("operator", "posadnik", Role::kDelegate, "alpha"));
  EXPECT_TRUE(*factors_->needs_second_factor(id));
  const auto before = *accounts_->login("posadnik", kPass);
  EXPECT_FALSE(*factors_->second_factor_ok(*accounts_->session(before)))
      << "a delegate without TOTP";

  const auto secret = enrol(id);
  auto step = factors_->login("posadnik", kPass);
  ASSERT_TRUE(step);
  auto token = factors_->finish_login(step->challenge_token, code_for(secret));
  ASSERT_TRUE(token);
  EXPECT_TRUE(*factors_->second_factor_ok(*accounts_->session(*token)));
  EXPECT_FALSE(*factors_->second_factor_ok(*accounts_->session(before)))
      << "a session from before the enrolment did not pass the second factor";
  for (Role r : {Role::kDelegate, Role::kRegistrar, Role::kTrustee, Role::kCoordinator,
                 Role::kModerator, Role::kOperator}) {
    EXPECT_TRUE(role_needs_second_factor(r)) << role_name(r);
  }
  EXPECT_FALSE(role_needs_second_factor(Role::kConstituent));
}

TEST_P(FactorsTest, DisablingNeedsAValidCode) {
  const auto id = join("stribog");
  const auto secret = enrol(id);
  auto step = factors_->login("stribog", kPass);
  clock_.advance(seconds(kTotpStepSeconds));
  const auto strong = factors_->finish_login(step->challenge_token, code_for(secret));
  ASSERT_TRUE(strong);
  const auto token = factors_->create_token(id, "t", {Scope::kDelegate}, days(3), true);
  ASSERT_TRUE(token);
  clock_.advance(seconds(kTotpStepSeconds));
  EXPECT_EQ(factors_->disable_totp(id, "123456").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(*factors_->totp_state(id), TotpState::kActive);
  ASSERT_TRUE(factors_->disable_totp(id, code_for(secret)));
  EXPECT_EQ(*factors_->totp_state(id), TotpState::kOff);
  EXPECT_TRUE(accounts_->login("stribog", kPass));
  EXPECT_EQ(factors_->verify_totp(id, code_for(secret)).error().code,
            ErrorCode::kFailedPrecondition);
  // Granted a role later, the account needs the app again: old sessions and tokens do not count.
  ASSERT_TRUE(accounts_->grant_role("operator", "stribog", Role::kDelegate, "alpha"));
  EXPECT_FALSE(*factors_->second_factor_ok(*accounts_->session(*strong)));
  EXPECT_FALSE(factors_->authenticate_token(*token)->second_factor);
}

TEST_P(FactorsTest, AnOperatorResetsALostAuthenticatorAndItIsAudited) {
  const auto id = join("sineus");
  enrol(id);
  auto step = factors_->login("sineus", kPass);
  ASSERT_TRUE(step);
  EXPECT_EQ(factors_->reset_totp("operator", "nobody-at-all").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(factors_->reset_totp("operator", "SINEUS"));
  EXPECT_EQ(*factors_->totp_state(id), TotpState::kOff);
  EXPECT_EQ(factors_->reset_totp("operator", "sineus").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(factors_->finish_login(step->challenge_token, "123456"))
      << "pending logins end with it";
  EXPECT_TRUE(accounts_->login("sineus", kPass));
  auto log = audit_entries(*db_, false);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->back().action, "totp.reset");
  EXPECT_EQ(log->back().actor, "operator");
  EXPECT_EQ(log->back().subject, "sineus");
}

TEST_P(FactorsTest, TheTotpSecretIsSealedInTheDatabaseFile) {
  if (GetParam() != store::Backend::kSqlite) GTEST_SKIP() << "reads the SQLite file's bytes";
  const auto id = join("zhar-ptitsa");
  auto e = factors_->begin_totp(id);
  ASSERT_TRUE(e);
  ASSERT_TRUE(factors_->confirm_totp(id, code_for(e->secret_base32), ""));
  const auto raw = *crypto::from_base32(e->secret_base32);
  factors_.reset();
  accounts_.reset();
  db_.reset();  // checkpoint the WAL into the file
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(bytes.find("zhar-ptitsa"), std::string::npos);  // the search itself works
  EXPECT_EQ(bytes.find(std::string(raw.begin(), raw.end())), std::string::npos);
  EXPECT_EQ(bytes.find(e->secret_base32), std::string::npos);
  std::string lower = e->secret_base32;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(bytes.find(lower), std::string::npos);
}

TEST_P(FactorsTest, TheRecoveryCodeResetsThePassphraseAndEndsEverySession) {
  const auto id = join("vasilisa");
  ASSERT_FALSE(*factors_->has_recovery_code(id));
  auto code = factors_->new_recovery_code(id);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->size(), 19u) << *code;  // XXXX-XXXX-XXXX-XXXX
  EXPECT_TRUE(*factors_->has_recovery_code(id));
  const auto session = *accounts_->login("vasilisa", kPass);
  constexpr std::string_view kNew = "a brand new passphrase";

  auto wrong = factors_->recover("vasilisa", "AAAA-BBBB-CCCC-DDDD", kNew);
  auto unknown = factors_->recover("nobody-here", *code, kNew);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(factors_->recover("vasilisa", *code, "short").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(accounts_->session(session)) << "failed attempts change nothing";

  std::string typed;  // lower case, without dashes, as people type it
  for (char c : *code) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto fresh = factors_->recover("VASILISA", typed, kNew);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_NE(*fresh, *code);
  EXPECT_FALSE(accounts_->session(session)) << "every session ends";
  EXPECT_FALSE(accounts_->login("vasilisa", kPass));
  EXPECT_TRUE(accounts_->login("vasilisa", kNew));
  EXPECT_FALSE(factors_->recover("vasilisa", *code, "yet another passphrase"))
      << "the old code is spent";
  EXPECT_TRUE(factors_->recover("vasilisa", *fresh, "yet another passphrase"));

  auto log = audit_entries(*db_, false);
  ASSERT_TRUE(log);
  int recoveries = 0;
  for (const auto& e : *log) {
    if (e.action == "account.recover") ++recoveries;
    EXPECT_EQ(e.subject.find(std::string(kNew)), std::string::npos);
    EXPECT_EQ(e.subject.find(*fresh), std::string::npos);
    EXPECT_FALSE(e.is_public) << e.action;
  }
  EXPECT_EQ(recoveries, 2);
  EXPECT_TRUE(verify_audit(*db_)->problem.empty());
}

TEST_P(FactorsTest, AccessTokensAuthenticateWithTheirScopesUntilRevokedOrExpired) {
  const auto id = join("ladoga");
  const auto other = join("onega");
  auto token = factors_->create_token(id, "my script", {Scope::kVote, Scope::kRead}, days(30));
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(token->starts_with("veche_pat_"));
  auto auth = factors_->authenticate_token(*token);
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->account, id);
  EXPECT_EQ(auth->handle, "ladoga");
  EXPECT_EQ(auth->scopes, (std::vector<Scope>{Scope::kRead, Scope::kVote}));
  EXPECT_FALSE(auth->second_factor);
  auto strong = factors_->create_token(id, "after totp", {Scope::kDelegate}, days(30), true);
  ASSERT_TRUE(strong);
  EXPECT_TRUE(factors_->authenticate_token(*strong)->second_factor);
  ASSERT_TRUE(factors_->revoke_token(id, (*factors_->tokens(id))[0].id));

  auto list = factors_->tokens(id);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "my script");
  EXPECT_EQ((*list)[0].last_used_day, core::to_iso8601(clock_.now()).substr(0, 10));
  EXPECT_FALSE((*list)[0].expired);
  EXPECT_TRUE(factors_->tokens(other)->empty());

  EXPECT_EQ(factors_->revoke_token(other, (*list)[0].id).error().code, ErrorCode::kNotFound)
      << "nobody revokes another account's token";
  EXPECT_TRUE(factors_->authenticate_token(*token));
  ASSERT_TRUE(factors_->revoke_token(id, (*list)[0].id));
  EXPECT_EQ(factors_->authenticate_token(*token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(factors_->tokens(id)->empty());

  auto short_lived = factors_->create_token(id, "day pass", {Scope::kRead}, days(1));
  ASSERT_TRUE(short_lived);
  clock_.advance(days(1) - seconds(1));
  EXPECT_TRUE(factors_->authenticate_token(*short_lived));
  clock_.advance(seconds(1));
  EXPECT_FALSE(factors_->authenticate_token(*short_lived));
  EXPECT_TRUE((*factors_->tokens(id))[0].expired);
  EXPECT_FALSE(factors_->authenticate_token("veche_pat_made-up"));
  EXPECT_FALSE(factors_->authenticate_token(""));
}

TEST_P(FactorsTest, AccessTokensAreCheckedAndStoredAsKeyedHashes) {
  const auto id = join("sviyaga");
  EXPECT_EQ(factors_->create_token(id, "", {Scope::kRead}, days(3)).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(factors_->create_token(id, std::string(65, 'x'), {Scope::kRead}, days(3)));
  EXPECT_FALSE(factors_->create_token(id, "ok", {}, days(3)));
  EXPECT_FALSE(factors_->create_token(id, "ok", {Scope::kRead}, days(0)));
  EXPECT_FALSE(factors_->create_token(id, "ok", {Scope::kRead}, days(366)));
  EXPECT_EQ(parse_scope("admin").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*parse_scope("registrar"), Scope::kRegistrar);
  for (int i = 0; i < kMaxTokensPerAccount; ++i) {
    ASSERT_TRUE(factors_->create_token(id, "t" + std::to_string(i), {Scope::kRead}, days(3)));
  }
  EXPECT_EQ(factors_->create_token(id, "one too many", {Scope::kRead}, days(3)).error().code,
            ErrorCode::kResourceExhausted);

  auto tx = db_->begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto rows = (*tx)->query("SELECT token_hash FROM access_tokens");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), static_cast<std::size_t>(kMaxTokensPerAccount));
  EXPECT_EQ((*rows)[0].blob(0).size(), 32u) << "a BLAKE2b-256 keyed hash, not the token";
}

TEST_P(FactorsTest, RotatingTheDataKeyReSealsTotpSecrets) {
  const auto id = join("novgorod");
  const auto secret = enrol(id);
  const crypto::SecretBytes new_key(crypto::Bytes(32, 9));
  const crypto::SecretBytes wrong_key(crypto::Bytes(32, 1));
  EXPECT_EQ(reseal_totp_secrets(*db_, wrong_key, new_key).error().code, ErrorCode::kDataLoss);
  EXPECT_TRUE(factors_->verify_totp(id, code_for(secret))) << "a failed reseal changes nothing";
  auto resealed = reseal_totp_secrets(*db_, key_, new_key);
  ASSERT_TRUE(resealed) << resealed.error().message;
  EXPECT_EQ(*resealed, 1);
  Accounts accounts(*db_, clock_, new_key);
  Factors rotated(*db_, clock_, new_key, accounts);
  clock_.advance(seconds(kTotpStepSeconds));
  EXPECT_TRUE(rotated.verify_totp(id, code_for(secret)));
  EXPECT_EQ(factors_->verify_totp(id, code_for(secret, 1)).error().code, ErrorCode::kDataLoss)
      << "the old key no longer opens it";
}

INSTANTIATE_TEST_SUITE_P(Backends, FactorsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const auto& param_info) {
                           return param_info.param == store::Backend::kSqlite ? "Sqlite"
                                                                              : "Postgres";
                         });

}  // namespace
}  // namespace veche::registry
