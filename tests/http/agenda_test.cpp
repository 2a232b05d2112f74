// The agenda through the site (no socket): raising an issue, supporting it (only the count is
// ever shown), bad input refused with 400 and nothing changed, CSRF on every form, moderation
// by moderators only, a priority round's ballot form and its published result, the mandate,
// and the JSON API.
#include "veche/agenda/agenda.hpp"

#include "form_time.hpp"
#include "site_fixture.hpp"

namespace veche::http {
namespace {

class AgendaSiteTest : public SiteFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    if (HasFatalFailure()) return;
    agenda_ = std::make_unique<agenda::Agenda>(*db_, clock_, key_);
  }
  void TearDown() override {
    agenda_.reset();
    SiteFixture::TearDown();
  }
  void as_constituent(const std::string& handle) {
    cookies_.clear();
    join(handle);
    ASSERT_EQ(login(handle).status, 303);
  }
  std::string page_csrf(const std::string& path) { return csrf_in(send(Method::kGet, path).body); }
  std::string api_csrf() {
    return std::string(json_of(send(Method::kGet, "/api/v1/me"))["csrf_token"].as_string());
  }
  // Raises an issue through the form; returns its number.
  std::string raise(const std::string& title) {
    const auto csrf = page_csrf("/agenda/new");
    auto r = send(Method::kPost, "/agenda/new",
                  "csrf=" + csrf + "&title=" + percent_encode(title) +
                      "&body=" + percent_encode("Banks **refuse** accounts") +
                      "&countries=de%2C+lt&groups=exiles&tag_banking=on");
    EXPECT_EQ(r.status, 303) << r.body;
    auto location = header(r, "Location");
    auto start = std::string("/agenda/").size();
    return location.substr(start, location.find('?') - start);
  }
  std::int64_t issue_count() {
    auto all = agenda_->list({});
    EXPECT_TRUE(all);
    return static_cast<std::int64_t>(all->size());
  }

  std::unique_ptr<agenda::Agenda> agenda_;
};

TEST_F(AgendaSiteTest, VisitorsReadTheAgendaAndTheMandateWithoutForms) {
  auto list = send(Method::kGet, "/agenda");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("id=\"threshold\">50<"), std::string::npos);
  auto mandate = send(Method::kGet, "/mandate");
  EXPECT_EQ(mandate.status, 200);
  EXPECT_NE(mandate.body.find("No priority round"), std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/agenda?tag=cars").status, 400);
  EXPECT_EQ(send(Method::kGet, "/agenda?country=Germany").status, 400);
  EXPECT_EQ(send(Method::kGet, "/agenda?sort=oldest").status, 400);
  EXPECT_EQ(send(Method::kGet, "/agenda/12345").status, 404);
  EXPECT_EQ(send(Method::kGet, "/agenda/abc").status, 404);
  EXPECT_EQ(send(Method::kGet, "/agenda/rounds/7").status, 404);
  auto form = send(Method::kGet, "/agenda/new");
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(header(form, "Location"), "/login");
}

TEST_F(AgendaSiteTest, AConstituentRaisesAnIssueAndOthersSupportItSeeingOnlyTheCount) {
  as_constituent("anna");
  const auto id = raise("Bank accounts for exiles");
  auto page = send(Method::kGet, "/agenda/" + id + "?done=raised");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(by_id(page.body, "issue-title"), "Bank accounts for exiles");
  EXPECT_NE(page.body.find("<strong>refuse</strong>"), std::string::npos) << "Markdown rendered";
  EXPECT_NE(page.body.find("DE, LT"), std::string::npos);
  EXPECT_EQ(by_id(page.body, "supports"), "0");

  as_constituent("boris");
  auto support =
      send(Method::kPost, "/agenda/" + id + "/support", "csrf=" + page_csrf("/agenda/" + id));
  ASSERT_EQ(support.status, 303) << support.body;
  page = send(Method::kGet, "/agenda/" + id);
  EXPECT_EQ(by_id(page.body, "supports"), "1");
  EXPECT_NE(page.body.find("id=\"withdraw\""), std::string::npos);
  // Supporting twice is refused and counts once.
  auto twice =
      send(Method::kPost, "/agenda/" + id + "/support", "csrf=" + page_csrf("/agenda/" + id));
  EXPECT_EQ(twice.status, 409);
  // Nobody's handle is shown next to the support.
  cookies_.clear();
  page = send(Method::kGet, "/agenda/" + id);
  EXPECT_EQ(page.body.find("boris"), std::string::npos);
  EXPECT_EQ(page.body.find("anna"), std::string::npos);
  EXPECT_EQ(by_id(page.body, "supports"), "1");
  as_constituent("vera");
  login("boris");
  auto withdraw =
      send(Method::kPost, "/agenda/" + id + "/withdraw", "csrf=" + page_csrf("/agenda/" + id));
  EXPECT_EQ(withdraw.status, 303);
  EXPECT_EQ(by_id(send(Method::kGet, "/agenda/" + id).body, "supports"), "0");
}

