// Coordination over the store. Reads load the rows and keep those may_see() allows: the one
// visibility decision lives in model.cpp, never in a WHERE clause that could drift from it.
#include <fmt/format.h>

#include <algorithm>

#include "veche/coordination/coordination.hpp"
#include "veche/core/text.hpp"

namespace veche::coordination {
namespace {

using store::Value;

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "\n") + i;
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::int64_t day_number(Day d) { return d.time_since_epoch().count(); }
Day day_of(std::int64_t n) { return Day(std::chrono::days(n)); }

std::string handle_key(std::string_view handle) {
  std::string k(handle);
  for (char& c : k) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return k;
}

Status need_coordinator(const Viewer& v) {
  if (!v.coordinator) return permission_denied("Only a coordinator can do that.");
  return ok();
}

Status need_institution(const Viewer& v) {
  VECHE_TRY(need_coordinator(v));
  if (!v.institution.valid()) {
    return failed_precondition(
        "You are not assigned to an institution yet; the operator assigns coordinators.");
  }
  return ok();
}

constexpr std::string_view kInitiativeColumns =
    "id, name, organization_slug, field, regions, minorities, languages, host_countries, "
    "leadership_women_percent, description, contacts, is_private, created_at";

Initiative initiative_of(const store::Row& r) {
  Initiative i;
  i.id = InitiativeId(r.int64(0));
  i.name = r.text(1);
  i.organization_slug = r.text(2);
  i.field = parse_field(r.text(3)).value_or(Field::kCivic);
  i.regions = lines(r.text(4));
  i.minorities = lines(r.text(5));
  i.languages = lines(r.text(6));
  i.host_countries = lines(r.text(7));
  if (auto p = r.opt_int64(8)) i.leadership_women_percent = static_cast<int>(*p);
  i.description = r.text(9);
  i.contacts = r.text(10);
  i.is_private = r.int64(11) != 0;
  i.created_at = core::from_unix(r.int64(12));
  return i;
}

std::string regions_text(const std::vector<std::pair<std::string, std::int64_t>>& regions) {
  std::string out;
  for (const auto& [name, count] : regions) {
    out += (out.empty() ? "" : "\n") + name + "\t" + std::to_string(count);
  }
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> regions_of(const std::string& text) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& line : lines(text)) {
    const auto tab = line.rfind('\t');
    if (tab == std::string::npos) continue;
    out.emplace_back(line.substr(0, tab), std::stoll(line.substr(tab + 1)));
  }
  return out;
}

// Whether the initiative exists and `v` may see it.
Status visible_initiative(store::Transaction& tx, const Viewer& v, InitiativeId id) {
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx.query("SELECT is_private FROM coordination_initiatives WHERE id = ?", {id.value()}));
  if (rows.empty() || (rows[0].int64(0) != 0 && !v.coordinator)) {
    return not_found("There is no initiative with that number.");
  }
  return ok();
}

}  // namespace

bool matches(const InitiativeFilter& f, const Initiative& i) {
  const auto contains = [](const std::string& hay, const std::string& needle) {
    return handle_key(hay).find(handle_key(needle)) != std::string::npos;
  };
  const auto in_list = [&](const std::vector<std::string>& list, const std::string& want) {
    if (want.empty()) return true;
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& x) { return handle_key(x) == handle_key(want); });
  };
  if (!f.text.empty() && !contains(i.name, f.text) && !contains(i.description, f.text)) {
    return false;
  }
  if (f.field && *f.field != i.field) return false;
  return in_list(i.regions, f.region) && in_list(i.minorities, f.minority) &&
         in_list(i.languages, f.language) && in_list(i.host_countries, f.host_country);
}

Result<InstitutionId> Coordination::add_institution(std::string_view name, InstitutionKind kind,
                                                    std::string_view country) {
  VECHE_TRY(core::check_text("name", name, 120));
  VECHE_TRY(core::check_text("country", country, 100));
  if (core::trim(name).empty()) return invalid_argument("The institution needs a name.");
  std::int64_t id = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    auto inserted = tx.insert(
        "INSERT INTO coordination_institutions (name, kind, country, created_at) "
        "VALUES (?, ?, ?, ?) RETURNING id",
        {std::string(core::trim(name)), std::string(kind_name(kind)), std::string(country),
         core::to_unix(clock_.now())});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return already_exists("An institution with that name exists already.");
      }
      return inserted.error();
    }
    id = *inserted;
    return ok();
  }));
  return InstitutionId(id);
}

