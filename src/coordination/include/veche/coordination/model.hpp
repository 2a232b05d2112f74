// The coordinators' data: institutions, initiatives, support records, events with aggregate
// participant counts, assessments and declared conflicts of interest; their validation; and
// may_see(), the one function that decides who sees a record.
//
// Money is an integer count of the currency's minor units (cents, kopecks): no floating point,
// no exchange rates. Dates are whole days (std::chrono::sys_days).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"

namespace veche::coordination {

struct InstitutionTag {};
struct InitiativeTag {};
struct SupportTag {};
struct EventTag {};
using InstitutionId = core::Id<InstitutionTag>;
using InitiativeId = core::Id<InitiativeTag>;
using SupportId = core::Id<SupportTag>;
using EventId = core::Id<EventTag>;
using Day = std::chrono::sys_days;

// "2026-03-01" <-> Day. parse_day: kInvalidArgument for anything but a valid YYYY-MM-DD
// between 1990 and 2100.
Result<Day> parse_day(std::string_view text);
std::string format_day(Day d);
// "2026-Q1".
std::string quarter_of(Day d);

enum class InstitutionKind { kDonor, kHostState };
std::string_view kind_name(InstitutionKind k);  // "donor", "host-state"
Result<InstitutionKind> parse_kind(std::string_view name);

struct Institution {
  InstitutionId id;
  std::string name;  // unique, 1..120 characters
  InstitutionKind kind = InstitutionKind::kDonor;
  std::string country;  // free text, may be empty
};

enum class Field { kMedia, kResearch, kCivic, kLegalAid, kPolitical, kCultural };
inline constexpr std::array<Field, 6> kFields = {Field::kMedia,     Field::kResearch,
                                                 Field::kCivic,     Field::kLegalAid,
                                                 Field::kPolitical, Field::kCultural};
std::string_view field_name(Field f);  // "media", "research", "civic", "legal-aid", ...
Result<Field> parse_field(std::string_view name);

enum class Purpose {
  kCoreFunding,
  kProject,
  kEvents,
  kTraining,
  kRelocation,
  kSecurity,
  kLegal,
  kEquipment,
  kOther
};
inline constexpr std::array<Purpose, 9> kPurposes = {
    Purpose::kCoreFunding, Purpose::kProject,    Purpose::kEvents,
    Purpose::kTraining,    Purpose::kRelocation, Purpose::kSecurity,
    Purpose::kLegal,       Purpose::kEquipment,  Purpose::kOther};
std::string_view purpose_name(Purpose p);  // "core-funding", "project", ...
Result<Purpose> parse_purpose(std::string_view name);

// Who may read a support record or an event.
enum class Visibility {
  kPublic,        // everyone
  kCoordinators,  // every coordinator
  kInstitution,   // coordinators of the institution that entered it, no one else
};
std::string_view visibility_name(Visibility v);  // "public", "coordinators", "institution"
Result<Visibility> parse_visibility(std::string_view name);

// Who is reading. Built by the caller from an authenticated person: a coordinator whose
// session may use the role (second factor), with the institution the operator assigned them.
struct Viewer {
  bool coordinator = false;
  InstitutionId institution;  // !valid() for the public and for a coordinator not yet assigned

