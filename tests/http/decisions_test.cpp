// The decisions pages and API: proposing, voting, recusal, closing, consultations and the log,
// with bad input (400, nothing changed), CSRF and authorization.
#include <gtest/gtest.h>

#include "site_fixture.hpp"
#include "veche/decisions/consultations.hpp"
#include "veche/decisions/log.hpp"

namespace veche::http {
namespace {

using registry::Role;
using std::chrono::days;
using std::chrono::seconds;

class DecisionsSite : public SiteFixture {
 protected:
  // "2026-..T..:.." for a datetime-local field, `d` from now.
  std::string at(std::chrono::seconds d) const {
    return core::to_iso8601(clock_.now() + d).substr(0, 16);
  }
  // The new-motion form's fields, with `changes` replacing or adding some.
  std::string motion_form(const std::string& title,
                          const std::map<std::string, std::string>& changes = {}) {
    const auto page = send(Method::kGet, "/motions/new");
    EXPECT_EQ(page.status, 200) << page.body;
    std::map<std::string, std::string> f = {{"csrf", csrf_in(page.body)},
                                            {"organization", "northern-forum"},
                                            {"title", title},
                                            {"text", "Some text"},
                                            {"kind", "position"},
                                            {"rule", "qualified-majority"},
                                            {"majority_num", "2"},
                                            {"majority_den", "3"},
                                            {"quorum_num", "1"},
                                            {"quorum_den", "2"},
                                            {"opens", at(days(1))},
                                            {"closes", at(days(8))}};
    for (const auto& [k, v] : changes) f[k] = v;
    std::string body;
    for (const auto& [k, v] : f) body += (body.empty() ? "" : "&") + k + "=" + percent_encode(v);
    return body;
  }
  std::int64_t motion_count() {
    auto r = send(Method::kGet, "/api/v1/motions");
    EXPECT_EQ(r.status, 200);
    return static_cast<std::int64_t>(json_of(r).at("motions").as_array().size());
  }
  std::int64_t log_size() {
    auto page = decisions::log_entries(*db_, 0, 500);
    EXPECT_TRUE(page);
    return page ? page->total : -1;
  }
};

TEST_F(DecisionsSite, ReadPagesWorkForAnyone) {
  for (const char* path : {"/motions", "/consultations", "/decisions", "/api/v1/motions",
                           "/api/v1/consultations", "/api/v1/decisions"}) {
    auto r = send(Method::kGet, path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  }
  EXPECT_EQ(send(Method::kGet, "/motions/5").status, 404);
  EXPECT_EQ(send(Method::kGet, "/motions/abc").status, 404);
  EXPECT_EQ(send(Method::kGet, "/consultations/5").status, 404);
  EXPECT_EQ(send(Method::kGet, "/api/v1/decisions?limit=0").status, 400);
  EXPECT_EQ(send(Method::kGet, "/decisions?after=-3").status, 400);
  // Only delegates may open the form; a visitor goes to the login page.
  auto anonymous = send(Method::kGet, "/motions/new");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(header(anonymous, "Location"), "/login");
}

TEST_F(DecisionsSite, ADelegateProposesTwoOrganizationsVoteAndTheOutcomeIsLogged) {
  role_holder("anna", Role::kDelegate, "northern-forum");
  const auto anna = cookies_;
  auto proposed = send(Method::kPost, "/motions", motion_form("Bank accounts for exiles"));
  ASSERT_EQ(proposed.status, 303) << proposed.body;
  const auto location = header(proposed, "Location");
  ASSERT_TRUE(location.starts_with("/motions/")) << location;
  const auto path = location.substr(0, location.find('?'));
  auto page = send(Method::kGet, location);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Bank accounts for exiles"), std::string::npos);
  EXPECT_NE(page.body.find("qualified majority 2/3, quorum 1/2"), std::string::npos);
  EXPECT_EQ(by_id(page.body, "notice"), "The motion is proposed.");

  role_holder("boris", Role::kDelegate, "volga-federalists");
  const auto boris = cookies_;
  clock_.advance(days(2));
  // Boris votes for his organization; he cannot vote for Anna's.
  auto form = send(Method::kGet, path);
  EXPECT_NE(form.body.find("id=\"cast-vote\""), std::string::npos);
  auto wrong = send(Method::kPost, path + "/vote",
                    "csrf=" + csrf_in(form.body) + "&organization=northern-forum&choice=yes");
  EXPECT_EQ(wrong.status, 403);
  auto no_reason = send(
      Method::kPost, path + "/vote",
      "csrf=" + csrf_in(form.body) + "&organization=volga-federalists&choice=objection&reason=");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(by_id(no_reason.body, "form-error"), "An objection needs a reason.");
  auto bad_choice =
      send(Method::kPost, path + "/vote",
           "csrf=" + csrf_in(form.body) + "&organization=volga-federalists&choice=maybe");
  EXPECT_EQ(bad_choice.status, 400);
  const auto before = log_size();
  auto voted = send(Method::kPost, path + "/vote",
                    "csrf=" + csrf_in(form.body) +
                        "&organization=volga-federalists&choice=yes&reason=Long+overdue.");
  ASSERT_EQ(voted.status, 303) << voted.body;
  EXPECT_EQ(log_size(), before + 1);

  cookies_ = anna;
  form = send(Method::kGet, path);
  auto no_csrf = send(Method::kPost, path + "/vote", "organization=northern-forum&choice=yes");
  EXPECT_EQ(no_csrf.status, 403);
  ASSERT_EQ(send(Method::kPost, path + "/vote",
                 "csrf=" + csrf_in(form.body) + "&organization=northern-forum&choice=yes")
                .status,
            303);
  // Not before the window ends.
  auto early = send(Method::kPost, path + "/close", "csrf=" + csrf_in(form.body));
  EXPECT_EQ(early.status, 422);
  clock_.advance(days(7));
  form = send(Method::kGet, path);
  EXPECT_NE(form.body.find("id=\"close-motion\""), std::string::npos);
  auto closed = send(Method::kPost, path + "/close", "csrf=" + csrf_in(form.body));
  ASSERT_EQ(closed.status, 303) << closed.body;
  form = send(Method::kGet, header(closed, "Location"));
  EXPECT_EQ(by_id(form.body, "notice"), "The motion is closed and counted.");
  EXPECT_EQ(by_id(form.body, "outcome"), "no-quorum");  // 2 of 7 voted; the quorum is 4
  const auto me_csrf = csrf_in(send(Method::kGet, "/me").body);
  EXPECT_EQ(send(Method::kPost, path + "/close", "csrf=" + me_csrf).status, 422);
  auto api = json_of(send(Method::kGet, "/api/v1" + path));
  EXPECT_EQ(api.at("outcome").as_string(), "no-quorum");
  EXPECT_EQ(api.at("tally").at("yes").as_int64(), 2);
  auto log = send(Method::kGet, "/decisions");
  EXPECT_NE(log.body.find("motion.closed"), std::string::npos);
  EXPECT_NE(log.body.find("Long overdue."), std::string::npos);
  cookies_ = boris;
  EXPECT_EQ(send(Method::kPost, path + "/close", "csrf=" + me_csrf).status, 403)
      << "the CSRF token of another session";
}

TEST_F(DecisionsSite, BadProposalsAreRefusedAndChangeNothing) {
  role_holder("anna", Role::kDelegate, "northern-forum");
  const std::vector<std::map<std::string, std::string>> bad = {
      {{"title", ""}},
      {{"kind", "decree"}},
      {{"rule", "majority"}},
      {{"majority_num", "1"}, {"majority_den", "2"}},
      {{"opens", "yesterday"}},
      {{"issues", "abc"}},
      {{"closes", at(days(-1))}},
      {{"quorum_den", "0"}},
      // A rule the demo charter does not name.
      {{"majority_num", "4"}, {"majority_den", "5"}},
      {{"text", std::string(20'001, 'x')}}};
  for (const auto& change : bad) {
    auto r = send(Method::kPost, "/motions", motion_form("A title", change));
    EXPECT_EQ(r.status, 400) << change.begin()->first << ": " << r.body.substr(0, 200);
    EXPECT_FALSE(by_id(r.body, "form-error").empty()) << change.begin()->first;
  }
  // Not a delegate of that organization.
  EXPECT_EQ(send(Method::kPost, "/motions",
                 motion_form("Another", {{"organization", "volga-federalists"}}))
                .status,
            403);
  EXPECT_EQ(send(Method::kPost, "/motions", "title=x").status, 403);  // no CSRF token
  EXPECT_EQ(motion_count(), 0);
  EXPECT_EQ(log_size(), 0);
  // The form says which rules the charter names.
  const auto form = send(Method::kGet, "/motions/new");
  EXPECT_NE(form.body.find("id=\"charter-rules\""), std::string::npos);
  EXPECT_NE(form.body.find("<code>qualified majority 3/4, quorum 2/3</code>"), std::string::npos);
}

TEST_F(DecisionsSite, OnlyDelegatesProposeAndVote) {
  cookies_.clear();
  join("ivan");
  ASSERT_EQ(login("ivan").status, 303);
  EXPECT_EQ(send(Method::kGet, "/motions/new").status, 403);
  const auto csrf = csrf_in(send(Method::kGet, "/me").body);
  EXPECT_EQ(send(Method::kPost, "/motions", "csrf=" + csrf + "&title=x").status, 403);
  EXPECT_EQ(send(Method::kPost, "/motions/1/vote", "csrf=" + csrf + "&choice=yes").status, 403);
  EXPECT_EQ(send(Method::kPost, "/api/v1/motions", "{}",
                 {{"accept", "application/json"}, {"x-csrf-token", csrf}})
                .status,
            403);
  // A delegate without the second factor is told why.
  cookies_.clear();
  join("dora");
  ASSERT_TRUE(accounts_->grant_role("operator", "dora", Role::kDelegate, "northern-forum"));
  ASSERT_EQ(login("dora").status, 303);
  auto refused = send(Method::kGet, "/motions/new");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("second factor"), std::string::npos);
}

TEST_F(DecisionsSite, TheApiProposesVotesAndRecusesWithTheCsrfHeader) {
  role_holder("anna", Role::kDelegate, "northern-forum");
  const auto csrf = csrf_in(send(Method::kGet, "/me").body);
  const std::map<std::string, std::string> headers = {
      {"accept", "application/json"}, {"content-type", "application/json"}, {"x-csrf-token", csrf}};
  const std::string body =
      R"({"title": "Visas", "text_markdown": "Text", "kind": "charter-change",
          "organization": "northern-forum", "rule": "consensus",
          "voting_opens_at": ")" +
      core::to_iso8601(clock_.now() + days(1)) + R"(", "voting_closes_at": ")" +
      core::to_iso8601(clock_.now() + days(5)) + R"("})";
  EXPECT_EQ(send(Method::kPost, "/api/v1/motions", body,
                 {{"accept", "application/json"}, {"content-type", "application/json"}})
                .status,
            403);
  auto created = send(Method::kPost, "/api/v1/motions", body, headers);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto motion = json_of(created);
  // The demo charter names four rules; with seven members the strictest is 3/4 with a quorum
  // of 2/3 (no other is stricter than it, and it passes in the fewest tallies).
  EXPECT_EQ(motion.at("rule").at("description").as_string(), "qualified majority 3/4, quorum 2/3");
  const auto id = std::to_string(motion.at("id").as_int64());
  EXPECT_EQ(send(Method::kPost, "/api/v1/motions", "[1]", headers).status, 400);
  auto early = send(Method::kPost, "/api/v1/motions/" + id + "/votes",
                    R"({"organization": "northern-forum", "choice": "yes"})", headers);
  EXPECT_EQ(early.status, 422) << early.body;
  clock_.advance(days(2));
  auto voted = send(Method::kPost, "/api/v1/motions/" + id + "/votes",
                    R"({"organization": "northern-forum", "choice": "yes"})", headers);
  EXPECT_EQ(voted.status, 201) << voted.body;
  auto recused = send(Method::kPost, "/api/v1/motions/" + id + "/conflicts",
                      R"({"organization": "northern-forum", "reason": "I own a bank."})", headers);
  ASSERT_EQ(recused.status, 201) << recused.body;
  EXPECT_FALSE(json_of(recused).at("votes").as_array().at(0).at("counts").as_bool());
  EXPECT_EQ(send(Method::kPost, "/api/v1/motions/" + id + "/votes",
                 R"({"organization": "northern-forum", "choice": "no"})", headers)
                .status,
            403);
}

TEST_F(DecisionsSite, AConsultationTakesOneBallotPerAccountAndShowsResultsOnlyAfterClose) {
  decisions::Consultations service(*db_, clock_, key_);
  decisions::NewConsultation c;
  c.title = "Which first?";
  c.question = "Choose one.";
  c.kind = decisions::QuestionKind::kSingleChoice;
  c.options = {"Banks", "Visas", "Cars"};
  c.closes_at = clock_.now() + days(3);
  auto id = service.open(c, "operator");
  ASSERT_TRUE(id);
  const auto path = "/consultations/" + id->str();
  cookies_.clear();
  join("ivan");
  ASSERT_EQ(login("ivan").status, 303);
  auto page = send(Method::kGet, path);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"cast-ballot\""), std::string::npos);
  EXPECT_EQ(send(Method::kPost, path + "/ballot", "csrf=" + csrf_in(page.body)).status, 400);
  EXPECT_EQ(
      send(Method::kPost, path + "/ballot", "csrf=" + csrf_in(page.body) + "&choice=7").status,
      400);
  EXPECT_EQ(send(Method::kPost, path + "/ballot", "choice=1").status, 403);
  ASSERT_EQ(
      send(Method::kPost, path + "/ballot", "csrf=" + csrf_in(page.body) + "&choice=0").status,
      303);
  ASSERT_EQ(
      send(Method::kPost, path + "/ballot", "csrf=" + csrf_in(page.body) + "&choice=1").status,
      303);
  page = send(Method::kGet, path + "?done=cast");
  EXPECT_EQ(by_id(page.body, "notice"), "Your ballot is recorded.");
  EXPECT_NE(page.body.find("value=\"1\" checked"), std::string::npos);
  auto mine =
      send(Method::kGet, "/api/v1" + path + "/ballot", "", {{"accept", "application/json"}});
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(json_of(mine).at("choices").as_array().at(0).as_int64(), 1);
  auto early = send(Method::kGet, "/api/v1" + path + "/result");
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(page.body.find("id=\"result\""), std::string::npos);
  clock_.advance(days(3));
  auto result = send(Method::kGet, "/api/v1" + path + "/result");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto o = json_of(result);
  EXPECT_EQ(o.at("ballots").as_int64(), 1);
  EXPECT_EQ(o.at("report").at("winners").as_array().at(0).as_int64(), 1);
  page = send(Method::kGet, path);
  EXPECT_EQ(by_id(page.body, "ballots"), "1");
  const auto csrf = csrf_in(send(Method::kGet, "/me").body);
  EXPECT_EQ(send(Method::kPost, path + "/ballot", "csrf=" + csrf + "&choice=2").status, 422);
}

TEST_F(DecisionsSite, ADelegateOpensAConsultationFromTheFormAndTheApi) {
  decisions::Consultations service(*db_, clock_, key_);
  cookies_.clear();
  join("ivan");
  ASSERT_EQ(login("ivan").status, 303);
  EXPECT_EQ(send(Method::kGet, "/consultations/new").status, 403) << "constituents do not open";
  role_holder("anna", Role::kDelegate, "northern-forum");
  auto form = send(Method::kGet, "/consultations/new");
  ASSERT_EQ(form.status, 200);
  const auto csrf = csrf_in(form.body);
  const std::string good = "&title=Where+first%3F&question=Pick+one.&kind=ranked&method=irv" +
                           std::string("&options=Banks%0D%0AVisas%0D%0A%0D%0ACars&closes=") +
                           percent_encode(at(days(5)));
  const std::vector<std::string> bad = {
      "&title=&question=Q&kind=approval&options=A%0AB&closes=" + percent_encode(at(days(5))),
      "&title=T&question=Q&kind=poll&options=A%0AB&closes=" + percent_encode(at(days(5))),
      "&title=T&question=Q&kind=approval&options=A&closes=" + percent_encode(at(days(5))),
      "&title=T&question=Q&kind=approval&options=A%0AA&closes=" + percent_encode(at(days(5))),
      "&title=T&question=Q&kind=approval&options=A%0AB&closes=" + percent_encode(at(days(-1))),
      "&title=T&question=Q&kind=approval&options=A%0AB&closes=tomorrow",
      "&title=T&question=Q&kind=single-choice&method=irv&options=A%0AB&closes=" +
          percent_encode(at(days(5)))};
  for (const auto& b : bad) {
    auto r = send(Method::kPost, "/consultations", "csrf=" + csrf + b);
    EXPECT_EQ(r.status, 400) << b;
    EXPECT_FALSE(by_id(r.body, "form-error").empty()) << b;
  }
  EXPECT_EQ(send(Method::kPost, "/consultations", "csrf=wrong" + good).status, 403);
  EXPECT_TRUE(service.list()->empty());
  auto opened = send(Method::kPost, "/consultations", "csrf=" + csrf + good);
  ASSERT_EQ(opened.status, 303) << opened.body;
  auto list = service.list();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().options, (std::vector<std::string>{"Banks", "Visas", "Cars"}));
  EXPECT_EQ(list->front().method, count::Method::kInstantRunoff);
  auto page = send(Method::kGet, header(opened, "Location"));
  EXPECT_EQ(by_id(page.body, "notice"), "The consultation is open.");

  const std::map<std::string, std::string> headers = {
      {"accept", "application/json"},
      {"content-type", "application/json"},
      {"x-csrf-token", csrf_in(send(Method::kGet, "/me").body)}};
  const std::string body = R"({"title": "Approve", "question": "Tick.", "kind": "approval",
      "options": ["A", "B", "C"], "closes_at": ")" +
                           core::to_iso8601(clock_.now() + days(2)) + "\"}";
  EXPECT_EQ(send(Method::kPost, "/api/v1/consultations", body,
                 {{"accept", "application/json"}, {"content-type", "application/json"}})
                .status,
            403)
      << "no CSRF header";
  EXPECT_EQ(send(Method::kPost, "/api/v1/consultations", R"({"options": "A"})", headers).status,
            400);
  auto created = send(Method::kPost, "/api/v1/consultations", body, headers);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json_of(created).at("kind").as_string(), "approval");
  EXPECT_EQ(service.list()->size(), 2u);
}

}  // namespace
}  // namespace veche::http
