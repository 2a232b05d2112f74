#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "test_util.hpp"

namespace veche::count {
namespace {

std::vector<Item> ballot_of(const Profile& p, std::size_t g) {
  auto b = p.ballot(g);
  return {b.begin(), b.end()};
}

TEST(BltParser, ReadsCandidatesSeatsBallotsNamesAndTitle) {
  auto p = parse_blt("3 2\n2 1 2 0\n1 3 0\n0\n\"Ann\"\n\"Bob\"\n\"Cy\"\n\"Test\"\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->candidates, (std::vector<std::string>{"Ann", "Bob", "Cy"}));
  EXPECT_EQ(p->seats, 2);
  EXPECT_EQ(p->title, "Test");
  ASSERT_EQ(p->num_groups(), 2u);
  EXPECT_EQ(ballot_of(*p, 0), (std::vector<Item>{0, 1}));
  EXPECT_EQ(p->weights[0], 2u);
}

TEST(BltParser, GroupsIdenticalBallots) {
  auto p = parse_blt("2 1\n1 1 2 0\n3 2 0\n4 1 2 0\n0\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->num_groups(), 2u);
  EXPECT_EQ(p->weights[0], 5u);
  EXPECT_EQ(p->total_weight(), 8u);
  EXPECT_EQ(p->candidates[1], "Candidate 2");  // names are optional
}

TEST(BltParser, ReadsWithdrawnLineEqualRanksSkippedRanksCommentsAndIds) {
  auto p = parse_blt(
      "# a comment line\n4 1\n-2 -4\n(b7) 1 1=3 - 2 0  # trailing comment\n0\n"
      "\"A\" \"B\" \"C\" \"D\" \"T\"\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->withdrawn, (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(ballot_of(*p, 0),
            (std::vector<Item>{0, static_cast<Item>(2 | kTiedWithPrevious), kSkippedRank, 1}));
}

TEST(BltParser, ReadsNicknamesAndWithdrawnOption) {
  auto p = parse_blt("3 1\n[nick a b c]\n[withdrawn c]\n1 b a=c 0\n0\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(ballot_of(*p, 0), (std::vector<Item>{1, 0, static_cast<Item>(2 | kTiedWithPrevious)}));
  EXPECT_TRUE(p->withdrawn[2]);
}

TEST(BltParser, RejectsMalformedInputWithTheLineNumber) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "line 1: expected the number of candidates"},
      {"3 1\n1 1 2 0\n1.5 2 0\n0\n", "line 3: expected a ballot weight"},
      {"3 1\n1 1 4 0\n0\n", "line 2: candidate 4 is not between 1 and 3"},
      {"3 1\n1 1 2\n0\n", "line 2: ballot does not end with 0"},
      {"3 1\n1 1 2 0\n", "missing the lone 0"},
      {"2 1\n1 1 0\n0\n\"A\n", "line 4: unterminated quoted name"},
      {"2 1\n1 1 0\n0\n\"A\"\n", "line 5: expected 2 candidate names, found 1"},
      {"2 3\n0\n", "line 1: seats must be between 1"},
      {"2 1\n1 1 x 0\n0\n", "line 2: unknown candidate 'x'"},
      {"2 1\n1 1==2 0\n0\n", "line 2: empty rank"},
      {"2 1\n-3\n0\n", "line 2: bad withdrawn candidate"},
      {"2 1\n[nick a]\n0\n", "line 2: [nick] lists 1 names for 2 candidates"},
  };
  for (const auto& c : cases) {
    auto p = parse_blt(c.text);
    ASSERT_FALSE(p.has_value()) << c.text;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(p.error().message.find(c.message), std::string::npos)
        << c.text << " -> " << p.error().message;
  }
}

TEST(BltParser, RejectsTooManyCandidatesAsTooLarge) {
  auto p = parse_blt("5000 1\n0\n");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::kTooLarge);
}

TEST(BltParser, DropsWriteInsWhenAskedToIgnoreThem) {
  ParseOptions o;
  o.write_in = ParseOptions::WriteIn::kIgnore;
  auto p = parse_blt("2 1\n1 3 2 0\n0\n", o);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(ballot_of(*p, 0), (std::vector<Item>{kSkippedRank, 1}));
}

TEST(BltWriter, RoundTripsThroughTheParser) {
  auto p = parse_blt("3 2\n-3\n2 1 2=3 0\n1 - 2 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n");
  ASSERT_TRUE(p.has_value());
  auto q = parse_blt(write_blt(*p));
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ(q->items, p->items);
  EXPECT_EQ(q->weights, p->weights);
  EXPECT_EQ(q->withdrawn, p->withdrawn);
  EXPECT_EQ(q->candidates, p->candidates);
  EXPECT_EQ(q->title, p->title);
}

TEST(PrefLibParser, ReadsTheCurrentFormatWithTies) {
  auto p = parse_preflib(
      "# FILE NAME: x.toc\n# TITLE: Demo\n# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 3\n"
      "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Cy\n"
      "12: 1,2,3\n5: 2,{1,3}\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->title, "Demo");
  EXPECT_EQ(p->candidates, (std::vector<std::string>{"Ann", "Bob", "Cy"}));
  EXPECT_EQ(p->total_weight(), 17u);
  EXPECT_EQ(ballot_of(*p, 1), (std::vector<Item>{1, 0, static_cast<Item>(2 | kTiedWithPrevious)}));
}

TEST(PrefLibParser, ReadsTheOlderFormat) {
  auto p = parse_preflib("3\n1,Ann\n2,Bob\n3,Cy\n10,10,2\n7,1,2,3\n3,3,{1,2}\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->candidates[2], "Cy");
  EXPECT_EQ(p->total_weight(), 10u);
}

TEST(PrefLibParser, RejectsBadLinesWithTheLineNumber) {
  auto p = parse_preflib("# NUMBER ALTERNATIVES: 2\n3: 1,{2\n");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message, "line 2: '{' without '}'");
  auto q = parse_preflib("# NUMBER ALTERNATIVES: 2\n3: 1,5\n");
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().message, "line 2: alternative 5 is not between 1 and 2");
  auto r = parse_preflib("# NUMBER ALTERNATIVES: 2\nx: 1\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("line 2:"), std::string::npos);
}

TEST(AbifParser, ReadsDeclarationsRankingsEqualRanksAndComments) {
  auto p = parse_abif(
      "# an election\n{\"title\": \"x\"}\n=A:[Ann Lee]\n=B:[Bob]\n=C:[Cy]\n"
      "24:A>B>C  # comment\n10: B=C>A\n3:[Bob]>A\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->candidates, (std::vector<std::string>{"Ann Lee", "Bob", "Cy"}));
  EXPECT_EQ(p->total_weight(), 37u);
  EXPECT_EQ(ballot_of(*p, 1), (std::vector<Item>{1, static_cast<Item>(2 | kTiedWithPrevious), 0}));
  EXPECT_EQ(ballot_of(*p, 2), (std::vector<Item>{1, 0}));
}

TEST(AbifParser, ReadsRatingsAndOrdersScoreBallotsByRating) {
  auto p = parse_abif("=A:[A]\n=B:[B]\n=C:[C]\n5:A/1,B/5,C/3\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(ballot_of(*p, 0), (std::vector<Item>{1, 2, 0}));
  EXPECT_EQ(std::vector<std::int32_t>(p->ratings.begin(), p->ratings.end()),
            (std::vector<std::int32_t>{5, 3, 1}));
}

TEST(AbifParser, TakesCandidatesFromBallotsWhenNoneAreDeclared) {
  auto p = parse_abif("3:x>y\n2:y>z\n");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->candidates, (std::vector<std::string>{"x", "y", "z"}));
}

TEST(AbifParser, HandlesWriteInsPerOption) {
  const char* text = "=A:[A]\n=B:[B]\n1:A>Zed>B\n";
  auto rejected = parse_abif(text);
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().message, "line 3: undeclared candidate 'Zed'");
  ParseOptions ignore;
  ignore.write_in = ParseOptions::WriteIn::kIgnore;
  auto ignored = parse_abif(text, ignore);
  ASSERT_TRUE(ignored.has_value());
  EXPECT_EQ(ballot_of(*ignored, 0), (std::vector<Item>{0, 1}));
  ParseOptions accept;
  accept.write_in = ParseOptions::WriteIn::kAccept;
  auto accepted = parse_abif(text, accept);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->candidates.back(), "Zed");
  EXPECT_EQ(ballot_of(*accepted, 0), (std::vector<Item>{0, 2, 1}));
}

TEST(AbifParser, RejectsBadLinesWithTheLineNumber) {
  auto p = parse_abif("=A:[A]\n1:A>\n2:A;B\n");
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message.find("line 2:"), std::string::npos) << p.error().message;
  auto lone = parse_abif("=A:[A]\n=\n");  // found by the fuzzer
  ASSERT_FALSE(lone.has_value());
  EXPECT_EQ(lone.error().message, "line 2: expected a candidate");
  auto q = parse_abif("=A:[A]\nhello\n");
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().message, "line 2: expected a ballot count, got 'hello'");
}

