// The booth and the result of an election on the site: the booth page carries what the
// browser encrypts with (never a code) and, for anyone without JavaScript, the commands of
// `veche vote`; it says why when voting is not open. The result (page and API) exists only after
// the result event: never partial results. Vendor files are served from web/vendor.txt.
#include <filesystem>
#include <fstream>

#include "election_fixture.hpp"
#include "site_fixture.hpp"
#include "static_files.hpp"
#include "veche/elections/elections.hpp"

namespace veche::http {
namespace {

using record::testing::ElectionShape;
using record::testing::TestElection;

class ElectionBoothTest : public SiteFixture {
 protected:
  void SetUp() override {
    SiteFixture::SetUp();
    election_ = std::make_unique<TestElection>(ElectionShape{3, 2, 3, {}}, 17);
    election_->open();
    import();
  }
  void import() {
    elections::Elections service(*db_, clock_);
    auto id = service.import_board(election_->board().serialize());
    ASSERT_TRUE(id) << id.error().message;
    path_ = "/elections/" + std::to_string(*id);
    api_ = "/api/v1/elections/" + std::to_string(*id);
  }

  std::unique_ptr<TestElection> election_;
  std::string path_;
  std::string api_;
};

TEST_F(ElectionBoothTest, TheBoothCarriesTheKeyAndTheCommandsButNoCode) {
  auto booth = send(Method::kGet, path_ + "/vote", "", {{"host", "vote.example.org"}});
  ASSERT_EQ(booth.status, 200) << booth.body;
  const auto& b = booth.body;
  EXPECT_NE(b.find("id=\"booth\""), std::string::npos);
  EXPECT_NE(b.find(crypto::to_hex(election_->state().joint_key().bytes())), std::string::npos);
  EXPECT_NE(b.find(crypto::to_hex(election_->state().fingerprint())), std::string::npos);
  EXPECT_NE(b.find("<script type=\"module\" src=\"/static/js/booth.mjs\"></script>"),
            std::string::npos);
  // One fieldset per question; checkboxes for approval, radios with a blank choice otherwise.
  EXPECT_NE(b.find("<legend>council</legend>"), std::string::npos);
  EXPECT_NE(b.find("type=\"checkbox\" name=\"q0\""), std::string::npos);
  EXPECT_NE(b.find("type=\"radio\" name=\"q1\""), std::string::npos);
  EXPECT_NE(b.find("name=\"q1\" value=\"blank\""), std::string::npos);
  // Without JavaScript: the commands for this election, with this site's address.
  EXPECT_NE(b.find("curl -o election-1/board.jsonl http://vote.example.org/elections/1/record"),
            std::string::npos);
  EXPECT_NE(b.find("--ballot-out ballot.json"), std::string::npos);
  EXPECT_NE(b.find("http://vote.example.org/api/v1/elections/1/ballots"), std::string::npos);
  // A Host header that is not a plain host is not echoed.
  auto odd = send(Method::kGet, path_ + "/vote", "", {{"host", "x\"><script>"}});
  EXPECT_EQ(odd.body.find("x\"><script>"), std::string::npos);
  EXPECT_NE(odd.body.find("https://SITE/elections/1/record"), std::string::npos);
  EXPECT_NE(send(Method::kGet, path_).body.find("href=\"/elections/1/vote\""), std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/elections/99/vote").status, 404);
  EXPECT_EQ(send(Method::kGet, "/elections/x/vote").status, 404);
  auto ru = send(Method::kGet, path_ + "/vote", "", {{"accept-language", "ru"}});
  EXPECT_NE(ru.body.find("Ваш бюллетень"), std::string::npos);
}

TEST_F(ElectionBoothTest, TheResultExistsOnlyAfterItIsPublished) {
  election_->vote_all();
  election_->close();
  election_->decrypt({1, 3});
  // Closed and partly decrypted: no result, no booth.
  import();
  auto page = send(Method::kGet, path_ + "/result");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"no-result\""), std::string::npos);
  EXPECT_EQ(page.body.find("<svg"), std::string::npos);
  EXPECT_EQ(send(Method::kGet, api_ + "/result").status, 404);
  auto closed = send(Method::kGet, path_ + "/vote");
  EXPECT_NE(closed.body.find("id=\"booth-closed\""), std::string::npos);
  EXPECT_EQ(closed.body.find("id=\"booth\""), std::string::npos);
  EXPECT_EQ(closed.body.find("<script"), std::string::npos);

