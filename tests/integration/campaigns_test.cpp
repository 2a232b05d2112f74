// Campaigns over real HTTP against `veche serve --demo`: the demo campaigns and track records
// are served (pages, SVG, JSON); a constituent signs a petition and gets a receipt; the
// published list is recounted by `veche campaign petition recount` with that receipt, and a
// tampered copy fails; the campaigns log verifies and exports come out of the command line.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "novgorod%20veche%201136";

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

class CampaignsOverHttp : public ::testing::Test {
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
ServerProcess* CampaignsOverHttp::server_ = nullptr;

TEST_F(CampaignsOverHttp, TheDemoCampaignsAndTrackRecordsAreServed) {
  auto list = request(port(), "GET", "/campaigns");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Bank accounts for exiles"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find("Expired passports accepted"), std::string::npos);
  auto record = request(port(), "GET", "/track-record/organizations/volga-federalists");
  ASSERT_EQ(record.status, 200);
  EXPECT_NE(record.body.find("<svg"), std::string::npos);
  auto svg = request(port(), "GET", "/track-record/organizations/volga-federalists/timeline.svg");
  EXPECT_EQ(svg.header("content-type"), "image/svg+xml");
  auto api = request(port(), "GET", "/api/v1/track-record/organizations/legal-aid-abroad",
                     {{"Accept", "application/json"}});
  ASSERT_EQ(api.status, 200);
  EXPECT_NE(api.body.find("Expired passports"), std::string::npos) << api.body;
  // From the mandate to the outcome: the demo issue 1 was ranked in the counted demo round.
  auto by_issue = request(port(), "GET", "/track-record/issues/1");
  ASSERT_EQ(by_issue.status, 200);
  EXPECT_NE(by_issue.body.find("id=\"mandate\""), std::string::npos) << by_issue.body;
  EXPECT_NE(by_issue.body.find("Bank accounts for exiles"), std::string::npos);
  auto [status, out] = run(std::string(VECHE_BIN) + " campaign verify" + db());
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("chain intact"), std::string::npos) << out;
  auto [s2, csv] =
      run(std::string(VECHE_BIN) + " campaign export --org volga-federalists --format csv" + db());
  EXPECT_EQ(s2, 0) << csv;
  EXPECT_NE(csv.find("\"partly\""), std::string::npos) << csv;
}

TEST_F(CampaignsOverHttp, ASignerFindsTheirReceiptAndAnyoneRecountsThePublishedList) {
  auto campaigns = request(port(), "GET", "/api/v1/campaigns", {{"Accept", "application/json"}});
  ASSERT_EQ(campaigns.status, 200);
  const auto signer = join_and_login("petition-signer");
  auto page = request(port(), "GET", "/petitions/1", {{"Cookie", signer}});
  ASSERT_EQ(page.status, 200) << page.body;
  const auto before = std::stoi(by_id(page.body, "signatures"));
  auto headers = kForm;
  headers["Cookie"] = signer;
  auto signed_page = request(port(), "POST", "/petitions/1/sign", headers,
                             "csrf=" + csrf_in(page.body) + "&public_name=");
  ASSERT_EQ(signed_page.status, 200) << signed_page.body;
  const auto receipt = by_id(signed_page.body, "receipt");
  ASSERT_EQ(receipt.size(), 52u);
  EXPECT_EQ(std::stoi(by_id(signed_page.body, "signatures")), before + 1);

  auto published =
      request(port(), "GET", "/api/v1/petitions/1/signatures", {{"Accept", "application/json"}});
  ASSERT_EQ(published.status, 200);
  EXPECT_EQ(published.body.find("petition-signer"), std::string::npos);
  const auto file = server_->dir() + "/petition-1.json";
  std::ofstream(file) << published.body;
  auto [status, out] =
      run(std::string(VECHE_BIN) + " campaign petition recount " + file + " --receipt " + receipt);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("counted " + std::to_string(before + 1)), std::string::npos) << out;
  EXPECT_NE(out.find("found in the list"), std::string::npos) << out;

  // A copy with one hash dropped (and the count lowered to match) no longer recounts.
  auto tampered = published.body;
  const auto first = tampered.find("\"hashes\":[\"");
  ASSERT_NE(first, std::string::npos);
  tampered.erase(first + 10, 67);  // one quoted hash and its comma
  const auto count_at = tampered.find("\"count\":");
  tampered.replace(count_at, tampered.find(',', count_at) - count_at,
                   "\"count\":" + std::to_string(before));
  std::ofstream(file + ".bad") << tampered;
  auto [s2, bad] = run(std::string(VECHE_BIN) + " campaign petition recount " + file + ".bad 2>&1");
  EXPECT_NE(s2, 0) << bad;
  EXPECT_NE(bad.find("digest does NOT match"), std::string::npos) << bad;
}

}  // namespace
}  // namespace veche::testing
