#include "veche/coordination/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "veche/core/text.hpp"

namespace veche::coordination {
namespace {

template <class E, std::size_t N>
Result<E> parse_named(std::string_view name, const std::array<E, N>& all,
                      std::string_view (*name_of)(E), std::string_view what) {
  for (E e : all) {
    if (name_of(e) == name) return e;
  }
  std::string choices;
  for (E e : all) choices += (choices.empty() ? "" : ", ") + std::string(name_of(e));
  return invalid_argument(fmt::format("{} must be one of: {}.", what, choices));
}

std::optional<int> digits(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

Status check_list(std::string_view what, const std::vector<std::string>& items) {
  if (items.size() > 100) return invalid_argument(fmt::format("At most 100 {}.", what));
  for (const auto& item : items) VECHE_TRY(core::check_text(what, item, 100));
  return ok();
}

}  // namespace

Result<Day> parse_day(std::string_view text) {
  const auto bad = [&] {
    return invalid_argument("A date is written YYYY-MM-DD, such as 2026-03-01.");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  const auto y = digits(text.substr(0, 4));
  const auto m = digits(text.substr(5, 2));
  const auto d = digits(text.substr(8, 2));
  if (!y || !m || !d || *y < 1990 || *y > 2100) return bad();
  const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                        std::chrono::month(static_cast<unsigned>(*m)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return bad();
  return Day(ymd);
}

std::string format_day(Day d) {
  const std::chrono::year_month_day ymd(d);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string quarter_of(Day d) {
  const std::chrono::year_month_day ymd(d);
  return fmt::format("{:04}-Q{}", static_cast<int>(ymd.year()),
                     (static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
}

std::string_view kind_name(InstitutionKind k) {
  return k == InstitutionKind::kDonor ? "donor" : "host-state";
}

Result<InstitutionKind> parse_kind(std::string_view name) {
  return parse_named<InstitutionKind, 2>(name,
                                         {InstitutionKind::kDonor, InstitutionKind::kHostState},
                                         kind_name, "The kind of institution");
}

std::string_view field_name(Field f) {
  switch (f) {
    case Field::kMedia:
      return "media";
    case Field::kResearch:
      return "research";
    case Field::kCivic:
      return "civic";
    case Field::kLegalAid:
      return "legal-aid";
    case Field::kPolitical:
      return "political";
    case Field::kCultural:
      return "cultural";
  }
  return "civic";
}

Result<Field> parse_field(std::string_view name) {
  return parse_named(name, kFields, field_name, "The field");
}

std::string_view purpose_name(Purpose p) {
  switch (p) {
    case Purpose::kCoreFunding:
      return "core-funding";
    case Purpose::kProject:
      return "project";
    case Purpose::kEvents:
      return "events";
    case Purpose::kTraining:
      return "training";
    case Purpose::kRelocation:
      return "relocation";
    case Purpose::kSecurity:
      return "security";
    case Purpose::kLegal:
      return "legal";
    case Purpose::kEquipment:
      return "equipment";
    case Purpose::kOther:
      return "other";
  }
  return "other";
}

Result<Purpose> parse_purpose(std::string_view name) {
  return parse_named(name, kPurposes, purpose_name, "The purpose");
}

std::string_view visibility_name(Visibility v) {
  switch (v) {
    case Visibility::kPublic:
      return "public";
    case Visibility::kCoordinators:
      return "coordinators";
    case Visibility::kInstitution:
      return "institution";
  }
  return "institution";
}

Result<Visibility> parse_visibility(std::string_view name) {
  return parse_named<Visibility, 3>(
      name, {Visibility::kPublic, Visibility::kCoordinators, Visibility::kInstitution},
      visibility_name, "The visibility");
}

bool may_see(const Viewer& v, Visibility visibility, InstitutionId owner) {
  switch (visibility) {
    case Visibility::kPublic:
      return true;
    case Visibility::kCoordinators:
      return v.coordinator;
    case Visibility::kInstitution:
      return v.coordinator && v.institution.valid() && v.institution == owner;
  }
  return false;
}

bool may_see(const Viewer& v, const Initiative& i) { return !i.is_private || v.coordinator; }

bool may_see(const Viewer& v, const SupportRecord& s) {
  return may_see(v, s.visibility, s.institution);
}

bool may_see(const Viewer& v, const Event& e) { return may_see(v, e.visibility, e.institution); }

std::string shown_name(const Viewer& v, const Initiative& i) {
  if (may_see(v, i)) return i.name;
  return "Unnamed initiative #" + i.id.str();
}

Status check_initiative(const Initiative& i) {
  VECHE_TRY(core::check_text("name", i.name, 200));
  if (core::trim(i.name).empty()) return invalid_argument("The initiative needs a name.");
  VECHE_TRY(core::check_text("organization", i.organization_slug, 64));
  VECHE_TRY(core::check_text("description", i.description, 4000, true));
  VECHE_TRY(core::check_text("contacts", i.contacts, 1000, true));
  VECHE_TRY(check_list("regions", i.regions));
  VECHE_TRY(check_list("minorities", i.minorities));
  VECHE_TRY(check_list("languages", i.languages));
  VECHE_TRY(check_list("host countries", i.host_countries));
  if (i.leadership_women_percent &&
      (*i.leadership_women_percent < 0 || *i.leadership_women_percent > 100)) {
    return invalid_argument("The share of women in the leadership is a percent from 0 to 100.");
  }
  return ok();
}

Result<std::int64_t> parse_amount(std::string_view text) {
  const auto bad = [] {
    return invalid_argument(
        "Write the amount with digits and at most two decimals after a dot, such as 1500.50.");
  };
  text = core::trim(text);
  if (text.empty()) return std::int64_t{0};
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto cents = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 12 || cents.size() > 2 ||
      (dot != std::string_view::npos && cents.empty())) {
    return bad();
  }
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(whole) || !all_digits(cents)) return bad();
  std::int64_t value = 0;
  for (char c : whole) value = value * 10 + (c - '0');
  std::int64_t minor = 0;
  if (!cents.empty()) minor = (cents[0] - '0') * 10 + (cents.size() == 2 ? cents[1] - '0' : 0);
  value = value * 100 + minor;
  if (value > kMaxAmountMinor) return bad();
  return value;
}

Status check_support(const SupportRecord& s) {
  VECHE_TRY(core::check_text("programme", s.programme, 200));
  if (core::trim(s.programme).empty()) {
    return invalid_argument("Name the grant or programme.");
  }
  if (s.amount_minor < 0 || s.amount_minor > kMaxAmountMinor) {
    return invalid_argument("The amount must be between 0 and 100,000,000,000.");
  }
  if (!s.currency.empty() &&
      (s.currency.size() != 3 || !std::all_of(s.currency.begin(), s.currency.end(),
                                              [](char c) { return c >= 'A' && c <= 'Z'; }))) {
    return invalid_argument("The currency is a three-letter ISO 4217 code, such as EUR.");
  }
  if (s.amount_minor > 0 && s.currency.empty()) {
    return invalid_argument("An amount needs its currency.");
  }
  if (s.to < s.from) return invalid_argument("The period ends before it starts.");
  VECHE_TRY(core::check_text("in-kind support", s.in_kind, 500));
  if (s.amount_minor == 0 && !s.permit_sponsorship && core::trim(s.in_kind).empty()) {
    return invalid_argument(
        "A support record gives something: an amount, permit sponsorship or in-kind support.");
  }
  return ok();
}

Status check_event(const Event& e) {
  VECHE_TRY(core::check_text("title", e.title, 200));
  if (core::trim(e.title).empty()) return invalid_argument("The event needs a title.");
  VECHE_TRY(core::check_text("programme", e.programme, 200));
  if (e.total < 0 || e.women < 0 || e.non_russian < 0) {
    return invalid_argument("Participant counts cannot be negative.");
  }
  if (e.total > kMaxParticipants) {
    return invalid_argument("The total of participants is implausibly large.");
  }
  if (e.total == 0) return invalid_argument("The event needs at least one participant.");
  if (e.women > e.total) {
    return invalid_argument(fmt::format(
        "The counts do not add up: {} women among {} participants in all.", e.women, e.total));
  }
  if (e.non_russian > e.total) {
    return invalid_argument(
        fmt::format("The counts do not add up: {} people of non-Russian ethnic origin among {} "
                    "participants in all.",
                    e.non_russian, e.total));
  }
  if (e.regions.size() > 200) return invalid_argument("At most 200 regions of origin.");
  std::int64_t in_regions = 0;
  for (std::size_t i = 0; i < e.regions.size(); ++i) {
    const auto& [region, count] = e.regions[i];
    VECHE_TRY(core::check_text("region", region, 100));
    if (core::trim(region).empty()) return invalid_argument("A region of origin needs a name.");
    if (count < 0) return invalid_argument("Participant counts cannot be negative.");
    for (std::size_t j = 0; j < i; ++j) {
      if (e.regions[j].first == region) {
        return invalid_argument("The region " + region + " is listed twice.");
      }
    }
    in_regions += count;
    if (in_regions > e.total) {
      return invalid_argument(
          fmt::format("The counts do not add up: the regions of origin list more people than "
                      "the {} participants in all.",
                      e.total));
    }
  }
  return ok();
}

std::string_view criterion_name(Criterion c) {
  switch (c) {
    case Criterion::kVisions:
      return "visions";
    case Criterion::kKnowledge:
      return "knowledge";
    case Criterion::kAntiWar:
      return "anti-war";
  }
  return "visions";
}

Status check_assessment(const Assessment& a) {
  for (int s : a.scores) {
    if (s < 1 || s > 5) return invalid_argument("Each criterion is scored from 1 to 5.");
  }
  return core::check_text("note", a.note, 2000, true);
}

Status check_targets(const Targets& t) {
  for (int v : {t.women_bp, t.women_tolerance_bp, t.non_russian_min_bp}) {
    if (v < 0 || v > 10000) return invalid_argument("Targets are percentages from 0 to 100.");
  }
  return ok();
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(",\n", start);
    if (end == std::string_view::npos) end = text.size();
    const auto item = core::trim(text.substr(start, end - start));
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) {
      out.emplace_back(item);
    }
    start = end + 1;
  }
  return out;
}

}  // namespace veche::coordination
