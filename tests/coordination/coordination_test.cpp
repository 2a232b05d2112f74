// The coordination module: the visibility matrix per record per role, targets and overlap on
// hand-made cases, evaluation with declared conflicts, and bad input. On SQLite always and on
// PostgreSQL when VECHE_TEST_POSTGRES_URL is set.
#include "veche/coordination/coordination.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/crypto/random.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"

namespace veche::coordination {
namespace {

Day d(std::string_view s) { return parse_day(s).value(); }

SupportRecord record(std::int64_t id, std::int64_t initiative, std::int64_t institution, Purpose p,
                     std::string_view from, std::string_view to) {
  SupportRecord s;
  s.id = SupportId(id);
  s.initiative = InitiativeId(initiative);
  s.institution = InstitutionId(institution);
  s.programme = "P" + std::to_string(id);
  s.amount_minor = 100;
  s.currency = "EUR";
  s.purpose = p;
  s.from = d(from);
  s.to = d(to);
  return s;
}

Event event(std::int64_t id, std::int64_t institution, std::string programme, std::string_view day,
            std::int64_t total, std::int64_t women, std::int64_t non_russian) {
  Event e;
  e.id = EventId(id);
  e.institution = InstitutionId(institution);
  e.programme = std::move(programme);
  e.title = "E" + std::to_string(id);
  e.day = d(day);
  e.total = total;
  e.women = women;
  e.non_russian = non_russian;
  return e;
}

// --- Pure rules ---------------------------------------------------------------------------------

TEST(Visibility, EachLevelReachesExactlyItsReaders) {
  const InstitutionId a(1);
  const InstitutionId b(2);
  const Viewer anon = Viewer::public_view();
  const Viewer coord_a = Viewer::coordinator_of(a);
  const Viewer coord_b = Viewer::coordinator_of(b);
  const Viewer unassigned = Viewer::coordinator_of(InstitutionId());
  EXPECT_TRUE(may_see(anon, Visibility::kPublic, a));
  EXPECT_FALSE(may_see(anon, Visibility::kCoordinators, a));
  EXPECT_FALSE(may_see(anon, Visibility::kInstitution, a));
  EXPECT_TRUE(may_see(coord_b, Visibility::kCoordinators, a));
  EXPECT_TRUE(may_see(coord_a, Visibility::kInstitution, a));
  EXPECT_FALSE(may_see(coord_b, Visibility::kInstitution, a));
  EXPECT_FALSE(may_see(unassigned, Visibility::kInstitution, a));
  EXPECT_FALSE(may_see(unassigned, Visibility::kInstitution, InstitutionId()));
}

TEST(Targets, WomenWithinToleranceAndMinimumShareAreJudgedExactly) {
  const Targets t;  // women 50% +- 5%, non-Russian >= 15%
  const auto judged = [&](std::int64_t total, std::int64_t women, std::int64_t nr) {
    PluralityRow r;
    r.total = total;
    r.women = women;
    r.non_russian = nr;
    judge(r, t);
    return std::pair{r.women_ok, r.non_russian_ok};
  };
  EXPECT_EQ(judged(100, 45, 15), std::pair(true, true));    // both exactly at the edge
  EXPECT_EQ(judged(100, 55, 14), std::pair(true, false));   // upper edge; just below minimum
  EXPECT_EQ(judged(100, 44, 16), std::pair(false, true));   // just outside the tolerance
  EXPECT_EQ(judged(100, 56, 100), std::pair(false, true));  // too many women is also off target
  EXPECT_EQ(judged(20, 9, 3), std::pair(true, true));       // 45%, 15%
  EXPECT_EQ(judged(3, 1, 0), std::pair(false, false));      // 33%
  EXPECT_EQ(judged(0, 0, 0), std::pair(false, false));      // no participants, no target met
  const Targets strict{5000, 0, 2000};
  PluralityRow r;
  r.total = 10;
  r.women = 5;
  r.non_russian = 2;
  judge(r, strict);
  EXPECT_TRUE(r.women_ok);
  EXPECT_TRUE(r.non_russian_ok);
  r.non_russian = 1;
  judge(r, strict);
  EXPECT_FALSE(r.non_russian_ok);
  EXPECT_EQ(share_bp(1, 3), 3333);
}

TEST(Plurality, AggregatesPerEventProgrammeInstitutionQuarterAndField) {
  std::vector<Event> events = {
      event(1, 1, "School", "2026-01-10", 10, 5, 1),  // women ok, non-Russian 10%: not
      event(2, 1, "School", "2026-02-10", 10, 3, 3),  // women 30%: not; 30%: ok
      event(3, 2, "", "2026-04-01", 20, 10, 4),       // both ok
  };
  const auto p = compute_plurality(events, Targets{}, {{InstitutionId(1), "Amber"}});
  ASSERT_EQ(p.by_event.size(), 3u);
  EXPECT_TRUE(p.by_event[0].women_ok);
  EXPECT_FALSE(p.by_event[0].non_russian_ok);
  EXPECT_FALSE(p.by_event[1].women_ok);
  ASSERT_EQ(p.by_programme.size(), 1u);  // the standalone event is in no programme
  EXPECT_EQ(p.by_programme[0].total, 20);
  EXPECT_EQ(p.by_programme[0].women, 8);
  EXPECT_FALSE(p.by_programme[0].women_ok);       // 40%
  EXPECT_TRUE(p.by_programme[0].non_russian_ok);  // 20%
  ASSERT_EQ(p.by_institution.size(), 2u);
  EXPECT_EQ(p.by_institution[0].label, "Amber");
  EXPECT_EQ(p.by_institution[1].label, "Institution #2");
  ASSERT_EQ(p.by_quarter.size(), 2u);
  EXPECT_EQ(p.by_quarter[0].key, "2026-Q1");
  EXPECT_EQ(p.by_quarter[0].events, 2);
  EXPECT_EQ(p.by_quarter[1].key, "2026-Q2");
  EXPECT_EQ(p.field.total, 40);
  EXPECT_EQ(p.field.women, 18);  // 45%: inside
  EXPECT_TRUE(p.field.women_ok);
  EXPECT_EQ(p.field.non_russian, 8);  // 20%
  EXPECT_TRUE(p.field.non_russian_ok);
}

TEST(Overlap, SameInitiativePurposeAndOverlappingPeriodFromTwoInstitutions) {
  std::vector<Initiative> initiatives(3);
  initiatives[0].id = InitiativeId(10);
  initiatives[0].field = Field::kMedia;
  initiatives[0].regions = {"Volga"};
  initiatives[1].id = InitiativeId(11);
  initiatives[1].field = Field::kResearch;
  initiatives[1].regions = {"Urals", "Volga"};
  initiatives[2].id = InitiativeId(12);
  initiatives[2].field = Field::kCultural;
  initiatives[2].regions = {"Caucasus"};
  std::vector<SupportRecord> records = {
      record(1, 10, 1, Purpose::kCoreFunding, "2026-01-01", "2026-06-30"),
      record(2, 10, 2, Purpose::kCoreFunding, "2026-06-30", "2026-12-31"),  // touches: overlap
      record(3, 10, 3, Purpose::kCoreFunding, "2027-01-01", "2027-12-31"),  // after: none
      record(4, 10, 3, Purpose::kProject, "2026-01-01", "2026-12-31"),      // other purpose
      record(5, 11, 1, Purpose::kProject, "2026-01-01", "2026-12-31"),
      record(6, 11, 1, Purpose::kProject, "2026-02-01", "2026-03-31"),  // same institution
      record(7, 11, 3, Purpose::kProject, "2026-03-01", "2026-03-02"),
  };
  const auto o = compute_overlap(initiatives, records);
  ASSERT_EQ(o.items.size(), 2u);
  EXPECT_EQ(o.items[0].initiative, InitiativeId(10));
  EXPECT_EQ(o.items[0].purpose, Purpose::kCoreFunding);
  EXPECT_EQ(o.items[0].institutions,
            (std::vector<InstitutionId>{InstitutionId(1), InstitutionId(2)}));
  EXPECT_EQ(o.items[0].records, (std::vector<SupportId>{SupportId(1), SupportId(2)}));
  EXPECT_EQ(format_day(o.items[0].from), "2026-01-01");
  EXPECT_EQ(format_day(o.items[0].to), "2026-12-31");
  EXPECT_EQ(o.items[1].initiative, InitiativeId(11));
  EXPECT_EQ(o.items[1].institutions,
            (std::vector<InstitutionId>{InstitutionId(1), InstitutionId(3)}));
  ASSERT_EQ(o.institutions.size(), 3u);
  // 1-2 share one overlap, 1-3 one, 2-3 none; institution 1 is in two.
  EXPECT_EQ(o.matrix[0][1], 1);
  EXPECT_EQ(o.matrix[1][0], 1);
  EXPECT_EQ(o.matrix[0][2], 1);
  EXPECT_EQ(o.matrix[1][2], 0);
  EXPECT_EQ(o.matrix[0][0], 2);
  // Gaps: the cultural initiative (Caucasus) gets nothing; civic, legal aid, political have none.
  EXPECT_EQ(o.unfunded_regions, std::vector<std::string>{"Caucasus"});
  EXPECT_EQ(o.unfunded_fields, (std::vector<Field>{Field::kCivic, Field::kLegalAid,
                                                   Field::kPolitical, Field::kCultural}));
}

TEST(Money, TotalsStayPerCurrencyInMinorUnits) {
  std::vector<SupportRecord> rs = {record(1, 1, 1, Purpose::kProject, "2026-01-01", "2026-01-02"),
                                   record(2, 1, 1, Purpose::kProject, "2026-01-01", "2026-01-02"),
                                   record(3, 1, 1, Purpose::kProject, "2026-01-01", "2026-01-02")};
  rs[0].amount_minor = 150;
  rs[1].amount_minor = 1'234'567'801;
  rs[2].currency = "NOK";
  rs[2].amount_minor = 5;
  const auto t = totals_by_currency(rs);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].currency, "EUR");
  EXPECT_EQ(t[0].amount_minor, 1'234'567'951);
  EXPECT_EQ(t[0].records, 2);
  EXPECT_EQ(format_money(t[0].amount_minor, "EUR"), "12,345,679.51 EUR");
  EXPECT_EQ(format_money(5, "NOK"), "0.05 NOK");
  EXPECT_EQ(parse_amount("1500.5").value(), 150050);
  EXPECT_EQ(parse_amount(" 12 ").value(), 1200);
  EXPECT_EQ(parse_amount("0.07").value(), 7);
  EXPECT_EQ(parse_amount("").value(), 0);
  for (const char* bad : {"1,500", "1.234", "-5", "1e6", ".5", "5.", "abc", "1000000000000"}) {
    EXPECT_FALSE(parse_amount(bad)) << bad;
  }
}

TEST(Evaluation, ConflictedAssessorIsNeverCountedAndSpreadIsShown) {
  const InitiativeId i(1);
  std::vector<Assessment> as(4);
  const std::array<std::array<int, 3>, 4> scores = {{{1, 5, 3}, {3, 5, 3}, {5, 5, 4}, {5, 1, 1}}};
  for (std::size_t k = 0; k < 4; ++k) {
    as[k].initiative = i;
    as[k].assessor = "a" + std::to_string(k);
    as[k].scores = scores[k];
  }
  std::vector<Conflict> cs = {{i, "a3", "sits on the board", {}}};
  const auto e = aggregate(as, cs);
  EXPECT_EQ(e.assessors, 3);
  EXPECT_EQ(e.excluded, 1);
  EXPECT_EQ(e.criteria[0].n, 3);
  EXPECT_DOUBLE_EQ(e.criteria[0].mean, 3.0);
  EXPECT_DOUBLE_EQ(e.criteria[0].median, 3.0);
  EXPECT_EQ(e.criteria[0].min, 1);
  EXPECT_EQ(e.criteria[0].max, 5);
  EXPECT_NEAR(e.criteria[0].stddev, 1.63299, 1e-4);
  EXPECT_EQ(e.criteria[1].min, 5);  // the conflicted 1 is not there
  EXPECT_DOUBLE_EQ(e.criteria[2].median, 3.0);
}

TEST(BadInput, CountsThatDoNotAddUpAreRefusedWithAReason) {
  auto e = event(1, 1, "", "2026-01-01", 10, 11, 0);
  auto s = check_event(e);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("11 women among 10"), std::string::npos);
  e.women = 5;
  e.non_russian = 12;
  EXPECT_FALSE(check_event(e));
  e.non_russian = 1;
  e.regions = {{"Volga", 6}, {"Urals", 5}};
  s = check_event(e);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("regions of origin"), std::string::npos);
  e.regions = {{"Volga", 6}, {"Volga", 1}};
  EXPECT_FALSE(check_event(e));
  e.regions = {{"Volga", 6}};
  EXPECT_TRUE(check_event(e));
  e.women = -1;
  EXPECT_FALSE(check_event(e));
  e.women = 0;
  e.total = 0;
  e.regions.clear();
  EXPECT_FALSE(check_event(e));
}

