// Second factors over real HTTP against `veche serve`: join (the recovery code is shown once),
// log in, turn on TOTP with a code computed from the key the page shows, log in again through
// the second step, then use a personal access token on the API without a cookie.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "server_harness.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/otp.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "veliky%20novgorod%20bell";

std::string by_id(const std::string& html, const std::string& id) {
  const auto at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return {};
  const auto start = html.find('>', at) + 1;
  return html.substr(start, html.find('<', start) - start);
}

// The code an authenticator app shows `offset` steps from now (wall clock, as the server).
std::string totp_now(const std::string& secret_b32, int offset) {
  const auto raw = crypto::from_base32(secret_b32);
  EXPECT_TRUE(raw);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return crypto::totp(*raw, now + offset * 30);
}

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

TEST(Factors, TotpEnrolmentTwoStepLoginAndABearerTokenOverHttp) {
  ServerProcess server;
  const int port = server.port();
  auto [issued, code] = run(std::string(VECHE_BIN) + " invitations issue --db " + server.dir() +
                            "/veche.db --org northern-forum --count 1 --days 3");
  ASSERT_EQ(issued, 0) << code;
  while (!code.empty() && code.back() == '\n') code.pop_back();

  // Join; the login page the browser is sent to shows the recovery code once.
  auto form = request(port, "GET", "/join");
  const auto csrf_cookie = cookie_pair(form.header("set-cookie"));
  auto headers = kForm;
  headers["Cookie"] = csrf_cookie;
  auto joined = request(
      port, "POST", "/join", headers,
      "csrf=" + csrf_in(form.body) + "&code=" + code + "&handle=zvonar&passphrase=" + kPass);
  ASSERT_EQ(joined.status, 303) << joined.body;
  const auto recovery_cookie = cookie_pair(joined.header("set-cookie"));
  ASSERT_TRUE(recovery_cookie.starts_with("veche_recovery=")) << recovery_cookie;
  auto shown =
      request(port, "GET", "/login?joined=1", {{"Cookie", csrf_cookie + "; " + recovery_cookie}});
  EXPECT_EQ(by_id(shown.body, "recovery-code").size(), 19u);
  EXPECT_EQ(shown.header("cache-control"), "no-store");

  auto logged_in = request(port, "POST", "/login", headers,
                           "csrf=" + csrf_in(shown.body) + "&handle=zvonar&passphrase=" + kPass);
  ASSERT_EQ(logged_in.status, 303);
  const auto session = cookie_pair(logged_in.header("set-cookie"));
  auto with_session = kForm;
  with_session["Cookie"] = session;

  // Enrol: the page shows the key, the otpauth:// link and an inline SVG QR code.
  auto security = request(port, "GET", "/me/security", {{"Cookie", session}});
  ASSERT_EQ(security.status, 200);
  auto begun =
      request(port, "POST", "/me/totp/begin", with_session, "csrf=" + csrf_in(security.body));
  ASSERT_EQ(begun.status, 200) << begun.body;
  const auto secret = by_id(begun.body, "totp-secret");
  ASSERT_EQ(secret.size(), 32u);
  EXPECT_NE(begun.body.find("<svg"), std::string::npos);
  auto confirmed = request(port, "POST", "/me/totp/confirm", with_session,
                           "csrf=" + csrf_in(begun.body) + "&code=" + totp_now(secret, 0));
  ASSERT_EQ(confirmed.status, 303) << confirmed.body;

  // Log in again: the passphrase leads to the second step, the code to a session.
  auto login_form = request(port, "GET", "/login", {{"Cookie", csrf_cookie}});
  auto first = request(port, "POST", "/login", headers,
                       "csrf=" + csrf_in(login_form.body) + "&handle=zvonar&passphrase=" + kPass);
  ASSERT_EQ(first.status, 303);
  EXPECT_EQ(first.header("location"), "/login/totp");
  const auto challenge = cookie_pair(first.header("set-cookie"));
  ASSERT_TRUE(challenge.starts_with("veche_login=")) << challenge;
  auto step_headers = kForm;
  step_headers["Cookie"] = csrf_cookie + "; " + challenge;
  auto step_form =
      request(port, "GET", "/login/totp", {{"Cookie", csrf_cookie + "; " + challenge}});
  ASSERT_EQ(step_form.status, 200);
  // The next step's code: the current one was spent confirming, and a step is never reused.
  auto second = request(port, "POST", "/login/totp", step_headers,
                        "csrf=" + csrf_in(step_form.body) + "&code=" + totp_now(secret, 1));
  ASSERT_EQ(second.status, 303) << second.body;
  EXPECT_EQ(second.header("location"), "/me");
  const auto new_session = cookie_pair(second.header("set-cookie"));
  ASSERT_TRUE(new_session.starts_with("veche_session=")) << new_session;
  EXPECT_NE(new_session, session);
  auto me = request(port, "GET", "/me", {{"Cookie", new_session}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(by_id(me.body, "totp-summary"), "Switched on");

  // A personal access token works on the API without cookie or CSRF token.
  auto tokens_page = request(port, "GET", "/me/tokens", {{"Cookie", new_session}});
  auto made_headers = kForm;
  made_headers["Cookie"] = new_session;
  auto made = request(port, "POST", "/me/tokens", made_headers,
                      "csrf=" + csrf_in(tokens_page.body) + "&name=cli&scope=read&days=7");
  ASSERT_EQ(made.status, 200);
  const auto token = by_id(made.body, "token-value");
  ASSERT_TRUE(token.starts_with("veche_pat_")) << token;
  auto api = request(port, "GET", "/api/v1/me", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_NE(api.body.find("\"handle\":\"zvonar\""), std::string::npos) << api.body;
  EXPECT_NE(api.body.find("\"totp\":true"), std::string::npos) << api.body;
  EXPECT_EQ(request(port, "GET", "/api/v1/me", {{"Authorization", "Bearer veche_pat_nope"}}).status,
            401);

  // The app is lost: an operator removes it; the session ends and the passphrase alone works.
  auto [reset, said] = run(std::string(VECHE_BIN) + " second-factor reset --db " + server.dir() +
                           "/veche.db --handle zvonar");
  ASSERT_EQ(reset, 0) << said;
  EXPECT_EQ(request(port, "GET", "/me", {{"Cookie", new_session}}).status, 303);
  auto again = request(port, "POST", "/login", headers,
                       "csrf=" + csrf_in(login_form.body) + "&handle=zvonar&passphrase=" + kPass);
  ASSERT_EQ(again.status, 303);
  EXPECT_EQ(again.header("location"), "/me");
  auto [unknown, why] = run(std::string(VECHE_BIN) + " second-factor reset --db " + server.dir() +
                            "/veche.db --handle nobody-here 2>&1");
  EXPECT_EQ(unknown, 66) << why;
}

}  // namespace
}  // namespace veche::testing
