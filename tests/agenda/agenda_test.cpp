// The agenda service on both backends: raising and supporting issues, admission, merging,
// moderation with appeals, priority rounds counted with the counting engine, and the mandate.
#include "veche/agenda/agenda.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/crypto/random.hpp"

namespace veche::agenda {
namespace {

using registry::AccountId;

class AgendaTest : public AgendaDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 7));
    AgendaDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    agenda_ = std::make_unique<Agenda>(*db_, clock_, key_);
    alice_ = add_account("alice", {"constituent"});
    bob_ = add_account("bob", {"constituent"});
    carol_ = add_account("carol", {"constituent"});
    mod_ = add_account("mod", {"moderator"});
    outsider_ = add_account("outsider", {});
  }
  void TearDown() override {
    agenda_.reset();
    AgendaDatabaseTest::TearDown();
  }

  NewIssue sample(std::string title = "Bank accounts for exiles") {
    NewIssue i;
    i.title = std::move(title);
    i.body = "Banks **refuse** accounts.";
    i.countries = {"de", "LT", "de"};
    i.groups = {"exiles", " students "};
    i.tags = {"banking"};
    return i;
  }
  IssueId raise(std::string title = "Bank accounts for exiles") {
    auto id = agenda_->raise(alice_, sample(std::move(title)));
    EXPECT_TRUE(id) << id.error().message;
    return *id;
  }
  std::int64_t outbox_count(std::string_view topic) {
    auto all = recent(*db_, kMaxPendingLimit);
    EXPECT_TRUE(all);
    return std::count_if(all->begin(), all->end(),
                         [&](const OutboxEntry& e) { return e.topic == topic; });
  }
  std::vector<std::string> kinds(IssueId id) {
    auto h = agenda_->history(id);
    EXPECT_TRUE(h);
    std::vector<std::string> out;
    for (const auto& e : *h) out.push_back(e.kind);
    return out;
  }
  // Two admitted issues and a round over them, open now for a day.
  RoundId open_round(RoundMethod method, std::vector<IssueId>& issues) {
    EXPECT_TRUE(agenda_->set_threshold(1));
    issues = {raise("First"), raise("Second"), raise("Third")};
    for (auto id : issues) EXPECT_TRUE(agenda_->support(alice_, id));
    auto r = agenda_->create_round(mod_, "Spring", method, clock_.now(),
                                   clock_.now() + std::chrono::days(1));
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  core::ManualClock clock_{core::from_unix(1'800'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Agenda> agenda_;
  AccountId alice_, bob_, carol_, mod_, outsider_;
};

TEST_P(AgendaTest, AConstituentRaisesAnIssueThatIsNormalizedAndHasAHistory) {
  IssueId id = raise();
  auto issue = agenda_->issue(id);
  ASSERT_TRUE(issue) << issue.error().message;
  EXPECT_EQ(issue->title, "Bank accounts for exiles");
  EXPECT_EQ(issue->countries, (std::vector<std::string>{"DE", "LT"}));
  EXPECT_EQ(issue->groups, (std::vector<std::string>{"exiles", "students"}));
  EXPECT_EQ(issue->tags, (std::vector<std::string>{"banking"}));
  EXPECT_EQ(issue->state, IssueState::kProposed);
  EXPECT_EQ(issue->supports, 0);
  EXPECT_EQ(kinds(id), (std::vector<std::string>{"raised"}));
  EXPECT_EQ(outbox_count("agenda.issue.raised"), 1);
}

TEST_P(AgendaTest, OnlyConstituentsRaiseAndSupport) {
  EXPECT_EQ(agenda_->raise(outsider_, sample()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(agenda_->raise(mod_, sample()).error().code, ErrorCode::kPermissionDenied);
  IssueId id = raise();
  EXPECT_EQ(agenda_->support(outsider_, id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(agenda_->issue(id)->supports, 0);
}

TEST_P(AgendaTest, BadIssuesAreRefusedNamingTheField) {
  auto expect_bad = [&](NewIssue i, std::string_view word) {
    auto r = agenda_->raise(alice_, std::move(i));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(word), std::string::npos) << r.error().message;
  };
  auto i = sample();
  i.title = "  ";
  expect_bad(i, "title");
  i = sample();
  i.title = std::string(kMaxTitleChars + 1, 'x');
  expect_bad(i, "title");
  i = sample();
  i.tags = {"cars"};
  expect_bad(i, "tag");
  i = sample();
  i.tags = {};
  expect_bad(i, "tag");
  i = sample();
  i.countries = {"Germany"};
  expect_bad(i, "countries");
  i = sample();
  i.body = std::string(kMaxBodyBytes + 1, 'x');
  expect_bad(i, "description");
  i = sample();
  i.body = "bad \xff utf-8";
  expect_bad(i, "description");
  i = sample();
  i.groups = {"a,b"};
  expect_bad(i, "group");
  auto all = agenda_->list({});
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST_P(AgendaTest, SupportIsOnePerAccountAndWithdrawable) {
  IssueId id = raise();
  EXPECT_EQ(*agenda_->support(alice_, id), 1);
  EXPECT_EQ(agenda_->support(alice_, id).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(*agenda_->support(bob_, id), 2);
  EXPECT_TRUE(*agenda_->supports(bob_, id));
  EXPECT_EQ(*agenda_->withdraw(bob_, id), 1);
  EXPECT_FALSE(*agenda_->supports(bob_, id));
  EXPECT_EQ(agenda_->withdraw(bob_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(agenda_->issue(id)->supports, 1);
  EXPECT_EQ(agenda_->support(alice_, IssueId(9999)).error().code, ErrorCode::kNotFound);
}

TEST_P(AgendaTest, ErasingAnAccountTakesItsSupportsOutOfTheCount) {
  IssueId id = raise();
  ASSERT_TRUE(agenda_->support(alice_, id));
  ASSERT_TRUE(agenda_->support(bob_, id));
  auto erased = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM accounts WHERE id = ?", {bob_.value()}));
    return ok();
  });
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_EQ(agenda_->issue(id)->supports, 1);
}

TEST_P(AgendaTest, AnIssueReachingTheThresholdIsAdmittedOnceAndStaysAdmitted) {
  EXPECT_EQ(*agenda_->threshold(), kDefaultThreshold);
  ASSERT_TRUE(agenda_->set_threshold(2));
  IssueId id = raise();
  ASSERT_TRUE(agenda_->support(alice_, id));
  EXPECT_EQ(agenda_->issue(id)->state, IssueState::kProposed);
  ASSERT_TRUE(agenda_->support(bob_, id));
  EXPECT_EQ(agenda_->issue(id)->state, IssueState::kAdmitted);
  ASSERT_TRUE(agenda_->withdraw(bob_, id));
  ASSERT_TRUE(agenda_->support(bob_, id));
  EXPECT_EQ(agenda_->issue(id)->state, IssueState::kAdmitted);
  EXPECT_EQ(kinds(id), (std::vector<std::string>{"raised", "admitted"}));
  EXPECT_EQ(outbox_count("agenda.issue.admitted"), 1);
}

TEST_P(AgendaTest, LoweringTheThresholdAdmitsIssuesAlreadyPastIt) {
  IssueId id = raise();
  ASSERT_TRUE(agenda_->support(alice_, id));
  EXPECT_EQ(agenda_->issue(id)->state, IssueState::kProposed);
  ASSERT_TRUE(agenda_->set_threshold(1));
  EXPECT_EQ(agenda_->issue(id)->state, IssueState::kAdmitted);
  EXPECT_EQ(agenda_->set_threshold(0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*agenda_->threshold(), 1);
}

TEST_P(AgendaTest, MergingCarriesSupportsOverCountingEachPersonOnce) {
  IssueId keep = raise("Banks");
  IssueId dup = raise("Banks again");
  ASSERT_TRUE(agenda_->support(alice_, keep));
  ASSERT_TRUE(agenda_->support(alice_, dup));
  ASSERT_TRUE(agenda_->support(bob_, dup));
  EXPECT_EQ(agenda_->merge(alice_, dup, keep).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(agenda_->merge(mod_, dup, keep));
  auto kept = agenda_->issue(keep);
  EXPECT_EQ(kept->supports, 2);
  auto merged = agenda_->issue(dup);
  EXPECT_EQ(merged->state, IssueState::kMerged);
  EXPECT_EQ(merged->merged_into, keep);
  EXPECT_EQ(agenda_->support(carol_, dup).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(agenda_->merge(mod_, keep, dup).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(agenda_->merge(AccountId{}, keep, keep).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(kinds(dup), (std::vector<std::string>{"raised", "merged-into"}));
  EXPECT_EQ(kinds(keep), (std::vector<std::string>{"raised", "merged-from"}));
  // Bob's support moved: withdrawing it from the surviving issue works.
  EXPECT_EQ(*agenda_->withdraw(bob_, keep), 1);
  auto listed = agenda_->list({});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 1u);
}

TEST_P(AgendaTest, ModerationHidesWithAPublicReasonAndTheAuthorAppeals) {
  IssueId id = raise();
  ASSERT_TRUE(agenda_->report(bob_, id, "spam"));
  EXPECT_EQ(agenda_->report(bob_, id, " ").error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(agenda_->open_reports()->size(), 1u);
  EXPECT_EQ(agenda_->hide(bob_, id, "no").error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(agenda_->hide(mod_, id, "Advertising, not an issue"));
  EXPECT_TRUE(agenda_->open_reports()->empty());
  auto hidden = agenda_->issue(id);
  EXPECT_EQ(hidden->hidden_reason, "Advertising, not an issue");
  EXPECT_EQ(hidden->body, "");
  EXPECT_EQ(agenda_->support(bob_, id).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(agenda_->hide(mod_, id, "again").error().code, ErrorCode::kFailedPrecondition);

  EXPECT_EQ(agenda_->appeal(bob_, id, "mine").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(agenda_->decide_appeal(mod_, id, true, "x").error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(agenda_->appeal(alice_, id, "It is about real refusals"));
  EXPECT_EQ(agenda_->appeal(alice_, id, "again").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(agenda_->issue(id)->appeal_pending);
  ASSERT_TRUE(agenda_->decide_appeal(mod_, id, false, "Still advertising"));
  EXPECT_TRUE(agenda_->issue(id)->hidden_reason);
  ASSERT_TRUE(agenda_->appeal(alice_, id, "Rewritten"));
  ASSERT_TRUE(agenda_->decide_appeal(mod_, id, true, "Fair point"));
  auto shown = agenda_->issue(id);
  EXPECT_FALSE(shown->hidden_reason);
  EXPECT_EQ(shown->body, "Banks **refuse** accounts.");
  EXPECT_EQ(kinds(id), (std::vector<std::string>{"raised", "hidden", "appealed", "appeal-rejected",
                                                 "appealed", "reinstated"}));
  auto history = agenda_->history(id);
  EXPECT_EQ((*history)[1].detail, "Advertising, not an issue");
}

TEST_P(AgendaTest, ListFiltersByTagAndCountryAndSorts) {
  IssueId a = raise("A");
  auto other = sample("B");
  other.tags = {"vehicles", "documents"};
  other.countries = {"FI"};
  auto b = agenda_->raise(alice_, other);
  ASSERT_TRUE(b);
  ASSERT_TRUE(agenda_->support(bob_, *b));
  auto by_support = agenda_->list({});
  ASSERT_EQ(by_support->size(), 2u);
  EXPECT_EQ((*by_support)[0].id, *b);
  EXPECT_EQ((*by_support)[0].tags, (std::vector<std::string>{"documents", "vehicles"}));
  IssueFilter newest;
  newest.sort = SortOrder::kNewest;
  EXPECT_EQ((*agenda_->list(newest))[1].id, a);
  IssueFilter tag;
  tag.tag = "banking";
  EXPECT_EQ(agenda_->list(tag)->size(), 1u);
  IssueFilter country;
  country.country = "fi";
  ASSERT_EQ(agenda_->list(country)->size(), 1u);
  EXPECT_EQ((*agenda_->list(country))[0].id, *b);
  tag.tag = "nope";
  EXPECT_EQ(agenda_->list(tag).error().code, ErrorCode::kInvalidArgument);
  country.country = "FIN";
  EXPECT_EQ(agenda_->list(country).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(AgendaTest, ARoundNeedsTwoAdmittedIssuesAndAModerator) {
  EXPECT_EQ(agenda_
                ->create_round(mod_, "R", RoundMethod::kSchulze, clock_.now(),
                               clock_.now() + std::chrono::hours(1))
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
  std::vector<IssueId> issues;
  open_round(RoundMethod::kSchulze, issues);
  EXPECT_EQ(agenda_
                ->create_round(alice_, "R", RoundMethod::kSchulze, clock_.now(),
                               clock_.now() + std::chrono::hours(1))
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(agenda_
                ->create_round(mod_, "R", RoundMethod::kSchulze, clock_.now(),
                               clock_.now() - std::chrono::hours(1))
                .error()
                .code,
            ErrorCode::kInvalidArgument);
}

TEST_P(AgendaTest, BallotsAreOnePerAccountChangeableAndStoredWithoutTheAccount) {
  std::vector<IssueId> i;
  RoundId r = open_round(RoundMethod::kSchulze, i);
  ASSERT_TRUE(agenda_->cast(alice_, r, {i[0], i[1]}));
  ASSERT_TRUE(agenda_->cast(alice_, r, {i[2], i[0]}));
  ASSERT_TRUE(agenda_->cast(bob_, r, {i[2]}));
  EXPECT_EQ(*agenda_->ballot_of(alice_, r), (Ballot{i[2], i[0]}));
  EXPECT_TRUE(agenda_->ballot_of(carol_, r)->empty());
  EXPECT_EQ(agenda_->round(r)->ballots, 2);
  EXPECT_EQ(agenda_->cast(outsider_, r, {i[0]}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(agenda_->cast(carol_, r, {i[0], i[0]}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(agenda_->cast(carol_, r, {IssueId(999)}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(agenda_->cast(carol_, r, {}).error().code, ErrorCode::kInvalidArgument);
  // No column of the ballots table holds an account id.
  auto tx = db_->begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto rows = (*tx)->query("SELECT voter_key, ballot FROM agenda_ballots");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& row : *rows) EXPECT_EQ(row.blob(0).size(), 32u);
}

TEST_P(AgendaTest, ASchulzeRoundIsCountedAfterCloseAndBecomesTheMandate) {
  std::vector<IssueId> i;
  RoundId r = open_round(RoundMethod::kSchulze, i);
  ASSERT_TRUE(agenda_->cast(alice_, r, {i[2], i[0], i[1]}));
  ASSERT_TRUE(agenda_->cast(bob_, r, {i[2], i[1]}));
  ASSERT_TRUE(agenda_->cast(carol_, r, {i[0], i[2]}));
  EXPECT_EQ(agenda_->count_round(r).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(agenda_->mandate()->empty());
  clock_.advance(std::chrono::days(2));
  EXPECT_EQ(agenda_->cast(alice_, r, {i[0]}).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*agenda_->count_due_rounds(), 1);
  auto counted = agenda_->round(r);
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->phase, RoundPhase::kCounted);
  ASSERT_FALSE(counted->ranking.empty());
  EXPECT_EQ(counted->ranking[0], (std::vector<IssueId>{i[2]}));
  EXPECT_NE(counted->report_json.find("schulze"), std::string::npos);
  EXPECT_EQ(*agenda_->count_due_rounds(), 0);
  auto mandate = agenda_->mandate();
  ASSERT_EQ(mandate->size(), 1u);
  EXPECT_EQ((*mandate)[0].id, r);
  EXPECT_EQ(outbox_count("agenda.round.counted"), 1);
}

TEST_P(AgendaTest, AnApprovalRoundCountsEveryApprovedIssue) {
  std::vector<IssueId> i;
  RoundId r = open_round(RoundMethod::kApproval, i);
  ASSERT_TRUE(agenda_->cast(alice_, r, {i[1], i[2]}));
  ASSERT_TRUE(agenda_->cast(bob_, r, {i[1]}));
  ASSERT_TRUE(agenda_->close_round(mod_, r));
  EXPECT_EQ(agenda_->close_round(mod_, r).error().code, ErrorCode::kFailedPrecondition);
  auto counted = agenda_->count_round(r);
  ASSERT_TRUE(counted) << counted.error().message;
  ASSERT_GE(counted->ranking.size(), 2u);
  EXPECT_EQ(counted->ranking[0], (std::vector<IssueId>{i[1]}));
  EXPECT_EQ(counted->ranking[1], (std::vector<IssueId>{i[2]}));
}

TEST_P(AgendaTest, AnInstantRunoffRoundRanksTheWinnerFirst) {
  std::vector<IssueId> i;
  RoundId r = open_round(RoundMethod::kInstantRunoff, i);
  AccountId dave = add_account("dave", {"constituent"});
  AccountId eve = add_account("eve", {"constituent"});
  // First preferences 2 / 2 / 1: the third is excluded and its ballot moves to the first.
  ASSERT_TRUE(agenda_->cast(alice_, r, {i[0], i[1]}));
  ASSERT_TRUE(agenda_->cast(eve, r, {i[0]}));
  ASSERT_TRUE(agenda_->cast(bob_, r, {i[1]}));
  ASSERT_TRUE(agenda_->cast(carol_, r, {i[1]}));
  ASSERT_TRUE(agenda_->cast(dave, r, {i[2], i[0]}));
  clock_.advance(std::chrono::days(2));
  auto counted = agenda_->count_round(r);
  ASSERT_TRUE(counted) << counted.error().message;
  ASSERT_EQ(counted->ranking.size(), 3u);
  EXPECT_EQ(counted->ranking[0], (std::vector<IssueId>{i[0]}));
  EXPECT_EQ(counted->ranking[1], (std::vector<IssueId>{i[1]}));
  EXPECT_EQ(counted->ranking[2], (std::vector<IssueId>{i[2]}));
  EXPECT_NE(counted->report_text.find("excluded"), std::string::npos) << counted->report_text;
}

TEST_P(AgendaTest, TheDemoLoadsWithACountedRoundAndAnOpenOne) {
  ASSERT_TRUE(load_demo(*db_, clock_, key_));
  auto issues = agenda_->list({});
  ASSERT_TRUE(issues);
  EXPECT_EQ(issues->size(), 7u);
  auto mandate = agenda_->mandate();
  ASSERT_TRUE(mandate);
  EXPECT_EQ(mandate->size(), 1u);
  auto rounds = agenda_->rounds();
  ASSERT_EQ(rounds->size(), 2u);
  EXPECT_EQ((*rounds)[0].phase, RoundPhase::kOpen);
}

INSTANTIATE_TEST_SUITE_P(Backends, AgendaTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::agenda
