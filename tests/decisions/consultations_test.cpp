#include "veche/decisions/consultations.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.hpp"

namespace veche::decisions {
namespace {

using std::chrono::days;
using std::chrono::seconds;

class ConsultationsTest : public DecisionsTest {
 protected:
  void SetUp() override {
    DecisionsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_ = std::make_unique<Consultations>(*db_, clock_, key_);
    for (int i = 0; i < 5; ++i)
      voters_.push_back(account("voter" + std::to_string(i), "constituent"));
    delegate_ = account("delegate", "delegate", "alpha");
  }

  NewConsultation draft(QuestionKind kind = QuestionKind::kSingleChoice, std::string method = "") {
    NewConsultation c;
    c.title = "Which problem first?";
    c.question = "Pick the problem that affects you most.";
    c.kind = kind;
    c.method = std::move(method);
    c.options = {"Banks", "Visas", "Cars"};
    c.closes_at = kStart + days(7);
    return c;
  }

  ConsultationId open(NewConsultation c) {
    auto id = service_->open(c, "operator");
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(ConsultationId());
  }

  std::unique_ptr<Consultations> service_;
  std::vector<registry::AccountId> voters_;
  registry::AccountId delegate_;
};

TEST_P(ConsultationsTest, OpensWithMethodAndCloseTimeFrozen) {
  const auto id = open(draft(QuestionKind::kRanked, "irv"));
  auto c = service_->consultation(id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->method, count::Method::kInstantRunoff);
  EXPECT_EQ(c->closes_at, kStart + days(7));
  auto changed = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("UPDATE consultations SET closes_at = closes_at + 1"));
    return ok();
  });
  EXPECT_FALSE(changed);
  auto changed_method = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("UPDATE consultations SET method = 'schulze'"));
    return ok();
  });
  EXPECT_FALSE(changed_method);
  EXPECT_EQ(log("consultation/" + id.str()).front().kind, "consultation.opened");
  EXPECT_EQ(outbox_topics(), (std::vector<std::string>{"decisions.consultation.opened"}));
}

TEST_P(ConsultationsTest, BadConsultationsAreRefused) {
  auto one_option = draft();
  one_option.options = {"Banks"};
  auto same = draft();
  same.options = {"Banks", " Banks "};
  auto wrong_method = draft(QuestionKind::kSingleChoice, "schulze");
  auto unknown_method = draft(QuestionKind::kRanked, "dice");
  auto past = draft();
  past.closes_at = kStart;
  auto no_title = draft();
  no_title.title = "";
  for (const auto& c : {one_option, same, wrong_method, unknown_method, past, no_title}) {
    auto r = service_->open(c, "operator");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().message;
  }
  auto list = service_->list();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST_P(ConsultationsTest, ResultsOnlyAfterCloseAndOneChangeableBallotPerAccount) {
  const auto id = open(draft());
  ASSERT_TRUE(service_->cast(voters_[0], id, {0}));
  ASSERT_TRUE(service_->cast(voters_[0], id, {1}));  // changes the ballot
  ASSERT_TRUE(service_->cast(voters_[1], id, {1}));
  ASSERT_TRUE(service_->cast(voters_[2], id, {2}));
  auto mine = service_->ballot_of(voters_[0], id);
  ASSERT_TRUE(mine);
  EXPECT_EQ(*mine, (std::optional<Choices>(Choices{1})));
  auto early = service_->result(id);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  auto open_view = service_->consultation(id);
  ASSERT_TRUE(open_view);
  EXPECT_TRUE(open_view->report_json.empty());
  EXPECT_EQ(service_->close(id, "operator").error().code, ErrorCode::kFailedPrecondition);

  clock_.set(kStart + days(7) - seconds(1));
  EXPECT_TRUE(service_->cast(voters_[3], id, {1}));
  clock_.set(kStart + days(7));
  EXPECT_EQ(service_->cast(voters_[4], id, {0}).error().code, ErrorCode::kFailedPrecondition);
  auto closed = service_->close(id, "operator");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->ballots, 4);
  EXPECT_EQ(closed->winners, (std::vector<int>{1}));
  EXPECT_EQ(closed->totals, (std::vector<std::string>{"0", "3", "1"}));
  auto result = service_->result(id);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->report_json, closed->report_json);
  EXPECT_EQ(service_->close(id, "operator").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->cast(voters_[4], id, {0}).error().code, ErrorCode::kFailedPrecondition);
  const auto entries = log("consultation/" + id.str());
  ASSERT_EQ(entries.size(), 2u);
  const auto body = boost::json::parse(entries[1].body).as_object();
  EXPECT_EQ(body.at("ballots").as_int64(), 4);
  EXPECT_EQ(body.at("report").at("winners").as_array().at(0).as_int64(), 1);
  EXPECT_EQ(outbox_topics().back(), "decisions.consultation.closed");
}

