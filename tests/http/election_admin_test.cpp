// Site-run elections over HTTP: a delegate creates an election with the guided form (bad input
// keeps the form and says what is wrong; a form without its CSRF token changes nothing),
// previews the ballot, sends the invite links; invitees register keys without an account; the
// organizer freezes the setup; trustees publish signed events over the API, which the state
// machine checks (400 with its message, 409 in the wrong phase); other accounts cannot manage
// someone else's election.
#include "site_fixture.hpp"
#include "veche/crypto/random.hpp"
#include "veche/elections/lifecycle.hpp"
#include "veche/record/trustee.hpp"

namespace veche::http {
namespace {

class ElectionAdminSiteTest : public SiteFixture {
 protected:
  std::string form(const std::string& csrf, const std::string& threshold = "2") {
    return "csrf=" + csrf + "&title=" + percent_encode("Council 2027") +
           "&q1_id=" + percent_encode("Who should sit on the council?") +
           "&q1_kind=approval&q1_choices=" + percent_encode("Anna\nBoris\nVera") +
           "&q1_min=0&q1_max=2&q1_blank=1" +
           "&q2_id=Assembly&q2_kind=party_list&q2_choices=" + percent_encode("North\nSouth") +
           "&q2_seats=5&q2_method=dhondt&q2_threshold=50" +
           "&opens_at=2026-10-01T08:00&closes_at=2026-10-03T20:00&outage_minutes=30&max_hours=12" +
           "&trustees=" + percent_encode("Left\nCentre\nRight") + "&threshold=" + threshold +
           "&registrars=" + percent_encode("Registry office");
  }
  // As a delegate: the form, then the new election's id.
  std::int64_t create() {
    role_holder("organizer", registry::Role::kDelegate, "northern-forum");
    const auto page = send(Method::kGet, "/elections/new");
    EXPECT_EQ(page.status, 200) << page.body;
    auto r = send(Method::kPost, "/elections/new", form(csrf_in(page.body)));
    EXPECT_EQ(r.status, 303) << r.body;
    const auto loc = header(r, "Location");
    EXPECT_TRUE(loc.ends_with("/manage")) << loc;
    return std::stoll(loc.substr(std::string("/elections/").size()));
  }
  std::vector<std::string> invite_links(std::int64_t id) {
    const auto page = send(Method::kGet, "/elections/" + std::to_string(id) + "/manage");
    EXPECT_EQ(page.status, 200) << page.body;
    std::vector<std::string> links;
    const std::string marker = "class=\"invite\" href=\"";
    for (auto at = page.body.find(marker); at != std::string::npos;
         at = page.body.find(marker, at + 1)) {
      const auto start = at + marker.size();
      links.push_back(page.body.substr(start, page.body.find('"', start) - start));
    }
    return links;
  }
  Response api(const std::string& path, const std::string& body) {
    return send(Method::kPost, path, body,
                {{"content-type", "application/json"}, {"accept", "application/json"}},
                /*with_cookies=*/false);
  }