TEST(Formats, PickTheParserFromTheExtension) {
  EXPECT_EQ(*format_from_name("a/b.BLT"), Format::kBlt);
  EXPECT_EQ(*format_from_name("x.toi"), Format::kPrefLib);
  EXPECT_EQ(*format_from_name("x.abif"), Format::kAbif);
  EXPECT_FALSE(format_from_name("x.csv").has_value());
}

}  // namespace
}  // namespace veche::count

namespace veche::count {
namespace {

// A file above the two-thread threshold: ballots from a fixed generator.
std::string big_blt(std::size_t lines, std::map<std::vector<Item>, std::uint64_t>& expected) {
  std::string text = "6 2\n";
  std::uint64_t state = 12345;
  for (std::size_t i = 0; i < lines; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::vector<Item> b;
    std::uint64_t x = state >> 20;
    std::vector<bool> used(6);
    const std::size_t len = 1 + (x % 5);
    x /= 5;
    for (std::size_t k = 0; k < len; ++k) {
      auto c = static_cast<Item>(x % 6);
      x /= 6;
      if (used[c]) continue;
      used[c] = true;
      b.push_back(c);
    }
    const std::uint64_t w = 1 + (i % 3);
    text += std::to_string(w);
    for (Item c : b) text += " " + std::to_string(c + 1);
    text += " 0\n";
    expected[b] += w;
  }
  text += "0\n\"A\" \"B\" \"C\" \"D\" \"E\" \"F\" \"big\"\n";
  return text;
}

TEST(BltParser, LargeFilesParsedOnTwoThreadsGroupExactlyLikeOneThread) {
  std::map<std::vector<Item>, std::uint64_t> expected;
  const std::string text = big_blt(600000, expected);
  ASSERT_GT(text.size(), std::size_t{5} << 20);
  auto p = parse_blt(text);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  std::map<std::vector<Item>, std::uint64_t> got;
  for (std::size_t g = 0; g < p->num_groups(); ++g) {
    auto b = p->ballot(g);
    got[std::vector<Item>(b.begin(), b.end())] += p->weights[g];
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got.size(), p->num_groups()) << "a ballot was left in two groups";
  EXPECT_EQ(p->title, "big");
}

// Many distinct rankings (so the halves' merge looks them up on two threads), some repeated
// across the halves, with or without equal ranks (which take the merge off its packed path):
// the groups, their weights and their order (first appearance in the file) are those of a
// one-pass reading.
void expect_merge_in_order_of_first_appearance(bool ties) {
  std::string text = "15 3\n";
  std::map<std::string, std::size_t> index;  // ranking text -> position in `order`
  std::vector<std::pair<std::string, std::uint64_t>> order;
  std::uint64_t state = 99;
  while (text.size() < (std::size_t{6} << 20)) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::uint64_t x = state >> 11;
    // Half the lines repeat one of 4,096 popular rankings; the rest are mostly new.
    if (x % 2 == 0) x = (x >> 1) % 4096 * 0x9e3779b97f4a7c15ULL;
    std::vector<int> pool(15);
    for (int c = 0; c < 15; ++c) pool[static_cast<std::size_t>(c)] = c + 1;
    const std::size_t len = 1 + x % 15;
    x /= 15;
    std::string ranking;
    for (std::size_t k = 0; k < len; ++k) {
      const std::size_t pick = k + x % (15 - k);
      x = x / (15 - k) + 0x632be59bd9b4e019ULL * (k + 1);
      std::swap(pool[k], pool[pick]);
      ranking += (ties && k > 0 && x % 29 == 0 ? "=" : " ") + std::to_string(pool[k]);
    }
    const std::uint64_t w = 1 + state % 4;
    text += std::to_string(w) + ranking + " 0\n";
    auto [it, fresh] = index.emplace(ranking, order.size());
    if (fresh) order.emplace_back(ranking, 0);
    order[it->second].second += w;
  }
  text += "0\n";
  for (int c = 1; c <= 15; ++c) text += "\"C" + std::to_string(c) + "\"\n";
  ASSERT_GT(order.size(), std::size_t{60000});
  auto p = parse_blt(text);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  ASSERT_EQ(p->num_groups(), order.size());
  for (std::size_t g = 0; g < order.size(); ++g) {
    std::string ranking;
    for (Item it : p->ballot(g)) {
      ranking += (is_tied(it) ? "=" : " ") + std::to_string(candidate_of(it) + 1);
    }
    ASSERT_EQ(ranking, order[g].first) << "group " << g;
    ASSERT_EQ(p->weights[g], order[g].second) << "group " << g;
  }
}

TEST(BltParser, LargeFilesMergeManyDistinctRankingsInTheOrderOfFirstAppearance) {
  expect_merge_in_order_of_first_appearance(false);
}

TEST(BltParser, LargeFilesWithEqualRanksMergeInTheOrderOfFirstAppearance) {
  expect_merge_in_order_of_first_appearance(true);
}

TEST(BltParser, LargeFilesReportTheLineOfAnErrorInEitherHalf) {
  std::map<std::vector<Item>, std::uint64_t> expected;
  const std::string text = big_blt(600000, expected);
  for (std::size_t target : {std::size_t{1000}, std::size_t{500000}}) {
    // Line target+2 (1-based, after the header) gets a bad candidate.
    std::size_t pos = 0;
    for (std::size_t l = 0; l < target + 1; ++l) pos = text.find('\n', pos) + 1;
    std::string bad = text;
    bad.insert(pos, "1 9 0\n");
    auto p = parse_blt(bad);
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error().message,
              "line " + std::to_string(target + 2) + ": candidate 9 is not between 1 and 6");
  }
}

}  // namespace
}  // namespace veche::count