TEST_P(ConsultationsTest, BallotsAreStoredWithoutTheAccount) {
  const auto id = open(draft());
  ASSERT_TRUE(service_->cast(voters_[0], id, {2}));
  auto tx = db_->begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto rows = (*tx)->query("SELECT * FROM consultation_ballots");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  const auto& row = rows->front();
  EXPECT_EQ(row.size(), 3u);  // consultation, voter key, choices: nothing else
  EXPECT_EQ(row.blob(1).size(), 32u);
  EXPECT_EQ(row.text(2), "[2]");
  tx->reset();
  // The voter key differs between consultations for the same account.
  const auto second = open(draft());
  ASSERT_TRUE(service_->cast(voters_[0], second, {2}));
  auto again = db_->begin(store::Access::kRead);
  ASSERT_TRUE(again);
  auto keys = (*again)->query("SELECT DISTINCT voter_key FROM consultation_ballots");
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 2u);
}

TEST_P(ConsultationsTest, BallotsMustFitTheQuestionAndComeFromConstituents) {
  const auto single = open(draft());
  EXPECT_EQ(service_->cast(voters_[0], single, {0, 1}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->cast(voters_[0], single, {}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->cast(voters_[0], single, {3}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->cast(voters_[0], single, {-1}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->cast(delegate_, single, {0}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->cast(voters_[0], ConsultationId(77), {0}).error().code, ErrorCode::kNotFound);
  const auto ranked = open(draft(QuestionKind::kRanked));
  EXPECT_EQ(service_->cast(voters_[0], ranked, {0, 0}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(service_->cast(voters_[0], ranked, {2, 0}));
}

TEST_P(ConsultationsTest, ApprovalAndRankedQuestionsAreCountedWithTheirMethods) {
  const auto approval = open(draft(QuestionKind::kApproval));
  const auto ranked = open(draft(QuestionKind::kRanked));
  const Choices approvals[] = {{0, 1}, {1}, {1, 2}, {0, 2}, {2}};
  const Choices rankings[] = {{2, 1, 0}, {2, 0, 1}, {1, 2, 0}, {0, 1, 2}, {1, 0, 2}};
  for (std::size_t i = 0; i < voters_.size(); ++i) {
    ASSERT_TRUE(service_->cast(voters_[i], approval, approvals[i]));
    ASSERT_TRUE(service_->cast(voters_[i], ranked, rankings[i]));
  }
  clock_.set(kStart + days(8));
  auto n = service_->close_due("operator");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  auto a = service_->result(approval);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->method, count::Method::kApproval);
  EXPECT_EQ(a->totals, (std::vector<std::string>{"2", "3", "3"}));
  auto r = service_->result(ranked);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, count::Method::kSchulze);
  // Pairwise: 2 beats 0 (3:2), 1 beats 0 (3:2), 2 vs 1 is 2:3 -> 1 wins.
  EXPECT_EQ(r->winners, (std::vector<int>{1}));
}

TEST_P(ConsultationsTest, AConsultationWithoutBallotsStillCloses) {
  const auto id = open(draft());
  clock_.set(kStart + days(7));
  auto closed = service_->close(id, "operator");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->ballots, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsultationsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::decisions
