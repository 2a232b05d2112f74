#include "veche/consensus/analysis.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <unordered_map>

#include "synthetic.hpp"

namespace veche::consensus {
namespace {

using testing::adjusted_rand_index;
using testing::plant;

struct Fixture {
  VoteMatrix votes;
  std::vector<int> truth;  // per matrix participant
  testing::Planted planted;
};

Fixture five_camps(std::uint64_t seed = 11) {
  Fixture f{VoteMatrix{}, {}, plant(5, 80, 40, 0.6, seed)};
  f.votes = f.planted.builder.build().value();
  std::unordered_map<std::string, int> camp;
  for (std::size_t i = 0; i < f.planted.participant_ids.size(); ++i) {
    camp[f.planted.participant_ids[i]] = f.planted.camp[i];
  }
  for (std::size_t p = 0; p < f.votes.participant_count(); ++p) {
    f.truth.push_back(camp.at(f.votes.participant_id(p)));
  }
  return f;
}

std::uint32_t index_of(const VoteMatrix& votes, const std::string& id) {
  const auto s = votes.find_statement(id);
  EXPECT_GE(s, 0) << id;
  return static_cast<std::uint32_t>(s);
}

TEST(Analysis, RecoversFivePlantedCampsWithSixtyPercentMissingVotes) {
  const auto f = five_camps();
  const auto report = analyse(f.votes).value();
  EXPECT_EQ(report.groups.size(), 5u);
  EXPECT_GE(report.dimensions, 3);
  EXPECT_GT(adjusted_rand_index(report.assignment, f.truth), 0.9);
  EXPECT_EQ(report.clustered, f.votes.participant_count());
}

TEST(Analysis, ClusteringInTwoDimensionsMergesCamps) {
  const auto f = five_camps();
  AnalysisOptions two_d;
  two_d.dimensions = 2;
  const auto report = analyse(f.votes, two_d).value();
  EXPECT_LT(adjusted_rand_index(report.assignment, f.truth), 0.9);
}

TEST(Analysis, FindsTheRepresentativeStatementOfEachCamp) {
  const auto f = five_camps();
  const auto report = analyse(f.votes).value();
  for (int camp = 0; camp < 5; ++camp) {
    // The group holding most of this camp.
    std::vector<int> hits(report.groups.size(), 0);
    for (std::size_t p = 0; p < f.truth.size(); ++p) {
      if (f.truth[p] == camp && report.assignment[p] >= 0)
        ++hits[static_cast<std::size_t>(report.assignment[p])];
    }
    const auto g =
        static_cast<std::size_t>(std::max_element(hits.begin(), hits.end()) - hits.begin());
    const auto want =
        index_of(f.votes, f.planted.representative_ids[static_cast<std::size_t>(camp)]);
    const auto& reps = report.groups[g].representatives;
    const auto it = std::find_if(reps.begin(), reps.end(),
                                 [&](const Representative& r) { return r.statement == want; });
    ASSERT_NE(it, reps.end()) << "camp " << camp;
    EXPECT_TRUE(it->agree);
    EXPECT_TRUE(it->significant);
    EXPECT_GT(it->probability, 0.6);
  }
}

TEST(Analysis, PlantedConsensusStatementRanksFirst) {
  const auto f = five_camps();
  const auto report = analyse(f.votes).value();
  ASSERT_FALSE(report.consensus.empty());
  EXPECT_EQ(report.consensus.front().statement, index_of(f.votes, f.planted.consensus_id));
  EXPECT_TRUE(report.consensus.front().agree);
  EXPECT_GT(report.consensus.front().confidence, 0.99);
  // The statement only camps 0 and 1 agree with is not a consensus.
  for (const auto& c : report.consensus) {
    EXPECT_NE(c.statement, index_of(f.votes, f.planted.bridging_id));
  }
}

TEST(Analysis, StatementAgreedAcrossOpposedCampsBridges) {
  const auto f = five_camps();
  const auto report = analyse(f.votes).value();
  const auto bridge = index_of(f.votes, f.planted.bridging_id);
  const auto it = std::find_if(report.bridging.begin(), report.bridging.end(),
                               [&](const BridgingStatement& b) { return b.statement == bridge; });
  ASSERT_NE(it, report.bridging.end());
  EXPECT_TRUE(it->bridges);
  // Only the statement every camp agrees with may rank above it.
  EXPECT_LE(it - report.bridging.begin(), 1);
  // A statement only one camp agrees with does not bridge, and ranks below.
  const auto partisan = index_of(f.votes, f.planted.representative_ids[0]);
  for (const auto& b : report.bridging) {
    if (b.statement == partisan) {
      EXPECT_FALSE(b.bridges);
      EXPECT_LT(b.intercept, it->intercept);
    }
  }
}

TEST(Analysis, DivisiveStatementsSplitGroups) {
  const auto f = five_camps();
  const auto report = analyse(f.votes).value();
  ASSERT_FALSE(report.divisive.empty());
  EXPECT_GT(report.divisive.front().score, 0.6);
  EXPECT_GT(report.divisive.front().confidence, 0.99);
  EXPECT_NE(report.divisive.front().agreeing_group, report.divisive.front().disagreeing_group);
  EXPECT_NE(report.divisive.front().statement, index_of(f.votes, f.planted.consensus_id));
}

TEST(Analysis, SameSeedSameReportWhateverTheThreads) {
  const auto f = five_camps();
  AnalysisOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const auto a = analyse(f.votes, one).value();
  const auto b = analyse(f.votes, two).value();
  EXPECT_EQ(a.assignment, b.assignment);
  EXPECT_EQ(a.map, b.map);
  ASSERT_EQ(a.bridging.size(), b.bridging.size());
  for (std::size_t i = 0; i < a.bridging.size(); ++i) {
    EXPECT_EQ(a.bridging[i].statement, b.bridging[i].statement);
    EXPECT_EQ(a.bridging[i].intercept, b.bridging[i].intercept);
  }
  EXPECT_EQ(a.explained_variance, b.explained_variance);
}

TEST(Analysis, GroupLabelsStayPutWhenAFewVotesArrive) {
  auto f = five_camps(23);
  const auto first = analyse(f.votes).value();
  AnalysisOptions again;
  again.previous_groups = group_labels(f.votes, first);
  // A different seed shuffles k-means++ too: the labels must still follow the people.
  again.seed = 99;
  for (int i = 0; i < 10; ++i) {
    f.planted.builder.add("newcomer" + std::to_string(i), f.planted.consensus_id, Vote::kAgree);
    f.planted.builder.add(f.planted.participant_ids[static_cast<std::size_t>(i * 37)],
                          f.planted.representative_ids[0], Vote::kPass, 1);
  }
  const auto more = f.planted.builder.build().value();
  const auto second = analyse(more, again).value();
  ASSERT_EQ(second.groups.size(), first.groups.size());
  std::size_t same = 0, total = 0;
  for (std::size_t p = 0; p < f.votes.participant_count(); ++p) {
    const auto q = static_cast<std::size_t>(more.find_participant(f.votes.participant_id(p)));
    if (first.assignment[p] < 0 || second.assignment[q] < 0) continue;
    ++total;
    same += first.groups[static_cast<std::size_t>(first.assignment[p])].label ==
            second.groups[static_cast<std::size_t>(second.assignment[q])].label;
  }
  EXPECT_GT(static_cast<double>(same) / static_cast<double>(total), 0.95);
}

TEST(Analysis, WithoutHistoryADifferentSeedMayRelabelButGroupsAgree) {
  const auto f = five_camps();
  AnalysisOptions other;
  other.seed = 12345;
  const auto a = analyse(f.votes).value();
  const auto b = analyse(f.votes, other).value();
  EXPECT_GT(adjusted_rand_index(a.assignment, b.assignment), 0.95);
}

TEST(Analysis, ModeratedOutStatementsAreIgnored) {
  auto f = five_camps();
  f.planted.builder.moderate_out(f.planted.consensus_id);
  const auto votes = f.planted.builder.build().value();
  const auto report = analyse(votes).value();
  const auto s = index_of(votes, f.planted.consensus_id);
  for (const auto& c : report.consensus) EXPECT_NE(c.statement, s);
  for (const auto& b : report.bridging) EXPECT_NE(b.statement, s);
  EXPECT_EQ(report.statement_counts[s].seen(), 0u);
  EXPECT_EQ(report.statements, votes.statement_count() - 1);
}

TEST(Analysis, ParticipantsWithFewVotesAreMappedButNotGrouped) {
  auto f = five_camps();
  f.planted.builder.add("lurker", "0", Vote::kAgree);
  f.planted.builder.add("lurker", "1", Vote::kDisagree);
  const auto votes = f.planted.builder.build().value();
  const auto report = analyse(votes).value();
  const auto p = static_cast<std::size_t>(votes.find_participant("lurker"));
  EXPECT_EQ(report.assignment[p], -1);
  EXPECT_EQ(report.clustered, votes.participant_count() - 1);
}

TEST(Analysis, RejectsBadOptionsAndTooLittleData) {
  const auto f = five_camps();
  AnalysisOptions bad;
  bad.max_groups = 1;
  EXPECT_EQ(analyse(f.votes, bad).error().code, ErrorCode::kInvalidArgument);
  bad = {};
  bad.dimensions = 1;
  EXPECT_EQ(analyse(f.votes, bad).error().code, ErrorCode::kInvalidArgument);
  VoteMatrixBuilder tiny;
  tiny.add("a", "1", Vote::kAgree);
  tiny.add("b", "1", Vote::kDisagree);
  EXPECT_EQ(analyse(tiny.build().value()).error().code, ErrorCode::kFailedPrecondition);
  VoteMatrixBuilder two;
  two.add("a", "1", Vote::kAgree);
  two.add("a", "2", Vote::kAgree);
  EXPECT_EQ(analyse(two.build().value()).error().code, ErrorCode::kFailedPrecondition);
}

TEST(Analysis, GroupNamesAreLetters) {
  EXPECT_EQ(group_name(0), "A");
  EXPECT_EQ(group_name(25), "Z");
  EXPECT_EQ(group_name(26), "AA");
}

}  // namespace
}  // namespace veche::consensus