namespace veche::count {
namespace {

TEST(BltParser, LargeFilesCountLinesAcrossTheSplitAndAfterIt) {
  std::map<std::vector<Item>, std::uint64_t> expected;
  std::string text = big_blt(600000, expected);
  // Blank and comment lines around the middle, where the file is split between the threads.
  std::string spaced;
  std::size_t line = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t next = text.find('\n', pos) + 1;
    spaced.append(text, pos, next - pos);
    if (line > 280000 && line < 320000) spaced += "\n# comment\n";
    ++line;
    pos = next;
  }
  spaced += "bogus\n";
  const auto bogus_line = 1 + std::count(spaced.begin(), spaced.end() - 6, '\n');
  auto p = parse_blt(spaced);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message, "line " + std::to_string(bogus_line) +
                                   ": expected a quoted candidate name or title, got 'bogus'");
}

TEST(BltParser, LinesOffTheFastPathReadTheSameAsPlainOnes) {
  // Every line here leaves the plain-line scanner for the general reader at some point.
  auto p = parse_blt(
      "15 2\n"
      "1 1 2 0\n"
      "1\t1\t2 0\r\n"
      "1 01 2 0\n"
      "1 1 002 0\n"
      "1 1 2 0 # a comment\n"
      "1 1  2   0   \n"
      "0000000001 1 2 0\n"
      "1 1 2 3 4 5 6 7 8 9 10 11 12 13 0\n"
      "2 1 2 3 4 5 6 7 8 9 10 11 12 13 0\n"
      "1 1 2 3 4 5 6 7 8 9 10 11 12 13 0 # the general reader, same group\n"
      "1 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0\n"
      "3 15 14 0\n"
      "1 1 2 0 1 1 2 0\n"
      "0\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  std::map<std::vector<Item>, std::uint64_t> got;
  for (std::size_t g = 0; g < p->num_groups(); ++g) {
    auto b = p->ballot(g);
    got[std::vector<Item>(b.begin(), b.end())] += p->weights[g];
  }
  const std::map<std::vector<Item>, std::uint64_t> expected{
      {{0, 1}, 9},
      {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4},
      {{14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, 1},
      {{14, 13}, 3},
  };
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got.size(), p->num_groups());
  auto bad = parse_blt("15 1\n1 1 2 0\n1 1 16 0\n0\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "line 3: candidate 16 is not between 1 and 15");
}

}  // namespace
}  // namespace veche::count

