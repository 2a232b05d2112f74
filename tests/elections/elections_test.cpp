// The elections module on both backends: a board imported from its text is served back byte for
// byte, ballots are checked exactly like `veche vote --ballot-file` before they are stored, bad
// ballots are refused with a precise error and change nothing, and stored events cannot be
// changed or deleted.
#include "veche/elections/elections.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "../support/backend_fixture.hpp"
#include "election_fixture.hpp"
#include "veche/crypto/random.hpp"

namespace veche::elections {
namespace {

using record::testing::ElectionShape;
using record::testing::TestElection;

class ElectionsTest : public test_support::BackendTest {
 protected:
  ElectionsTest() : BackendTest("elections", {migrations()}) {}
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_ = std::make_unique<Elections>(*db_, clock_);
    election_ = std::make_unique<TestElection>(ElectionShape{3, 2, 4, {}}, 7);
    election_->open();
  }
  void TearDown() override {
    service_.reset();
    BackendTest::TearDown();
  }

  ElectionId import() {
    auto id = service_->import_board(election_->board().serialize());
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }
  std::string ballot(std::uint32_t voter, std::uint32_t variant = 0) {
    return boost::json::serialize(
        election_->make_ballot(voter, election_->plain_for(voter, variant)).payload);
  }

  core::ManualClock clock_{core::from_unix(1'800'000'000)};
  std::unique_ptr<Elections> service_;
  std::unique_ptr<TestElection> election_;
};

TEST_P(ElectionsTest, ImportedBoardIsServedByteForByteWithEveryCastBallot) {
  const std::string text = election_->board().serialize();
  const ElectionId id = import();
  auto s = service_->get(id);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->phase, "open");
  EXPECT_EQ(s->ballots, 0U);
  EXPECT_EQ(s->title, election_->setup().title);
  EXPECT_EQ(s->fingerprint, crypto::to_hex(election_->state().fingerprint()));
  EXPECT_EQ(s->trustees.size(), 3U);
  EXPECT_EQ(service_->record(id).value(), text);

  record::Board expected(election_->board().events());
  for (std::uint32_t v = 0; v < 3; ++v) {
    const std::string b = ballot(v);
    auto r = service_->cast(id, b);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->tracker, crypto::to_hex(record::tracker_of(b)));
    EXPECT_EQ(r->seq, expected.events().size());
    expected.append_serialized("ballot", b);
  }
  const std::string revote = ballot(0, 1);  // a revote is a ballot like any other
  ASSERT_TRUE(service_->cast(id, revote));
  expected.append_serialized("ballot", revote);
  EXPECT_EQ(service_->record(id).value(), expected.serialize());
  EXPECT_EQ(service_->get(id)->ballots, 4U);
  // A fresh service (another process) replays the stored board and agrees.
  Elections other(*db_, clock_);
  EXPECT_EQ(other.warm_open().value(), 1U);  // what `veche serve` reads at start-up
  EXPECT_EQ(other.get(id)->ballots, 4U);
  EXPECT_TRUE(other.cast(id, ballot(3)));
  auto outcome = record::replay(record::parse_board(service_->record(id).value()).value(), false);
  EXPECT_TRUE(outcome.status) << outcome.status.error().message;

  EXPECT_EQ(service_->import_board(text).error().code, ErrorCode::kAlreadyExists);
  auto all = service_->list();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1U);
}

TEST_P(ElectionsTest, BadBallotsAreRefusedPreciselyAndChangeNothing) {
  const ElectionId id = import();
  const std::string good = ballot(0);
  const auto before = service_->record(id).value();
  auto expect_bad = [&](std::string_view body, std::string_view needle) {
    auto r = service_->cast(id, body);
    ASSERT_FALSE(r) << body.substr(0, 60);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
    EXPECT_EQ(service_->record(id).value(), before);
  };
  expect_bad("not json", "not a JSON object");
  expect_bad(" " + good, "canonical");
  expect_bad(R"({"election":"00"})", "Bad ballot");
  // A changed signature.
  std::string forged = good;
  const auto sig = forged.rfind("\"sig\":\"") + 7;
  forged[sig] = forged[sig] == '0' ? '1' : '0';
  expect_bad(forged, "Bad ballot");
  // A ballot of another election: its credential is not on this list.
  TestElection stranger(ElectionShape{3, 2, 2, {}}, 99);
  stranger.open();
  expect_bad(boost::json::serialize(stranger.make_ballot(0, stranger.plain_for(0)).payload),
             "Bad ballot");
  // Signed by its credential, but two proofs swapped: each is valid, for the other ciphertext.
  // The batched check fails and the one-by-one check names the proof.
  {
    auto payload = election_->make_ballot(2, election_->plain_for(2)).payload;
    auto& choices = payload["answers"].as_array()[0].as_object()["choices"].as_array();
    std::swap(choices[0].as_object()["proof"], choices[1].as_object()["proof"]);
    payload.erase("sig");
    record::sign_payload(payload, "ballot", election_->voter(2).key());
    expect_bad(boost::json::serialize(payload), "question 1 choice 1");
  }
  EXPECT_EQ(service_->cast(999, good).error().code, ErrorCode::kNotFound);

  auto first = service_->cast(id, good);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->already_cast);
  // The same ballot again (a retry after a lost answer): recorded once, the same receipt.
  const auto after = service_->record(id).value();
  auto again = service_->cast(id, good);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_cast);
  EXPECT_EQ(again->seq, first->seq);
  EXPECT_EQ(service_->record(id).value(), after);
  // Another credential replaying this ballot's ciphertexts under its own signature is refused by
  // the replay check (§11); a stranger's signature is refused already (see above).
  EXPECT_TRUE(service_->cast(id, ballot(1)));
  EXPECT_EQ(service_->get(id)->ballots, 2U);
}

