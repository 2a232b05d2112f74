// decide() against an independent reference, for every combination of votes (each
// organization absent, yes, no, abstain or objection) of coalitions of 1 to 6 organizations,
// under consensus, qualified majorities with several quorums, and unanimity.
#include "veche/decisions/rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace veche::decisions {
namespace {

// The reference: written from the rule text (rules.hpp) with rational comparisons instead of
// rounded-up thresholds, over per-organization votes where nullopt is "absent".
Outcome reference(const DecisionRule& rule, const std::vector<std::optional<VoteChoice>>& orgs) {
  const auto members = static_cast<std::int64_t>(orgs.size());
  std::int64_t voted = 0, yes = 0, objections = 0;
  bool all_yes = true;
  for (const auto& v : orgs) {
    if (!v) {
      all_yes = false;
      continue;
    }
    ++voted;
    if (*v == VoteChoice::kYes) ++yes;
    if (*v != VoteChoice::kYes) all_yes = false;
    if (*v == VoteChoice::kObjection) ++objections;
  }
  switch (rule.kind) {
    case RuleKind::kUnanimity:
      // Every organization must take part: an absent one means no quorum.
      if (voted < members) return Outcome::kNoQuorum;
      return all_yes ? Outcome::kPassed : Outcome::kFailed;
    case RuleKind::kConsensus:
      // voted / members >= quorum, as fractions.
      if (voted * rule.quorum.den < rule.quorum.num * members) return Outcome::kNoQuorum;
      return objections == 0 && yes > 0 ? Outcome::kPassed : Outcome::kFailed;
    case RuleKind::kQualifiedMajority:
      if (voted * rule.quorum.den < rule.quorum.num * members) return Outcome::kNoQuorum;
      return yes * rule.majority.den >= rule.majority.num * members ? Outcome::kPassed
                                                                    : Outcome::kFailed;
  }
  return Outcome::kFailed;
}

std::vector<DecisionRule> rules() {
  std::vector<DecisionRule> out;
  for (Fraction q :
       {Fraction{0, 1}, Fraction{1, 3}, Fraction{1, 2}, Fraction{2, 3}, Fraction{1, 1}}) {
    out.push_back({RuleKind::kConsensus, {0, 1}, q});
    for (Fraction m :
         {Fraction{51, 100}, Fraction{3, 5}, Fraction{2, 3}, Fraction{3, 4}, Fraction{1, 1}}) {
      out.push_back({RuleKind::kQualifiedMajority, m, q});
    }
  }
  out.push_back({RuleKind::kUnanimity, {1, 1}, {1, 1}});
  return out;
}

TEST(Decide, AgreesWithTheReferenceForEveryVoteCombinationUpToSixOrganizations) {
  constexpr VoteChoice kChoices[] = {VoteChoice::kYes, VoteChoice::kNo, VoteChoice::kAbstain,
                                     VoteChoice::kObjection};
  std::int64_t checked = 0;
  for (const auto& rule : rules()) {
    for (int n = 1; n <= 6; ++n) {
      int combos = 1;
      for (int i = 0; i < n; ++i) combos *= 5;
      for (int code = 0; code < combos; ++code) {
        std::vector<std::optional<VoteChoice>> orgs;
        std::vector<VoteChoice> cast;
        Tally expected;
        for (int i = 0, c = code; i < n; ++i, c /= 5) {
          if (c % 5 == 4) {
            orgs.push_back(std::nullopt);
            ++expected.absent;
            continue;
          }
          const VoteChoice v = kChoices[c % 5];
          orgs.push_back(v);
          cast.push_back(v);
          expected.yes += v == VoteChoice::kYes;
          expected.no += v == VoteChoice::kNo;
          expected.abstain += v == VoteChoice::kAbstain;
          expected.objection += v == VoteChoice::kObjection;
        }
        auto d = decide(rule, cast, n);
        ASSERT_TRUE(d) << d.error().message;
        ASSERT_EQ(d->outcome, reference(rule, orgs))
            << describe_rule(rule) << ", " << n << " organizations, combination " << code << ": "
            << d->reason;
        ASSERT_EQ(d->tally, expected);
        ASSERT_FALSE(d->reason.empty());
        // The order in which votes arrive does not matter.
        std::reverse(cast.begin(), cast.end());
        auto reversed = decide(rule, cast, n);
        ASSERT_TRUE(reversed);
        ASSERT_EQ(reversed->outcome, d->outcome);
        ++checked;
      }
    }
  }
  // 5 + 25 + ... + 15625 combinations for each of the 31 rules.
  EXPECT_EQ(checked, 31 * 19530);
}

TEST(Decide, ExplainsEachOutcome) {
  const DecisionRule two_thirds{RuleKind::kQualifiedMajority, {2, 3}, {1, 2}};
  const std::vector<VoteChoice> four_yes(4, VoteChoice::kYes);
  auto passed = decide(two_thirds, four_yes, 6);
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->outcome, Outcome::kPassed);
  EXPECT_EQ(passed->reason, "4 organizations of 6 voted yes, 4 needed (2/3 of all)");
  auto no_quorum = decide(two_thirds, std::vector<VoteChoice>(2, VoteChoice::kYes), 6);
  ASSERT_TRUE(no_quorum);
  EXPECT_EQ(no_quorum->outcome, Outcome::kNoQuorum);
  EXPECT_EQ(no_quorum->reason, "quorum not reached: 2 organizations of 6 voted, 3 needed");
  const DecisionRule consensus{RuleKind::kConsensus, {0, 1}, {0, 1}};
  auto blocked = decide(consensus, {{VoteChoice::kYes, VoteChoice::kObjection}}, 3);
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->outcome, Outcome::kFailed);
  EXPECT_EQ(blocked->reason, "blocked: 1 organization objected");
}

