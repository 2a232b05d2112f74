// Joining, logging in and out through the site (no socket): CSRF, cookies, errors, limits.
#include "veche/registry/accounts.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "veche/crypto/random.hpp"
#include "veche/http/site.hpp"
#include "veche/registry/registry.hpp"

namespace veche::http {
namespace {

constexpr std::string_view kPass = "birch bark letter 1351";

class AccountsSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    dir_ = std::filesystem::temp_directory_path() /
           ("veche-accounts-site-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::open((dir_ / "v.db").string());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::migrate(*db_, registry::migrations()));
    ASSERT_TRUE(registry::load_demo(*db_, clock_));
    make_site(false);
    auto key = registry::load_or_create_data_key((dir_ / "data.key").string());
    ASSERT_TRUE(key);
    key_ = std::move(*key);
    accounts_ = std::make_unique<registry::Accounts>(*db_, clock_, key_);
  }
  void make_site(bool secure) {
    SiteOptions o;
    o.web_root = VECHE_SOURCE_DIR "/web";
    o.locale_dir = VECHE_LOCALE_DIR;
    o.version = "test";
    o.secure_cookies = secure;
    o.data_key_file = (dir_ / "data.key").string();
    auto site = Site::create(o, *db_, clock_);
    ASSERT_TRUE(site) << site.error().message;
    site_ = std::move(*site);
  }
  void TearDown() override {
    site_.reset();
    accounts_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A browser in miniature: keeps cookies between requests.
  Response send(Method m, std::string path, std::string body = "", std::string lang = "en") {
    Request r;
    r.method = m;
    const auto q = path.find('?');
    if (q != std::string::npos) {
      auto query = parse_form(path.substr(q + 1));
      if (query) r.query = std::move(*query);
      path.resize(q);
    }
    r.path = std::move(path);
    r.headers["accept-language"] = std::move(lang);
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.cookies = cookies_;
    r.body = std::move(body);
    r.request_id = "t";
    Response resp = site_->handle(r);
    for (const auto& [name, value] : resp.headers) {
      if (name != "Set-Cookie") continue;
      const auto eq = value.find('=');
      const auto semi = value.find(';');
      const auto cookie_name = value.substr(0, eq);
      const auto cookie_value = value.substr(eq + 1, semi - eq - 1);
      if (cookie_value.empty()) {
        cookies_.erase(cookie_name);
      } else {
        cookies_[cookie_name] = cookie_value;
      }
      set_cookies_.push_back(value);
    }
    return resp;
  }
  static std::string csrf_in(const std::string& html) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto at = html.find(marker);
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    return html.substr(start, html.find('"', start) - start);
  }
  static std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }
  std::string code() {
    auto codes = accounts_->issue_codes("northern-forum", 1, std::chrono::days(7), "operator");
    EXPECT_TRUE(codes);
    return codes ? codes->front() : std::string();
  }
  std::string enc(std::string_view s) { return percent_encode(s); }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Site> site_;
  crypto::SecretBytes key_;
  std::unique_ptr<registry::Accounts> accounts_;
  std::map<std::string, std::string> cookies_;
  std::vector<std::string> set_cookies_;
};