  core::SeededRandom rng_{5};
};

TEST_F(ElectionAdminSiteTest, ADelegateCreatesAnElectionAndSeesItsInvitations) {
  const auto id = create();
  const auto path = "/elections/" + std::to_string(id);
  EXPECT_EQ(invite_links(id).size(), 4U);
  auto pub = send(Method::kGet, path);
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_NE(pub.body.find("id=\"phase\">draft<"), std::string::npos);
  EXPECT_NE(pub.body.find("more than 30 minutes"), std::string::npos);
  auto preview = send(Method::kGet, path + "/preview");
  ASSERT_EQ(preview.status, 200);
  EXPECT_NE(preview.body.find("Who should sit on the council?"), std::string::npos);
  EXPECT_NE(preview.body.find("Hondt"), std::string::npos);
  auto json = send(Method::kGet, "/api/v1/elections/" + std::to_string(id));
  EXPECT_EQ(json_of(json).at("phase").as_string(), "draft");
}

TEST_F(ElectionAdminSiteTest, BadInputKeepsTheFormAndCsrfIsRequired) {
  role_holder("organizer", registry::Role::kDelegate, "northern-forum");
  const auto page = send(Method::kGet, "/elections/new");
  auto bad = send(Method::kPost, "/elections/new", form(csrf_in(page.body), "7"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("The threshold must be between 1 and the number of trustees."),
            std::string::npos);
  EXPECT_NE(bad.body.find("Registry office"), std::string::npos);  // the form is kept
  auto dates = send(Method::kPost, "/elections/new",
                    form(csrf_in(page.body)) + "&closes_at=soon");  // the first value counts
  EXPECT_EQ(dates.status, 303);
  auto no_csrf = send(Method::kPost, "/elections/new", form("nope"));
  EXPECT_EQ(no_csrf.status, 403);
  auto ru = send(Method::kPost, "/elections/new", form(csrf_in(page.body), "x"),
                 {{"accept-language", "ru"}});
  EXPECT_EQ(ru.status, 400);
  EXPECT_NE(ru.body.find("Порог — это число доверенных лиц."), std::string::npos);
}

TEST_F(ElectionAdminSiteTest, OnlyTheOrganizerOrTheOperatorManagesAnElection) {
  const auto id = create();
  role_holder("other", registry::Role::kDelegate, "volga-federalists");
  auto r = send(Method::kGet, "/elections/" + std::to_string(id) + "/manage");
  EXPECT_EQ(r.status, 403);
  cookies_.clear();
  join("constituent");
  ASSERT_EQ(login("constituent").status, 303);
  EXPECT_EQ(send(Method::kGet, "/elections/new").status, 403);
}

TEST_F(ElectionAdminSiteTest, InviteesRegisterKeysThenTrusteesPublishCheckedEvents) {
  const auto id = create();
  const auto base = "/elections/" + std::to_string(id);
  const auto api_base = "/api/v1/elections/" + std::to_string(id);
  const auto links = invite_links(id);
  ASSERT_EQ(links.size(), 4U);
  std::vector<crypto::SigningKey> keys;
  for (int i = 0; i < 4; ++i) keys.push_back(crypto::SigningKey::generate(rng_));
  // Trustee 1 through the page without JavaScript.
  const auto saved = cookies_;
  cookies_.clear();
  auto join_page = send(Method::kGet, links[0]);
  ASSERT_EQ(join_page.status, 200) << join_page.body;
  EXPECT_NE(join_page.body.find("id=\"browser-key\""), std::string::npos);
  auto bad_key = send(Method::kPost, links[0], "csrf=" + csrf_in(join_page.body) + "&key=abc");
  EXPECT_EQ(bad_key.status, 400);
  auto joined = send(
      Method::kPost, links[0],
      "csrf=" + csrf_in(join_page.body) + "&key=" + crypto::to_hex(keys[0].verify_key().bytes()));
  ASSERT_EQ(joined.status, 303) << joined.body;
  EXPECT_EQ(header(joined, "Location"), base + "/trustees/1");
  // The others through the API.
  for (std::size_t i = 1; i < 4; ++i) {
    const auto token = links[i].substr(links[i].rfind('/') + 1);
    auto r = api(api_base + "/role-keys", R"({"token":")" + token + R"(","key":")" +
                                              crypto::to_hex(keys[i].verify_key().bytes()) + "\"}");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(json_of(r).at("slot").as_int64(), i == 3 ? 1 : static_cast<std::int64_t>(i + 1));
  }
  const auto token0 = links[0].substr(links[0].rfind('/') + 1);
  EXPECT_EQ(api(api_base + "/role-keys", R"({"token":")" + token0 + R"(","key":")" +
                                             crypto::to_hex(keys[0].verify_key().bytes()) + "\"}")
                .status,
            409);
  EXPECT_EQ(api(api_base + "/role-keys", R"({"token":"0000","key":"00"})").status, 400);
  EXPECT_EQ(api(api_base + "/role-keys", R"({"token":")" + std::string(40, 'a') + R"(","key":")" +
                                             crypto::to_hex(keys[0].verify_key().bytes()) + "\"}")
                .status,
            403);
  // Events before the setup: 409.
  EXPECT_EQ(api(api_base + "/events", R"({"type":"trustee_key","payload":{}})").status, 409);
  // The organizer freezes the setup.
  cookies_ = saved;
  const auto manage = send(Method::kGet, base + "/manage");
  auto frozen =
      send(Method::kPost, base + "/manage", "csrf=" + csrf_in(manage.body) + "&action=setup");
  ASSERT_EQ(frozen.status, 303) << frozen.body;
  EXPECT_EQ(json_of(send(Method::kGet, api_base)).at("phase").as_string(), "setup");
  // Trustee 1 publishes its key over the API; a bad signature is refused with the reason.
  auto text = send(Method::kGet, base + "/record").body;
  auto events = record::parse_board(text).value();
  auto replayed = record::replay(events, false);
  ASSERT_TRUE(replayed.status);
  const auto enc = crypto::SecretScalar::random(rng_);
  auto payload = record::make_trustee_key(replayed.state, 1, enc, keys[0], rng_);
  auto forged = payload;
  forged["trustee"] = 2;
  auto refused = api(api_base + "/events", boost::json::serialize(boost::json::object{
                                               {"type", "trustee_key"}, {"payload", forged}}));
  EXPECT_EQ(refused.status, 400) << refused.body;
  // Through the trustee page, as the board line the CLI appends.
  cookies_.clear();
  const auto trustee_page = send(Method::kGet, base + "/trustees/1");
  ASSERT_EQ(trustee_page.status, 200);
  EXPECT_NE(trustee_page.body.find("id=\"trustee-ceremony\""), std::string::npos);
  EXPECT_NE(trustee_page.body.find("veche trustee share --board board"), std::string::npos);
  record::Board board(events);
  const auto line = record::event_line(board.append("trustee_key", payload));
  auto uploaded = send(Method::kPost, base + "/trustees/1",
                       "csrf=" + csrf_in(trustee_page.body) + "&events=" + percent_encode(line));
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  const auto after = send(Method::kGet, base + "/trustees/1");
  EXPECT_NE(after.body.find("Encryption key published: yes"), std::string::npos) << after.body;
  // The same event again is refused by the state machine.
  auto again = api(api_base + "/events", boost::json::serialize(boost::json::object{
                                             {"type", "trustee_key"}, {"payload", payload}}));
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(api(api_base + "/events", "[]").status, 400);
  // Opening is not possible yet: the manage page says why.
  cookies_ = saved;
  const auto m2 = send(Method::kGet, base + "/manage");
  auto open = send(Method::kPost, base + "/manage", "csrf=" + csrf_in(m2.body) + "&action=open");
  EXPECT_EQ(open.status, 422);
  EXPECT_NE(open.body.find("Every registrar must publish the credentials first."),
            std::string::npos);
}