TEST_F(AgendaSiteTest, BadFormsAreRefusedWithAMessageAndChangeNothing) {
  as_constituent("anna");
  const auto csrf = page_csrf("/agenda/new");
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"title=&tag_banking=on", "title is required"},
      {"title=Fine&countries=Germany&tag_banking=on", "two-letter codes"},
      {"title=Fine", "at least one tag"},
      {"title=" + std::string(201, 'x') + "&tag_banking=on", "title"},
  };
  for (const auto& c : cases) {
    auto r = send(Method::kPost, "/agenda/new", "csrf=" + csrf + "&" + c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_NE(r.body.find(c.message), std::string::npos) << c.body << ": " << r.body;
    EXPECT_NE(r.body.find("name=\"title\""), std::string::npos) << "the form is shown again";
  }
  auto no_csrf = send(Method::kPost, "/agenda/new", "title=Fine&tag_banking=on");
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(issue_count(), 0);

  const auto id = raise("Real issue");
  auto bad_csrf = send(Method::kPost, "/agenda/" + id + "/support", "csrf=forged");
  EXPECT_EQ(bad_csrf.status, 403);
  auto empty_report = send(Method::kPost, "/agenda/" + id + "/report",
                           "csrf=" + page_csrf("/agenda/" + id) + "&reason=");
  EXPECT_EQ(empty_report.status, 400);
  auto unknown = send(Method::kPost, "/agenda/" + id + "/moderate",
                      "csrf=" + page_csrf("/agenda/" + id) + "&action=delete");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(agenda_->issue(agenda::IssueId(std::stoll(id)))->supports, 0);
  EXPECT_TRUE(agenda_->open_reports()->empty());
}

TEST_F(AgendaSiteTest, OnlyModeratorsHideAndTheHiddenIssueShowsItsReason) {
  as_constituent("anna");
  const auto id = raise("Buy my course");
  auto report = send(Method::kPost, "/agenda/" + id + "/report",
                     "csrf=" + page_csrf("/agenda/" + id) + "&reason=advertising");
  EXPECT_EQ(report.status, 303);
  auto refused = send(Method::kPost, "/agenda/" + id + "/moderate",
                      "csrf=" + page_csrf("/agenda/" + id) + "&action=hide&reason=spam");
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(agenda_->issue(agenda::IssueId(std::stoll(id)))->hidden_reason);

  role_holder("mila", registry::Role::kModerator);
  auto queue = send(Method::kGet, "/agenda");
  EXPECT_NE(queue.body.find("advertising"), std::string::npos) << "moderators see open reports";
  auto hidden = send(Method::kPost, "/agenda/" + id + "/moderate",
                     "csrf=" + page_csrf("/agenda/" + id) + "&action=hide&reason=Advertising");
  ASSERT_EQ(hidden.status, 303) << hidden.body;
  EXPECT_NE(send(Method::kGet, "/agenda").body.find("No open reports."), std::string::npos);
  cookies_.clear();
  auto list = send(Method::kGet, "/agenda");
  EXPECT_NE(list.body.find("hidden: Advertising"), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find("reports-title"), std::string::npos) << "visitors see no reports";
  auto page = send(Method::kGet, "/agenda/" + id);
  EXPECT_NE(page.body.find("Advertising"), std::string::npos);
  EXPECT_EQ(page.body.find("refuse"), std::string::npos) << "the text is withheld";

  // The author appeals through the same form.
  login("anna");
  auto appeal = send(Method::kPost, "/agenda/" + id + "/moderate",
                     "csrf=" + page_csrf("/agenda/" + id) + "&action=appeal&reason=Not+an+ad");
  EXPECT_EQ(appeal.status, 303) << appeal.body;
  EXPECT_TRUE(agenda_->issue(agenda::IssueId(std::stoll(id)))->appeal_pending);
}

