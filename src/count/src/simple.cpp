// Plurality, approval and instant-runoff.
#include <algorithm>

#include "common.hpp"

namespace veche::count {
namespace {

using detail::break_tie;
using detail::lot_ranks;

std::vector<CandidateState> initial_states(const Profile& p, const CountOptions& o) {
  std::vector<CandidateState> s(p.num_candidates(), CandidateState::kHopeful);
  if (o.ballot.apply_withdrawals) {
    for (std::size_t c = 0; c < s.size(); ++c) {
      if (c < p.withdrawn.size() && p.withdrawn[c]) s[c] = CandidateState::kWithdrawn;
    }
  }
  return s;
}

Status enough_candidates(const std::vector<CandidateState>& states, int seats) {
  const auto standing = std::count_if(states.begin(), states.end(), [](CandidateState s) {
    return s != CandidateState::kWithdrawn;
  });
  if (standing < seats) {
    return invalid_argument("only " + std::to_string(standing) + " candidates stand for " +
                            std::to_string(seats) + " seats");
  }
  return ok();
}

// Winners of a score count: the `seats` highest scores among standing candidates, ties by lot.
void pick_by_score(Report& r, const std::vector<std::int64_t>& score,
                   const std::vector<CandidateState>& states) {
  const std::vector<int> rank = lot_ranks(r.lot_order);
  std::vector<int> standing;
  for (std::size_t c = 0; c < states.size(); ++c) {
    if (states[c] != CandidateState::kWithdrawn) standing.push_back(static_cast<int>(c));
  }
  std::vector<int> order = detail::order_by_votes(standing, score, rank);
  r.winners.assign(order.begin(), order.begin() + r.seats);
  const auto last = static_cast<std::size_t>(order[static_cast<std::size_t>(r.seats) - 1]);
  if (static_cast<std::size_t>(r.seats) < order.size() &&
      score[static_cast<std::size_t>(order[static_cast<std::size_t>(r.seats)])] == score[last]) {
    std::vector<int> tied;
    for (int c : order) {
      if (score[static_cast<std::size_t>(c)] == score[last]) tied.push_back(c);
    }
    r.notes.push_back("tie at the last seat among " + detail::join_names(tied, r.candidates) +
                      " decided by lot (the lot order)");
  }
  r.ranking.clear();
  for (auto& level : detail::levels_by_score(score, rank)) {
    std::vector<int> kept;
    for (int c : level) {
      if (states[static_cast<std::size_t>(c)] != CandidateState::kWithdrawn) kept.push_back(c);
    }
    if (!kept.empty()) r.ranking.push_back(kept);
  }
  Round round;
  round.number = 1;
  round.action = r.method == Method::kApproval ? "approvals" : "first preferences";
  round.votes = score;
  round.states = states;
  for (int w : r.winners) round.states[static_cast<std::size_t>(w)] = CandidateState::kElected;
  round.elected = r.winners;
  r.rounds.push_back(std::move(round));
}

}  // namespace

Result<Report> count_plurality(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kPlurality, in, o, 1));
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/true, storage);
  auto states = initial_states(p, o);
  VECHE_TRY(enough_candidates(states, r.seats));
  std::vector<std::int64_t> votes(p.num_candidates(), 0);
  std::int64_t blank = 0;
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    auto b = p.ballot(g);
    const auto w = static_cast<std::int64_t>(p.weights[g]);
    if (b.empty()) {
      blank += w;
    } else {
      votes[candidate_of(b[0])] += w;
    }
  }
  r.ballots = p.total_weight();
  r.invalid_ballots = p.invalid_ballots;
  r.distinct_ballots = p.num_groups();
  pick_by_score(r, votes, states);
  r.rounds.back().exhausted = blank;
  return r;
}

Result<Report> count_approval(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kApproval, in, o, 1));
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/false, storage);
  auto states = initial_states(p, o);
  VECHE_TRY(enough_candidates(states, r.seats));
  std::vector<std::int64_t> votes(p.num_candidates(), 0);
  const bool rated = !p.ratings.empty();
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    auto b = p.ballot(g);
    const auto w = static_cast<std::int64_t>(p.weights[g]);
    for (std::size_t k = 0; k < b.size(); ++k) {
      // A rated ballot approves the candidates it rates above zero; a ranked one all it lists.
      if (rated && p.ratings[p.offsets[g] + k] <= 0) continue;
      votes[candidate_of(b[k])] += w;
    }
  }
  r.ballots = p.total_weight();
  r.invalid_ballots = p.invalid_ballots;
  r.distinct_ballots = p.num_groups();
  pick_by_score(r, votes, states);
  return r;
}

