// A whole election run by the site, through the real binaries and a real server: a delegate
// (second factor, personal access token) creates it over the API; trustees and registrar make
// their keys with the command line and register them with their invite tokens; the site signs
// the setup; each trustee downloads the record into a board folder, runs `veche trustee share`
// and uploads the lines it appended; the registrar does the same with `veche registrar
// credentials`; the site opens; voters make ballots with `veche vote` on a copy of the record
// and POST them (one revotes); the site closes, two trustees upload partial decryptions, the site
// publishes, and `veche-verify` accepts the downloaded record with the expected counts.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server_harness.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/otp.hpp"

namespace veche::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kPass = "veliky%20novgorod%20bell";
const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string totp_now(const std::string& secret_b32, int offset) {
  const auto raw = crypto::from_base32(secret_b32);
  EXPECT_TRUE(raw);
  return crypto::totp(*raw, unix_now() + offset * 30);
}

// "2026-12-03T10:00:05" for a unix time.
std::string utc(std::int64_t t) {
  const std::time_t tt = t;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

class ElectionRunOverHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    // No deadline keeper: the test closes the election itself.
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"--deadline-interval", "0"});
    dir_ = server_->dir() + "/run";
    fs::create_directories(dir_);
  }
  std::string veche(const std::string& args) {
    auto [status, out] = run("cd " + dir_ + " && " + VECHE_BIN + " " + args + " 2>&1");
    EXPECT_EQ(status, 0) << args << ": " << out;
    return out;
  }
  static std::string after(const std::string& text, const std::string& tag, std::size_t n) {
    const auto at = text.find(tag);
    return at == std::string::npos ? std::string() : text.substr(at + tag.size(), n);
  }
  // A delegate of northern-forum with TOTP; returns a personal access token with the delegate
  // scope.
  std::string organizer_token() {
    const int port = server_->port();
    const std::string session = join_and_login(*server_, "organizer", kPass);
    auto [granted, said] = run(std::string(VECHE_BIN) + " roles grant --db " + server_->dir() +
                               "/veche.db --handle organizer --role delegate --org northern-forum");
    EXPECT_EQ(granted, 0) << said;
    auto with_session = kForm;
    with_session["Cookie"] = session;
    auto security = request(port, "GET", "/me/security", {{"Cookie", session}});
    auto begun =
        request(port, "POST", "/me/totp/begin", with_session, "csrf=" + csrf_in(security.body));
    const auto secret = by_id(begun.body, "totp-secret");
    EXPECT_EQ(secret.size(), 32u) << begun.body;
    auto confirmed = request(port, "POST", "/me/totp/confirm", with_session,
                             "csrf=" + csrf_in(begun.body) + "&code=" + totp_now(secret, 0));
    EXPECT_EQ(confirmed.status, 303) << confirmed.body;
    auto form = request(port, "GET", "/login");
    const auto csrf_cookie = cookie_pair(form.header("set-cookie"));
    auto headers = kForm;
    headers["Cookie"] = csrf_cookie;
    auto first = request(port, "POST", "/login", headers,
                         "csrf=" + csrf_in(form.body) + "&handle=organizer&passphrase=" + kPass);
    const auto challenge = cookie_pair(first.header("set-cookie"));
    headers["Cookie"] = csrf_cookie + "; " + challenge;
    auto step = request(port, "GET", "/login/totp", {{"Cookie", headers["Cookie"]}});
    auto second = request(port, "POST", "/login/totp", headers,
                          "csrf=" + csrf_in(step.body) + "&code=" + totp_now(secret, 1));
    EXPECT_EQ(second.status, 303) << second.body;
    const auto strong = cookie_pair(second.header("set-cookie"));
    auto tokens_page = request(port, "GET", "/me/tokens", {{"Cookie", strong}});
    auto made_headers = kForm;
    made_headers["Cookie"] = strong;
    auto made = request(port, "POST", "/me/tokens", made_headers,
                        "csrf=" + csrf_in(tokens_page.body) + "&name=cli&scope=delegate&days=7");
    EXPECT_EQ(made.status, 200) << made.body;
    return by_id(made.body, "token-value");
  }
  HttpResponse post(const std::string& target, const std::string& body,
                    const std::string& token = "") {
    std::map<std::string, std::string> h = {{"Content-Type", "application/json"},
                                            {"Accept", "application/json"}};
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    return request(server_->port(), "POST", target, h, body);
  }
  // Downloads the record into `folder`/board.jsonl; returns its number of lines.
  std::size_t download(const std::string& folder) {
    auto rec = request(server_->port(), "GET", base_ + "/record");
    EXPECT_EQ(rec.status, 200);
    fs::create_directories(dir_ + "/" + folder);
    std::ofstream(dir_ + "/" + folder + "/board.jsonl", std::ios::binary | std::ios::trunc)
        << rec.body;
    return static_cast<std::size_t>(std::count(rec.body.begin(), rec.body.end(), '\n'));
  }
  // Uploads the lines after the first `n` of `folder`/board.jsonl to the events API.
  int upload_new_lines(const std::string& folder, std::size_t n) {
    std::istringstream in(read_text(dir_ + "/" + folder + "/board.jsonl"));
    int sent = 0;
    std::size_t i = 0;
    for (std::string line; std::getline(in, line); ++i) {
      if (i < n || line.empty()) continue;
      auto r = post(api_ + "/events", line);
      EXPECT_EQ(r.status, 201) << r.body;
      ++sent;
    }
    return sent;
  }
  // `veche vote` on a fresh copy of the record; POSTs the ballot.
  void vote(const std::string& code, const std::string& select, int voter) {
    const std::string folder = "voter" + std::to_string(voter);
    fs::remove_all(dir_ + "/" + folder);
    download(folder);
    veche("vote --board " + folder + " --code " + code + " --select " + select);
    const std::string text = read_text(dir_ + "/" + folder + "/board.jsonl");
    const auto last = text.rfind('\n', text.size() - 2);
    const auto payload = json::serialize(json::parse(text.substr(last + 1)).at("payload"));
    auto cast = post(api_ + "/ballots", payload);
    EXPECT_EQ(cast.status, 201) << cast.body;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string dir_;
  std::string base_;
  std::string api_;
};

