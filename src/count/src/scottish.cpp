// Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
// rules 45-52, as used for the Glasgow 2007 count.
//
// - Rule 46: quota = (valid ballots / (seats + 1)), fractions ignored, plus 1.
// - Rule 47: a candidate whose votes equal or exceed the quota is elected.
// - Rule 48: a surplus (votes above the quota) is transferred by sorting ALL ballot papers the
//   candidate holds by their next available preference for a continuing candidate; each paper
//   moves at (surplus x the paper's value when received) / (the candidate's total votes),
//   calculated to five decimal places, any remainder ignored. Papers with no next preference are
//   non-transferable; what truncation drops is the loss of fractions.
// - Rule 49: the largest surplus first; equal surpluses: the candidate with more votes at the
//   latest stage where they differed first; equal at every stage: by lot.
// - Rule 50: when no surplus remains, the candidate with the fewest votes is excluded and all
//   their papers move at the value they hold; ties: fewest votes at the latest stage where the
//   tied candidates differed; equal at every stage: by lot.
// - Rule 52: when the continuing candidates are as many as the vacancies left, they are elected;
//   with one vacancy left, a candidate whose votes reach the votes of all other continuing
//   candidates plus the surpluses not yet transferred is elected; no further transfer is made.
// All amounts are integers in units of 10^-5 votes.
#include <algorithm>

#include "common.hpp"

