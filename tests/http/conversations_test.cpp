// Consensus conversations through the site (no socket): opening one (delegates and moderators
// only), voting on one statement at a time, adding a statement that waits for a moderator, the
// moderation queue, the report page with its map and exports as the worker last computed it,
// bad input refused with 4xx and nothing changed, CSRF on every form, and the JSON API.
#include "veche/conversations/conversations.hpp"

#include <set>

#include "site_fixture.hpp"

namespace veche::http {
namespace {

namespace conv = conversations;

class ConversationsSiteTest : public SiteFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<conv::Conversations>(*db_, clock_, key_);
  }
  void TearDown() override {
    service_.reset();
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
  std::string open_form(const std::string& question, const std::string& audience = "both",
                        const std::string& closes = "2027-01-31") {
    const auto csrf = page_csrf("/conversations/new");
    return "csrf=" + csrf + "&question=" + percent_encode(question) +
           "&description=" + percent_encode("Say **what** you think") +
           "&seeds=" + percent_encode("Humanitarian visas\r\nBank accounts\r\nWork permits") +
           "&audience=" + audience + "&closes=" + closes;
  }
  // Opens a conversation as a delegate through the form; returns its number.
  std::string open_as_delegate(const std::string& question) {
    role_holder("delegate-" + std::to_string(++people_), registry::Role::kDelegate,
                "northern-forum");
    auto r = send(Method::kPost, "/conversations/new", open_form(question));
    EXPECT_EQ(r.status, 303) << r.body;
    const auto location = header(r, "Location");
    const auto start = std::string("/conversations/").size();
    return location.substr(start, location.find('?') - start);
  }
  std::int64_t conversation_count() { return static_cast<std::int64_t>(service_->list()->size()); }
  std::int64_t votes_in(const std::string& id) {
    return service_->conversation(conv::ConversationId(std::stoll(id)))->votes;
  }

  int people_ = 0;
  std::unique_ptr<conv::Conversations> service_;
};

TEST_F(ConversationsSiteTest, VisitorsReadConversationsAndReportsButGetNoForms) {
  const auto id = open_as_delegate("What should we demand?");
  cookies_.clear();
  auto list = send(Method::kGet, "/conversations");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("What should we demand?"), std::string::npos);
  EXPECT_EQ(list.body.find("open-link"), std::string::npos);
  auto page = send(Method::kGet, "/conversations/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(by_id(page.body, "question"), "What should we demand?");
  EXPECT_NE(page.body.find("<strong>what</strong>"), std::string::npos) << "Markdown rendered";
  EXPECT_EQ(page.body.find("vote-agree"), std::string::npos);
  EXPECT_NE(page.body.find("Log in to take part."), std::string::npos);
  auto report = send(Method::kGet, "/conversations/" + id + "/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("id=\"no-report\""), std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/conversations/" + id + "/map.svg").status, 404);
  EXPECT_EQ(send(Method::kGet, "/conversations/999").status, 404);
  EXPECT_EQ(send(Method::kGet, "/conversations/abc").status, 404);
  EXPECT_EQ(send(Method::kGet, "/conversations/999/report").status, 404);
  EXPECT_EQ(header(send(Method::kGet, "/conversations/new"), "Location"), "/login");
  EXPECT_EQ(header(send(Method::kGet, "/conversations/" + id + "/moderation"), "Location"),
            "/login");
}

TEST_F(ConversationsSiteTest, OnlyDelegatesAndModeratorsOpenAndBadFormsChangeNothing) {
  as_constituent("anna");
  EXPECT_EQ(send(Method::kGet, "/conversations/new").status, 403);
  auto refused = send(Method::kPost, "/conversations/new",
                      "csrf=" + page_csrf("/me") +
                          "&question=Hi&audience=both"
                          "&closes=2027-01-31");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("Only delegates and moderators open conversations."),
            std::string::npos);

  role_holder("dora", registry::Role::kDelegate, "northern-forum");
  EXPECT_EQ(send(Method::kGet, "/conversations/new").status, 200);
  struct Bad {
    std::string body;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {open_form("   "), "question is required"},
      {open_form("Fine", "everyone"), "Choose who takes part."},
      {open_form("Fine", "both", "next week"), "Give the close date as a date."},
      {open_form("Fine", "both", "2027-02-30"), "Give the close date as a date."},
      {open_form("Fine", "both", "2020-01-01"), "the close date must be in the future"},
      {open_form(std::string(301, 'q')), "question"},
  };
  for (const auto& b : bad) {
    auto r = send(Method::kPost, "/conversations/new", b.body);
    EXPECT_EQ(r.status, 400) << b.says;
    EXPECT_NE(r.body.find(b.says), std::string::npos) << r.body.substr(0, 2000);
  }
  auto no_csrf =
      send(Method::kPost, "/conversations/new", "question=Fine&audience=both&closes=2027-01-31");
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(conversation_count(), 0);

