// The coordinators' dashboard at the scale: 5,000 initiatives, 50,000 support records
// and 20,000 events (fixed seed). Prints the median and minimum of repeated runs of
//   compute: compute_dashboard() over records already in memory (overlap + plurality + totals);
//   full:    Coordination::dashboard() for a coordinator: reading every row from SQLite,
//            filtering through may_see(), then computing.
// Usage: coordination_bench [repetitions=15] [sqlite file=temporary]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "veche/coordination/coordination.hpp"
#include "veche/registry/registry.hpp"

using namespace veche;
using namespace veche::coordination;

namespace {

constexpr int kInitiatives = 5000;
constexpr int kRecords = 50000;
constexpr int kEvents = 20000;
constexpr int kInstitutions = 30;

struct Data {
  std::vector<Initiative> initiatives;
  std::vector<SupportRecord> records;
  std::vector<Event> events;
  std::map<InstitutionId, std::string> names;
};

Data make_data() {
  std::mt19937_64 rng(20261127);
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> regions = {"Volga",  "Urals",      "Siberia",        "Far East",
                                            "Moscow", "North-West", "North Caucasus", "South",
                                            "Centre", "Arctic"};
  Data d;
  for (int i = 1; i <= kInstitutions; ++i)
    d.names.emplace(InstitutionId(i), "Inst " + std::to_string(i));
  const Day base = parse_day("2024-01-01").value();
  for (int i = 1; i <= kInitiatives; ++i) {
    Initiative in;
    in.id = InitiativeId(i);
    in.name = "Initiative " + std::to_string(i);
    in.field = kFields[static_cast<std::size_t>(pick(5))];  // cultural gets nothing
    in.regions = {regions[static_cast<std::size_t>(pick(9))]};
    in.is_private = pick(10) == 0;
    d.initiatives.push_back(std::move(in));
  }
  for (int i = 1; i <= kRecords; ++i) {
    SupportRecord s;
    s.id = SupportId(i);
    s.initiative = InitiativeId(1 + pick(kInitiatives));
    s.institution = InstitutionId(1 + pick(kInstitutions));
    s.programme = "Programme " + std::to_string(pick(200));
    s.amount_minor = 100000 + pick(10000000);
    s.currency = pick(3) == 0 ? "NOK" : "EUR";
    s.from = base + std::chrono::days(pick(900));
    s.to = s.from + std::chrono::days(30 + pick(365));
    s.purpose = kPurposes[static_cast<std::size_t>(pick(9))];
    s.visibility = static_cast<Visibility>(pick(3));
    s.entered_by = "bench";
    d.records.push_back(std::move(s));
  }
  for (int i = 1; i <= kEvents; ++i) {
    Event e;
    e.id = EventId(i);
    e.institution = InstitutionId(1 + pick(kInstitutions));
    e.initiative = InitiativeId(1 + pick(kInitiatives));
    e.programme = "Programme " + std::to_string(pick(200));
    e.title = "Event " + std::to_string(i);
    e.day = base + std::chrono::days(pick(900));
    e.total = 10 + pick(90);
    e.women = pick(static_cast<int>(e.total) + 1);
    e.non_russian = pick(static_cast<int>(e.total) + 1);
    e.regions = {{regions[static_cast<std::size_t>(pick(10))], e.total / 2}};
    e.visibility = static_cast<Visibility>(pick(3));
    e.entered_by = "bench";
    d.events.push_back(std::move(e));
  }
  return d;
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Wall time and this thread's CPU time: on the shared machine (another benchmark holds a core
// all session) the CPU time is the steadier figure.
template <class Fn>
void report(const char* what, int reps, Fn&& fn) {
  std::vector<double> wall;
  std::vector<double> cpu;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_ms();
    fn();
    cpu.push_back(thread_cpu_ms() - c0);
    const auto t1 = std::chrono::steady_clock::now();
    wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("%-46s wall median %7.1f min %7.1f ms | cpu median %7.1f min %7.1f ms (%d runs)\n",
              what, wall[wall.size() / 2], wall.front(), cpu[cpu.size() / 2], cpu.front(), reps);
}

// Writes the data set through SQL (the service's own inserts would check each row again and
// take minutes; the rows are the same).
Status load(store::Database& db, const Data& d, const core::Clock& clock) {
  VECHE_TRY(store::migrate(db, registry::migrations()));
  VECHE_TRY(store::migrate(db, migrations()));
  Coordination c(db, clock);
  for (const auto& [id, name] : d.names) {
    VECHE_ASSIGN_OR_RETURN(auto made, c.add_institution(name, InstitutionKind::kDonor, ""));
    (void)made;
  }
  return store::with_write(db, [&](store::Transaction& tx) -> Status {
    for (const auto& i : d.initiatives) {
      VECHE_TRY(tx.exec(
          "INSERT INTO coordination_initiatives (id, name, organization_slug, field, regions, "
          "minorities, languages, host_countries, leadership_women_percent, description, "
          "contacts, is_private, created_by, created_at) "
          "VALUES (?, ?, '', ?, ?, '', '', '', NULL, '', '', ?, 'bench', 0)",
          {i.id.value(), i.name, std::string(field_name(i.field)), i.regions.front(),
           std::int64_t{i.is_private ? 1 : 0}}));
    }
    for (const auto& s : d.records) {
      VECHE_TRY(tx.exec(
          "INSERT INTO coordination_support (initiative_id, institution_id, programme, "
          "amount_minor, currency, from_day, to_day, purpose, permit_sponsorship, in_kind, "
          "visibility, entered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?, "
          "'bench', 0)",
          {s.initiative.value(), s.institution.value(), s.programme, s.amount_minor, s.currency,
           std::int64_t{s.from.time_since_epoch().count()},
           std::int64_t{s.to.time_since_epoch().count()}, std::string(purpose_name(s.purpose)),
           std::string(visibility_name(s.visibility))}));
    }
    for (const auto& e : d.events) {
      VECHE_TRY(tx.exec(
          "INSERT INTO coordination_events (institution_id, initiative_id, programme, title, day, "
          "total, women, non_russian, regions, visibility, entered_by, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', 0)",
          {e.institution.value(), e.initiative->value(), e.programme, e.title,
           std::int64_t{e.day.time_since_epoch().count()}, e.total, e.women, e.non_russian,
           e.regions.front().first + "\t" + std::to_string(e.regions.front().second),
           std::string(visibility_name(e.visibility))}));
    }
    return ok();
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  const auto d = make_data();
  const Targets targets;
  std::printf("data: %d initiatives, %d support records, %d events, %d institutions\n",
              kInitiatives, kRecords, kEvents, kInstitutions);

  std::size_t sink = 0;
  report("compute_dashboard, everything (in memory)", reps, [&] {
    auto dash = compute_dashboard(d.initiatives, d.records, d.events, targets, d.names);
    sink += dash.overlap.items.size() + dash.plurality.by_event.size();
  });
  // What one coordinator sees: filtered through may_see first.
  const Viewer v = Viewer::coordinator_of(InstitutionId(1));
  report("filter for a coordinator + compute (memory)", reps, [&] {
    std::vector<Initiative> is;
    std::vector<SupportRecord> rs;
    std::vector<Event> es;
    for (const auto& i : d.initiatives) {
      if (may_see(v, i)) is.push_back(i);
    }
    for (const auto& r : d.records) {
      if (may_see(v, r)) rs.push_back(r);
    }
    for (const auto& e : d.events) {
      if (may_see(v, e)) es.push_back(e);
    }
    auto dash = compute_dashboard(is, rs, es, targets, d.names);
    sink += dash.overlap.items.size();
  });

  const std::string path =
      argc > 2 ? argv[2]
               : (std::filesystem::temp_directory_path() / "veche-coordination-bench.db").string();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto db = store::open(path);
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().message.c_str());
    return 1;
  }
  core::SystemClock clock;
  if (auto s = load(**db, d, clock); !s) {
    std::fprintf(stderr, "load: %s\n", s.error().message.c_str());
    return 1;
  }
  Coordination c(**db, clock);
  report("Coordination::dashboard, coordinator (SQLite)", reps, [&] {
    auto dash = c.dashboard(v);
    if (!dash) std::abort();
    sink += dash->overlap.items.size();
  });
  report("Coordination::dashboard, public (SQLite)", reps, [&] {
    auto dash = c.dashboard(Viewer::public_view());
    if (!dash) std::abort();
    sink += dash->overlap.items.size();
  });
  auto dash = c.dashboard(v);
  std::printf("coordinator sees %lld records, %lld events, %zu overlaps; (sink %zu)\n",
              static_cast<long long>(dash->support_records), static_cast<long long>(dash->events),
              dash->overlap.items.size(), sink);
  db->reset();
  if (argc <= 2) std::filesystem::remove(path);
  return 0;
}
