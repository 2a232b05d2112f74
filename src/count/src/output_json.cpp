#include <boost/json.hpp>

#include "veche/count/output.hpp"

namespace veche::count {
namespace {

namespace json = boost::json;

const char* state_name(CandidateState s) {
  switch (s) {
    case CandidateState::kHopeful:
      return "hopeful";
    case CandidateState::kElected:
      return "elected";
    case CandidateState::kExcluded:
      return "excluded";
    case CandidateState::kWithdrawn:
      return "withdrawn";
  }
  return "hopeful";
}

json::array ints(const std::vector<int>& v) {
  json::array a;
  for (int x : v) a.emplace_back(x);
  return a;
}

json::array amounts(const std::vector<std::int64_t>& v, std::int64_t scale) {
  json::array a;
  for (auto x : v) a.emplace_back(format_amount(x, scale));
  return a;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::array matrix(const std::vector<std::vector<std::int64_t>>& m) {
  json::array a;
  for (const auto& row : m) {
    json::array r;
    for (auto x : row) r.emplace_back(x);
    a.emplace_back(std::move(r));
  }
  return a;
}

}  // namespace

std::string format_amount(std::int64_t amount, std::int64_t scale) {
  if (scale <= 1) return std::to_string(amount);
  const bool negative = amount < 0;
  const std::uint64_t a =
      negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
  const auto s = static_cast<std::uint64_t>(scale);
  std::string frac = std::to_string(a % s);
  std::string digits = std::to_string(s - 1);  // as many digits as the scale has zeros
  frac.insert(0, digits.size() - frac.size(), '0');
  return (negative ? "-" : "") + std::to_string(a / s) + "." + frac;
}

std::string to_json(const Report& r) {
  json::object o;
  o["method"] = method_name(r.method);
  o["title"] = r.title;
  o["candidates"] = strings(r.candidates);
  o["seats"] = r.seats;
  o["scale"] = r.scale;
  o["ballots"] = r.ballots;
  o["invalid_ballots"] = r.invalid_ballots;
  o["distinct_ballots"] = r.distinct_ballots;
  o["winners"] = ints(r.winners);
  {
    json::array names;
    for (int w : r.winners) names.emplace_back(r.candidates[static_cast<std::size_t>(w)]);
    o["winner_names"] = std::move(names);
  }
  if (!r.ranking.empty()) {
    json::array levels;
    for (const auto& level : r.ranking) levels.emplace_back(ints(level));
    o["ranking"] = std::move(levels);
  }
  json::array rounds;
  for (const auto& round : r.rounds) {
    json::object x;
    x["round"] = round.number;
    x["action"] = round.action;
    x["votes"] = amounts(round.votes, r.scale);
    json::array states;
    for (auto s : round.states) states.emplace_back(state_name(s));
    x["states"] = std::move(states);
    x["elected"] = ints(round.elected);
    x["excluded"] = ints(round.excluded);
    x["exhausted"] = format_amount(round.exhausted, r.scale);
    if (round.quota != 0) x["quota"] = format_amount(round.quota, r.scale);
    if (r.method == Method::kScottishStv)
      x["loss_of_fractions"] = format_amount(round.loss, r.scale);
    if (round.from >= 0) x["from"] = round.from;
    if (round.transfer_value != 0)
      x["transfer_value"] = format_amount(round.transfer_value, r.scale);
    if (!round.keep_factors.empty()) {
      x["keep_factors"] = amounts(round.keep_factors, r.scale);
      x["surplus"] = format_amount(round.surplus, r.scale);
      x["iterations"] = round.iterations;
    }
    if (!round.notes.empty()) x["notes"] = strings(round.notes);
    rounds.emplace_back(std::move(x));
  }
  o["rounds"] = std::move(rounds);
  if (!r.pairwise.empty()) o["pairwise"] = matrix(r.pairwise);
  if (!r.strongest.empty()) o["strongest_paths"] = matrix(r.strongest);
  if (!r.locked.empty()) {
    json::array a;
    for (const auto& [x, y] : r.locked) a.emplace_back(json::array{x, y});
    o["locked"] = std::move(a);
  }
  if (!r.median_grades.empty()) {
    json::array a;
    for (auto g : r.median_grades) a.emplace_back(g);
    o["median_grades"] = std::move(a);
  }
  if (r.party) {
    json::object p;
    json::array seats;
    for (auto s : r.party->seats) seats.emplace_back(s);
    p["seats"] = std::move(seats);
    json::array q;
    for (bool b : r.party->qualified) q.emplace_back(b);
    p["qualified"] = std::move(q);
    json::array lists;
    for (const auto& l : r.party->elected_list_positions) lists.emplace_back(ints(l));
    p["elected_list_positions"] = std::move(lists);
    json::array names;
    for (const auto& l : r.party->elected_names) {
      json::array one;
      for (const auto& name : l) one.emplace_back(json::string_view(name.data(), name.size()));
      names.emplace_back(std::move(one));
    }
    p["elected_names"] = std::move(names);
    o["party_seats"] = std::move(p);
  }
  o["lot_order"] = ints(r.lot_order);
  o["notes"] = strings(r.notes);
  return json::serialize(o);
}

}  // namespace veche::count
