// The coordinators' view (issue 7): the dashboard, the directory of initiatives, support
// records, overlap, plurality with SVG charts, a printable report, CSV and JSON exports, and
// the JSON API under /api/v1/coordination. Everyone reads what the public may see; a
// coordinator whose session passed the second factor reads what coordinators (and their own
// institution) may see, and writes. Which records a reader sees is decided by the coordination
// module (may_see); this file only builds the Viewer from the request.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <set>

#include "charter_routes.hpp"
#include "coordination_charts.hpp"
#include "site_impl.hpp"
#include "veche/coordination/coordination.hpp"
#include "veche/core/text.hpp"

namespace veche::http {
namespace {

namespace co = coordination;
using registry::Role;

constexpr std::string_view kBadCsrf =
    "This form has expired or did not come from this site. Please reload the page and try again.";
constexpr std::string_view kApiCsrf =
    "Send the CSRF token of your session in the X-CSRF-Token header.";

// Who reads: the principal, if any, and the Viewer the coordination module filters with.
struct Reader {
  std::optional<Principal> principal;
  co::Viewer viewer;
  std::string institution;  // the coordinator's institution's name, "" otherwise
};

std::string field_label(co::Field f) {
  switch (f) {
    case co::Field::kMedia:
      return "Media";
    case co::Field::kResearch:
      return "Research";
    case co::Field::kCivic:
      return "Civic";
    case co::Field::kLegalAid:
      return "Legal aid";
    case co::Field::kPolitical:
      return "Political";
    case co::Field::kCultural:
      return "Cultural";
  }
  return "Civic";
}

std::string purpose_label(co::Purpose p) {
  switch (p) {
    case co::Purpose::kCoreFunding:
      return "Core funding";
    case co::Purpose::kProject:
      return "Project";
    case co::Purpose::kEvents:
      return "Events";
    case co::Purpose::kTraining:
      return "Training";
    case co::Purpose::kRelocation:
      return "Relocation";
    case co::Purpose::kSecurity:
      return "Security";
    case co::Purpose::kLegal:
      return "Legal";
    case co::Purpose::kEquipment:
      return "Equipment";
    case co::Purpose::kOther:
      return "Other";
  }
  return "Other";
}

std::string visibility_label(co::Visibility v) {
  switch (v) {
    case co::Visibility::kPublic:
      return "Public";
    case co::Visibility::kCoordinators:
      return "Coordinators";
    case co::Visibility::kInstitution:
      return "Own institution only";
  }
  return "Own institution only";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string percent(std::int64_t bp) { return fmt::format("{}.{}%", bp / 100, (bp % 100) / 10); }

Response api_json(const boost::json::value& v, int status = 200) {
  Response r = Response::json(boost::json::serialize(v), status);
  r.header("Cache-Control", "no-store");
  return r;
}

// "Volga: 5" lines (or "Volga 5") to region counts.
Result<std::vector<std::pair<std::string, std::int64_t>>> region_counts(std::string_view text) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& line : co::split_list(text)) {
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) {
      return invalid_argument(
          "Write each region of origin as \"Region: count\", such as \"Volga: 5\".");
    }
    const auto name = std::string(core::trim(std::string_view(line).substr(0, colon)));
    const auto num = core::trim(std::string_view(line).substr(colon + 1));
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
    if (num.empty() || ec != std::errc() || end != num.data() + num.size()) {
      return invalid_argument(
          "Write each region of origin as \"Region: count\", such as \"Volga: 5\".");
    }
    out.emplace_back(name, n);
  }
  return out;
}

Result<std::int64_t> count_of(const std::string& text, std::string_view what) {
  const auto t = core::trim(text);
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
    return invalid_argument(fmt::format("The {} must be a whole number.", what));
  }
  return n;
}

std::optional<co::InitiativeId> initiative_param(const Request& req) {
  auto v = parse_positive(req.path_params.at("id"));
  if (!v) return std::nullopt;
  return co::InitiativeId(*v);
}

// Form or JSON fields, as strings, through one accessor.
struct Fields {
  std::map<std::string, std::string> form;
  const boost::json::object* json = nullptr;
  std::string get(const std::string& name) const {
    if (json != nullptr) {
      const auto* v = json->if_contains(name);
      if (v == nullptr) return {};
      if (v->is_string()) return std::string(v->as_string());
      if (v->is_int64()) return std::to_string(v->as_int64());
      if (v->is_bool()) return v->as_bool() ? "on" : "";
      if (v->is_array()) {
        std::string out;
        for (const auto& x : v->as_array()) {
          if (x.is_string()) out += std::string(x.as_string()) + "\n";
        }
        return out;
      }
      if (v->is_double()) return fmt::format("{}", v->as_double());
      return {};
    }
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  }
  bool flag(const std::string& name) const {
    const auto v = get(name);
    return v == "on" || v == "1" || v == "true" || v == "yes";
  }
};

Result<co::Initiative> initiative_from(const Fields& f) {
  co::Initiative i;
  i.name = f.get("name");
  i.organization_slug = std::string(core::trim(f.get("organization")));
  VECHE_ASSIGN_OR_RETURN(i.field, co::parse_field(f.get("field")));
  i.regions = co::split_list(f.get("regions"));
  i.minorities = co::split_list(f.get("minorities"));
  i.languages = co::split_list(f.get("languages"));
  i.host_countries = co::split_list(f.get("host_countries"));
  const auto women = std::string(core::trim(f.get("leadership_women_percent")));
  if (!women.empty()) {
    VECHE_ASSIGN_OR_RETURN(auto n, count_of(women, "share of women in the leadership"));
    if (n < 0 || n > 100) {
      return invalid_argument("The share of women in the leadership is a percent from 0 to 100.");
    }
    i.leadership_women_percent = static_cast<int>(n);
  }
  i.description = f.get("description");
  i.contacts = f.get("contacts");
  i.is_private = f.flag("private");
  return i;
}

Result<co::SupportRecord> support_from(const Fields& f) {
  co::SupportRecord s;
  const auto id = parse_positive(core::trim(f.get("initiative")));
  if (!id) return invalid_argument("Choose the initiative the support goes to.");
  s.initiative = co::InitiativeId(*id);
  s.programme = f.get("programme");
  VECHE_ASSIGN_OR_RETURN(s.amount_minor, co::parse_amount(f.get("amount")));
  s.currency = std::string(core::trim(f.get("currency")));
  for (char& c : s.currency) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  VECHE_ASSIGN_OR_RETURN(s.from, co::parse_day(core::trim(f.get("from"))));
  VECHE_ASSIGN_OR_RETURN(s.to, co::parse_day(core::trim(f.get("to"))));
  VECHE_ASSIGN_OR_RETURN(s.purpose, co::parse_purpose(f.get("purpose")));
  s.permit_sponsorship = f.flag("permit_sponsorship");
  s.in_kind = std::string(core::trim(f.get("in_kind")));
  VECHE_ASSIGN_OR_RETURN(s.visibility, co::parse_visibility(f.get("visibility")));
  return s;
}

