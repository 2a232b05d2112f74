// End-to-end HTTP behaviour of `veche serve`: pages, languages, headers, bad input, shutdown.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "server_harness.hpp"

namespace veche::testing {
namespace {

class Http : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static int port() { return server_->port(); }
  static ServerProcess* server_;
};
ServerProcess* Http::server_ = nullptr;

TEST_F(Http, HomePageShowsTheDemoCoalitionInEnglish) {
  auto r = request(port(), "GET", "/", {{"Accept-Language", "en-GB,en;q=0.9"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Free Assembly"), std::string::npos);
  EXPECT_NE(r.body.find("Member organizations"), std::string::npos);
  EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(r.header("content-language"), "en");
}

TEST_F(Http, HomePageFollowsAcceptLanguageToRussian) {
  auto r = request(port(), "GET", "/", {{"Accept-Language", "de;q=1, ru-RU;q=0.8, en;q=0.5"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Вольное вече"), std::string::npos);
  EXPECT_NE(r.body.find("Организации-участницы"), std::string::npos);
  EXPECT_NE(r.body.find("<html lang=\"ru\">"), std::string::npos);
}

TEST_F(Http, OrganizationsAreListedAlphabeticallyInTheReadersLanguage) {
  auto en = request(port(), "GET", "/organizations", {{"Accept-Language", "en"}});
  ASSERT_EQ(en.status, 200);
  // English order: Democratic Platform < Free Press Union < Legal Aid Abroad < Northern ...
  const auto dp = en.body.find("Democratic Platform");
  const auto fp = en.body.find("Free Press Union");
  const auto la = en.body.find("Legal Aid Abroad");
  const auto ww = en.body.find("Women Against the War");
  ASSERT_NE(dp, std::string::npos);
  EXPECT_LT(dp, fp);
  EXPECT_LT(fp, la);
  EXPECT_LT(la, ww);
  auto ru = request(port(), "GET", "/organizations", {{"Cookie", "lang=ru"}});
  ASSERT_EQ(ru.status, 200);
  // Russian order: Демократическая < Женщины < Поволжские < Правовая < Северный < Сибирская < Союз
  const auto d = ru.body.find("Демократическая платформа");
  const auto zh = ru.body.find("Женщины против войны");
  const auto pov = ru.body.find("Поволжские федералисты");
  const auto sib = ru.body.find("Сибирская инициатива");
  const auto soy = ru.body.find("Союз свободной прессы");
  ASSERT_NE(d, std::string::npos);
  EXPECT_LT(d, zh);
  EXPECT_LT(zh, pov);
  EXPECT_LT(pov, sib);
  EXPECT_LT(sib, soy);
}

TEST_F(Http, EveryResponseCarriesTheSecurityHeaders) {
  for (const char* path : {"/", "/no-such-page", "/static/veche.css", "/api/v1/coalition"}) {
    auto r = request(port(), "GET", path);
    const auto csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer") << path;
  }
}

TEST_F(Http, UnknownRouteIsA404InTheReadersLanguage) {
  auto r = request(port(), "GET", "/nowhere", {{"Accept-Language", "ru"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("По этому адресу страницы нет."), std::string::npos);
  auto j = request(port(), "GET", "/api/v1/nowhere");
  EXPECT_EQ(j.status, 404);
  EXPECT_EQ(j.header("content-type"), "application/json");
  EXPECT_NE(j.body.find("\"status\":404"), std::string::npos);
}

TEST_F(Http, WrongMethodIs405WithAllow) {
  auto r = request(port(), "POST", "/", {}, "x=1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET");
}

TEST_F(Http, MalformedPathsAndQueriesAre400NotCrashes) {
  EXPECT_EQ(request(port(), "GET", "/%zz").status, 400);
  EXPECT_EQ(request(port(), "GET", "/%C0%AF").status, 400);     // overlong UTF-8
  EXPECT_EQ(request(port(), "GET", "/a%00b").status, 400);      // NUL
  EXPECT_EQ(request(port(), "GET", "/?q=%ff%fe").status, 400);  // bad UTF-8 in the query
  auto garbage = raw_request(port(), "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(request(port(), "GET", "/api/v1/organizations?lang=de").status, 400);
  // The server is still there.
  EXPECT_EQ(request(port(), "GET", "/healthz").status, 200);
}

TEST_F(Http, OversizedBodyAndHeadersAreRejected) {
  auto big = request(port(), "POST", "/", {}, std::string(2 << 20, 'x'));
  EXPECT_EQ(big.status, 413);
  auto fat = request(port(), "GET", "/", {{"X-Padding", std::string(64 << 10, 'a')}});
  EXPECT_EQ(fat.status, 431);
}

TEST_F(Http, OnlyTheRoutesThatTakeAWholeEventAcceptLargerBodies) {
  // A registrar's credentials for 30,000 voters are one event of about 2 MiB.
  const std::string two_mib(2 << 20, 'x');
  auto event = request(port(), "POST", "/api/v1/elections/999/events", {}, two_mib);
  EXPECT_NE(event.status, 413) << "the event route reads the whole body";
  EXPECT_EQ(event.status, 400) << event.body;  // and refuses it for what it is
  EXPECT_EQ(request(port(), "POST", "/api/v1/elections/999/role-keys", {}, two_mib).status, 413);
  EXPECT_EQ(request(port(), "GET", "/api/v1/elections/999/events", {}, two_mib).status, 413);
  EXPECT_EQ(request(port(), "POST", "/api/v1/elections/999/events", {}, std::string(17 << 20, 'x'))
                .status,
            413);
  EXPECT_EQ(request(port(), "GET", "/healthz").status, 200);
}

TEST_F(Http, AtMostFourLargeUploadsAreReadAtOnce) {
  const std::string head =
      "POST /api/v1/elections/999/events HTTP/1.1\r\nHost: veche\r\nContent-Length: 2000000\r\n"
      "\r\n{";
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(send_and_hold(port(), head));
    ASSERT_GE(held.back(), 0);
  }
  // A fifth gets 503 once the server has read the four headers (a try before that is cut short
  // by its own end of input and answered 400).
  HttpResponse busy;
  for (int i = 0; i < 100 && busy.status != 503; ++i) {
    busy = raw_request(port(), head);
    if (busy.status != 503) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(busy.status, 503) << busy.body;
  EXPECT_EQ(busy.header("retry-after"), "60");
  EXPECT_EQ(request(port(), "GET", "/healthz").status, 200);  // the rest of the site is served
  for (const int fd : held) ::close(fd);
  HttpResponse read;
  for (int i = 0; i < 100 && read.status != 400; ++i) {
    read = request(port(), "POST", "/api/v1/elections/999/events", {}, std::string(2 << 20, 'x'));
    if (read.status != 400) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(read.status, 400) << "uploads are read again once the four have gone";
}

TEST_F(Http, StaticFilesHaveETagsAndAnswer304) {
  auto r = request(port(), "GET", "/static/veche.css");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/css; charset=utf-8");
  const auto etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(r.header("cache-control").find("max-age"), std::string::npos);
  auto again = request(port(), "GET", "/static/veche.css", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(request(port(), "GET", "/static/../CMakeLists.txt").status, 404);
  EXPECT_EQ(request(port(), "GET", "/static/%2e%2e/%2e%2e/etc/passwd").status, 404);
}

TEST_F(Http, LanguageSwitchSetsACookieAndNeverRedirectsOffSite) {
  auto r = request(port(), "GET", "/lang/ru?back=/organizations");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/organizations");
  EXPECT_NE(r.header("set-cookie").find("lang=ru"), std::string::npos);
  EXPECT_EQ(request(port(), "GET", "/lang/ru?back=//evil.example/").header("location"), "/");
  EXPECT_EQ(request(port(), "GET", "/lang/ru?back=https://evil.example/").header("location"), "/");
  EXPECT_EQ(request(port(), "GET", "/lang/xx").status, 404);
}

TEST_F(Http, JsonApiListsOrganizationsAndTheCharter) {
  auto r = request(port(), "GET", "/api/v1/organizations?lang=ru");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_NE(r.body.find("\"slug\":\"volga-federalists\""), std::string::npos);
  auto one = request(port(), "GET", "/api/v1/organizations/legal-aid-abroad");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(request(port(), "GET", "/api/v1/organizations/NOPE!").status, 404);
  auto charter = request(port(), "GET", "/api/v1/charter");
  EXPECT_EQ(charter.status, 200);
  EXPECT_NE(charter.body.find("\"version\":1"), std::string::npos);
}

TEST_F(Http, CharterIsRenderedFromMarkdown) {
  auto r = request(port(), "GET", "/charter", {{"Accept-Language", "en"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<strong>Equality.</strong>"), std::string::npos);
}

TEST_F(Http, HealthAndReadiness) {
  EXPECT_EQ(request(port(), "GET", "/healthz").body, "ok\n");
  EXPECT_EQ(request(port(), "GET", "/readyz").status, 200);
  EXPECT_EQ(request(port(), "HEAD", "/").body, "");
}

TEST(HttpLifecycle, SigtermShutsDownGracefully) {
  ServerProcess server;
  ASSERT_EQ(request(server.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(server.terminate(), 0);
}

TEST(HttpLifecycle, AHalfRequestIsABadRequest) {
  ServerProcess server;
  auto cut = raw_request(server.port(), "GET / HT");
  EXPECT_EQ(cut.status, 400);
  EXPECT_EQ(request(server.port(), "GET", "/healthz").status, 200);
}

TEST(HttpLifecycle, ASlowClientIsCutOffAndOthersAreServed) {
  ServerProcess server({}, "request_timeout_seconds = 1\n");
  // Send half a request line and keep the connection open: the server must hang up on us
  // after its request timeout (our own receive timeout is a generous backstop).
  EXPECT_TRUE(server_hangs_up(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n", 10));
  EXPECT_EQ(request(server.port(), "GET", "/healthz").status, 200);
}

TEST(HttpLifecycle, ABadConfigurationStopsStartUpWithAClearMessage) {
  EXPECT_THROW(ServerProcess({}, "listen = 12\n"), std::runtime_error);
}

}  // namespace
}  // namespace veche::testing
