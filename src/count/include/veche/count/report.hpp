// The structured result of a count: winners or ranking, and every round or pairwise step, enough
// to draw and to explain the count (JSON, text table and SVG chart in output.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace veche::count {

enum class Method {
  kPlurality,
  kApproval,
  kInstantRunoff,
  kSchulze,
  kRankedPairs,
  kMajorityJudgment,
  kDHondt,
  kSainteLague,
  kScottishStv,
  kMeekStv,
};

// "plurality", "approval", "irv", "schulze", "ranked-pairs", "majority-judgment", "dhondt",
// "sainte-lague", "scottish", "meek".
const char* method_name(Method method);
std::optional<Method> method_from_name(std::string_view name);

enum class CandidateState { kHopeful, kElected, kExcluded, kWithdrawn };

// One round (STV stage, IRV round, allocation step). Vote amounts are fixed-point integers in
// units of 1/Report::scale (scale 1 for whole votes, 100000 for Scottish STV, 10^9 for Meek).
struct Round {
  int number = 0;
  std::string action;                  // "first preferences", "surplus of X", "exclusion of X", ...
  std::vector<std::int64_t> votes;     // per candidate, at the end of the round
  std::vector<CandidateState> states;  // per candidate, at the end of the round
  std::vector<int> elected;            // candidates elected in this round, in order
  std::vector<int> excluded;           // candidates excluded in this round
  std::int64_t exhausted = 0;          // non-transferable so far
  std::int64_t loss = 0;               // lost to truncation so far (Scottish STV)
  std::int64_t quota = 0;              // 0 when the method has none
  int from = -1;                       // candidate whose votes moved in this round, if any
  std::int64_t transfer_value = 0;     // Scottish STV surplus transfers (scale units)
  std::vector<std::int64_t> keep_factors;  // Meek, per candidate (scale units)
  std::int64_t surplus = 0;                // Meek: total surplus at the end of the round
  int iterations = 0;                      // Meek: iterations in this round
  std::vector<std::string> notes;          // tie-breaks and rule citations
};

// A party-list allocation (D'Hondt, Sainte-Laguë).
struct PartySeats {
  std::vector<std::int64_t> seats;                       // per party
  std::vector<bool> qualified;                           // passed the threshold
  std::vector<std::vector<int>> elected_list_positions;  // per party, 0-based list positions
  std::vector<std::vector<std::string>> elected_names;   // per party, the names at those positions
};

struct Report {
  Method method = Method::kPlurality;
  std::string title;
  std::vector<std::string> candidates;
  int seats = 1;
  std::int64_t scale = 1;
  std::uint64_t ballots = 0;          // voters counted (valid)
  std::uint64_t invalid_ballots = 0;  // set aside by a ballot option
  std::uint64_t distinct_ballots = 0;
  std::vector<int> winners;  // in order of election (or of the ranking for single lists)
  // Full ranking (Schulze, ranked pairs, majority judgment, plurality, approval): levels of
  // candidates, best first; a level with several candidates is a tie the method leaves open.
  std::vector<std::vector<int>> ranking;
  std::vector<Round> rounds;
  std::vector<std::vector<std::int64_t>> pairwise;   // d[i][j]: voters preferring i to j
  std::vector<std::vector<std::int64_t>> strongest;  // Schulze p[i][j]
  std::vector<std::pair<int, int>> locked;           // ranked pairs, in locking order
  std::vector<std::int32_t> median_grades;           // majority judgment, per candidate
  std::optional<PartySeats> party;
  std::vector<int> lot_order;      // the drawn order used for ties by lot (first = favoured)
  std::vector<std::string> notes;  // tie-breaks and rule remarks for the whole count
};

}  // namespace veche::count
