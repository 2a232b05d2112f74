// Helpers shared by the methods: report skeletons, tie-breaks, sorting by votes.
#pragma once

#include <string>
#include <vector>

#include "veche/count/methods.hpp"

namespace veche::count::detail {

// 128-bit intermediate products of fixed-point arithmetic (a GCC/Clang extension).
__extension__ using Int128 = __int128;

// Fills the fields every report has and checks seats and candidate counts.
Result<Report> start_report(Method method, const Profile& profile, const CountOptions& options,
                            std::int64_t scale);

// Position of each candidate in the lot order (0 = favoured).
std::vector<int> lot_ranks(const std::vector<int>& order);

// Breaks a tie among `tied` (size >= 2): looks back through `rounds` from the most recent to the
// first for the latest round where the tied candidates' votes differed, narrowing to those with
// the fewest (`lowest`) or most votes there, and repeats; what is left is decided by lot. Returns
// the chosen candidate and appends a note saying how.
int break_tie(std::vector<int> tied, const std::vector<Round>& rounds, bool lowest, bool look_back,
              const std::vector<int>& lot_rank, const std::vector<std::string>& names,
              std::vector<std::string>& notes, const std::string& what);

// Orders candidates by votes descending; equal votes by lot order. Returns the order and appends
// notes for the ties it broke by lot.
std::vector<int> order_by_votes(const std::vector<int>& candidates,
                                const std::vector<std::int64_t>& votes,
                                const std::vector<int>& lot_rank);

// Ranking levels from scores: equal scores share a level.
std::vector<std::vector<int>> levels_by_score(const std::vector<std::int64_t>& score,
                                              const std::vector<int>& lot_rank);

std::string join_names(const std::vector<int>& who, const std::vector<std::string>& names);

}  // namespace veche::count::detail