TEST_F(AgendaSiteTest, ARoundTakesRankedBallotsAndPublishesItsResultOnTheMandate) {
  as_constituent("anna");
  ASSERT_TRUE(agenda_->set_threshold(1));
  std::vector<std::string> ids = {raise("First"), raise("Second"), raise("Third")};
  for (const auto& id : ids) {
    ASSERT_EQ(
        send(Method::kPost, "/agenda/" + id + "/support", "csrf=" + page_csrf("/agenda/" + id))
            .status,
        303);
  }
  auto round = agenda_->create_round(registry::AccountId{}, "Spring", agenda::RoundMethod::kSchulze,
                                     clock_.now(), clock_.now() + std::chrono::days(3));
  ASSERT_TRUE(round) << round.error().message;
  const std::string path = "/agenda/rounds/" + round->str();
  auto form = send(Method::kGet, path);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"rank_" + ids[0] + "\""), std::string::npos);
  // Two issues with one rank: refused, nothing stored.
  auto clash = send(Method::kPost, path + "/ballot",
                    "csrf=" + csrf_in(form.body) + "&rank_" + ids[0] + "=1&rank_" + ids[1] + "=1");
  EXPECT_EQ(clash.status, 400);
  auto out_of_range = send(Method::kPost, path + "/ballot",
                           "csrf=" + csrf_in(form.body) + "&rank_" + ids[0] + "=9");
  EXPECT_EQ(out_of_range.status, 400);
  EXPECT_EQ(agenda_->round(*round)->ballots, 0);
  auto cast = send(Method::kPost, path + "/ballot",
                   "csrf=" + csrf_in(form.body) + "&rank_" + ids[2] + "=1&rank_" + ids[0] + "=2");
  ASSERT_EQ(cast.status, 303) << cast.body;
  as_constituent("boris");
  cast =
      send(Method::kPost, path + "/ballot", "csrf=" + page_csrf(path) + "&rank_" + ids[2] + "=1");
  ASSERT_EQ(cast.status, 303);

  clock_.advance(std::chrono::days(4));
  cookies_.clear();
  auto result = send(Method::kGet, path);
  ASSERT_EQ(result.status, 200);
  EXPECT_NE(result.body.find("id=\"ranking\""), std::string::npos);
  const auto first = result.body.find("/agenda/" + ids[2] + "\">Third");
  ASSERT_NE(first, std::string::npos) << result.body;
  EXPECT_LT(first, result.body.find("/agenda/" + ids[0] + "\">First", first));
  auto mandate = send(Method::kGet, "/mandate");
  EXPECT_NE(mandate.body.find("Spring"), std::string::npos);
  auto api =
      json_of(send(Method::kGet, "/api/v1/agenda/mandate", "", {{"accept", "application/json"}}));
  const auto& latest = api.at("rounds").as_array().at(0).as_object();
  EXPECT_EQ(latest.at("ballots").as_int64(), 2);
  EXPECT_EQ(latest.at("ranking").as_array().at(0).as_array().at(0).as_int64(), std::stoll(ids[2]));
}

