// Helpers for the count tests: reading the shared election files and small profiles.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"

namespace veche::count::testing {

inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("VECHE_SHARED_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return VECHE_SHARED_DIR;
}

inline std::filesystem::path elections_dir() { return shared_dir() / "data" / "elections"; }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Trims and collapses runs of blanks (some published names carry extra spaces).
inline std::string trim(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool blank = c == ' ' || c == '\t' || c == '\r';
    if (blank) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

inline Profile blt(const std::string& text) {
  auto p = parse_blt(text);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p ? *p : Profile{};
}

inline std::vector<std::string> winner_names(const Report& r) {
  std::vector<std::string> out;
  for (int w : r.winners) out.push_back(trim(r.candidates[static_cast<std::size_t>(w)]));
  return out;
}

inline Report must(Result<Report> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : Report{};
}

}  // namespace veche::count::testing
