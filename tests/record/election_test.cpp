// Whole elections replayed and verified end to end (docs/protocol.md §7–§14).
#include <gtest/gtest.h>

#include "election_fixture.hpp"
#include "veche/record/verify.hpp"

namespace veche::record {
namespace {

using testing::ElectionShape;
using testing::TestElection;

TEST(Election, TwoOfThreeWithThousandVotersRevotesAndAnAbsentTrustee) {
  TestElection el(ElectionShape{3, 2, 1000, {}}, 42);
  el.open();
  el.vote_all();
  for (std::uint32_t v = 0; v < 1000; v += 10) el.cast(v, el.plain_for(v, 1));  // revotes
  el.close();
  el.decrypt({1, 3});  // trustee 2 is absent
  el.publish();
  const auto& result = el.state().published_result();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->counted, 1000U);
  EXPECT_EQ(result->counts, el.expected_counts());
  std::uint32_t seats = 0;
  for (const auto s : result->seats[1]) seats += s;
  EXPECT_EQ(seats, 10U);

  std::uint64_t progress_calls = 0;
  VerifyOptions options;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    ++progress_calls;
    EXPECT_LE(done, total);
  };
  const auto report = verify_record(el.board().serialize(), options);
  EXPECT_TRUE(report.valid) << report.error;
  EXPECT_GT(progress_calls, 0U);
  ASSERT_EQ(report.checks.size(), 16U);
  for (const auto& c : report.checks) {
    EXPECT_EQ(c.status, CheckStatus::kPassed) << c.number << " " << c.name;
  }
  ASSERT_TRUE(report.result.has_value());
  EXPECT_EQ(report.result->counts, el.expected_counts());
}

TEST(Election, CheatingDealerIsNamedAndExcluded) {
  TestElection el(ElectionShape{3, 2, 5, {}}, 7);
  el.open(/*cheater=*/3);
  EXPECT_EQ(el.state().disqualified(), (std::set<std::uint32_t>{3}));
  EXPECT_EQ(el.state().qualified(), (std::vector<std::uint32_t>{1, 2}));
  el.vote_all();
  el.close();
  el.decrypt({2, 3});  // trustee 3 still holds a share of the qualified dealers' secret
  el.publish();
  EXPECT_EQ(el.state().published_result()->counts, el.expected_counts());
  EXPECT_TRUE(verify_record(el.board().serialize(), {}).valid);
}

TEST(Election, BenalohAuditRevealsAndChecksAnUncastBallot) {
  TestElection el(ElectionShape{1, 1, 2, {}}, 9);
  el.open();
  const auto plain = el.plain_for(0);
  const auto audited = el.make_ballot(0, plain);
  EXPECT_TRUE(audit_ballot(audited.payload, el.state().joint_key(), plain, audited.randomness));
  auto lie = plain;
  lie.selections[0][0] ^= 1;
  EXPECT_FALSE(audit_ballot(audited.payload, el.state().joint_key(), lie, audited.randomness));
  // The voter casts a fresh encryption; its tracker differs from the audited one.
  const auto cast = el.make_ballot(0, plain);
  EXPECT_NE(cast.tracker, audited.tracker);
}

TEST(Election, ZeroBallotsGiveZeroCounts) {
  TestElection el(ElectionShape{2, 2, 3, {}}, 10);
  el.open();
  el.close();
  el.decrypt({1, 2});
  el.publish();
  for (const auto& row : el.state().published_result()->counts) {
    for (const auto c : row) EXPECT_EQ(c, 0U);
  }
  EXPECT_TRUE(verify_record(el.board().serialize(), {}).valid);
}

TEST(Election, InvalidPlainBallotsAreRefusedBeforeEncryption) {
  TestElection el(ElectionShape{1, 1, 1, {}}, 11);
  el.open();
  auto plain = el.plain_for(0);
  plain.selections[0] = {1, 1, 1, 0};  // three of max two
  EXPECT_FALSE(encrypt_ballot(el.setup().questions, el.state().joint_key(),
                              el.state().fingerprint(), el.voter(0), plain, el.rng())
                   .has_value());
  plain.selections.pop_back();
  EXPECT_FALSE(validate(plain, el.setup().questions).has_value());
}

}  // namespace
}  // namespace veche::record