  auto ok = send(Method::kPost, "/conversations/new", open_form("Fine"));
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(conversation_count(), 1);
}

TEST_F(ConversationsSiteTest, AConstituentVotesOnOneStatementAtATime) {
  const auto id = open_as_delegate("What should we demand?");
  as_constituent("anna");
  std::set<std::string> shown;
  for (int i = 0; i < 3; ++i) {
    auto page = send(Method::kGet, "/conversations/" + id);
    ASSERT_EQ(page.status, 200);
    const auto text = by_id(page.body, "statement");
    ASSERT_FALSE(text.empty()) << page.body;
    EXPECT_TRUE(shown.insert(text).second) << "shown twice: " << text;
    const std::string marker = "name=\"statement\" value=\"";
    const auto at = page.body.find(marker) + marker.size();
    const auto statement = page.body.substr(at, page.body.find('"', at) - at);
    auto voted = send(Method::kPost, "/conversations/" + id + "/vote",
                      "csrf=" + csrf_in(page.body) + "&statement=" + statement + "&vote=" +
                          (i == 0   ? "agree"
                           : i == 1 ? "disagree"
                                    : "pass"));
    ASSERT_EQ(voted.status, 303) << voted.body;
    EXPECT_EQ(header(voted, "Location"), "/conversations/" + id + "?done=voted");
  }
  auto done = send(Method::kGet, "/conversations/" + id + "?done=voted");
  EXPECT_NE(done.body.find("id=\"all-voted\""), std::string::npos);
  EXPECT_EQ(by_id(done.body, "voted"), "3");
  EXPECT_EQ(by_id(done.body, "notice"), "Your vote is recorded.");
  EXPECT_EQ(votes_in(id), 3);

  // Bad input is refused and changes nothing.
  const auto csrf = csrf_in(done.body);
  const auto first = std::to_string(
      service_->statements(conv::ConversationId(std::stoll(id)))->front().id.value());
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/vote",
                 "csrf=" + csrf + "&statement=" + first + "&vote=maybe")
                .status,
            400);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/vote",
                 "csrf=" + csrf + "&statement=x&vote=agree")
                .status,
            400);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/vote",
                 "csrf=" + csrf + "&statement=99999&vote=agree")
                .status,
            404);
  EXPECT_EQ(
      send(Method::kPost, "/conversations/" + id + "/vote", "statement=" + first + "&vote=disagree")
          .status,
      403);
  EXPECT_EQ(send(Method::kPost, "/conversations/999/vote",
                 "csrf=" + csrf + "&statement=" + first + "&vote=agree")
                .status,
            404);
  EXPECT_EQ(votes_in(id), 3);
  // A vote may be changed until the close, then not.
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/vote",
                 "csrf=" + csrf + "&statement=" + first + "&vote=disagree")
                .status,
            303);
  conv::NewConversation soon;
  soon.question = "Closing soon";
  soon.closes_at = clock_.now() + std::chrono::hours(1);
  soon.seeds = {"One"};
  auto soon_id = service_->open(registry::AccountId{}, soon);
  ASSERT_TRUE(soon_id);
  const auto one = service_->statements(*soon_id)->front().id.str();
  clock_.advance(std::chrono::hours(2));
  auto closed =
      send(Method::kPost, "/conversations/" + soon_id->str() + "/vote",
           "csrf=" + page_csrf("/conversations/" + id) + "&statement=" + one + "&vote=agree");
  EXPECT_EQ(closed.status, 422);
  EXPECT_NE(closed.body.find("the conversation is closed"), std::string::npos);
}

