// Live reports on both backends: a vote is only enqueued by the request, reaches the stored
// report through the conversation's LiveAnalysis without a full analysis, and a full recompute
// after many live votes agrees with it (counts exact, groups ARI >= 0.9); the worker thread
// does both on its own.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../../src/conversations/src/internal.hpp"
#include "../consensus/synthetic.hpp"
#include "fixture.hpp"
#include "veche/conversations/report_worker.hpp"
#include "veche/crypto/random.hpp"

namespace veche::conversations {
namespace {

using consensus::Vote;

class LiveReportsTest : public ConversationsDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 7));
    ConversationsDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_ = std::make_unique<Conversations>(*db_, clock_, key_);
    ASSERT_TRUE(load_demo(*db_, clock_, key_));
    id_ = (*service_->list())[0].id;
    statements_ = *service_->statements(id_);
  }
  void TearDown() override {
    service_.reset();
    ConversationsDatabaseTest::TearDown();
  }

  // The demo participant's votes, as (statement, vote).
  std::vector<std::pair<StatementId, Vote>> votes_of(std::int64_t participant) {
    std::vector<std::pair<StatementId, Vote>> out;
    auto s = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT statement_id, vote FROM "
                                                 "conversation_votes WHERE conversation_id = ? "
                                                 "AND participant = ? ORDER BY statement_id",
                                                 {id_.value(), participant}));
      for (const auto& r : rows) {
        out.emplace_back(StatementId(r.int64(0)), static_cast<Vote>(r.int64(1)));
      }
      return ok();
    });
    EXPECT_TRUE(s);
    return out;
  }
  std::int64_t stored_votes() { return (*service_->report(id_))->votes; }
  // Whether the stored report is still the full analysis' version (a live update keeps it).
  bool full_analysis_behind() {
    bool behind = false;
    auto s = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
      VECHE_ASSIGN_OR_RETURN(
          auto row,
          tx.query_one("SELECT c.version > r.version FROM conversations c JOIN "
                       "conversation_reports r ON r.conversation_id = c.id WHERE c.id = ?",
                       {id_.value()}, "report"));
      behind = row.int64(0) != 0;
      return ok();
    });
    EXPECT_TRUE(s);
    return behind;
  }

  core::ManualClock clock_{core::from_unix(1'800'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Conversations> service_;
  ConversationId id_;
  std::vector<Statement> statements_;
};

TEST_P(LiveReportsTest, AVoteReachesTheStoredReportWithoutAFullAnalysis) {
  detail::LiveReports live;
  std::int64_t cursor = 0;
  ASSERT_TRUE(detail::recompute(*db_, clock_, id_, &live[id_.value()]));
  ASSERT_TRUE(live[id_.value()].analysis.has_value());
  const auto before = stored_votes();
  const auto& report = live[id_.value()].analysis->report();
  const auto s = static_cast<std::size_t>(live[id_.value()].analysis->votes().find_statement(
      std::to_string(statements_[0].id.value())));
  const auto agree = report.statement_counts[s].agree;

  const auto voter = add_account("newcomer", {"constituent"});
  ASSERT_TRUE(service_->vote(voter, id_, statements_[0].id, Vote::kAgree));
  EXPECT_EQ(stored_votes(), before);  // the request only enqueued it
  EXPECT_EQ(*detail::apply_queued(*db_, clock_, live, cursor), 1u);
  EXPECT_EQ(stored_votes(), before + 1);
  EXPECT_EQ(report.statement_counts[s].agree, agree + 1);
  EXPECT_TRUE(full_analysis_behind());  // still due for the full analysis

  // A changed vote moves the count, and the stored number of votes stays.
  ASSERT_TRUE(service_->vote(voter, id_, statements_[0].id, Vote::kDisagree));
  EXPECT_EQ(*detail::apply_queued(*db_, clock_, live, cursor), 1u);
  EXPECT_EQ(stored_votes(), before + 1);
  EXPECT_EQ(report.statement_counts[s].agree, agree);
  EXPECT_EQ(*detail::apply_queued(*db_, clock_, live, cursor), 0u);  // nothing queued since
}

TEST_P(LiveReportsTest, AFullRecomputeAfterManyLiveVotesAgrees) {
  detail::LiveReports live;
  std::int64_t cursor = 0;
  ASSERT_TRUE(detail::recompute(*db_, clock_, id_, &live[id_.value()]));
  // 40 newcomers vote as demo participants did (ten of each camp), each first the opposite way
  // on their first statement, then changing it.
  for (int i = 0; i < 40; ++i) {
    const auto voter = add_account("newcomer" + std::to_string(i), {"constituent"});
    const auto votes = votes_of(1 + (i % 4) * 20 + i / 4);
    ASSERT_FALSE(votes.empty());
    const auto flipped = votes[0].second == Vote::kAgree ? Vote::kDisagree : Vote::kAgree;
    ASSERT_TRUE(service_->vote(voter, id_, votes[0].first, flipped));
    for (const auto& [statement, vote] : votes) {
      ASSERT_TRUE(service_->vote(voter, id_, statement, vote));
    }
  }
  EXPECT_GT(*detail::apply_queued(*db_, clock_, live, cursor), 400u);
  const auto& incremental = *live[id_.value()].analysis;
  EXPECT_FALSE(live[id_.value()].stale);

  detail::LiveReport full;
  ASSERT_TRUE(detail::recompute(*db_, clock_, id_, &full));
  const auto& truth = *full.analysis;
  ASSERT_EQ(incremental.participant_count(), truth.participant_count());
  EXPECT_EQ(incremental.report().votes, truth.report().votes);
  for (std::size_t s = 0; s < truth.votes().statement_count(); ++s) {
    const auto t =
        static_cast<std::size_t>(incremental.votes().find_statement(truth.votes().statement_id(s)));
    const auto& a = incremental.report().statement_counts[t];
    const auto& b = truth.report().statement_counts[s];
    EXPECT_EQ(a.agree, b.agree) << s;
    EXPECT_EQ(a.disagree, b.disagree) << s;
    EXPECT_EQ(a.pass, b.pass) << s;
  }
  std::unordered_map<std::string, int> live_group;
  for (std::size_t p = 0; p < incremental.participant_count(); ++p) {
    live_group[incremental.participant_id(p)] = incremental.report().assignment[p];
  }
  std::vector<int> a, b;
  for (std::size_t p = 0; p < truth.participant_count(); ++p) {
    a.push_back(live_group.at(truth.participant_id(p)));
    b.push_back(truth.report().assignment[p]);
  }
  EXPECT_GE(consensus::testing::adjusted_rand_index(a, b), 0.9);
}

TEST_P(LiveReportsTest, TheWorkerStoresAVoteLiveAfterItsFirstFullAnalysis) {
  clock_.advance(std::chrono::seconds(10));  // the demo's report is past the debounce
  WorkerOptions options;
  options.poll = std::chrono::milliseconds(10);
  ReportWorker worker(*db_, clock_, key_, options);
  const auto before = stored_votes();
  // Waits (without timing anything: the deadline only ends a broken run) for the stored votes.
  auto wait_for = [&](std::int64_t votes) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (stored_votes() != votes && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return stored_votes() == votes;
  };
  // The first vote after a start: a full analysis, which the worker keeps.
  ASSERT_TRUE(
      service_->vote(add_account("first", {"constituent"}), id_, statements_[0].id, Vote::kAgree));
  ASSERT_TRUE(wait_for(before + 1));
  // The next ones: live, the full analysis stays behind (the clock does not move).
  ASSERT_TRUE(service_->vote(add_account("second", {"constituent"}), id_, statements_[1].id,
                             Vote::kDisagree));
  ASSERT_TRUE(wait_for(before + 2));
  EXPECT_TRUE(full_analysis_behind());
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveReportsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::conversations
