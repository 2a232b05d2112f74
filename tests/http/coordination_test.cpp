// The coordination pages and API through the site (no socket): the public view and the
// coordinators' view of the demo, forms with bad input (400, nothing changed), CSRF, a
// coordinator of another institution never seeing own-institution records, exports.
#include "site_fixture.hpp"

namespace veche::http {
namespace {

using registry::Role;

class CoordinationSiteTest : public SiteFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(coordination::load_demo(*db_, clock_));
  }
  // A coordinator of `institution` with a second-factor session in the cookie jar.
  void coordinator(const std::string& handle, const std::string& institution) {
    role_holder(handle, Role::kCoordinator);
    coordination::Coordination c(*db_, clock_);
    ASSERT_TRUE(c.assign_coordinator(handle, institution));
  }
  std::string page_csrf(const std::string& path) { return csrf_in(send(Method::kGet, path).body); }
  std::size_t count(const std::string& path) {
    auto r = send(Method::kGet, path, "", {{"accept", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    const auto o = json_of(r);
    return o.at(o.contains("support") ? "support" : "initiatives").as_array().size();
  }
};

TEST_F(CoordinationSiteTest, ThePublicSeesPublicRecordsAndPseudonymsOnly) {
  const auto home = send(Method::kGet, "/coordination");
  ASSERT_EQ(home.status, 200) << home.body;
  EXPECT_NE(home.body.find("Public view"), std::string::npos);
  EXPECT_EQ(home.body.find("name=\"csrf\""), std::string::npos) << "no forms for visitors";
  const auto support = send(Method::kGet, "/coordination/support");
  ASSERT_EQ(support.status, 200);
  EXPECT_NE(support.body.find("Independent Media Grant"), std::string::npos);  // public
  EXPECT_EQ(support.body.find("Voices Programme"), std::string::npos);         // coordinators
  EXPECT_EQ(support.body.find("Rule of Law Line"), std::string::npos);         // institution
  const auto dir = send(Method::kGet, "/coordination/initiatives");
  EXPECT_EQ(dir.body.find("Volunteer network"), std::string::npos) << "a private entry";
  EXPECT_EQ(dir.body.find("editors@example.org"), std::string::npos) << "contacts";
  const auto csv = send(Method::kGet, "/coordination/export/initiatives.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.find("editors@example.org"), std::string::npos);
  EXPECT_EQ(csv.body.find("contacts"), std::string::npos);
  EXPECT_EQ(csv.body.find("Volunteer network"), std::string::npos);
  const auto json = send(Method::kGet, "/api/v1/coordination/export");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.body.find("Safe Passage"), std::string::npos);
  EXPECT_EQ(json.body.find("Voices Programme"), std::string::npos);
  // The private initiative exists but is a 404 for the public, like one that does not.
  coordination::Coordination c(*db_, clock_);
  auto all = c.initiatives(coordination::Viewer::coordinator_of(coordination::InstitutionId()));
  ASSERT_TRUE(all);
  for (const auto& i : *all) {
    const auto r = send(Method::kGet, "/coordination/initiatives/" + i.id.str());
    EXPECT_EQ(r.status, i.is_private ? 404 : 200) << i.name;
  }
  EXPECT_EQ(send(Method::kGet, "/coordination/initiatives/abc").status, 404);
  const auto plurality = send(Method::kGet, "/coordination/plurality");
  ASSERT_EQ(plurality.status, 200);
  EXPECT_NE(plurality.body.find("<svg"), std::string::npos);
  const auto report = send(Method::kGet, "/coordination/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("coordination-print.css"), std::string::npos);
  EXPECT_NE(send(Method::kGet, "/static/coordination-print.css").body.find("@page"),
            std::string::npos);
}

TEST_F(CoordinationSiteTest, ACoordinatorNeverSeesAnotherInstitutionsOwnRecords) {
  coordinator("fjord-coord", "Fjordland Democracy Fund");
  const auto fjord_cookies = cookies_;
  auto support = send(Method::kGet, "/coordination/support");
  ASSERT_EQ(support.status, 200);
  EXPECT_NE(support.body.find("Voices Programme"), std::string::npos);  // coordinators
  EXPECT_EQ(support.body.find("Rule of Law Line"), std::string::npos);  // Amber's own
  EXPECT_EQ(support.body.find("Safe Passage"), std::string::npos);      // Lakeland's own
  EXPECT_NE(send(Method::kGet, "/coordination/initiatives").body.find("Volunteer network"),
            std::string::npos);
  for (const char* path : {"/coordination/export/support.csv", "/api/v1/coordination/export",
                           "/api/v1/coordination/support", "/coordination/report"}) {
    const auto r = send(Method::kGet, path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find("Rule of Law Line"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("Safe Passage"), std::string::npos) << path;
    EXPECT_NE(r.body.find("Voices Programme"), std::string::npos) << path;
  }
  coordinator("amber-coord", "Amber Coast Foundation");
  for (const char* path : {"/coordination/support", "/coordination/export/support.csv",
                           "/api/v1/coordination/export"}) {
    const auto r = send(Method::kGet, path);
    EXPECT_NE(r.body.find("Rule of Law Line"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("Safe Passage"), std::string::npos) << path;
  }
  // Fjord's coordinator records own-institution support; Amber's never sees it.
  cookies_ = fjord_cookies;
  const auto csrf = page_csrf("/coordination/support");
  auto added = send(Method::kPost, "/coordination/support",
                    "csrf=" + csrf +
                        "&initiative=1&programme=Fjord+Secret+Line&amount=1000.50&currency=nok"
                        "&from=2026-01-01&to=2026-12-31&purpose=project&visibility=institution");
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_NE(send(Method::kGet, "/coordination/support").body.find("1,000.50 NOK"),
            std::string::npos);
  coordinator("amber-two", "Amber Coast Foundation");
  EXPECT_EQ(send(Method::kGet, "/coordination/support").body.find("Fjord Secret Line"),
            std::string::npos);
  cookies_.clear();
  EXPECT_EQ(send(Method::kGet, "/coordination/support").body.find("Fjord Secret Line"),
            std::string::npos);
}

TEST_F(CoordinationSiteTest, BadFormInputIs400AndChangesNothing) {
  coordinator("coord", "Amber Coast Foundation");
  const std::size_t before = count("/api/v1/coordination/support");
  const std::string good =
      "&initiative=1&programme=P&amount=10&currency=EUR&from=2026-01-01&to=2026-02-01"
      "&purpose=project&visibility=public";
  for (const std::string& bad :
       {std::string("&initiative=1&programme=P&amount=10,5&currency=EUR&from=2026-01-01"
                    "&to=2026-02-01&purpose=project&visibility=public"),
        std::string("&initiative=1&programme=P&amount=10&currency=EURO&from=2026-01-01"
                    "&to=2026-02-01&purpose=project&visibility=public"),
        std::string("&initiative=1&programme=P&amount=10&currency=EUR&from=2026-03-01"
                    "&to=2026-02-01&purpose=project&visibility=public"),
        std::string("&initiative=1&programme=P&amount=10&currency=EUR&from=2026-02-30"
                    "&to=2026-03-01&purpose=project&visibility=public"),
        std::string("&initiative=1&programme=P&amount=10&currency=EUR&from=2026-01-01"
                    "&to=2026-02-01&purpose=bribes&visibility=public"),
        std::string("&initiative=1&programme=&amount=10&currency=EUR&from=2026-01-01"
                    "&to=2026-02-01&purpose=project&visibility=public"),
        std::string("&initiative=x&programme=P&amount=10&currency=EUR&from=2026-01-01"
                    "&to=2026-02-01&purpose=project&visibility=public")}) {
    const auto r = send(Method::kPost, "/coordination/support",
                        "csrf=" + page_csrf("/coordination/support") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("form-error"), std::string::npos) << bad;
  }
  EXPECT_EQ(count("/api/v1/coordination/support"), before);
  // Events whose counts do not add up.
  const auto events_before = json_of(send(Method::kGet, "/api/v1/coordination/plurality"))
                                 .at("by_event")
                                 .as_array()
                                 .size();
  auto r = send(Method::kPost, "/coordination/events",
                "csrf=" + page_csrf("/coordination/plurality") +
                    "&title=T&day=2026-05-01&total=10&women=11&non_russian=1&visibility=public");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("11 women among 10"), std::string::npos);
  r = send(Method::kPost, "/coordination/events",
           "csrf=" + page_csrf("/coordination/plurality") +
               "&title=T&day=2026-05-01&total=10&women=5&non_russian=1&regions=Volga%3A+20"
               "&visibility=public");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json_of(send(Method::kGet, "/api/v1/coordination/plurality"))
                .at("by_event")
                .as_array()
                .size(),
            events_before);
  // Initiatives: no name, a bad percent.
  const std::size_t inits = count("/api/v1/coordination/initiatives");
  r = send(Method::kPost, "/coordination/initiatives",
           "csrf=" + page_csrf("/coordination/initiatives") + "&name=+&field=media");
  EXPECT_EQ(r.status, 400);
  r = send(Method::kPost, "/coordination/initiatives",
           "csrf=" + page_csrf("/coordination/initiatives") +
               "&name=N&field=media&leadership_women_percent=140");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(count("/api/v1/coordination/initiatives"), inits);
  // The good form is accepted (the test above did not fail for another reason).
  r = send(Method::kPost, "/coordination/support",
           "csrf=" + page_csrf("/coordination/support") + good);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(count("/api/v1/coordination/support"), before + 1);
}

TEST_F(CoordinationSiteTest, WritesNeedTheFormTokenAndACoordinator) {
  coordinator("coord", "Amber Coast Foundation");
  const std::size_t before = count("/api/v1/coordination/initiatives");
  auto r = send(Method::kPost, "/coordination/initiatives", "csrf=wrong&name=N&field=media");
  EXPECT_EQ(r.status, 403);
  r = send(Method::kPost, "/api/v1/coordination/initiatives", R"({"name":"N","field":"media"})",
           {{"accept", "application/json"}, {"content-type", "application/json"}});
  EXPECT_EQ(r.status, 403) << "no X-CSRF-Token";
  EXPECT_EQ(count("/api/v1/coordination/initiatives"), before);
  // With the token the API creates it.
  const auto token =
      std::string(json_of(send(Method::kGet, "/api/v1/me"))["csrf_token"].as_string());
  r = send(Method::kPost, "/api/v1/coordination/initiatives",
           R"({"name":"Api Initiative","field":"research","regions":["Urals"],"private":true})",
           {{"accept", "application/json"},
            {"content-type", "application/json"},
            {"x-csrf-token", token}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json_of(r).at("private").as_bool(), true);
  r = send(
      Method::kPost, "/api/v1/coordination/events",
      R"({"title":"E","day":"2026-05-01","total":4,"women":5,"non_russian":0,"visibility":"public"})",
      {{"accept", "application/json"},
       {"content-type", "application/json"},
       {"x-csrf-token", token}});
  EXPECT_EQ(r.status, 400);
  // A constituent is refused; without a session the page sends to the login page.
  cookies_.clear();
  join("plain-person");
  ASSERT_EQ(login("plain-person").status, 303);
  // (Their pages show no form: the token comes from the account page.)
  r = send(Method::kPost, "/coordination/initiatives",
           "csrf=" + page_csrf("/me") + "&name=N&field=media");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Only a coordinator"), std::string::npos);
  cookies_.clear();
  r = send(Method::kPost, "/coordination/initiatives",
           "csrf=" + page_csrf("/login") + "&name=N&field=media");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/login");
}

TEST_F(CoordinationSiteTest, ACoordinatorEditsAnEntryAndRemovesOnlyOwnRecords) {
  coordinator("editor", "Amber Coast Foundation");
  auto form = send(Method::kGet, "/coordination/initiatives/4/edit");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("value=\"Mountain Voices Collective\""), std::string::npos);
  auto r = send(Method::kPost, "/coordination/initiatives/4",
                "csrf=" + csrf_in(form.body) + "&name=&field=cultural");
  EXPECT_EQ(r.status, 400);
  r = send(Method::kPost, "/coordination/initiatives/4",
           "csrf=" + csrf_in(form.body) +
               "&name=Mountain+Voices&field=cultural&regions=North+Caucasus%2C+South"
               "&leadership_women_percent=50");
  ASSERT_EQ(r.status, 303) << r.body;
  auto page = send(Method::kGet, "/coordination/initiatives/4");
  EXPECT_EQ(by_id(page.body, "initiative-name"), "Mountain Voices");
  EXPECT_NE(page.body.find("North Caucasus, South"), std::string::npos);
  // Amber's own record has a remove button; Fjord's coordinators' record has none.
  auto support = send(Method::kGet, "/coordination/support");
  const auto own = support.body.find("Rule of Law Line");
  ASSERT_NE(own, std::string::npos);
  const std::string csrf = csrf_in(support.body);
  coordination::Coordination c(*db_, clock_);
  auto all = c.support(coordination::Viewer::coordinator_of(coordination::InstitutionId(2)));
  ASSERT_TRUE(all);
  std::string amber_id;
  std::string fjord_id;
  for (const auto& s : *all) {
    if (s.programme == "Rule of Law Line") amber_id = s.id.str();
    if (s.programme == "Voices Programme") fjord_id = s.id.str();
  }
  ASSERT_FALSE(amber_id.empty() || fjord_id.empty());
  EXPECT_NE(support.body.find("/coordination/support/" + amber_id + "/remove"), std::string::npos);
  EXPECT_EQ(support.body.find("/coordination/support/" + fjord_id + "/remove"), std::string::npos);
  r = send(Method::kPost, "/coordination/support/" + fjord_id + "/remove", "csrf=" + csrf);
  EXPECT_EQ(r.status, 403);
  r = send(Method::kPost, "/coordination/support/" + amber_id + "/remove", "csrf=wrong");
  EXPECT_EQ(r.status, 403);
  r = send(Method::kPost, "/coordination/support/" + amber_id + "/remove", "csrf=" + csrf);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(send(Method::kGet, "/coordination/support").body.find("Rule of Law Line"),
            std::string::npos);
  EXPECT_EQ(
      send(Method::kPost, "/coordination/support/" + amber_id + "/remove", "csrf=" + csrf).status,
      404);
  // The edit page is the coordinators': a visitor is sent to log in.
  cookies_.clear();
  r = send(Method::kGet, "/coordination/initiatives/4/edit");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/login");
}

TEST_F(CoordinationSiteTest, ACoordinatorAssessesAndAConflictExcludesTheAssessment) {
  coordinator("assessor", "Amber Coast Foundation");
  auto r = send(
      Method::kPost, "/coordination/initiatives/1/assessments",
      "csrf=" + page_csrf("/coordination/initiatives/1") + "&visions=5&knowledge=5&anti_war=5");
  ASSERT_EQ(r.status, 303) << r.body;
  auto page = send(Method::kGet, "/coordination/initiatives/1");
  const auto counted = by_id(page.body, "assessors");
  r = send(Method::kPost, "/coordination/initiatives/1/conflicts",
           "csrf=" + page_csrf("/coordination/initiatives/1") + "&reason=I+advise+them");
  ASSERT_EQ(r.status, 303) << r.body;
  page = send(Method::kGet, "/coordination/initiatives/1");
  EXPECT_EQ(std::stoi(by_id(page.body, "assessors")), std::stoi(counted) - 1);
  EXPECT_EQ(csrf_in(page.body), "") << "no assessment form after a declared conflict";
  EXPECT_NE(page.body.find("I advise them"), std::string::npos);
  r = send(Method::kPost, "/coordination/initiatives/1/assessments",
           "csrf=" + page_csrf("/me") + "&visions=1&knowledge=1&anti_war=1");
  EXPECT_EQ(r.status, 422);
  r = send(Method::kPost, "/coordination/initiatives/1/assessments",
           "csrf=" + page_csrf("/me") + "&visions=9&knowledge=1");
  EXPECT_EQ(r.status, 400) << "scores out of range";
  // The same through the API: another coordinator assesses, then declares a conflict.
  coordinator("api-assessor", "Fjordland Democracy Fund");
  const auto token =
      std::string(json_of(send(Method::kGet, "/api/v1/me"))["csrf_token"].as_string());
  const std::map<std::string, std::string> api = {{"accept", "application/json"},
                                                  {"content-type", "application/json"},
                                                  {"x-csrf-token", token}};
  r = send(Method::kPost, "/api/v1/coordination/initiatives/1/assessments",
           R"({"visions":4,"knowledge":4,"anti_war":4})", api);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto counted_now = json_of(r).at("assessors").as_int64();
  r = send(Method::kPost, "/api/v1/coordination/initiatives/1/assessments",
           R"({"visions":6,"knowledge":4,"anti_war":4})", api);
  EXPECT_EQ(r.status, 400);
  r = send(Method::kPost, "/api/v1/coordination/initiatives/1/conflicts", R"({"reason":"kin"})",
           api);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json_of(r).at("assessors").as_int64(), counted_now - 1);
  r = send(Method::kPost, "/api/v1/coordination/initiatives/1/conflicts", R"({"reason":"kin"})",
           api);
  EXPECT_EQ(r.status, 409);
  r = send(Method::kPost, "/api/v1/coordination/initiatives/1/assessments",
           R"({"visions":4,"knowledge":4,"anti_war":4})");
  EXPECT_EQ(r.status, 403) << "no X-CSRF-Token";
}

}  // namespace
}  // namespace veche::http