TEST(BadInput, SupportRecordsAndDatesAreChecked) {
  auto s = record(1, 1, 1, Purpose::kProject, "2026-01-01", "2026-12-31");
  EXPECT_TRUE(check_support(s));
  auto bad = s;
  bad.currency = "eur";
  EXPECT_FALSE(check_support(bad));
  bad = s;
  bad.currency = "";
  EXPECT_FALSE(check_support(bad));
  bad = s;
  bad.amount_minor = -1;
  EXPECT_FALSE(check_support(bad));
  bad = s;
  bad.amount_minor = kMaxAmountMinor + 1;
  EXPECT_FALSE(check_support(bad));
  bad = s;
  bad.to = d("2025-12-31");
  EXPECT_FALSE(check_support(bad));
  bad = s;
  bad.amount_minor = 0;
  bad.currency = "";
  EXPECT_FALSE(check_support(bad));  // gives nothing
  bad.permit_sponsorship = true;
  EXPECT_TRUE(check_support(bad));
  for (const char* text :
       {"2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", "1900-01-01", "", "2026-01-0x"}) {
    EXPECT_FALSE(parse_day(text)) << text;
  }
  EXPECT_EQ(quarter_of(d("2026-12-31")), "2026-Q4");
  EXPECT_FALSE(parse_purpose("bribes"));
  EXPECT_FALSE(parse_visibility("secret"));
  EXPECT_FALSE(check_targets({10001, 0, 0}));
  EXPECT_EQ(split_list("Volga, Urals,\n Volga ,,"), (std::vector<std::string>{"Volga", "Urals"}));
}

