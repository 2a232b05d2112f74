// The site against a real SQLite database with the demo coalition, without a socket.
#include "veche/http/site.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "veche/agenda/outbox.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/conversations/conversations.hpp"
#include "veche/coordination/coordination.hpp"
#include "veche/crypto/random.hpp"
#include "veche/decisions/log.hpp"
#include "veche/elections/elections.hpp"
#include "veche/registry/registry.hpp"

namespace veche::http {
namespace {

class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("veche-site-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto db = store::open((dir_ / "v.db").string());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::migrate(*db_, registry::migrations()));
    ASSERT_TRUE(store::migrate(*db_, agenda::migrations()));
    ASSERT_TRUE(store::migrate(*db_, decisions::migrations()));
    ASSERT_TRUE(store::migrate(*db_, coordination::migrations()));
    ASSERT_TRUE(store::migrate(*db_, campaigns::migrations()));
    ASSERT_TRUE(store::migrate(*db_, conversations::migrations()));
    ASSERT_TRUE(store::migrate(*db_, elections::migrations()));
    ASSERT_TRUE(registry::load_demo(*db_, clock_));
    SiteOptions o;
    o.web_root = VECHE_SOURCE_DIR "/web";
    o.locale_dir = VECHE_LOCALE_DIR;
    o.version = "test";
    o.data_key_file = (dir_ / "data.key").string();
    ASSERT_TRUE(crypto::initialize());
    auto site = Site::create(o, *db_, clock_);
    ASSERT_TRUE(site) << site.error().message;
    site_ = std::move(*site);
  }
  void TearDown() override {
    site_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  Response get(std::string path, std::string lang = "en") {
    Request r;
    r.path = std::move(path);
    r.headers["accept-language"] = std::move(lang);
    r.request_id = "t";
    return site_->handle(r);
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Site> site_;
};

TEST_F(SiteTest, HomePageEscapesWhatOrganizationsWrite) {
  registry::Registry reg(*db_, clock_);
  ASSERT_TRUE(reg.add_organization(
      {"xss-test", {"<script>alert(1)</script> Group", ""}, {"a & b", ""}, ""}));
  auto r = get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt; Group"), std::string::npos);
}

TEST_F(SiteTest, MalformedRequestsAreAnswered400InTheReadersLanguage) {
  Request r;
  r.malformed = "the request path is not valid percent-encoded UTF-8";
  r.headers["accept-language"] = "ru";
  auto res = site_->handle(r);
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("путь запроса"), std::string::npos);
}

TEST_F(SiteTest, ErrorCodesMapToOneStatusTable) {
  EXPECT_EQ(status_for(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(status_for(ErrorCode::kNotFound), 404);
  EXPECT_EQ(status_for(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(status_for(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(status_for(ErrorCode::kUnavailable), 503);
}

TEST_F(SiteTest, EveryGetRouteAnswersWithoutAServerError) {
  for (const auto& route : site_->router().routes()) {
    if (route.method != Method::kGet) continue;
    std::string path = route.pattern;
    for (auto pos = path.find('{'); pos != std::string::npos; pos = path.find('{')) {
      path.replace(pos, path.find('}') - pos + 1, "legal-aid-abroad");
    }
    for (const char* lang : {"en", "ru"}) {
      auto r = get(path, lang);
      EXPECT_LT(r.status, 500) << path << " " << lang;
    }
  }
}

}  // namespace
}  // namespace veche::http
