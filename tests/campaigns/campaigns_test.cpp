// The campaigns service on both backends: starting from an admitted issue or a passed motion,
// who may record, actions with corrections, milestones, outcomes, petitions with one signature
// per account, the track records, and the hash-chained log that refuses edits.
#include "veche/campaigns/campaigns.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/agenda/agenda.hpp"
#include "veche/campaigns/log.hpp"
#include "veche/campaigns/petition.hpp"
#include "veche/crypto/random.hpp"
#include "veche/decisions/motions.hpp"

namespace veche::campaigns {
namespace {

using registry::AccountId;
using std::chrono::days;

class CampaignsTest : public CampaignsDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    key_ = crypto::SecretBytes(crypto::Bytes(32, 9));
    CampaignsDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    registry::Registry reg(*db_, clock_);
    for (const char* slug : {"alpha", "beta", "gamma"}) {
      registry::NewOrganization o;
      o.slug = slug;
      o.name.en = std::string("Org ") + slug;
      ASSERT_TRUE(reg.add_organization(o));
    }
    anna_ = delegate("anna", "alpha");
    boris_ = delegate("boris", "beta");
    citizen_ = add_account("ivan", {"constituent"});
    citizen2_ = add_account("olga", {"constituent"});
    service_ = std::make_unique<Campaigns>(*db_, clock_, key_, rng_);
    agenda_ = std::make_unique<agenda::Agenda>(*db_, clock_, key_);
  }
  void TearDown() override {
    service_.reset();
    agenda_.reset();
    CampaignsDatabaseTest::TearDown();
  }

  AccountId delegate(const std::string& handle, const std::string& org) {
    auto id = add_account(handle, {});
    auto s = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
      return tx.exec(
                   "INSERT INTO account_roles (account_id, role, organization_id, granted_at) "
                   "SELECT ?, 'delegate', id, 0 FROM organizations WHERE slug = ?",
                   {id.value(), org})
                     .has_value()
                 ? ok()
                 : Status(internal_error("role"));
    });
    EXPECT_TRUE(s);
    return id;
  }

  // An issue admitted to the agenda (threshold 1, one support).
  std::int64_t admitted_issue() {
    EXPECT_TRUE(agenda_->set_threshold(1));
    agenda::NewIssue i;
    i.title = "Bank accounts for exiles";
    i.tags = {"banking"};
    auto id = agenda_->raise(citizen_, i);
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE(agenda_->support(citizen_, *id));
    return id->value();
  }

  NewCampaign draft(std::int64_t issue) {
    NewCampaign c;
    c.title = "Bank accounts for exiles";
    c.goal = "Banks keep **basic** accounts open.";
    c.targets = {"European Commission", " ", "European Banking Authority"};
    c.organizations = {"alpha"};
    c.source = Source::kIssue;
    c.source_id = issue;
    return c;
  }

  CampaignId started() {
    auto id = service_->start(anna_, draft(admitted_issue()));
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(CampaignId());
  }

  NewAction letter(std::string org = "alpha") {
    NewAction a;
    a.kind = ActionKind::kLetter;
    a.on = core::TimePoint(std::chrono::floor<days>(clock_.now()));
    a.title = "Letter to the Commission";
    a.links = {"https://example.org/letter.pdf", ""};
    a.organization = std::move(org);
    return a;
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  crypto::SecretBytes key_;
  crypto::SystemRandom rng_;
  std::unique_ptr<Campaigns> service_;
  std::unique_ptr<agenda::Agenda> agenda_;
  AccountId anna_, boris_, citizen_, citizen2_;
};

TEST_P(CampaignsTest, ADelegateStartsACampaignFromAnAdmittedIssue) {
  const auto issue = admitted_issue();
  auto id = service_->start(anna_, draft(issue));
  ASSERT_TRUE(id) << id.error().message;
  auto c = service_->campaign(*id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->title, "Bank accounts for exiles");
  EXPECT_EQ(c->targets,
            (std::vector<std::string>{"European Commission", "European Banking Authority"}));
  EXPECT_EQ(c->organizations, std::vector<std::string>{"alpha"});
  EXPECT_EQ(c->issues, std::vector<std::int64_t>{issue});
  EXPECT_EQ(c->started_by, "anna");
  EXPECT_EQ(c->outcome, Outcome::kOngoing);
  auto record = service_->issue_record(issue);
  ASSERT_TRUE(record);
  ASSERT_EQ(record->campaigns.size(), 1u);
}

