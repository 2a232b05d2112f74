// A fictional demo for `veche serve --demo`: invented institutions and initiatives (no real
// organization or person), with overlapping support and events on both sides of the targets.
#include "veche/coordination/coordination.hpp"

namespace veche::coordination {
namespace {

Day day(std::string_view text) { return parse_day(text).value(); }

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock) {
  Coordination c(db, clock);
  VECHE_ASSIGN_OR_RETURN(auto existing, c.initiatives(Viewer::coordinator_of(InstitutionId())));
  if (!existing.empty()) return ok();

  VECHE_ASSIGN_OR_RETURN(auto lakeland, c.add_institution("Lakeland Foreign Ministry",
                                                          InstitutionKind::kHostState, "Lakeland"));
  VECHE_ASSIGN_OR_RETURN(auto amber, c.add_institution("Amber Coast Foundation",
                                                       InstitutionKind::kDonor, "Amber Coast"));
  VECHE_ASSIGN_OR_RETURN(auto fjord, c.add_institution("Fjordland Democracy Fund",
                                                       InstitutionKind::kDonor, "Fjordland"));
  const Viewer by_lakeland = Viewer::coordinator_of(lakeland);
  const Viewer by_amber = Viewer::coordinator_of(amber);
  const Viewer by_fjord = Viewer::coordinator_of(fjord);

  const auto initiative = [&](std::string name, std::string org, Field f,
                              std::vector<std::string> regions, std::vector<std::string> minorities,
                              std::vector<std::string> languages,
                              std::vector<std::string> countries, std::optional<int> women,
                              std::string description, bool is_private) {
    Initiative i;
    i.name = std::move(name);
    i.organization_slug = std::move(org);
    i.field = f;
    i.regions = std::move(regions);
    i.minorities = std::move(minorities);
    i.languages = std::move(languages);
    i.host_countries = std::move(countries);
    i.leadership_women_percent = women;
    i.description = std::move(description);
    i.contacts = is_private ? "Through the Lakeland desk only." : "editors@example.org";
    i.is_private = is_private;
    return c.add_initiative(by_lakeland, std::move(i), "demo");
  };
  VECHE_ASSIGN_OR_RETURN(
      auto radio,
      initiative("Free Steppe Radio", "", Field::kMedia, {"Volga", "Urals"}, {"Tatars", "Bashkirs"},
                 {"ru", "tt", "ba"}, {"Lakeland", "Amber Coast"}, 40,
                 "Daily news podcast for listeners along the Volga, in three languages.", false));
  VECHE_ASSIGN_OR_RETURN(
      auto lab, initiative("Northern Policy Lab", "northern-forum", Field::kResearch,
                           {"North-West"}, {}, {"ru", "en"}, {"Fjordland"}, 50,
                           "Research on institutions for the future state and on public opinion "
                           "inside the country.",
                           false));
  VECHE_ASSIGN_OR_RETURN(
      auto legal,
      initiative("Exile Legal Desk", "", Field::kLegalAid, {"Moscow", "Siberia"}, {}, {"ru"},
                 {"Lakeland", "Amber Coast", "Fjordland"}, 60,
                 "Legal aid for deserters and for exiles facing expired documents.", false));
  VECHE_ASSIGN_OR_RETURN(
      auto caucasus,
      initiative("Mountain Voices Collective", "", Field::kCultural, {"North Caucasus"},
                 {"Chechens", "Avars", "Circassians"}, {"ru", "ce"}, {"Amber Coast"}, std::nullopt,
                 "Literature and theatre of the North Caucasus in exile.", false));
  VECHE_ASSIGN_OR_RETURN(
      auto network, initiative("Volunteer network (unnamed)", "", Field::kCivic, {"Far East"}, {},
                               {"ru"}, {"Lakeland"}, 30,
                               "Helps people inside the country leave; cannot be named.", true));
  (void)caucasus;

  const auto support = [&](const Viewer& v, InitiativeId i, std::string programme,
                           std::int64_t amount, std::string currency, std::string_view from,
                           std::string_view to, Purpose p, Visibility vis, bool permit = false,
                           std::string in_kind = "") -> Status {
    SupportRecord s;
    s.initiative = i;
    s.programme = std::move(programme);
    s.amount_minor = amount;
    s.currency = std::move(currency);
    s.from = day(from);
    s.to = day(to);
    s.purpose = p;
    s.visibility = vis;
    s.permit_sponsorship = permit;
    s.in_kind = std::move(in_kind);
    s.entered_by = "demo";
    VECHE_TRY(c.add_support(v, std::move(s)));
    return ok();
  };
  VECHE_TRY(support(by_amber, radio, "Independent Media Grant", 12000000, "EUR", "2026-01-01",
                    "2026-12-31", Purpose::kCoreFunding, Visibility::kPublic));
  VECHE_TRY(support(by_fjord, radio, "Voices Programme", 9500000, "NOK", "2026-03-01", "2027-02-28",
                    Purpose::kCoreFunding, Visibility::kCoordinators));
  VECHE_TRY(support(by_lakeland, radio, "Residence permits for journalists", 0, "", "2026-01-01",
                    "2027-12-31", Purpose::kRelocation, Visibility::kPublic, true));
  VECHE_TRY(support(by_lakeland, lab, "Future State Studies", 4500000, "EUR", "2025-09-01",
                    "2026-08-31", Purpose::kProject, Visibility::kPublic));
  VECHE_TRY(support(by_fjord, legal, "Legal Aid Fund", 3000000, "NOK", "2026-01-01", "2026-06-30",
                    Purpose::kLegal, Visibility::kPublic));
  VECHE_TRY(support(by_amber, legal, "Rule of Law Line", 2500000, "EUR", "2026-04-01", "2026-12-31",
                    Purpose::kLegal, Visibility::kInstitution));
  VECHE_TRY(support(by_lakeland, network, "Safe Passage", 800000, "EUR", "2026-02-01", "2026-11-30",
                    Purpose::kSecurity, Visibility::kInstitution, false, "Two safe flats"));

  const auto event =
      [&](const Viewer& v, std::optional<InitiativeId> i, std::string programme, std::string title,
          std::string_view on, std::int64_t total, std::int64_t women, std::int64_t non_russian,
          std::vector<std::pair<std::string, std::int64_t>> regions, Visibility vis) -> Status {
    Event e;
    e.initiative = i;
    e.programme = std::move(programme);
    e.title = std::move(title);
    e.day = day(on);
    e.total = total;
    e.women = women;
    e.non_russian = non_russian;
    e.regions = std::move(regions);
    e.visibility = vis;
    e.entered_by = "demo";
    VECHE_TRY(c.add_event(v, std::move(e)));
    return ok();
  };
  VECHE_TRY(event(by_amber, radio, "Independent Media Grant", "Newsroom security workshop",
                  "2025-11-14", 24, 9, 2, {{"Volga", 6}, {"Moscow", 10}}, Visibility::kPublic));
  VECHE_TRY(event(by_amber, radio, "Independent Media Grant", "Regional reporting school",
                  "2026-02-20", 30, 16, 7, {{"Volga", 12}, {"Urals", 8}}, Visibility::kPublic));
  VECHE_TRY(event(by_lakeland, lab, "Future State Studies", "Constitution drafting seminar",
                  "2026-03-12", 40, 13, 4, {{"Moscow", 18}, {"North-West", 12}},
                  Visibility::kPublic));
  VECHE_TRY(event(by_lakeland, lab, "Future State Studies", "Federalism round table", "2026-05-28",
                  22, 11, 8, {{"North Caucasus", 5}, {"Siberia", 6}}, Visibility::kPublic));
  VECHE_TRY(event(by_fjord, legal, "", "Deserters' legal clinic", "2026-06-03", 18, 7, 3,
                  {{"Siberia", 7}}, Visibility::kCoordinators));

  const auto assess = [&](const Viewer& v, InitiativeId i, std::string who, std::array<int, 3> s) {
    Assessment a;
    a.initiative = i;
    a.assessor = std::move(who);
    a.scores = s;
    return c.assess(v, std::move(a));
  };
  VECHE_TRY(assess(by_amber, radio, "demo-amber", {3, 5, 4}));
  VECHE_TRY(assess(by_fjord, radio, "demo-fjord", {4, 4, 5}));
  VECHE_TRY(assess(by_lakeland, lab, "demo-lakeland", {5, 3, 3}));
  VECHE_TRY(c.declare_conflict(by_fjord, lab, "demo-fjord",
                               "A board member of the lab sits on our grant committee."));
  return ok();
}

}  // namespace veche::coordination
