// Coordination over real HTTP against `veche serve --demo`: the public view of the demo (public
// records only, no private entry, no contacts) on the pages, the exports and the API; and the
// operator's commands (institutions, targets) changing what the running server shows.
#include <gtest/gtest.h>

#include <string>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

class CoordinationIntegration : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<ServerProcess>(); }
  void TearDown() override { server_.reset(); }
  std::string cli(const std::string& args) {
    auto [status, out] = run(std::string(VECHE_BIN) + " coordination " + args + " --db " +
                             server_->dir() + "/veche.db 2>&1");
    last_status_ = status;
    return out;
  }
  std::unique_ptr<ServerProcess> server_;
  int last_status_ = 0;
};

TEST_F(CoordinationIntegration, TheDemoShowsThePublicViewEverywhere) {
  for (const char* path :
       {"/coordination", "/coordination/initiatives", "/coordination/support",
        "/coordination/overlap", "/coordination/plurality", "/coordination/report",
        "/coordination/export/initiatives.csv", "/coordination/export/support.csv",
        "/coordination/export/events.csv", "/api/v1/coordination", "/api/v1/coordination/export"}) {
    const auto r = request(server_->port(), "GET", path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find("Volunteer network"), std::string::npos) << path;    // private entry
    EXPECT_EQ(r.body.find("editors@example.org"), std::string::npos) << path;  // contacts
    EXPECT_EQ(r.body.find("Safe Passage"), std::string::npos) << path;         // own-institution
    EXPECT_EQ(r.body.find("Voices Programme"), std::string::npos) << path;     // coordinators
  }
  const auto support = request(server_->port(), "GET", "/coordination/support");
  EXPECT_NE(support.body.find("Independent Media Grant"), std::string::npos);
  EXPECT_NE(support.body.find("120,000.00 EUR"), std::string::npos);
  const auto plurality = request(server_->port(), "GET", "/coordination/plurality");
  EXPECT_NE(plurality.body.find("<svg"), std::string::npos);
  EXPECT_EQ(request(server_->port(), "GET", "/coordination/initiatives/999").status, 404);
  const auto csv = request(server_->port(), "GET", "/coordination/export/support.csv");
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
}

TEST_F(CoordinationIntegration, OperatorCommandsManageInstitutionsAndTargets) {
  auto out = cli("institution add --name \"Test Ministry\" --kind host-state --country Testland");
  EXPECT_EQ(last_status_, 0) << out;
  out = cli("institution list");
  EXPECT_NE(out.find("Test Ministry"), std::string::npos) << out;
  EXPECT_NE(out.find("Amber Coast Foundation"), std::string::npos) << out;
  cli("institution add --name \"Test Ministry\"");
  EXPECT_NE(last_status_, 0) << "a name is unique";
  cli("institution add --name X --kind bank");
  EXPECT_NE(last_status_, 0);
  cli("coordinator assign nobody-at-all \"Test Ministry\"");
  EXPECT_NE(last_status_, 0) << "an unknown handle";
  out = cli("targets set --women 50 --tolerance 10 --non-russian 20");
  EXPECT_EQ(last_status_, 0) << out;
  out = cli("targets show");
  EXPECT_NE(out.find("20.00%"), std::string::npos) << out;
  cli("targets set --non-russian 120");
  EXPECT_NE(last_status_, 0);
  // The running server reads the new targets.
  const auto page = request(server_->port(), "GET", "/coordination/plurality");
  EXPECT_NE(page.body.find("at least 20.0%"), std::string::npos);
}

}  // namespace
}  // namespace veche::testing