TEST_F(ConversationsSiteTest, AddedStatementsWaitForAModeratorWhoAcceptsOrRejectsWithAReason) {
  const auto id = open_as_delegate("What should we demand?");
  as_constituent("anna");
  const auto csrf = page_csrf("/conversations/" + id);
  auto added = send(Method::kPost, "/conversations/" + id + "/statements",
                    "csrf=" + csrf + "&text=" + percent_encode("Consulates should help"));
  ASSERT_EQ(added.status, 303) << added.body;
  auto page = send(Method::kGet, "/conversations/" + id + "?done=submitted");
  EXPECT_NE(by_id(page.body, "notice").find("once a moderator accepts it"), std::string::npos);
  EXPECT_EQ(by_id(page.body, "statement-count"), "3");
  EXPECT_EQ(
      send(Method::kPost, "/conversations/" + id + "/statements", "csrf=" + csrf + "&text=").status,
      400);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/statements",
                 "csrf=" + csrf + "&text=" + std::string(281, 'x'))
                .status,
            400);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/statements",
                 "csrf=" + csrf + "&text=" + percent_encode("Consulates should help"))
                .status,
            409);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/statements", "text=Sneaky").status, 403);
  EXPECT_EQ(send(Method::kGet, "/conversations/" + id + "/moderation").status, 403);
  auto spam = send(Method::kPost, "/conversations/" + id + "/statements",
                   "csrf=" + csrf + "&text=" + percent_encode("Buy my course"));
  ASSERT_EQ(spam.status, 303);

  role_holder("mod", registry::Role::kModerator);
  EXPECT_NE(send(Method::kGet, "/conversations").body.find("2 waiting for a moderator"),
            std::string::npos);
  auto queue = send(Method::kGet, "/conversations/" + id + "/moderation");
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find("Consulates should help"), std::string::npos);
  EXPECT_EQ(queue.body.find("anna"), std::string::npos) << "authors are never shown";
  const auto pending =
      service_->pending(registry::AccountId{}, conv::ConversationId(std::stoll(id)));
  ASSERT_EQ(pending->size(), 2u);
  const auto good = (*pending)[0].id.str();
  const auto bad = (*pending)[1].id.str();
  const auto mcsrf = csrf_in(queue.body);
  auto no_reason = send(Method::kPost, "/conversations/" + id + "/moderation",
                        "csrf=" + mcsrf + "&statement=" + bad + "&action=reject&reason=");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body.find("a rejection needs a public reason"), std::string::npos);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/moderation",
                 "csrf=" + mcsrf + "&statement=" + bad + "&action=delete")
                .status,
            400);
  EXPECT_EQ(send(Method::kPost, "/conversations/999/moderation",
                 "csrf=" + mcsrf + "&statement=" + bad + "&action=accept")
                .status,
            404);
  EXPECT_EQ(send(Method::kPost, "/conversations/" + id + "/moderation",
                 "statement=" + bad + "&action=accept")
                .status,
            403);
  auto accepted = send(Method::kPost, "/conversations/" + id + "/moderation",
                       "csrf=" + mcsrf + "&statement=" + good + "&action=accept");
  EXPECT_EQ(accepted.status, 303);
  auto rejected = send(Method::kPost, "/conversations/" + id + "/moderation",
                       "csrf=" + mcsrf + "&statement=" + bad + "&action=reject&reason=advertising");
  EXPECT_EQ(rejected.status, 303);
  auto again = send(Method::kPost, "/conversations/" + id + "/moderation",
                    "csrf=" + mcsrf + "&statement=" + good + "&action=reject&reason=late");
  EXPECT_EQ(again.status, 422);
  auto after = send(Method::kGet, "/conversations/" + id + "/moderation?done=moderated");
  EXPECT_NE(after.body.find("id=\"queue-empty\""), std::string::npos);
  EXPECT_EQ(by_id(send(Method::kGet, "/conversations/" + id).body, "statement-count"), "4");
}

