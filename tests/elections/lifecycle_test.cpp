// Elections run by the site, on both backends: a draft becomes a setup signed by the site's key
// once every invitee registered a key; trustees' and registrars' events are checked by the
// state machine before they are stored; the administrator's steps come only when the protocol
// and the announced dates allow; the deadline keeper closes due elections and extends the
// close only as the announced rule says, measured by its own heartbeat; the record verifies.
#include "veche/elections/lifecycle.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support/backend_fixture.hpp"
#include "veche/crypto/password.hpp"
#include "veche/crypto/random.hpp"
#include "veche/record/ballot.hpp"
#include "veche/record/trustee.hpp"
#include "veche/record/verify.hpp"

namespace veche::elections {
namespace {

using namespace std::chrono_literals;

class LifecycleTest : public test_support::BackendTest {
 protected:
  LifecycleTest() : BackendTest("lifecycle", {migrations()}) {}
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::vector<std::uint8_t> raw(crypto::kDataKeyBytes, 7);
    key_ = crypto::SecretBytes(raw);
    life_ = std::make_unique<Lifecycle>(*db_, clock_, key_);
    elections_ = std::make_unique<Elections>(*db_, clock_);
    for (int i = 0; i < 3; ++i) {
      trustees_.push_back(crypto::SigningKey::generate(rng_));
      enc_.push_back(crypto::SecretScalar::random(rng_));
    }
    registrar_ = std::make_unique<crypto::SigningKey>(crypto::SigningKey::generate(rng_));
  }
  void TearDown() override {
    life_.reset();
    elections_.reset();
    BackendTest::TearDown();
  }

  Draft draft(std::uint32_t outage_minutes = 30, std::uint32_t max_hours = 2) {
    Draft d;
    d.title = "Council of the coalition";
    record::Question council{"Council",
                             record::QuestionKind::kApproval,
                             {"Anna", "Boris", "Vera"},
                             0,
                             2,
                             true,
                             0,
                             record::SeatMethod::kNone,
                             0};
    record::Question lists{"Assembly",
                           record::QuestionKind::kPartyList,
                           {"North", "South"},
                           1,
                           1,
                           false,
                           5,
                           record::SeatMethod::kSainteLague,
                           50};
    d.questions = {council, lists};
    d.trustees = {"Left", "Centre", "Right"};
    d.threshold = 2;
    d.registrars = {"Registry office"};
    d.opens_at = clock_.now() + 1h;
    d.closes_at = clock_.now() + 25h;
    d.extension = {outage_minutes, max_hours};
    return d;
  }