Result<co::Event> event_from(const Fields& f) {
  co::Event e;
  e.title = f.get("title");
  e.programme = f.get("programme");
  const auto init = std::string(core::trim(f.get("initiative")));
  if (!init.empty()) {
    const auto id = parse_positive(init);
    if (!id) return invalid_argument("Choose the initiative from the list, or none.");
    e.initiative = co::InitiativeId(*id);
  }
  VECHE_ASSIGN_OR_RETURN(e.day, co::parse_day(core::trim(f.get("day"))));
  VECHE_ASSIGN_OR_RETURN(e.total, count_of(f.get("total"), "number of participants"));
  VECHE_ASSIGN_OR_RETURN(e.women, count_of(f.get("women"), "number of women"));
  VECHE_ASSIGN_OR_RETURN(e.non_russian,
                         count_of(f.get("non_russian"), "number of people of non-Russian origin"));
  VECHE_ASSIGN_OR_RETURN(e.regions, region_counts(f.get("regions")));
  VECHE_ASSIGN_OR_RETURN(e.visibility, co::parse_visibility(f.get("visibility")));
  return e;
}

boost::json::object initiative_json(const co::Initiative& i, bool coordinator) {
  const auto arr = [](const std::vector<std::string>& v) {
    boost::json::array a;
    for (const auto& s : v) a.push_back(boost::json::string(s));
    return a;
  };
  boost::json::object o{{"id", i.id.value()},
                        {"name", i.name},
                        {"organization", i.organization_slug},
                        {"field", co::field_name(i.field)},
                        {"regions", arr(i.regions)},
                        {"minorities", arr(i.minorities)},
                        {"languages", arr(i.languages)},
                        {"host_countries", arr(i.host_countries)},
                        {"description", i.description},
                        {"private", i.is_private}};
  if (i.leadership_women_percent) {
    o["leadership_women_percent"] = *i.leadership_women_percent;
  } else {
    o["leadership_women_percent"] = nullptr;
  }
  if (coordinator) o["contacts"] = i.contacts;
  return o;
}

boost::json::object row_json(const co::PluralityRow& r) {
  boost::json::object regions;
  for (const auto& [k, v] : r.regions) regions[k] = v;
  return {{"key", r.key},
          {"label", r.label},
          {"events", r.events},
          {"total", r.total},
          {"women", r.women},
          {"non_russian", r.non_russian},
          {"women_share_bp", co::share_bp(r.women, r.total)},
          {"non_russian_share_bp", co::share_bp(r.non_russian, r.total)},
          {"women_on_target", r.women_ok},
          {"non_russian_on_target", r.non_russian_ok},
          {"regions", std::move(regions)}};
}

boost::json::array totals_json(const std::vector<co::MoneyTotal>& totals) {
  boost::json::array a;
  for (const auto& t : totals) {
    a.push_back(
        {{"currency", t.currency}, {"amount_minor", t.amount_minor}, {"records", t.records}});
  }
  return a;
}

}  // namespace

