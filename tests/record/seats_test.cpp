#include "veche/record/seats.hpp"

#include <gtest/gtest.h>

#include "veche/count/methods.hpp"

namespace veche::record {
namespace {

using Seats = std::vector<std::uint32_t>;

Seats seats_of(std::span<const std::uint64_t> votes, std::uint32_t seats, SeatMethod method,
               std::uint32_t permille, const crypto::Digest& seed = {}) {
  auto r = allocate_seats(votes, seats, method, permille, seed);
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r ? *r : Seats{};
}

TEST(Seats, DhondtTextbookExample) {
  // 7 seats; 100000, 80000, 30000, 20000 -> 3, 3, 1, 0 (the Wikipedia example).
  const std::vector<std::uint64_t> votes = {100000, 80000, 30000, 20000};
  EXPECT_EQ(seats_of(votes, 8, SeatMethod::kDhondt, 0), (Seats{4, 3, 1, 0}));
  EXPECT_EQ(seats_of(votes, 7, SeatMethod::kDhondt, 0), (Seats{3, 3, 1, 0}));
}

TEST(Seats, SainteLagueFavoursSmallerListsMoreThanDhondt) {
  const std::vector<std::uint64_t> votes = {100000, 80000, 30000, 20000};
  EXPECT_EQ(seats_of(votes, 8, SeatMethod::kSainteLague, 0), (Seats{3, 3, 1, 1}));
}

TEST(Seats, ThresholdExcludesSmallLists) {
  const std::vector<std::uint64_t> votes = {600, 350, 49};  // 49 of 999 < 5%
  EXPECT_EQ(seats_of(votes, 10, SeatMethod::kDhondt, 50), (Seats{6, 4, 0}));
  EXPECT_EQ(seats_of(votes, 10, SeatMethod::kDhondt, 0)[2], 0U);
}

TEST(Seats, NoVotesOrNoMethodGivesNoSeats) {
  const std::vector<std::uint64_t> none = {0, 0};
  EXPECT_EQ(seats_of(none, 3, SeatMethod::kDhondt, 0), (Seats{0, 0}));
  const std::vector<std::uint64_t> votes = {10, 10};
  EXPECT_EQ(seats_of(votes, 3, SeatMethod::kNone, 0), (Seats{0, 0}));
  const std::vector<std::uint64_t> small = {10, 10};  // both below 60%
  EXPECT_EQ(seats_of(small, 3, SeatMethod::kDhondt, 600), (Seats{0, 0}));
}

TEST(Seats, EqualQuotientsGoToMoreVotesThenToTheSeededLot) {
  // 20/2 = 10/1: the list with more votes wins the tie.
  const std::vector<std::uint64_t> more = {20, 10};
  EXPECT_EQ(seats_of(more, 2, SeatMethod::kDhondt, 0), (Seats{2, 0}));
  // Equal votes: the lot of veche::count decides, and the seed decides the lot.
  const std::vector<std::uint64_t> equal = {10, 10};
  bool first_won = false;
  bool second_won = false;
  for (std::uint8_t b = 0; b < 16; ++b) {
    crypto::Digest seed{};  // fingerprints are hashes: every byte varies
    std::array<std::byte, 32> count_seed{};
    for (std::size_t i = 0; i < seed.size(); ++i) {
      seed[i] = static_cast<std::uint8_t>(b * 37 + i * 11 + 1);
      count_seed[i] = static_cast<std::byte>(seed[i]);
    }
    const auto favoured = static_cast<std::size_t>(count::lot_order(2, count_seed)[0]);
    const Seats got = seats_of(equal, 1, SeatMethod::kDhondt, 0, seed);
    Seats expected{0, 0};
    expected[favoured] = 1;
    EXPECT_EQ(got, expected) << "seed byte " << int(b);
    (favoured == 0 ? first_won : second_won) = true;
  }
  EXPECT_TRUE(first_won && second_won) << "16 seeds should favour each list at least once";
}

TEST(Seats, AgreesWithTheCountingLibraryOnManyShapes) {
  core::SeededRandom rng(7);
  for (int round = 0; round < 200; ++round) {
    const std::size_t lists = 2 + rng.uniform(6);
    std::vector<std::uint64_t> votes(lists);
    std::vector<count::PartyList> parties(lists);
    for (std::size_t i = 0; i < lists; ++i) {
      votes[i] = 1 + rng.uniform(5000);
      parties[i].name = "p" + std::to_string(i);
      parties[i].votes = static_cast<std::int64_t>(votes[i]);
    }
    const auto seats = static_cast<std::uint32_t>(1 + rng.uniform(30));
    const bool dhondt = rng.uniform(2) == 0;
    crypto::Digest seed{};
    seed[3] = static_cast<std::uint8_t>(round);
    count::CountOptions options;
    options.seed[3] = static_cast<std::byte>(round);
    const auto report =
        count::count_party_list(dhondt ? count::Method::kDHondt : count::Method::kSainteLague,
                                parties, static_cast<int>(seats), options);
    ASSERT_TRUE(report.has_value());
    const Seats got =
        seats_of(votes, seats, dhondt ? SeatMethod::kDhondt : SeatMethod::kSainteLague, 0, seed);
    ASSERT_EQ(got.size(), lists);
    for (std::size_t i = 0; i < lists; ++i) {
      EXPECT_EQ(static_cast<std::int64_t>(got[i]), report->party->seats[i]) << "round " << round;
    }
  }
}

TEST(Seats, VotesBeyondTheCountingLibrarysRangeAreAnError) {
  const std::vector<std::uint64_t> votes = {3'000'000'000ULL, 1};
  EXPECT_FALSE(allocate_seats(votes, 2, SeatMethod::kDhondt, 0, {}).has_value());
}

}  // namespace
}  // namespace veche::record