TEST_P(CampaignsTest, ACampaignNeedsAnAdmittedIssueOrAPassedMotion) {
  agenda::NewIssue i;
  i.title = "Not yet admitted";
  i.tags = {"visas-and-residence"};
  auto proposed = agenda_->raise(citizen_, i);
  ASSERT_TRUE(proposed);
  EXPECT_EQ(service_->start(anna_, draft(proposed->value())).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->start(anna_, draft(987)).error().code, ErrorCode::kNotFound);

  // A motion that has not passed (still in discussion) is refused too.
  decisions::Motions motions(*db_, clock_);
  decisions::NewMotion m;
  m.title = "Campaign for accounts";
  m.text = "Text";
  m.kind = decisions::MotionKind::kCampaign;
  m.organization = "alpha";
  m.rule = {decisions::RuleKind::kConsensus, {0, 1}, {1, 3}};
  m.voting_opens_at = clock_.now() + days(1);
  m.voting_closes_at = clock_.now() + days(2);
  auto motion = motions.propose(anna_, m);
  ASSERT_TRUE(motion) << motion.error().message;
  auto c = draft(0);
  c.source = Source::kMotion;
  c.source_id = motion->value();
  EXPECT_EQ(service_->start(anna_, c).error().code, ErrorCode::kFailedPrecondition);
  // Once it passed, it may start a campaign.
  clock_.advance(days(1));
  ASSERT_TRUE(motions.vote(anna_, *motion, "alpha", decisions::VoteChoice::kYes, ""));
  ASSERT_TRUE(motions.vote(boris_, *motion, "beta", decisions::VoteChoice::kYes, ""));
  clock_.advance(days(1));
  auto decided = motions.close(*motion, "operator");
  ASSERT_TRUE(decided) << decided.error().message;
  ASSERT_EQ(decided->outcome, decisions::Outcome::kPassed);
  auto id = service_->start(anna_, c);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(service_->campaign(*id)->source, Source::kMotion);
}

TEST_P(CampaignsTest, BadCampaignsAreRefusedAndChangeNothing) {
  const auto issue = admitted_issue();
  auto no_title = draft(issue);
  no_title.title = " ";
  auto no_targets = draft(issue);
  no_targets.targets = {""};
  auto no_orgs = draft(issue);
  no_orgs.organizations = {};
  auto no_goal = draft(issue);
  no_goal.goal = "";
  auto two_lines = draft(issue);
  two_lines.title = "a\nb";
  for (const auto& bad : {no_title, no_targets, no_orgs, no_goal, two_lines}) {
    EXPECT_EQ(service_->start(anna_, bad).error().code, ErrorCode::kInvalidArgument);
  }
  auto other = draft(issue);
  other.organizations = {"alpha", "beta"};  // anna is not a delegate of beta
  EXPECT_EQ(service_->start(anna_, other).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->start(citizen_, draft(issue)).error().code, ErrorCode::kPermissionDenied);
  auto unknown = draft(issue);
  unknown.organizations = {"nowhere"};
  EXPECT_EQ(service_->start(anna_, unknown).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_->list({})->empty());
  EXPECT_EQ(verify_log(*db_)->entries, 0);
}