TEST_F(ElectionAdminSiteTest, TheApiCreatesAndRunsTheAdministratorSteps) {
  role_holder("organizer", registry::Role::kDelegate, "northern-forum");
  const auto me = send(Method::kGet, "/me");
  const auto csrf = csrf_in(me.body);
  const std::string body = R"({"title":"Referendum","questions":[{"id":"Join the union?",)"
                           R"("kind":"yes_no","min":1,"max":1}],"trustees":["A","B"],)"
                           R"("threshold":2,"registrars":["R"],"opens_at":"2026-10-01T08:00",)"
                           R"("closes_at":"2026-10-02T08:00Z","extension":{"outage_minutes":0}})";
  auto r = send(Method::kPost, "/api/v1/elections", body,
                {{"content-type", "application/json"}, {"x-csrf-token", csrf}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto o = json_of(r);
  EXPECT_EQ(o.at("invitations").as_array().size(), 3U);
  const auto id = std::to_string(o.at("id").as_int64());
  auto setup = send(Method::kPost, "/api/v1/elections/" + id + "/setup", "",
                    {{"content-type", "application/json"}, {"x-csrf-token", csrf}});
  EXPECT_EQ(setup.status, 422) << setup.body;  // no keys yet
  auto bad = send(Method::kPost, "/api/v1/elections", R"({"title":"x"})",
                  {{"content-type", "application/json"}, {"x-csrf-token", csrf}});
  EXPECT_EQ(bad.status, 400);
}

}  // namespace
}  // namespace veche::http
