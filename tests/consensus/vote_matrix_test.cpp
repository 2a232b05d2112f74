#include "veche/consensus/vote_matrix.hpp"

#include <gtest/gtest.h>

namespace veche::consensus {
namespace {

TEST(VoteMatrix, OrdersIdsCanonicallyWhateverTheArrivalOrder) {
  VoteMatrixBuilder b;
  b.add("10", "b", Vote::kAgree);
  b.add("9", "a", Vote::kDisagree);
  b.add("x", "10", Vote::kPass);
  b.add("9", "2", Vote::kAgree);
  const auto m = b.build().value();
  ASSERT_EQ(m.participant_count(), 3u);
  EXPECT_EQ(m.participant_id(0), "9");
  EXPECT_EQ(m.participant_id(1), "10");
  EXPECT_EQ(m.participant_id(2), "x");
  ASSERT_EQ(m.statement_count(), 4u);
  EXPECT_EQ(m.statement_id(0), "2");
  EXPECT_EQ(m.statement_id(1), "10");
  EXPECT_EQ(m.statement_id(2), "a");
  EXPECT_EQ(m.find_statement("10"), 1);
  EXPECT_EQ(m.find_statement("nope"), -1);
  EXPECT_EQ(m.find_participant("x"), 2);
  EXPECT_EQ(m.vote_count(), 4u);
}

TEST(VoteMatrix, RowsAndColumnsHoldTheSameVotes) {
  VoteMatrixBuilder b;
  b.add("1", "1", Vote::kAgree);
  b.add("1", "2", Vote::kDisagree);
  b.add("2", "2", Vote::kPass);
  const auto m = b.build().value();
  ASSERT_EQ(m.row_end(0) - m.row_begin(0), 2);
  EXPECT_EQ(m.row_begin(0)[1].index, 1u);
  EXPECT_EQ(m.row_begin(0)[1].vote, Vote::kDisagree);
  ASSERT_EQ(m.column_end(1) - m.column_begin(1), 2);
  EXPECT_EQ(m.column_begin(1)[0].index, 0u);
  EXPECT_EQ(m.column_begin(1)[1].index, 1u);
  EXPECT_EQ(m.column_begin(1)[1].vote, Vote::kPass);
}

TEST(VoteMatrix, ALaterVoteReplacesAnEarlierOne) {
  VoteMatrixBuilder b;
  b.add("1", "1", Vote::kAgree, 200);
  b.add("1", "1", Vote::kDisagree, 100);  // older, although it arrives later
  b.add("1", "2", Vote::kAgree);
  b.add("1", "2", Vote::kPass);  // same order: the one added last wins
  const auto m = b.build().value();
  ASSERT_EQ(m.vote_count(), 2u);
  EXPECT_EQ(m.row_begin(0)[0].vote, Vote::kAgree);
  EXPECT_EQ(m.row_begin(0)[1].vote, Vote::kPass);
}

TEST(VoteMatrix, ModeratedStatementsKeepTheirVotesButAreMarked) {
  VoteMatrixBuilder b;
  b.add("1", "1", Vote::kAgree);
  b.moderate_out("1");
  b.moderate_out("2");
  const auto m = b.build().value();
  EXPECT_TRUE(m.moderated_out(0));
  EXPECT_TRUE(m.moderated_out(1));
  EXPECT_EQ(m.vote_count(), 1u);
}

TEST(VoteMatrix, EmptyIdsAreRejected) {
  VoteMatrixBuilder b;
  b.add("", "1", Vote::kAgree);
  EXPECT_EQ(b.build().error().code, ErrorCode::kInvalidArgument);
}

TEST(IdLess, NumbersByValueBeforeText) {
  EXPECT_TRUE(id_less("2", "10"));
  EXPECT_TRUE(id_less("10", "a"));
  EXPECT_TRUE(id_less("007", "8"));
  EXPECT_FALSE(id_less("b", "a"));
  EXPECT_FALSE(id_less("5", "5"));
}

}  // namespace
}  // namespace veche::consensus
