// Highest-averages party-list allocation: D'Hondt (divisors 1, 2, 3, ...) and Sainte-Laguë
// (divisors 1, 3, 5, ...), with a legal threshold and an optional minimum share of seats per
// gender within each party, applied by list order (docs/counting.md, "Party lists").
#include <algorithm>
#include <map>

#include "common.hpp"

namespace veche::count {
namespace {

std::int64_t divisor(Method m, std::int64_t seats_won) {
  return m == Method::kDHondt ? seats_won + 1 : 2 * seats_won + 1;
}

}  // namespace

Result<Report> count_party_list(Method method, const std::vector<PartyList>& parties, int seats,
                                const CountOptions& o) {
  if (method != Method::kDHondt && method != Method::kSainteLague) {
    return invalid_argument("party lists are counted by dhondt or sainte-lague");
  }
  if (parties.empty()) return invalid_argument("no parties");
  if (parties.size() > kMaxCandidates) return too_large("too many parties");
  if (seats < 1 || seats > 100000) return invalid_argument("seats must be between 1 and 100000");
  if (o.threshold_den <= 0 || o.threshold_num < 0 || o.threshold_num > o.threshold_den) {
    return invalid_argument("threshold must be a fraction between 0 and 1");
  }
  if (o.gender_quota_den <= 0 || o.gender_quota_num < 0 ||
      o.gender_quota_num > o.gender_quota_den) {
    return invalid_argument("gender quota must be a fraction between 0 and 1");
  }
  Report r;
  r.method = method;
  r.seats = seats;
  const std::size_t n = parties.size();
  std::int64_t total = 0;
  for (const auto& party : parties) {
    if (party.votes < 0 || party.votes > static_cast<std::int64_t>(kMaxTotalWeight)) {
      return invalid_argument("votes of " + party.name + " out of range");
    }
    if (party.genders.size() != party.candidates.size() && !party.genders.empty()) {
      return invalid_argument("list of " + party.name + ": one gender per candidate");
    }
    r.candidates.push_back(party.name);
    total += party.votes;
  }
  if (total > static_cast<std::int64_t>(kMaxTotalWeight)) return too_large("too many votes");
  r.ballots = static_cast<std::uint64_t>(total);
  r.lot_order = lot_order(n, o.seed);
  const std::vector<int> rank = detail::lot_ranks(r.lot_order);
  PartySeats ps;
  ps.seats.assign(n, 0);
  ps.qualified.assign(n, false);
  std::size_t qualified = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // votes / total >= num / den, exactly.
    ps.qualified[i] =
        parties[i].votes > 0 && static_cast<detail::Int128>(parties[i].votes) * o.threshold_den >=
                                    static_cast<detail::Int128>(o.threshold_num) * total;
    if (ps.qualified[i]) ++qualified;
  }
  if (qualified == 0) return invalid_argument("no party passes the threshold");
  auto capacity = [&](std::size_t i) {
    return parties[i].candidates.empty() ? std::int64_t{1} << 40
                                         : static_cast<std::int64_t>(parties[i].candidates.size());
  };
  for (int s = 1; s <= seats; ++s) {
    int best = -1;
    for (std::size_t i = 0; i < n; ++i) {
      if (!ps.qualified[i] || ps.seats[i] >= capacity(i)) continue;
      if (best < 0) {
        best = static_cast<int>(i);
        continue;
      }
      const auto b = static_cast<std::size_t>(best);
      // votes_i / div_i vs votes_b / div_b by cross-multiplication.
      const detail::Int128 lhs =
          static_cast<detail::Int128>(parties[i].votes) * divisor(method, ps.seats[b]);
      const detail::Int128 rhs =
          static_cast<detail::Int128>(parties[b].votes) * divisor(method, ps.seats[i]);
      if (lhs > rhs ||
          (lhs == rhs && (parties[i].votes > parties[b].votes ||
                          (parties[i].votes == parties[b].votes && rank[i] < rank[b])))) {
        best = static_cast<int>(i);
      }
    }
    if (best < 0) {
      r.notes.push_back("every qualified list is exhausted; " + std::to_string(seats - s + 1) +
                        " seats stay empty");
      break;
    }
    const auto b = static_cast<std::size_t>(best);
    Round round;
    round.number = s;
    round.action = "seat " + std::to_string(s) + " to " + parties[b].name + " (quotient " +
                   std::to_string(parties[b].votes) + "/" +
                   std::to_string(divisor(method, ps.seats[b])) + ")";
    // Equal quotients are resolved by more votes, then by lot: say so when it happened.
    for (std::size_t i = 0; i < n; ++i) {
      if (i == b || !ps.qualified[i] || ps.seats[i] >= capacity(i)) continue;
      if (static_cast<detail::Int128>(parties[i].votes) * divisor(method, ps.seats[b]) ==
          static_cast<detail::Int128>(parties[b].votes) * divisor(method, ps.seats[i])) {
        round.notes.push_back(
            "equal quotient with " + parties[i].name +
            (parties[i].votes == parties[b].votes ? "; decided by lot" : "; more votes wins"));
      }
    }
    ++ps.seats[b];
    round.votes = ps.seats;
    round.elected.push_back(best);
    r.winners.push_back(best);
    r.rounds.push_back(std::move(round));
  }
  // Candidates from each list: list order, then the gender quota.
  ps.elected_list_positions.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const auto& list = parties[i].candidates;
    if (list.empty()) continue;
    const auto s = static_cast<std::size_t>(ps.seats[i]);
    std::vector<int> elected;
    for (std::size_t k = 0; k < s && k < list.size(); ++k) elected.push_back(static_cast<int>(k));
    if (o.gender_quota_num > 0 && !parties[i].genders.empty()) {
      const auto& gender = parties[i].genders;
      std::map<std::string, std::int64_t> required;
      for (const auto& g : gender) {
        required[g] = static_cast<std::int64_t>(s) * o.gender_quota_num / o.gender_quota_den;
      }
      for (;;) {
        std::map<std::string, std::int64_t> have;
        for (int k : elected) ++have[gender[static_cast<std::size_t>(k)]];
        std::string short_of;
        for (const auto& [g, need] : required) {
          if (have[g] < need) {
            short_of = g;
            break;
          }
        }
        if (short_of.empty()) break;
        int in = -1;
        for (std::size_t k = 0; k < list.size(); ++k) {
          if (gender[k] == short_of &&
              std::find(elected.begin(), elected.end(), static_cast<int>(k)) == elected.end()) {
            in = static_cast<int>(k);
            break;
          }
        }
        int out = -1;
        for (auto it = elected.rbegin(); it != elected.rend(); ++it) {
          const auto& g = gender[static_cast<std::size_t>(*it)];
          if (g != short_of && have[g] > required[g]) {
            out = *it;
            break;
          }
        }
        if (in < 0 || out < 0) {
          r.notes.push_back(parties[i].name + ": the list cannot meet the quota for '" + short_of +
                            "'");
          break;
        }
        std::replace(elected.begin(), elected.end(), out, in);
        std::sort(elected.begin(), elected.end());
        r.notes.push_back(parties[i].name + ": quota for '" + short_of + "' moves " +
                          list[static_cast<std::size_t>(in)] + " (position " +
                          std::to_string(in + 1) + ") in place of " +
                          list[static_cast<std::size_t>(out)] + " (position " +
                          std::to_string(out + 1) + ")");
      }
    }
    ps.elected_list_positions[i] = elected;
  }
  ps.elected_names.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    for (int k : ps.elected_list_positions[i]) {
      ps.elected_names[i].push_back(parties[i].candidates[static_cast<std::size_t>(k)]);
    }
  }
  r.party = std::move(ps);
  return r;
}

Result<Report> count_party_list(Method method, const Profile& in, const CountOptions& o) {
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/true, storage);
  std::vector<PartyList> parties(p.num_candidates());
  for (std::size_t c = 0; c < p.num_candidates(); ++c) parties[c].name = p.candidates[c];
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    auto b = p.ballot(g);
    if (!b.empty()) parties[candidate_of(b[0])].votes += static_cast<std::int64_t>(p.weights[g]);
  }
  VECHE_ASSIGN_OR_RETURN(Report r,
                         count_party_list(method, parties, o.seats > 0 ? o.seats : p.seats, o));
  r.title = p.title;
  r.invalid_ballots = p.invalid_ballots;
  r.distinct_ballots = p.num_groups();
  r.ballots = p.total_weight();
  return r;
}

}  // namespace veche::count
