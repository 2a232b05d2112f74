// Pure computations over what a viewer may see: totals per currency, overlap between
// institutions, gaps, plurality against targets, and evaluation aggregates. Callers pass only
// records the viewer may see (Coordination does); nothing here reads a database.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "veche/coordination/model.hpp"

namespace veche::coordination {

// Sum of amounts in one currency (never converted to another).
struct MoneyTotal {
  std::string currency;
  std::int64_t amount_minor = 0;
  std::int64_t records = 0;
};
// One total per currency, ordered by currency code. Records without an amount are not counted.
std::vector<MoneyTotal> totals_by_currency(std::span<const SupportRecord> records);
// "12,345.67 EUR" from minor units (two decimals; JPY-like currencies are not special-cased).
std::string format_money(std::int64_t amount_minor, std::string_view currency);

// Two or more institutions supporting the same initiative for the same purpose in
// overlapping periods.
struct OverlapItem {
  InitiativeId initiative;
  Purpose purpose = Purpose::kProject;
  Day from{};                               // the earliest start among the overlapping records
  Day to{};                                 // the latest end
  std::vector<InstitutionId> institutions;  // ascending, distinct
  std::vector<SupportId> records;           // the records that overlap another institution's
};
struct Overlap {
  std::vector<OverlapItem> items;           // ordered by initiative, then purpose
  std::vector<InstitutionId> institutions;  // rows and columns of `matrix`, ascending
  // matrix[i][j] (i != j): how many (initiative, purpose) overlaps institutions i and j share;
  // matrix[i][i]: how many overlaps institution i is part of.
  std::vector<std::vector<std::int64_t>> matrix;
  std::vector<Field> unfunded_fields;         // fields whose initiatives get no support
  std::vector<std::string> unfunded_regions;  // regions named by initiatives, none supported
};
// `initiatives` lists the initiatives the viewer may see (for the gaps).
Overlap compute_overlap(std::span<const Initiative> initiatives,
                        std::span<const SupportRecord> records);

// Aggregate participant counts against the targets.
struct PluralityRow {
  std::string key;    // event id, programme name, institution id, quarter, or "field"
  std::string label;  // what to show
  std::int64_t events = 0;
  std::int64_t total = 0;
  std::int64_t women = 0;
  std::int64_t non_russian = 0;
  std::map<std::string, std::int64_t> regions;
  bool women_ok = false;        // within the tolerance of the target share
  bool non_russian_ok = false;  // at least the minimum share
};
// Shares in basis points (0 when total is 0).
std::int64_t share_bp(std::int64_t part, std::int64_t total);
// Fills women_ok and non_russian_ok with integer arithmetic (no rounding surprises): a row
// with no participants meets no target.
void judge(PluralityRow& row, const Targets& t);

struct Plurality {
  Targets targets;
  std::vector<PluralityRow> by_event;        // in date order
  std::vector<PluralityRow> by_programme;    // events without a programme are not listed
  std::vector<PluralityRow> by_institution;  // key = institution id
  std::vector<PluralityRow> by_quarter;      // the trend, oldest first
  PluralityRow field;                        // everything the viewer may see
};
// `institution_names` maps ids to names for the labels (missing ids are labelled by number).
Plurality compute_plurality(std::span<const Event> events, const Targets& targets,
                            const std::map<InstitutionId, std::string>& institution_names);

struct CriterionSummary {
  int n = 0;
  double mean = 0;
  double median = 0;
  int min = 0;
  int max = 0;
  double stddev = 0;  // population standard deviation
};
struct Evaluation {
  std::array<CriterionSummary, 3> criteria;  // in kCriteria's order
  int assessors = 0;                         // assessments counted
  int excluded = 0;  // assessments left out because their assessor declared a conflict
  std::vector<Conflict> conflicts;
};
// Aggregates the assessments of one initiative; an assessment whose assessor declared a
// conflict for it is never counted.
Evaluation aggregate(std::span<const Assessment> assessments, std::span<const Conflict> conflicts);

// What /coordination shows: computed from what the viewer may see.
struct Dashboard {
  std::int64_t initiatives = 0;
  std::int64_t private_initiatives = 0;
  std::int64_t support_records = 0;
  std::int64_t events = 0;
  std::vector<MoneyTotal> totals;
  std::map<InstitutionId, std::vector<MoneyTotal>> totals_by_institution;
  std::map<Field, std::vector<MoneyTotal>> totals_by_field;
  Overlap overlap;
  Plurality plurality;
};
Dashboard compute_dashboard(std::span<const Initiative> initiatives,
                            std::span<const SupportRecord> records, std::span<const Event> events,
                            const Targets& targets,
                            const std::map<InstitutionId, std::string>& institution_names);

}  // namespace veche::coordination
