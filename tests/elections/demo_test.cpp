// The demo elections: a counted one whose record verifies with its published result, and an
// open one where the codes demo_booth() hands out really vote; loaded once, only into a site
// without elections.
#include "veche/elections/demo.hpp"

#include <gtest/gtest.h>

#include "../support/backend_fixture.hpp"
#include "election_fixture.hpp"
#include "veche/crypto/random.hpp"
#include "veche/record/verify.hpp"

namespace veche::elections {
namespace {

class DemoElectionsTest : public test_support::BackendTest {
 protected:
  DemoElectionsTest() : BackendTest("elections_demo", {migrations()}) {}
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    BackendTest::SetUp();
  }
  core::ManualClock clock_{core::from_unix(1'800'000'000)};
};

TEST_P(DemoElectionsTest, ACountedElectionThatVerifiesAndAnOpenOneWhoseCodesVote) {
  ASSERT_TRUE(load_demo(*db_, clock_));
  Elections service(*db_, clock_);
  auto all = service.list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  const Summary& open = all->at(0);  // newest first
  const Summary& counted = all->at(1);
  EXPECT_EQ(counted.phase, "done");
  ASSERT_TRUE(counted.result.has_value());
  EXPECT_EQ(counted.result->counted, 48U);  // 51 ballots, 3 of them revotes
  EXPECT_EQ(counted.result->seats.at(1).size(), 4U);
  std::uint32_t seats = 0;
  for (const auto s : counted.result->seats.at(1)) seats += s;
  EXPECT_EQ(seats, 9U);
  const auto report = record::verify_record(service.record(counted.id).value(), {});
  EXPECT_TRUE(report.valid) << report.error;

  EXPECT_EQ(open.phase, "open");
  EXPECT_EQ(open.ballots, 6U);
  auto booth = demo_booth(*db_, clock_);
  ASSERT_TRUE(booth) << booth.error().message;
  EXPECT_EQ(booth->election, open.id);
  ASSERT_EQ(booth->codes.size(), 3U);
  auto again = demo_booth(*db_, clock_);  // the same codes on every start
  EXPECT_EQ(again->codes, booth->codes);

  // The first code casts a ballot the site accepts, as the booth would.
  std::string payload;
  ASSERT_TRUE(service.inspect(open.id, [&](const record::ElectionState& st) {
    const auto voter = crypto::Credential::from_code(st.setup().election_id, booth->codes[0]);
    ASSERT_TRUE(voter) << voter.error().message;
    const record::PlainBallot plain{{{1, 0, 0, 1, 0}}};
    crypto::SystemRandom rng;
    auto ballot = record::encrypt_ballot(st.setup().questions, st.joint_key(), st.fingerprint(),
                                         *voter, plain, rng);
    ASSERT_TRUE(ballot) << ballot.error().message;
    payload = boost::json::serialize(ballot->payload);
  }));
  auto cast = service.cast(open.id, payload);
  ASSERT_TRUE(cast) << cast.error().message;

  // Loading again changes nothing.
  ASSERT_TRUE(load_demo(*db_, clock_));
  EXPECT_EQ(service.list()->size(), 2U);
}

TEST_P(DemoElectionsTest, ASiteWithElectionsGetsNoDemo) {
  record::testing::TestElection election({3, 2, 2, {}}, 11);
  election.open();
  Elections service(*db_, clock_);
  ASSERT_TRUE(service.import_board(election.board().serialize()));
  ASSERT_TRUE(load_demo(*db_, clock_));
  EXPECT_EQ(service.list()->size(), 1U);
  EXPECT_EQ(demo_booth(*db_, clock_).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoElectionsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         test_support::backend_name);

}  // namespace
}  // namespace veche::elections
