// An election through the real binaries and a real server: built with `veche election|trustee|
// registrar` in a board folder, imported into the served database (`veche election import`), a
// ballot made by `veche vote` in another copy of the board is cast over HTTP without any login,
// found on the board page, and the downloaded record, closed and tallied with the command line,
// verifies with `veche-verify`.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ElectionsOverHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    dir_ = server_->dir() + "/election";
    fs::create_directories(dir_);
  }
  // `veche ARGS` in the election folder; its output (the test fails on a non-zero exit).
  std::string veche(const std::string& args) {
    auto [status, out] = run("cd " + dir_ + " && " + VECHE_BIN + " " + args + " 2>&1");
    EXPECT_EQ(status, 0) << args << ": " << out;
    return out;
  }
  static std::string after(const std::string& text, const std::string& tag, std::size_t n) {
    const auto at = text.find(tag);
    return at == std::string::npos ? std::string() : text.substr(at + tag.size(), n);
  }

  std::unique_ptr<ServerProcess> server_;
  std::string dir_;
};

TEST_F(ElectionsOverHttp, ImportCastOverHttpFindTallyAndVerify) {
  const auto admin = after(veche("election admin-key --out admin.key"), "public key: ", 64);
  const auto reg = after(veche("registrar keygen --out registrar.key"), "public key: ", 64);
  std::vector<std::string> t;
  for (const char* k : {"t1.key", "t2.key", "t3.key"}) {
    t.push_back(after(veche(std::string("trustee keygen --out ") + k), "public key: ", 64));
  }
  std::ofstream(dir_ + "/spec.json")
      << R"({"election_id":"web-test","title":"Council of the coalition",)"
         R"("questions":[{"id":"council","kind":"approval","choices":["Anna","Boris","Vera"],)"
         R"("min":0,"max":2,"blank":true}],)"
         R"("trustees":[{"name":"Faction A","key":")"
      << t[0] << R"("},{"name":"Faction B","key":")" << t[1] << R"("},{"name":"Faction C","key":")"
      << t[2] << R"("}],"threshold":2,"registrars":[{"name":"Registrar","key":")" << reg
      << R"("}]})";
  veche("election create --board board --spec spec.json --admin-key admin.key");
  for (int round = 0; round < 3; ++round) {
    for (const char* k : {"t1.key", "t2.key", "t3.key"}) {
      veche(std::string("trustee share --board board --key ") + k);
    }
  }
  veche("registrar credentials --board board --key registrar.key --voters 2 --out codes.txt");
  std::vector<std::string> codes;
  std::istringstream in(read_text(dir_ + "/codes.txt"));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') codes.push_back(line);
  }
  ASSERT_EQ(codes.size(), 2U);
  veche("election open --board board --admin-key admin.key");
  const std::string imported =
      veche("election import --board board --db " + server_->dir() + "/veche.db");
  const std::string path = after(imported, "election imported: ", 12).substr(0, 11);
  ASSERT_EQ(path, "/elections/") << imported;
  const std::string id = after(imported, "election imported: /elections/", 20);
  const std::string eid = id.substr(0, id.find('\n'));

  // The voter's ballot, made by `veche vote` in a copy of the board, cast over HTTP.
  fs::copy(dir_ + "/board", dir_ + "/copy", fs::copy_options::recursive);
  const std::string voted =
      veche("vote --board copy --code " + codes[0] + " --select council=Anna,Vera");
  const std::string tracker = after(voted, "full tracker: ", 64);
  const std::string copy = read_text(dir_ + "/copy/board.jsonl");
  const auto last = copy.rfind('\n', copy.size() - 2);
  const auto event = boost::json::parse(copy.substr(last + 1));
  const std::string payload = boost::json::serialize(event.at("payload"));
  auto cast = request(server_->port(), "POST", "/api/v1/elections/" + eid + "/ballots",
                      {{"Content-Type", "application/json"}}, payload);
  ASSERT_EQ(cast.status, 201) << cast.body;
  EXPECT_NE(cast.body.find(tracker), std::string::npos) << cast.body;
  auto bad = request(server_->port(), "POST", "/api/v1/elections/" + eid + "/ballots",
                     {{"Content-Type", "application/json"}}, payload.substr(1));
  EXPECT_EQ(bad.status, 400) << bad.body;

  const std::string short_tracker = after(voted, "\ntracker: ", 16);
  auto board = request(server_->port(), "GET",
                       "/elections/" + eid + "/board?tracker=" + short_tracker.substr(0, 6));
  EXPECT_EQ(board.status, 200);
  EXPECT_NE(board.body.find(short_tracker), std::string::npos) << board.body;
  auto page = request(server_->port(), "GET", "/elections/" + eid);
  EXPECT_NE(page.body.find("id=\"ballots\">1<"), std::string::npos);

  // The downloaded record is the board: close, decrypt, tally and publish it offline.
  auto rec = request(server_->port(), "GET", "/elections/" + eid + "/record");
  ASSERT_EQ(rec.status, 200);
  EXPECT_EQ(rec.body, copy);  // byte for byte the board `veche vote` wrote
  std::ofstream(dir_ + "/board/board.jsonl", std::ios::binary | std::ios::trunc) << rec.body;
  veche("election close --board board --admin-key admin.key");
  veche("trustee decrypt --board board --key t1.key");
  veche("trustee decrypt --board board --key t2.key");
  veche("election tally --board board");
  veche("election publish --board board --admin-key admin.key");
  veche("election record --board board --out record.jsonl");
  auto [status, out] = run(std::string(VECHE_VERIFY_BIN) + " " + dir_ + "/record.jsonl 2>&1");
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("verdict: VALID"), std::string::npos) << out;
  EXPECT_NE(out.find("council: 1 0 1"), std::string::npos) << out;

  // The finished board goes back on the site on top of the stored one; voting has stopped.
  veche("election import --board board --db " + server_->dir() + "/veche.db");
  auto done = request(server_->port(), "GET", "/api/v1/elections/" + eid);
  EXPECT_NE(done.body.find(R"("phase":"done")"), std::string::npos) << done.body;
  EXPECT_EQ(request(server_->port(), "GET", "/elections/" + eid + "/record").body,
            read_text(dir_ + "/board/board.jsonl"));
  auto late = request(server_->port(), "POST", "/api/v1/elections/" + eid + "/ballots",
                      {{"Content-Type", "application/json"}}, payload);
  EXPECT_EQ(late.status, 422) << late.body;  // voting is not open any more
}

}  // namespace
}  // namespace veche::testing