TEST_F(AgendaSiteTest, ModeratorsOpenAndCloseRoundsFromThePageAndTheApi) {
  as_constituent("anna");
  ASSERT_TRUE(agenda_->set_threshold(1));
  for (const char* title : {"First", "Second"}) {
    const auto id = raise(title);
    ASSERT_EQ(
        send(Method::kPost, "/agenda/" + id + "/support", "csrf=" + page_csrf("/agenda/" + id))
            .status,
        303);
  }
  auto report = send(Method::kPost, "/agenda/1/report",
                     "csrf=" + page_csrf("/agenda/1") + "&reason=duplicate+of+2");
  ASSERT_EQ(report.status, 303);
  const auto at = [&](std::chrono::hours h) {
    return percent_encode(local_field(clock_.now() + h));
  };
  // A constituent may not open a round, nor read the reports.
  const std::string fields = "&title=Spring&method=schulze&opens=" + at(std::chrono::hours(1)) +
                             "&closes=" + at(std::chrono::hours(48));
  EXPECT_EQ(send(Method::kPost, "/agenda/rounds", "csrf=" + page_csrf("/agenda") + fields).status,
            403);
  EXPECT_EQ(
      send(Method::kGet, "/api/v1/agenda/reports", "", {{"accept", "application/json"}}).status,
      403);
  EXPECT_TRUE(agenda_->rounds()->empty());

  role_holder("mila", registry::Role::kModerator);
  const auto page = send(Method::kGet, "/agenda");
  ASSERT_NE(page.body.find("id=\"new-round\""), std::string::npos);
  const auto csrf = csrf_in(page.body);
  // Bad input: refused with a message, no round.
  for (const std::string& bad :
       {"&title=Spring&method=borda&opens=" + at(std::chrono::hours(1)) +
            "&closes=" + at(std::chrono::hours(48)),
        "&title=Spring&method=schulze&opens=soon&closes=" + at(std::chrono::hours(48)),
        "&title=&method=schulze&opens=" + at(std::chrono::hours(1)) +
            "&closes=" + at(std::chrono::hours(48)),
        "&title=Spring&method=schulze&opens=" + at(std::chrono::hours(48)) +
            "&closes=" + at(std::chrono::hours(1))}) {
    auto r = send(Method::kPost, "/agenda/rounds", "csrf=" + csrf + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body.substr(0, 300);
  }
  EXPECT_EQ(send(Method::kPost, "/agenda/rounds", "csrf=wrong" + fields).status, 403);
  EXPECT_TRUE(agenda_->rounds()->empty());

  auto opened = send(Method::kPost, "/agenda/rounds", "csrf=" + csrf + fields);
  ASSERT_EQ(opened.status, 303) << opened.body;
  const auto path = header(opened, "Location").substr(0, header(opened, "Location").find('?'));
  auto round_page = send(Method::kGet, path);
  ASSERT_NE(round_page.body.find("id=\"close-round\""), std::string::npos);
  auto closed = send(Method::kPost, path + "/close", "csrf=" + csrf_in(round_page.body));
  ASSERT_EQ(closed.status, 303) << closed.body;
  auto rounds = agenda_->rounds();
  ASSERT_EQ(rounds->size(), 1u);
  EXPECT_LE(rounds->front().closes_at, clock_.now());

  // The same through the API.
  const std::map<std::string, std::string> headers = {{"accept", "application/json"},
                                                      {"content-type", "application/json"},
                                                      {"x-csrf-token", api_csrf()}};
  const auto iso = [&](std::chrono::hours h) { return core::to_iso8601(clock_.now() + h); };
  auto created = send(Method::kPost, "/api/v1/agenda/rounds",
                      R"({"title": "Autumn", "method": "approval", "opens_at": ")" +
                          iso(std::chrono::hours(1)) + R"(", "closes_at": ")" +
                          iso(std::chrono::hours(24)) + "\"}",
                      headers);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = std::to_string(json_of(created).at("id").as_int64());
  EXPECT_EQ(json_of(created).at("ballot").as_string(), "approval");
  EXPECT_EQ(send(Method::kPost, "/api/v1/agenda/rounds", R"({"title": 3})", headers).status, 400);
  auto api_closed = send(Method::kPost, "/api/v1/agenda/rounds/" + id + "/close", "", headers);
  EXPECT_EQ(api_closed.status, 200) << api_closed.body;
  auto reports = send(Method::kGet, "/api/v1/agenda/reports", "", {{"accept", "application/json"}});
  ASSERT_EQ(reports.status, 200) << reports.body;
  const auto reports_json = json_of(reports);
  const auto& list = reports_json.at("reports").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.at(0).at("reason").as_string(), "duplicate of 2");
  EXPECT_EQ(reports.body.find("anna"), std::string::npos) << "never the reporter";
}