  election_->publish();
  import();
  const auto expected = election_->expected_counts();
  auto api = send(Method::kGet, api_ + "/result");
  ASSERT_EQ(api.status, 200) << api.body;
  const auto r = boost::json::parse(api.body).as_object();
  EXPECT_EQ(r.at("counted").as_int64(), 3);
  const auto& qs = r.at("questions").as_array();
  ASSERT_EQ(qs.size(), expected.size());
  for (std::size_t q = 0; q < qs.size(); ++q) {
    const auto& choices = qs[q].at("choices").as_array();
    for (std::size_t c = 0; c < choices.size(); ++c) {
      EXPECT_EQ(static_cast<std::uint64_t>(choices[c].at("votes").as_int64()), expected[q][c]);
    }
  }
  std::int64_t seats = 0;
  for (const auto& c : qs[1].at("choices").as_array()) seats += c.at("seats").as_int64();
  EXPECT_EQ(seats, 10);  // the assembly's party lists share its 10 seats
  EXPECT_EQ(qs[0].as_object().if_contains("seats"), nullptr);

  page = send(Method::kGet, path_ + "/result");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("id=\"no-result\""), std::string::npos);
  EXPECT_NE(page.body.find("id=\"counted\">3<"), std::string::npos);
  std::size_t charts = 0;
  for (auto at = page.body.find("class=\"chart election-chart"); at != std::string::npos;
       at = page.body.find("class=\"chart election-chart", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 4u);  // votes for each of the 3 questions, seats of the one curia
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_NE(send(Method::kGet, path_).body.find("href=\"/elections/1/result\""), std::string::npos);
  EXPECT_EQ(send(Method::kGet, "/api/v1/elections/99/result").status, 404);
}

TEST(VendorFilesTest, ListedFilesAreServedAndOthersSkipped) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("veche-vendor-" + std::to_string(::getpid()));
  fs::create_directories(dir / "node_modules" / "lib" / "dist");
  std::ofstream(dir / "node_modules" / "lib" / "dist" / "lib.js") << "export const x = 1;\n";
  std::ofstream(dir / "secret.txt") << "not for the web\n";
  std::ofstream(dir / "vendor.txt")
      << "# comment\n\nlib/dist/lib.js\nlib/missing.js\n../secret.txt\n/etc/passwd\n";
  auto files = StaticFiles::load((dir / "static").string());
  files.add_vendor((dir / "vendor.txt").string(), (dir / "node_modules").string());
  Request req;
  req.method = Method::kGet;
  req.path = "/static/vendor/lib/dist/lib.js";
  auto served = files.serve(req);
  ASSERT_TRUE(served);
  EXPECT_EQ(served->body, "export const x = 1;\n");
  EXPECT_EQ(served->content_type, "text/javascript; charset=utf-8");
  for (const char* p : {"/static/vendor/lib/missing.js", "/static/vendor/../secret.txt",
                        "/static/vendor/etc/passwd", "/static/vendor//etc/passwd"}) {
    req.path = p;
    EXPECT_FALSE(files.serve(req)) << p;
  }
  fs::remove_all(dir);
}

TEST_F(ElectionBoothTest, TheSiteServesLibsodiumFromVendorTxt) {
  // web/node_modules exists after scripts/deps; the list names files that are in it.
  if (!std::filesystem::exists(VECHE_SOURCE_DIR "/web/node_modules/libsodium-wrappers-sumo")) {
    GTEST_SKIP() << "web/node_modules is not installed (scripts/deps)";
  }
  auto r = send(Method::kGet,
                "/static/vendor/libsodium-wrappers-sumo/dist/modules-sumo/libsodium-wrappers.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(r.body.size(), 10000u);
}

}  // namespace
}  // namespace veche::http
