#include "veche/decisions/motions.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "fixture.hpp"

namespace veche::decisions {
namespace {

using std::chrono::days;
using std::chrono::seconds;

class MotionsTest : public DecisionsTest {
 protected:
  void SetUp() override {
    DecisionsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    motions_ = std::make_unique<Motions>(*db_, clock_);
    a1_ = account("anna", "delegate", "alpha");
    a2_ = account("arkady", "delegate", "alpha");
    b_ = account("boris", "delegate", "beta");
    g_ = account("galina", "delegate", "gamma");
    citizen_ = account("ivan", "constituent");
  }

  NewMotion draft(RuleKind kind = RuleKind::kQualifiedMajority) {
    NewMotion m;
    m.title = "Demand bank accounts for exiles";
    m.text = "The coalition asks EU banks to **stop** closing accounts.";
    m.kind = MotionKind::kPosition;
    m.organization = "alpha";
    m.rule = {kind, {2, 3}, {1, 2}};
    m.voting_opens_at = kStart + days(2);
    m.voting_closes_at = kStart + days(9);
    return m;
  }

  MotionId propose(NewMotion m) {
    auto id = motions_->propose(a1_, m);
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(MotionId());
  }

  std::unique_ptr<Motions> motions_;
  registry::AccountId a1_, a2_, b_, g_, citizen_;
};

TEST_P(MotionsTest, ADelegateProposesAndTheLogAndOutboxShowIt) {
  const auto id = propose(draft());
  auto m = motions_->motion(id);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->title, "Demand bank accounts for exiles");
  EXPECT_EQ(m->organization, "alpha");
  EXPECT_EQ(m->proposer, "anna");
  EXPECT_EQ(m->electorate, (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(m->state(clock_.now()), MotionState::kDiscussion);
  const auto entries = log("motion/" + id.str());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].kind, "motion.proposed");
  const auto body = boost::json::parse(entries[0].body).as_object();
  EXPECT_EQ(body.at("rule").at("description").as_string(), "qualified majority 2/3, quorum 1/2");
  EXPECT_EQ(outbox_topics(), (std::vector<std::string>{"decisions.motion.opened"}));
}

TEST_P(MotionsTest, OnlyADelegateOfTheOrganizationProposes) {
  EXPECT_EQ(motions_->propose(b_, draft()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(motions_->propose(citizen_, draft()).error().code, ErrorCode::kPermissionDenied);
  auto unknown = draft();
  unknown.organization = "nobody";
  EXPECT_EQ(motions_->propose(a1_, unknown).error().code, ErrorCode::kNotFound);
  auto list = motions_->list();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST_P(MotionsTest, BadProposalsAreRefusedAndChangeNothing) {
  auto no_title = draft();
  no_title.title = "  ";
  auto past = draft();
  past.voting_opens_at = kStart - seconds(1);
  auto backwards = draft();
  backwards.voting_closes_at = backwards.voting_opens_at;
  auto long_window = draft();
  long_window.voting_closes_at = long_window.voting_opens_at + days(366);
  auto half = draft();
  half.rule.majority = {1, 2};
  auto bad_issue = draft();
  bad_issue.agenda_issues = {0};
  auto missing_issue = draft();
  missing_issue.agenda_issues = {4242};
  for (const auto& m : {no_title, past, backwards, long_window, half, bad_issue, missing_issue}) {
    auto r = motions_->propose(a1_, m);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().message;
  }
  EXPECT_TRUE(log().empty());
  EXPECT_TRUE(outbox_topics().empty());
}

TEST_P(MotionsTest, ACharterChangeTakesUnanimityWhenTheCharterNamesNoRule) {
  auto m = draft(RuleKind::kConsensus);
  m.kind = MotionKind::kCharterChange;
  const auto id = propose(m);
  auto got = motions_->motion(id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rule.kind, RuleKind::kUnanimity);
}

TEST_P(MotionsTest, TheCharterNamesTheRulesAndACharterChangeTakesTheStrictest) {
  registry::Registry reg(*db_, clock_);
  ASSERT_TRUE(
      reg.adopt_charter({"# Charter\n\n```decision-rules\n"
                         "qualified majority 2/3, quorum 1/2\n"
                         "qualified majority 3/4, quorum 2/3\n```\n",
                         ""}));
  // A rule the charter does not name is refused, and nothing is written.
  auto refused = motions_->propose(a1_, draft(RuleKind::kConsensus));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("qualified majority 3/4, quorum 2/3"), std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(log().empty());
  // A named rule is accepted.
  const auto ordinary = propose(draft());
  auto got = motions_->motion(ordinary);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rule, (DecisionRule{RuleKind::kQualifiedMajority, {2, 3}, {1, 2}}));
  // A charter change takes the stricter of the two, whatever the proposer chose.
  auto change = draft(RuleKind::kConsensus);
  change.kind = MotionKind::kCharterChange;
  got = motions_->motion(propose(change));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rule, (DecisionRule{RuleKind::kQualifiedMajority, {3, 4}, {2, 3}}));
}

TEST_P(MotionsTest, TheRuleCannotChangeOnceOpen) {
  const auto id = propose(draft());
  auto changed = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("UPDATE motions SET rule_kind = 'consensus' WHERE id = ?", {id.value()}));
    return ok();
  });
  EXPECT_FALSE(changed);
  auto got = motions_->motion(id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rule.kind, RuleKind::kQualifiedMajority);
}