// --- The service, on both backends ---------------------------------------------------------------

class Service : public registry::RegistryDatabaseTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    RegistryDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::migrate(*db_, migrations()));
    ASSERT_TRUE(registry::load_demo(*db_, clock_));
    c_ = std::make_unique<Coordination>(*db_, clock_);
    auto a = c_->add_institution("Amber Fund", InstitutionKind::kDonor, "Amber");
    auto b = c_->add_institution("Birch Ministry", InstitutionKind::kHostState, "Birchland");
    ASSERT_TRUE(a && b);
    a_ = *a;
    b_ = *b;
  }
  void TearDown() override {
    c_.reset();
    RegistryDatabaseTest::TearDown();
  }

  InitiativeId add_initiative(const std::string& name, bool is_private) {
    Initiative i;
    i.name = name;
    i.field = Field::kMedia;
    i.regions = {"Volga"};
    i.contacts = "secret@example.org";
    i.is_private = is_private;
    auto id = c_->add_initiative(Viewer::coordinator_of(a_), i, "alice");
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(InitiativeId());
  }

  core::ManualClock clock_{core::from_unix(1'790'000'000)};
  std::unique_ptr<Coordination> c_;
  InstitutionId a_;
  InstitutionId b_;
};

TEST_P(Service, EveryReadGivesEachRoleExactlyTheRecordsItMaySee) {
  const auto open = add_initiative("Open Radio", false);
  const auto hidden = add_initiative("Hidden Network", true);
  const Viewer va = Viewer::coordinator_of(a_);
  const Viewer vb = Viewer::coordinator_of(b_);
  // One record per (institution, visibility) on the open initiative.
  struct Made {
    SupportId id;
    InstitutionId owner;
    Visibility vis;
  };
  std::vector<Made> made;
  for (const auto& [viewer, owner] : {std::pair{va, a_}, std::pair{vb, b_}}) {
    for (Visibility vis :
         {Visibility::kPublic, Visibility::kCoordinators, Visibility::kInstitution}) {
      auto s = record(0, open.value(), 0, Purpose::kProject, "2026-01-01", "2026-12-31");
      s.visibility = vis;
      s.entered_by = "someone";
      auto id = c_->add_support(viewer, s);
      ASSERT_TRUE(id) << id.error().message;
      made.push_back({*id, owner, vis});
      Event e = event(0, 0, "", "2026-02-01", 10, 5, 2);
      e.visibility = vis;
      ASSERT_TRUE(c_->add_event(viewer, e));
    }
  }
  // The roles of the issue: anonymous, constituent and operator read as the public (only a
  // coordinator's session gives a coordinator Viewer), coordinators of A and of B.
  struct Role {
    std::string name;
    Viewer v;
  };
  const std::vector<Role> roles = {{"anonymous", Viewer::public_view()},
                                   {"constituent", Viewer::public_view()},
                                   {"operator", Viewer::public_view()},
                                   {"coordinator of A", va},
                                   {"coordinator of B", vb}};
  for (const auto& role : roles) {
    auto seen = c_->support(role.v);
    ASSERT_TRUE(seen);
    auto events = c_->events(role.v);
    ASSERT_TRUE(events);
    for (const auto& m : made) {
      bool expected = m.vis == Visibility::kPublic ||
                      (role.v.coordinator && m.vis == Visibility::kCoordinators) ||
                      (role.v.coordinator && m.vis == Visibility::kInstitution &&
                       role.v.institution == m.owner);
      const bool found = std::any_of(seen->begin(), seen->end(),
                                     [&](const SupportRecord& s) { return s.id == m.id; });
      EXPECT_EQ(found, expected) << role.name << " record " << m.id.value() << " "
                                 << visibility_name(m.vis) << " of " << m.owner.value();
      const bool event_found = std::any_of(events->begin(), events->end(), [&](const Event& e) {
        return e.institution == m.owner && e.visibility == m.vis;
      });
      EXPECT_EQ(event_found, expected) << role.name << " event";
    }
    // Exports and the dashboard are built from the same reads.
    auto dash = c_->dashboard(role.v);
    ASSERT_TRUE(dash);
    EXPECT_EQ(dash->support_records, static_cast<std::int64_t>(seen->size())) << role.name;
    EXPECT_EQ(dash->plurality.field.events, static_cast<std::int64_t>(events->size()));
    // Private initiatives and contacts: coordinators only.
    auto inits = c_->initiatives(role.v);
    ASSERT_TRUE(inits);
    EXPECT_EQ(inits->size(), role.v.coordinator ? 2u : 1u) << role.name;
    for (const auto& i : *inits) {
      EXPECT_EQ(i.contacts.empty(), !role.v.coordinator) << role.name;
    }
    auto h = c_->initiative(role.v, hidden);
    EXPECT_EQ(h.has_value(), role.v.coordinator) << role.name;
    if (!role.v.coordinator) {
      EXPECT_EQ(h.error().code, ErrorCode::kNotFound);
    }
  }
  // Counts: public 2, each coordinator 4 + own 1 = 5.
  EXPECT_EQ(c_->support(Viewer::public_view())->size(), 2u);
  EXPECT_EQ(c_->support(va)->size(), 5u);
  EXPECT_EQ(c_->support(vb)->size(), 5u);
}

TEST_P(Service, WritesNeedACoordinatorWithAnInstitution) {
  const auto open = add_initiative("Open Radio", false);
  auto s = record(0, open.value(), 0, Purpose::kProject, "2026-01-01", "2026-12-31");
  auto r = c_->add_support(Viewer::public_view(), s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  r = c_->add_support(Viewer::coordinator_of(InstitutionId()), s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(c_->add_initiative(Viewer::public_view(), Initiative{}, "x").error().code,
            ErrorCode::kPermissionDenied);
  // A public viewer cannot reach a private initiative through a write either.
  const auto hidden = add_initiative("Hidden", true);
  s.initiative = hidden;
  EXPECT_TRUE(c_->add_support(Viewer::coordinator_of(a_), s));
  s.initiative = InitiativeId(999);
  EXPECT_EQ(c_->add_support(Viewer::coordinator_of(a_), s).error().code, ErrorCode::kNotFound);
  // Bad input changes nothing.
  Event e = event(0, 0, "", "2026-01-01", 5, 6, 0);
  EXPECT_EQ(c_->add_event(Viewer::coordinator_of(a_), e).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(c_->events(Viewer::coordinator_of(a_))->empty());
  EXPECT_EQ(c_->support(Viewer::coordinator_of(a_))->size(), 1u);
  Initiative bad;
  bad.name = "   ";
  EXPECT_EQ(c_->add_initiative(Viewer::coordinator_of(a_), bad, "x").error().code,
            ErrorCode::kInvalidArgument);
  bad.name = "X";
  bad.organization_slug = "no-such-org";
  EXPECT_EQ(c_->add_initiative(Viewer::coordinator_of(a_), bad, "x").error().code,
            ErrorCode::kInvalidArgument);
  bad.organization_slug = "northern-forum";
  EXPECT_TRUE(c_->add_initiative(Viewer::coordinator_of(a_), bad, "x"));
}

TEST_P(Service, OnlyTheOwningInstitutionRemovesARecordAndAnyCoordinatorEditsAnEntry) {
  const auto open = add_initiative("Open Radio", false);
  const Viewer va = Viewer::coordinator_of(a_);
  const Viewer vb = Viewer::coordinator_of(b_);
  auto s = record(0, open.value(), 0, Purpose::kProject, "2026-01-01", "2026-12-31");
  s.visibility = Visibility::kCoordinators;
  auto mine = c_->add_support(va, s);
  s.visibility = Visibility::kInstitution;
  auto hidden = c_->add_support(va, s);
  ASSERT_TRUE(mine && hidden);
  EXPECT_EQ(c_->remove_support(vb, *mine).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(c_->remove_support(vb, *hidden).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(c_->remove_support(Viewer::public_view(), *mine).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(c_->support(va)->size(), 2u);
  ASSERT_TRUE(c_->remove_support(va, *mine));
  EXPECT_EQ(c_->remove_support(va, *mine).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(c_->support(va)->size(), 1u);
  auto own_event = event(0, 0, "", "2026-02-01", 10, 5, 2);
  own_event.visibility = Visibility::kInstitution;
  auto e = c_->add_event(va, own_event);
  ASSERT_TRUE(e);
  EXPECT_EQ(c_->remove_event(vb, *e).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(c_->remove_event(va, *e));
  EXPECT_TRUE(c_->events(va)->empty());

  auto i = c_->initiative(vb, open);
  ASSERT_TRUE(i);
  i->name = "Open Radio Network";
  i->is_private = true;
  i->leadership_women_percent = 55;
  ASSERT_TRUE(c_->update_initiative(vb, *i));
  EXPECT_EQ(c_->initiative(va, open)->name, "Open Radio Network");
  EXPECT_EQ(c_->initiative(va, open)->leadership_women_percent, 55);
  EXPECT_EQ(c_->initiative(Viewer::public_view(), open).error().code, ErrorCode::kNotFound);
  i->name = "";
  EXPECT_EQ(c_->update_initiative(vb, *i).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(c_->update_initiative(Viewer::public_view(), *i).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(c_->initiative(va, open)->name, "Open Radio Network");
}

TEST_P(Service, AssessorWithADeclaredConflictIsRefusedAndNeverAggregated) {
  const auto open = add_initiative("Open Radio", false);
  const Viewer va = Viewer::coordinator_of(a_);
  Assessment a;
  a.initiative = open;
  a.assessor = "alice";
  a.scores = {4, 4, 4};
  ASSERT_TRUE(c_->assess(va, a));
  a.assessor = "bob";
  a.scores = {2, 2, 2};
  ASSERT_TRUE(c_->assess(va, a));
  auto e = c_->evaluation(va, open);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->criteria[0].mean, 3.0);
  // Bob declares a conflict afterwards: his assessment stops counting, and he cannot assess.
  ASSERT_TRUE(c_->declare_conflict(va, open, "bob", "my sister edits it"));
  EXPECT_EQ(c_->declare_conflict(va, open, "bob", "again").error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(c_->assess(va, a).error().code, ErrorCode::kFailedPrecondition);
  e = c_->evaluation(va, open);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->assessors, 1);
  EXPECT_EQ(e->excluded, 1);
  EXPECT_DOUBLE_EQ(e->criteria[0].mean, 4.0);
  EXPECT_EQ(c_->evaluation(Viewer::public_view(), open).error().code, ErrorCode::kPermissionDenied);
  a.assessor = "carol";
  a.scores = {0, 3, 3};
  EXPECT_EQ(c_->assess(va, a).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(Service, InstitutionsCoordinatorsAndTargets) {
  EXPECT_EQ(c_->add_institution("Amber Fund", InstitutionKind::kDonor, "").error().code,
            ErrorCode::kAlreadyExists);
  auto t = c_->targets();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->women_bp, 5000);
  ASSERT_TRUE(c_->set_targets({5000, 1000, 2000}));
  EXPECT_EQ(c_->targets()->non_russian_min_bp, 2000);
  EXPECT_FALSE(c_->set_targets({5000, -1, 2000}));
  // The demo's accounts: assigning needs the coordinator role.
  const crypto::SecretBytes key(crypto::Bytes(32, 7));
  registry::Accounts accounts(*db_, clock_, key);
  auto codes = accounts.issue_codes("northern-forum", 1, std::chrono::days(1), "operator");
  ASSERT_TRUE(codes);
  auto id = accounts.join(codes->front(), "Coord-Ann", "a long passphrase here");
  ASSERT_TRUE(id);
  EXPECT_EQ(c_->assign_coordinator("coord-ann", "Amber Fund").error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(accounts.grant_role("operator", "Coord-Ann", registry::Role::kCoordinator));
  EXPECT_EQ(c_->assign_coordinator("coord-ann", "Nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(c_->assign_coordinator("nobody", "Amber Fund").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(c_->assign_coordinator("coord-ann", "Amber Fund"));
  EXPECT_EQ(c_->institution_of(*id).value(), a_);
  ASSERT_TRUE(c_->assign_coordinator("coord-ann", "Birch Ministry"));
  EXPECT_EQ(c_->coordinator_viewer(*id)->institution, b_);
}

TEST_P(Service, DemoLoadsOnceAndShowsOverlapAndPlurality) {
  ASSERT_TRUE(load_demo(*db_, clock_));
  ASSERT_TRUE(load_demo(*db_, clock_));  // a second time does nothing
  auto dash = c_->dashboard(Viewer::public_view());
  ASSERT_TRUE(dash);
  EXPECT_GT(dash->plurality.field.total, 0);
  auto inst = c_->institutions();
  ASSERT_TRUE(inst);
  EXPECT_EQ(inst->size(), 5u);  // two from SetUp, three from the demo
  const auto fjord = std::find_if(inst->begin(), inst->end(), [](const Institution& i) {
    return i.name == "Fjordland Democracy Fund";
  });
  ASSERT_NE(fjord, inst->end());
  auto coord = c_->dashboard(Viewer::coordinator_of(fjord->id));
  ASSERT_TRUE(coord);
  EXPECT_FALSE(coord->overlap.items.empty());  // the radio: Amber (public) + Fjord (coordinators)
  EXPECT_GT(coord->support_records, dash->support_records);
}

std::string backend_name(const ::testing::TestParamInfo<store::Backend>& p) {
  return p.param == store::Backend::kSqlite ? "sqlite" : "postgres";
}

INSTANTIATE_TEST_SUITE_P(Backends, Service,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::coordination
