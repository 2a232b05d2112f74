// Hand-checked small cases for every method, tie-break rule and ballot option.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test_util.hpp"
#include "veche/count/output.hpp"

namespace veche::count {
namespace {

using testing::blt;
using testing::must;

std::vector<std::string> names(const Report& r) { return testing::winner_names(r); }

bool notes_contain(const Report& r, const std::string& what) {
  auto has = [&](const std::vector<std::string>& notes) {
    return std::any_of(notes.begin(), notes.end(),
                       [&](const std::string& n) { return n.find(what) != std::string::npos; });
  };
  if (has(r.notes)) return true;
  return std::any_of(r.rounds.begin(), r.rounds.end(),
                     [&](const Round& x) { return has(x.notes); });
}

CountOptions seeded(std::uint8_t b) {
  CountOptions o;
  o.seed.fill(std::byte{b});
  return o;
}

// The Tennessee capital example: Memphis 42%, Nashville 26%, Chattanooga 15%, Knoxville 17%.
const char* kTennessee =
    "4 1\n42 1 2 3 4 0\n26 2 3 4 1 0\n15 3 4 2 1 0\n17 4 3 2 1 0\n0\n"
    "\"Memphis\" \"Nashville\" \"Chattanooga\" \"Knoxville\" \"Tennessee\"\n";

TEST(Plurality, ElectsTheMostFirstPreferences) {
  const Report r = must(count_plurality(blt(kTennessee), {}));
  EXPECT_EQ(names(r), (std::vector<std::string>{"Memphis"}));
  EXPECT_EQ(r.rounds[0].votes, (std::vector<std::int64_t>{42, 26, 15, 17}));
}

TEST(Plurality, BreaksATieForTheLastSeatByLotAndSaysSo) {
  const Profile p = blt("3 1\n5 1 0\n5 2 0\n1 3 0\n0\n");
  std::set<int> seen;
  for (std::uint8_t s = 0; s < 16; ++s) {
    const Report r = must(count_plurality(p, seeded(s)));
    ASSERT_EQ(r.winners.size(), 1u);
    // The winner is whichever of the two comes first in the published lot order.
    const auto& lot = r.lot_order;
    const auto first = std::find_if(lot.begin(), lot.end(), [](int c) { return c == 0 || c == 1; });
    EXPECT_EQ(r.winners[0], *first);
    EXPECT_TRUE(notes_contain(r, "decided by lot"));
    seen.insert(r.winners[0]);
    // A recount with the same seed gives the same answer.
    EXPECT_EQ(must(count_plurality(p, seeded(s))).winners, r.winners);
  }
  EXPECT_EQ(seen.size(), 2u) << "the lot never changed the outcome over 16 seeds";
}

TEST(Approval, CountsEveryListedCandidate) {
  const Report r = must(count_approval(blt("3 2\n3 1 2 0\n2 3 0\n2 2 3 0\n0\n"), {}));
  EXPECT_EQ(r.rounds[0].votes, (std::vector<std::int64_t>{3, 5, 4}));
  EXPECT_EQ(r.winners, (std::vector<int>{1, 2}));
}

TEST(InstantRunoff, EliminatesTheLowestUntilAMajority) {
  const Report r = must(count_instant_runoff(blt(kTennessee), {}));
  EXPECT_EQ(names(r), (std::vector<std::string>{"Knoxville"}));
  EXPECT_EQ(r.rounds.size(), 3u);
  EXPECT_EQ(r.rounds[0].excluded, (std::vector<int>{2}));  // Chattanooga
  EXPECT_EQ(r.rounds[1].excluded, (std::vector<int>{1}));  // Nashville
}

TEST(InstantRunoff, BreaksATieByLookingBackToAnEarlierRound) {
  // Round 1: A 10, B 5, C 4, D 1; D's ballot goes to C; round 2: B 5 = C 5; C had fewer in
  // round 1, so C is excluded.
  const Profile p = blt("4 1\n10 1 0\n5 2 0\n4 3 0\n1 4 3 0\n0\n\"A\" \"B\" \"C\" \"D\" \"t\"\n");
  for (std::uint8_t s = 0; s < 4; ++s) {
    const Report r = must(count_instant_runoff(p, seeded(s)));
    ASSERT_GE(r.rounds.size(), 2u);
    EXPECT_EQ(r.rounds[1].excluded, (std::vector<int>{2}));
    EXPECT_TRUE(notes_contain(r, "looking back to round 1"));
    EXPECT_EQ(names(r), (std::vector<std::string>{"A"}));
  }
}

TEST(InstantRunoff, MajorityOfValidBallotsIsAnOption) {
  // A 4, B 3, C 2 (C's voters stop). Continuing majority: A 4 of 7 wins in round 2; of all 9
  // valid ballots A never has more than 4.5 and wins as the last continuing candidate.
  const Profile p = blt("3 1\n4 1 0\n3 2 0\n2 3 0\n0\n");
  const Report a = must(count_instant_runoff(p, {}));
  CountOptions valid;
  valid.irv_majority_of_continuing = false;
  const Report b = must(count_instant_runoff(p, valid));
  EXPECT_EQ(a.winners, (std::vector<int>{0}));
  EXPECT_EQ(b.winners, (std::vector<int>{0}));
  EXPECT_EQ(a.rounds.size(), 2u);
  EXPECT_EQ(b.rounds.size(), 3u);
}

TEST(BallotOptions, OvervotesExhaustSkipOrInvalidate) {
  const Profile p = blt("4 1\n1 1 2=3 4 0\n0\n");
  BallotOptions o;
  o.overvote = BallotOptions::Overvote::kExhaust;
  auto x = normalize(p, o, true);
  EXPECT_EQ(std::vector<Item>(x.items.begin(), x.items.end()), (std::vector<Item>{0}));
  o.overvote = BallotOptions::Overvote::kSkip;
  x = normalize(p, o, true);
  EXPECT_EQ(std::vector<Item>(x.items.begin(), x.items.end()), (std::vector<Item>{0, 3}));
  o.overvote = BallotOptions::Overvote::kInvalid;
  x = normalize(p, o, true);
  EXPECT_EQ(x.num_groups(), 0u);
  EXPECT_EQ(x.invalid_ballots, 1u);
  // Pairwise methods keep the tie.
  x = normalize(p, o, false);
  EXPECT_EQ(x.items.size(), 4u);
}

TEST(BallotOptions, SkippedRanksContinueOrExhaust) {
  const Profile p = blt("4 1\n1 1 - 2 - - 3 0\n0\n");
  BallotOptions o;
  auto items = [&] {
    auto x = normalize(p, o, true);
    return std::vector<Item>(x.items.begin(), x.items.end());
  };
  o.skipped = BallotOptions::SkippedRank::kContinue;
  EXPECT_EQ(items(), (std::vector<Item>{0, 1, 2}));
  o.skipped = BallotOptions::SkippedRank::kExhaustAfterTwo;
  EXPECT_EQ(items(), (std::vector<Item>{0, 1}));
  o.skipped = BallotOptions::SkippedRank::kExhaust;
  EXPECT_EQ(items(), (std::vector<Item>{0}));
}

TEST(BallotOptions, RepeatedCandidatesAreIgnoredOrInvalidate) {
  const Profile p = blt("3 1\n1 1 2 1 3 0\n0\n");
  BallotOptions o;
  auto x = normalize(p, o, true);
  EXPECT_EQ(std::vector<Item>(x.items.begin(), x.items.end()), (std::vector<Item>{0, 1, 2}));
  o.repeated = BallotOptions::Repeated::kInvalid;
  x = normalize(p, o, true);
  EXPECT_EQ(x.invalid_ballots, 1u);
}

TEST(BallotOptions, ACandidateRepeatedWithinOneRankCountsOnce) {
  auto p = parse_abif("=A:[A]\n=B:[B]\n2:A=A>B\n1:B\n");
  ASSERT_TRUE(p.has_value());
  const Profile x = normalize(*p, {}, false);
  EXPECT_EQ(std::vector<Item>(x.items.begin(), x.items.end()), (std::vector<Item>{0, 1, 1}));
  const Report r = must(count_majority_judgment(*p, {}));  // found by the ABIF fuzzer
  EXPECT_EQ(r.winners, (std::vector<int>{0}));
}

TEST(BallotOptions, WithdrawnCandidatesAreSkippedUnlessTheWithdrawalIsIgnored) {
  // B is withdrawn: its voters' next choice, C, then beats A.
  const Profile p = blt("3 1\n-2\n4 1 0\n3 2 3 0\n2 3 0\n0\n");
  const Report r = must(count_plurality(p, {}));
  EXPECT_EQ(r.winners, (std::vector<int>{2}));
  EXPECT_EQ(r.rounds[0].states[1], CandidateState::kWithdrawn);
  CountOptions ignore;
  ignore.ballot.apply_withdrawals = false;
  EXPECT_EQ(must(count_plurality(p, ignore)).winners, (std::vector<int>{0}));
}

TEST(ScottishStv, TransfersASurplusAtTheTruncatedFiveDecimalValue) {
  // Valid 12, 2 seats: quota floor(12/3)+1 = 5. A has 9: surplus 4; each paper moves at
  // 4/9 = 0.44444 (truncated). B: 1 + 6 x 0.44444 = 3.66664; C: 2 + 3 x 0.44444 = 3.33332;
  // loss 4 - 9 x 0.44444 = 0.00004. One vacancy, B >= C: B is elected (rule 52(2)).
  const Profile p = blt("3 2\n6 1 2 0\n3 1 3 0\n2 3 0\n1 2 0\n0\n\"A\" \"B\" \"C\" \"t\"\n");
  const Report r = must(count_scottish_stv(p, {}));
  EXPECT_EQ(r.rounds[0].quota, 500000);
  ASSERT_GE(r.rounds.size(), 2u);
  EXPECT_EQ(r.rounds[1].transfer_value, 44444);
  EXPECT_EQ(r.rounds[1].votes, (std::vector<std::int64_t>{500000, 366664, 333332}));
  EXPECT_EQ(r.rounds[1].loss, 4);
  EXPECT_EQ(names(r), (std::vector<std::string>{"A", "B"}));
}

TEST(ScottishStv, ExcludesByLookingBackThenByLot) {
  // 2 seats, quota floor(15/3)+1 = 6. Stage 1: A 6 (elected, no surplus), B 3, C 2, D 2, E 2.
  // C, D, E tie; none differ earlier: decided by lot. The lot's loser is excluded first.
  const Profile p =
      blt("5 2\n6 1 0\n3 2 0\n2 3 0\n2 4 0\n2 5 0\n0\n\"A\" \"B\" \"C\" \"D\" \"E\" \"t\"\n");
  const Report r = must(count_scottish_stv(p, seeded(7)));
  ASSERT_GE(r.rounds.size(), 2u);
  ASSERT_EQ(r.rounds[1].excluded.size(), 1u);
  const int out = r.rounds[1].excluded[0];
  const auto rank = [&](int c) {
    return std::find(r.lot_order.begin(), r.lot_order.end(), c) - r.lot_order.begin();
  };
  EXPECT_GT(rank(out), rank(2 + (out == 2 ? 1 : 0)));
  EXPECT_TRUE(notes_contain(r, "decided by lot"));
  EXPECT_EQ(names(r)[0], "A");
  EXPECT_EQ(names(r)[1], "B");
}

TEST(MeekStv, ElectsByTheReferenceRuleWithKeepFactors) {
  // 2 seats, 12 ballots. A has 9 first preferences; Meek lowers A's keep factor until A keeps
  // about a quota and passes the rest on: B gets more of it than C, B is elected.
  const Profile p = blt("3 2\n6 1 2 0\n3 1 3 0\n2 3 0\n1 2 0\n0\n\"A\" \"B\" \"C\" \"t\"\n");
  const Report r = must(count_meek_stv(p, {}));
  EXPECT_EQ(names(r), (std::vector<std::string>{"A", "B"}));
  // A's keep factor after convergence is below one, and kept votes are near the quota.
  bool lowered = false;
  for (const auto& round : r.rounds) {
    if (!round.keep_factors.empty() && round.keep_factors[0] < 1'000'000'000) lowered = true;
  }
  EXPECT_TRUE(lowered);
}

TEST(MeekStv, DefeatsTiedLowestCandidatesByLot) {
  const Profile p = blt("4 1\n3 1 0\n2 2 0\n2 3 0\n0\n");
  const Report r = must(count_meek_stv(p, seeded(3)));
  EXPECT_TRUE(notes_contain(r, "decided by lot"));
  EXPECT_EQ(r.winners, (std::vector<int>{0}));
}

TEST(Schulze, ElectsNashvilleInTheTennesseeExample) {
  const Report r = must(count_schulze(blt(kTennessee), {}));
  EXPECT_EQ(names(r), (std::vector<std::string>{"Nashville"}));
  ASSERT_EQ(r.ranking.size(), 4u);
  EXPECT_EQ(r.ranking[1], (std::vector<int>{2}));  // Chattanooga second
}

TEST(Schulze, LeavesAPerfectTieAsOneLevelAndPicksByLot) {
  const Report r = must(count_schulze(blt("2 1\n1 1 2 0\n1 2 1 0\n0\n"), seeded(1)));
  ASSERT_EQ(r.ranking.size(), 1u);
  EXPECT_EQ(r.ranking[0].size(), 2u);
  EXPECT_EQ(r.winners[0], r.lot_order[0]);
}

TEST(RankedPairs, LocksTheStrongestMajoritiesAndSkipsCycles) {
  // A>B 7:2, B>C 6:3, C>A 5:4: lock A>B, B>C; C>A would close a cycle.
  const Profile p = blt("3 1\n4 1 2 3 0\n2 2 3 1 0\n3 3 1 2 0\n0\n\"A\" \"B\" \"C\" \"t\"\n");
  const Report r = must(count_ranked_pairs(p, {}));
  EXPECT_EQ(r.locked, (std::vector<std::pair<int, int>>{{0, 1}, {1, 2}}));
  EXPECT_EQ(names(r), (std::vector<std::string>{"A"}));
  EXPECT_EQ(must(count_ranked_pairs(blt(kTennessee), {})).winners, (std::vector<int>{1}));
}

TEST(MajorityJudgment, RanksByMedianGrade) {
  auto p = parse_abif("=A:[A]\n=B:[B]\n1:A/5,B/3\n1:A/4,B/3\n1:A/1,B/3\n");
  ASSERT_TRUE(p.has_value());
  const Report r = must(count_majority_judgment(*p, {}));
  EXPECT_EQ(r.median_grades, (std::vector<std::int32_t>{4, 3}));
  EXPECT_EQ(r.winners, (std::vector<int>{0}));
}

TEST(MajorityJudgment, BreaksEqualMediansByRemovingMedianGrades) {
  // A: 1, 3, 5 and B: 2, 3, 4 share the median 3; without it A has 1, 5 (lower median 1) and
  // B has 2, 4 (lower median 2): B wins.
  auto p = parse_abif("=A:[A]\n=B:[B]\n1:A/1,B/2\n1:A/3,B/3\n1:A/5,B/4\n");
  ASSERT_TRUE(p.has_value());
  const Report r = must(count_majority_judgment(*p, {}));
  EXPECT_EQ(r.winners, (std::vector<int>{1}));
  ASSERT_EQ(r.ranking.size(), 2u);
}

TEST(PartyList, DHondtAndSainteLagueAllocateTheTextbookExample) {
  std::vector<PartyList> parties{
      {"A", 100000, {}, {}}, {"B", 80000, {}, {}}, {"C", 30000, {}, {}}, {"D", 20000, {}, {}}};
  const Report d = must(count_party_list(Method::kDHondt, parties, 8, {}));
  EXPECT_EQ(d.party->seats, (std::vector<std::int64_t>{4, 3, 1, 0}));
  const Report s = must(count_party_list(Method::kSainteLague, parties, 8, {}));
  EXPECT_EQ(s.party->seats, (std::vector<std::int64_t>{3, 3, 1, 1}));
}

TEST(PartyList, ListsBelowTheThresholdGetNoSeats) {
  std::vector<PartyList> parties{
      {"A", 100000, {}, {}}, {"B", 80000, {}, {}}, {"C", 30000, {}, {}}, {"D", 20000, {}, {}}};
  CountOptions o;
  o.threshold_num = 10;
  o.threshold_den = 100;  // D has 8.7%
  const Report s = must(count_party_list(Method::kSainteLague, parties, 8, o));
  EXPECT_FALSE(s.party->qualified[3]);
  EXPECT_EQ(s.party->seats[3], 0);
  EXPECT_EQ(s.party->seats[0] + s.party->seats[1] + s.party->seats[2], 8);
}

TEST(PartyList, GenderQuotaMovesTheNextCandidateOfTheUnderrepresentedGenderUp) {
  std::vector<PartyList> parties{
      {"A", 300, {"a1", "a2", "a3", "a4", "a5"}, {"m", "m", "m", "f", "f"}},
      {"B", 100, {"b1", "b2"}, {"f", "m"}}};
  CountOptions o;
  o.gender_quota_num = 1;
  o.gender_quota_den = 3;
  const Report r = must(count_party_list(Method::kDHondt, parties, 4, o));
  ASSERT_EQ(r.party->seats[0], 3);
  // A wins 3 seats; at least floor(3/3) = 1 must be "f": a4 replaces a3.
  EXPECT_EQ(r.party->elected_list_positions[0], (std::vector<int>{0, 1, 3}));
  EXPECT_TRUE(notes_contain(r, "a4 (position 4) in place of a3 (position 3)"));
}

TEST(Reports, RenderAsJsonTextAndSvg) {
  const Report r = must(count_scottish_stv(
      blt("3 2\n6 1 2 0\n3 1 3 0\n2 3 0\n1 2 0\n0\n\"A<&>\" \"B\" \"C\" \"t\"\n"), {}));
  const std::string json = to_json(r);
  EXPECT_NE(json.find("\"method\":\"scottish\""), std::string::npos);
  EXPECT_NE(json.find("\"quota\":\"5.00000\""), std::string::npos);
  EXPECT_NE(json.find("\"transfer_value\":\"0.44444\""), std::string::npos);
  const std::string text = to_text(r);
  EXPECT_NE(text.find("3.66664"), std::string::npos);
  EXPECT_NE(text.find("Elected: A<&>, B"), std::string::npos);
  const std::string svg = to_svg(r);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("A&lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("A<&>"), std::string::npos);
  EXPECT_NE(svg.find("quota"), std::string::npos);
}

TEST(Counts, RejectMoreSeatsThanCandidates) {
  CountOptions o;
  o.seats = 5;
  auto r = count_meek_stv(blt("2 1\n1 1 0\n0\n"), o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace veche::count
