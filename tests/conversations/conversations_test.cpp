// The conversations service on both backends: opening, audiences, votes one per participant
// and changeable until the close, moderation of submitted statements, routing of the next
// statement, the export `veche consensus analyse` reads, and the debounced report.
#include "veche/conversations/conversations.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.hpp"
#include "veche/consensus/csv.hpp"
#include "veche/crypto/random.hpp"

namespace veche::conversations {
namespace {

using consensus::Vote;
using registry::AccountId;

class ConversationsTest : public ConversationsDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 7));
    ConversationsDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_ = std::make_unique<Conversations>(*db_, clock_, key_);
    alice_ = add_account("alice", {"constituent"});
    bob_ = add_account("bob", {"constituent"});
    delegate_ = add_account("delegate", {"delegate"});
    mod_ = add_account("mod", {"moderator"});
    outsider_ = add_account("outsider", {});
  }
  void TearDown() override {
    service_.reset();
    ConversationsDatabaseTest::TearDown();
  }

  NewConversation sample(Audience audience = Audience::kBoth) {
    NewConversation c;
    c.question = "  What should we demand?  ";
    c.description = "Say what you **think**.";
    c.audience = audience;
    c.closes_at = clock_.now() + std::chrono::days(7);
    c.seeds = {"Humanitarian visas", "", "Bank accounts", "Humanitarian visas", "Work permits"};
    return c;
  }
  ConversationId open_sample(Audience audience = Audience::kBoth) {
    auto id = service_->open(delegate_, sample(audience));
    EXPECT_TRUE(id) << id.error().message;
    return *id;
  }
  std::vector<Statement> statements(ConversationId id) {
    auto s = service_->statements(id);
    EXPECT_TRUE(s) << s.error().message;
    return *s;
  }

  core::ManualClock clock_{core::from_unix(1'800'000'000)};
  crypto::SecretBytes key_;
  std::unique_ptr<Conversations> service_;
  AccountId alice_, bob_, delegate_, mod_, outsider_;
};

TEST_P(ConversationsTest, DelegatesAndModeratorsOpenConversationsWithTheirSeeds) {
  const auto id = open_sample();
  auto c = service_->conversation(id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->question, "What should we demand?");
  EXPECT_TRUE(c->open);
  EXPECT_EQ(c->statements, 3);  // the empty line and the duplicate are dropped
  const auto list = statements(id);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_TRUE(list[0].seed);
  EXPECT_EQ(list[0].text, "Humanitarian visas");
  EXPECT_TRUE(service_->open(mod_, sample()));
  EXPECT_TRUE(service_->open(AccountId{}, sample()));  // the operator at the command line

  auto denied = service_->open(alice_, sample());
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto all = service_->list();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(ConversationsTest, BadConversationsAreRefusedAndChangeNothing) {
  auto empty = sample();
  empty.question = "   ";
  auto past = sample();
  past.closes_at = clock_.now();
  auto long_seed = sample();
  long_seed.seeds.push_back(std::string(kMaxStatementChars + 1, 'x'));
  auto two_lines = sample();
  two_lines.question = "one\ntwo";
  for (const auto& bad : {empty, past, long_seed, two_lines}) {
    auto r = service_->open(delegate_, bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(service_->list()->empty());
}

TEST_P(ConversationsTest, OneVotePerParticipantPerStatementChangeableUntilTheClose) {
  const auto id = open_sample();
  const auto s = statements(id)[0].id;
  ASSERT_TRUE(service_->vote(alice_, id, s, Vote::kAgree));
  ASSERT_TRUE(service_->vote(alice_, id, s, Vote::kAgree));
  ASSERT_TRUE(service_->vote(bob_, id, s, Vote::kPass));
  auto st = service_->statement(s);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->agree, 1);
  EXPECT_EQ(st->pass, 1);
  ASSERT_TRUE(service_->vote(alice_, id, s, Vote::kDisagree));  // changed
  st = service_->statement(s);
  EXPECT_EQ(st->agree, 0);
  EXPECT_EQ(st->disagree, 1);
  EXPECT_EQ(*service_->vote_of(alice_, s), Vote::kDisagree);
  EXPECT_FALSE(service_->vote_of(outsider_, s)->has_value());
  EXPECT_EQ(*service_->voted(alice_, id), 1);
  auto c = service_->conversation(id);
  EXPECT_EQ(c->participants, 2);
  EXPECT_EQ(c->votes, 2);

  clock_.advance(std::chrono::days(8));
  auto closed = service_->vote(alice_, id, s, Vote::kAgree);
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*service_->vote_of(alice_, s), Vote::kDisagree);
  EXPECT_FALSE(service_->conversation(id)->open);
}

TEST_P(ConversationsTest, OnlyTheAudienceTakesPart) {
  const auto delegates_only = open_sample(Audience::kDelegates);
  const auto s = statements(delegates_only)[0].id;
  auto r = service_->vote(alice_, delegates_only, s, Vote::kAgree);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->vote(delegate_, delegates_only, s, Vote::kAgree));
  EXPECT_FALSE(*service_->in_audience(alice_, delegates_only));

  const auto constituents = open_sample(Audience::kConstituents);
  const auto t = statements(constituents)[0].id;
  EXPECT_FALSE(service_->vote(delegate_, constituents, t, Vote::kAgree));
  EXPECT_FALSE(service_->vote(outsider_, constituents, t, Vote::kAgree));
  EXPECT_TRUE(service_->vote(alice_, constituents, t, Vote::kAgree));
  // A statement of another conversation is not found here.
  auto other = service_->vote(alice_, constituents, s, Vote::kAgree);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
}

TEST_P(ConversationsTest, SubmittedStatementsWaitForAModerator) {
  const auto id = open_sample();
  auto sid = service_->submit(alice_, id, "  Consulates should help  ");
  ASSERT_TRUE(sid) << sid.error().message;
  EXPECT_EQ(statements(id).size(), 3u);  // not shown before a moderator accepts it
  auto voted = service_->vote(bob_, id, *sid, Vote::kAgree);
  ASSERT_FALSE(voted);
  EXPECT_EQ(voted.error().code, ErrorCode::kFailedPrecondition);
  auto dup = service_->submit(bob_, id, "Consulates should help");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(service_->submit(alice_, id, "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->submit(outsider_, id, "Me too").error().code, ErrorCode::kPermissionDenied);

  EXPECT_EQ(service_->pending(alice_, id).error().code, ErrorCode::kPermissionDenied);
  auto queue = service_->pending(mod_, id);
  ASSERT_TRUE(queue);
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].text, "Consulates should help");
  EXPECT_EQ((*queue)[0].state, StatementState::kPending);

  EXPECT_EQ(service_->moderate(alice_, *sid, true, "").error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->moderate(mod_, *sid, true, ""));
  EXPECT_EQ(statements(id).size(), 4u);
  EXPECT_EQ(service_->moderate(mod_, *sid, false, "spam").error().code,
            ErrorCode::kFailedPrecondition);

  auto spam = service_->submit(bob_, id, "Buy my course");
  ASSERT_TRUE(spam);
  EXPECT_EQ(service_->moderate(mod_, *spam, false, "  ").error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(service_->moderate(mod_, *spam, false, "advertising"));
  auto rejected = service_->statement(*spam);
  EXPECT_EQ(rejected->state, StatementState::kRejected);
  EXPECT_EQ(rejected->reason, "advertising");
  EXPECT_EQ(statements(id).size(), 4u);
  EXPECT_TRUE(service_->pending(mod_, id)->empty());
}

TEST_P(ConversationsTest, SubmissionsPerParticipantAreLimited) {
  const auto id = open_sample();
  for (std::int64_t i = 0; i < kMaxSubmissionsPerParticipant; ++i) {
    ASSERT_TRUE(service_->submit(alice_, id, "Statement " + std::to_string(i)));
  }
  auto r = service_->submit(alice_, id, "One more");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kResourceExhausted);
  EXPECT_TRUE(service_->submit(bob_, id, "One more"));
}

TEST_P(ConversationsTest, TheNextStatementNeedsVotesAndWasNotVotedOnYet) {
  const auto id = open_sample();
  const auto list = statements(id);
  // Bob votes on the first two: the third has the fewest votes and comes first for Alice.
  ASSERT_TRUE(service_->vote(bob_, id, list[0].id, Vote::kAgree));
  ASSERT_TRUE(service_->vote(bob_, id, list[1].id, Vote::kAgree));
  auto next = service_->next_statement(alice_, id);
  ASSERT_TRUE(next);
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->id, list[2].id);
  std::vector<StatementId> seen;
  for (int i = 0; i < 3; ++i) {
    auto n = service_->next_statement(alice_, id);
    ASSERT_TRUE(n && n->has_value());
    EXPECT_EQ(std::find(seen.begin(), seen.end(), (*n)->id), seen.end());
    seen.push_back((*n)->id);
    ASSERT_TRUE(service_->vote(alice_, id, (*n)->id, Vote::kPass));
  }
  EXPECT_FALSE(service_->next_statement(alice_, id)->has_value());
  auto bobs = service_->next_statement(bob_, id);
  ASSERT_TRUE(bobs->has_value());
  EXPECT_EQ((*bobs)->id, list[2].id);
}