// Group commit: ballots arriving together are appended in one transaction, yet each gets its
// own outcome (a receipt, the first receipt again for a repeat, or its own error), and the
// board they make checks in full.
TEST_P(ElectionsTest, BallotsCastAtOnceEachGetTheirOwnOutcome) {
  const ElectionId id = import();
  ASSERT_TRUE(service_->cast(id, ballot(0)));  // the parameters are known from here on
  constexpr int kRounds = 3;
  constexpr std::uint32_t kVoters = 3;  // voters 1..3 of the fixture's 4
  std::vector<std::string> bodies;
  for (int round = 0; round < kRounds; ++round) {
    for (std::uint32_t v = 1; v <= kVoters; ++v) bodies.push_back(ballot(v, round));
    bodies.push_back(bodies[bodies.size() - 1]);  // a retry of the same ballot, at once
    std::string forged = bodies[bodies.size() - 2];
    const auto sig = forged.rfind("\"sig\":\"") + 7;
    forged[sig] = forged[sig] == '0' ? '1' : '0';
    bodies.push_back(forged);
  }
  std::vector<std::optional<Result<Receipt>>> outcomes(bodies.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] { outcomes[i] = service_->cast(id, bodies[i]); });
  }
  for (auto& t : threads) t.join();
  std::set<std::uint64_t> seqs;
  std::size_t fresh = 0;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    const auto& r = *outcomes[i];
    if (i % (kVoters + 2) == kVoters + 1) {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
      continue;
    }
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->tracker, crypto::to_hex(record::tracker_of(bodies[i])));
    if (!r->already_cast) ++fresh;
    seqs.insert(r->seq);
  }
  EXPECT_EQ(fresh, kRounds * kVoters);  // each repeat was recorded once
  EXPECT_EQ(seqs.size(), kRounds * kVoters);
  EXPECT_EQ(service_->get(id)->ballots, kRounds * kVoters + 1);
  auto outcome = record::replay(record::parse_board(service_->record(id).value()).value(), false);
  EXPECT_TRUE(outcome.status) << outcome.status.error().message;
}

TEST_P(ElectionsTest, ABoardClosedOfflineIsImportedOnTopAndVotingStops) {
  const ElectionId id = import();
  election_->cast(0, election_->plain_for(0));  // on the offline board only
  election_->close();
  const std::string closed_text = election_->board().serialize();
  std::string bad = closed_text;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(service_->import_board(bad));
  EXPECT_FALSE(service_->import_board(""));
  ASSERT_EQ(service_->import_board(closed_text).value(), id);
  EXPECT_EQ(service_->record(id).value(), closed_text);
  EXPECT_EQ(service_->get(id)->phase, "closed");
  EXPECT_EQ(service_->get(id)->ballots, 1U);
  auto late = service_->cast(id, ballot(1));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->import_board(closed_text).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Elections(*db_, clock_).warm_open().value(), 0U);  // closed: nothing to read ahead
}

TEST_P(ElectionsTest, ABoardThatDiffersFromTheSitesIsNotImportedOnTop) {
  const ElectionId id = import();
  ASSERT_TRUE(service_->cast(id, ballot(1)));   // on the site only
  election_->cast(0, election_->plain_for(0));  // on the offline board only
  election_->close();
  EXPECT_EQ(service_->import_board(election_->board().serialize()).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->get(id)->phase, "open");
}

TEST_P(ElectionsTest, StoredEventsCannotBeChangedOrDeleted) {
  const ElectionId id = import();
  {
    auto tx = db_->begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_FALSE((*tx)->exec("UPDATE election_events SET payload = '{}' WHERE election = ?", {id}));
  }
  {
    auto tx = db_->begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_FALSE((*tx)->exec("DELETE FROM election_events WHERE election = ?", {id}));
  }
  EXPECT_EQ(service_->record(id).value(), election_->board().serialize());
}

TEST_P(ElectionsTest, BallotsAreFoundByTrackerPrefix) {
  const ElectionId id = import();
  auto r0 = service_->cast(id, ballot(0));
  auto r1 = service_->cast(id, ballot(1));
  ASSERT_TRUE(r0 && r1);
  EXPECT_EQ(service_->ballots(id, "", 100)->size(), 2U);
  auto by_short = service_->ballots(id, r0->short_tracker.substr(0, 6), 100);
  ASSERT_TRUE(by_short);
  ASSERT_GE(by_short->size(), 1U);
  EXPECT_EQ(by_short->front().tracker, r0->tracker);
  auto by_hex = service_->ballots(id, r1->tracker.substr(0, 20), 100);
  ASSERT_EQ(by_hex->size(), 1U);
  EXPECT_EQ(by_hex->front().seq, r1->seq);
  EXPECT_EQ(service_->ballots(id, "%_'", 100).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->ballots(id, std::string(20, '9'), 100)->size(), 0U);
  EXPECT_EQ(service_->ballots(404, "", 100).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ElectionsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         test_support::backend_name);

}  // namespace
}  // namespace veche::elections
