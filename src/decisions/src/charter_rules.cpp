#include "veche/decisions/charter_rules.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string>

#include "veche/core/text.hpp"

namespace veche::decisions {
namespace {

constexpr std::size_t kMaxNamedRules = 16;
constexpr std::string_view kFence = "```";
constexpr std::string_view kBlockTag = "decision-rules";

bool consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// "N/D" at the start of `s`, consumed.
bool consume_fraction(std::string_view& s, Fraction& f) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, f.num);
  if (ec != std::errc{} || p == end || *p != '/') return false;
  auto [q, ec2] = std::from_chars(p + 1, end, f.den);
  if (ec2 != std::errc{}) return false;
  s.remove_prefix(static_cast<std::size_t>(q - s.data()));
  return true;
}

Error bad_rule(std::string_view text) {
  return invalid_argument(fmt::format(
      "\"{}\" is not a decision rule; write \"consensus, quorum 1/2\", \"qualified majority "
      "2/3, quorum 1/2\" or \"unanimity\".",
      text.substr(0, 80)));
}

// Whether `rule` (normalized) passes a tally of `members` organizations where `voted` voted,
// `yes` of them yes, and `objected` says whether any objected. Agrees with decide().
bool passes(const DecisionRule& rule, std::int64_t yes, std::int64_t voted, bool objected,
            std::int64_t members) {
  const auto ceil_share = [members](Fraction f) { return (f.num * members + f.den - 1) / f.den; };
  if (voted < ceil_share(rule.quorum)) return false;
  switch (rule.kind) {
    case RuleKind::kConsensus:
      return !objected && yes > 0;
    case RuleKind::kQualifiedMajority:
      return yes >= ceil_share(rule.majority);
    case RuleKind::kUnanimity:
      return yes == members;
  }
  return false;
}

// Every distinct tally, as (yes, voted, objected): what decide() depends on. `f` returns false
// to stop.
template <typename F>
void for_each_tally(std::int64_t members, F&& f) {
  for (std::int64_t voted = 0; voted <= members; ++voted) {
    for (std::int64_t yes = 0; yes <= voted; ++yes) {
      if (!f(yes, voted, false)) return;
      if (yes < voted && !f(yes, voted, true)) return;
    }
  }
}

std::int64_t passing_tallies(const DecisionRule& rule, std::int64_t members) {
  std::int64_t n = 0;
  for_each_tally(members, [&](std::int64_t yes, std::int64_t voted, bool objected) {
    n += passes(rule, yes, voted, objected, members) ? 1 : 0;
    return true;
  });
  return n;
}

}  // namespace

Result<DecisionRule> parse_rule(std::string_view text) {
  std::string_view s = core::trim(text);
  DecisionRule rule;
  if (s == "unanimity") return normalize_rule(DecisionRule{RuleKind::kUnanimity, {1, 1}, {1, 1}});
  if (consume(s, "consensus")) {
    rule.kind = RuleKind::kConsensus;
    rule.majority = {0, 1};
  } else if (consume(s, "qualified majority ")) {
    rule.kind = RuleKind::kQualifiedMajority;
    if (!consume_fraction(s, rule.majority)) return bad_rule(text);
  } else {
    return bad_rule(text);
  }
  if (!consume(s, ", quorum ") || !consume_fraction(s, rule.quorum) || !s.empty()) {
    return bad_rule(text);
  }
  return normalize_rule(rule);
}

Result<std::vector<DecisionRule>> charter_rules(std::string_view md) {
  std::vector<DecisionRule> rules;
  bool inside = false;
  std::size_t line_no = 0;
  while (!md.empty()) {
    const auto nl = md.find('\n');
    std::string_view line = md.substr(0, nl);
    md = nl == std::string_view::npos ? std::string_view{} : md.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view t = core::trim(line);
    if (!inside) {
      if (t.starts_with(kFence) && core::trim(t.substr(kFence.size())) == kBlockTag) inside = true;
      continue;
    }
    if (t.starts_with(kFence)) return rules;
    if (t.empty() || t.starts_with('#')) continue;
    auto rule = parse_rule(t);
    if (!rule) {
      return invalid_argument(fmt::format("Charter line {}: {}", line_no, rule.error().message));
    }
    bool seen = false;
    for (const auto& r : rules) seen = seen || r == *rule;
    if (seen) continue;
    if (rules.size() == kMaxNamedRules) {
      return invalid_argument(fmt::format("Charter line {}: a charter may name at most {} rules.",
                                          line_no, kMaxNamedRules));
    }
    rules.push_back(*rule);
  }
  if (inside) return invalid_argument("The charter's decision-rules block is not closed (```).");
  return rules;
}

bool at_least_as_strict(const DecisionRule& a, const DecisionRule& b, std::int64_t members) {
  bool holds = true;
  for_each_tally(members, [&](std::int64_t yes, std::int64_t voted, bool objected) {
    holds = !passes(a, yes, voted, objected, members) || passes(b, yes, voted, objected, members);
    return holds;
  });
  return holds;
}

DecisionRule strictest_rule(std::span<const DecisionRule> named, std::int64_t members) {
  if (named.empty()) return DecisionRule{RuleKind::kUnanimity, {1, 1}, {1, 1}};
  for (const auto& candidate : named) {
    bool strictest = true;
    for (const auto& other : named) {
      strictest = strictest && at_least_as_strict(candidate, other, members);
    }
    if (strictest) return candidate;
  }
  const DecisionRule* best = &named.front();
  std::int64_t best_count = passing_tallies(*best, members);
  for (const auto& r : named.subspan(1)) {
    const std::int64_t c = passing_tallies(r, members);
    if (c < best_count) {
      best = &r;
      best_count = c;
    }
  }
  return *best;
}

}  // namespace veche::decisions