Result<std::vector<Institution>> Coordination::institutions() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT id, name, kind, country FROM coordination_institutions ORDER BY name"));
  std::vector<Institution> out;
  for (const auto& r : rows) {
    out.push_back({InstitutionId(r.int64(0)), r.text(1),
                   parse_kind(r.text(2)).value_or(InstitutionKind::kDonor), r.text(3)});
  }
  return out;
}

Result<std::map<InstitutionId, std::string>> Coordination::institution_names() const {
  VECHE_ASSIGN_OR_RETURN(auto all, institutions());
  std::map<InstitutionId, std::string> out;
  for (auto& i : all) out.emplace(i.id, std::move(i.name));
  return out;
}

Status Coordination::assign_coordinator(std::string_view handle,
                                        std::string_view institution_name) {
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto account, tx.query("SELECT id FROM accounts WHERE handle_key = ?",
                                                  {handle_key(handle)}));
    if (account.empty()) return not_found("There is no account with that handle.");
    const std::int64_t account_id = account[0].int64(0);
    VECHE_ASSIGN_OR_RETURN(auto role,
                           tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = ?",
                                    {account_id, std::string("coordinator")}));
    if (role.empty()) {
      return failed_precondition(
          "That account does not hold the coordinator role; grant it first.");
    }
    VECHE_ASSIGN_OR_RETURN(auto inst,
                           tx.query("SELECT id FROM coordination_institutions WHERE name = ?",
                                    {std::string(institution_name)}));
    if (inst.empty()) return not_found("There is no institution with that name.");
    VECHE_TRY(tx.exec("DELETE FROM coordination_coordinators WHERE account_id = ?", {account_id}));
    VECHE_TRY(
        tx.exec("INSERT INTO coordination_coordinators (account_id, institution_id) VALUES (?, ?)",
                {account_id, inst[0].int64(0)}));
    return ok();
  });
}

Result<InstitutionId> Coordination::institution_of(registry::AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT institution_id FROM coordination_coordinators WHERE account_id = ?",
                {account.value()}));
  if (rows.empty()) return InstitutionId();
  return InstitutionId(rows[0].int64(0));
}

Result<Viewer> Coordination::coordinator_viewer(registry::AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto inst, institution_of(account));
  return Viewer::coordinator_of(inst);
}

Result<Targets> Coordination::targets() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx->query("SELECT women_bp, women_tolerance_bp, non_russian_min_bp "
                                   "FROM coordination_targets WHERE id = 1"));
  if (rows.empty()) return Targets{};
  return Targets{static_cast<int>(rows[0].int64(0)), static_cast<int>(rows[0].int64(1)),
                 static_cast<int>(rows[0].int64(2))};
}

Status Coordination::set_targets(const Targets& t) {
  VECHE_TRY(check_targets(t));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM coordination_targets"));
    VECHE_TRY(tx.exec(
        "INSERT INTO coordination_targets (id, women_bp, women_tolerance_bp, non_russian_min_bp) "
        "VALUES (1, ?, ?, ?)",
        {std::int64_t{t.women_bp}, std::int64_t{t.women_tolerance_bp},
         std::int64_t{t.non_russian_min_bp}}));
    return ok();
  });
}

Result<InitiativeId> Coordination::add_initiative(const Viewer& v, Initiative i,
                                                  std::string_view actor) {
  VECHE_TRY(need_coordinator(v));
  i.name = std::string(core::trim(i.name));
  VECHE_TRY(check_initiative(i));
  std::int64_t id = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    if (!i.organization_slug.empty()) {
      VECHE_ASSIGN_OR_RETURN(
          auto org, tx.query("SELECT 1 FROM organizations WHERE slug = ?", {i.organization_slug}));
      if (org.empty()) {
        return invalid_argument("There is no coalition organization with that short name.");
      }
    }
    std::vector<Value> params = {i.name,
                                 i.organization_slug,
                                 std::string(field_name(i.field)),
                                 join_lines(i.regions),
                                 join_lines(i.minorities),
                                 join_lines(i.languages),
                                 join_lines(i.host_countries),
                                 nullptr,
                                 i.description,
                                 i.contacts,
                                 std::int64_t{i.is_private ? 1 : 0},
                                 std::string(actor),
                                 core::to_unix(clock_.now())};
    if (i.leadership_women_percent) params[7] = std::int64_t{*i.leadership_women_percent};
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx.query("INSERT INTO coordination_initiatives (name, organization_slug, field, regions, "
                 "minorities, languages, host_countries, leadership_women_percent, description, "
                 "contacts, is_private, created_by, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 params));
    id = rows.at(0).int64(0);
    return ok();
  }));
  return InitiativeId(id);
}

