#include "veche/record/seats.hpp"

#include <gtest/gtest.h>

namespace veche::record {
namespace {

using Seats = std::vector<std::uint32_t>;

TEST(Seats, DhondtTextbookExample) {
  // 7 seats; 100000, 80000, 30000, 20000 -> 3, 3, 1, 0 (the Wikipedia example).
  const std::vector<std::uint64_t> votes = {100000, 80000, 30000, 20000};
  EXPECT_EQ(allocate_seats(votes, 8, SeatMethod::kDhondt, 0), (Seats{4, 3, 1, 0}));
  EXPECT_EQ(allocate_seats(votes, 7, SeatMethod::kDhondt, 0), (Seats{3, 3, 1, 0}));
}

TEST(Seats, SainteLagueFavoursSmallerListsMoreThanDhondt) {
  const std::vector<std::uint64_t> votes = {100000, 80000, 30000, 20000};
  EXPECT_EQ(allocate_seats(votes, 8, SeatMethod::kSainteLague, 0), (Seats{3, 3, 1, 1}));
}

TEST(Seats, ThresholdExcludesSmallLists) {
  const std::vector<std::uint64_t> votes = {600, 350, 49};  // 49 of 999 < 5%
  EXPECT_EQ(allocate_seats(votes, 10, SeatMethod::kDhondt, 50), (Seats{6, 4, 0}));
  EXPECT_EQ(allocate_seats(votes, 10, SeatMethod::kDhondt, 0)[2], 0U);
}

TEST(Seats, TiesGoToTheLowerListAndNoVotesNoSeats) {
  const std::vector<std::uint64_t> votes = {10, 10};
  EXPECT_EQ(allocate_seats(votes, 1, SeatMethod::kDhondt, 0), (Seats{1, 0}));
  const std::vector<std::uint64_t> none = {0, 0};
  EXPECT_EQ(allocate_seats(none, 3, SeatMethod::kDhondt, 0), (Seats{0, 0}));
  EXPECT_EQ(allocate_seats(votes, 3, SeatMethod::kNone, 0), (Seats{0, 0}));
}

}  // namespace
}  // namespace veche::record
