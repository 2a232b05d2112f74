#include "veche/coordination/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace veche::coordination {
namespace {

// Amounts are at most 10^13 each, so a sum overflows only past ~900,000 maximal records; it
// then saturates rather than wraps.
std::int64_t add_saturating(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return INT64_MAX;
  return out;
}

void add_to(std::vector<MoneyTotal>& totals, const SupportRecord& r) {
  if (r.amount_minor <= 0) return;
  for (auto& t : totals) {
    if (t.currency == r.currency) {
      t.amount_minor = add_saturating(t.amount_minor, r.amount_minor);
      ++t.records;
      return;
    }
  }
  totals.push_back({r.currency, r.amount_minor, 1});
}

void sort_totals(std::vector<MoneyTotal>& t) {
  std::sort(t.begin(), t.end(),
            [](const MoneyTotal& a, const MoneyTotal& b) { return a.currency < b.currency; });
}

void add_event(PluralityRow& row, const Event& e) {
  ++row.events;
  row.total += e.total;
  row.women += e.women;
  row.non_russian += e.non_russian;
  for (const auto& [region, count] : e.regions) row.regions[region] += count;
}

double median_of(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  if (n == 0) return 0;
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

}  // namespace

std::vector<MoneyTotal> totals_by_currency(std::span<const SupportRecord> records) {
  std::vector<MoneyTotal> totals;
  for (const auto& r : records) add_to(totals, r);
  sort_totals(totals);
  return totals;
}

std::string format_money(std::int64_t amount_minor, std::string_view currency) {
  const bool negative = amount_minor < 0;
  const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(amount_minor)
                                     : static_cast<std::uint64_t>(amount_minor);
  std::string whole = std::to_string(abs / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) {
    whole.insert(static_cast<std::size_t>(i), ",");
  }
  return fmt::format("{}{}.{:02} {}", negative ? "-" : "", whole, abs % 100, currency);
}

Overlap compute_overlap(std::span<const Initiative> initiatives,
                        std::span<const SupportRecord> records) {
  Overlap out;
  // Group the records by (initiative, purpose), ordered by start, through a compact sorted
  // index (one cache-friendly sort instead of chasing pointers).
  struct Key {
    std::int64_t initiative;
    int purpose;
    std::int64_t from;
    std::int64_t id;
    std::uint32_t index;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys;
  keys.reserve(records.size());
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    keys.push_back({r.initiative.value(), static_cast<int>(r.purpose),
                    r.from.time_since_epoch().count(), r.id.value(), i});
  }
  std::sort(keys.begin(), keys.end());

  std::vector<std::pair<InstitutionId, InstitutionId>> pairs_in_group;
  std::vector<InstitutionId> members;
  std::vector<std::uint32_t> involved;
  std::map<std::pair<InstitutionId, InstitutionId>, std::int64_t> pair_counts;
  std::map<InstitutionId, std::int64_t> member_counts;
  std::set<InstitutionId> all_institutions;
  for (const auto& r : records) all_institutions.insert(r.institution);
  for (std::size_t begin = 0; begin < keys.size();) {
    std::size_t end = begin + 1;
    while (end < keys.size() && keys[end].initiative == keys[begin].initiative &&
           keys[end].purpose == keys[begin].purpose) {
      ++end;
    }
    if (end - begin >= 2) {
      pairs_in_group.clear();
      members.clear();
      involved.clear();
      // Sorted by start: once b starts after a ends, no later record overlaps a.
      for (std::size_t i = begin; i < end; ++i) {
        const auto& a = records[keys[i].index];
        for (std::size_t j = i + 1; j < end && records[keys[j].index].from <= a.to; ++j) {
          const auto& b = records[keys[j].index];
          if (b.institution == a.institution) continue;
          members.push_back(a.institution);
          members.push_back(b.institution);
          involved.push_back(keys[i].index);
          involved.push_back(keys[j].index);
          pairs_in_group.push_back(std::minmax(a.institution, b.institution));
        }
      }
      if (!members.empty()) {
        const auto unique = [](auto& v) {
          std::sort(v.begin(), v.end());
          v.erase(std::unique(v.begin(), v.end()), v.end());
        };
        unique(members);
        unique(involved);
        unique(pairs_in_group);
        OverlapItem item;
        item.initiative = records[keys[begin].index].initiative;
        item.purpose = records[keys[begin].index].purpose;
        item.institutions = members;
        item.from = records[involved.front()].from;
        item.to = records[involved.front()].to;
        for (const auto k : involved) {
          const auto& r = records[k];
          item.records.push_back(r.id);
          item.from = std::min(item.from, r.from);
          item.to = std::max(item.to, r.to);
        }
        std::sort(item.records.begin(), item.records.end());
        for (const auto& p : pairs_in_group) ++pair_counts[p];
        for (const auto m : members) ++member_counts[m];
        out.items.push_back(std::move(item));
      }
    }
    begin = end;
  }

  out.institutions.assign(all_institutions.begin(), all_institutions.end());
  const std::size_t n = out.institutions.size();
  out.matrix.assign(n, std::vector<std::int64_t>(n, 0));
  const auto index = [&](InstitutionId id) {
    return static_cast<std::size_t>(
        std::lower_bound(out.institutions.begin(), out.institutions.end(), id) -
        out.institutions.begin());
  };
  for (const auto& [p, count] : pair_counts) {
    const auto a = index(p.first);
    const auto b = index(p.second);
    out.matrix[a][b] = count;
    out.matrix[b][a] = count;
  }
  for (const auto& [m, count] : member_counts) out.matrix[index(m)][index(m)] = count;

  // Gaps: fields and regions whose initiatives get no support the viewer can see.
  std::unordered_set<std::int64_t> supported;
  for (const auto& r : records) supported.insert(r.initiative.value());
  std::set<Field> funded_fields;
  std::set<std::string> regions;
  std::set<std::string> funded_regions;
  for (const auto& i : initiatives) {
    const bool has = supported.count(i.id.value()) > 0;
    if (has) funded_fields.insert(i.field);
    for (const auto& r : i.regions) {
      regions.insert(r);
      if (has) funded_regions.insert(r);
    }
  }
  for (Field f : kFields) {
    if (!funded_fields.count(f)) out.unfunded_fields.push_back(f);
  }
  for (const auto& r : regions) {
    if (!funded_regions.count(r)) out.unfunded_regions.push_back(r);
  }
  return out;
}

std::int64_t share_bp(std::int64_t part, std::int64_t total) {
  if (total <= 0) return 0;
  return part * 10000 / total;
}

void judge(PluralityRow& row, const Targets& t) {
  if (row.total <= 0) {
    row.women_ok = false;
    row.non_russian_ok = false;
    return;
  }
  // |women/total - target| <= tolerance  <=>  |women*10000 - total*target| <= total*tolerance
  const std::int64_t diff = row.women * 10000 - row.total * t.women_bp;
  row.women_ok = (diff < 0 ? -diff : diff) <= row.total * t.women_tolerance_bp;
  row.non_russian_ok = row.non_russian * 10000 >= row.total * t.non_russian_min_bp;
}

Plurality compute_plurality(std::span<const Event> events, const Targets& targets,
                            const std::map<InstitutionId, std::string>& institution_names) {
  Plurality out;
  out.targets = targets;
  out.field.key = "field";
  out.field.label = "All supported events";
  std::vector<const Event*> sorted;
  sorted.reserve(events.size());
  for (const auto& e : events) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const Event* a, const Event* b) {
    return a->day != b->day ? a->day < b->day : a->id < b->id;
  });
  std::map<std::string, PluralityRow> programmes;
  std::map<InstitutionId, PluralityRow> institutions;
  std::map<std::string, PluralityRow> quarters;
  PluralityRow* quarter = nullptr;
  Day quarter_start{};
  Day quarter_end{};  // exclusive
  out.by_event.reserve(sorted.size());
  for (const Event* e : sorted) {
    PluralityRow row;
    row.key = e->id.str();
    row.label = e->title;
    add_event(row, *e);
    judge(row, targets);
    out.by_event.push_back(std::move(row));
    if (!e->programme.empty()) add_event(programmes[e->programme], *e);
    add_event(institutions[e->institution], *e);
    // Events come in date order: look the quarter up only when the date leaves the last one.
    if (quarter == nullptr || e->day < quarter_start || e->day >= quarter_end) {
      const std::chrono::year_month_day ymd(e->day);
      const unsigned first_month = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
      const auto start = std::chrono::year_month_day(ymd.year(), std::chrono::month(first_month),
                                                     std::chrono::day(1));
      quarter_start = Day(start);
      quarter_end = Day(start + std::chrono::months(3));
      quarter = &quarters[quarter_of(e->day)];
    }
    add_event(*quarter, *e);
    add_event(out.field, *e);
  }
  for (auto& [name, row] : programmes) {
    row.key = name;
    row.label = name;
    judge(row, targets);
    out.by_programme.push_back(std::move(row));
  }
  for (auto& [id, row] : institutions) {
    row.key = id.str();
    const auto it = institution_names.find(id);
    row.label = it != institution_names.end() ? it->second : "Institution #" + id.str();
    judge(row, targets);
    out.by_institution.push_back(std::move(row));
  }
  for (auto& [q, row] : quarters) {
    row.key = q;
    row.label = q;
    judge(row, targets);
    out.by_quarter.push_back(std::move(row));
  }
  judge(out.field, targets);
  return out;
}

