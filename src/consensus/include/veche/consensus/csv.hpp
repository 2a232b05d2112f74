// Readers for the Pol.is export formats (and anything laid out like them).
//
// - participants-votes.csv (wide): participant,group-id,n-comments,n-votes,n-agree,n-disagree,
//   then one column per statement id; cells 1 (agree), -1 (disagree), 0 (pass) or blank.
//   The group and count columns are Pol.is's own results and are ignored.
// - votes.csv (long): columns timestamp, datetime, comment-id, voter-id, vote in any order
//   (timestamp and datetime optional); vote 1 / -1 / 0. A later timestamp replaces an earlier
//   vote by the same voter on the same statement.
// - comments.csv: comment-id and comment-body, optional moderated (-1 = taken out).
//
// Text in, values out: no file access here. Fields follow RFC 4180 (quotes, "" escapes, line
// breaks inside quotes; CRLF or LF). Every error is kInvalidArgument and names the line
// ("line 7: ..."), or kTooLarge when a limit below is exceeded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "veche/consensus/vote_matrix.hpp"
#include "veche/core/result.hpp"

namespace veche::consensus {

struct CsvLimits {
  std::size_t max_statements = 100'000;
  std::size_t max_participants = 10'000'000;
  std::size_t max_votes = 200'000'000;
  std::size_t max_field_bytes = 64 * 1024;
};

enum class VoteFileFormat { kParticipantsVotes, kVotes };

// Detects the format from the header line; kInvalidArgument ("line 1: ...") when neither fits.
Result<VoteFileFormat> detect_vote_file_format(std::string_view text);

// Reads either format (detected by header) into `builder`.
Status read_vote_file(std::string_view text, VoteMatrixBuilder& builder,
                      const CsvLimits& limits = {});
Status read_participants_votes_csv(std::string_view text, VoteMatrixBuilder& builder,
                                   const CsvLimits& limits = {});
Status read_votes_csv(std::string_view text, VoteMatrixBuilder& builder,
                      const CsvLimits& limits = {});

struct StatementText {
  std::string id;
  std::string text;
  bool moderated_out = false;
};

// Reads comments.csv. Bodies must be valid UTF-8.
Result<std::vector<StatementText>> read_comments_csv(std::string_view text,
                                                     const CsvLimits& limits = {});

}  // namespace veche::consensus