TEST(Decide, RefusesImpossibleInput) {
  const DecisionRule consensus;
  EXPECT_EQ(decide(consensus, {}, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(decide(consensus, std::vector<VoteChoice>(3, VoteChoice::kYes), 2).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(NormalizeRule, RefusesMajoritiesNotAboveOneHalfAndBadQuorums) {
  EXPECT_FALSE(normalize_rule({RuleKind::kQualifiedMajority, {1, 2}, {1, 2}}));
  EXPECT_FALSE(normalize_rule({RuleKind::kQualifiedMajority, {4, 3}, {1, 2}}));
  EXPECT_FALSE(normalize_rule({RuleKind::kQualifiedMajority, {2, 3}, {3, 2}}));
  EXPECT_FALSE(normalize_rule({RuleKind::kQualifiedMajority, {2, 3}, {-1, 2}}));
  EXPECT_FALSE(normalize_rule({RuleKind::kQualifiedMajority, {2, 0}, {1, 2}}));
  EXPECT_FALSE(normalize_rule({RuleKind::kConsensus, {0, 1}, {1, 101}}));
  auto unanimity = normalize_rule({RuleKind::kUnanimity, {2, 3}, {0, 1}});
  ASSERT_TRUE(unanimity);
  EXPECT_EQ(*unanimity, (DecisionRule{RuleKind::kUnanimity, {1, 1}, {1, 1}}));
}

TEST(Names, RoundTrip) {
  for (auto k : {RuleKind::kConsensus, RuleKind::kQualifiedMajority, RuleKind::kUnanimity}) {
    EXPECT_EQ(parse_rule_kind(rule_kind_name(k)), k);
  }
  for (auto c : {VoteChoice::kYes, VoteChoice::kNo, VoteChoice::kAbstain, VoteChoice::kObjection}) {
    EXPECT_EQ(parse_vote_choice(vote_choice_name(c)), c);
  }
  for (auto o : {Outcome::kPassed, Outcome::kFailed, Outcome::kNoQuorum}) {
    EXPECT_EQ(parse_outcome(outcome_name(o)), o);
  }
  EXPECT_FALSE(parse_vote_choice("maybe"));
}

}  // namespace
}  // namespace veche::decisions
