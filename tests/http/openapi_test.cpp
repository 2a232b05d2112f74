// docs/api/openapi.yaml and the router must describe the same API: a new /api route without
// documentation, or documentation of a route that does not exist, fails here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "veche/core/clock.hpp"
#include "veche/crypto/random.hpp"
#include "veche/http/site.hpp"
#include "veche/registry/registry.hpp"

namespace veche::http {
namespace {

std::set<std::string> documented_operations() {
  std::ifstream in(VECHE_SOURCE_DIR "/docs/api/openapi.yaml");
  std::set<std::string> ops;
  std::string line, path;
  const std::regex path_re(R"(^  (/api/[^:]*):\s*$)");
  const std::regex op_re(R"(^    (get|post|put|patch|delete):\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (!path.empty() && std::regex_match(line, m, op_re)) {
      std::string verb = m[1];
      for (auto& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.insert(verb + " " + path);
    } else if (!line.empty() && line[0] != ' ') {
      path.clear();
    }
  }
  return ops;
}

TEST(OpenApi, DocumentsExactlyTheRoutesUnderApi) {
  auto db = store::open(":memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE(store::migrate(**db, registry::migrations()));
  core::ManualClock clock(core::from_unix(0));
  ASSERT_TRUE(crypto::initialize());
  const auto key = std::filesystem::temp_directory_path() /
                   ("veche-openapi-" + std::to_string(::getpid()) + ".key");
  SiteOptions o;
  o.web_root = VECHE_SOURCE_DIR "/web";
  o.locale_dir = VECHE_LOCALE_DIR;
  o.data_key_file = key.string();
  auto site = Site::create(o, **db, clock);
  std::filesystem::remove(key);
  ASSERT_TRUE(site) << site.error().message;
  std::set<std::string> routed;
  for (const auto& r : (*site)->router().routes()) {
    if (r.pattern.starts_with("/api/"))
      routed.insert(std::string(method_name(r.method)) + " " + r.pattern);
  }
  const auto documented = documented_operations();
  ASSERT_FALSE(documented.empty()) << "docs/api/openapi.yaml lists no operations";
  for (const auto& op : routed) EXPECT_TRUE(documented.count(op)) << op << " is not documented";
  for (const auto& op : documented) EXPECT_TRUE(routed.count(op)) << op << " has no route";
}

// The mistake that made the file unreadable to YAML tools while the test above passed: a plain
// (unquoted) one-line value with ": " or " #" in it, which YAML reads as a mapping or a comment.
TEST(OpenApi, OneLineValuesWithColonsOrHashesAreQuoted) {
  std::ifstream in(VECHE_SOURCE_DIR "/docs/api/openapi.yaml");
  ASSERT_TRUE(in);
  const std::regex plain(R"(^\s*(?:- )?(summary|description|title): ([^"'|>{\[].*)$)");
  std::string line;
  std::smatch m;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!std::regex_match(line, m, plain)) continue;
    const std::string value = m[2];
    EXPECT_TRUE(value.find(": ") == std::string::npos && value.find(" #") == std::string::npos)
        << "docs/api/openapi.yaml:" << n << ": quote this value: " << line;
  }
}

}  // namespace
}  // namespace veche::http
