// A site over a demo database for tests (no socket): a browser in miniature that keeps
// cookies, helpers to join, log in, enrol TOTP and make access tokens.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "veche/agenda/outbox.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/conversations/conversations.hpp"
#include "veche/coordination/coordination.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/otp.hpp"
#include "veche/crypto/random.hpp"
#include "veche/decisions/log.hpp"
#include "veche/elections/elections.hpp"
#include "veche/http/site.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"

namespace veche::http {

inline constexpr std::string_view kPass = "birch bark letter 1351";

class SiteFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    // The suite, the test and the process id keep concurrent runs (two checkouts) apart.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        std::filesystem::temp_directory_path() / ("veche-site-" + std::to_string(::getpid()) + "-" +
                                                  info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::open((dir_ / "v.db").string());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::migrate(*db_, registry::migrations()));
    ASSERT_TRUE(store::migrate(*db_, agenda::migrations()));
    ASSERT_TRUE(store::migrate(*db_, decisions::migrations()));
    ASSERT_TRUE(store::migrate(*db_, agenda::migrations()));
    ASSERT_TRUE(store::migrate(*db_, coordination::migrations()));
    ASSERT_TRUE(store::migrate(*db_, campaigns::migrations()));
    ASSERT_TRUE(store::migrate(*db_, conversations::migrations()));
    ASSERT_TRUE(store::migrate(*db_, elections::migrations()));
    ASSERT_TRUE(registry::load_demo(*db_, clock_));
    SiteOptions o;
    o.web_root = VECHE_SOURCE_DIR "/web";
    o.locale_dir = VECHE_LOCALE_DIR;
    o.version = "test";
    o.data_key_file = (dir_ / "data.key").string();
    auto site = Site::create(o, *db_, clock_);
    ASSERT_TRUE(site) << site.error().message;
    site_ = std::move(*site);
    auto key = registry::load_or_create_data_key((dir_ / "data.key").string());
    ASSERT_TRUE(key);
    key_ = std::move(*key);
    accounts_ = std::make_unique<registry::Accounts>(*db_, clock_, key_);
  }
  void TearDown() override {
    site_.reset();
    accounts_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A browser in miniature: keeps cookies between requests (unless `with_cookies` is false,
  // as for an API client) and sends `extra` headers.
  Response send(Method m, std::string path, std::string body = "",
                std::map<std::string, std::string> extra = {}, bool with_cookies = true) {
    Request r;
    r.method = m;
    const auto q = path.find('?');
    if (q != std::string::npos) {
      auto query = parse_form(path.substr(q + 1));
      if (query) r.query = std::move(*query);
      path.resize(q);
    }
    r.path = std::move(path);
    r.headers["accept-language"] = "en";
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    for (auto& [k, v] : extra) r.headers[k] = v;
    if (with_cookies) r.cookies = cookies_;
    r.body = std::move(body);
    r.request_id = "t";
    Response resp = site_->handle(r);
    if (!with_cookies) return resp;
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
    }
    return resp;
  }
  // The text of the first element with id="<id>" (no nested tags).
  static std::string by_id(const std::string& html, const std::string& id) {
    const auto at = html.find("id=\"" + id + "\"");
    if (at == std::string::npos) return {};
    const auto start = html.find('>', at) + 1;
    return html.substr(start, html.find('<', start) - start);
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
  std::string join(const std::string& handle) {
    auto codes = accounts_->issue_codes("northern-forum", 1, std::chrono::days(7), "operator");
    EXPECT_TRUE(codes);
    const auto csrf = csrf_in(send(Method::kGet, "/join").body);
    auto r = send(Method::kPost, "/join",
                  "csrf=" + csrf + "&code=" + codes->front() + "&handle=" + handle +
                      "&passphrase=" + percent_encode(kPass));
    EXPECT_EQ(r.status, 303) << r.body;
    return by_id(send(Method::kGet, "/login?joined=1").body, "recovery-code");
  }
  Response login(const std::string& handle, std::string_view pass = kPass) {
    const auto csrf = csrf_in(send(Method::kGet, "/login").body);
    return send(Method::kPost, "/login",
                "csrf=" + csrf + "&handle=" + handle + "&passphrase=" + percent_encode(pass));
  }
  std::string code_now(const std::string& secret_b32, int offset = 0) const {
    auto raw = crypto::from_base32(secret_b32);
    EXPECT_TRUE(raw);
    return crypto::totp(*raw, core::to_unix(clock_.now()) + offset * 30);
  }
  // Turns TOTP on from /me/security; returns the secret shown.
  std::string enrol() {
    const auto page = send(Method::kGet, "/me/security");
    EXPECT_EQ(page.status, 200);
    auto begun = send(Method::kPost, "/me/totp/begin", "csrf=" + csrf_in(page.body));
    EXPECT_EQ(begun.status, 200) << begun.body;
    const auto secret = by_id(begun.body, "totp-secret");
    EXPECT_EQ(secret.size(), 32u);
    auto done = send(Method::kPost, "/me/totp/confirm",
                     "csrf=" + csrf_in(begun.body) + "&code=" + code_now(secret));
    EXPECT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(header(done, "Location"), "/me/security?done=totp-on");
    clock_.advance(std::chrono::seconds(30));
    return secret;
  }
  std::string make_token(const std::string& scopes_form, int* status = nullptr) {
    const auto page = send(Method::kGet, "/me/tokens");
    auto r = send(Method::kPost, "/me/tokens",
                  "csrf=" + csrf_in(page.body) + "&name=script&" + scopes_form + "&days=30");
    if (status != nullptr) *status = r.status;
    return by_id(r.body, "token-value");
  }
  // Joins as `handle` (a fresh browser), is granted `role`, sets up TOTP and logs in with both
  // factors: a session that may use the role's powers. Returns the TOTP secret.
  std::string role_holder(const std::string& handle, registry::Role role,
                          const std::string& org = "") {
    cookies_.clear();
    join(handle);
    EXPECT_EQ(login(handle).status, 303);
    EXPECT_TRUE(accounts_->grant_role("operator", handle, role, org));
    const auto secret = enrol();
    EXPECT_EQ(login(handle).status, 303);
    const auto form = send(Method::kGet, "/login/totp");
    auto done = send(Method::kPost, "/login/totp",
                     "csrf=" + csrf_in(form.body) + "&code=" + code_now(secret));
    EXPECT_EQ(done.status, 303) << done.body;
    clock_.advance(std::chrono::seconds(30));
    return secret;
  }
  static boost::json::object json_of(const Response& r) {
    return boost::json::parse(r.body).as_object();
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Site> site_;
  crypto::SecretBytes key_;
  std::unique_ptr<registry::Accounts> accounts_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace veche::http
