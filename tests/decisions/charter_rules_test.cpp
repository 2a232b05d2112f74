// The rules a charter names (charter_rules.hpp): parsing them from the charter's Markdown,
// and which is strictest, checked against decide() on every way of voting.
#include "veche/decisions/charter_rules.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace veche::decisions {
namespace {

std::vector<DecisionRule> sample_rules() {
  std::vector<DecisionRule> out;
  for (Fraction q : {Fraction{0, 1}, Fraction{1, 2}, Fraction{2, 3}, Fraction{1, 1}}) {
    out.push_back({RuleKind::kConsensus, {0, 1}, q});
    for (Fraction m : {Fraction{51, 100}, Fraction{2, 3}, Fraction{3, 4}, Fraction{1, 1}}) {
      out.push_back({RuleKind::kQualifiedMajority, m, q});
    }
  }
  out.push_back({RuleKind::kUnanimity, {1, 1}, {1, 1}});
  return out;
}

// Every way `n` organizations can vote: each yes, no, abstain, objection or absent.
std::vector<std::vector<VoteChoice>> every_vote(int n) {
  constexpr VoteChoice kChoices[] = {VoteChoice::kYes, VoteChoice::kNo, VoteChoice::kAbstain,
                                     VoteChoice::kObjection};
  int combos = 1;
  for (int i = 0; i < n; ++i) combos *= 5;
  std::vector<std::vector<VoteChoice>> out;
  for (int code = 0; code < combos; ++code) {
    std::vector<VoteChoice> cast;
    for (int i = 0, c = code; i < n; ++i, c /= 5) {
      if (c % 5 != 4) cast.push_back(kChoices[c % 5]);
    }
    out.push_back(std::move(cast));
  }
  return out;
}

bool passes(const DecisionRule& rule, const std::vector<VoteChoice>& cast, int n) {
  auto d = decide(rule, cast, n);
  EXPECT_TRUE(d);
  return d && d->outcome == Outcome::kPassed;
}

TEST(ParseRule, ReadsWhatDescribeRuleWrites) {
  for (const auto& rule : sample_rules()) {
    auto normal = normalize_rule(rule);
    ASSERT_TRUE(normal);
    auto parsed = parse_rule(describe_rule(*normal));
    ASSERT_TRUE(parsed) << describe_rule(*normal) << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, *normal) << describe_rule(*normal);
  }
  auto spaced = parse_rule("  consensus, quorum 1/2  ");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->kind, RuleKind::kConsensus);
}

TEST(ParseRule, RefusesAnythingElse) {
  for (const char* bad :
       {"", "majority", "consensus", "consensus quorum 1/2", "consensus, quorum 1/0",
        "consensus, quorum 3/2", "qualified majority 1/2, quorum 1/2", "qualified majority 2/3",
        "qualified majority 2/3, quorum 1/2 extra", "qualified majority -2/3, quorum 1/2",
        "qualified majority 2/300, quorum 1/2", "Unanimity", "unanimity, quorum 1/2",
        "qualified majority 99999999999999999999/3, quorum 1/2"}) {
    auto r = parse_rule(bad);
    EXPECT_FALSE(r) << "accepted: \"" << bad << "\"";
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

TEST(CharterRules, ReadsTheFencedBlock) {
  const char* md =
      "# Charter\n\nWe decide by these rules:\n\n```decision-rules\r\n"
      "# the usual rule\n"
      "consensus, quorum 1/2\n\n"
      "qualified majority 2/3, quorum 1/2\n"
      "consensus, quorum 1/2\n"
      "```\n\n```decision-rules\nunanimity\n```\n";
  auto rules = charter_rules(md);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 2u);  // duplicates once; only the first block
  EXPECT_EQ((*rules)[0], (DecisionRule{RuleKind::kConsensus, {0, 1}, {1, 2}}));
  EXPECT_EQ((*rules)[1], (DecisionRule{RuleKind::kQualifiedMajority, {2, 3}, {1, 2}}));
}

TEST(CharterRules, NoBlockNamesNoRule) {
  auto rules = charter_rules("# Charter\n\n```\nconsensus, quorum 1/2\n```\n");
  ASSERT_TRUE(rules);
  EXPECT_TRUE(rules->empty());
  auto empty = charter_rules("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(CharterRules, NamesTheLineOfABadRule) {
  auto bad = charter_rules("# C\n\n```decision-rules\nconsensus, quorum 1/2\nmost votes\n```\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 5"), std::string::npos) << bad.error().message;
  auto unclosed = charter_rules("```decision-rules\nunanimity\n");
  ASSERT_FALSE(unclosed);
  EXPECT_NE(unclosed.error().message.find("not closed"), std::string::npos);
  std::string many = "```decision-rules\n";
  for (int q = 0; q <= 20; ++q) many += "consensus, quorum " + std::to_string(q) + "/20\n";
  many += "```\n";
  EXPECT_FALSE(charter_rules(many));
}

TEST(AtLeastAsStrict, AgreesWithDecideOnEveryWayOfVotingUpToFiveOrganizations) {
  const auto rules = sample_rules();
  for (int n = 1; n <= 5; ++n) {
    const auto votes = every_vote(n);
    std::vector<std::vector<bool>> pass(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
      for (const auto& cast : votes) pass[i].push_back(passes(rules[i], cast, n));
    }
    for (std::size_t a = 0; a < rules.size(); ++a) {
      for (std::size_t b = 0; b < rules.size(); ++b) {
        bool expected = true;
        for (std::size_t v = 0; v < votes.size(); ++v) {
          expected = expected && (!pass[a][v] || pass[b][v]);
        }
        ASSERT_EQ(at_least_as_strict(rules[a], rules[b], n), expected)
            << describe_rule(rules[a]) << " vs " << describe_rule(rules[b]) << ", " << n
            << " organizations";
      }
    }
  }
}

TEST(StrictestRule, PicksTheRuleEveryOtherIsWeakerThan) {
  const DecisionRule two_thirds{RuleKind::kQualifiedMajority, {2, 3}, {1, 2}};
  const DecisionRule three_quarters{RuleKind::kQualifiedMajority, {3, 4}, {2, 3}};
  const DecisionRule unanimity{RuleKind::kUnanimity, {1, 1}, {1, 1}};
  const std::vector named{two_thirds, three_quarters};
  EXPECT_EQ(strictest_rule(named, 9), three_quarters);  // 7 yes against 6 (at 8 both need 6)
  const std::vector with_unanimity{two_thirds, unanimity, three_quarters};
  EXPECT_EQ(strictest_rule(with_unanimity, 9), unanimity);
  EXPECT_EQ(strictest_rule({}, 8), unanimity);
}

TEST(StrictestRule, WhenNoneIsStrictestTakesTheOnePassingInFewestTallies) {
  const DecisionRule consensus{RuleKind::kConsensus, {0, 1}, {1, 2}};
  const DecisionRule three_quarters{RuleKind::kQualifiedMajority, {3, 4}, {1, 2}};
  ASSERT_FALSE(at_least_as_strict(consensus, three_quarters, 5));
  ASSERT_FALSE(at_least_as_strict(three_quarters, consensus, 5));
  // With 5 organizations: 3/4 needs 4 yes (tallies: yes 4 or 5, with or without an objection
  // among the rest: 4); consensus passes with 3 or more voting, one yes and no objection (12).
  const std::vector named{consensus, three_quarters};
  EXPECT_EQ(strictest_rule(named, 5), three_quarters);
  const std::vector reversed{three_quarters, consensus};
  EXPECT_EQ(strictest_rule(reversed, 5), three_quarters);
}

}  // namespace
}  // namespace veche::decisions
