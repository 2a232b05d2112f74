// Decisions over real HTTP against `veche serve --demo`: the demo motions and consultations
// are shown; the public decisions log served by the API is recomputed here entry by entry, as
// an outside reader would; an operator opens a consultation from the command line while the
// server runs, a constituent answers it, and its result stays closed until the close time.
#include <gtest/gtest.h>

// Boost.JSON is compiled into this test (the integration binary links no JSON library).
#include <boost/json/src.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "server_harness.hpp"
#include "veche/core/clock.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/hash.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "pskov%20veche%201348";
const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

std::int64_t unix_of(const std::string& iso) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  EXPECT_EQ(std::sscanf(iso.c_str(), "%d-%u-%uT%u:%u:%uZ", &y, &mo, &d, &h, &mi, &s), 6) << iso;
  const auto days = std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)));
  return days.time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + s;
}

class DecisionsOverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static int port() { return server_->port(); }
  static std::string db() { return server_->dir() + "/veche.db"; }
  static ServerProcess* server_;
};
ServerProcess* DecisionsOverHttp::server_ = nullptr;

TEST_F(DecisionsOverHttp, TheDemoMotionsAndConsultationsAreShown) {
  auto motions = request(port(), "GET", "/motions");
  ASSERT_EQ(motions.status, 200);
  EXPECT_NE(motions.body.find("expired home-country passports"), std::string::npos);
  auto decided = request(port(), "GET", "/motions/1");
  ASSERT_EQ(decided.status, 200);
  EXPECT_NE(decided.body.find("id=\"outcome\""), std::string::npos);
  auto consultations = request(port(), "GET", "/consultations");
  ASSERT_EQ(consultations.status, 200);
  EXPECT_NE(consultations.body.find("Which document problem"), std::string::npos);
  auto [status, out] = run(std::string(VECHE_BIN) + " motion list --db " + db());
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("passed"), std::string::npos) << out;
}

TEST_F(DecisionsOverHttp, AnyoneCanRecomputeTheLogChainFromTheApi) {
  auto r = request(port(), "GET", "/api/v1/decisions?limit=500");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto page = boost::json::parse(r.body).as_object();
  const auto& entries = page.at("entries").as_array();
  ASSERT_GE(entries.size(), 8u);
  std::string prev(64, '0');
  for (const auto& v : entries) {
    const auto& e = v.as_object();
    EXPECT_EQ(std::string(e.at("prev_hash").as_string()), prev);
    auto h = crypto::h32("decisions/log");
    h.add_u64(static_cast<std::uint64_t>(e.at("seq").as_int64()))
        .add_u64(static_cast<std::uint64_t>(unix_of(std::string(e.at("at").as_string()))))
        .add(std::string_view(e.at("kind").as_string()))
        .add(std::string_view(e.at("subject").as_string()))
        .add(std::string_view(e.at("body").as_string()))
        .add(std::string_view(prev));
    const std::string hash = crypto::to_hex(h.digest32());
    EXPECT_EQ(std::string(e.at("hash").as_string()), hash) << "entry " << e.at("seq").as_int64();
    prev = hash;
  }
  auto [status, out] = run(std::string(VECHE_BIN) + " decisions verify --db " + db());
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("chain: intact"), std::string::npos) << out;
}

TEST_F(DecisionsOverHttp, AConsultationOpenedByTheOperatorTakesBallotsAndHidesItsResult) {
  const auto closes_text = core::to_iso8601(core::SystemClock().now() + std::chrono::hours(48));
  auto [status, out] = run(std::string(VECHE_BIN) + " consultation open --db " + db() +
                           " --title 'Where do you live?' --question 'Pick one.' --option EU" +
                           " --option Georgia --option Other --closes " + closes_text);
  ASSERT_EQ(status, 0) << out;
  ASSERT_TRUE(out.starts_with("consultation: ")) << out;
  const std::string id = out.substr(14, out.find('\n') - 14);

  // A constituent joins, logs in and answers.
  auto [issued, code] = run(std::string(VECHE_BIN) + " invitations issue --db " + db() +
                            " --org northern-forum --count 1 --days 3");
  ASSERT_EQ(issued, 0) << code;
  while (!code.empty() && code.back() == '\n') code.pop_back();
  auto form = request(port(), "GET", "/join");
  auto headers = kForm;
  headers["Cookie"] = cookie_pair(form.header("set-cookie"));
  auto joined = request(
      port(), "POST", "/join", headers,
      "csrf=" + csrf_in(form.body) + "&code=" + code + "&handle=consulted&passphrase=" + kPass);
  ASSERT_EQ(joined.status, 303) << joined.body;
  auto login_form = request(port(), "GET", "/login", {{"Cookie", headers["Cookie"]}});
  auto logged =
      request(port(), "POST", "/login", headers,
              "csrf=" + csrf_in(login_form.body) + "&handle=consulted&passphrase=" + kPass);
  ASSERT_EQ(logged.status, 303) << logged.body;
  const auto session = cookie_pair(logged.header("set-cookie"));
  auto page = request(port(), "GET", "/consultations/" + id, {{"Cookie", session}});
  ASSERT_EQ(page.status, 200);
  auto cast = request(port(), "POST", "/consultations/" + id + "/ballot",
                      {{"Cookie", session}, {"Content-Type", "application/x-www-form-urlencoded"}},
                      "csrf=" + csrf_in(page.body) + "&choice=1");
  EXPECT_EQ(cast.status, 303) << cast.body;
  auto mine =
      request(port(), "GET", "/api/v1/consultations/" + id + "/ballot", {{"Cookie", session}});
  EXPECT_EQ(mine.status, 200) << mine.body;
  auto result = request(port(), "GET", "/api/v1/consultations/" + id + "/result");
  EXPECT_EQ(result.status, 409);
  auto [shown, text] = run(std::string(VECHE_BIN) + " consultation show " + id + " --db " + db());
  EXPECT_EQ(shown, 0) << text;
  EXPECT_NE(text.find("result: published after the close"), std::string::npos) << text;
  auto [closed, why] =
      run(std::string(VECHE_BIN) + " consultation close " + id + " --db " + db() + " 2>&1");
  EXPECT_NE(closed, 0) << why;
}

// The server closes what is due by itself: no one reads the consultation, yet its close is in
// the log a moment after its close time, done by the deadline keeper.
TEST(DeadlineKeeper, ClosesADueConsultationWithoutAnyoneAsking) {
  ServerProcess server({"--deadline-interval", "1"});
  const std::string db = server.dir() + "/veche.db";
  const auto closes_text = core::to_iso8601(core::SystemClock().now() + std::chrono::seconds(5));
  auto [status, out] = run(std::string(VECHE_BIN) + " consultation open --db " + db +
                           " --title 'Soon closed' --question 'Pick one.' --option A" +
                           " --option B --closes " + closes_text);
  ASSERT_EQ(status, 0) << out;
  const std::string id = out.substr(14, out.find('\n') - 14);
  const std::string subject = "/api/v1/decisions?subject=consultation/" + id;
  bool closed = false;
  // Generous for a loaded machine: the close is 5 s away, the keeper looks every second.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!closed && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    auto log = request(server.port(), "GET", subject);
    ASSERT_EQ(log.status, 200) << log.body;
    closed = log.body.find("consultation.closed") != std::string::npos;
    if (closed) {
      EXPECT_NE(log.body.find("veche serve (deadline)"), std::string::npos) << log.body;
    }
  }
  EXPECT_TRUE(closed) << "the consultation was not closed within 25 s of its close time";
}

}  // namespace
}  // namespace veche::testing