Result<std::vector<Initiative>> Coordination::initiatives(const Viewer& v,
                                                          const InitiativeFilter& filter) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query(fmt::format("SELECT {} FROM coordination_initiatives "
                                                          "ORDER BY name, id",
                                                          kInitiativeColumns)));
  std::vector<Initiative> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    auto i = initiative_of(r);
    if (!may_see(v, i) || !matches(filter, i)) continue;
    if (!v.coordinator) i.contacts.clear();
    out.push_back(std::move(i));
  }
  return out;
}

Result<Initiative> Coordination::initiative(const Viewer& v, InitiativeId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query(fmt::format("SELECT {} FROM coordination_initiatives WHERE id = ?",
                                       kInitiativeColumns),
                           {id.value()}));
  if (rows.empty()) return not_found("There is no initiative with that number.");
  auto i = initiative_of(rows[0]);
  if (!may_see(v, i)) return not_found("There is no initiative with that number.");
  if (!v.coordinator) i.contacts.clear();
  return i;
}

Status Coordination::update_initiative(const Viewer& v, const Initiative& given) {
  VECHE_TRY(need_coordinator(v));
  Initiative i = given;
  i.name = std::string(core::trim(i.name));
  VECHE_TRY(check_initiative(i));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(visible_initiative(tx, v, i.id));
    if (!i.organization_slug.empty()) {
      VECHE_ASSIGN_OR_RETURN(
          auto org, tx.query("SELECT 1 FROM organizations WHERE slug = ?", {i.organization_slug}));
      if (org.empty()) {
        return invalid_argument("There is no coalition organization with that short name.");
      }
    }
    std::vector<Value> params = {i.name,
                                 i.organization_slug,
                                 std::string(field_name(i.field)),
                                 join_lines(i.regions),
                                 join_lines(i.minorities),
                                 join_lines(i.languages),
                                 join_lines(i.host_countries),
                                 nullptr,
                                 i.description,
                                 i.contacts,
                                 std::int64_t{i.is_private ? 1 : 0},
                                 i.id.value()};
    if (i.leadership_women_percent) params[7] = std::int64_t{*i.leadership_women_percent};
    VECHE_TRY(
        tx.exec("UPDATE coordination_initiatives SET name = ?, organization_slug = ?, field = ?, "
                "regions = ?, minorities = ?, languages = ?, host_countries = ?, "
                "leadership_women_percent = ?, description = ?, contacts = ?, is_private = ? "
                "WHERE id = ?",
                params));
    return ok();
  });
}

namespace {

// Removes one row of `table` if `v` may see it and its institution is the viewer's.
Status remove_own(store::Database& db, const Viewer& v, std::string_view table, std::int64_t id,
                  std::string_view what) {
  VECHE_TRY(need_institution(v));
  return store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx.query(fmt::format("SELECT institution_id, visibility FROM {} WHERE id = ?", table),
                 {id}));
    const auto missing = not_found(fmt::format("There is no {} with that number.", what));
    if (rows.empty()) return missing;
    const InstitutionId owner(rows[0].int64(0));
    const auto vis = parse_visibility(rows[0].text(1)).value_or(Visibility::kInstitution);
    if (!may_see(v, vis, owner)) return missing;
    if (owner != v.institution) {
      return permission_denied(fmt::format(
          "Only the coordinators of the institution that entered a {} can remove it.", what));
    }
    VECHE_TRY(tx.exec(fmt::format("DELETE FROM {} WHERE id = ?", table), {id}));
    return ok();
  });
}

}  // namespace

Status Coordination::remove_support(const Viewer& v, SupportId id) {
  return remove_own(db_, v, "coordination_support", id.value(), "support record");
}

Status Coordination::remove_event(const Viewer& v, EventId id) {
  return remove_own(db_, v, "coordination_events", id.value(), "event");
}

