// Accounts over real HTTP against `veche serve`: codes from `veche invitations issue`, then
// join -> login -> /me -> logout; CSRF refusals; cookie flags; `veche audit verify`.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "novgorod%20assembly%201136";

class Accounts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static int port() { return server_->port(); }
  static std::string db() { return server_->dir() + "/veche.db"; }
  static std::string issue_code() {
    auto [status, out] = run(std::string(VECHE_BIN) + " invitations issue --db " + db() +
                             " --org northern-forum --count 1 --days 3");
    EXPECT_EQ(status, 0) << out;
    while (!out.empty() && (out.back() == '\n')) out.pop_back();
    return out;
  }
  static ServerProcess* server_;
};
ServerProcess* Accounts::server_ = nullptr;

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

TEST_F(Accounts, JoinLoginAccountPageLogoutOverHttp) {
  const auto code = issue_code();
  ASSERT_EQ(code.size(), 19u) << code;

  auto form = request(port(), "GET", "/join");
  ASSERT_EQ(form.status, 200);
  const auto csrf_cookie = cookie_pair(form.header("set-cookie"));
  ASSERT_TRUE(csrf_cookie.starts_with("veche_csrf=")) << csrf_cookie;
  auto headers = kForm;
  headers["Cookie"] = csrf_cookie;
  auto joined = request(
      port(), "POST", "/join", headers,
      "csrf=" + csrf_in(form.body) + "&code=" + code + "&handle=veche-tester&passphrase=" + kPass);
  ASSERT_EQ(joined.status, 303) << joined.body;

  auto login_form = request(port(), "GET", "/login", {{"Cookie", csrf_cookie}});
  auto logged_in =
      request(port(), "POST", "/login", headers,
              "csrf=" + csrf_in(login_form.body) + "&handle=veche-tester&passphrase=" + kPass);
  ASSERT_EQ(logged_in.status, 303) << logged_in.body;
  const auto set_cookie = logged_in.header("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("Path=/"), std::string::npos) << set_cookie;
  const auto session = cookie_pair(set_cookie);

  auto me = request(port(), "GET", "/me", {{"Cookie", session}});
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("veche-tester"), std::string::npos);

  // Logging out needs the session's CSRF token: without it nothing changes.
  auto session_headers = kForm;
  session_headers["Cookie"] = session;
  EXPECT_EQ(request(port(), "POST", "/logout", session_headers, "").status, 403);
  EXPECT_EQ(request(port(), "GET", "/me", {{"Cookie", session}}).status, 200);
  auto out = request(port(), "POST", "/logout", session_headers, "csrf=" + csrf_in(me.body));
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(request(port(), "GET", "/me", {{"Cookie", session}}).status, 303);
}

TEST_F(Accounts, PostsWithoutCsrfAreRefusedAndTheCodeStaysUnused) {
  const auto code = issue_code();
  auto r = request(port(), "POST", "/join", kForm,
                   "code=" + code + "&handle=no-token&passphrase=" + std::string(kPass));
  EXPECT_EQ(r.status, 403);
  auto form = request(port(), "GET", "/join");
  auto headers = kForm;
  headers["Cookie"] = cookie_pair(form.header("set-cookie"));
  auto ok = request(
      port(), "POST", "/join", headers,
      "csrf=" + csrf_in(form.body) + "&code=" + code + "&handle=with-token&passphrase=" + kPass);
  EXPECT_EQ(ok.status, 303) << ok.body;  // the refused attempt did not consume the code
}

TEST_F(Accounts, AuditLogVerifiesFromTheCommandLine) {
  issue_code();
  auto [status, out] = run(std::string(VECHE_BIN) + " audit verify --db " + db());
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("the hash chain verifies"), std::string::npos) << out;

  if (run("command -v sqlite3 >/dev/null").first != 0) {
    GTEST_SKIP() << "the sqlite3 shell is not installed: cannot tamper with the log";
  }
  auto tampered = run("sqlite3 " + db() +
                      " \"DROP TRIGGER audit_log_no_update; UPDATE audit_log SET subject = "
                      "'1000 codes for northern-forum' WHERE seq = 1\"");
  ASSERT_EQ(tampered.first, 0) << tampered.second;
  auto [broken_status, broken] =
      run(std::string(VECHE_BIN) + " audit verify --db " + db() + " 2>&1");
  EXPECT_EQ(broken_status, 76) << broken;
  EXPECT_NE(broken.find("entry 1 is broken"), std::string::npos) << broken;
}

}  // namespace
}  // namespace veche::testing
