#include "veche/decisions/rules.hpp"

#include <fmt/format.h>

#include <array>

namespace veche::decisions {
namespace {

constexpr std::array kRuleNames = {"consensus", "qualified-majority", "unanimity"};
constexpr std::array kChoiceNames = {"yes", "no", "abstain", "objection"};
constexpr std::array kOutcomeNames = {"passed", "failed", "no-quorum"};

// ceil(f * n) for 0 <= f <= 1 and n >= 0, in integers.
std::int64_t ceil_share(Fraction f, std::int64_t n) { return (f.num * n + f.den - 1) / f.den; }

std::string organizations(std::int64_t n) {
  return n == 1 ? "1 organization" : fmt::format("{} organizations", n);
}

}  // namespace

std::string_view rule_kind_name(RuleKind kind) {
  return kRuleNames[static_cast<std::size_t>(kind)];
}

std::optional<RuleKind> parse_rule_kind(std::string_view name) {
  for (std::size_t i = 0; i < kRuleNames.size(); ++i) {
    if (name == kRuleNames[i]) return static_cast<RuleKind>(i);
  }
  return std::nullopt;
}

std::string_view vote_choice_name(VoteChoice choice) {
  return kChoiceNames[static_cast<std::size_t>(choice)];
}

std::optional<VoteChoice> parse_vote_choice(std::string_view name) {
  for (std::size_t i = 0; i < kChoiceNames.size(); ++i) {
    if (name == kChoiceNames[i]) return static_cast<VoteChoice>(i);
  }
  return std::nullopt;
}

std::string_view outcome_name(Outcome outcome) {
  return kOutcomeNames[static_cast<std::size_t>(outcome)];
}

std::optional<Outcome> parse_outcome(std::string_view name) {
  for (std::size_t i = 0; i < kOutcomeNames.size(); ++i) {
    if (name == kOutcomeNames[i]) return static_cast<Outcome>(i);
  }
  return std::nullopt;
}

Result<DecisionRule> normalize_rule(const DecisionRule& rule) {
  DecisionRule r = rule;
  switch (r.kind) {
    case RuleKind::kUnanimity:
      return DecisionRule{RuleKind::kUnanimity, {1, 1}, {1, 1}};
    case RuleKind::kConsensus:
      r.majority = {0, 1};
      break;
    case RuleKind::kQualifiedMajority:
      if (r.majority.den < 1 || r.majority.den > kMaxDenominator) {
        return invalid_argument(
            fmt::format("The majority's denominator must be between 1 and {}.", kMaxDenominator));
      }
      if (r.majority.num * 2 <= r.majority.den || r.majority.num > r.majority.den) {
        return invalid_argument(
            "A qualified majority must be more than one half and at most all organizations.");
      }
      break;
  }
  if (r.quorum.den < 1 || r.quorum.den > kMaxDenominator) {
    return invalid_argument(
        fmt::format("The quorum's denominator must be between 1 and {}.", kMaxDenominator));
  }
  if (r.quorum.num < 0 || r.quorum.num > r.quorum.den) {
    return invalid_argument("The quorum must be between 0 and all organizations.");
  }
  return r;
}

std::string describe_rule(const DecisionRule& rule) {
  switch (rule.kind) {
    case RuleKind::kUnanimity:
      return "unanimity";
    case RuleKind::kConsensus:
      return fmt::format("consensus, quorum {}/{}", rule.quorum.num, rule.quorum.den);
    case RuleKind::kQualifiedMajority:
      return fmt::format("qualified majority {}/{}, quorum {}/{}", rule.majority.num,
                         rule.majority.den, rule.quorum.num, rule.quorum.den);
  }
  return "unknown";
}

Result<Decision> decide(const DecisionRule& raw_rule, std::span<const VoteChoice> votes,
                        std::int64_t member_count) {
  VECHE_ASSIGN_OR_RETURN(const DecisionRule rule, normalize_rule(raw_rule));
  if (member_count < 1) return invalid_argument("A decision needs at least one organization.");
  const auto voted = static_cast<std::int64_t>(votes.size());
  if (voted > member_count) {
    return invalid_argument("More votes than member organizations.");
  }
  Decision d;
  for (VoteChoice v : votes) {
    switch (v) {
      case VoteChoice::kYes:
        ++d.tally.yes;
        break;
      case VoteChoice::kNo:
        ++d.tally.no;
        break;
      case VoteChoice::kAbstain:
        ++d.tally.abstain;
        break;
      case VoteChoice::kObjection:
        ++d.tally.objection;
        break;
    }
  }
  d.tally.absent = member_count - voted;

  const std::int64_t quorum = ceil_share(rule.quorum, member_count);
  if (voted < quorum) {
    d.outcome = Outcome::kNoQuorum;
    d.reason = fmt::format("quorum not reached: {} of {} voted, {} needed", organizations(voted),
                           member_count, quorum);
    return d;
  }
  switch (rule.kind) {
    case RuleKind::kConsensus:
      if (d.tally.objection > 0) {
        d.outcome = Outcome::kFailed;
        d.reason = fmt::format("blocked: {} objected", organizations(d.tally.objection));
      } else if (d.tally.yes == 0) {
        d.outcome = Outcome::kFailed;
        d.reason = "no objection, but no organization voted yes";
      } else {
        d.outcome = Outcome::kPassed;
        d.reason = fmt::format("no objection; {} voted yes", organizations(d.tally.yes));
      }
      break;
    case RuleKind::kQualifiedMajority: {
      const std::int64_t needed = ceil_share(rule.majority, member_count);
      d.outcome = d.tally.yes >= needed ? Outcome::kPassed : Outcome::kFailed;
      d.reason =
          fmt::format("{} of {} voted yes, {} needed ({}/{} of all)", organizations(d.tally.yes),
                      member_count, needed, rule.majority.num, rule.majority.den);
      break;
    }
    case RuleKind::kUnanimity:
      if (d.tally.yes == member_count) {
        d.outcome = Outcome::kPassed;
        d.reason = fmt::format("all {} voted yes", organizations(member_count));
      } else {
        d.outcome = Outcome::kFailed;
        d.reason = fmt::format("not unanimous: {} of {} voted yes", organizations(d.tally.yes),
                               member_count);
      }
      break;
  }
  return d;
}

}  // namespace veche::decisions
