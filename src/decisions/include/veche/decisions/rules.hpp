// Decision rules of coalition motions and the pure function that applies them.
//
// Every member organization has one vote: yes, no, abstain or objection (a reasoned block).
// An organization that did not vote is absent. decide() turns a rule, the votes cast and the
// number of member organizations into an outcome with its reason (docs/decisions.md):
//
// 1. Quorum, for every rule: at least ceil(quorum * members) organizations voted (any
//    choice); otherwise the outcome is "no quorum". A quorum of 0/1 means none is needed.
//    Unanimity always has the quorum 1/1: every member organization must vote.
// 2. Consensus: passes when no organization objects and at least one votes yes.
// 3. Qualified majority num/den: passes when at least ceil(num/den * members) organizations
//    vote yes: a fraction of all member organizations, not of the votes cast. An objection
//    counts as a no.
// 4. Unanimity: passes when every member organization votes yes (an abstention, a no or an
//    objection fails it).
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"

namespace veche::decisions {

enum class RuleKind { kConsensus, kQualifiedMajority, kUnanimity };

// "consensus", "qualified-majority", "unanimity".
std::string_view rule_kind_name(RuleKind kind);
std::optional<RuleKind> parse_rule_kind(std::string_view name);

struct Fraction {
  std::int64_t num = 0;
  std::int64_t den = 1;
  friend bool operator==(const Fraction&, const Fraction&) = default;
};

struct DecisionRule {
  RuleKind kind = RuleKind::kConsensus;
  Fraction majority{2, 3};  // qualified majority only: the share of member organizations
  Fraction quorum{1, 2};    // share of member organizations that must vote
  friend bool operator==(const DecisionRule&, const DecisionRule&) = default;
};

// The largest denominator a rule may use.
inline constexpr std::int64_t kMaxDenominator = 100;

// Checks a rule and returns it in its normal form: unanimity gets quorum 1/1 and a
// majority of 1/1; consensus a majority of 0/1 (unused). kInvalidArgument when a denominator
// is outside 1..kMaxDenominator, a quorum outside 0..1, or a qualified majority not above
// one half nor at most one.
Result<DecisionRule> normalize_rule(const DecisionRule& rule);

// "consensus, quorum 1/2", "qualified majority 2/3, quorum 1/2", "unanimity".
std::string describe_rule(const DecisionRule& rule);

enum class VoteChoice { kYes, kNo, kAbstain, kObjection };
// "yes", "no", "abstain", "objection".
std::string_view vote_choice_name(VoteChoice choice);
std::optional<VoteChoice> parse_vote_choice(std::string_view name);

enum class Outcome { kPassed, kFailed, kNoQuorum };
// "passed", "failed", "no-quorum".
std::string_view outcome_name(Outcome outcome);
std::optional<Outcome> parse_outcome(std::string_view name);

struct Tally {
  std::int64_t yes = 0;
  std::int64_t no = 0;
  std::int64_t abstain = 0;
  std::int64_t objection = 0;
  std::int64_t absent = 0;
  friend bool operator==(const Tally&, const Tally&) = default;
};

struct Decision {
  Outcome outcome = Outcome::kFailed;
  Tally tally;
  std::string reason;  // English, for the log: "2 of 3 organizations voted yes, 2 needed"
};

// Applies `rule` (normalized first) to the votes of the organizations that voted, one entry
// per organization, in any order; `member_count` organizations could vote. kInvalidArgument
// for a bad rule, member_count < 1 or more votes than members.
Result<Decision> decide(const DecisionRule& rule, std::span<const VoteChoice> votes,
                        std::int64_t member_count);

}  // namespace veche::decisions