TEST_P(MotionsTest, VotesAreAcceptedExactlyFromOpeningUntilJustBeforeClosing) {
  const auto id = propose(draft());
  clock_.set(kStart + days(2) - seconds(1));
  auto early = motions_->vote(a1_, id, "alpha", VoteChoice::kYes, "");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  clock_.set(kStart + days(2));
  EXPECT_TRUE(motions_->vote(a1_, id, "alpha", VoteChoice::kYes, ""));
  clock_.set(kStart + days(9) - seconds(1));
  EXPECT_TRUE(motions_->vote(b_, id, "beta", VoteChoice::kYes, ""));
  EXPECT_EQ(motions_->close(id, "operator").error().code, ErrorCode::kFailedPrecondition);
  clock_.set(kStart + days(9));
  auto late = motions_->vote(g_, id, "gamma", VoteChoice::kYes, "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  auto d = motions_->close(id, "operator");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->outcome, Outcome::kPassed);
  EXPECT_EQ(d->tally, (Tally{2, 0, 0, 0, 1}));
  EXPECT_EQ(motions_->close(id, "operator").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(motions_->vote(g_, id, "gamma", VoteChoice::kYes, "").error().code,
            ErrorCode::kFailedPrecondition);
  auto topics = outbox_topics();
  EXPECT_EQ(topics.back(), "decisions.motion.closed");
}

TEST_P(MotionsTest, OnlyDelegatesVoteAndOnlyForTheirOwnOrganization) {
  const auto id = propose(draft());
  clock_.set(kStart + days(3));
  EXPECT_EQ(motions_->vote(b_, id, "alpha", VoteChoice::kNo, "").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(motions_->vote(citizen_, id, "alpha", VoteChoice::kNo, "").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(motions_->vote(a1_, MotionId(999), "alpha", VoteChoice::kNo, "").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(motions_->vote(a1_, id, "alpha", VoteChoice::kObjection, " ").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(log("motion/" + id.str()).size(), 1u);
}

TEST_P(MotionsTest, AnOrganizationThatJoinedLaterDoesNotVote) {
  const auto id = propose(draft());
  registry::Registry reg(*db_, clock_);
  ASSERT_TRUE(reg.add_organization({"delta", {"Org delta", ""}, {}, ""}));
  const auto d = account("dmitri", "delegate", "delta");
  clock_.set(kStart + days(3));
  EXPECT_EQ(motions_->vote(d, id, "delta", VoteChoice::kYes, "").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(MotionsTest, ALaterVoteOfAnotherDelegateReplacesTheFirstAndTheLogShowsBoth) {
  const auto id = propose(draft(RuleKind::kConsensus));
  clock_.set(kStart + days(3));
  ASSERT_TRUE(motions_->vote(a1_, id, "alpha", VoteChoice::kObjection, "It is too vague."));
  ASSERT_TRUE(motions_->vote(a2_, id, "alpha", VoteChoice::kYes, ""));
  ASSERT_TRUE(motions_->vote(b_, id, "beta", VoteChoice::kAbstain, ""));
  auto m = motions_->motion(id);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->votes.size(), 3u);
  EXPECT_FALSE(m->votes[0].counts);
  EXPECT_TRUE(m->votes[1].counts);
  EXPECT_EQ(m->votes[0].reason, "It is too vague.");
  const auto entries = log("motion/" + id.str());
  ASSERT_EQ(entries.size(), 4u);
  const auto second = boost::json::parse(entries[2].body).as_object();
  EXPECT_EQ(second.at("replaces").at("delegate").as_string(), "anna");
  clock_.set(kStart + days(9));
  auto d = motions_->close(id, "anna");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->outcome, Outcome::kPassed) << d->reason;
  EXPECT_EQ(d->tally, (Tally{1, 0, 1, 0, 1}));
}

TEST_P(MotionsTest, ARecusedDelegateCannotVoteAndTheirVoteNoLongerCounts) {
  const auto id = propose(draft(RuleKind::kConsensus));
  clock_.set(kStart + days(3));
  ASSERT_TRUE(motions_->vote(a1_, id, "alpha", VoteChoice::kYes, ""));
  ASSERT_TRUE(motions_->declare_conflict(a1_, id, "alpha", "My employer would profit."));
  EXPECT_EQ(motions_->declare_conflict(a1_, id, "alpha", "Again.").error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(motions_->declare_conflict(a2_, id, "alpha", "").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(motions_->vote(a1_, id, "alpha", VoteChoice::kYes, "").error().code,
            ErrorCode::kPermissionDenied);
  auto m = motions_->motion(id);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->recusals.size(), 1u);
  EXPECT_EQ(m->recusals[0].delegate, "anna");
  EXPECT_FALSE(m->votes[0].counts);
  // Another delegate of the organization votes for it.
  ASSERT_TRUE(motions_->vote(a2_, id, "alpha", VoteChoice::kNo, ""));
  clock_.set(kStart + days(9));
  auto d = motions_->close(id, "operator");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->tally, (Tally{0, 1, 0, 0, 2}));
  EXPECT_EQ(d->outcome, Outcome::kNoQuorum);
}

TEST_P(MotionsTest, CloseDueClosesOnlyMotionsWhoseWindowEnded) {
  const auto first = propose(draft());
  auto later = draft();
  later.voting_closes_at = kStart + days(20);
  propose(later);
  clock_.set(kStart + days(10));
  auto n = motions_->close_due("operator");
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  auto list = motions_->list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->back().id, first);
  EXPECT_TRUE(list->back().closed);
  EXPECT_EQ(list->back().outcome, Outcome::kNoQuorum);
  EXPECT_FALSE(list->front().closed);
}

// A vote and the close race on two threads while the clock reaches the close time. Whatever
// the order, a vote that was accepted is counted, and a vote that would commit at or after
// the close time is refused.
TEST_P(MotionsTest, AVoteRacingTheCloseIsEitherCountedOrRefused) {
  int accepted = 0, refused = 0;
  for (int round = 0; round < 20; ++round) {
    clock_.set(kStart);
    auto m = draft();
    m.rule = {RuleKind::kQualifiedMajority, {2, 3}, {0, 1}};
    const auto id = propose(m);
    clock_.set(kStart + days(9) - seconds(1));
    Status vote_status;
    Result<Decision> closed = internal_error("not run");
    std::atomic<bool> go{false};
    std::thread voter([&] {
      while (!go.load()) {
      }
      vote_status = motions_->vote(b_, id, "beta", VoteChoice::kYes, "");
    });
    std::thread closer([&] {
      while (!go.load()) {
      }
      clock_.set(kStart + days(9));
      closed = motions_->close(id, "operator");
    });
    go.store(true);
    voter.join();
    closer.join();
    ASSERT_TRUE(closed) << closed.error().message;
    if (vote_status) {
      ++accepted;
      EXPECT_EQ(closed->tally.yes, 1);
    } else {
      ++refused;
      EXPECT_EQ(vote_status.error().code, ErrorCode::kFailedPrecondition);
      EXPECT_EQ(closed->tally.yes, 0);
    }
    auto stored = motions_->motion(id);
    ASSERT_TRUE(stored);
    for (const auto& v : stored->votes) EXPECT_LT(v.cast_at, stored->voting_closes_at);
  }
  EXPECT_EQ(accepted + refused, 20);
}

TEST_P(MotionsTest, AVoteAtTheCloseTimeIsRefusedWhicheverArrivesFirst) {
  for (const bool vote_first : {true, false}) {
    clock_.set(kStart);
    const auto id = propose(draft());
    clock_.set(kStart + days(9));
    Status vote_status;
    Result<Decision> closed = internal_error("not run");
    auto voter = [&] { vote_status = motions_->vote(b_, id, "beta", VoteChoice::kYes, ""); };
    auto closer = [&] { closed = motions_->close(id, "operator"); };
    std::thread first(vote_first ? std::function<void()>(voter) : std::function<void()>(closer));
    std::thread second(vote_first ? std::function<void()>(closer) : std::function<void()>(voter));
    first.join();
    second.join();
    ASSERT_FALSE(vote_status);
    EXPECT_EQ(vote_status.error().code, ErrorCode::kFailedPrecondition);
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->tally.yes, 0);
  }
}

TEST_P(MotionsTest, TheLogIsChainedAndAppendOnly) {
  const auto id = propose(draft());
  clock_.set(kStart + days(3));
  ASSERT_TRUE(motions_->vote(a1_, id, "alpha", VoteChoice::kYes, ""));
  ASSERT_TRUE(motions_->vote(b_, id, "beta", VoteChoice::kNo, "Not now."));
  clock_.set(kStart + days(9));
  ASSERT_TRUE(motions_->close(id, "operator"));
  auto report = verify_log(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->entries, 4);
  EXPECT_FALSE(report->first_broken);
  const auto entries = log();
  EXPECT_EQ(entries[1].prev_hash, entries[0].hash);
  EXPECT_EQ(entries[0].hash, log_entry_hash(entries[0]));
  auto edit = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("UPDATE decisions_log SET body = '{}' WHERE seq = 2"));
    return ok();
  });
  EXPECT_FALSE(edit);
  auto erase = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM motion_votes"));
    return ok();
  });
  EXPECT_FALSE(erase);
  // A mistake is answered by a correction entry.
  auto corrected = append_correction(*db_, clock_, 3, "The reason was misquoted.", "operator");
  ASSERT_TRUE(corrected) << corrected.error().message;
  EXPECT_EQ(*corrected, 5);
  EXPECT_EQ(append_correction(*db_, clock_, 99, "No such entry.", "operator").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(append_correction(*db_, clock_, 3, " ", "operator").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(MotionsTest, VerifyFindsATamperedEntry) {
  if (GetParam() != store::Backend::kSqlite) GTEST_SKIP() << "the trigger is dropped on SQLite";
  propose(draft());
  propose(draft());
  auto tamper = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DROP TRIGGER decisions_log_no_update"));
    VECHE_TRY(tx.exec("UPDATE decisions_log SET body = '{\"forged\":true}' WHERE seq = 1"));
    return ok();
  });
  ASSERT_TRUE(tamper) << tamper.error().message;
  auto report = verify_log(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_broken, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, MotionsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::decisions