TEST_P(CampaignsTest, OnlyDelegatesOfARunningOrganizationRecord) {
  const auto id = started();
  EXPECT_EQ(service_->record_action(boris_, id, letter("beta")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->record_action(boris_, id, letter("alpha")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->record_action(citizen_, id, letter("alpha")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->record_action(anna_, CampaignId(999), letter()).error().code,
            ErrorCode::kNotFound);
  // Beta joins as an equal; then its delegate records.
  EXPECT_EQ(service_->join(anna_, id, "beta").error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->join(boris_, id, "beta"));
  EXPECT_EQ(service_->join(boris_, id, "beta").error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(service_->record_action(boris_, id, letter("beta")));
  auto c = service_->campaign(id);
  EXPECT_EQ(c->organizations, (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(c->actions.size(), 1u);
  EXPECT_EQ(c->actions[0].recorded_by, "boris");
  EXPECT_EQ(c->actions[0].links, std::vector<std::string>{"https://example.org/letter.pdf"});
}

TEST_P(CampaignsTest, BadActionsAreRefused) {
  const auto id = started();
  auto no_title = letter();
  no_title.title = "";
  auto bad_link = letter();
  bad_link.links = {"javascript:alert(1)"};
  auto far = letter();
  far.on = clock_.now() + days(400);
  auto many = letter();
  many.links = std::vector<std::string>(11, "https://example.org/x");
  for (const auto& a : {no_title, bad_link, far, many}) {
    EXPECT_EQ(service_->record_action(anna_, id, a).error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(service_->campaign(id)->actions.size(), 0u);
  EXPECT_EQ(parse_day("date", "2026-02-30").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_day("date", "yesterday").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(day_text(*parse_day("date", "2026-02-28")), "2026-02-28");
}

TEST_P(CampaignsTest, ACorrectionReplacesAnActionAndKeepsTheEarlierVersion) {
  const auto id = started();
  auto first = service_->record_action(anna_, id, letter());
  ASSERT_TRUE(first);
  auto fixed = letter();
  fixed.title = "Letter to the European Commission";
  EXPECT_EQ(service_->correct_action(anna_, id, *first, fixed, false, "").error().code,
            ErrorCode::kInvalidArgument);
  auto v2 = service_->correct_action(anna_, id, *first, fixed, false, "Wrong addressee.");
  ASSERT_TRUE(v2) << v2.error().message;
  auto c = service_->campaign(id);
  ASSERT_EQ(c->actions.size(), 1u);
  EXPECT_EQ(c->actions[0].title, "Letter to the European Commission");
  EXPECT_EQ(c->actions[0].root, *first);
  EXPECT_EQ(c->actions[0].correction, "Wrong addressee.");
  ASSERT_EQ(c->actions[0].earlier.size(), 1u);
  EXPECT_EQ(c->actions[0].earlier[0].title, "Letter to the Commission");
  // Retracting it (through either version's number) takes it out of the count.
  ASSERT_TRUE(service_->correct_action(anna_, id, *v2, letter(), true, "Never sent."));
  EXPECT_EQ(service_->list({})->at(0).actions, 0);
  EXPECT_EQ(service_->correct_action(anna_, id, *first, letter(), true, "Again.").error().code,
            ErrorCode::kFailedPrecondition);
  // The table itself refuses edits and deletions.
  auto edit = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(
        tx.exec("UPDATE campaign_actions SET title = 'forged' WHERE id = ?", {first->value()}));
    return ok();
  });
  EXPECT_FALSE(edit);
  auto erase = store::with_write(*db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM campaigns_log"));
    return ok();
  });
  EXPECT_FALSE(erase);
}

TEST_P(CampaignsTest, MilestonesAndOutcomeMakeTheTrackRecord) {
  const auto id = started();
  ASSERT_TRUE(service_->record_action(anna_, id, letter()));
  auto m = service_->add_milestone(anna_, id, "alpha", "Hearing in Parliament", std::nullopt);
  ASSERT_TRUE(m);
  EXPECT_EQ(service_->add_milestone(anna_, id, "alpha", "", std::nullopt).error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(service_->update_milestone(anna_, id, *m, "alpha", MilestoneStatus::kReached,
                                         "Held on Tuesday."));
  EXPECT_EQ(
      service_
          ->update_milestone(anna_, id, MilestoneId(999), "alpha", MilestoneStatus::kReached, "")
          .error()
          .code,
      ErrorCode::kNotFound);
  EXPECT_EQ(service_->record_outcome(anna_, id, "alpha", Outcome::kAchieved, " ", {}).error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(service_->record_outcome(anna_, id, "alpha", Outcome::kPartly,
                                       "Guidance issued in two states.",
                                       {"https://example.org/guidance"}));
  auto c = service_->campaign(id);
  EXPECT_EQ(c->outcome, Outcome::kPartly);
  ASSERT_EQ(c->milestones.size(), 1u);
  EXPECT_EQ(c->milestones[0].status, MilestoneStatus::kReached);
  EXPECT_EQ(c->milestones[0].updates.size(), 2u);
  auto record = service_->organization_record("alpha");
  ASSERT_TRUE(record);
  ASSERT_EQ(record->campaigns.size(), 1u);
  EXPECT_EQ(record->counts.partly, 1);
  EXPECT_EQ(record->actions, 1);
  EXPECT_EQ(record->campaigns[0].milestones_reached, 1);
  EXPECT_TRUE(service_->organization_record("beta")->campaigns.empty());
  EXPECT_EQ(service_->organization_record("nowhere").error().code, ErrorCode::kNotFound);

  auto report = verify_log(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->entries, 5);
  EXPECT_FALSE(report->first_broken);
  auto entries = log_entries(*db_, 0, 100, "campaign/" + id.str());
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->front().kind, "campaign.started");
  EXPECT_EQ(entries->back().kind, "outcome.recorded");
}

TEST_P(CampaignsTest, APetitionTakesOneSignaturePerAccountAndPublishesOnlyHashes) {
  const auto id = started();
  EXPECT_EQ(
      service_->open_petition(anna_, id, "alpha", "Accounts now", "", std::nullopt).error().code,
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      service_->open_petition(anna_, id, "alpha", "Accounts now", "We ask.", clock_.now() - days(1))
          .error()
          .code,
      ErrorCode::kInvalidArgument);
  auto p = service_->open_petition(anna_, id, "alpha", "Accounts now", "We ask.",
                                   clock_.now() + days(30));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(service_->campaign(id)->actions.at(0).kind, ActionKind::kPetition);

  auto r1 = service_->sign(citizen_, *p, "Ivan P.");
  ASSERT_TRUE(r1) << r1.error().message;
  EXPECT_EQ(r1->count, 1);
  EXPECT_EQ(r1->receipt.size(), 52u);
  EXPECT_EQ(service_->sign(citizen_, *p, "").error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(service_->sign(anna_, *p, "").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->sign(citizen2_, *p, std::string(81, 'x')).error().code,
            ErrorCode::kInvalidArgument);
  auto r2 = service_->sign(citizen2_, *p, "");
  ASSERT_TRUE(r2);
  EXPECT_TRUE(*service_->has_signed(citizen_, *p));

  auto published = service_->published_signatures(*p);
  ASSERT_TRUE(published);
  EXPECT_EQ(published->count, 2);
  EXPECT_EQ(published->public_names, std::vector<std::string>{"Ivan P."});
  EXPECT_TRUE(std::is_sorted(published->hashes.begin(), published->hashes.end()));
  EXPECT_NE(std::find(published->hashes.begin(), published->hashes.end(),
                      signature_hash(p->value(), r1->receipt)),
            published->hashes.end());
  EXPECT_EQ(published->digest, list_digest(p->value(), published->hashes));
  EXPECT_EQ(service_->petition(*p)->signatures, 2);

  // Closed petitions take no more signatures.
  clock_.advance(days(31));
  auto late = add_account("late", {"constituent"});
  EXPECT_EQ(service_->sign(late, *p, "").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->sign(late, PetitionId(999), "").error().code, ErrorCode::kNotFound);
}

TEST_P(CampaignsTest, TheDemoLoadsOnceOverTheDemoAgendaAndDecisions) {
  // Without the demo coalition there is nothing to show, and nothing fails.
  EXPECT_TRUE(load_demo(*db_, clock_, key_));
  EXPECT_TRUE(service_->list({})->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::campaigns