TEST_F(AccountsSiteTest, JoinLoginAccountPageAndLogout) {
  const auto c = code();
  auto form = send(Method::kGet, "/join");
  ASSERT_EQ(form.status, 200);
  const auto csrf = csrf_in(form.body);
  ASSERT_FALSE(csrf.empty());
  EXPECT_TRUE(cookies_.count("veche_csrf"));

  auto joined = send(Method::kPost, "/join",
                     "csrf=" + csrf + "&code=" + c + "&handle=Marfa_P&passphrase=" + enc(kPass));
  ASSERT_EQ(joined.status, 303) << joined.body;
  EXPECT_EQ(header(joined, "Location"), "/login?joined=1");
  auto login_form = send(Method::kGet, "/login?joined=1");
  EXPECT_NE(login_form.body.find("Your account is ready"), std::string::npos);

  auto logged_in =
      send(Method::kPost, "/login",
           "csrf=" + csrf_in(login_form.body) + "&handle=marfa_p&passphrase=" + enc(kPass));
  ASSERT_EQ(logged_in.status, 303) << logged_in.body;
  EXPECT_EQ(header(logged_in, "Location"), "/me");
  const auto cookie = header(logged_in, "Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("veche_session=")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);

  auto me = send(Method::kGet, "/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("Marfa_P"), std::string::npos);
  EXPECT_NE(me.body.find("Constituent"), std::string::npos);
  EXPECT_NE(me.body.find("href=\"/me\""), std::string::npos);  // the header names the handle
  auto home = send(Method::kGet, "/", "", "ru");
  EXPECT_NE(home.body.find("Marfa_P"), std::string::npos);
  EXPECT_EQ(home.body.find("Войти"), std::string::npos);

  auto out = send(Method::kPost, "/logout", "csrf=" + csrf_in(me.body));
  ASSERT_EQ(out.status, 303);
  EXPECT_NE(header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  auto after = send(Method::kGet, "/me");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(header(after, "Location"), "/login");
}

TEST_F(AccountsSiteTest, PostsWithoutAValidCsrfTokenAreRefusedAndChangeNothing) {
  const auto before = accounts_->code_counts("northern-forum");  // the demo's codes
  ASSERT_TRUE(before);
  const auto c = code();
  send(Method::kGet, "/join");  // gets the csrf cookie
  for (const std::string token : {"", "0000", "&csrf="}) {
    auto r = send(Method::kPost, "/join",
                  "csrf=" + token + "&code=" + c + "&handle=forger&passphrase=" + enc(kPass));
    EXPECT_EQ(r.status, 403) << token;
  }
  // A token from another browser (another csrf cookie) does not fit this one.
  auto other_form = send(Method::kGet, "/join");
  const auto token = csrf_in(other_form.body);
  cookies_["veche_csrf"] = "someone-elses-cookie";
  auto r = send(Method::kPost, "/join",
                "csrf=" + token + "&code=" + c + "&handle=forger&passphrase=" + enc(kPass));
  EXPECT_EQ(r.status, 403);
  auto counts = accounts_->code_counts("northern-forum");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->used, before->used);
  EXPECT_EQ(counts->unused, before->unused + 1);
  EXPECT_EQ(send(Method::kPost, "/logout", "").status, 403);
  EXPECT_EQ(send(Method::kPost, "/login", "handle=x&passphrase=y").status, 403);
}

TEST_F(AccountsSiteTest, LoginErrorsAreTheSameForUnknownHandlesAndKeepTheHandleOnly) {
  ASSERT_TRUE(accounts_->join(code(), "sadko", kPass));
  const auto csrf = csrf_in(send(Method::kGet, "/login", "", "ru").body);
  auto wrong = send(Method::kPost, "/login",
                    "csrf=" + csrf + "&handle=sadko&passphrase=wrong-but-long", "ru");
  auto unknown = send(Method::kPost, "/login",
                      "csrf=" + csrf + "&handle=nosuchone&passphrase=wrong-but-long", "ru");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(wrong.body.find("Неверный псевдоним или парольная фраза."), std::string::npos);
  EXPECT_NE(unknown.body.find("Неверный псевдоним или парольная фраза."), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"sadko\""), std::string::npos);
  EXPECT_EQ(wrong.body.find("wrong-but-long"), std::string::npos);
  EXPECT_TRUE(header(wrong, "Set-Cookie").empty());
}

TEST_F(AccountsSiteTest, JoinErrorsShowNextToTheFormAndKeepWhatWasTyped) {
  const auto csrf = csrf_in(send(Method::kGet, "/join").body);
  auto r = send(Method::kPost, "/join",
                "csrf=" + csrf + "&code=WRONG-CODE&handle=kept_handle&passphrase=" + enc(kPass));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("This invitation code cannot be used"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"kept_handle\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"WRONG-CODE\""), std::string::npos);
  EXPECT_EQ(r.body.find(std::string(kPass)), std::string::npos);
  auto bad_handle = send(Method::kPost, "/join",
                         "csrf=" + csrf + "&code=" + code() + "&handle=a&passphrase=" + enc(kPass));
  EXPECT_EQ(bad_handle.status, 400);
  EXPECT_NE(bad_handle.body.find("A handle must be 3 to 32 characters long."), std::string::npos);
}

TEST_F(AccountsSiteTest, LoginIsRateLimitedPerHandleWithoutRevealingIt) {
  const auto csrf = csrf_in(send(Method::kGet, "/login").body);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        send(Method::kPost, "/login", "csrf=" + csrf + "&handle=nosuchone&passphrase=x").status,
        401);
  }
  auto limited = send(Method::kPost, "/login", "csrf=" + csrf + "&handle=NoSuchOne&passphrase=x");
  EXPECT_EQ(limited.status, 429);
  EXPECT_NE(limited.body.find("Too many attempts"), std::string::npos);
  // Another handle still gets through; the limit lifts after a minute.
  EXPECT_EQ(send(Method::kPost, "/login", "csrf=" + csrf + "&handle=other&passphrase=x").status,
            401);
  clock_.advance(std::chrono::seconds(60));
  EXPECT_EQ(send(Method::kPost, "/login", "csrf=" + csrf + "&handle=nosuchone&passphrase=x").status,
            401);
}

TEST_F(AccountsSiteTest, SessionCookieIsSecureWhenConfigured) {
  make_site(true);
  ASSERT_TRUE(accounts_->join(code(), "secure-one", kPass));
  const auto form = send(Method::kGet, "/login");
  EXPECT_NE(header(form, "Set-Cookie").find("; Secure"), std::string::npos);
  auto r = send(Method::kPost, "/login",
                "csrf=" + csrf_in(form.body) + "&handle=secure-one&passphrase=" + enc(kPass));
  ASSERT_EQ(r.status, 303);
  EXPECT_NE(header(r, "Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(AccountsSiteTest, LoggingInAgainReplacesTheSessionAndEverywhereEndsAll) {
  ASSERT_TRUE(accounts_->join(code(), "twice", kPass));
  auto login = [&] {
    const auto csrf = csrf_in(send(Method::kGet, "/login").body);
    return send(Method::kPost, "/login", "csrf=" + csrf + "&handle=twice&passphrase=" + enc(kPass));
  };
  ASSERT_EQ(login().status, 303);
  const auto first = cookies_["veche_session"];
  ASSERT_EQ(login().status, 303);
  const auto second = cookies_["veche_session"];
  EXPECT_NE(first, second);
  EXPECT_FALSE(accounts_->session(first));  // the old session ended at the new login
  auto other_device = accounts_->login("twice", kPass);
  ASSERT_TRUE(other_device);
  const auto me = send(Method::kGet, "/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("Log out everywhere"), std::string::npos);
  auto out = send(Method::kPost, "/logout", "csrf=" + csrf_in(me.body) + "&everywhere=1");
  ASSERT_EQ(out.status, 303);
  EXPECT_FALSE(accounts_->session(second));
  EXPECT_FALSE(accounts_->session(*other_device));
}

}  // namespace
}  // namespace veche::http