TEST_F(AgendaSiteTest, TheAgendaIsPagedKeepingItsFilters) {
  as_constituent("anna");
  auto created = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    for (int i = 0; i < 150; ++i) {
      VECHE_TRY(
          tx.exec("INSERT INTO agenda_issues (title, body, groups_text, author_id, created_at, "
                  "state, supports) VALUES (?, '', '', NULL, ?, 'proposed', 0)",
                  {"Issue number " + std::to_string(i), core::to_unix(clock_.now())}));
    }
    return ok();
  });
  ASSERT_TRUE(created) << created.error().message;
  auto first = send(Method::kGet, "/agenda?sort=new");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("Issue number 149<"), std::string::npos);
  EXPECT_EQ(first.body.find("Issue number 49<"), std::string::npos);
  EXPECT_NE(first.body.find("href=\"/agenda?sort=new&amp;page=2\""), std::string::npos);
  auto second = send(Method::kGet, "/agenda?sort=new&page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(second.body.find("Issue number 49<"), std::string::npos);
  EXPECT_EQ(second.body.find("Issue number 50<"), std::string::npos);
  EXPECT_EQ(second.body.find("id=\"next-page\""), std::string::npos);
  EXPECT_NE(second.body.find("id=\"previous-page\""), std::string::npos);
  for (const char* bad : {"/agenda?page=0", "/agenda?page=x", "/agenda?page=99999999"}) {
    EXPECT_EQ(send(Method::kGet, bad).status, 400) << bad;
  }
  auto api = json_of(send(Method::kGet, "/api/v1/agenda/issues?sort=new&limit=10&offset=145", "",
                          {{"accept", "application/json"}}));
  EXPECT_EQ(api.at("issues").as_array().size(), 5u);
  EXPECT_EQ(
      send(Method::kGet, "/api/v1/agenda/issues?offset=-1", "", {{"accept", "application/json"}})
          .status,
      400);
}

TEST_F(AgendaSiteTest, TheApiRaisesSupportsAndRefusesBadBodies) {
  as_constituent("anna");
  const std::map<std::string, std::string> headers = {{"accept", "application/json"},
                                                      {"content-type", "application/json"},
                                                      {"x-csrf-token", api_csrf()}};
  auto created =
      send(Method::kPost, "/api/v1/agenda/issues",
           R"({"title":"Visas","tags":["visas-and-residence"],"countries":["FR"]})", headers);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = std::to_string(json_of(created).at("id").as_int64());
  EXPECT_EQ(
      send(Method::kPost, "/api/v1/agenda/issues", R"({"title":"x","tags":"banking"})", headers)
          .status,
      400);
  EXPECT_EQ(send(Method::kPost, "/api/v1/agenda/issues", "[1]", headers).status, 400);
  EXPECT_EQ(
      send(Method::kPost, "/api/v1/agenda/issues", R"({"title":"x","tags":["cars"]})", headers)
          .status,
      400);
  auto no_csrf = headers;
  no_csrf.erase("x-csrf-token");
  EXPECT_EQ(send(Method::kPost, "/api/v1/agenda/issues/" + id + "/support", "", no_csrf).status,
            403);
  auto s = send(Method::kPost, "/api/v1/agenda/issues/" + id + "/support", "", headers);
  ASSERT_EQ(s.status, 201) << s.body;
  EXPECT_EQ(json_of(s).at("supports").as_int64(), 1);
  EXPECT_EQ(send(Method::kPost, "/api/v1/agenda/issues/" + id + "/support", "", headers).status,
            409);
  auto w = send(Method::kDelete, "/api/v1/agenda/issues/" + id + "/support", "", headers);
  EXPECT_EQ(json_of(w).at("supports").as_int64(), 0);
  EXPECT_EQ(issue_count(), 1);

  cookies_.clear();
  auto list = json_of(send(Method::kGet, "/api/v1/agenda/issues?tag=visas-and-residence", "",
                           {{"accept", "application/json"}}));
  ASSERT_EQ(list.at("issues").as_array().size(), 1u);
  auto one = json_of(
      send(Method::kGet, "/api/v1/agenda/issues/" + id, "", {{"accept", "application/json"}}));
  EXPECT_EQ(one.at("history").as_array().at(0).as_object().at("kind").as_string(), "raised");
  EXPECT_EQ(send(Method::kPost, "/api/v1/agenda/issues/" + id + "/support", "",
                 {{"accept", "application/json"}})
                .status,
            401);
}

}  // namespace
}  // namespace veche::http
