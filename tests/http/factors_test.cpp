// Second factors through the site (no socket): the recovery code after joining and /recover,
// TOTP enrolment and the two-step login, personal access tokens on the API (bearer needs no
// CSRF, cookie writes do, revoked tokens get 401), and the second factor of role holders.
#include "site_fixture.hpp"

namespace veche::http {
namespace {

class FactorsSiteTest : public SiteFixture {};

TEST_F(FactorsSiteTest, TheRecoveryCodeIsShownOnceAfterJoiningAndResetsThePassphrase) {
  const auto code = join("marfa");
  ASSERT_EQ(code.size(), 19u) << code;
  EXPECT_EQ(by_id(send(Method::kGet, "/login?joined=1").body, "recovery-code"), "")
      << "shown only once";
  ASSERT_EQ(login("marfa").status, 303);
  const auto old_session = cookies_["veche_session"];

  const auto form = send(Method::kGet, "/recover");
  ASSERT_EQ(form.status, 200);
  auto wrong = send(Method::kPost, "/recover",
                    "csrf=" + csrf_in(form.body) +
                        "&handle=marfa&code=AAAA-BBBB-CCCC-DDDD&passphrase=another+long+one");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("The handle or the recovery code is wrong."), std::string::npos);
  EXPECT_EQ(send(Method::kPost, "/recover", "handle=marfa&code=" + code).status, 403)
      << "no CSRF token";

  auto done = send(
      Method::kPost, "/recover",
      "csrf=" + csrf_in(form.body) + "&handle=marfa&code=" + code + "&passphrase=another+long+one");
  ASSERT_EQ(done.status, 200) << done.body;
  const auto fresh = by_id(done.body, "recovery-code");
  EXPECT_EQ(fresh.size(), 19u);
  EXPECT_NE(fresh, code);
  EXPECT_EQ(header(done, "Cache-Control"), "no-store");
  EXPECT_FALSE(accounts_->session(old_session)) << "every session ended";
  EXPECT_EQ(login("marfa").status, 401);
  EXPECT_EQ(login("marfa", "another long one").status, 303);
}

TEST_F(FactorsSiteTest, TotpIsEnrolledWithAQrCodeAndThenAsksForTheSecondStep) {
  join("sadko");
  ASSERT_EQ(login("sadko").status, 303);
  const auto page = send(Method::kGet, "/me/security");
  auto begun = send(Method::kPost, "/me/totp/begin", "csrf=" + csrf_in(page.body));
  ASSERT_EQ(begun.status, 200);
  const auto secret = by_id(begun.body, "totp-secret");
  EXPECT_NE(begun.body.find("<svg"), std::string::npos) << "the QR code is inline SVG";
  EXPECT_NE(begun.body.find("otpauth://totp/Veche:sadko?secret=" + secret), std::string::npos);
  EXPECT_EQ(header(begun, "Cache-Control"), "no-store");
  // A wrong code keeps the enrolment pending and shows the same key again.
  auto wrong =
      send(Method::kPost, "/me/totp/confirm", "csrf=" + csrf_in(begun.body) + "&code=000000");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(by_id(wrong.body, "totp-secret"), secret);
  auto done = send(Method::kPost, "/me/totp/confirm",
                   "csrf=" + csrf_in(begun.body) + "&code=" + code_now(secret));
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(by_id(send(Method::kGet, "/me").body, "totp-summary"), "Switched on");
  const auto secure_page = send(Method::kGet, "/me/security?done=totp-on");
  EXPECT_EQ(secure_page.body.find(secret), std::string::npos) << "the key is not shown again";

  // Logging in now stops at the second step: no session without the code.
  const auto before = cookies_["veche_session"];
  auto first = login("sadko");
  ASSERT_EQ(first.status, 303);
  EXPECT_EQ(header(first, "Location"), "/login/totp");
  EXPECT_TRUE(header(first, "Set-Cookie").starts_with("veche_login="))
      << header(first, "Set-Cookie");
  EXPECT_EQ(cookies_["veche_session"], before) << "no new session yet";
  const auto form = send(Method::kGet, "/login/totp");
  ASSERT_EQ(form.status, 200);
  auto bad = send(Method::kPost, "/login/totp", "csrf=" + csrf_in(form.body) + "&code=123456");
  EXPECT_EQ(bad.status, 403);
  EXPECT_NE(bad.body.find("This code is not right."), std::string::npos);
  EXPECT_EQ(send(Method::kPost, "/login/totp", "code=" + code_now(secret)).status, 403)
      << "no CSRF token";
  clock_.advance(std::chrono::seconds(30));
  auto ok = send(Method::kPost, "/login/totp",
                 "csrf=" + csrf_in(form.body) + "&code=" + code_now(secret));
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(header(ok, "Location"), "/me");
  ASSERT_TRUE(cookies_.count("veche_session"));
  EXPECT_NE(cookies_["veche_session"], before) << "the session id changes at login";
  EXPECT_FALSE(accounts_->session(before)) << "and the old session ends";
  EXPECT_TRUE(accounts_->session(cookies_["veche_session"])->second_factor);
  EXPECT_FALSE(cookies_.count("veche_login"));
}

TEST_F(FactorsSiteTest, TheSecondStepIsRateLimited) {
  join("bylina");
  ASSERT_EQ(login("bylina").status, 303);
  const auto secret = enrol();
  clock_.advance(std::chrono::seconds(60));  // confirming counted against the same limit
  ASSERT_EQ(login("bylina").status, 303);
  const auto csrf = csrf_in(send(Method::kGet, "/login/totp").body);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(send(Method::kPost, "/login/totp", "csrf=" + csrf + "&code=999999").status, 403);
  }
  EXPECT_EQ(send(Method::kPost, "/login/totp", "csrf=" + csrf + "&code=" + code_now(secret)).status,
            429);
  // A new challenge (the passphrase again) does not reset the account's limit.
  ASSERT_EQ(login("bylina").status, 303);
  EXPECT_EQ(send(Method::kPost, "/login/totp", "csrf=" + csrf + "&code=123456").status, 429);
  clock_.advance(std::chrono::seconds(60));
  auto fresh = send(Method::kPost, "/login/totp", "csrf=" + csrf + "&code=" + code_now(secret));
  EXPECT_EQ(fresh.status, 303) << "the new challenge works after the minute";
  ASSERT_EQ(
      send(Method::kPost, "/logout", "csrf=" + csrf_in(send(Method::kGet, "/me").body)).status,
      303);
  clock_.advance(std::chrono::seconds(60));
  ASSERT_EQ(login("bylina").status, 303);
  const auto csrf2 = csrf_in(send(Method::kGet, "/login/totp").body);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(send(Method::kPost, "/login/totp", "csrf=" + csrf2 + "&code=999999").status, 403);
  }
  clock_.advance(std::chrono::seconds(60));
  auto over = send(Method::kPost, "/login/totp", "csrf=" + csrf2 + "&code=" + code_now(secret, 1));
  EXPECT_EQ(over.status, 401) << "five wrong codes end the login attempt";
  EXPECT_NE(over.body.find("Please log in again."), std::string::npos);
}