void Site::Impl::add_coordination() {
  // --- Who reads, who writes ---------------------------------------------------------------------
  auto reader = [this](const Request& req) -> Result<Reader> {
    Reader r;
    auto p = accounts_web->authenticate(req);
    if (!p) return r;  // no one (or an unusable token): the public view
    r.principal = std::move(*p);
    if (r.principal->may_act_as(Role::kCoordinator)) {
      co::Coordination c(db, clock);
      VECHE_ASSIGN_OR_RETURN(r.viewer, c.coordinator_viewer(r.principal->account));
      if (r.viewer.institution.valid()) {
        VECHE_ASSIGN_OR_RETURN(auto names, c.institution_names());
        r.institution = names[r.viewer.institution];
      }
    }
    return r;
  };
  // The coordinator's powers: a session (not a token) with the second factor.
  auto coordinator = [this, reader](const Request& req) -> Result<Reader> {
    VECHE_ASSIGN_OR_RETURN(Principal p, accounts_web->authenticate(req));
    if (!p.may_act_as(Role::kCoordinator)) {
      if (p.holds(Role::kCoordinator) && p.via_token) {
        return permission_denied("Coordinator powers need a session; a token cannot use them.");
      }
      if (p.holds(Role::kCoordinator)) {
        return permission_denied(
            "Your roles need a second factor. Set up an authenticator app and log in with it "
            "before you use them.");
      }
      return permission_denied("Only a coordinator can do that.");
    }
    return reader(req);
  };

  // Shared page data: who reads, and the navigation of the section.
  auto base = [this](const Request& req, const Reader& r) {
    const Lang l = lang(req);
    Data d;
    d.set("is_coordinator", r.viewer.coordinator);
    d.set("institution", r.institution);
    d.set("unassigned", r.viewer.coordinator && !r.viewer.institution.valid());
    Data fields = Data::type::list;
    for (auto f : co::kFields) {
      Data fd;
      fd.set("value", std::string(co::field_name(f)));
      fd.set("label", translator.tr(l, field_label(f)));
      fields.push_back(fd);
    }
    d.set("fields", fields);
    Data purposes = Data::type::list;
    for (auto p : co::kPurposes) {
      Data pd;
      pd.set("value", std::string(co::purpose_name(p)));
      pd.set("label", translator.tr(l, purpose_label(p)));
      purposes.push_back(pd);
    }
    d.set("purposes", purposes);
    return d;
  };

  // The initiatives a coordinator may pick in a form.
  auto initiative_options = [this](const co::Viewer& v, Data& d) -> Status {
    co::Coordination c(db, clock);
    VECHE_ASSIGN_OR_RETURN(auto all, c.initiatives(v));
    Data list = Data::type::list;
    for (const auto& i : all) {
      Data o;
      o.set("id", i.id.str());
      o.set("name", i.name);
      list.push_back(o);
    }
    d.set("initiative_options", list);
    return ok();
  };

  auto totals_data = [](const std::vector<co::MoneyTotal>& totals) {
    Data list = Data::type::list;
    for (const auto& t : totals) {
      Data td;
      td.set("money", co::format_money(t.amount_minor, t.currency));
      td.set("records", std::to_string(t.records));
      list.push_back(td);
    }
    return list;
  };

  auto row_data = [this](const Request& req, const co::PluralityRow& r) {
    const Lang l = lang(req);
    Data d;
    d.set("label", r.key == "field" ? translator.tr(l, r.label) : r.label);
    d.set("events", std::to_string(r.events));
    d.set("total", std::to_string(r.total));
    d.set("women", std::to_string(r.women));
    d.set("non_russian", std::to_string(r.non_russian));
    d.set("women_share", percent(co::share_bp(r.women, r.total)));
    d.set("non_russian_share", percent(co::share_bp(r.non_russian, r.total)));
    d.set("women_ok", r.women_ok);
    d.set("non_russian_ok", r.non_russian_ok);
    std::string regions;
    for (const auto& [k, v] : r.regions) {
      regions += (regions.empty() ? "" : ", ") + k + ": " + std::to_string(v);
    }
    d.set("regions", regions);
    return d;
  };

  // Everything a page of the section may show, read once for the reader; the dashboard
  // (overlap, plurality, totals) is computed only for the pages that show it.
  struct View {
    Reader reader;
    co::Targets targets;
    co::Dashboard dash;
    std::vector<co::Initiative> initiatives;  // all the reader may see
    std::vector<co::SupportRecord> records;
    std::vector<co::Event> events;
    std::map<co::InstitutionId, std::string> names;
    std::map<co::InitiativeId, std::string> initiative_names;  // pseudonyms for the public
  };
  auto view_of = [this, reader](const Request& req, bool compute = true) -> Result<View> {
    View v;
    VECHE_ASSIGN_OR_RETURN(v.reader, reader(req));
    co::Coordination c(db, clock);
    VECHE_ASSIGN_OR_RETURN(v.names, c.institution_names());
    VECHE_ASSIGN_OR_RETURN(v.initiatives, c.initiatives(v.reader.viewer));
    VECHE_ASSIGN_OR_RETURN(v.records, c.support(v.reader.viewer));
    VECHE_ASSIGN_OR_RETURN(v.events, c.events(v.reader.viewer));
    VECHE_ASSIGN_OR_RETURN(v.targets, c.targets());
    if (compute) {
      v.dash = co::compute_dashboard(v.initiatives, v.records, v.events, v.targets, v.names);
    }
    for (const auto& i : v.initiatives) v.initiative_names[i.id] = i.name;
    return v;
  };
  // An initiative's name as the reader may see it: a private one read by the public appears
  // in aggregates under a pseudonym.
  auto name_in = [](const View& v, co::InitiativeId id) {
    auto it = v.initiative_names.find(id);
    if (it != v.initiative_names.end()) return it->second;
    co::Initiative hidden;
    hidden.id = id;
    hidden.is_private = true;
    return co::shown_name(co::Viewer::public_view(), hidden);
  };
  auto institution_in = [](const View& v, co::InstitutionId id) {
    auto it = v.names.find(id);
    return it != v.names.end() ? it->second : "#" + id.str();
  };

  auto support_rows = [this, name_in, institution_in](const Request& req, const View& v,
                                                      std::optional<co::InitiativeId> only) {
    const Lang l = lang(req);
    Data list = Data::type::list;
    for (const auto& s : v.records) {
      if (only && s.initiative != *only) continue;
      Data d;
      d.set("id", s.id.str());
      d.set("initiative_id", s.initiative.str());
      d.set("initiative", name_in(v, s.initiative));
      d.set("linked", v.initiative_names.count(s.initiative) > 0);
      d.set("institution", institution_in(v, s.institution));
      d.set("programme", s.programme);
      d.set("amount", s.amount_minor > 0 ? co::format_money(s.amount_minor, s.currency) : "");
      d.set("from", co::format_day(s.from));
      d.set("to", co::format_day(s.to));
      d.set("purpose", translator.tr(l, purpose_label(s.purpose)));
      d.set("permit", s.permit_sponsorship);
      d.set("in_kind", s.in_kind);
      d.set("visibility", translator.tr(l, visibility_label(s.visibility)));
      d.set("own",
            v.reader.viewer.institution.valid() && s.institution == v.reader.viewer.institution);
      list.push_back(d);
    }
    return list;
  };

  auto overlap_data = [this, name_in, institution_in](const Request& req, const View& v, Data& d) {
    const Lang l = lang(req);
    const auto& o = v.dash.overlap;
    Data items = Data::type::list;
    for (const auto& item : o.items) {
      Data it;
      it.set("initiative", name_in(v, item.initiative));
      it.set("initiative_id", item.initiative.str());
      it.set("linked", v.initiative_names.count(item.initiative) > 0);
      it.set("purpose", translator.tr(l, purpose_label(item.purpose)));
      std::vector<std::string> who;
      for (auto i : item.institutions) who.push_back(institution_in(v, i));
      it.set("institutions", joined(who));
      it.set("from", co::format_day(item.from));
      it.set("to", co::format_day(item.to));
      items.push_back(it);
    }
    d.set("overlaps", items);
    d.set("has_overlaps", !o.items.empty());
    d.set("overlap_count", std::to_string(o.items.size()));
    Data header = Data::type::list;
    for (auto i : o.institutions) header.push_back(Data("name", institution_in(v, i)));
    d.set("matrix_header", header);
    Data rows = Data::type::list;
    for (std::size_t r = 0; r < o.institutions.size(); ++r) {
      Data row;
      row.set("name", institution_in(v, o.institutions[r]));
      Data cells = Data::type::list;
      for (std::size_t c = 0; c < o.institutions.size(); ++c) {
        Data cell;
        cell.set("count", std::to_string(o.matrix[r][c]));
        cell.set("diagonal", r == c);
        cell.set("shared", r != c && o.matrix[r][c] > 0);
        cells.push_back(cell);
      }
      row.set("cells", cells);
      rows.push_back(row);
    }
    d.set("matrix", rows);
    d.set("has_matrix", o.institutions.size() >= 2);
    Data fields = Data::type::list;
    for (auto f : o.unfunded_fields)
      fields.push_back(Data("name", translator.tr(l, field_label(f))));
    d.set("unfunded_fields", fields);
    std::vector<std::string> field_names;
    for (auto f : o.unfunded_fields) field_names.push_back(translator.tr(l, field_label(f)));
    d.set("unfunded_fields_text", joined(field_names));
    d.set("unfunded_regions_text", joined(o.unfunded_regions));
    d.set("has_unfunded_fields", !o.unfunded_fields.empty());
    Data regions = Data::type::list;
    for (const auto& r : o.unfunded_regions) regions.push_back(Data("name", r));
    d.set("unfunded_regions", regions);
    d.set("has_unfunded_regions", !o.unfunded_regions.empty());
  };

  auto plurality_data = [this, row_data](const Request& req, const View& v, Data& d) {
    const Lang l = lang(req);
    const auto& p = v.dash.plurality;
    d.set("women_target", percent(p.targets.women_bp));
    d.set("women_tolerance", percent(p.targets.women_tolerance_bp));
    d.set("non_russian_min", percent(p.targets.non_russian_min_bp));
    d.set("field_row", row_data(req, p.field));
    d.set("has_events", p.field.events > 0);
    const auto rows = [&](const std::vector<co::PluralityRow>& rs) {
      Data list = Data::type::list;
      for (const auto& r : rs) list.push_back(row_data(req, r));
      return list;
    };
    Data by_event = Data::type::list;
    std::set<std::string> own;
    for (const auto& e : v.events) {
      if (v.reader.viewer.institution.valid() && e.institution == v.reader.viewer.institution) {
        own.insert(e.id.str());
      }
    }
    for (const auto& r : p.by_event) {
      Data rd = row_data(req, r);
      rd.set("id", r.key);
      rd.set("own", own.count(r.key) > 0);
      by_event.push_back(rd);
    }
    d.set("by_event", by_event);
    d.set("by_programme", rows(p.by_programme));
    d.set("by_institution", rows(p.by_institution));
    d.set("by_quarter", rows(p.by_quarter));
    const auto bars = [](const std::vector<co::PluralityRow>& rs, bool women) {
      std::vector<ChartBar> out;
      for (const auto& r : rs) {
        out.push_back({r.label, co::share_bp(women ? r.women : r.non_russian, r.total),
                       women ? r.women_ok : r.non_russian_ok});
      }
      return out;
    };
    // The charts show the donors and the programmes (the events are in the table).
    d.set("chart_women_institutions",
          share_bars_svg(translator.tr(l, "Women among participants, by institution"),
                         bars(p.by_institution, true), p.targets.women_bp,
                         p.targets.women_tolerance_bp));
    d.set("chart_non_russian_institutions",
          share_bars_svg(translator.tr(l, "Non-Russian ethnic origin, by institution"),
                         bars(p.by_institution, false), p.targets.non_russian_min_bp, 0));
    d.set("chart_women_programmes",
          share_bars_svg(translator.tr(l, "Women among participants, by programme"),
                         bars(p.by_programme, true), p.targets.women_bp,
                         p.targets.women_tolerance_bp));
    d.set("chart_non_russian_programmes",
          share_bars_svg(translator.tr(l, "Non-Russian ethnic origin, by programme"),
                         bars(p.by_programme, false), p.targets.non_russian_min_bp, 0));
    std::vector<TrendPoint> trend;
    for (const auto& q : p.by_quarter) {
      trend.push_back(
          {q.key, co::share_bp(q.women, q.total), co::share_bp(q.non_russian, q.total)});
    }
    d.set("chart_trend", trend_svg(translator.tr(l, "Trend by quarter"), trend, p.targets.women_bp,
                                   p.targets.non_russian_min_bp, translator.tr(l, "Women"),
                                   translator.tr(l, "Non-Russian ethnic origin")));
  };

  auto dashboard_data = [this, totals_data, institution_in](const Request& req, const View& v,
                                                            Data& d) {
    const Lang l = lang(req);
    d.set("initiative_count", std::to_string(v.dash.initiatives));
    d.set("private_count", std::to_string(v.dash.private_initiatives));
    d.set("support_count", std::to_string(v.dash.support_records));
    d.set("event_count", std::to_string(v.dash.events));
    d.set("totals", totals_data(v.dash.totals));
    d.set("has_totals", !v.dash.totals.empty());
    Data by_inst = Data::type::list;
    for (const auto& [id, t] : v.dash.totals_by_institution) {
      Data row;
      row.set("name", institution_in(v, id));
      row.set("totals", totals_data(t));
      by_inst.push_back(row);
    }
    d.set("totals_by_institution", by_inst);
    Data by_field = Data::type::list;
    for (const auto& [f, t] : v.dash.totals_by_field) {
      Data row;
      row.set("name", translator.tr(l, field_label(f)));
      row.set("totals", totals_data(t));
      by_field.push_back(row);
    }
    d.set("totals_by_field", by_field);
  };

  // --- Pages -----------------------------------------------------------------------------------
  auto section_page = [this](const Request& req, const std::string& name, Data d,
                             std::string_view title, std::string_view message, int status) {
    return account_form(req, name, std::move(d), title, message, status);
  };

  auto dashboard_page = [this, view_of, base, dashboard_data, overlap_data, plurality_data,
                         section_page](const Request& req) {
    auto v = view_of(req);
    if (!v) return error(req, v.error());
    Data d = base(req, v->reader);
    dashboard_data(req, *v, d);
    overlap_data(req, *v, d);
    plurality_data(req, *v, d);
    return section_page(req, "coordination", std::move(d), "Coordination", "", 200);
  };
  router.add(Method::kGet, "/coordination", dashboard_page);

  // The directory: filters from the query string.
  auto directory_page = [this, view_of, base, section_page](const Request& req,
                                                            std::string_view message, int status,
                                                            const Fields* kept) {
    auto v = view_of(req, false);
    if (!v) return error(req, v.error());
    const Lang l = lang(req);
    co::InitiativeFilter filter;
    filter.text = req.query_param("q").value_or("").substr(0, 200);
    const auto field_q = req.query_param("field").value_or("");
    if (!field_q.empty()) {
      auto f = co::parse_field(field_q);
      if (!f) return error(req, 400, f.error().message);
      filter.field = *f;
    }
    filter.region = req.query_param("region").value_or("").substr(0, 100);
    filter.minority = req.query_param("minority").value_or("").substr(0, 100);
    filter.language = req.query_param("language").value_or("").substr(0, 100);
    filter.host_country = req.query_param("country").value_or("").substr(0, 100);
    Data d = base(req, v->reader);
    Data list = Data::type::list;
    std::size_t count = 0;
    for (const auto& i : v->initiatives) {
      if (!co::matches(filter, i)) continue;
      Data row;
      row.set("id", i.id.str());
      row.set("name", i.name);
      row.set("organization", i.organization_slug);
      row.set("field", translator.tr(l, field_label(i.field)));
      row.set("regions", joined(i.regions));
      row.set("minorities", joined(i.minorities));
      row.set("languages", joined(i.languages));
      row.set("host_countries", joined(i.host_countries));
      row.set("women", i.leadership_women_percent
                           ? std::to_string(*i.leadership_women_percent) + "%"
                           : std::string("—"));
      row.set("private", i.is_private);
      list.push_back(row);
      ++count;
    }
    d.set("initiatives", list);
    d.set("count", std::to_string(count));
    d.set("q", filter.text);
    d.set("region", filter.region);
    d.set("minority", filter.minority);
    d.set("language", filter.language);
    d.set("country", filter.host_country);
    d.set("field_q", field_q);
    if (kept != nullptr) {
      for (const auto& k :
           {"name", "organization", "regions", "minorities", "languages", "host_countries",
            "leadership_women_percent", "description", "contacts"}) {
        d.set(std::string("form_") + k, kept->get(k));
      }
      d.set("form_private", kept->flag("private"));
    }
    return section_page(req, "coordination_initiatives", std::move(d), "Directory of initiatives",
                        message, status);
  };
  router.add(Method::kGet, "/coordination/initiatives",
             [directory_page](Request& req) { return directory_page(req, "", 200, nullptr); });

  // A form write: the CSRF token, then the coordinator's powers; `refusal` when one fails.
  struct Write {
    Fields fields;
    Reader reader;
    std::optional<Response> refusal;
  };
  auto form_write = [this, coordinator](const Request& req) {
    Write w;
    w.fields.form = form_fields(req);
    if (!accounts_web->csrf_ok(req, w.fields.get("csrf"))) {
      w.refusal = error(req, 403, kBadCsrf);
      return w;
    }
    auto r = coordinator(req);
    if (!r) {
      w.refusal = org_error(req, r.error());
      return w;
    }
    w.reader = std::move(*r);
    return w;
  };
  // An expected failure re-shows the form with the message; a server error is a 500 page.
  auto failed = [this](const Request& req, const Error& e, auto&& again) {
    const int status = status_for(e.code);
    if (status >= 500) return error(req, e);
    return again(e.message, status);
  };

  router.add(Method::kPost, "/coordination/initiatives",
             [this, form_write, directory_page, failed](Request& req) {
               auto w = form_write(req);
               if (w.refusal) return std::move(*w.refusal);
               auto again = [&](std::string_view m, int s) {
                 return directory_page(req, m, s, &w.fields);
               };
               auto i = initiative_from(w.fields);
               if (!i) return failed(req, i.error(), again);
               co::Coordination c(db, clock);
               auto id =
                   c.add_initiative(w.reader.viewer, std::move(*i), w.reader.principal->handle);
               if (!id) return failed(req, id.error(), again);
               return Response::redirect("/coordination/initiatives/" + id->str() + "?added=1");
             });

  auto initiative_page = [this, view_of, base, section_page, support_rows, row_data](
                             const Request& req, co::InitiativeId id, std::string_view message,
                             int status) {
    auto v = view_of(req, false);
    if (!v) return error(req, v.error());
    const Lang l = lang(req);
    co::Coordination c(db, clock);
    auto i = c.initiative(v->reader.viewer, id);
    if (!i) return error(req, i.error());
    Data d = base(req, v->reader);
    d.set("id", i->id.str());
    d.set("name", i->name);
    d.set("organization", i->organization_slug);
    d.set("field", translator.tr(l, field_label(i->field)));
    d.set("regions", joined(i->regions));
    d.set("minorities", joined(i->minorities));
    d.set("languages", joined(i->languages));
    d.set("host_countries", joined(i->host_countries));
    d.set("women", i->leadership_women_percent ? std::to_string(*i->leadership_women_percent) + "%"
                                               : std::string());
    d.set("description", i->description);
    d.set("contacts", i->contacts);
    d.set("private", i->is_private);
    d.set("added", req.query_param("added").has_value());
    d.set("support", support_rows(req, *v, id));
    Data events = Data::type::list;
    for (const auto& e : v->events) {
      if (e.initiative != id) continue;
      co::PluralityRow r;
      r.label = e.title;
      r.key = e.id.str();
      r.events = 1;
      r.total = e.total;
      r.women = e.women;
      r.non_russian = e.non_russian;
      co::judge(r, v->targets);
      Data ed = row_data(req, r);
      ed.set("day", co::format_day(e.day));
      events.push_back(ed);
    }
    d.set("events", events);
    if (v->reader.viewer.coordinator) {
      auto as = c.assessments(v->reader.viewer, id);
      auto cs = c.conflicts(v->reader.viewer, id);
      if (!as || !cs) return error(req, !as ? as.error() : cs.error());
      const auto e = co::aggregate(*as, *cs);
      Data crit = Data::type::list;
      const std::array<std::string, 3> names = {"Standards and visions for the future state",
                                                "Knowledge about developments inside the country",
                                                "Support for anti-war views inside the country"};
      for (std::size_t k = 0; k < 3; ++k) {
        const auto& s = e.criteria[k];
        Data cd;
        cd.set("name", translator.tr(l, names[k]));
        cd.set("n", std::to_string(s.n));
        cd.set("mean", s.n ? fmt::format("{:.2f}", s.mean) : "—");
        cd.set("median", s.n ? fmt::format("{:.1f}", s.median) : "—");
        cd.set("spread", s.n ? fmt::format("{}–{} (σ {:.2f})", s.min, s.max, s.stddev) : "—");
        crit.push_back(cd);
      }
      d.set("criteria", crit);
      d.set("assessors", std::to_string(e.assessors));
      d.set("excluded", std::to_string(e.excluded));
      Data conflicts = Data::type::list;
      bool mine = false;
      for (const auto& cf : *cs) {
        Data cd;
        cd.set("assessor", cf.assessor);
        cd.set("reason", cf.reason);
        conflicts.push_back(cd);
        if (cf.assessor == v->reader.principal->handle) mine = true;
      }
      d.set("conflicts", conflicts);
      d.set("has_conflicts", !cs->empty());
      d.set("my_conflict", mine);
    }
    return section_page(req, "coordination_initiative", std::move(d), i->name, message, status);
  };
  router.add(Method::kGet, "/coordination/initiatives/{id}", [this, initiative_page](Request& req) {
    const auto id = initiative_param(req);
    if (!id) return error(req, 404, "There is no initiative with that number.");
    return initiative_page(req, *id, "", 200);
  });

  for (const bool conflict : {false, true}) {
    router.add(
        Method::kPost,
        conflict ? "/coordination/initiatives/{id}/conflicts"
                 : "/coordination/initiatives/{id}/assessments",
        [this, conflict, form_write, initiative_page, failed](Request& req) {
          auto w = form_write(req);
          if (w.refusal) return std::move(*w.refusal);
          const auto id = initiative_param(req);
          if (!id) return error(req, 404, "There is no initiative with that number.");
          auto again = [&](std::string_view m, int s) { return initiative_page(req, *id, m, s); };
          co::Coordination c(db, clock);
          const auto& handle = w.reader.principal->handle;
          Status done = ok();
          if (conflict) {
            done = c.declare_conflict(w.reader.viewer, *id, handle, w.fields.get("reason"));
          } else {
            co::Assessment a;
            a.initiative = *id;
            a.assessor = handle;
            const std::array<const char*, 3> keys = {"visions", "knowledge", "anti_war"};
            for (std::size_t k = 0; k < 3; ++k) {
              auto n = parse_positive(w.fields.get(keys[k]));
              a.scores[k] = n && *n <= 5 ? static_cast<int>(*n) : 0;
            }
            a.note = w.fields.get("note");
            done = c.assess(w.reader.viewer, std::move(a));
          }
          if (!done) return failed(req, done.error(), again);
          return Response::redirect("/coordination/initiatives/" + id->str() + "#evaluation");
        });
  }

  // Editing an entry (any coordinator).
  auto edit_page = [this, coordinator, base, section_page](const Request& req, co::InitiativeId id,
                                                           const Fields* kept,
                                                           std::string_view message, int status) {
    auto r = coordinator(req);
    if (!r) return org_error(req, r.error());
    co::Coordination c(db, clock);
    auto i = c.initiative(r->viewer, id);
    if (!i) return error(req, i.error());
    Data d = base(req, *r);
    const auto lines = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
      return out;
    };
    const auto value = [&](const char* key, std::string current) {
      return kept != nullptr ? kept->get(key) : current;
    };
    d.set("id", i->id.str());
    d.set("form_name", value("name", i->name));
    d.set("form_organization", value("organization", i->organization_slug));
    d.set("form_regions", value("regions", lines(i->regions)));
    d.set("form_minorities", value("minorities", lines(i->minorities)));
    d.set("form_languages", value("languages", lines(i->languages)));
    d.set("form_host_countries", value("host_countries", lines(i->host_countries)));
    d.set("form_leadership_women_percent",
          value("leadership_women_percent", i->leadership_women_percent
                                                ? std::to_string(*i->leadership_women_percent)
                                                : std::string()));
    d.set("form_description", value("description", i->description));
    d.set("form_contacts", value("contacts", i->contacts));
    d.set("form_private", kept != nullptr ? kept->flag("private") : i->is_private);
    const Lang l = lang(req);
    Data fields = Data::type::list;
    const std::string chosen =
        kept != nullptr ? kept->get("field") : std::string(co::field_name(i->field));
    for (auto f : co::kFields) {
      Data fd;
      fd.set("value", std::string(co::field_name(f)));
      fd.set("label", translator.tr(l, field_label(f)));
      fd.set("selected", chosen == co::field_name(f));
      fields.push_back(fd);
    }
    d.set("fields", fields);
    return section_page(req, "coordination_initiative_edit", std::move(d), "Edit the initiative",
                        message, status);
  };
  router.add(Method::kGet, "/coordination/initiatives/{id}/edit", [this, edit_page](Request& req) {
    const auto id = initiative_param(req);
    if (!id) return error(req, 404, "There is no initiative with that number.");
    return edit_page(req, *id, nullptr, "", 200);
  });
  router.add(Method::kPost, "/coordination/initiatives/{id}",
             [this, form_write, edit_page, failed](Request& req) {
               auto w = form_write(req);
               if (w.refusal) return std::move(*w.refusal);
               const auto id = initiative_param(req);
               if (!id) return error(req, 404, "There is no initiative with that number.");
               auto again = [&](std::string_view m, int s) {
                 return edit_page(req, *id, &w.fields, m, s);
               };
               auto i = initiative_from(w.fields);
               if (!i) return failed(req, i.error(), again);
               i->id = *id;
               co::Coordination c(db, clock);
               if (auto s = c.update_initiative(w.reader.viewer, *i); !s) {
                 return failed(req, s.error(), again);
               }
               return Response::redirect("/coordination/initiatives/" + id->str());
             });
  // Removing a record of one's own institution.
  for (const bool event : {false, true}) {
    router.add(Method::kPost,
               event ? "/coordination/events/{id}/remove" : "/coordination/support/{id}/remove",
               [this, event, form_write](Request& req) {
                 auto w = form_write(req);
                 if (w.refusal) return std::move(*w.refusal);
                 const auto id = parse_positive(req.path_params.at("id"));
                 if (!id) return error(req, 404, "There is no record with that number.");
                 co::Coordination c(db, clock);
                 const Status s = event ? c.remove_event(w.reader.viewer, co::EventId(*id))
                                        : c.remove_support(w.reader.viewer, co::SupportId(*id));
                 if (!s) return error(req, s.error());
                 return Response::redirect(event ? "/coordination/plurality?removed=1"
                                                 : "/coordination/support?removed=1");
               });
  }

  auto support_page = [this, view_of, base, section_page, support_rows, initiative_options](
                          const Request& req, std::string_view message, int status,
                          const Fields* kept) {
    auto v = view_of(req, false);
    if (!v) return error(req, v.error());
    Data d = base(req, v->reader);
    d.set("records", support_rows(req, *v, std::nullopt));
    d.set("has_records", !v->records.empty());
    if (v->reader.viewer.coordinator) {
      if (auto s = initiative_options(v->reader.viewer, d); !s) return error(req, s.error());
    }
    if (kept != nullptr) {
      for (const auto& k : {"programme", "amount", "currency", "from", "to", "in_kind"}) {
        d.set(std::string("form_") + k, kept->get(k));
      }
    }
    return section_page(req, "coordination_support", std::move(d), "Support records", message,
                        status);
  };
  router.add(Method::kGet, "/coordination/support",
             [support_page](Request& req) { return support_page(req, "", 200, nullptr); });
  router.add(Method::kPost, "/coordination/support",
             [this, form_write, support_page, failed](Request& req) {
               auto w = form_write(req);
               if (w.refusal) return std::move(*w.refusal);
               auto again = [&](std::string_view m, int s) {
                 return support_page(req, m, s, &w.fields);
               };
               auto s = support_from(w.fields);
               if (!s) return failed(req, s.error(), again);
               s->entered_by = w.reader.principal->handle;
               co::Coordination c(db, clock);
               auto id = c.add_support(w.reader.viewer, std::move(*s));
               if (!id) return failed(req, id.error(), again);
               return Response::redirect("/coordination/support?added=" + id->str());
             });

  router.add(Method::kGet, "/coordination/overlap",
             [this, view_of, base, overlap_data, section_page](Request& req) {
               auto v = view_of(req);
               if (!v) return error(req, v.error());
               Data d = base(req, v->reader);
               overlap_data(req, *v, d);
               return section_page(req, "coordination_overlap", std::move(d), "Overlap and gaps",
                                   "", 200);
             });

  auto plurality_page = [this, view_of, base, plurality_data, section_page, initiative_options](
                            const Request& req, std::string_view message, int status,
                            const Fields* kept) {
    auto v = view_of(req);
    if (!v) return error(req, v.error());
    Data d = base(req, v->reader);
    plurality_data(req, *v, d);
    if (v->reader.viewer.coordinator) {
      if (auto s = initiative_options(v->reader.viewer, d); !s) return error(req, s.error());
    }
    if (kept != nullptr) {
      for (const auto& k :
           {"title", "programme", "day", "total", "women", "non_russian", "regions"}) {
        d.set(std::string("form_") + k, kept->get(k));
      }
    }
    return section_page(req, "coordination_plurality", std::move(d), "Plurality", message, status);
  };
  router.add(Method::kGet, "/coordination/plurality",
             [plurality_page](Request& req) { return plurality_page(req, "", 200, nullptr); });
  router.add(Method::kPost, "/coordination/events",
             [this, form_write, plurality_page, failed](Request& req) {
               auto w = form_write(req);
               if (w.refusal) return std::move(*w.refusal);
               auto again = [&](std::string_view m, int s) {
                 return plurality_page(req, m, s, &w.fields);
               };
               auto e = event_from(w.fields);
               if (!e) return failed(req, e.error(), again);
               e->entered_by = w.reader.principal->handle;
               co::Coordination c(db, clock);
               auto id = c.add_event(w.reader.viewer, std::move(*e));
               if (!id) return failed(req, id.error(), again);
               return Response::redirect("/coordination/plurality?added=" + id->str());
             });

  // The printable report: a page of its own (no site navigation) with a print stylesheet.
  router.add(Method::kGet, "/coordination/report",
             [this, view_of, base, dashboard_data, overlap_data, plurality_data,
              support_rows](Request& req) {
               auto v = view_of(req);
               if (!v) return error(req, v.error());
               const auto code = std::string(lang_code(lang(req)));
               Data d = base(req, v->reader);
               dashboard_data(req, *v, d);
               overlap_data(req, *v, d);
               plurality_data(req, *v, d);
               d.set("records", support_rows(req, *v, std::nullopt));
               d.set("lang", code);
               d.set("generated", core::to_iso8601(clock.now()).substr(0, 10));
               Response r = Response::html(templates.render("coordination_report", code, d));
               r.header("Content-Language", code);
               r.header("Cache-Control", "no-store");
               return r;
             });

  // --- Exports ---------------------------------------------------------------------------------
  auto csv = [](std::string body, std::string_view name) {
    Response r = Response::text(std::move(body));
    r.content_type = "text/csv; charset=utf-8";
    r.header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
    r.header("Cache-Control", "no-store");
    return r;
  };
  router.add(
      Method::kGet, "/coordination/export/initiatives.csv", [this, view_of, csv](Request& req) {
        auto v = view_of(req, false);
        if (!v) return error(req, v.error());
        const bool coord = v->reader.viewer.coordinator;
        std::vector<std::string> head = {"id",        "name",           "organization",
                                         "field",     "regions",        "minorities",
                                         "languages", "host_countries", "leadership_women_percent",
                                         "private",   "description"};
        if (coord) head.push_back("contacts");
        std::string out = core::csv_record(head);
        for (const auto& i : v->initiatives) {
          std::vector<std::string> row = {
              i.id.str(),
              i.name,
              i.organization_slug,
              std::string(co::field_name(i.field)),
              joined(i.regions),
              joined(i.minorities),
              joined(i.languages),
              joined(i.host_countries),
              i.leadership_women_percent ? std::to_string(*i.leadership_women_percent) : "",
              i.is_private ? "yes" : "no",
              i.description};
          if (coord) row.push_back(i.contacts);
          out += core::csv_record(row);
        }
        return csv(std::move(out), "initiatives.csv");
      });
  router.add(Method::kGet, "/coordination/export/support.csv",
             [this, view_of, csv, name_in, institution_in](Request& req) {
               auto v = view_of(req, false);
               if (!v) return error(req, v.error());
               std::string out =
                   core::csv_record({"id", "initiative_id", "initiative", "institution",
                                     "programme", "amount_minor", "currency", "from", "to",
                                     "purpose", "permit_sponsorship", "in_kind", "visibility"});
               for (const auto& s : v->records) {
                 out += core::csv_record(
                     {s.id.str(), v->initiative_names.count(s.initiative) ? s.initiative.str() : "",
                      name_in(*v, s.initiative), institution_in(*v, s.institution), s.programme,
                      std::to_string(s.amount_minor), s.currency, co::format_day(s.from),
                      co::format_day(s.to), std::string(co::purpose_name(s.purpose)),
                      s.permit_sponsorship ? "yes" : "no", s.in_kind,
                      std::string(co::visibility_name(s.visibility))});
               }
               return csv(std::move(out), "support.csv");
             });
  router.add(
      Method::kGet, "/coordination/export/events.csv",
      [this, view_of, csv, name_in, institution_in](Request& req) {
        auto v = view_of(req, false);
        if (!v) return error(req, v.error());
        std::string out =
            core::csv_record({"id", "date", "title", "programme", "initiative", "institution",
                              "total", "women", "non_russian", "regions", "visibility"});
        for (const auto& e : v->events) {
          std::string regions;
          for (const auto& [k, n] : e.regions) {
            regions += (regions.empty() ? "" : "; ") + k + ": " + std::to_string(n);
          }
          out += core::csv_record({e.id.str(), co::format_day(e.day), e.title, e.programme,
                                   e.initiative ? name_in(*v, *e.initiative) : "",
                                   institution_in(*v, e.institution), std::to_string(e.total),
                                   std::to_string(e.women), std::to_string(e.non_russian), regions,
                                   std::string(co::visibility_name(e.visibility))});
        }
        return csv(std::move(out), "events.csv");
      });

  // --- JSON API --------------------------------------------------------------------------------
  auto overlap_json = [name_in, institution_in](const View& v) {
    const auto& o = v.dash.overlap;
    boost::json::array items;
    for (const auto& item : o.items) {
      boost::json::array inst;
      for (auto i : item.institutions) inst.push_back(boost::json::string(institution_in(v, i)));
      boost::json::array recs;
      for (auto r : item.records) recs.push_back(r.value());
      items.push_back({{"initiative", name_in(v, item.initiative)},
                       {"initiative_id", v.initiative_names.count(item.initiative)
                                             ? boost::json::value(item.initiative.value())
                                             : boost::json::value(nullptr)},
                       {"purpose", co::purpose_name(item.purpose)},
                       {"from", co::format_day(item.from)},
                       {"to", co::format_day(item.to)},
                       {"institutions", std::move(inst)},
                       {"records", std::move(recs)}});
    }
    boost::json::array names;
    for (auto i : o.institutions) names.push_back(boost::json::string(institution_in(v, i)));
    boost::json::array matrix;
    for (const auto& row : o.matrix) {
      boost::json::array r;
      for (auto n : row) r.push_back(n);
      matrix.push_back(std::move(r));
    }
    boost::json::array fields;
    for (auto f : o.unfunded_fields) fields.push_back(boost::json::string(co::field_name(f)));
    boost::json::array regions;
    for (const auto& r : o.unfunded_regions) regions.push_back(boost::json::string(r));
    return boost::json::object{{"overlaps", std::move(items)},
                               {"institutions", std::move(names)},
                               {"matrix", std::move(matrix)},
                               {"unfunded_fields", std::move(fields)},
                               {"unfunded_regions", std::move(regions)}};
  };
  auto plurality_json = [](const View& v) {
    const auto& p = v.dash.plurality;
    const auto rows = [](const std::vector<co::PluralityRow>& rs) {
      boost::json::array a;
      for (const auto& r : rs) a.push_back(row_json(r));
      return a;
    };
    return boost::json::object{{"targets",
                                {{"women_bp", p.targets.women_bp},
                                 {"women_tolerance_bp", p.targets.women_tolerance_bp},
                                 {"non_russian_min_bp", p.targets.non_russian_min_bp}}},
                               {"field", row_json(p.field)},
                               {"by_event", rows(p.by_event)},
                               {"by_programme", rows(p.by_programme)},
                               {"by_institution", rows(p.by_institution)},
                               {"by_quarter", rows(p.by_quarter)}};
  };
  auto support_json = [name_in, institution_in](const View& v) {
    boost::json::array a;
    for (const auto& s : v.records) {
      a.push_back({{"id", s.id.value()},
                   {"initiative", name_in(v, s.initiative)},
                   {"initiative_id", v.initiative_names.count(s.initiative)
                                         ? boost::json::value(s.initiative.value())
                                         : boost::json::value(nullptr)},
                   {"institution", institution_in(v, s.institution)},
                   {"programme", s.programme},
                   {"amount_minor", s.amount_minor},
                   {"currency", s.currency},
                   {"from", co::format_day(s.from)},
                   {"to", co::format_day(s.to)},
                   {"purpose", co::purpose_name(s.purpose)},
                   {"permit_sponsorship", s.permit_sponsorship},
                   {"in_kind", s.in_kind},
                   {"visibility", co::visibility_name(s.visibility)}});
    }
    return a;
  };
  auto events_json = [name_in, institution_in](const View& v) {
    boost::json::array a;
    for (const auto& e : v.events) {
      boost::json::object regions;
      for (const auto& [k, n] : e.regions) regions[k] = n;
      a.push_back({{"id", e.id.value()},
                   {"date", co::format_day(e.day)},
                   {"title", e.title},
                   {"programme", e.programme},
                   {"initiative", e.initiative ? boost::json::value(name_in(v, *e.initiative))
                                               : boost::json::value(nullptr)},
                   {"institution", institution_in(v, e.institution)},
                   {"total", e.total},
                   {"women", e.women},
                   {"non_russian", e.non_russian},
                   {"regions", std::move(regions)},
                   {"visibility", co::visibility_name(e.visibility)}});
    }
    return a;
  };
  auto viewer_json = [](const View& v) {
    return boost::json::object{{"coordinator", v.reader.viewer.coordinator},
                               {"institution", v.reader.institution}};
  };

  router.add(
      Method::kGet, "/api/v1/coordination",
      [this, view_of, viewer_json, overlap_json, plurality_json](Request& req) {
        auto v = view_of(req);
        if (!v) return error(req, v.error());
        boost::json::object by_inst;
        for (const auto& [id, t] : v->dash.totals_by_institution) {
          by_inst[v->names.count(id) ? v->names.at(id) : id.str()] = totals_json(t);
        }
        boost::json::object by_field;
        for (const auto& [f, t] : v->dash.totals_by_field) {
          by_field[co::field_name(f)] = totals_json(t);
        }
        return api_json(boost::json::object{{"viewer", viewer_json(*v)},
                                            {"initiatives", v->dash.initiatives},
                                            {"private_initiatives", v->dash.private_initiatives},
                                            {"support_records", v->dash.support_records},
                                            {"events", v->dash.events},
                                            {"totals", totals_json(v->dash.totals)},
                                            {"totals_by_institution", std::move(by_inst)},
                                            {"totals_by_field", std::move(by_field)},
                                            {"overlap", overlap_json(*v)},
                                            {"plurality", plurality_json(*v)}});
      });
  router.add(Method::kGet, "/api/v1/coordination/initiatives", [this, view_of](Request& req) {
    auto v = view_of(req, false);
    if (!v) return error(req, v.error());
    co::InitiativeFilter filter;
    filter.text = req.query_param("q").value_or("").substr(0, 200);
    if (auto f = req.query_param("field"); f && !f->empty()) {
      auto parsed = co::parse_field(*f);
      if (!parsed) return error(req, 400, parsed.error().message);
      filter.field = *parsed;
    }
    filter.region = req.query_param("region").value_or("").substr(0, 100);
    filter.minority = req.query_param("minority").value_or("").substr(0, 100);
    filter.language = req.query_param("language").value_or("").substr(0, 100);
    filter.host_country = req.query_param("country").value_or("").substr(0, 100);
    boost::json::array a;
    for (const auto& i : v->initiatives) {
      if (co::matches(filter, i)) a.push_back(initiative_json(i, v->reader.viewer.coordinator));
    }
    return api_json(boost::json::object{{"initiatives", std::move(a)}});
  });
  router.add(Method::kGet, "/api/v1/coordination/initiatives/{id}", [this, reader](Request& req) {
    auto r = reader(req);
    if (!r) return error(req, r.error());
    const auto id = initiative_param(req);
    if (!id) return error(req, 404, "There is no initiative with that number.");
    co::Coordination c(db, clock);
    auto i = c.initiative(r->viewer, *id);
    if (!i) return error(req, i.error());
    auto o = initiative_json(*i, r->viewer.coordinator);
    if (r->viewer.coordinator) {
      auto e = c.evaluation(r->viewer, *id);
      if (!e) return error(req, e.error());
      boost::json::object crit;
      for (std::size_t k = 0; k < 3; ++k) {
        const auto& s = e->criteria[k];
        crit[co::criterion_name(co::kCriteria[k])] = {{"n", s.n},           {"mean", s.mean},
                                                      {"median", s.median}, {"min", s.min},
                                                      {"max", s.max},       {"stddev", s.stddev}};
      }
      boost::json::array conflicts;
      for (const auto& cf : e->conflicts) {
        conflicts.push_back({{"assessor", cf.assessor}, {"reason", cf.reason}});
      }
      o["evaluation"] = {{"criteria", std::move(crit)},
                         {"assessors", e->assessors},
                         {"excluded", e->excluded},
                         {"conflicts", std::move(conflicts)}};
    }
    return api_json(o);
  });
  router.add(Method::kGet, "/api/v1/coordination/support",
             [this, view_of, support_json](Request& req) {
               auto v = view_of(req, false);
               if (!v) return error(req, v.error());
               return api_json(boost::json::object{{"support", support_json(*v)}});
             });
  router.add(Method::kGet, "/api/v1/coordination/overlap",
             [this, view_of, overlap_json](Request& req) {
               auto v = view_of(req);
               if (!v) return error(req, v.error());
               return api_json(overlap_json(*v));
             });
  router.add(Method::kGet, "/api/v1/coordination/plurality",
             [this, view_of, plurality_json](Request& req) {
               auto v = view_of(req);
               if (!v) return error(req, v.error());
               return api_json(plurality_json(*v));
             });
  router.add(Method::kGet, "/api/v1/coordination/export",
             [this, view_of, viewer_json, support_json, events_json, overlap_json,
              plurality_json](Request& req) {
               auto v = view_of(req);
               if (!v) return error(req, v.error());
               boost::json::array inits;
               for (const auto& i : v->initiatives) {
                 inits.push_back(initiative_json(i, v->reader.viewer.coordinator));
               }
               Response r = api_json(boost::json::object{{"viewer", viewer_json(*v)},
                                                         {"initiatives", std::move(inits)},
                                                         {"support", support_json(*v)},
                                                         {"events", events_json(*v)},
                                                         {"overlap", overlap_json(*v)},
                                                         {"plurality", plurality_json(*v)}});
               r.header("Content-Disposition", "attachment; filename=\"coordination.json\"");
               return r;
             });

  // API writes: a coordinator's session with the X-CSRF-Token header; a JSON object body.
  auto api_write = [this, coordinator](const Request& req, Write& w) -> std::optional<Response> {
    auto r = coordinator(req);
    if (!r) return org_error(req, r.error());
    if (r->principal->needs_csrf() && !accounts_web->api_csrf_ok(req)) {
      return error(req, 403, kApiCsrf);
    }
    w.reader = std::move(*r);
    return std::nullopt;
  };
  auto parse_body = [](const Request& req) -> Result<boost::json::object> {
    boost::system::error_code ec;
    auto body = boost::json::parse(req.body, ec);
    if (ec || !body.is_object()) return invalid_argument("The request body must be a JSON object.");
    return std::move(body.as_object());
  };
  router.add(Method::kPost, "/api/v1/coordination/initiatives",
             [this, api_write, parse_body](Request& req) {
               Write w;
               if (auto refused = api_write(req, w)) return std::move(*refused);
               auto body = parse_body(req);
               if (!body) return error(req, body.error());
               w.fields.json = &*body;
               auto i = initiative_from(w.fields);
               if (!i) return error(req, i.error());
               co::Coordination c(db, clock);
               auto id =
                   c.add_initiative(w.reader.viewer, std::move(*i), w.reader.principal->handle);
               if (!id) return error(req, id.error());
               auto made = c.initiative(w.reader.viewer, *id);
               if (!made) return error(req, made.error());
               return api_json(initiative_json(*made, true), 201);
             });
  for (const bool conflict : {false, true}) {
    router.add(Method::kPost,
               conflict ? "/api/v1/coordination/initiatives/{id}/conflicts"
                        : "/api/v1/coordination/initiatives/{id}/assessments",
               [this, conflict, api_write, parse_body](Request& req) {
                 Write w;
                 if (auto refused = api_write(req, w)) return std::move(*refused);
                 const auto id = initiative_param(req);
                 if (!id) return error(req, 404, "There is no initiative with that number.");
                 auto body = parse_body(req);
                 if (!body) return error(req, body.error());
                 w.fields.json = &*body;
                 co::Coordination c(db, clock);
                 const auto& handle = w.reader.principal->handle;
                 Status done = ok();
                 if (conflict) {
                   done = c.declare_conflict(w.reader.viewer, *id, handle, w.fields.get("reason"));
                 } else {
                   co::Assessment a;
                   a.initiative = *id;
                   a.assessor = handle;
                   const std::array<const char*, 3> keys = {"visions", "knowledge", "anti_war"};
                   for (std::size_t k = 0; k < 3; ++k) {
                     auto n = parse_positive(w.fields.get(keys[k]));
                     a.scores[k] = n && *n <= 5 ? static_cast<int>(*n) : 0;
                   }
                   a.note = w.fields.get("note");
                   done = c.assess(w.reader.viewer, std::move(a));
                 }
                 if (!done) return error(req, done.error());
                 auto e = c.evaluation(w.reader.viewer, *id);
                 if (!e) return error(req, e.error());
                 return api_json(boost::json::object{{"initiative", id->value()},
                                                     {"assessors", e->assessors},
                                                     {"excluded", e->excluded}},
                                 201);
               });
  }
  router.add(Method::kPost, "/api/v1/coordination/support",
             [this, api_write, parse_body](Request& req) {
               Write w;
               if (auto refused = api_write(req, w)) return std::move(*refused);
               auto body = parse_body(req);
               if (!body) return error(req, body.error());
               w.fields.json = &*body;
               auto s = support_from(w.fields);
               if (!s) return error(req, s.error());
               s->entered_by = w.reader.principal->handle;
               co::Coordination c(db, clock);
               auto id = c.add_support(w.reader.viewer, std::move(*s));
               if (!id) return error(req, id.error());
               return api_json(boost::json::object{{"id", id->value()}}, 201);
             });
  router.add(Method::kPost, "/api/v1/coordination/events",
             [this, api_write, parse_body](Request& req) {
               Write w;
               if (auto refused = api_write(req, w)) return std::move(*refused);
               auto body = parse_body(req);
               if (!body) return error(req, body.error());
               w.fields.json = &*body;
               auto e = event_from(w.fields);
               if (!e) return error(req, e.error());
               e->entered_by = w.reader.principal->handle;
               co::Coordination c(db, clock);
               auto id = c.add_event(w.reader.viewer, std::move(*e));
               if (!id) return error(req, id.error());
               return api_json(boost::json::object{{"id", id->value()}}, 201);
             });
}

}  // namespace veche::http
