// Campaigns through the site (no socket): a delegate starts a campaign from an admitted issue,
// records actions, a correction, milestones, a petition and the outcome; a constituent signs
// once and gets a receipt whose hash is in the published list, which recounts; the track
// records and their SVG timelines and exports; bad input on every form is a 4xx that changes
// nothing; CSRF on every form; only delegates of a running organization record.
#include "site_fixture.hpp"
#include "veche/agenda/agenda.hpp"
#include "veche/campaigns/log.hpp"
#include "veche/campaigns/petition.hpp"

namespace veche::http {
namespace {

using registry::Role;

class CampaignsSiteTest : public SiteFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    if (HasFatalFailure()) return;
    agenda::Agenda a(*db_, clock_, key_);
    ASSERT_TRUE(a.set_threshold(1));
  }
  std::string page_csrf(const std::string& path) { return csrf_in(send(Method::kGet, path).body); }
  std::string api_csrf() {
    return std::string(json_of(send(Method::kGet, "/api/v1/me"))["csrf_token"].as_string());
  }
  // An issue raised and supported by a constituent (admitted at threshold 1); its number.
  std::string admitted_issue() {
    cookies_.clear();
    join("raiser");
    EXPECT_EQ(login("raiser").status, 303);
    const auto csrf = api_csrf();
    auto r = send(Method::kPost, "/api/v1/agenda/issues",
                  R"({"title": "Bank accounts for exiles", "tags": ["banking"]})",
                  {{"content-type", "application/json"}, {"x-csrf-token", csrf}});
    EXPECT_EQ(r.status, 201) << r.body;
    const auto id = std::to_string(json_of(r)["id"].as_int64());
    EXPECT_EQ(send(Method::kPost, "/api/v1/agenda/issues/" + id + "/support", "",
                   {{"content-type", "application/json"}, {"x-csrf-token", csrf}})
                  .status,
              201);
    return id;
  }
  std::int64_t log_size() {
    auto entries = campaigns::log_entries(*db_, 0, 500);
    EXPECT_TRUE(entries);
    return static_cast<std::int64_t>(entries->size());
  }
  // Starts a campaign as a delegate of northern-forum; returns its number.
  std::string start(const std::string& issue) {
    role_holder("ilmen", Role::kDelegate, "northern-forum");
    auto form = send(Method::kGet, "/campaigns/new?issue=" + issue);
    EXPECT_EQ(form.status, 200) << form.body;
    auto r = send(Method::kPost, "/campaigns",
                  "csrf=" + csrf_in(form.body) + "&source=issue&source_id=" + issue +
                      "&title=Bank+accounts&goal=Banks+keep+accounts+open" +
                      "&targets=European+Commission%0AEuropean+Banking+Authority" +
                      "&org_northern-forum=1");
    EXPECT_EQ(r.status, 303) << r.body;
    const auto location = header(r, "Location");
    const auto from = std::string("/campaigns/").size();
    return location.substr(from, location.find('?') - from);
  }
  Response post(const std::string& path, const std::string& fields, const std::string& page) {
    return send(Method::kPost, path, "csrf=" + page_csrf(page) + "&" + fields);
  }
};

