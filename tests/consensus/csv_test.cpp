#include "veche/consensus/csv.hpp"

#include <gtest/gtest.h>

namespace veche::consensus {
namespace {

Result<VoteMatrix> read(std::string_view text) {
  VoteMatrixBuilder b;
  VECHE_TRY(read_vote_file(text, b));
  return b.build();
}

Vote vote_of(const VoteMatrix& m, std::string_view p, std::string_view s) {
  const auto pi = static_cast<std::size_t>(m.find_participant(p));
  const auto si = static_cast<std::uint32_t>(m.find_statement(s));
  for (auto c = m.row_begin(pi); c != m.row_end(pi); ++c) {
    if (c->index == si) return c->vote;
  }
  ADD_FAILURE() << "no vote by " << p << " on " << s;
  return Vote::kPass;
}

TEST(ParticipantsVotesCsv, ReadsThePolisExport) {
  const auto m = read(
                     "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\r\n"
                     "0,0,1,3,1,1,1,-1,0\r\n"
                     "1,1,0,1,1,0,,1,\r\n")
                     .value();
  EXPECT_EQ(m.participant_count(), 2u);
  EXPECT_EQ(m.statement_count(), 3u);
  EXPECT_EQ(m.vote_count(), 4u);
  EXPECT_EQ(vote_of(m, "0", "0"), Vote::kAgree);
  EXPECT_EQ(vote_of(m, "0", "1"), Vote::kDisagree);
  EXPECT_EQ(vote_of(m, "0", "2"), Vote::kPass);
  EXPECT_EQ(vote_of(m, "1", "1"), Vote::kAgree);
}

TEST(VotesCsv, QuotedFieldsOfAnyLengthReadLikeBareOnes) {
  // Several quoted fields in one record, short and longer than a string's inline buffer.
  const auto m = read(
                     "\"comment-id\",\"voter-id\",\"vote\"\n"
                     "\"7\",\"a voter with a long \"\"quoted\"\" id\",\"1\"\n"
                     "\"a statement with a long id, quoted\",\"v\",\"-1\"\n")
                     .value();
  EXPECT_EQ(vote_of(m, "a voter with a long \"quoted\" id", "7"), Vote::kAgree);
  EXPECT_EQ(vote_of(m, "v", "a statement with a long id, quoted"), Vote::kDisagree);
}

TEST(VotesCsv, ReadsTheLongFormatAndKeepsTheLatestVote) {
  const auto m = read(
                     "timestamp,datetime,comment-id,voter-id,vote\n"
                     "1500000002000,\"Fri, 14 Jul 2017\",3,7,-1\n"
                     "1500000001000,,3,7,1\n"
                     "1500000003000,,4,8,0\n")
                     .value();
  EXPECT_EQ(m.vote_count(), 2u);
  EXPECT_EQ(vote_of(m, "7", "3"), Vote::kDisagree);
  EXPECT_EQ(vote_of(m, "8", "4"), Vote::kPass);
}

TEST(VoteFile, DetectsTheFormatFromTheHeader) {
  EXPECT_EQ(detect_vote_file_format("participant,group-id,n-comments,n-votes,n-agree,n-disagree\n")
                .value(),
            VoteFileFormat::kParticipantsVotes);
  EXPECT_EQ(detect_vote_file_format("vote,voter-id,comment-id\n").value(), VoteFileFormat::kVotes);
  const auto unknown = detect_vote_file_format("a,b,c\n1,2,3\n");
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message.find("line 1:"), std::string::npos);
  EXPECT_EQ(detect_vote_file_format("").error().code, ErrorCode::kInvalidArgument);
}

struct BadInput {
  const char* text;
  const char* message_start;
};

class BadVoteFile : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadVoteFile, FailsWithTheLineNumber) {
  const auto r = read(GetParam().text);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message.rfind(GetParam().message_start, 0), 0u) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Csv, BadVoteFile,
    ::testing::Values(
        BadInput{"participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,,,,,,2\n",
                 "line 2: a vote must be"},
        BadInput{"participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,,,,,,1\n"
                 "2,,,,,\n",
                 "line 3: expected 7 fields, found 6"},
        BadInput{"participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,,,,,,1\n"
                 "1,,,,,,1\n",
                 "line 3: participant \"1\" appears twice"},
        BadInput{"participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,0\n",
                 "line 1: statement \"0\" appears twice"},
        BadInput{"participant,group-id,n-votes\n", "line 1: the header must start"},
        BadInput{"comment-id,voter-id,vote\n1,2,1\n\n1,\"2\"x,1\n", "line 4: text after"},
        BadInput{"comment-id,voter-id,vote\n1,2,1\n\n1,\"2\nx,1\n", "line 4: a quoted field"},
        BadInput{"comment-id,voter-id,vote\n1,2,1\n1,\"2,1\n", "line 3: a quoted field"},
        BadInput{"comment-id,voter-id,vote\n1,2,yes\n", "line 2: a vote must be"},
        BadInput{"comment-id,voter-id,vote\n1,,1\n", "line 2: voter-id is empty"},
        BadInput{"timestamp,comment-id,voter-id,vote\nsoon,1,2,1\n",
                 "line 2: timestamp must be a number"},
        BadInput{"comment-id,voter-id,vote\n1,2,1\n1,a\"b,1\n", "line 3: a quote inside"}));

TEST(VoteFile, LimitsAreEnforced) {
  VoteMatrixBuilder b;
  CsvLimits limits;
  limits.max_votes = 1;
  const auto st = read_votes_csv("comment-id,voter-id,vote\n1,2,1\n1,3,1\n", b, limits);
  EXPECT_EQ(st.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(st.error().message.rfind("line 3:", 0), 0u);
}

TEST(CommentsCsv, ReadsBodiesWithQuotesAndLineBreaks) {
  const auto texts =
      read_comments_csv(
          "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
          "1,x,0,5,1,1,1,\"Open bank accounts, \"\"now\"\"\nplease\"\n"
          "2,x,1,5,0,0,-1,spam\n")
          .value();
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0].id, "0");
  EXPECT_EQ(texts[0].text, "Open bank accounts, \"now\"\nplease");
  EXPECT_FALSE(texts[0].moderated_out);
  EXPECT_TRUE(texts[1].moderated_out);
}

TEST(CommentsCsv, ErrorsNameTheLine) {
  const auto r = read_comments_csv("comment-id,comment-body\n\"1\",\"a\nb\"\n1,again\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "line 4: comment \"1\" appears twice");
  const auto bad_utf8 = read_comments_csv("comment-id,comment-body\n1,\xff\n");
  EXPECT_EQ(bad_utf8.error().message, "line 2: comment-body is not valid UTF-8");
  EXPECT_EQ(read_comments_csv("comment-id,moderated\n").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace veche::consensus
