#include <gtest/gtest.h>

#include "veche/count/methods.hpp"

namespace veche::count {
namespace {

TEST(PartyListFile, ReadsTitleSeatsVotesListsAndGenders) {
  auto f = parse_party_lists(R"({"title": "Council", "seats": 4, "parties": [
      {"name": "Alliance", "votes": 5200,
       "candidates": [{"name": "Artem", "gender": "m"}, {"name": "Vera", "gender": "f"}]},
      {"name": "Forum", "votes": 3100, "candidates": ["Egor", "Zoya"]},
      {"name": "Sprout", "votes": 0}]})");
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(f->title, "Council");
  EXPECT_EQ(f->seats, 4);
  ASSERT_EQ(f->parties.size(), 3u);
  EXPECT_EQ(f->parties[0].votes, 5200);
  EXPECT_EQ(f->parties[0].candidates, (std::vector<std::string>{"Artem", "Vera"}));
  EXPECT_EQ(f->parties[0].genders, (std::vector<std::string>{"m", "f"}));
  EXPECT_TRUE(f->parties[1].genders.empty()) << "bare names carry no gender";
  EXPECT_TRUE(f->parties[2].candidates.empty());
}

TEST(PartyListFile, TheGenderQuotaMovesAListCandidateUpWithANote) {
  auto f = parse_party_lists(R"({"seats": 4, "parties": [
      {"name": "A", "votes": 900, "candidates": [{"name": "m1", "gender": "m"},
        {"name": "m2", "gender": "m"}, {"name": "m3", "gender": "m"}, {"name": "f1", "gender": "f"}]},
      {"name": "B", "votes": 100, "candidates": ["b1"]}]})");
  ASSERT_TRUE(f.has_value()) << f.error().message;
  CountOptions o;
  o.gender_quota_num = 1;
  o.gender_quota_den = 3;
  auto r = count_party_list(Method::kDHondt, f->parties, f->seats, o);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_TRUE(r->party.has_value());
  EXPECT_EQ(r->party->seats, (std::vector<std::int64_t>{4, 0}));
  // Four seats take the whole list of four: the quota (1 of 4) is met by f1 in place.
  EXPECT_EQ(r->party->elected_names[0], (std::vector<std::string>{"m1", "m2", "m3", "f1"}));
  o.gender_quota_num = 1;
  o.gender_quota_den = 2;
  auto three = count_party_list(Method::kDHondt, f->parties, 3, o);
  ASSERT_TRUE(three.has_value()) << three.error().message;
  // 3 seats x 1/2 = 1 woman: f1 moves up in place of the lowest-placed man, m3.
  EXPECT_EQ(three->party->elected_names[0], (std::vector<std::string>{"m1", "m2", "f1"}));
  EXPECT_FALSE(three->notes.empty());
}

TEST(PartyListFile, RejectsMalformedFilesNamingTheField) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "not valid JSON"},
      {"[1, 2]", "the file must hold one JSON object"},
      {R"({"parties": []})", "\"parties\" must be a non-empty array"},
      {R"({"parties": [{"name": "A"}]})", "parties[0]: \"votes\" is missing"},
      {R"({"parties": [{"name": "A", "votes": -3}]})", "parties[0].votes must be between"},
      {R"({"parties": [{"name": "A", "votes": 1.5}]})", "parties[0].votes must be a whole number"},
      {R"({"parties": [{"name": 7, "votes": 1}]})", "parties[0]: \"name\" must be a string"},
      {R"({"parties": [{"name": "A", "votes": 1, "colour": "red"}]})",
       "parties[0]: unknown field \"colour\""},
      {R"({"parties": [{"name": "A", "votes": 1}, {"name": "A", "votes": 2}]})",
       "the name \"A\" is used twice"},
      {R"({"parties": [{"name": "A", "votes": 1, "candidates": [{"name": "x", "gender": "f"}, "y"]}]})",
       "give every candidate a gender, or none"},
      {R"({"seats": 0, "parties": [{"name": "A", "votes": 1}]})", "seats must be between 1"},
      {"{\"parties\": [{\"name\": \"\xff\", \"votes\": 1}]}", "not valid UTF-8"},
  };
  for (const auto& c : cases) {
    auto f = parse_party_lists(c.text);
    ASSERT_FALSE(f.has_value()) << c.text;
    EXPECT_NE(f.error().message.find(c.message), std::string::npos)
        << c.text << " gave: " << f.error().message;
  }
}

TEST(PartyListFile, RejectsMoreVotesThanTheEngineCanHold) {
  auto f = parse_party_lists(R"({"parties": [{"name": "A", "votes": 1500000000},
                                              {"name": "B", "votes": 1500000000}]})");
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace veche::count
