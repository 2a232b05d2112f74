// Delegates' and registrars' tools through the site (no socket): who may open them, profile
// edits, appointments, invitation codes within the quota, and the same through the API.
#include "site_fixture.hpp"

namespace veche::http {
namespace {

using registry::Role;

class OrganizationAdminTest : public SiteFixture {
 protected:
  static constexpr const char* kOrg = "/organizations/northern-forum";
};

TEST_F(OrganizationAdminTest, OnlyADelegateOfThisOrganizationWithASecondFactorManagesIt) {
  auto anonymous = send(Method::kGet, std::string(kOrg) + "/manage");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(header(anonymous, "Location"), "/login");

  join("prostoy");
  ASSERT_EQ(login("prostoy").status, 303);
  auto constituent = send(Method::kGet, std::string(kOrg) + "/manage");
  EXPECT_EQ(constituent.status, 403);
  EXPECT_NE(constituent.body.find("Only a delegate of this organization"), std::string::npos);

  ASSERT_TRUE(accounts_->grant_role("operator", "prostoy", Role::kDelegate, "northern-forum"));
  auto no_totp = send(Method::kGet, std::string(kOrg) + "/manage");
  EXPECT_EQ(no_totp.status, 403);
  EXPECT_NE(no_totp.body.find("second factor"), std::string::npos);

  role_holder("chuzhoy", Role::kDelegate, "volga-federalists");
  EXPECT_EQ(send(Method::kGet, std::string(kOrg) + "/manage").status, 403)
      << "a delegate of another organization";

  role_holder("svoy", Role::kDelegate, "northern-forum");
  auto page = send(Method::kGet, std::string(kOrg) + "/manage");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(header(page, "Cache-Control"), "no-store");
  auto org = send(Method::kGet, kOrg);
  EXPECT_NE(org.body.find("/manage\""), std::string::npos) << "the page links the tool";
}

TEST_F(OrganizationAdminTest, ADelegateEditsTheProfileAndBadInputChangesNothing) {
  role_holder("redaktor", Role::kDelegate, "northern-forum");
  const auto csrf = csrf_in(send(Method::kGet, std::string(kOrg) + "/manage").body);
  const std::string fields =
      "&name_en=Northern+Forum&name_ru=&description_en=We+help+**exiles**.&description_ru="
      "&other_names=be%3A+Паўночны+форум&focus_areas=residence+permits%0D%0Aprisoners"
      "&regions=Vilnius&minorities=";
  EXPECT_EQ(send(Method::kPost, std::string(kOrg) + "/profile", "website=" + fields).status, 403)
      << "no CSRF token";
  auto saved = send(Method::kPost, std::string(kOrg) + "/profile",
                    "csrf=" + csrf + "&website=https%3A%2F%2Fnorth.example" + fields);
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto page = send(Method::kGet, std::string(kOrg) + "?saved=1");
  EXPECT_NE(page.body.find("The profile is saved."), std::string::npos);
  EXPECT_NE(page.body.find("<li>residence permits</li>"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("<li>prisoners</li>"), std::string::npos);
  EXPECT_NE(page.body.find("Паўночны форум"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>exiles</strong>"), std::string::npos) << "Markdown";

  auto bad = send(Method::kPost, std::string(kOrg) + "/profile",
                  "csrf=" + csrf + "&website=javascript%3Aalert(1)" + fields);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("https://"), std::string::npos) << "says what is wrong";
  auto bad_names = send(Method::kPost, std::string(kOrg) + "/profile",
                        "csrf=" + csrf + "&website=&name_en=X&other_names=no+colon");
  EXPECT_EQ(bad_names.status, 400);
  auto org = registry::Registry(*db_, clock_).organization("northern-forum");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->website, "https://north.example") << "unchanged by the refused edits";
}

TEST_F(OrganizationAdminTest, ADelegateAppointsARegistrarWhoIssuesCodesWithinTheQuota) {
  join("ivan");
  role_holder("glava", Role::kDelegate, "northern-forum");
  auto csrf = csrf_in(send(Method::kGet, std::string(kOrg) + "/manage").body);
  auto appointed = send(Method::kPost, std::string(kOrg) + "/roles",
                        "csrf=" + csrf + "&action=grant&handle=ivan&role=registrar");
  EXPECT_EQ(appointed.status, 303) << appointed.body;
  auto wrong_role = send(Method::kPost, std::string(kOrg) + "/roles",
                         "csrf=" + csrf + "&action=grant&handle=ivan&role=operator");
  EXPECT_EQ(wrong_role.status, 400);
  // The demo's delegate may go; then glava is the last one and may not.
  EXPECT_EQ(send(Method::kPost, std::string(kOrg) + "/roles",
                 "csrf=" + csrf + "&action=revoke&handle=demo-ilmen&role=delegate")
                .status,
            303);
  auto last = send(Method::kPost, std::string(kOrg) + "/roles",
                   "csrf=" + csrf + "&action=revoke&handle=glava&role=delegate");
  EXPECT_EQ(last.status, 422);
  EXPECT_NE(last.body.find("at least one delegate"), std::string::npos);
  auto holders = accounts_->organization_roles("northern-forum");
  ASSERT_TRUE(holders);
  EXPECT_EQ(holders->size(), 3u) << "glava, ivan and the demo's registrar";

  // Ivan, now a registrar, sets up TOTP and issues codes.
  // A quota that leaves room for five more codes than the demo already issued.
  const auto already = accounts_->codes_issued_in_period("northern-forum");
  ASSERT_TRUE(already);
  ASSERT_TRUE(accounts_->set_code_quota("operator", "northern-forum", *already + 5, 30));
  cookies_.clear();
  ASSERT_EQ(login("ivan").status, 303);
  const auto secret = enrol();
  ASSERT_EQ(login("ivan").status, 303);
  ASSERT_EQ(
      send(Method::kPost, "/login/totp",
           "csrf=" + csrf_in(send(Method::kGet, "/login/totp").body) + "&code=" + code_now(secret))
          .status,
      303);
  auto page = send(Method::kGet, std::string(kOrg) + "/codes");
  ASSERT_EQ(page.status, 200) << page.body;
  csrf = csrf_in(page.body);
  auto issued =
      send(Method::kPost, std::string(kOrg) + "/codes", "csrf=" + csrf + "&count=3&days=10");
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_EQ(header(issued, "Cache-Control"), "no-store");
  std::size_t shown = 0;
  for (auto at = issued.body.find("<li><code>"); at != std::string::npos;
       at = issued.body.find("<li><code>", at + 1)) {
    ++shown;
  }
  EXPECT_EQ(shown, 3u);
  auto over =
      send(Method::kPost, std::string(kOrg) + "/codes", "csrf=" + csrf + "&count=3&days=10");
  EXPECT_EQ(over.status, 429);
  EXPECT_NE(over.body.find("can still be issued"), std::string::npos);
  EXPECT_EQ(
      send(Method::kPost, std::string(kOrg) + "/codes", "csrf=" + csrf + "&count=x&days=1").status,
      400);
  const auto unused = accounts_->code_counts("northern-forum")->unused;
  auto revoked = send(Method::kPost, std::string(kOrg) + "/codes/revoke", "csrf=" + csrf);
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(header(revoked, "Location"),
            std::string(kOrg) + "/codes?revoked=" + std::to_string(unused));
  EXPECT_EQ(send(Method::kGet, std::string(kOrg) + "/manage").status, 403)
      << "a registrar is not a delegate";
}

TEST_F(OrganizationAdminTest, TheApiTakesBearerTokensWithoutCsrfAndCookiesWithIt) {
  role_holder("api-delegate", Role::kDelegate, "northern-forum");
  const auto token = make_token("scope=delegate");
  ASSERT_FALSE(token.empty());
  const std::string profile =
      R"({"name": {"en": "Northern Forum", "ru": "Северный форум"}, "website": "",
          "focus_areas": ["schools"], "other_names": {"uk": "Північний форум"}})";
  auto by_cookie = send(Method::kPut, "/api/v1/organizations/northern-forum/profile", profile,
                        {{"accept", "application/json"}, {"content-type", "application/json"}});
  EXPECT_EQ(by_cookie.status, 403) << "a cookie write needs X-CSRF-Token";
  auto by_token = send(Method::kPut, "/api/v1/organizations/northern-forum/profile", profile,
                       {{"authorization", "Bearer " + token},
                        {"accept", "application/json"},
                        {"content-type", "application/json"}},
                       false);
  EXPECT_EQ(by_token.status, 200) << by_token.body;
  auto org = registry::Registry(*db_, clock_).organization("northern-forum");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->focus_areas, std::vector<std::string>{"schools"});
  auto roles = send(Method::kGet, "/api/v1/organizations/northern-forum/roles", "",
                    {{"accept", "application/json"}}, false);
  EXPECT_EQ(roles.status, 200);
  EXPECT_NE(roles.body.find("api-delegate"), std::string::npos);
  auto codes = send(Method::kPost, "/api/v1/organizations/northern-forum/codes", R"({"count": 2})",
                    {{"authorization", "Bearer " + token}, {"accept", "application/json"}}, false);
  EXPECT_EQ(codes.status, 403) << "a delegate is not a registrar";
  auto anonymous = send(Method::kGet, "/api/v1/organizations/northern-forum/codes", "",
                        {{"accept", "application/json"}}, false);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(header(anonymous, "WWW-Authenticate"), "Bearer");
}

}  // namespace
}  // namespace veche::http
