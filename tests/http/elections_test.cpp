// Elections on the site: the pages work without JavaScript and show the live number of ballots
// (never partial results), a ballot is cast over the API without any login and found on the
// board by its tracker, and bad ballots get a precise 400 that changes nothing.
#include "veche/elections/elections.hpp"

#include "election_fixture.hpp"
#include "site_fixture.hpp"

namespace veche::http {
namespace {

using record::testing::ElectionShape;
using record::testing::TestElection;

class ElectionsSiteTest : public SiteFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    election_ = std::make_unique<TestElection>(ElectionShape{3, 2, 3, {}}, 11);
    election_->open();
    elections::Elections service(*db_, clock_);
    auto id = service.import_board(election_->board().serialize());
    ASSERT_TRUE(id) << id.error().message;
    path_ = "/elections/" + std::to_string(*id);
    api_ = "/api/v1/elections/" + std::to_string(*id);
  }
  std::string ballot(std::uint32_t v) {
    return boost::json::serialize(election_->make_ballot(v, election_->plain_for(v)).payload);
  }
  Response cast(const std::string& body) {
    return send(Method::kPost, api_ + "/ballots", body, {{"content-type", "application/json"}},
                /*with_cookies=*/false);
  }

  std::unique_ptr<TestElection> election_;
  std::string path_;
  std::string api_;
};

TEST_F(ElectionsSiteTest, AVoterCastsWithoutLoginAndFindsTheBallotOnTheBoard) {
  auto list = send(Method::kGet, "/elections");
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(election_->setup().title), std::string::npos);
  auto page = send(Method::kGet, path_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(crypto::to_hex(election_->state().fingerprint())), std::string::npos);
  EXPECT_NE(page.body.find("id=\"ballots\">0<"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);

  const std::string b = ballot(0);
  auto cast_ok = cast(b);
  ASSERT_EQ(cast_ok.status, 201) << cast_ok.body;
  const auto receipt = boost::json::parse(cast_ok.body).as_object();
  const std::string tracker(receipt.at("tracker").as_string());
  const std::string short_tracker(receipt.at("short_tracker").as_string());
  EXPECT_EQ(tracker, crypto::to_hex(record::tracker_of(b)));
  auto retry = cast(b);
  EXPECT_EQ(retry.status, 200) << retry.body;

  EXPECT_NE(send(Method::kGet, path_).body.find("id=\"ballots\">1<"), std::string::npos);
  auto board = send(Method::kGet, path_ + "/board?tracker=" + short_tracker.substr(0, 5));
  ASSERT_EQ(board.status, 200);
  EXPECT_NE(board.body.find(short_tracker), std::string::npos);
  auto missing = send(Method::kGet, path_ + "/board?tracker=00000000000000000000");
  EXPECT_NE(missing.body.find("No ballot has this tracker."), std::string::npos);
  auto api_board = send(Method::kGet, api_ + "/ballots?tracker=" + tracker.substr(0, 16));
  EXPECT_NE(api_board.body.find(tracker), std::string::npos);
  auto detail = send(Method::kGet, api_);
  EXPECT_EQ(boost::json::parse(detail.body).at("ballots").as_int64(), 1);

  auto rec = send(Method::kGet, path_ + "/record");
  ASSERT_EQ(rec.status, 200);
  record::Board expected(election_->board().events());
  expected.append_serialized("ballot", b);
  EXPECT_EQ(rec.body, expected.serialize());
  // The site states its record head, the one veche-verify prints for the record downloaded now.
  const std::string head = crypto::to_hex(expected.head());
  EXPECT_EQ(boost::json::parse(detail.body).at("head").as_string(), head);
  EXPECT_EQ(boost::json::parse(detail.body).at("events").as_int64(),
            static_cast<std::int64_t>(expected.events().size()));
  auto verify = send(Method::kGet, path_ + "/verify");
  EXPECT_NE(verify.body.find("veche-verify"), std::string::npos);
  EXPECT_NE(verify.body.find("<code id=\"head\">" + head + "</code>"), std::string::npos);
  EXPECT_NE(verify.body.find("each new ballot moves it"), std::string::npos);
}

TEST_F(ElectionsSiteTest, BadBallotsGetAPrecise400AndChangeNothing) {
  const auto before = send(Method::kGet, path_ + "/record").body;
  const std::string good = ballot(1);
  std::string forged = good;
  const auto sig = forged.rfind("\"sig\":\"") + 7;
  forged[sig] = forged[sig] == '0' ? '1' : '0';
  for (const auto& [body, needle] :
       std::vector<std::pair<std::string, std::string>>{{"", "not a JSON object"},
                                                        {"[1,2]", "not a JSON object"},
                                                        {good + " ", "canonical"},
                                                        {R"({"election":"x"})", "Bad ballot"},
                                                        {forged, "Bad ballot"}}) {
    auto r = cast(body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 40) << ": " << r.body;
    EXPECT_NE(r.body.find(needle), std::string::npos) << r.body;
  }
  EXPECT_EQ(send(Method::kGet, path_ + "/record").body, before);
  EXPECT_EQ(send(Method::kPost, "/api/v1/elections/999/ballots", good).status, 404);
  EXPECT_EQ(send(Method::kPost, "/api/v1/elections/abc/ballots", good).status, 404);
  EXPECT_EQ(send(Method::kGet, "/elections/999").status, 404);
  EXPECT_EQ(send(Method::kGet, path_ + "/board?tracker=%25").status, 400);
  EXPECT_EQ(cast(good).status, 201);
}

TEST_F(ElectionsSiteTest, OneCredentialCannotFloodTheElection) {
  // Each credential has ten casts a minute; the eleventh is 429 and costs no proof check.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(cast(ballot(2)).status, 201);
  auto over = cast(ballot(2));
  EXPECT_EQ(over.status, 429) << over.body;
  EXPECT_EQ(cast(ballot(0)).status, 201);  // another voter is not held up
  clock_.advance(std::chrono::seconds(61));
  EXPECT_EQ(cast(ballot(2)).status, 201);
}

}  // namespace
}  // namespace veche::http