  static Viewer public_view() { return {}; }
  static Viewer coordinator_of(InstitutionId i) { return {true, i}; }
};

// THE visibility rule: public records for everyone, coordinators' records for coordinators,
// own-institution records for coordinators of the owning institution only. Every read of the
// service filters through it.
bool may_see(const Viewer& v, Visibility visibility, InstitutionId owner);

struct Initiative {
  InitiativeId id;
  std::string name;               // 1..200 characters
  std::string organization_slug;  // a coalition organization, or "" for another initiative
  Field field = Field::kCivic;
  std::vector<std::string> regions;
  std::vector<std::string> minorities;
  std::vector<std::string> languages;
  std::vector<std::string> host_countries;
  std::optional<int> leadership_women_percent;  // self-declared, 0..100; optional
  std::string description;                      // up to 4000 characters
  std::string contacts;                         // coordinators only; up to 1000 characters
  bool is_private = false;                      // coordinators only, pseudonym in aggregates
  core::TimePoint created_at;
};

// A private initiative is seen by coordinators only; public ones by everyone.
bool may_see(const Viewer& v, const Initiative& i);
// The name `v` may read: the real name, or for a private entry read by the public (in an
// aggregate) a pseudonym that reveals nothing but the id.
std::string shown_name(const Viewer& v, const Initiative& i);
// Checks lengths, UTF-8 and the percent. kInvalidArgument naming the field.
Status check_initiative(const Initiative& i);

struct SupportRecord {
  SupportId id;
  InitiativeId initiative;
  InstitutionId institution;      // the institution of the coordinator who entered it
  std::string programme;          // the grant or programme, 1..200 characters
  std::int64_t amount_minor = 0;  // 0..10^13 minor units
  std::string currency;           // ISO 4217: three capital letters; required when amount > 0
  Day from{};
  Day to{};  // inclusive; to >= from
  Purpose purpose = Purpose::kProject;
  bool permit_sponsorship = false;  // residence or work permit sponsorship
  std::string in_kind;              // in-kind support given, "" for none
  Visibility visibility = Visibility::kCoordinators;
  std::string entered_by;  // the coordinator's handle
};
inline constexpr std::int64_t kMaxAmountMinor = 10'000'000'000'000;  // 10^13
// "1234", "1234.5" or "1234.56" (a dot, at most two decimals) to minor units, without floating
// point. "" is 0. kInvalidArgument for anything else or above kMaxAmountMinor.
Result<std::int64_t> parse_amount(std::string_view text);
// kInvalidArgument for a bad amount, currency, period, programme, or a record that gives
// nothing (no amount, no permit sponsorship, no in-kind support).
Status check_support(const SupportRecord& s);

// An event or a session of a programme with its aggregate participant counts (never people).
struct Event {
  EventId id;
  InstitutionId institution;  // the supporting institution (the donor)
  std::optional<InitiativeId> initiative;
  std::string programme;  // "" when the event stands alone
  std::string title;      // 1..200 characters
  Day day{};
  std::int64_t total = 0;
  std::int64_t women = 0;
  std::int64_t non_russian = 0;                               // people of non-Russian ethnic origin
  std::vector<std::pair<std::string, std::int64_t>> regions;  // region of origin -> count
  Visibility visibility = Visibility::kCoordinators;
  std::string entered_by;
};
inline constexpr std::int64_t kMaxParticipants = 10'000'000;
// kInvalidArgument with a message a person can act on when the counts do not add up:
// negative, women or non-Russian above the total, region counts summing above the total.
Status check_event(const Event& e);

bool may_see(const Viewer& v, const SupportRecord& s);
bool may_see(const Viewer& v, const Event& e);

enum class Criterion { kVisions, kKnowledge, kAntiWar };
inline constexpr std::array<Criterion, 3> kCriteria = {Criterion::kVisions, Criterion::kKnowledge,
                                                       Criterion::kAntiWar};
std::string_view criterion_name(Criterion c);  // "visions", "knowledge", "anti-war"

struct Assessment {
  InitiativeId initiative;
  std::string assessor;         // handle
  std::array<int, 3> scores{};  // 1..5 per criterion, in kCriteria's order
  std::string note;             // up to 2000 characters
  core::TimePoint at;
};
Status check_assessment(const Assessment& a);

struct Conflict {
  InitiativeId initiative;
  std::string assessor;
  std::string reason;  // 1..500 characters
  core::TimePoint at;
};

// Plurality targets in basis points (1/100 of a percent): women within tolerance of the target
// share; non-Russian ethnic origin at least the minimum share.
struct Targets {
  int women_bp = 5000;
  int women_tolerance_bp = 500;
  int non_russian_min_bp = 1500;
};
// Each 0..10000. kInvalidArgument otherwise.
Status check_targets(const Targets& t);

// Splits a comma- or newline-separated list, trimmed, empties and duplicates dropped.
std::vector<std::string> split_list(std::string_view text);

}  // namespace veche::coordination
