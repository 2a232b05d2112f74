#include "veche/core/config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace veche::core {
namespace {

TEST(Config, TomlOverridesDefaults) {
  Config c;
  ASSERT_TRUE(apply_toml(c, "listen = \"0.0.0.0:9000\"\ndb = \"/var/lib/veche/v.db\"\nthreads = 4\n"));
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.db, "/var/lib/veche/v.db");
  EXPECT_EQ(c.threads, 4u);
}

TEST(Config, UnknownKeyIsAnErrorThatNamesIt) {
  Config c;
  auto s = apply_toml(c, "lisen = \"0.0.0.0:9000\"\n");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("lisen"), std::string::npos);
}

TEST(Config, WrongTypeAndBadSyntaxAreErrors) {
  Config c;
  EXPECT_FALSE(apply_toml(c, "threads = \"four\"\n"));
  EXPECT_FALSE(apply_toml(c, "threads = -1\n"));
  auto s = apply_toml(c, "listen = \n");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("line 1"), std::string::npos);
}

TEST(Config, EnvironmentOverridesTheFile) {
  Config c;
  ASSERT_TRUE(apply_toml(c, "listen = \"127.0.0.1:1\"\nlog_addresses = false\n"));
  std::map<std::string, std::string> env{{"VECHE_LISTEN", "[::1]:8443"},
                                         {"VECHE_LOG_ADDRESSES", "yes"}};
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  ASSERT_TRUE(apply_env(c, get));
  EXPECT_EQ(c.listen, "[::1]:8443");
  EXPECT_TRUE(c.log_addresses);
  env["VECHE_THREADS"] = "many";
  EXPECT_FALSE(apply_env(c, get));
}

TEST(Config, ParsesHostAndPort) {
  auto a = parse_host_port("127.0.0.1:8080");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  auto b = parse_host_port("[::1]:0");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_FALSE(parse_host_port("localhost"));
  EXPECT_FALSE(parse_host_port("localhost:99999"));
  EXPECT_FALSE(parse_host_port("[::1]8080"));
  EXPECT_FALSE(parse_host_port(":80"));
}

TEST(Config, RejectsUnknownLogLevelAndLanguage) {
  Config c;
  c.log_level = "loud";
  EXPECT_FALSE(validate(c));
  c.log_level = "info";
  c.default_language = "de";
  EXPECT_FALSE(validate(c));
}

}  // namespace
}  // namespace veche::core
