// Seat allocation for party-list questions (docs/protocol.md §12).
//
// Delegates to the counting library's highest-averages methods (veche::count, the code behind
// `veche count --method dhondt|sainte-lague`), so an election's seats and a count of the same
// votes agree by construction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "veche/core/result.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/record/election.hpp"

namespace veche::record {

// Lists with fewer than threshold_permille/1000 of all votes get no seat; the rest share
// `seats` by D'Hondt (divisors 1, 2, 3, ...) or Sainte-Laguë (1, 3, 5, ...), one seat at a time
// to the highest quotient. Equal quotients go to the list with more votes, then by the lot of
// veche::count seeded with `lot_seed` (the election fingerprint, §12). With no eligible list
// (or kNone) every list gets 0. kInvalidArgument / kTooLarge from the counting library when the
// votes are out of its range (more than 2,000,000,000 in all).
Result<std::vector<std::uint32_t>> allocate_seats(std::span<const std::uint64_t> votes,
                                                  std::uint32_t seats, SeatMethod method,
                                                  std::uint32_t threshold_permille,
                                                  const crypto::Digest& lot_seed);

}  // namespace veche::record