TEST_F(FactorsSiteTest, BearerTokensNeedNoCsrfCookieWritesDoAndRevokedTokensGet401) {
  join("ladoga");
  ASSERT_EQ(login("ladoga").status, 303);
  const auto token = make_token("scope=read&scope=vote");
  ASSERT_TRUE(token.starts_with("veche_pat_")) << token;
  const auto listing = send(Method::kGet, "/me/tokens");
  EXPECT_EQ(listing.body.find(token), std::string::npos) << "shown only once";
  EXPECT_NE(listing.body.find("read, vote"), std::string::npos);

  const std::map<std::string, std::string> bearer = {{"authorization", "Bearer " + token}};
  auto me = send(Method::kGet, "/api/v1/me", "", bearer, false);
  ASSERT_EQ(me.status, 200) << me.body;
  auto o = json_of(me);
  EXPECT_EQ(o["handle"].as_string(), "ladoga");
  EXPECT_EQ(o["via"].as_string(), "token");
  EXPECT_EQ(o["scopes"].as_array().size(), 2u);
  EXPECT_FALSE(o.contains("csrf_token"));

  auto tokens = json_of(send(Method::kGet, "/api/v1/me/tokens", "", bearer, false));
  ASSERT_EQ(tokens["tokens"].as_array().size(), 1u);
  const auto id = tokens["tokens"].as_array()[0].as_object().at("id").as_int64();

  // With the session cookie, a write needs the CSRF token in a header.
  const auto second = make_token("scope=read");
  auto second_id = json_of(send(Method::kGet, "/api/v1/me/tokens"))["tokens"]
                       .as_array()[0]
                       .as_object()
                       .at("id")
                       .as_int64();
  const auto path = "/api/v1/me/tokens/" + std::to_string(second_id);
  EXPECT_EQ(send(Method::kDelete, path).status, 403);
  EXPECT_EQ(send(Method::kDelete, path, "", {{"x-csrf-token", "forged"}}).status, 403);
  const auto csrf =
      std::string(json_of(send(Method::kGet, "/api/v1/me"))["csrf_token"].as_string());
  EXPECT_EQ(send(Method::kDelete, path, "", {{"x-csrf-token", csrf}}).status, 200);
  EXPECT_EQ(
      send(Method::kGet, "/api/v1/me", "", {{"authorization", "Bearer " + second}}, false).status,
      401);

  // With the bearer token, no CSRF token at all.
  auto revoked =
      send(Method::kDelete, "/api/v1/me/tokens/" + std::to_string(id), "", bearer, false);
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  auto after = send(Method::kGet, "/api/v1/me", "", bearer, false);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(header(after, "WWW-Authenticate"), "Bearer");
  EXPECT_NE(json_of(after)["error"].as_object()["message"].as_string().find("revoked"),
            std::string::npos);
  // A bad token never falls back to the session cookie of the same request.
  EXPECT_EQ(send(Method::kGet, "/api/v1/me", "", bearer).status, 401);
  EXPECT_EQ(send(Method::kGet, "/api/v1/me").status, 200);
  EXPECT_EQ(send(Method::kGet, "/api/v1/me", "", {}, false).status, 401);
}