TEST_F(ConversationsSiteTest, TheReportShowsTheLastComputedMapGroupsAndExportsInBothLanguages) {
  ASSERT_TRUE(conv::load_demo(*db_, clock_, key_));
  const auto id = service_->list()->front().id.str();
  auto report = send(Method::kGet, "/conversations/" + id + "/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("id=\"computed\""), std::string::npos);
  EXPECT_NE(report.body.find("src=\"/conversations/" + id + "/map.svg\""), std::string::npos);
  EXPECT_NE(report.body.find("Group A"), std::string::npos);
  EXPECT_NE(report.body.find("Group C"), std::string::npos);
  EXPECT_NE(report.body.find("Host states should accept expired home-country passports"),
            std::string::npos);
  EXPECT_NE(report.body.find("id=\"consensus\"><li>"), std::string::npos);
  // What every group agrees on is not listed as divisive.
  const auto divisive = report.body.substr(report.body.find("id=\"divisive\""));
  EXPECT_EQ(divisive.find("expired home-country passports"), std::string::npos);
  EXPECT_NE(divisive.find("<li>"), std::string::npos);
  auto map = send(Method::kGet, "/conversations/" + id + "/map.svg");
  ASSERT_EQ(map.status, 200);
  EXPECT_EQ(map.content_type, "image/svg+xml");
  EXPECT_NE(map.body.find("<circle"), std::string::npos);
  auto csv = send(Method::kGet, "/conversations/" + id + "/report.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.body.starts_with("kind,group,statement,"));
  auto json = send(Method::kGet, "/conversations/" + id + "/report.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_TRUE(boost::json::parse(json.body).as_object().contains("groups"));

  auto ru = send(Method::kGet, "/conversations/" + id + "/report", "", {{"accept-language", "ru"}});
  ASSERT_EQ(ru.status, 200);
  EXPECT_NE(ru.body.find("Карта мнений"), std::string::npos);
  EXPECT_NE(ru.body.find("В чём согласны все группы"), std::string::npos);

  // A new vote shows in the next report, not in this request.
  as_constituent("anna");
  const auto statement = service_->statements(conv::ConversationId(std::stoll(id)))->front().id;
  auto voted = send(Method::kPost, "/conversations/" + id + "/vote",
                    "csrf=" + page_csrf("/conversations/" + id) + "&statement=" + statement.str() +
                        "&vote=agree");
  ASSERT_EQ(voted.status, 303);
  auto stale = send(Method::kGet, "/conversations/" + id + "/report");
  EXPECT_NE(stale.body.find("newer votes are counted in the next update"), std::string::npos);
}

TEST_F(ConversationsSiteTest, TheJsonApiOpensListsRoutesVotesAndReports) {
  role_holder("dora", registry::Role::kDelegate, "northern-forum");
  std::map<std::string, std::string> api = {{"accept", "application/json"},
                                            {"content-type", "application/json"},
                                            {"x-csrf-token", api_csrf()}};
  auto created = send(Method::kPost, "/api/v1/conversations",
                      R"({"question":"What now?","audience":"both","closes_at":"2027-01-31",)"
                      R"("seeds":["One","Two"]})",
                      api);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = std::to_string(json_of(created)["id"].as_int64());
  EXPECT_EQ(send(Method::kPost, "/api/v1/conversations", "[1]", api).status, 400);
  EXPECT_EQ(send(Method::kPost, "/api/v1/conversations",
                 R"({"question":"Q","audience":"all","closes_at":"2027-01-31"})", api)
                .status,
            400);
  EXPECT_EQ(send(Method::kPost, "/api/v1/conversations",
                 R"({"question":"Q","audience":"both","closes_at":"2027-01-31","seeds":[1]})", api)
                .status,
            400);

  as_constituent("anna");
  api["x-csrf-token"] = api_csrf();
  auto next = send(Method::kGet, "/api/v1/conversations/" + id + "/next", "", api);
  ASSERT_EQ(next.status, 200) << next.body;
  const auto statement = json_of(next)["statement"].as_object().at("id").as_int64();
  const auto path = "/api/v1/conversations/" + id + "/votes/" + std::to_string(statement);
  EXPECT_EQ(send(Method::kPut, path, R"({"vote":"agree"})", api).status, 200);
  EXPECT_EQ(send(Method::kPut, path, R"({"vote":"yes"})", api).status, 400);
  EXPECT_EQ(send(Method::kPut, path, "nope", api).status, 400);
  auto no_csrf = api;
  no_csrf.erase("x-csrf-token");
  EXPECT_EQ(send(Method::kPut, path, R"({"vote":"pass"})", no_csrf).status, 403);
  auto next2 = send(Method::kGet, "/api/v1/conversations/" + id + "/next", "", api);
  EXPECT_NE(json_of(next2)["statement"].as_object().at("id").as_int64(), statement);
  auto added = send(Method::kPost, "/api/v1/conversations/" + id + "/statements",
                    R"({"text":"Three"})", api);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(json_of(added)["state"].as_string(), "pending");
  EXPECT_EQ(send(Method::kPost, "/api/v1/conversations/" + id + "/statements", R"({"text":3})", api)
                .status,
            400);

  auto one = send(Method::kGet, "/api/v1/conversations/" + id, "", {{"accept", "application/json"}},
                  false);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(json_of(one)["accepted_statements"].as_array().size(), 2u);
  EXPECT_EQ(json_of(one)["votes"].as_int64(), 1);
  auto report = send(Method::kGet, "/api/v1/conversations/" + id + "/report", "",
                     {{"accept", "application/json"}}, false);
  ASSERT_EQ(report.status, 200);
  EXPECT_TRUE(json_of(report)["computed_at"].is_null());
  ASSERT_TRUE(service_->recompute(conv::ConversationId(std::stoll(id))));
  report = send(Method::kGet, "/api/v1/conversations/" + id + "/report", "",
                {{"accept", "application/json"}}, false);
  EXPECT_TRUE(json_of(report)["computed_at"].is_string());
  EXPECT_TRUE(json_of(report).contains("problem"));  // one vote: no groups yet
  auto anonymous = send(Method::kGet, "/api/v1/conversations/" + id + "/next", "",
                        {{"accept", "application/json"}}, false);
  EXPECT_EQ(anonymous.status, 401);
  auto list =
      send(Method::kGet, "/api/v1/conversations", "", {{"accept", "application/json"}}, false);
  EXPECT_EQ(json_of(list)["conversations"].as_array().size(), 1u);
}

}  // namespace
}  // namespace veche::http