// Instant-runoff: count first preferences among continuing candidates; a candidate with more
// than half of the continuing votes (or of all valid votes, per the option) wins; otherwise
// the candidate with the fewest votes is excluded (ties: look back to the latest round where the
// tied candidates differed, then by lot) and the ballots move to their next continuing choice.
Result<Report> count_instant_runoff(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kInstantRunoff, in, o, 1));
  if (r.seats != 1) {
    return invalid_argument("instant-runoff fills one seat; use scottish or meek for more");
  }
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/true, storage);
  auto states = initial_states(p, o);
  VECHE_TRY(enough_candidates(states, 1));
  const std::size_t n = p.num_candidates();
  const std::vector<int> rank = lot_ranks(r.lot_order);
  r.ballots = p.total_weight();
  r.invalid_ballots = p.invalid_ballots;
  r.distinct_ballots = p.num_groups();
  std::vector<std::uint32_t> pos(p.num_groups(), 0);
  std::vector<std::vector<std::uint32_t>> piles(n);
  std::vector<std::int64_t> votes(n, 0);
  std::int64_t exhausted = 0;
  auto place = [&](std::uint32_t g) {
    auto b = p.ballot(g);
    while (pos[g] < b.size() && states[candidate_of(b[pos[g]])] != CandidateState::kHopeful) {
      ++pos[g];
    }
    const auto w = static_cast<std::int64_t>(p.weights[g]);
    if (pos[g] < b.size()) {
      const Item c = candidate_of(b[pos[g]]);
      piles[c].push_back(g);
      votes[c] += w;
    } else {
      exhausted += w;
    }
  };
  for (std::uint32_t g = 0; g < p.num_groups(); ++g) place(g);
  const auto valid = static_cast<std::int64_t>(r.ballots);
  for (int number = 1;; ++number) {
    Round round;
    round.number = number;
    round.action = number == 1 ? "first preferences" : "transfer";
    round.votes = votes;
    round.exhausted = exhausted;
    std::vector<int> hopeful;
    std::int64_t continuing = 0;
    for (std::size_t c = 0; c < n; ++c) {
      if (states[c] == CandidateState::kHopeful) {
        hopeful.push_back(static_cast<int>(c));
        continuing += votes[c];
      }
    }
    int leader = hopeful[0];
    for (int c : hopeful) {
      if (votes[static_cast<std::size_t>(c)] > votes[static_cast<std::size_t>(leader)]) leader = c;
    }
    const std::int64_t base = o.irv_majority_of_continuing ? continuing : valid;
    const std::int64_t lv = votes[static_cast<std::size_t>(leader)];
    if (hopeful.size() == 1 || 2 * lv > base) {
      states[static_cast<std::size_t>(leader)] = CandidateState::kElected;
      round.elected.push_back(leader);
      round.notes.push_back(
          hopeful.size() == 1
              ? "last continuing candidate"
              : "more than half of the " +
                    std::string(o.irv_majority_of_continuing ? "continuing votes" : "valid votes"));
      round.states = states;
      r.rounds.push_back(std::move(round));
      r.winners.push_back(leader);
      break;
    }
    std::int64_t low = votes[static_cast<std::size_t>(hopeful[0])];
    for (int c : hopeful) low = std::min(low, votes[static_cast<std::size_t>(c)]);
    std::vector<int> tied;
    for (int c : hopeful) {
      if (votes[static_cast<std::size_t>(c)] == low) tied.push_back(c);
    }
    round.states = states;
    r.rounds.push_back(std::move(round));
    int out = tied[0];
    if (tied.size() > 1) {
      out = break_tie(tied, r.rounds, /*lowest=*/true, /*look_back=*/true, rank, r.candidates,
                      r.rounds.back().notes, "exclusion");
    }
    const auto uo = static_cast<std::size_t>(out);
    states[uo] = CandidateState::kExcluded;
    r.rounds.back().excluded.push_back(out);
    r.rounds.back().states[uo] = CandidateState::kExcluded;
    std::vector<std::uint32_t> moving = std::move(piles[uo]);
    piles[uo].clear();
    votes[uo] = 0;
    for (std::uint32_t g : moving) place(g);
  }
  return r;
}

}  // namespace veche::count
