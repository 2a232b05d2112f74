// Charter signatures, the audit page and a constituent's own data through the site (no
// socket): who may sign for whom, CSRF on every write, the count of individuals (never who),
// the public and the operators' audit log, the export and the real erase.
#include "site_fixture.hpp"

namespace veche::http {
namespace {

class CharterSiteTest : public SiteFixture {
 protected:
  // These join, log in and enrol hide the fixture's: they assert as they go.
  void join(const std::string& handle) {
    auto codes = accounts_->issue_codes("northern-forum", 1, std::chrono::days(7), "operator");
    ASSERT_TRUE(codes);
    const auto csrf = csrf_in(send(Method::kGet, "/join").body);
    auto r = send(Method::kPost, "/join",
                  "csrf=" + csrf + "&code=" + codes->front() + "&handle=" + handle +
                      "&passphrase=" + percent_encode(kPass));
    ASSERT_EQ(r.status, 303) << r.body;
    send(Method::kGet, "/login?joined=1");
  }
  void login(const std::string& handle) {
    cookies_.clear();
    const auto csrf = csrf_in(send(Method::kGet, "/login").body);
    auto r = send(Method::kPost, "/login",
                  "csrf=" + csrf + "&handle=" + handle + "&passphrase=" + percent_encode(kPass));
    ASSERT_EQ(r.status, 303) << r.body;
  }
  // Turns TOTP on in the current session (role powers need the second factor).
  void enrol() {
    const auto page = send(Method::kGet, "/me/security");
    auto begun = send(Method::kPost, "/me/totp/begin", "csrf=" + csrf_in(page.body));
    ASSERT_EQ(begun.status, 200) << begun.body;
    auto raw = crypto::from_base32(by_id(begun.body, "totp-secret"));
    ASSERT_TRUE(raw);
    auto done = send(
        Method::kPost, "/me/totp/confirm",
        "csrf=" + csrf_in(begun.body) + "&code=" + crypto::totp(*raw, core::to_unix(clock_.now())));
    ASSERT_EQ(done.status, 303) << done.body;
  }
  std::string charter_csrf() { return csrf_in(send(Method::kGet, "/charter").body); }
  std::string api_csrf() {
    return std::string(json_of(send(Method::kGet, "/api/v1/me"))["csrf_token"].as_string());
  }
};

TEST_F(CharterSiteTest, TheCharterPageListsOrganizationsAlphabeticallyAndCountsIndividuals) {
  const auto page = send(Method::kGet, "/charter");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(by_id(page.body, "individuals-1"), "12");
  EXPECT_EQ(by_id(page.body, "org-count-1"), "5");
  EXPECT_EQ(page.body.find("demo-signer"), std::string::npos) << "individuals are never named";
  EXPECT_EQ(page.body.find("name=\"csrf\""), std::string::npos) << "no forms for visitors";
  // Alphabetical in the reader's language.
  const auto api = json_of(send(Method::kGet, "/api/v1/charter?lang=en"));
  const auto& v1 = api.at("versions").as_array().at(0).as_object();
  EXPECT_EQ(v1.at("individual_signatures").as_int64(), 12);
  std::vector<std::string> names;
  for (const auto& o : v1.at("organizations").as_array()) {
    names.emplace_back(o.as_object().at("name").as_object().at("en").as_string());
  }
  ASSERT_EQ(names.size(), 5u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  std::string order;
  for (const auto& n : names) {
    const auto at = page.body.find(">" + n + "<");
    ASSERT_NE(at, std::string::npos) << n;
    EXPECT_GT(at, order.empty() ? 0 : page.body.find(">" + order + "<"));
    order = n;
  }
  EXPECT_EQ(api.at("version").as_int64(), 1);
  EXPECT_EQ(send(Method::kGet, "/api/v1/charter?lang=xx").status, 400);
}

TEST_F(CharterSiteTest, VisitorsAreSentToLogInAndTheApiAnswers401) {
  const auto csrf = csrf_in(send(Method::kGet, "/join").body);  // a visitor's CSRF cookie
  auto web = send(Method::kPost, "/charter/1/sign", "csrf=" + csrf);
  EXPECT_EQ(web.status, 303);
  EXPECT_EQ(header(web, "Location"), "/login");
  auto api = send(Method::kPost, "/api/v1/charter/1/signatures", "", {}, false);
  EXPECT_EQ(api.status, 401);
  EXPECT_EQ(header(api, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(send(Method::kGet, "/me/data").status, 303);
  EXPECT_EQ(send(Method::kGet, "/me/data.json", "", {}, false).status, 401);
  EXPECT_EQ(send(Method::kGet, "/api/v1/me/data", "", {}, false).status, 401);
}

TEST_F(CharterSiteTest, AConstituentSignsOnceWithdrawsAndNeedsACsrfToken) {
  join("sadko");
  login("sadko");
  EXPECT_EQ(send(Method::kPost, "/charter/1/sign", "").status, 403) << "no CSRF token";
  EXPECT_EQ(send(Method::kPost, "/charter/1/sign", "csrf=forged").status, 403);
  EXPECT_EQ(by_id(send(Method::kGet, "/charter").body, "individuals-1"), "12");

  auto signed_now = send(Method::kPost, "/charter/1/sign", "csrf=" + charter_csrf());
  ASSERT_EQ(signed_now.status, 303) << signed_now.body;
  auto page = send(Method::kGet, "/charter?done=signed");
  EXPECT_EQ(by_id(page.body, "individuals-1"), "13");
  EXPECT_EQ(by_id(page.body, "notice"), "Your signature is recorded.");
  EXPECT_NE(page.body.find("id=\"withdraw-1\""), std::string::npos);
  EXPECT_EQ(send(Method::kPost, "/charter/1/sign", "csrf=" + charter_csrf()).status, 409);
  EXPECT_EQ(send(Method::kPost, "/charter/9/sign", "csrf=" + charter_csrf()).status, 404);
  EXPECT_EQ(send(Method::kPost, "/charter/x/sign", "csrf=" + charter_csrf()).status, 404);
  // Nothing public names the signer (asked as a visitor: the header names a signed-in reader).
  EXPECT_EQ(send(Method::kGet, "/audit", "", {}, false).body.find("sadko"), std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/api/v1/audit", "", {}, false).body.find("sadko"),
            std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/charter", "", {}, false).body.find("sadko"), std::string::npos);

  // The API with the session cookie needs the CSRF header.
  EXPECT_EQ(send(Method::kDelete, "/api/v1/charter/1/signatures").status, 403);
  auto withdrawn =
      send(Method::kDelete, "/api/v1/charter/1/signatures", "", {{"x-csrf-token", api_csrf()}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(json_of(withdrawn).at("individual_signatures").as_int64(), 12);
  auto again =
      send(Method::kPost, "/api/v1/charter/1/signatures", "{}", {{"x-csrf-token", api_csrf()}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(json_of(again).at("individual_signatures").as_int64(), 13);
  EXPECT_EQ(
      send(Method::kPost, "/api/v1/charter/1/signatures", "[1]", {{"x-csrf-token", api_csrf()}})
          .status,
      400);
}

TEST_F(CharterSiteTest, ABearerTokenSignsWithTheVoteScopeAndNeedsNoCsrf) {
  join("ilmen");
  login("ilmen");
  auto token_for = [this](const std::string& scopes) {
    const auto page = send(Method::kGet, "/me/tokens");
    auto r = send(Method::kPost, "/me/tokens",
                  "csrf=" + csrf_in(page.body) + "&name=script&" + scopes + "&days=30");
    EXPECT_EQ(r.status, 200) << r.body;
    return by_id(r.body, "token-value");
  };
  const auto read_only = token_for("scope=read");
  const auto voter = token_for("scope=read&scope=vote");
  auto refused = send(Method::kPost, "/api/v1/charter/1/signatures", "",
                      {{"authorization", "Bearer " + read_only}}, false);
  EXPECT_EQ(refused.status, 403);
  auto signed_now = send(Method::kPost, "/api/v1/charter/1/signatures", "",
                         {{"authorization", "Bearer " + voter}}, false);
  ASSERT_EQ(signed_now.status, 201) << signed_now.body;
  EXPECT_EQ(json_of(signed_now).at("as").as_string(), "individual");
  auto mine = json_of(
      send(Method::kGet, "/api/v1/me/data", "", {{"authorization", "Bearer " + read_only}}, false));
  EXPECT_EQ(mine.at("charter_signatures").as_array().size(), 1u);
  EXPECT_EQ(mine.at("access_tokens").as_int64(), 2);
}

TEST_F(CharterSiteTest, AConstituentCannotSignForAnOrganization) {
  join("sadko");
  login("sadko");
  auto web = send(Method::kPost, "/charter/1/sign",
                  "csrf=" + charter_csrf() + "&organization=siberian-initiative");
  EXPECT_EQ(web.status, 403);
  auto api = send(Method::kPost, "/api/v1/charter/1/signatures",
                  R"({"organization": "siberian-initiative"})", {{"x-csrf-token", api_csrf()}});
  EXPECT_EQ(api.status, 403);
  EXPECT_EQ(by_id(send(Method::kGet, "/charter").body, "org-count-1"), "5");
}

TEST_F(CharterSiteTest, ADelegateSignsForItsOwnOrganizationOnly) {
  join("posadnik");
  ASSERT_TRUE(accounts_->grant_role("operator", "posadnik", registry::Role::kDelegate,
                                    "democratic-platform"));
  login("posadnik");
  // Without the second factor the delegate's powers are not usable yet, and the page says why.
  auto early = send(Method::kPost, "/charter/1/sign",
                    "csrf=" + charter_csrf() + "&organization=democratic-platform");
  EXPECT_EQ(early.status, 403);
  EXPECT_NE(early.body.find("need a second factor"), std::string::npos);
  enrol();
  // Another organization's signature: refused on the web and the API.
  EXPECT_EQ(send(Method::kPost, "/charter/1/sign",
                 "csrf=" + charter_csrf() + "&organization=siberian-initiative")
                .status,
            403);
  EXPECT_EQ(send(Method::kPost, "/api/v1/charter/1/signatures",
                 R"({"organization": "siberian-initiative"})", {{"x-csrf-token", api_csrf()}})
                .status,
            403);
  // Its own.
  auto ok = send(Method::kPost, "/charter/1/sign",
                 "csrf=" + charter_csrf() + "&organization=democratic-platform");
  ASSERT_EQ(ok.status, 303) << ok.body;
  const auto page = send(Method::kGet, "/charter");
  EXPECT_EQ(by_id(page.body, "org-count-1"), "6");
  EXPECT_EQ(by_id(page.body, "individuals-1"), "12") << "an organization is not an individual";
  // Publicly audited, with the hash chain.
  const auto audit = json_of(send(Method::kGet, "/api/v1/audit"));
  EXPECT_EQ(audit.at("scope").as_string(), "public");
  const auto& newest = audit.at("entries").as_array().at(0).as_object();
  EXPECT_EQ(newest.at("action").as_string(), "charter.sign");
  EXPECT_EQ(newest.at("actor").as_string(), "posadnik");
  EXPECT_EQ(newest.at("hash").as_string().size(), 64u);
  EXPECT_NE(send(Method::kGet, "/audit").body.find("democratic-platform"), std::string::npos);
}

TEST_F(CharterSiteTest, TheAuditLogIsPagedNewestFirstAndOperatorsSeeEverything) {
  // 60 public role changes and a private invitation batch.
  join("veche-clerk");
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(accounts_->grant_role("operator", "veche-clerk", registry::Role::kTrustee));
    ASSERT_TRUE(accounts_->revoke_role("operator", "veche-clerk", registry::Role::kTrustee));
  }
  const auto first = json_of(send(Method::kGet, "/api/v1/audit", "", {}, false));
  const auto& entries = first.at("entries").as_array();
  ASSERT_EQ(entries.size(), 50u);
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const auto& newer = entries[i - 1].as_object();
    const auto& older = entries[i].as_object();
    EXPECT_GT(newer.at("seq").as_int64(), older.at("seq").as_int64());
    if (newer.at("seq").as_int64() == older.at("seq").as_int64() + 1) {
      EXPECT_EQ(newer.at("prev_hash"), older.at("hash")) << "the chain links";
    }
    EXPECT_TRUE(older.at("public").as_bool());
  }
  ASSERT_TRUE(first.at("next").is_string());
  const std::string next(first.at("next").as_string());
  const auto second = json_of(send(Method::kGet, next, "", {}, false));
  ASSERT_FALSE(second.at("entries").as_array().empty());
  EXPECT_LT(second.at("entries").as_array()[0].as_object().at("seq").as_int64(),
            entries.back().as_object().at("seq").as_int64());
  EXPECT_EQ(send(Method::kGet, "/api/v1/audit?before=-3", "", {}, false).status, 400);
  const auto page = send(Method::kGet, "/audit");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("rel=\"next\""), std::string::npos);
  EXPECT_EQ(page.body.find("invitations.issue"), std::string::npos) << "private entries hidden";

  // An operator (with the second factor) sees the private entries on the same page.
  join("operator-anna");
  ASSERT_TRUE(accounts_->grant_role("operator", "operator-anna", registry::Role::kOperator));
  login("operator-anna");
  enrol();
  const auto all = json_of(send(Method::kGet, "/api/v1/audit"));
  EXPECT_EQ(all.at("scope").as_string(), "all");
  bool saw_private = false;
  for (const auto& e : all.at("entries").as_array()) {
    saw_private = saw_private || !e.as_object().at("public").as_bool();
  }
  EXPECT_TRUE(saw_private);
  EXPECT_NE(send(Method::kGet, "/audit").body.find("id=\"operator-view\""), std::string::npos);
}

TEST_F(CharterSiteTest, MyDataIsShownToMeDownloadedAndErasedForReal) {
  join("marfa");
  login("marfa");
  auto page = send(Method::kGet, "/me/data");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(header(page, "Cache-Control"), "no-store");
  EXPECT_EQ(send(Method::kPost, "/me/data/contact", "contact=marfa%40example.org").status, 403);
  auto saved = send(Method::kPost, "/me/data/contact",
                    "csrf=" + csrf_in(page.body) + "&contact=marfa%40example.org");
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto named = send(Method::kPost, "/me/data/name",
                    "csrf=" + csrf_in(page.body) + "&display_name=" + percent_encode("Марфа"));
  ASSERT_EQ(named.status, 303) << named.body;
  auto bad = send(Method::kPost, "/me/data/contact",
                  "csrf=" + csrf_in(page.body) + "&contact=a%20b%40example.org");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("cannot contain spaces"), std::string::npos);
  page = send(Method::kGet, "/me/data");
  EXPECT_NE(page.body.find("value=\"marfa@example.org\""), std::string::npos);
  ASSERT_EQ(send(Method::kPost, "/charter/1/sign", "csrf=" + charter_csrf()).status, 303);

  const auto download = send(Method::kGet, "/me/data.json");
  ASSERT_EQ(download.status, 200);
  EXPECT_NE(header(download, "Content-Disposition").find("attachment"), std::string::npos);
  auto o = json_of(download);
  EXPECT_EQ(o.at("handle").as_string(), "marfa");
  EXPECT_EQ(o.at("display_name").as_string(), "Марфа");
  EXPECT_EQ(o.at("contact_address").as_string(), "marfa@example.org");
  EXPECT_EQ(o.at("charter_signatures").as_array().size(), 1u);
  EXPECT_EQ(o.at("sessions").as_int64(), 1);
  EXPECT_EQ(json_of(send(Method::kGet, "/api/v1/me/data")), o);

  // Erasing needs the passphrase again.
  page = send(Method::kGet, "/me/data");
  EXPECT_EQ(send(Method::kPost, "/me/data/erase", "passphrase=" + percent_encode(kPass)).status,
            403);
  auto wrong =
      send(Method::kPost, "/me/data/erase", "csrf=" + csrf_in(page.body) + "&passphrase=nope");
  EXPECT_EQ(wrong.status, 401);
  auto erased = send(Method::kPost, "/me/data/erase",
                     "csrf=" + csrf_in(page.body) + "&passphrase=" + percent_encode(kPass));
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_NE(erased.body.find("id=\"erased\""), std::string::npos);
  EXPECT_FALSE(cookies_.count("veche_session")) << "the session cookie is cleared";
  EXPECT_EQ(send(Method::kGet, "/me/data").status, 303);
  EXPECT_EQ(by_id(send(Method::kGet, "/charter").body, "individuals-1"), "12");
  const auto csrf = csrf_in(send(Method::kGet, "/login").body);
  EXPECT_EQ(send(Method::kPost, "/login",
                 "csrf=" + csrf + "&handle=marfa&passphrase=" + percent_encode(kPass))
                .status,
            401);
}

TEST_F(CharterSiteTest, ThePagesSpeakRussian) {
  Request r;
  r.method = Method::kGet;
  r.path = "/charter";
  r.headers["accept-language"] = "ru";
  r.request_id = "t";
  const auto charter = site_->handle(r);
  EXPECT_NE(charter.body.find("Личные подписи"), std::string::npos);
  r.path = "/audit";
  EXPECT_NE(site_->handle(r).body.find("Журнал аудита"), std::string::npos);
}

}  // namespace
}  // namespace veche::http
