// Seat allocation for party-list questions (docs/protocol.md §12).
//
// A documented local implementation of the highest-averages methods: veche_count (issue 8's
// dependency) has no D'Hondt / Sainte-Laguë yet; when it does, this function should delegate.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "veche/record/election.hpp"

namespace veche::record {

// Lists with fewer than threshold_permille/1000 of all votes get no seat; the rest share
// `seats` by D'Hondt (divisors 1, 2, 3, ...) or Sainte-Laguë (1, 3, 5, ...), one seat at a time
// to the highest quotient; ties go to the lower list index. With no eligible list (or
// kNone), every list gets 0.
std::vector<std::uint32_t> allocate_seats(std::span<const std::uint64_t> votes, std::uint32_t seats,
                                          SeatMethod method, std::uint32_t threshold_permille);

}  // namespace veche::record