namespace veche::count {
namespace {

constexpr std::int64_t kScale = 100000;

}  // namespace

Result<Report> count_scottish_stv(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kScottishStv, in, o, kScale));
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/true, storage);
  const std::size_t n = p.num_candidates();
  const std::vector<int> rank = detail::lot_ranks(r.lot_order);
  std::vector<CandidateState> states(n, CandidateState::kHopeful);
  for (std::size_t c = 0; c < n; ++c) {
    if (o.ballot.apply_withdrawals && p.withdrawn[c]) states[c] = CandidateState::kWithdrawn;
  }
  const auto standing =
      static_cast<int>(std::count(states.begin(), states.end(), CandidateState::kHopeful));
  if (standing < r.seats) return invalid_argument("fewer standing candidates than seats");

  std::uint64_t valid = 0;
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    if (!p.ballot(g).empty()) valid += p.weights[g];
  }
  r.ballots = valid;
  r.invalid_ballots = p.invalid_ballots + (p.total_weight() - valid);
  r.distinct_ballots = p.num_groups();
  const std::int64_t quota = (static_cast<std::int64_t>(valid) / (r.seats + 1) + 1) * kScale;

  std::vector<std::uint32_t> pos(p.num_groups(), 0);
  std::vector<std::int64_t> value(p.num_groups(), kScale);
  std::vector<std::vector<std::uint32_t>> piles(n);
  std::vector<std::int64_t> votes(n, 0);
  std::int64_t exhausted = 0;
  std::int64_t loss = 0;
  // Moves group g on to its next continuing candidate, at its current value.
  auto place = [&](std::uint32_t g) {
    auto b = p.ballot(g);
    while (pos[g] < b.size() && states[candidate_of(b[pos[g]])] != CandidateState::kHopeful) {
      ++pos[g];
    }
    const auto amount = static_cast<std::int64_t>(p.weights[g]) * value[g];
    if (pos[g] < b.size()) {
      const Item c = candidate_of(b[pos[g]]);
      piles[c].push_back(g);
      votes[c] += amount;
    } else {
      exhausted += amount;
    }
  };
  for (std::uint32_t g = 0; g < p.num_groups(); ++g) {
    if (!p.ballot(g).empty()) place(g);
  }

  int elected_count = 0;
  std::vector<int> pending;  // elected, surplus not yet transferred, in order of election
  auto hopefuls = [&] {
    std::vector<int> h;
    for (std::size_t c = 0; c < n; ++c) {
      if (states[c] == CandidateState::kHopeful) h.push_back(static_cast<int>(c));
    }
    return h;
  };
  auto elect = [&](int c, Round& round) {
    states[static_cast<std::size_t>(c)] = CandidateState::kElected;
    round.elected.push_back(c);
    r.winners.push_back(c);
    ++elected_count;
    pending.push_back(c);
  };
  // Rule 47: everyone at or above the quota, most votes first (ties: look back, then lot).
  auto elect_reaching_quota = [&](Round& round) {
    std::vector<int> reach;
    for (int c : hopefuls()) {
      if (votes[static_cast<std::size_t>(c)] >= quota) reach.push_back(c);
    }
    while (!reach.empty()) {
      std::int64_t top = 0;
      for (int c : reach) top = std::max(top, votes[static_cast<std::size_t>(c)]);
      std::vector<int> tied;
      for (int c : reach) {
        if (votes[static_cast<std::size_t>(c)] == top) tied.push_back(c);
      }
      int c = tied[0];
      if (tied.size() > 1) {
        c = detail::break_tie(tied, r.rounds, /*lowest=*/false, /*look_back=*/true, rank,
                              r.candidates, round.notes, "order of election");
      }
      elect(c, round);
      std::erase(reach, c);
    }
  };
  auto finish_round = [&](Round& round) {
    round.votes = votes;
    round.states = states;
    round.exhausted = exhausted;
    round.loss = loss;
    round.quota = quota;
    round.number = static_cast<int>(r.rounds.size()) + 1;
    r.rounds.push_back(std::move(round));
    if (o.progress != nullptr) {
      o.progress(o.progress_context,
                 static_cast<double>(elected_count) / static_cast<double>(r.seats));
    }
  };

  {
    Round first;
    first.action = "first preferences";
    // Look-back for ties in the first stage has nothing to look at; record the stage first.
    Round snapshot;
    snapshot.number = 1;
    snapshot.votes = votes;
    r.rounds.push_back(std::move(snapshot));
    elect_reaching_quota(first);
    r.rounds.pop_back();
    finish_round(first);
  }

  while (elected_count < r.seats) {
    std::vector<int> h = hopefuls();
    Round round;
    // Rule 52(1).
    if (static_cast<int>(h.size()) + elected_count <= r.seats) {
      round.action = "last vacancies filled by the remaining candidates (rule 52(1))";
      for (int c : detail::order_by_votes(h, votes, rank)) elect(c, round);
      finish_round(round);
      break;
    }
    // Rule 52(2).
    if (elected_count == r.seats - 1) {
      std::int64_t untransferred = 0;
      for (int c : pending) untransferred += votes[static_cast<std::size_t>(c)] - quota;
      std::int64_t all = 0;
      for (int c : h) all += votes[static_cast<std::size_t>(c)];
      std::vector<int> leaders;
      for (int c : h) {
        const std::int64_t v = votes[static_cast<std::size_t>(c)];
        if (v >= all - v + untransferred) leaders.push_back(c);
      }
      if (leaders.size() == 1) {
        round.action =
            "last vacancy: votes not less than all other continuing candidates "
            "together with surpluses not transferred (rule 52(2))";
        elect(leaders[0], round);
        finish_round(round);
        break;
      }
    }
    // Rule 48/49: transfer the largest surplus.
    std::erase_if(pending, [&](int c) { return votes[static_cast<std::size_t>(c)] <= quota; });
    if (!pending.empty()) {
      std::int64_t top = 0;
      for (int c : pending) top = std::max(top, votes[static_cast<std::size_t>(c)] - quota);
      std::vector<int> tied;
      for (int c : pending) {
        if (votes[static_cast<std::size_t>(c)] - quota == top) tied.push_back(c);
      }
      int from = tied[0];
      if (tied.size() > 1) {
        from = detail::break_tie(tied, r.rounds, /*lowest=*/false, /*look_back=*/true, rank,
                                 r.candidates, round.notes, "order of surplus transfer");
      }
      std::erase(pending, from);
      const auto uf = static_cast<std::size_t>(from);
      const std::int64_t surplus = votes[uf] - quota;
      const std::int64_t total = votes[uf];
      round.action = "surplus of " + r.candidates[uf];
      round.from = from;
      std::vector<std::uint32_t> moving = std::move(piles[uf]);
      piles[uf].clear();
      std::int64_t moved = 0;
      for (std::uint32_t g : moving) {
        // (surplus x value when received) / total votes, to five decimals, remainder ignored.
        value[g] =
            static_cast<std::int64_t>(static_cast<detail::Int128>(surplus) * value[g] / total);
        moved += static_cast<std::int64_t>(p.weights[g]) * value[g];
        place(g);
      }
      // The ratio applied to every paper (a first-preference paper moves at exactly this).
      round.transfer_value =
          static_cast<std::int64_t>(static_cast<detail::Int128>(surplus) * kScale / total);
      loss += surplus - moved;
      votes[uf] = quota;
      elect_reaching_quota(round);
      finish_round(round);
      continue;
    }
    // Rule 50: exclude the lowest.
    std::int64_t low = votes[static_cast<std::size_t>(h[0])];
    for (int c : h) low = std::min(low, votes[static_cast<std::size_t>(c)]);
    std::vector<int> tied;
    for (int c : h) {
      if (votes[static_cast<std::size_t>(c)] == low) tied.push_back(c);
    }
    int out = tied[0];
    if (tied.size() > 1) {
      out = detail::break_tie(tied, r.rounds, /*lowest=*/true, /*look_back=*/true, rank,
                              r.candidates, round.notes, "exclusion");
    }
    const auto uo = static_cast<std::size_t>(out);
    states[uo] = CandidateState::kExcluded;
    round.action = "exclusion of " + r.candidates[uo];
    round.from = out;
    round.excluded.push_back(out);
    std::vector<std::uint32_t> moving = std::move(piles[uo]);
    piles[uo].clear();
    votes[uo] = 0;
    for (std::uint32_t g : moving) place(g);
    elect_reaching_quota(round);
    finish_round(round);
  }
  return r;
}

}  // namespace veche::count