TEST_P(ConversationsTest, TheExportIsWhatTheAnalyseCommandReadsAndNamesNoAccount) {
  const auto id = open_sample();
  const auto list = statements(id);
  ASSERT_TRUE(service_->vote(alice_, id, list[0].id, Vote::kAgree));
  ASSERT_TRUE(service_->vote(bob_, id, list[0].id, Vote::kDisagree));
  ASSERT_TRUE(service_->vote(bob_, id, list[1].id, Vote::kPass));
  auto csv = service_->export_votes(id);
  ASSERT_TRUE(csv);
  consensus::VoteMatrixBuilder builder;
  ASSERT_TRUE(consensus::read_vote_file(*csv, builder));
  auto m = builder.build();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->vote_count(), 3u);
  EXPECT_EQ(m->participant_count(), 2u);
  // Participants are numbered within the conversation, not by account.
  EXPECT_EQ(m->participant_id(0), "1");
  EXPECT_EQ(m->participant_id(1), "2");
  auto comments = service_->export_statements(id);
  ASSERT_TRUE(comments);
  auto texts = consensus::read_comments_csv(*comments);
  ASSERT_TRUE(texts);
  EXPECT_EQ(texts->size(), 3u);
  EXPECT_EQ((*texts)[0].text, "Humanitarian visas");
}

