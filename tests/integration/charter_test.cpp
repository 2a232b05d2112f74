// Charter signatures, the audit log and a constituent's own data over real HTTP against
// `veche serve --demo`: sign, see the count go up, withdraw; the public audit API; download
// and erase; and the database file, searched byte by byte, holds no contact address.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

constexpr const char* kPass = "pskov%20veche%201348";

std::string folder_bytes(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

class CharterOverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static int port() { return server_->port(); }
  // Joins and logs in; returns the session cookie ("veche_session=...").
  static std::string join_and_login(const std::string& handle) {
    return testing::join_and_login(*server_, handle, kPass);
  }
  static ServerProcess* server_;
};
ServerProcess* CharterOverHttp::server_ = nullptr;

TEST_F(CharterOverHttp, AConstituentSignsAndTheCountGoesUp) {
  const auto before = request(port(), "GET", "/charter");
  ASSERT_EQ(before.status, 200);
  const auto count = std::stoi(by_id(before.body, "individuals-1"));
  const auto session = join_and_login("veche-signer");
  auto page = request(port(), "GET", "/charter", {{"Cookie", session}});
  auto headers = kForm;
  headers["Cookie"] = session;
  EXPECT_EQ(request(port(), "POST", "/charter/1/sign", headers, "").status, 403);
  auto signed_now =
      request(port(), "POST", "/charter/1/sign", headers, "csrf=" + csrf_in(page.body));
  ASSERT_EQ(signed_now.status, 303) << signed_now.body;
  const auto after = request(port(), "GET", "/charter");
  EXPECT_EQ(std::stoi(by_id(after.body, "individuals-1")), count + 1);
  EXPECT_EQ(after.body.find("veche-signer"), std::string::npos);
  auto api = request(port(), "GET", "/api/v1/charter");
  ASSERT_EQ(api.status, 200);
  EXPECT_NE(api.body.find("\"individual_signatures\":" + std::to_string(count + 1)),
            std::string::npos)
      << api.body;
  // A constituent cannot sign for an organization.
  page = request(port(), "GET", "/charter", {{"Cookie", session}});
  EXPECT_EQ(request(port(), "POST", "/charter/1/sign", headers,
                    "csrf=" + csrf_in(page.body) + "&organization=northern-forum")
                .status,
            403);
  // Anonymous API writes are 401.
  EXPECT_EQ(request(port(), "POST", "/api/v1/charter/1/signatures").status, 401);
}

TEST_F(CharterOverHttp, TheOperatorListsSignaturesFromTheCommandLine) {
  auto [status, out] =
      run(std::string(VECHE_BIN) + " charter signatures --db " + server_->dir() + "/veche.db");
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("version 1 (adopted "), std::string::npos) << out;
  EXPECT_NE(out.find("northern-forum"), std::string::npos) << out;
  EXPECT_EQ(out.find("demo-signer"), std::string::npos) << "individuals are only counted";
}

TEST_F(CharterOverHttp, ThePublicAuditLogIsServedNewestFirst) {
  auto r = request(port(), "GET", "/api/v1/audit");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"scope\":\"public\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("invitations.issue"), std::string::npos) << "private entries hidden";
  EXPECT_EQ(request(port(), "GET", "/audit").status, 200);
  EXPECT_EQ(request(port(), "GET", "/audit?before=zero").status, 400);
}

TEST_F(CharterOverHttp, MyDataIsDownloadedErasedAndNeverInPlainTextOnDisk) {
  const auto session = join_and_login("veche-leaver");
  auto page = request(port(), "GET", "/me/data", {{"Cookie", session}});
  ASSERT_EQ(page.status, 200);
  auto headers = kForm;
  headers["Cookie"] = session;
  auto saved = request(port(), "POST", "/me/data/contact", headers,
                       "csrf=" + csrf_in(page.body) + "&contact=leaver%40example.net");
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto json = request(port(), "GET", "/me/data.json", {{"Cookie", session}});
  ASSERT_EQ(json.status, 200);
  EXPECT_NE(json.body.find("leaver@example.net"), std::string::npos) << json.body;
  EXPECT_EQ(folder_bytes(server_->dir()).find("leaver@example.net"), std::string::npos)
      << "the contact address is on disk in plain text";

  page = request(port(), "GET", "/me/data", {{"Cookie", session}});
  auto erased = request(port(), "POST", "/me/data/erase", headers,
                        "csrf=" + csrf_in(page.body) + "&passphrase=" + kPass);
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(request(port(), "GET", "/me/data", {{"Cookie", session}}).status, 303);
  EXPECT_EQ(folder_bytes(server_->dir()).find("leaver@example.net"), std::string::npos);
}

}  // namespace
}  // namespace veche::testing