TEST_F(ElectionRunOverHttp, CommandLineTrusteesRegistrarAndVotersThenTheRecordVerifies) {
  const std::string token = organizer_token();
  ASSERT_TRUE(token.starts_with("veche_pat_")) << token;
  const auto now = unix_now();
  // The ceremony, 20,000 credentials and four `veche vote` runs on their 1.3 MiB record take
  // about 8 s on an idle machine.
  const auto closes = now + 20;
  const std::string body =
      R"({"title":"Council of the coalition","questions":[{"id":"council","kind":"approval",)"
      R"("choices":["Anna","Boris","Vera"],"min":0,"max":2,"blank":true}],)"
      R"("trustees":["Faction A","Faction B","Faction C"],"threshold":2,)"
      R"("registrars":["Registrar"],"opens_at":")" +
      utc(now - 60) + R"(","closes_at":")" + utc(closes) +
      R"(","extension":{"outage_minutes":30,"max_hours":2}})";
  auto created = post("/api/v1/elections", body, token);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto o = json::parse(created.body).as_object();
  const std::string id = std::to_string(o.at("id").as_int64());
  base_ = "/elections/" + id;
  api_ = "/api/v1/elections/" + id;

  // Keys made with the command line, registered with the invite tokens.
  for (const auto& inv : o.at("invitations").as_array()) {
    const auto& i = inv.as_object();
    const std::string role(i.at("role").as_string());
    const std::string file = role + std::to_string(i.at("slot").as_int64()) + ".key";
    const auto key = after(veche(role + " keygen --out " + file), "public key: ", 64);
    auto r = post(api_ + "/role-keys", R"({"token":")" + std::string(i.at("token").as_string()) +
                                           R"(","key":")" + key + "\"}");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  ASSERT_EQ(post(api_ + "/setup", "", token).status, 201);

  // The key ceremony: each trustee downloads the record, runs share, uploads what it appended.
  for (int round = 0; round < 3; ++round) {
    for (int t = 1; t <= 3; ++t) {
      const std::string folder = "t" + std::to_string(t);
      fs::remove_all(dir_ + "/" + folder);
      const auto n = download(folder);
      veche("trustee share --board " + folder + " --key trustee" + std::to_string(t) + ".key");
      upload_new_lines(folder, n);
    }
  }
  const auto n = download("registrar");
  // 20,000 voters: one credentials event of 1.3 MiB, more than the server's default body limit.
  veche(
      "registrar credentials --board registrar --key registrar1.key --voters 20000 "
      "--out codes.txt");
  ASSERT_EQ(upload_new_lines("registrar", n), 1);
  std::vector<std::string> codes;
  std::istringstream in(read_text(dir_ + "/codes.txt"));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') codes.push_back(line);
  }
  ASSERT_EQ(codes.size(), 20000U);
  auto opened = post(api_ + "/open", "", token);
  ASSERT_EQ(opened.status, 201) << opened.body;

  vote(codes[0], "council=Anna,Vera", 0);
  vote(codes[1], "council=Boris", 1);
  vote(codes[2], "council=Anna", 2);
  vote(codes[1], "council=Vera", 1);  // a revote: the last ballot counts

  // The close is not before the announced time.
  HttpResponse closed;
  for (;;) {  // until the close is accepted, or 2 s after the announced time
    closed = post(api_ + "/close", "", token);
    if (closed.status != 422 || unix_now() > closes + 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(closed.status, 201) << closed.body;
  EXPECT_EQ(post(api_ + "/publish", "", token).status, 422);  // no partial decryptions yet
  for (int t : {1, 3}) {
    const std::string folder = "d" + std::to_string(t);
    const auto lines = download(folder);
    veche("trustee decrypt --board " + folder + " --key trustee" + std::to_string(t) + ".key");
    ASSERT_EQ(upload_new_lines(folder, lines), 1);
  }
  auto published = post(api_ + "/publish", "", token);
  ASSERT_EQ(published.status, 201) << published.body;
  auto summary = request(server_->port(), "GET", api_);
  EXPECT_NE(summary.body.find(R"("phase":"done")"), std::string::npos) << summary.body;

  download("final");
  auto [status, out] = run(std::string(VECHE_VERIFY_BIN) + " " + dir_ + "/final/board.jsonl 2>&1");
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("verdict: VALID"), std::string::npos) << out;
  EXPECT_NE(out.find("council: 2 0 2"), std::string::npos) << out;
}

}  // namespace
}  // namespace veche::testing