  ElectionId create() {
    auto id = life_->create(42, draft());
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  void register_all(ElectionId id) {
    auto run = life_->run(id).value();
    for (const auto& r : run.roles) {
      const auto& k = r.role == Role::kTrustee ? trustees_[r.slot - 1] : *registrar_;
      auto s = life_->register_key(id, r.invite_token, crypto::to_hex(k.verify_key().bytes()));
      ASSERT_TRUE(s) << s.error().message;
    }
  }

  record::ElectionState state(ElectionId id) {
    auto text = elections_->record(id).value();
    auto events = record::parse_board(text).value();
    auto out = record::replay(events, false);
    EXPECT_TRUE(out.status) << out.status.error().message;
    return std::move(out.state);
  }

  void send(ElectionId id, std::string type, const boost::json::object& payload) {
    auto r = life_->append(id, SubmittedEvent{std::move(type), payload});
    ASSERT_TRUE(r) << r.error().message;
  }

  // Keys, deals, deal checks, credentials for `voters`, and the opening.
  void ceremony(ElectionId id, std::uint32_t voters) {
    ASSERT_TRUE(life_->freeze_setup(id));
    for (std::uint32_t i = 1; i <= 3; ++i) {
      send(id, "trustee_key",
           record::make_trustee_key(state(id), i, enc_[i - 1], trustees_[i - 1], rng_));
    }
    for (std::uint32_t i = 1; i <= 3; ++i) {
      auto poly = crypto::Polynomial::random(2, rng_);
      send(id, "trustee_deal",
           record::make_trustee_deal(state(id), i, poly, trustees_[i - 1], rng_).value());
    }
    for (std::uint32_t j = 1; j <= 3; ++j) {
      EXPECT_TRUE(record::check_deals(state(id), j, enc_[j - 1], trustees_[j - 1], rng_).empty());
    }
    std::vector<crypto::VerifyKey> pub;
    const auto election_id = state(id).setup().election_id;
    for (std::uint32_t v = 0; v < voters; ++v) {
      codes_.push_back(crypto::Credential::generate(election_id, rng_).export_secret_code());
      pub.push_back(
          crypto::Credential::from_code(election_id, codes_.back()).value().public_credential());
    }
    EXPECT_EQ(life_->open(id).error().code, ErrorCode::kFailedPrecondition);  // no credentials
    send(id, "credentials", record::make_credentials(1, pub, *registrar_));
    EXPECT_EQ(life_->open(id).error().code, ErrorCode::kFailedPrecondition);  // before opens_at
    clock_.advance(1h);
    auto opened = life_->open(id);
    ASSERT_TRUE(opened) << opened.error().message;
  }

  std::string ballot(ElectionId id, std::uint32_t v, std::uint8_t choice) {
    const auto st = state(id);
    auto cred = crypto::Credential::from_code(st.setup().election_id, codes_[v]).value();
    record::PlainBallot plain;
    plain.selections = {{choice, 0, 1}, {static_cast<std::uint8_t>(1 - choice), choice}};
    auto b = record::encrypt_ballot(st.setup().questions, st.joint_key(), st.fingerprint(), cred,
                                    plain, rng_);
    EXPECT_TRUE(b) << b.error().message;
    return boost::json::serialize(b->payload);
  }

  core::ManualClock clock_{core::from_unix(1'800'000'000)};
  core::SeededRandom rng_{11};
  crypto::SecretBytes key_;
  std::unique_ptr<Lifecycle> life_;
  std::unique_ptr<Elections> elections_;
  std::vector<crypto::SigningKey> trustees_;
  std::vector<crypto::SecretScalar> enc_;
  std::unique_ptr<crypto::SigningKey> registrar_;
  std::vector<std::string> codes_;
};

TEST_P(LifecycleTest, DraftIsShownAsDraftWithAnInvitationPerSlot) {
  const auto id = create();
  auto s = elections_->get(id);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->phase, "draft");
  EXPECT_EQ(s->title, "Council of the coalition");
  auto run = life_->run(id).value();
  ASSERT_EQ(run.roles.size(), 4U);
  EXPECT_EQ(run.roles[0].name, "Left");
  EXPECT_EQ(run.roles[3].role, Role::kRegistrar);
  EXPECT_EQ(run.draft.questions.size(), 2U);
  EXPECT_EQ(run.draft.questions[1].method, record::SeatMethod::kSainteLague);
  EXPECT_EQ(run.draft.extension.outage_minutes, 30U);
  EXPECT_EQ(life_->invitee(id, run.roles[1].invite_token).value().slot, 2U);
  EXPECT_EQ(life_->invitee(id, std::string(40, '0')).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(life_->progress(id).value().freeze_blocked,
            "Every trustee and registrar must register a key first.");
}

TEST_P(LifecycleTest, BadDraftsAreRefusedWithAMessageAndStoreNothing) {
  auto d = draft();
  d.threshold = 4;
  EXPECT_EQ(life_->create(1, d).error().code, ErrorCode::kInvalidArgument);
  d = draft();
  d.closes_at = d.opens_at;
  EXPECT_EQ(life_->create(1, d).error().message, "The close must come after the opening.");
  d = draft();
  d.questions[1].seats = 0;
  EXPECT_EQ(life_->create(1, d).error().code, ErrorCode::kInvalidArgument);
  d = draft();
  d.trustees = {"Same", "Same"};
  d.threshold = 1;
  EXPECT_EQ(life_->create(1, d).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(elections_->list().value().empty());
}

TEST_P(LifecycleTest, KeysAreRegisteredOnceAndTheAdminKeyIsSealed) {
  const auto id = create();
  auto run = life_->run(id).value();
  const auto token = run.roles[0].invite_token;
  EXPECT_EQ(life_->register_key(id, token, "zz").error().code, ErrorCode::kInvalidArgument);
  const auto hex = crypto::to_hex(trustees_[0].verify_key().bytes());
  ASSERT_TRUE(life_->register_key(id, token, hex));
  EXPECT_EQ(life_->register_key(id, token, hex).error().code, ErrorCode::kAlreadyExists);
  // The same key for another slot is refused.
  EXPECT_EQ(life_->register_key(id, run.roles[1].invite_token, hex).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(life_->renew_invite(id, Role::kTrustee, 1).error().code,
            ErrorCode::kFailedPrecondition);
  auto fresh = life_->renew_invite(id, Role::kTrustee, 2);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(life_->invitee(id, run.roles[1].invite_token).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(life_->invitee(id, *fresh).value().slot, 2U);
  // The seed is not stored in the clear.
  auto tx = db_->begin(store::Access::kRead).value();
  auto rows = tx->query("SELECT admin_key FROM election_drafts WHERE election = ?", {id}).value();
  EXPECT_EQ(rows[0].blob(0).size(), 24U + 32U + 16U);
}

TEST_P(LifecycleTest, AWholeElectionRunsOnTheSiteAndItsRecordVerifies) {
  const auto id = create();
  EXPECT_EQ(life_->freeze_setup(id).error().code, ErrorCode::kFailedPrecondition);
  register_all(id);
  ceremony(id, 4);
  EXPECT_EQ(elections_->get(id).value().phase, "open");
  // A ceremony event now is the wrong phase; a bad payload names the state machine's check.
  EXPECT_EQ(
      life_->append(id, {"credentials", record::make_credentials(1, {}, *registrar_)}).error().code,
      ErrorCode::kConflict);
  for (std::uint32_t v = 0; v < 4; ++v) {
    auto r = elections_->cast(id, ballot(id, v, v % 2 == 0 ? 1 : 0));
    ASSERT_TRUE(r) << r.error().message;
  }
  EXPECT_EQ(life_->close(id).error().code, ErrorCode::kFailedPrecondition);  // not yet due
  clock_.advance(24h);
  // Due but not closed yet (the keeper has not passed): ballots are refused already.
  const auto late = elections_->cast(id, ballot(id, 0, 0));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(late.error().message, "Voting has closed.");
  ASSERT_TRUE(life_->close(id));
  EXPECT_EQ(life_->publish(id).error().code, ErrorCode::kFailedPrecondition);
  for (std::uint32_t j : {1U, 3U}) {
    auto st = state(id);
    auto share = record::derive_share(st, j, enc_[j - 1]).value();
    send(id, "partial_decryption",
         record::make_partial_decryption(st, j, share, trustees_[j - 1], rng_).value());
  }
  ASSERT_TRUE(life_->publish(id));
  const auto st = state(id);
  ASSERT_TRUE(st.published_result());
  EXPECT_EQ(st.published_result()->counted, 4U);
  EXPECT_EQ(st.published_result()->counts[0], (std::vector<std::uint64_t>{2, 0, 4}));
  const auto report = record::verify_record(elections_->record(id).value(), {});
  EXPECT_TRUE(report.valid) << report.error;
  EXPECT_EQ(elections_->get(id).value().phase, "done");
}

TEST_P(LifecycleTest, SubmittedEventsAreParsedFromABoardLineOrAnApiBody) {
  auto line = parse_submitted(
      R"({"seq":3,"prev":"00","type":"trustee_key","payload":{"trustee":1},"hash":"00"})");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->type, "trustee_key");
  EXPECT_EQ(parse_submitted(R"({"type":"open","payload":{}})").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_submitted("not json").error().code, ErrorCode::kInvalidArgument);
  const auto id = create();
  EXPECT_EQ(life_->append(id, *line).error().code, ErrorCode::kConflict);  // a draft
}

TEST_P(LifecycleTest, KeeperClosesDueElectionsAndExtendsOnlyAsAnnounced) {
  auto d = draft();
  d.closes_at = d.opens_at + 2h;
  const auto id = life_->create(42, d).value();
  // The keeper's heartbeat every minute until `t`: no outage.
  const auto beat_until = [&](core::TimePoint t) {
    while (clock_.now() + 1min <= t) {
      clock_.advance(1min);
      EXPECT_EQ(life_->keep_deadlines().value(), 0);
    }
  };
  register_all(id);
  ceremony(id, 1);
  const auto scheduled = life_->run(id).value().draft.closes_at;
  // Heartbeats every minute: no outage, nothing moves.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(life_->keep_deadlines().value(), 0);
    clock_.advance(1min);
  }
  // A 20-minute outage is below the announced 30 minutes: nothing moves.
  clock_.advance(20min);
  EXPECT_EQ(life_->keep_deadlines().value(), 0);
  EXPECT_EQ(life_->run(id).value().extended_seconds, 0);
  // A 45-minute outage while voting is open moves the close by 45 minutes.
  clock_.advance(45min);
  EXPECT_EQ(life_->keep_deadlines().value(), 1);
  EXPECT_EQ(life_->run(id).value().effective_close(), scheduled + 45min);
  // An outage across the close gives back the voting time lost (40 minutes, counted from the
  // return), but in all at most the announced 2 hours.
  beat_until(scheduled + 5min);
  clock_.advance(90min);
  EXPECT_EQ(life_->keep_deadlines().value(), 1);
  EXPECT_EQ(life_->run(id).value().effective_close(), scheduled + 2h);
  EXPECT_EQ(elections_->get(id).value().phase, "open");  // the close has moved past now
  EXPECT_EQ(life_->next_close().value(), scheduled + 2h);
  // The keeper closes it once due.
  beat_until(scheduled + 2h - 1min);
  clock_.advance(1min);
  EXPECT_EQ(life_->keep_deadlines().value(), 1);
  EXPECT_EQ(elections_->get(id).value().phase, "closed");
  EXPECT_EQ(life_->keep_deadlines().value(), 0);
  EXPECT_FALSE(life_->next_close().value());
}

TEST_P(LifecycleTest, WithoutARuleTheCloseNeverMoves) {
  auto d = draft(0, 0);
  auto id = life_->create(42, d).value();
  register_all(id);
  ceremony(id, 1);
  EXPECT_EQ(life_->keep_deadlines().value(), 0);
  clock_.advance(5h);
  EXPECT_EQ(life_->keep_deadlines().value(), 0);
  EXPECT_EQ(life_->run(id).value().extended_seconds, 0);
  clock_.advance(20h);
  EXPECT_EQ(life_->keep_deadlines().value(), 1);
  EXPECT_EQ(elections_->get(id).value().phase, "closed");
}

TEST_P(LifecycleTest, RotatingTheDataKeyResealsTheAdministratorKeys) {
  const auto id = create();
  register_all(id);
  const std::vector<std::uint8_t> raw(crypto::kDataKeyBytes, 9);
  const crypto::SecretBytes next(raw);
  const crypto::SecretBytes wrong(std::vector<std::uint8_t>(crypto::kDataKeyBytes, 3));
  EXPECT_EQ(reseal_admin_keys(*db_, wrong, next).error().code, ErrorCode::kDataLoss);
  ASSERT_EQ(reseal_admin_keys(*db_, key_, next).value(), 1);
  EXPECT_EQ(life_->freeze_setup(id).error().code, ErrorCode::kDataLoss);  // the old key fails
  Lifecycle rotated(*db_, clock_, next);
  auto frozen = rotated.freeze_setup(id);
  ASSERT_TRUE(frozen) << frozen.error().message;
  EXPECT_EQ(state(id).setup().administrator.bytes(),
            crypto::from_hex_fixed<32>(rotated.run(id).value().administrator).value());
}

INSTANTIATE_TEST_SUITE_P(Backends, LifecycleTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         test_support::backend_name);

}  // namespace
}  // namespace veche::elections
