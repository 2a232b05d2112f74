// Ballot file formats: BLT, PrefLib (.soc .soi .toc .toi) and ABIF.
//
// Every parser reads a whole buffer already in memory (the caller does the I/O), never crashes on
// bad input, and reports the first problem as kInvalidArgument "line N: ..." (kTooLarge past the
// limits of profile.hpp). Identical ballots are grouped while parsing.
#pragma once

#include <string_view>

#include "veche/core/result.hpp"
#include "veche/count/profile.hpp"

namespace veche::count {

struct ParseOptions {
  // A ballot naming a candidate the file did not declare (an ABIF token with no `=` line, a BLT
  // or PrefLib number above the candidate count).
  enum class WriteIn {
    kReject,  // the file is malformed: an error naming the line
    kIgnore,  // the mark is dropped, the rest of the ballot counts
    kAccept,  // ABIF only: the name becomes a new candidate (numbers are still rejected)
  };
  WriteIn write_in = WriteIn::kReject;
};

// BLT (Hill, Wichmann and Woodall 1987) with the common extensions:
//   line 1 `C S` (candidates, seats); an optional withdrawn line of negative numbers `-2 -5`;
//   optional `[nick a b c]`, `[withdrawn a b]` and other bracketed option lines (others ignored);
//   ballot lines `W c1 c2 ... 0` with an optional `(id)` prefix, `c1=c2` for equal ranks and `-`
//   for a skipped rank (candidates by number or by nickname); a lone `0`; C quoted names; an
//   optional quoted title. `#` starts a comment anywhere outside quotes.
Result<Profile> parse_blt(std::string_view text, const ParseOptions& options = {});

// PrefLib 2022 format (`# ALTERNATIVE NAME i: name` header lines, then `count: 1,2,{3,4}`), and
// the older format (a count line, `i,name` lines, a `voters,sum,unique` line, `count,1,2,{3,4}`).
// Seats = 1 (PrefLib has no seats field).
Result<Profile> parse_preflib(std::string_view text, const ParseOptions& options = {});

// ABIF (electorama.com/abif): `#` comments, `{...}` metadata lines, `=tok:[Full Name]`
// candidate lines, ballot lines `count: A>B=C>D` or `count* ...`; `/N` after a candidate gives
// a rating (`A/5,B/3`); `,` separates candidates without an order between them (equal rank);
// names are bare tokens or `[bracketed names]`. Seats = 1.
Result<Profile> parse_abif(std::string_view text, const ParseOptions& options = {});

enum class Format { kBlt, kPrefLib, kAbif };

// Picks the format from a file name's extension (.blt; .soc .soi .toc .toi; .abif). Returns
// kInvalidArgument for any other extension.
Result<Format> format_from_name(std::string_view file_name);
Result<Profile> parse(Format format, std::string_view text, const ParseOptions& options = {});

// Writes a profile as BLT (equal ranks with `=`, skipped ranks with `-`, withdrawn as `-k` line).
std::string write_blt(const Profile& profile);

}  // namespace veche::count