TEST_F(FactorsSiteTest, RoleHoldersWithoutTheSecondFactorAreToldAndCannotMakeTokens) {
  join("posadnik");
  ASSERT_TRUE(
      accounts_->grant_role("operator", "posadnik", registry::Role::kRegistrar, "northern-forum"));
  ASSERT_EQ(login("posadnik").status, 303);
  auto me = send(Method::kGet, "/me");
  EXPECT_NE(me.body.find("Your roles need a second factor."), std::string::npos);
  auto api = json_of(send(Method::kGet, "/api/v1/me"));
  EXPECT_FALSE(api["second_factor"].as_bool());
  int status = 0;
  EXPECT_EQ(make_token("scope=registrar", &status), "");
  EXPECT_EQ(status, 403);

  const auto secret = enrol();
  api = json_of(send(Method::kGet, "/api/v1/me"));
  EXPECT_TRUE(api["second_factor"].as_bool()) << "confirming the app in this session counts";
  const auto token = make_token("scope=registrar&scope=read", &status);
  EXPECT_EQ(status, 200);
  auto via_token =
      json_of(send(Method::kGet, "/api/v1/me", "", {{"authorization", "Bearer " + token}}, false));
  EXPECT_TRUE(via_token["second_factor"].as_bool());
  // The app cannot be turned off while a role needs it.
  const auto page = send(Method::kGet, "/me/security");
  EXPECT_EQ(page.body.find("/me/totp/disable"), std::string::npos);
  EXPECT_EQ(send(Method::kPost, "/me/totp/disable",
                 "csrf=" + csrf_in(page.body) + "&code=" + code_now(secret))
                .status,
            403);
}

TEST_F(FactorsSiteTest, TheSecurityPagesSpeakRussian) {
  join("vece");
  ASSERT_EQ(login("vece").status, 303);
  auto page = send(Method::kGet, "/me/security", "", {{"accept-language", "ru"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Приложение-аутентификатор"), std::string::npos);
  EXPECT_NE(page.body.find("Подключить приложение-аутентификатор"), std::string::npos);
  auto tokens = send(Method::kGet, "/me/tokens", "", {{"accept-language", "ru"}});
  EXPECT_NE(tokens.body.find("Токены доступа"), std::string::npos);
  auto wrong = send(Method::kPost, "/recover",
                    "csrf=" + csrf_in(send(Method::kGet, "/recover").body) +
                        "&handle=vece&code=AAAA-BBBB-CCCC-DDDD&passphrase=another+long+one",
                    {{"accept-language", "ru"}});
  EXPECT_NE(wrong.body.find("Псевдоним или код восстановления неверны."), std::string::npos);
}

TEST_F(FactorsSiteTest, BadTokenFormsAreRefusedWithTheReason) {
  join("onega");
  ASSERT_EQ(login("onega").status, 303);
  int status = 0;
  make_token("scope=admin", &status);
  EXPECT_EQ(status, 400);
  make_token("", &status);
  EXPECT_EQ(status, 400);
  const auto page = send(Method::kGet, "/me/tokens");
  auto r = send(Method::kPost, "/me/tokens",
                "csrf=" + csrf_in(page.body) + "&name=x&scope=read&days=999");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("A token is valid for 1 to 365 days."), std::string::npos);
  EXPECT_EQ(send(Method::kPost, "/me/tokens", "name=x&scope=read&days=3").status, 403);
  EXPECT_EQ(send(Method::kPost, "/me/tokens/abc/revoke", "csrf=" + csrf_in(page.body)).status, 404);
  EXPECT_EQ(send(Method::kPost, "/me/tokens/77/revoke", "csrf=" + csrf_in(page.body)).status, 404);
}

}  // namespace
}  // namespace veche::http