Evaluation aggregate(std::span<const Assessment> assessments, std::span<const Conflict> conflicts) {
  Evaluation out;
  out.conflicts.assign(conflicts.begin(), conflicts.end());
  std::array<std::vector<int>, 3> scores;
  for (const auto& a : assessments) {
    const bool conflicted = std::any_of(conflicts.begin(), conflicts.end(), [&](const Conflict& c) {
      return c.initiative == a.initiative && c.assessor == a.assessor;
    });
    if (conflicted) {
      ++out.excluded;
      continue;
    }
    ++out.assessors;
    for (std::size_t c = 0; c < 3; ++c) scores[c].push_back(a.scores[c]);
  }
  for (std::size_t c = 0; c < 3; ++c) {
    auto& s = out.criteria[c];
    const auto& v = scores[c];
    s.n = static_cast<int>(v.size());
    if (v.empty()) continue;
    double sum = 0;
    for (int x : v) sum += x;
    s.mean = sum / static_cast<double>(v.size());
    s.median = median_of(v);
    s.min = *std::min_element(v.begin(), v.end());
    s.max = *std::max_element(v.begin(), v.end());
    double sq = 0;
    for (int x : v) sq += (x - s.mean) * (x - s.mean);
    s.stddev = std::sqrt(sq / static_cast<double>(v.size()));
  }
  return out;
}