TEST_F(CampaignsSiteTest, FromAnAdmittedIssueToAnOutcomeWithAPetition) {
  const auto issue = admitted_issue();
  const auto id = start(issue);
  const auto base = "/campaigns/" + id;
  auto page = send(Method::kGet, base);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("European Banking Authority"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"action-form\""), std::string::npos);

  auto r = post(base + "/actions",
                "organization=northern-forum&kind=letter&date=2026-09-01&title=Letter+to+DG+FISMA"
                "&links=https%3A%2F%2Fexample.org%2Fletter.pdf",
                base);
  ASSERT_EQ(r.status, 303) << r.body;
  r = post(base + "/corrections",
           "organization=northern-forum&action=1&kind=letter&date=2026-09-02&title=Letter+to+DG+"
           "FISMA+and+EBA&explanation=Also+sent+to+the+EBA",
           base);
  ASSERT_EQ(r.status, 303) << r.body;
  r = post(base + "/milestones", "organization=northern-forum&title=Hearing&due=2026-12-01", base);
  ASSERT_EQ(r.status, 303) << r.body;
  r = post(base + "/milestone-status",
           "organization=northern-forum&milestone=1&status=reached&note=Held", base);
  ASSERT_EQ(r.status, 303) << r.body;
  r = post(base + "/petitions", "organization=northern-forum&title=Accounts+now&text=We+ask", base);
  ASSERT_EQ(r.status, 303) << r.body;
  page = send(Method::kGet, base);
  EXPECT_NE(page.body.find("Letter to DG FISMA and EBA"), std::string::npos);
  EXPECT_NE(page.body.find("Also sent to the EBA"), std::string::npos);
  EXPECT_NE(page.body.find("Earlier versions"), std::string::npos);
  EXPECT_NE(page.body.find("/petitions/1"), std::string::npos);

  // A constituent signs once and gets a receipt; the published list holds its hash.
  cookies_.clear();
  join("signer");
  ASSERT_EQ(login("signer").status, 303);
  auto signed_page = post("/petitions/1/sign", "public_name=Anna+K.", "/petitions/1");
  ASSERT_EQ(signed_page.status, 200) << signed_page.body;
  const auto receipt = by_id(signed_page.body, "receipt");
  ASSERT_EQ(receipt.size(), 52u);
  EXPECT_EQ(by_id(signed_page.body, "signatures"), "1");
  EXPECT_EQ(header(signed_page, "Cache-Control"), "no-store");
  EXPECT_EQ(post("/petitions/1/sign", "public_name=", "/me").status, 409);
  auto again = send(Method::kGet, "/petitions/1");
  EXPECT_EQ(by_id(again.body, "receipt"), "");  // shown once only
  EXPECT_NE(again.body.find("id=\"signed\""), std::string::npos);
  auto published = send(Method::kGet, "/api/v1/petitions/1/signatures", "",
                        {{"accept", "application/json"}}, false);
  ASSERT_EQ(published.status, 200);
  EXPECT_EQ(published.body.find("signer"), std::string::npos);
  auto recount = campaigns::recount(published.body, receipt);
  ASSERT_TRUE(recount);
  EXPECT_TRUE(recount->ok());
  EXPECT_EQ(recount->counted, 1);
  EXPECT_EQ(recount->receipt_found, true);

  // The outcome, then the track records.
  role_holder("ilmen2", Role::kDelegate, "northern-forum");
  r = post(base + "/outcome",
           "organization=northern-forum&outcome=partly&evidence=Guidance+in+two+states", base);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(by_id(send(Method::kGet, base).body, "outcome"), "Partly achieved");
  auto org = send(Method::kGet, "/track-record/organizations/northern-forum");
  ASSERT_EQ(org.status, 200);
  EXPECT_NE(org.body.find("Bank accounts"), std::string::npos);
  EXPECT_NE(org.body.find("<svg"), std::string::npos);
  auto by_issue = send(Method::kGet, "/track-record/issues/" + issue);
  ASSERT_EQ(by_issue.status, 200);
  EXPECT_NE(by_issue.body.find("/campaigns/" + id), std::string::npos);
  auto svg = send(Method::kGet, "/track-record/organizations/northern-forum/timeline.svg");
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  auto csv = send(Method::kGet, "/track-record/organizations/northern-forum/export.csv");
  EXPECT_NE(csv.body.find("\"partly\""), std::string::npos);
  auto campaign_csv = send(Method::kGet, base + "/export.csv");
  EXPECT_NE(campaign_csv.body.find("\"action\",\"1\",\"2026-09-02\""), std::string::npos);
  auto api = json_of(send(Method::kGet, "/api/v1/track-record/issues/" + issue, "",
                          {{"accept", "application/json"}}));
  EXPECT_EQ(api["counts"].as_object()["partly"].as_int64(), 1);
  auto log = send(Method::kGet, "/campaigns/log");
  ASSERT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("campaign.started"), std::string::npos);
  EXPECT_NE(log.body.find("action.corrected"), std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/campaigns/log?after=x").status, 400);
  auto report = campaigns::verify_log(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->first_broken);
  EXPECT_EQ(report->entries, 7);
}

TEST_F(CampaignsSiteTest, BadInputOnEveryFormIsA4xxAndChangesNothing) {
  const auto issue = admitted_issue();
  const auto id = start(issue);
  const auto base = "/campaigns/" + id;
  const auto before = log_size();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"/campaigns", "source=issue&source_id=&title=X&goal=Y&targets=Z&org_northern-forum=1"},
      {"/campaigns", "source=war&source_id=1&title=X&goal=Y&targets=Z&org_northern-forum=1"},
      {"/campaigns", "source=issue&source_id=" + issue + "&title=&goal=Y&targets=Z"},
      {"/campaigns", "source=issue&source_id=999&title=X&goal=Y&targets=Z&org_northern-forum=1"},
      {base + "/actions", "organization=northern-forum&kind=tweet&date=2026-09-01&title=X"},
      {base + "/actions", "organization=northern-forum&kind=letter&date=yesterday&title=X"},
      {base + "/actions", "organization=northern-forum&kind=letter&date=2026-09-01&title="},
      {base + "/actions",
       "organization=northern-forum&kind=letter&date=2026-09-01&title=X&links=ftp%3A%2F%2Fx"},
      {base + "/actions", "organization=&kind=letter&date=2026-09-01&title=X"},
      {base + "/corrections", "organization=northern-forum&action=abc&explanation=x"},
      {base + "/corrections", "organization=northern-forum&action=77&retract=1&explanation=x"},
      {base + "/milestones", "organization=northern-forum&title="},
      {base + "/milestones", "organization=northern-forum&title=X&due=2026-13-01"},
      {base + "/milestone-status", "organization=northern-forum&milestone=1&status=won"},
      {base + "/outcome", "organization=northern-forum&outcome=won&evidence=x"},
      {base + "/outcome", "organization=northern-forum&outcome=achieved&evidence="},
      {base + "/petitions", "organization=northern-forum&title=X&text="},
      {base + "/petitions", "organization=northern-forum&title=X&text=Y&closes=2020-01-01"},
      {base + "/join", "organization=nowhere"},
      {"/campaigns/987/actions", "organization=northern-forum&kind=letter&date=2026-09-01&title=X"},
  };
  for (const auto& [path, fields] : bad) {
    auto r = post(path, fields, base);
    EXPECT_GE(r.status, 400) << path << " " << fields;
    EXPECT_LT(r.status, 500) << path << " " << fields << ": " << r.body;
  }
  EXPECT_EQ(log_size(), before);
  EXPECT_EQ(json_of(send(Method::kGet, "/api/v1/campaigns", "",
                         {{"accept", "application/json"}}))["campaigns"]
                .as_array()
                .size(),
            1u);
  // A petition's form: a name too long; a petition that does not exist.
  cookies_.clear();
  join("signer");
  ASSERT_EQ(login("signer").status, 303);
  EXPECT_EQ(post("/petitions/5/sign", "public_name=x", "/me").status, 404);
  EXPECT_EQ(send(Method::kGet, "/campaigns?outcome=won").status, 400);
  EXPECT_EQ(send(Method::kGet, "/campaigns/abc").status, 404);
  EXPECT_EQ(send(Method::kGet, "/track-record/organizations/nowhere").status, 404);
  EXPECT_EQ(send(Method::kGet, "/track-record/issues/999").status, 404);
}

