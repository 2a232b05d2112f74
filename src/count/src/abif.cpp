// ABIF reader: the Aggregated Ballot Information Format (https://electorama.com/abif).
#include <algorithm>
#include <unordered_map>

#include "lexer.hpp"
#include "veche/count/formats.hpp"

namespace veche::count {
namespace {

using detail::excerpt;
using detail::is_digit;

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-' ||
         c == '.' || (static_cast<unsigned char>(c) >= 0x80);
}

Error at(int line, const std::string& what) {
  return invalid_argument("line " + std::to_string(line) + ": " + what);
}

struct AbifParser {
  std::string_view text;
  const ParseOptions& options;
  std::unordered_map<std::string, Item> ids;
  std::vector<std::string> names;
  bool declared_any = false;

  // Reads a candidate reference at s[i]: a token or a [bracketed name].
  Result<std::string> reference(std::string_view s, std::size_t& i, int line) {
    if (i >= s.size()) return at(line, "expected a candidate");
    if (s[i] == '[') {
      const std::size_t close = s.find(']', i + 1);
      if (close == std::string_view::npos) return at(line, "'[' without ']'");
      std::string name(s.substr(i + 1, close - i - 1));
      i = close + 1;
      return name;
    }
    const std::size_t start = i;
    while (i < s.size() && is_token_char(s[i])) ++i;
    if (i == start) return at(line, "expected a candidate, got '" + excerpt(s.substr(i)) + "'");
    return std::string(s.substr(start, i - start));
  }

  Result<Item> lookup(const std::string& ref, int line) {
    auto it = ids.find(ref);
    if (it != ids.end()) return it->second;
    if (declared_any && options.write_in != ParseOptions::WriteIn::kAccept) {
      if (options.write_in == ParseOptions::WriteIn::kIgnore) return kSkippedRank;
      return at(line, "undeclared candidate '" + excerpt(ref) + "'");
    }
    if (names.size() >= kMaxCandidates) return too_large("too many candidates");
    const auto id = static_cast<Item>(names.size());
    ids.emplace(ref, id);
    names.push_back(ref);
    return id;
  }

  Status declaration(std::string_view l, int line) {
    std::size_t i = 1;
    VECHE_ASSIGN_OR_RETURN(std::string token, reference(l, i, line));
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    std::string full = token;
    if (i < l.size() && l[i] == ':') {
      ++i;
      while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
      if (i < l.size() && l[i] == '[') {
        VECHE_ASSIGN_OR_RETURN(full, reference(l, i, line));
      } else {
        full = std::string(l.substr(i));
        while (!full.empty() && (full.back() == ' ' || full.back() == '\r')) full.pop_back();
      }
    }
    if (ids.count(token) != 0) return at(line, "candidate '" + excerpt(token) + "' declared twice");
    if (names.size() >= kMaxCandidates) return too_large("too many candidates");
    declared_any = true;
    ids.emplace(token, static_cast<Item>(names.size()));
    if (full != token) ids.emplace(full, static_cast<Item>(names.size()));
    names.push_back(full);
    return ok();
  }

