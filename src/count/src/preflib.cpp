// PrefLib readers: https://www.preflib.org/format (the 2022 format and the older one).
#include <algorithm>

#include "lexer.hpp"
#include "veche/count/formats.hpp"

namespace veche::count {
namespace {

using detail::excerpt;
using detail::is_digit;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

struct Lines {
  std::string_view text;
  std::size_t pos = 0;
  int line = 0;
  bool next(std::string_view& out) {
    if (pos >= text.size()) return false;
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    out = trim(text.substr(pos, e - pos));
    pos = e + 1;
    ++line;
    return true;
  }
};

Error at(int line, const std::string& what) {
  return invalid_argument("line " + std::to_string(line) + ": " + what);
}

Result<std::uint64_t> number(std::string_view s, int line, std::uint64_t max, const char* what) {
  s = trim(s);
  std::uint64_t v = 0;
  const char* e = detail::parse_uint(s.data(), s.data() + s.size(), max, v);
  if (e == nullptr || e != s.data() + s.size()) {
    return at(line, std::string("expected ") + what + ", got '" + excerpt(s) + "'");
  }
  return v;
}

// Parses "1,2,{3,4},5" into items.
Status order(std::string_view s, int line, std::size_t num_candidates, const ParseOptions& options,
             std::vector<Item>& out) {
  out.clear();
  std::size_t i = 0;
  bool in_group = false;
  bool group_first = false;
  while (i < s.size()) {
    const char ch = s[i];
    if (ch == ' ' || ch == '\t' || ch == ',') {
      ++i;
      continue;
    }
    if (ch == '{') {
      if (in_group) return at(line, "nested '{'");
      in_group = true;
      group_first = true;
      ++i;
      continue;
    }
    if (ch == '}') {
      if (!in_group) return at(line, "'}' without '{'");
      in_group = false;
      ++i;
      continue;
    }
    if (!is_digit(ch)) return at(line, "unexpected '" + excerpt(s.substr(i, 1)) + "'");
    std::uint64_t v = 0;
    const char* e = detail::parse_uint(s.data() + i, s.data() + s.size(), 1u << 20, v);
    if (e == nullptr) return at(line, "alternative number too large");
    i = static_cast<std::size_t>(e - s.data());
    if (v == 0 || v > num_candidates) {
      if (options.write_in != ParseOptions::WriteIn::kIgnore || v == 0) {
        return at(line, "alternative " + std::to_string(v) + " is not between 1 and " +
                            std::to_string(num_candidates));
      }
      continue;  // a dropped write-in leaves no blank rank behind
    }
    const auto item = static_cast<Item>(v - 1);
    const bool tied = in_group && !group_first;
    group_first = false;
    out.push_back(static_cast<Item>(item | (tied ? kTiedWithPrevious : 0)));
    if (out.size() > kMaxBallotLength) return at(line, "ranking too long");
  }
  if (in_group) return at(line, "'{' without '}'");
  return ok();
}

}  // namespace

Result<Profile> parse_preflib(std::string_view text, const ParseOptions& options) {
  Lines lines{text};
  std::string_view l;
  ProfileBuilder builder;
  Profile& profile = builder.profile();
  std::vector<Item> items;
  // Skip leading blank lines to detect the format.
  std::size_t first = 0;
  while (first < text.size() && (text[first] == ' ' || text[first] == '\n' || text[first] == '\r' ||
                                 text[first] == '\t')) {
    ++first;
  }
  const bool modern = first < text.size() && text[first] == '#';
  std::size_t declared = 0;
  if (modern) {
    std::vector<std::string> names;
    bool have_count = false;
    while (lines.next(l)) {
      if (l.empty()) continue;
      if (l.front() == '#') {
        std::string_view body = trim(l.substr(1));
        if (body.rfind("TITLE:", 0) == 0) {
          profile.title = std::string(trim(body.substr(6)));
        } else if (body.rfind("NUMBER ALTERNATIVES:", 0) == 0) {
          VECHE_ASSIGN_OR_RETURN(declared, number(body.substr(20), lines.line, kMaxCandidates + 1,
                                                  "the number of alternatives"));
          if (declared > kMaxCandidates) return too_large("too many alternatives");
          names.resize(declared);
          have_count = true;
        } else if (body.rfind("ALTERNATIVE NAME ", 0) == 0) {
          std::string_view rest = body.substr(17);
          const std::size_t colon = rest.find(':');
          if (colon == std::string_view::npos)
            return at(lines.line, "expected ':' after the number");
          VECHE_ASSIGN_OR_RETURN(std::uint64_t i, number(rest.substr(0, colon), lines.line,
                                                         1u << 20, "an alternative number"));
          if (!have_count || i == 0 || i > declared) {
            return at(lines.line, "alternative " + std::to_string(i) + " outside 1.." +
                                      std::to_string(declared));
          }
          names[i - 1] = std::string(trim(rest.substr(colon + 1)));
        }
        continue;
      }
      if (!have_count) return at(lines.line, "ballots before '# NUMBER ALTERNATIVES:'");
      const std::size_t colon = l.find(':');
      if (colon == std::string_view::npos) return at(lines.line, "expected 'count: order'");
      VECHE_ASSIGN_OR_RETURN(std::uint64_t count, number(l.substr(0, colon), lines.line,
                                                         kMaxTotalWeight, "a voter count"));
      VECHE_TRY(order(l.substr(colon + 1), lines.line, declared, options, items));
      if (count > 0) VECHE_TRY(builder.add(items, count));
    }
    if (!have_count) return at(lines.line, "missing '# NUMBER ALTERNATIVES:'");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i].empty()) names[i] = "Alternative " + std::to_string(i + 1);
    }
    profile.candidates = std::move(names);
  } else {
    // Old format: count; i,name lines; voters,sum,unique; count,order lines.
    while (lines.next(l) && l.empty()) {
    }
    if (l.empty()) return at(lines.line, "empty file");
    VECHE_ASSIGN_OR_RETURN(declared,
                           number(l, lines.line, kMaxCandidates + 1, "the number of alternatives"));
    if (declared > kMaxCandidates) return too_large("too many alternatives");
    if (declared == 0) return at(lines.line, "no alternatives");
    profile.candidates.resize(declared);
    for (std::size_t i = 0; i < declared; ++i) {
      if (!lines.next(l)) return at(lines.line, "missing alternative names");
      const std::size_t comma = l.find(',');
      if (comma == std::string_view::npos) return at(lines.line, "expected 'number,name'");
      VECHE_ASSIGN_OR_RETURN(std::uint64_t k, number(l.substr(0, comma), lines.line, 1u << 20,
                                                     "an alternative number"));
      if (k == 0 || k > declared) return at(lines.line, "alternative number out of range");
      profile.candidates[k - 1] = std::string(trim(l.substr(comma + 1)));
    }
    if (!lines.next(l)) return at(lines.line, "missing the voters,sum,unique line");
    while (lines.next(l)) {
      if (l.empty()) continue;
      const std::size_t comma = l.find(',');
      std::string_view count_part = comma == std::string_view::npos ? l : l.substr(0, comma);
      VECHE_ASSIGN_OR_RETURN(std::uint64_t count,
                             number(count_part, lines.line, kMaxTotalWeight, "a voter count"));
      VECHE_TRY(order(comma == std::string_view::npos ? std::string_view() : l.substr(comma + 1),
                      lines.line, declared, options, items));
      if (count > 0) VECHE_TRY(builder.add(items, count));
    }
    for (std::size_t i = 0; i < declared; ++i) {
      if (profile.candidates[i].empty()) {
        profile.candidates[i] = "Alternative " + std::to_string(i + 1);
      }
    }
  }
  if (profile.candidates.empty()) return invalid_argument("line 1: no alternatives");
  profile.withdrawn.assign(profile.candidates.size(), false);
  profile.seats = 1;
  return builder.finish();
}

}  // namespace veche::count