Result<SupportId> Coordination::add_support(const Viewer& v, SupportRecord s) {
  VECHE_TRY(need_institution(v));
  s.institution = v.institution;
  s.programme = std::string(core::trim(s.programme));
  VECHE_TRY(check_support(s));
  std::int64_t id = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(visible_initiative(tx, v, s.initiative));
    std::vector<Value> params = {s.initiative.value(),
                                 s.institution.value(),
                                 s.programme,
                                 s.amount_minor,
                                 s.currency,
                                 day_number(s.from),
                                 day_number(s.to),
                                 std::string(purpose_name(s.purpose)),
                                 std::int64_t{s.permit_sponsorship ? 1 : 0},
                                 s.in_kind,
                                 std::string(visibility_name(s.visibility)),
                                 s.entered_by,
                                 core::to_unix(clock_.now())};
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx.query("INSERT INTO coordination_support (initiative_id, institution_id, programme, "
                 "amount_minor, currency, from_day, to_day, purpose, permit_sponsorship, in_kind, "
                 "visibility, entered_by, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 params));
    id = rows.at(0).int64(0);
    return ok();
  }));
  return SupportId(id);
}

Result<std::vector<SupportRecord>> Coordination::support(const Viewer& v) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT id, initiative_id, institution_id, programme, amount_minor, currency, "
                "from_day, to_day, purpose, permit_sponsorship, in_kind, visibility, entered_by "
                "FROM coordination_support ORDER BY from_day, id"));
  std::vector<SupportRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    SupportRecord s;
    s.id = SupportId(r.int64(0));
    s.initiative = InitiativeId(r.int64(1));
    s.institution = InstitutionId(r.int64(2));
    s.visibility = parse_visibility(r.text(11)).value_or(Visibility::kInstitution);
    if (!may_see(v, s)) continue;
    s.programme = r.text(3);
    s.amount_minor = r.int64(4);
    s.currency = r.text(5);
    s.from = day_of(r.int64(6));
    s.to = day_of(r.int64(7));
    s.purpose = parse_purpose(r.text(8)).value_or(Purpose::kOther);
    s.permit_sponsorship = r.int64(9) != 0;
    s.in_kind = r.text(10);
    // Who typed it in is the institution's business; the public sees the institution only.
    if (v.coordinator) s.entered_by = r.text(12);
    out.push_back(std::move(s));
  }
  return out;
}

Result<EventId> Coordination::add_event(const Viewer& v, Event e) {
  VECHE_TRY(need_institution(v));
  e.institution = v.institution;
  e.title = std::string(core::trim(e.title));
  e.programme = std::string(core::trim(e.programme));
  VECHE_TRY(check_event(e));
  std::int64_t id = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    if (e.initiative) VECHE_TRY(visible_initiative(tx, v, *e.initiative));
    std::vector<Value> params = {e.institution.value(),
                                 nullptr,
                                 e.programme,
                                 e.title,
                                 day_number(e.day),
                                 e.total,
                                 e.women,
                                 e.non_russian,
                                 regions_text(e.regions),
                                 std::string(visibility_name(e.visibility)),
                                 e.entered_by,
                                 core::to_unix(clock_.now())};
    if (e.initiative) params[1] = e.initiative->value();
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx.query("INSERT INTO coordination_events (institution_id, initiative_id, programme, "
                 "title, day, total, women, non_russian, regions, visibility, entered_by, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 params));
    id = rows.at(0).int64(0);
    return ok();
  }));
  return EventId(id);
}

Result<std::vector<Event>> Coordination::events(const Viewer& v) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT id, institution_id, initiative_id, programme, title, day, total, women, "
                "non_russian, regions, visibility, entered_by FROM coordination_events "
                "ORDER BY day, id"));
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Event e;
    e.id = EventId(r.int64(0));
    e.institution = InstitutionId(r.int64(1));
    e.visibility = parse_visibility(r.text(10)).value_or(Visibility::kInstitution);
    if (!may_see(v, e)) continue;
    if (auto i = r.opt_int64(2)) e.initiative = InitiativeId(*i);
    e.programme = r.text(3);
    e.title = r.text(4);
    e.day = day_of(r.int64(5));
    e.total = r.int64(6);
    e.women = r.int64(7);
    e.non_russian = r.int64(8);
    e.regions = regions_of(r.text(9));
    if (v.coordinator) e.entered_by = r.text(11);
    out.push_back(std::move(e));
  }
  return out;
}