  Result<Profile> run() {
    ProfileBuilder builder;
    std::vector<Item> items;
    std::vector<std::int32_t> ratings;
    std::vector<char> has_rating;
    std::size_t pos = 0;
    int line = 0;
    bool any_rated = false;
    struct Pending {
      std::vector<Item> items;
      std::vector<std::int32_t> ratings;
      std::uint64_t count;
      bool rated;
    };
    // Ballots are kept until the end so that candidates declared or first seen later still get
    // stable indices; the builder groups them afterwards.
    std::vector<Pending> pending;
    std::uint64_t total = 0;
    while (pos < text.size()) {
      std::size_t e = text.find('\n', pos);
      if (e == std::string_view::npos) e = text.size();
      std::string_view l = text.substr(pos, e - pos);
      pos = e + 1;
      ++line;
      // Strip a comment (outside brackets) and blanks.
      {
        bool in_bracket = false;
        for (std::size_t i = 0; i < l.size(); ++i) {
          if (l[i] == '[') in_bracket = true;
          if (l[i] == ']') in_bracket = false;
          if (l[i] == '#' && !in_bracket) {
            l = l.substr(0, i);
            break;
          }
        }
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
        while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) {
          l.remove_suffix(1);
        }
      }
      if (l.empty() || l.front() == '{') continue;  // metadata lines carry no ballots
      if (l.front() == '=') {
        if (!pending.empty() && !declared_any && !names.empty()) {
          return at(line, "candidate declarations must come before the ballots");
        }
        VECHE_TRY(declaration(l, line));
        continue;
      }
      if (!is_digit(l.front()))
        return at(line, "expected a ballot count, got '" + excerpt(l) + "'");
      std::size_t i = 0;
      std::uint64_t count = 0;
      const char* ce = detail::parse_uint(l.data(), l.data() + l.size(), kMaxTotalWeight, count);
      if (ce == nullptr) return at(line, "ballot count too large");
      i = static_cast<std::size_t>(ce - l.data());
      if (i >= l.size() || (l[i] != ':' && l[i] != '*')) {
        return at(line, "expected ':' or '*' after the ballot count");
      }
      ++i;
      total += count;
      if (total > kMaxTotalWeight)
        return too_large("more than " + std::to_string(kMaxTotalWeight) + " ballots in total");
      items.clear();
      ratings.clear();
      bool rated = false;
      bool ordered = false;
      char separator = '>';
      for (bool after_separator = false;; after_separator = true) {
        while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
        if (i >= l.size()) {
          if (after_separator)
            return at(line, "expected a candidate after '" + std::string(1, separator) + "'");
          break;
        }
        VECHE_ASSIGN_OR_RETURN(std::string ref, reference(l, i, line));
        VECHE_ASSIGN_OR_RETURN(Item c, lookup(ref, line));
        std::int32_t rating = 0;
        while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
        if (i < l.size() && l[i] == '/') {
          ++i;
          while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
          std::uint64_t r = 0;
          const char* re = detail::parse_uint(l.data() + i, l.data() + l.size(), 1u << 30, r);
          if (re == nullptr) return at(line, "expected a rating after '/'");
          i = static_cast<std::size_t>(re - l.data());
          rating = static_cast<std::int32_t>(r);
          rated = true;
          while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
        }
        if (c != kSkippedRank) {
          const bool tied = !items.empty() && separator != '>';
          items.push_back(static_cast<Item>(c | (tied ? kTiedWithPrevious : 0)));
          ratings.push_back(rating);
          if (items.size() > kMaxBallotLength) return at(line, "ballot too long");
        }
        if (i >= l.size()) break;
        if (l[i] != '>' && l[i] != '=' && l[i] != ',') {
          return at(line, "expected '>', '=' or ',' but got '" + excerpt(l.substr(i, 1)) + "'");
        }
        separator = l[i];
        if (separator == '>') ordered = true;
        ++i;
      }
      if (rated && !ordered && items.size() > 1) {
        // A score ballot: its order is the order of the ratings (equal ratings tie).
        std::vector<std::size_t> idx(items.size());
        for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
        std::stable_sort(idx.begin(), idx.end(),
                         [&](std::size_t a, std::size_t b) { return ratings[a] > ratings[b]; });
        std::vector<Item> sorted_items;
        std::vector<std::int32_t> sorted_ratings;
        for (std::size_t k = 0; k < idx.size(); ++k) {
          const bool tied = k > 0 && ratings[idx[k]] == ratings[idx[k - 1]];
          sorted_items.push_back(
              static_cast<Item>(candidate_of(items[idx[k]]) | (tied ? kTiedWithPrevious : 0)));
          sorted_ratings.push_back(ratings[idx[k]]);
        }
        items = std::move(sorted_items);
        ratings = std::move(sorted_ratings);
      }
      any_rated = any_rated || rated;
      pending.push_back({items, ratings, count, rated});
    }
    if (names.empty()) return at(line, "no candidates");
    for (auto& b : pending) {
      if (b.count == 0) continue;
      if (any_rated) {
        VECHE_TRY(builder.add(b.items, b.count, b.ratings));
      } else {
        VECHE_TRY(builder.add(b.items, b.count));
      }
    }
    Profile out = builder.finish();
    out.candidates = names;
    out.withdrawn.assign(names.size(), false);
    out.seats = 1;
    return out;
  }
};

}  // namespace

Result<Profile> parse_abif(std::string_view text, const ParseOptions& options) {
  AbifParser parser{text, options, {}, {}, false};
  return parser.run();
}

Result<Format> format_from_name(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    if (name.size() < ext.size()) return false;
    auto tail = name.substr(name.size() - ext.size());
    return std::equal(tail.begin(), tail.end(), ext.begin(), [](char a, char b) {
      return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
    });
  };
  if (ends(".blt")) return Format::kBlt;
  if (ends(".soc") || ends(".soi") || ends(".toc") || ends(".toi")) return Format::kPrefLib;
  if (ends(".abif")) return Format::kAbif;
  return invalid_argument("unknown ballot file type '" + std::string(name) +
                          "' (expected .blt, .soc, .soi, .toc, .toi or .abif)");
}

Result<Profile> parse(Format format, std::string_view text, const ParseOptions& options) {
  switch (format) {
    case Format::kBlt:
      return parse_blt(text, options);
    case Format::kPrefLib:
      return parse_preflib(text, options);
    case Format::kAbif:
      return parse_abif(text, options);
  }
  return invalid_argument("unknown format");
}

}  // namespace veche::count