TEST_F(CampaignsSiteTest, FormsNeedTheirTokenAndOnlyTheTeamRecords) {
  const auto issue = admitted_issue();
  const auto id = start(issue);
  const auto base = "/campaigns/" + id;
  const auto before = log_size();
  auto r = send(Method::kPost, base + "/actions",
                "organization=northern-forum&kind=letter&date=2026-09-01&title=X");
  EXPECT_EQ(r.status, 403);
  // A delegate of another organization does not record until it joins.
  role_holder("zhiguli", Role::kDelegate, "volga-federalists");
  auto page = send(Method::kGet, base);
  EXPECT_EQ(page.body.find("id=\"action-form\""), std::string::npos);
  EXPECT_NE(page.body.find("id=\"join\""), std::string::npos);
  r = post(base + "/actions", "organization=northern-forum&kind=letter&date=2026-09-01&title=X",
           base);
  EXPECT_EQ(r.status, 403);
  r = post(base + "/actions", "organization=volga-federalists&kind=letter&date=2026-09-01&title=X",
           base);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(log_size(), before);
  ASSERT_EQ(post(base + "/join", "organization=volga-federalists", base).status, 303);
  EXPECT_EQ(post(base + "/actions",
                 "organization=volga-federalists&kind=meeting&date=2026-09-01&title=Met", base)
                .status,
            303);
  // Through the API with a session: the CSRF header is needed.
  r = send(Method::kPost, "/api/v1/campaigns/" + id + "/milestones",
           R"({"organization": "volga-federalists", "title": "Vote"})",
           {{"content-type", "application/json"}, {"accept", "application/json"}});
  EXPECT_EQ(r.status, 403);
  r = send(Method::kPost, "/api/v1/campaigns/" + id + "/milestones",
           R"({"organization": "volga-federalists", "title": "Vote", "due": 5})",
           {{"content-type", "application/json"},
            {"accept", "application/json"},
            {"x-csrf-token", api_csrf()}});
  EXPECT_EQ(r.status, 400) << r.body;
  r = send(Method::kPost, "/api/v1/campaigns/" + id + "/milestones",
           R"({"organization": "volga-federalists", "title": "Vote"})",
           {{"content-type", "application/json"},
            {"accept", "application/json"},
            {"x-csrf-token", api_csrf()}});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json_of(r)["milestones"].as_array().size(), 1u);
  // A constituent who is not a delegate cannot open the form at all.
  cookies_.clear();
  join("plain");
  ASSERT_EQ(login("plain").status, 303);
  EXPECT_EQ(send(Method::kGet, "/campaigns/new").status, 403);
}

TEST_F(CampaignsSiteTest, TitlesAreEscapedInTheTablesAndTheTimelines) {
  const auto issue = admitted_issue();
  role_holder("ilmen", Role::kDelegate, "northern-forum");
  auto form = send(Method::kGet, "/campaigns/new");
  auto r = send(Method::kPost, "/campaigns",
                "csrf=" + csrf_in(form.body) + "&source=issue&source_id=" + issue +
                    "&title=" + percent_encode("<script>alert(1)</script> & \"co\"") +
                    "&goal=G&targets=T&org_northern-forum=1");
  ASSERT_EQ(r.status, 303) << r.body;
  for (const char* path :
       {"/campaigns", "/track-record/organizations/northern-forum",
        "/track-record/organizations/northern-forum/timeline.svg", "/campaigns/1"}) {
    auto page = send(Method::kGet, path);
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body.find("<script>alert"), std::string::npos) << path;
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"), std::string::npos)
        << path;
  }
}

}  // namespace
}  // namespace veche::http