TEST_P(ConversationsTest, ReportsAreRecomputedWhenVotesChangeAtMostOncePerInterval) {
  const auto id = open_sample();
  EXPECT_EQ(*service_->recompute_due(std::chrono::seconds(5)), 0);  // no votes yet
  EXPECT_FALSE(service_->report(id)->has_value());
  ASSERT_TRUE(service_->vote(alice_, id, statements(id)[0].id, Vote::kAgree));
  EXPECT_EQ(*service_->recompute_due(std::chrono::seconds(5)), 1);
  auto first = service_->report(id);
  ASSERT_TRUE(first && first->has_value());
  EXPECT_FALSE((*first)->problem.empty());  // one vote: no groups yet, and it says so
  EXPECT_TRUE((*first)->json.empty());
  EXPECT_EQ((*first)->votes, 1);

  ASSERT_TRUE(service_->vote(bob_, id, statements(id)[0].id, Vote::kAgree));
  EXPECT_EQ(*service_->recompute_due(std::chrono::seconds(5)), 0);  // debounced
  clock_.advance(std::chrono::seconds(5));
  EXPECT_EQ(*service_->recompute_due(std::chrono::seconds(5)), 1);
  EXPECT_EQ((*service_->report(id))->votes, 2);
  clock_.advance(std::chrono::seconds(60));
  EXPECT_EQ(*service_->recompute_due(std::chrono::seconds(5)), 0);  // nothing changed
}

TEST_P(ConversationsTest, TheDemoShowsSeveralGroupsAndWhatTheyAllAgreeOn) {
  ASSERT_TRUE(load_demo(*db_, clock_, key_));
  EXPECT_EQ(load_demo(*db_, clock_, key_).error().code, ErrorCode::kAlreadyExists);
  auto all = service_->list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const auto id = (*all)[0].id;
  EXPECT_EQ((*all)[0].participants, 80);
  EXPECT_EQ((*all)[0].pending, 1);
  auto report = service_->report(id);
  ASSERT_TRUE(report && report->has_value());
  ASSERT_TRUE((*report)->problem.empty()) << (*report)->problem;
  auto json = boost::json::parse((*report)->json).as_object();
  const auto groups = json.at("groups").as_array().size();
  EXPECT_GE(groups, 3u);
  EXPECT_LE(groups, 5u);
  std::vector<std::string> consensus;
  for (const auto& c : json.at("consensus").as_array()) {
    consensus.emplace_back(c.as_object().at("text").as_string());
  }
  ASSERT_GE(consensus.size(), 2u);
  const std::vector<std::string> top(consensus.begin(), consensus.begin() + 3);
  EXPECT_NE(std::find(top.begin(), top.end(),
                      "Host states should accept expired home-country passports as identity "
                      "documents."),
            top.end());
  EXPECT_NE((*report)->svg.find("<circle"), std::string::npos);
  // The map names nobody: no participant numbers, only positions.
  EXPECT_EQ((*report)->svg.find("demo"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConversationsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::conversations
