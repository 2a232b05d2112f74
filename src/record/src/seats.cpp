// docs/protocol.md §12 (seats).
#include "veche/record/seats.hpp"

namespace veche::record {

namespace {
__extension__ typedef unsigned __int128 Wide;  // exact products of 64-bit counts
}  // namespace

std::vector<std::uint32_t> allocate_seats(std::span<const std::uint64_t> votes, std::uint32_t seats,
                                          SeatMethod method, std::uint32_t threshold_permille) {
  std::vector<std::uint32_t> out(votes.size(), 0);
  if (method == SeatMethod::kNone) return out;
  Wide total = 0;
  for (const auto v : votes) total += v;
  std::vector<bool> eligible(votes.size());
  bool any = false;
  for (std::size_t i = 0; i < votes.size(); ++i) {
    // votes/total >= permille/1000, in integers
    eligible[i] = votes[i] > 0 && static_cast<Wide>(votes[i]) * 1000 >= total * threshold_permille;
    any = any || eligible[i];
  }
  if (!any) return out;
  for (std::uint32_t s = 0; s < seats; ++s) {
    std::size_t best = votes.size();
    for (std::size_t i = 0; i < votes.size(); ++i) {
      if (!eligible[i]) continue;
      if (best == votes.size()) {
        best = i;
        continue;
      }
      // Compare votes[i]/d(i) > votes[best]/d(best) exactly: cross-multiply.
      auto divisor = [&](std::size_t k) -> Wide {
        return method == SeatMethod::kDhondt ? out[k] + 1U : 2U * out[k] + 1U;
      };
      if (static_cast<Wide>(votes[i]) * divisor(best) >
          static_cast<Wide>(votes[best]) * divisor(i)) {
        best = i;
      }
    }
    ++out[best];
  }
  return out;
}

}  // namespace veche::record
