// Consensus conversations over real HTTP against `veche serve --demo`: the demo conversation
// and its report are served; a constituent votes through the form and adds a statement; the
// report worker picks the vote up off the request path; and `veche conversation votes` writes
// the file `veche consensus analyse` reads, which finds the same groups offline.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "novgorod%20veche%201136";

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

std::string value_of(const std::string& html, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

class ConversationsOverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static int port() { return server_->port(); }
  static std::string db() { return " --db " + server_->dir() + "/veche.db"; }
  // Joins and logs in; returns the session cookie ("veche_session=...").
  static std::string join_and_login(const std::string& handle) {
    return testing::join_and_login(*server_, handle, kPass);
  }
  static std::int64_t report_votes() {
    auto r =
        request(port(), "GET", "/api/v1/conversations/1/report", {{"Accept", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    const auto o = boost::json::parse(r.body).as_object();
    return o.at("votes").as_int64();
  }
  static ServerProcess* server_;
};
ServerProcess* ConversationsOverHttp::server_ = nullptr;

TEST_F(ConversationsOverHttp, TheDemoConversationAndItsReportAreServed) {
  auto list = request(port(), "GET", "/conversations");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("What should the coalition demand from EU states"), std::string::npos);
  auto report = request(port(), "GET", "/conversations/1/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find("Group C"), std::string::npos);
  auto map = request(port(), "GET", "/conversations/1/map.svg");
  ASSERT_EQ(map.status, 200);
  EXPECT_NE(map.header("content-type").find("image/svg+xml"), std::string::npos);
  EXPECT_NE(map.body.find("<circle"), std::string::npos);
}

TEST_F(ConversationsOverHttp, AVoteReachesTheReportThroughTheWorkerNotTheRequest) {
  const auto before = report_votes();
  const auto cookie = join_and_login("conversation-voter");
  auto page = request(port(), "GET", "/conversations/1", {{"Cookie", cookie}});
  ASSERT_EQ(page.status, 200);
  const auto statement = value_of(page.body, "statement");
  ASSERT_FALSE(statement.empty()) << page.body;
  auto headers = kForm;
  headers["Cookie"] = cookie;
  auto voted = request(port(), "POST", "/conversations/1/vote", headers,
                       "csrf=" + csrf_in(page.body) + "&statement=" + statement + "&vote=agree");
  ASSERT_EQ(voted.status, 303) << voted.body;
  auto added = request(port(), "POST", "/conversations/1/statements", headers,
                       "csrf=" + csrf_in(page.body) + "&text=Legal+aid+for+new+arrivals");
  ASSERT_EQ(added.status, 303) << added.body;
  page = request(port(), "GET", "/conversations/1", {{"Cookie", cookie}});
  EXPECT_NE(value_of(page.body, "statement"), statement) << "the next statement is another";
  EXPECT_EQ(by_id(page.body, "voted"), "1");

  // The worker recomputes within its debounce interval (5 s) plus one poll.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (report_votes() == before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(report_votes(), before + 1);
}

TEST_F(ConversationsOverHttp, TheExportedVotesAreRecheckedOfflineWithTheSameGroups) {
  const std::string votes = server_->dir() + "/votes.csv";
  const std::string statements = server_->dir() + "/comments.csv";
  auto [s1, out1] = run(std::string(VECHE_BIN) + " conversation votes 1" + db() + " > " + votes);
  ASSERT_EQ(s1, 0) << out1;
  auto [s2, out2] =
      run(std::string(VECHE_BIN) + " conversation statements 1" + db() + " > " + statements);
  ASSERT_EQ(s2, 0) << out2;
  auto [s3, offline] = run(std::string(VECHE_BIN) + " consensus analyse " + votes +
                           " --statements " + statements + " --format json");
  ASSERT_EQ(s3, 0) << offline;
  auto [s4, online] = run(std::string(VECHE_BIN) + " conversation report 1" + db());
  ASSERT_EQ(s4, 0) << online;
  const auto a = boost::json::parse(offline).as_object();
  const auto b = boost::json::parse(online).as_object();
  EXPECT_EQ(a.at("votes"), b.at("votes"));
  EXPECT_EQ(a.at("participants"), b.at("participants"));
  EXPECT_EQ(a.at("groups").as_array().size(), b.at("groups").as_array().size());
  EXPECT_NE(offline.find("Host states should accept expired home-country passports"),
            std::string::npos);
  auto [s5, list] = run(std::string(VECHE_BIN) + " conversation list" + db());
  ASSERT_EQ(s5, 0) << list;
  EXPECT_NE(list.find("1\topen"), std::string::npos) << list;
}

}  // namespace
}  // namespace veche::testing