namespace veche::count {
namespace {

TEST(BltParser, GroupsKeepTheOrderOfFirstAppearanceAcrossFastAndGeneralLines) {
  // The second line leaves the plain-line scanner; the third is plain again.
  auto p = parse_blt("4 1\n1 2 0\n2 1 2=3 - 4 0\n1 4 0\n1 2 0\n0\n");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  ASSERT_EQ(p->num_groups(), 3u);
  EXPECT_EQ(p->weights, (std::vector<std::uint64_t>{2, 2, 1}));
  EXPECT_EQ(std::vector<Item>(p->ballot(2).begin(), p->ballot(2).end()), std::vector<Item>{3});
  auto again = parse_blt(write_blt(*p));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->items, p->items);
  EXPECT_EQ(again->weights, p->weights);
}

}  // namespace
}  // namespace veche::count

namespace veche::count {
namespace {

std::map<std::vector<Item>, std::uint64_t> grouped(const Profile& p) {
  std::map<std::vector<Item>, std::uint64_t> got;
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    auto b = p.ballot(g);
    got[std::vector<Item>(b.begin(), b.end())] += p.weights[g];
  }
  return got;
}

// Names long enough that every ballot line has 32 bytes after it: the line-text table
// (raw_lines.hpp) sees all of them.
const std::string kLongNames =
    "\"Candidate number one\" \"Candidate number two\" \"Candidate number three\"\n";

TEST(BltParser, RepeatedLineTextsAddUpToTheSameGroupsAsTheirBallots) {
  std::string text = "3 1\n";
  for (int i = 0; i < 40; ++i) {
    text += std::to_string(1 + i % 4) + " 1 2 0\n";  // one text, weights 1..4
    text += "1 1  2 0\n";                            // another text, the same ballot
    text += "2 3 0\n";
    if (i % 5 == 0) text += "1 1\t2 0\n";  // a tab: not a text the table takes
  }
  text += "0\n" + kLongNames;
  auto p = parse_blt(text);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  const std::map<std::vector<Item>, std::uint64_t> expected{{{0, 1}, 100 + 40 + 8}, {{2}, 80}};
  EXPECT_EQ(grouped(*p), expected);
  EXPECT_EQ(p->num_groups(), 2u) << "one ballot in two groups";
  EXPECT_EQ(std::vector<Item>(p->ballot(0).begin(), p->ballot(0).end()), (std::vector<Item>{0, 1}));
}

TEST(BltParser, ALineTextFirstSeenInvalidIsReportedAtItsLine) {
  std::string text = "3 1\n";
  for (int i = 0; i < 30; ++i) text += "1 1 2 0\n";
  text += "1 1 4 0\n";  // line 32: candidate 4 of 3
  for (int i = 0; i < 30; ++i) text += "1 1 2 0\n";
  text += "0\n" + kLongNames;
  auto p = parse_blt(text);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message, "line 32: candidate 4 is not between 1 and 3");
}

TEST(BltParser, RepeatedLineTextsStillStopAtTheBallotLimit) {
  std::string text = "2 1\n";
  for (int i = 0; i < 5; ++i) text += "999999999 1 2 0\n";
  text += "0\n" + kLongNames;
  auto p = parse_blt(text);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace veche::count
