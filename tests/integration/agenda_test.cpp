// The agenda over real HTTP against `veche serve --demo`: the demo's issues and mandate are
// served, a constituent raises an issue and another supports it, the operator lowers the
// threshold from the command line and the issue is admitted, and the notification outbox
// holds the notices for a delivery script (`veche outbox list|ack`).
#include <gtest/gtest.h>

#include <string>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "novgorod%20veche%201136";

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

class AgendaOverHttp : public ::testing::Test {
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
  static ServerProcess* server_;
};
ServerProcess* AgendaOverHttp::server_ = nullptr;

TEST_F(AgendaOverHttp, TheDemoAgendaAndMandateAreServed) {
  auto list = request(port(), "GET", "/agenda");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Bank accounts for exiles"), std::string::npos);
  auto mandate = request(port(), "GET", "/mandate");
  ASSERT_EQ(mandate.status, 200);
  EXPECT_NE(mandate.body.find("Autumn priorities"), std::string::npos);
  auto api = request(port(), "GET", "/api/v1/agenda/rounds", {{"Accept", "application/json"}});
  ASSERT_EQ(api.status, 200);
  EXPECT_NE(api.body.find("\"phase\":\"open\""), std::string::npos) << api.body;
  EXPECT_NE(api.body.find("\"phase\":\"counted\""), std::string::npos) << api.body;
}

TEST_F(AgendaOverHttp, AnIssueIsRaisedSupportedAdmittedAndNotified) {
  const auto author = join_and_login("agenda-author");
  auto form = request(port(), "GET", "/agenda/new", {{"Cookie", author}});
  ASSERT_EQ(form.status, 200);
  auto headers = kForm;
  headers["Cookie"] = author;
  auto raised = request(port(), "POST", "/agenda/new", headers,
                        "csrf=" + csrf_in(form.body) +
                            "&title=Driving+licences+abroad&body=Exchange+rules&tag_documents=on");
  ASSERT_EQ(raised.status, 303) << raised.body;
  const auto path = raised.header("location").substr(0, raised.header("location").find('?'));

  const auto supporter = join_and_login("agenda-supporter");
  auto page = request(port(), "GET", path, {{"Cookie", supporter}});
  EXPECT_EQ(by_id(page.body, "supports"), "0");
  headers["Cookie"] = supporter;
  auto support = request(port(), "POST", path + "/support", headers, "csrf=" + csrf_in(page.body));
  ASSERT_EQ(support.status, 303) << support.body;
  page = request(port(), "GET", path);
  EXPECT_EQ(by_id(page.body, "supports"), "1");
  EXPECT_EQ(page.body.find("agenda-supporter"), std::string::npos);

  // The demo threshold is 5: lowering it to 1 admits the issue at once.
  auto [status, out] = run(std::string(VECHE_BIN) + " agenda threshold 1" + db());
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("1 supports"), std::string::npos) << out;
  page = request(port(), "GET", path);
  EXPECT_EQ(by_id(page.body, "state"), "Admitted");

  auto [s2, pending] = run(std::string(VECHE_BIN) + " outbox list --limit 1000" + db());
  ASSERT_EQ(s2, 0) << pending;
  EXPECT_NE(pending.find("agenda.issue.raised"), std::string::npos) << pending;
  EXPECT_NE(pending.find("agenda.issue.admitted"), std::string::npos) << pending;
  const auto id = pending.substr(0, pending.find('\t'));
  auto [s3, acked] = run(std::string(VECHE_BIN) + " outbox ack " + id + db());
  EXPECT_EQ(s3, 0) << acked;
  auto [s4, after] = run(std::string(VECHE_BIN) + " outbox list --limit 1000" + db());
  EXPECT_NE(after.rfind(id + "\t", 0), 0u) << "acknowledged entries leave the list";
  EXPECT_EQ(after.find("\n" + id + "\t"), std::string::npos) << after;
  auto [s5, bad] = run(std::string(VECHE_BIN) + " outbox ack 99999999" + db() + " 2>&1");
  EXPECT_NE(s5, 0) << bad;
}

}  // namespace
}  // namespace veche::testing