Status Coordination::declare_conflict(const Viewer& v, InitiativeId id, std::string_view assessor,
                                      std::string_view reason) {
  VECHE_TRY(need_coordinator(v));
  VECHE_TRY(core::check_text("reason", reason, 500));
  if (core::trim(reason).empty()) {
    return invalid_argument("Say what the conflict of interest is.");
  }
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(visible_initiative(tx, v, id));
    auto done = tx.exec(
        "INSERT INTO coordination_conflicts (initiative_id, assessor, reason, declared_at) "
        "VALUES (?, ?, ?, ?)",
        {id.value(), std::string(assessor), std::string(core::trim(reason)),
         core::to_unix(clock_.now())});
    if (!done && done.error().code == ErrorCode::kAlreadyExists) {
      return already_exists("You have declared a conflict for this initiative already.");
    }
    return done ? ok() : Status(done.error());
  });
}

Status Coordination::assess(const Viewer& v, Assessment a) {
  VECHE_TRY(need_coordinator(v));
  VECHE_TRY(check_assessment(a));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(visible_initiative(tx, v, a.initiative));
    VECHE_ASSIGN_OR_RETURN(
        auto conflicted,
        tx.query("SELECT 1 FROM coordination_conflicts WHERE initiative_id = ? AND assessor = ?",
                 {a.initiative.value(), a.assessor}));
    if (!conflicted.empty()) {
      return failed_precondition(
          "You declared a conflict of interest for this initiative, so you cannot assess it.");
    }
    VECHE_TRY(
        tx.exec("DELETE FROM coordination_assessments WHERE initiative_id = ? AND assessor = ?",
                {a.initiative.value(), a.assessor}));
    VECHE_TRY(tx.exec(
        "INSERT INTO coordination_assessments (initiative_id, assessor, visions, knowledge, "
        "anti_war, note, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {a.initiative.value(), a.assessor, std::int64_t{a.scores[0]}, std::int64_t{a.scores[1]},
         std::int64_t{a.scores[2]}, a.note, core::to_unix(clock_.now())}));
    return ok();
  });
}

Result<std::vector<Assessment>> Coordination::assessments(const Viewer& v, InitiativeId id) const {
  VECHE_TRY(need_coordinator(v));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(visible_initiative(*tx, v, id));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT assessor, visions, knowledge, anti_war, note, assessed_at "
                "FROM coordination_assessments WHERE initiative_id = ? ORDER BY assessor",
                {id.value()}));
  std::vector<Assessment> out;
  for (const auto& r : rows) {
    Assessment a;
    a.initiative = id;
    a.assessor = r.text(0);
    a.scores = {static_cast<int>(r.int64(1)), static_cast<int>(r.int64(2)),
                static_cast<int>(r.int64(3))};
    a.note = r.text(4);
    a.at = core::from_unix(r.int64(5));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<Conflict>> Coordination::conflicts(const Viewer& v, InitiativeId id) const {
  VECHE_TRY(need_coordinator(v));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(visible_initiative(*tx, v, id));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT assessor, reason, declared_at FROM "
                                              "coordination_conflicts WHERE initiative_id = ? "
                                              "ORDER BY assessor",
                                              {id.value()}));
  std::vector<Conflict> out;
  for (const auto& r : rows) {
    out.push_back({id, r.text(0), r.text(1), core::from_unix(r.int64(2))});
  }
  return out;
}

Result<Evaluation> Coordination::evaluation(const Viewer& v, InitiativeId id) const {
  VECHE_ASSIGN_OR_RETURN(auto as, assessments(v, id));
  VECHE_ASSIGN_OR_RETURN(auto cs, conflicts(v, id));
  return aggregate(as, cs);
}

Result<Dashboard> Coordination::dashboard(const Viewer& v) const {
  VECHE_ASSIGN_OR_RETURN(auto names, institution_names());
  VECHE_ASSIGN_OR_RETURN(auto inits, initiatives(v));
  VECHE_ASSIGN_OR_RETURN(auto records, support(v));
  VECHE_ASSIGN_OR_RETURN(auto evs, events(v));
  VECHE_ASSIGN_OR_RETURN(auto t, targets());
  return compute_dashboard(inits, records, evs, t, names);
}

}  // namespace veche::coordination
