// docs/protocol.md §12 (seats), through veche::count's party-list count.
#include "veche/record/seats.hpp"

#include <cstddef>
#include <string>

#include "veche/count/methods.hpp"

namespace veche::record {

Result<std::vector<std::uint32_t>> allocate_seats(std::span<const std::uint64_t> votes,
                                                  std::uint32_t seats, SeatMethod method,
                                                  std::uint32_t threshold_permille,
                                                  const crypto::Digest& lot_seed) {
  std::vector<std::uint32_t> out(votes.size(), 0);
  if (method == SeatMethod::kNone || seats == 0 || votes.empty()) return out;
  std::vector<count::PartyList> parties(votes.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < votes.size(); ++i) {
    if (votes[i] > count::kMaxTotalWeight || total + votes[i] > count::kMaxTotalWeight) {
      return too_large("more votes than the counting library takes");
    }
    total += votes[i];
    parties[i].name = "list " + std::to_string(i + 1);
    parties[i].votes = static_cast<std::int64_t>(votes[i]);
  }
  // The counting library calls "no list passes the threshold" an error; here it means no seats.
  bool any = false;
  for (const auto v : votes) {
    any = any || (v > 0 && v * 1000 >= total * threshold_permille);
  }
  if (!any) return out;
  count::CountOptions options;
  options.threshold_num = threshold_permille;
  options.threshold_den = 1000;
  for (std::size_t i = 0; i < lot_seed.size(); ++i) {
    options.seed[i] = static_cast<std::byte>(lot_seed[i]);
  }
  const auto m =
      method == SeatMethod::kDhondt ? count::Method::kDHondt : count::Method::kSainteLague;
  VECHE_ASSIGN_OR_RETURN(const count::Report report,
                         count::count_party_list(m, parties, static_cast<int>(seats), options));
  VECHE_CHECK(report.party.has_value() && report.party->seats.size() == votes.size(),
              "a party-list count reports the seats of every list");
  for (std::size_t i = 0; i < votes.size(); ++i) {
    out[i] = static_cast<std::uint32_t>(report.party->seats[i]);
  }
  return out;
}

}  // namespace veche::record