Dashboard compute_dashboard(std::span<const Initiative> initiatives,
                            std::span<const SupportRecord> records, std::span<const Event> events,
                            const Targets& targets,
                            const std::map<InstitutionId, std::string>& institution_names) {
  Dashboard d;
  d.initiatives = static_cast<std::int64_t>(initiatives.size());
  d.private_initiatives = std::count_if(initiatives.begin(), initiatives.end(),
                                        [](const Initiative& i) { return i.is_private; });
  d.support_records = static_cast<std::int64_t>(records.size());
  d.events = static_cast<std::int64_t>(events.size());
  std::unordered_map<std::int64_t, Field> field_of;
  field_of.reserve(initiatives.size());
  for (const auto& i : initiatives) field_of.emplace(i.id.value(), i.field);
  for (const auto& r : records) {
    add_to(d.totals, r);
    add_to(d.totals_by_institution[r.institution], r);
    if (auto it = field_of.find(r.initiative.value()); it != field_of.end()) {
      add_to(d.totals_by_field[it->second], r);
    }
  }
  sort_totals(d.totals);
  for (auto& [_, t] : d.totals_by_institution) sort_totals(t);
  for (auto& [_, t] : d.totals_by_field) sort_totals(t);
  d.overlap = compute_overlap(initiatives, records);
  d.plurality = compute_plurality(events, targets, institution_names);
  return d;
}

}  // namespace veche::coordination
