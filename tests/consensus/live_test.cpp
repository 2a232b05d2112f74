#include "veche/consensus/live.hpp"

#include <gtest/gtest.h>

#include <unordered_map>

#include "synthetic.hpp"

namespace veche::consensus {
namespace {

using testing::adjusted_rand_index;
using testing::plant;

// Votes added to a live analysis and to the builder of the full recompute alike (order 1: they
// replace earlier votes of the same participant on the same statement).
struct Both {
  testing::Planted planted = plant(5, 80, 40, 0.6, 11);
  LiveAnalysis live = LiveAnalysis::start(planted.builder.build().value()).value();

  bool add(const std::string& participant, const std::string& statement, Vote vote) {
    planted.builder.add(participant, statement, vote, 1);
    return live.add_vote(participant, statement, vote).value();
  }
  // The full recompute, told the live labels so that it keeps them.
  std::pair<VoteMatrix, Report> full() {
    auto votes = planted.builder.build().value();
    AnalysisOptions options;
    for (std::size_t p = 0; p < live.participant_count(); ++p) {
      const int g = live.report().assignment[p];
      if (g >= 0) {
        options.previous_groups[live.participant_id(p)] =
            live.report().groups[static_cast<std::size_t>(g)].label;
      }
    }
    auto report = analyse(votes, options).value();
    return {std::move(votes), std::move(report)};
  }
  int live_label(const std::string& id) const {
    for (std::size_t p = 0; p < live.participant_count(); ++p) {
      if (live.participant_id(p) != id) continue;
      const int g = live.report().assignment[p];
      return g < 0 ? -1 : live.report().groups[static_cast<std::size_t>(g)].label;
    }
    return -2;
  }
};

int label_in(const VoteMatrix& votes, const Report& report, const std::string& id) {
  const auto p = votes.find_participant(id);
  if (p < 0) return -2;
  const int g = report.assignment[static_cast<std::size_t>(p)];
  return g < 0 ? -1 : report.groups[static_cast<std::size_t>(g)].label;
}

TEST(LiveAnalysis, StartsFromTheFullAnalysis) {
  Both b;
  const auto votes = b.planted.builder.build().value();
  const auto full = analyse(votes).value();
  const auto& live = b.live.report();
  EXPECT_EQ(live.assignment, full.assignment);
  ASSERT_EQ(live.consensus.size(), full.consensus.size());
  for (std::size_t i = 0; i < full.consensus.size(); ++i) {
    EXPECT_EQ(live.consensus[i].statement, full.consensus[i].statement);
  }
  EXPECT_EQ(b.live.votes_added(), 0u);
  EXPECT_EQ(b.live.participant_count(), votes.participant_count());
}

TEST(LiveAnalysis, CountsMatchAFullRecomputeExactly) {
  Both b;
  const auto& ids = b.planted.participant_ids;
  // Changed votes, new votes of known participants, and a newcomer.
  for (int i = 0; i < 40; ++i) {
    const auto& p = ids[static_cast<std::size_t>(i * 9 % ids.size())];
    EXPECT_TRUE(b.add(p, std::to_string(i % 40), i % 3 == 0 ? Vote::kPass : Vote::kAgree));
  }
  EXPECT_TRUE(b.add("newcomer", b.planted.consensus_id, Vote::kAgree));
  const auto [votes, full] = b.full();
  const auto& live = b.live.report();
  EXPECT_EQ(live.votes, full.votes);
  EXPECT_EQ(live.participants, full.participants);
  ASSERT_EQ(live.statement_counts.size(), full.statement_counts.size());
  for (std::size_t s = 0; s < full.statement_counts.size(); ++s) {
    EXPECT_EQ(live.statement_counts[s].agree, full.statement_counts[s].agree) << s;
    EXPECT_EQ(live.statement_counts[s].disagree, full.statement_counts[s].disagree) << s;
    EXPECT_EQ(live.statement_counts[s].pass, full.statement_counts[s].pass) << s;
  }
  EXPECT_EQ(b.live.votes_added(), 41u);
  EXPECT_EQ(b.live.participant_count(), votes.participant_count());
  EXPECT_EQ(b.live.participant_id(b.live.participant_count() - 1), "newcomer");
}

TEST(LiveAnalysis, GroupsAndListsStayCloseToAFullRecompute) {
  Both b;
  const auto& ids = b.planted.participant_ids;
  for (int i = 0; i < 60; ++i) {
    const auto& p = ids[static_cast<std::size_t>((i * 37 + 5) % ids.size())];
    b.add(p, std::to_string((i * 7) % 40), i % 2 == 0 ? Vote::kDisagree : Vote::kAgree);
  }
  const auto [votes, full] = b.full();
  const auto& live = b.live.report();
  std::vector<int> a, c;
  for (std::size_t p = 0; p < votes.participant_count(); ++p) {
    a.push_back(b.live_label(votes.participant_id(p)));
    c.push_back(label_in(votes, full, votes.participant_id(p)));
  }
  EXPECT_GE(adjusted_rand_index(a, c), 0.95);
  ASSERT_FALSE(live.consensus.empty());
  ASSERT_FALSE(full.consensus.empty());
  EXPECT_EQ(votes.statement_id(live.consensus.front().statement), b.planted.consensus_id);
  EXPECT_EQ(votes.statement_id(full.consensus.front().statement), b.planted.consensus_id);
  // The map is not compared: a full recompute may turn axes of nearly equal variance (as in
  // Pol.is); between recomputes positions follow the fixed components (next test).
}

TEST(LiveAnalysis, ANewcomerWhoVotesLikeACampJoinsItsGroup) {
  Both b;
  const auto votes = b.planted.builder.build().value();
  // Copy the votes of a participant of camp 2.
  const std::string model = b.planted.participant_ids[2 * 80 + 3];
  const auto p = static_cast<std::size_t>(votes.find_participant(model));
  std::size_t copied = 0;
  for (auto c = votes.row_begin(p); c != votes.row_end(p); ++c) {
    b.live.add_vote("newcomer", votes.statement_id(c->index), c->vote).value();
    ++copied;
    if (copied < 7) {
      EXPECT_EQ(b.live_label("newcomer"), -1) << "grouped after " << copied;
    }
  }
  ASSERT_GE(copied, 7u);
  EXPECT_EQ(b.live_label("newcomer"), b.live_label(model));
  const auto& r = b.live.report();
  const auto n = b.live.participant_count() - 1;
  EXPECT_NEAR(r.map[n][0], r.map[p][0], 1e-4);
  EXPECT_NEAR(r.map[n][1], r.map[p][1], 1e-4);
}

TEST(LiveAnalysis, BridgingScoreOfTheVotedStatementFollows) {
  Both b;
  // Many more agree votes on the bridging statement: its intercept rises in both.
  const auto& ids = b.planted.participant_ids;
  for (std::size_t i = 0; i < ids.size(); i += 2)
    b.add(ids[i], b.planted.bridging_id, Vote::kAgree);
  const auto [votes, full] = b.full();
  const auto s = static_cast<std::uint32_t>(votes.find_statement(b.planted.bridging_id));
  auto intercept = [&](const Report& r) {
    for (const auto& x : r.bridging) {
      if (x.statement == s) return x.intercept;
    }
    return -1.0;
  };
  ASSERT_GT(intercept(full), 0);
  EXPECT_NEAR(intercept(b.live.report()), intercept(full), 0.03);
  EXPECT_EQ(b.live.report().bridging.front().statement, s);
}

TEST(LiveAnalysis, VotesOnStatementsOutsideTheFullAnalysisWait) {
  Both b;
  const auto before = b.live.report().statement_counts;
  EXPECT_FALSE(
      b.live.add_vote(b.planted.participant_ids[0], "a new statement", Vote::kAgree).value());
  EXPECT_EQ(b.live.votes_added(), 0u);
  EXPECT_EQ(b.live.participant_count(), b.live.votes().participant_count());
  EXPECT_EQ(b.live.add_vote("", "1", Vote::kAgree).error().code, ErrorCode::kInvalidArgument);
  const auto& after = b.live.report().statement_counts;
  for (std::size_t s = 0; s < before.size(); ++s) EXPECT_EQ(after[s].seen(), before[s].seen());
}

}  // namespace
}  // namespace veche::consensus
