#include "veche/consensus/csv.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <string>
#include <unordered_set>

#include "veche/core/text.hpp"

namespace veche::consensus {

namespace {

Error at_line(std::size_t line, const std::string& what) {
  return invalid_argument("line " + std::to_string(line) + ": " + what);
}

// Splits RFC 4180 text into records. `fields` is reused between records; `line` is the line
// the record starts on (1-based).
class CsvReader {
 public:
  CsvReader(std::string_view text, std::size_t max_field_bytes)
      : text_(text), max_field_(max_field_bytes) {
    // A UTF-8 byte order mark is not part of the first field.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  // Reads the next record. Returns false at the end of the text. Blank lines are skipped.
  Result<bool> next(std::vector<std::string>& fields, std::size_t& line) {
    VECHE_ASSIGN_OR_RETURN(const bool any, next(views_, line));
    fields.assign(views_.begin(), views_.end());
    return any;
  }

  // The same without copies: unquoted fields point into the text, quoted ones into the
  // reader's own buffers; valid until the next call. (The parse of 10 million votes spent
  // most of its time copying fields.)
  Result<bool> next(std::vector<std::string_view>& fields, std::size_t& line) {
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
    fields.clear();
    if (pos_ >= text_.size()) return false;
    line = line_;
    for (;;) {
      const std::size_t count = fields.size();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (count >= quoted_.size()) quoted_.resize(count + 1);
        std::string& field = quoted_[count];
        field.clear();
        const std::size_t open_line = line_;
        ++pos_;
        for (;;) {
          if (pos_ >= text_.size()) return at_line(open_line, "a quoted field is not closed");
          const char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              field.push_back('"');
              ++pos_;
              continue;
            }
            break;
          }
          if (c == '\n') ++line_;
          field.push_back(c);
          if (field.size() > max_field_) return at_line(open_line, "a field is too long");
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
            text_[pos_] != '\r') {
          return at_line(line_, "text after a closing quote");
        }
        fields.emplace_back(field);
      } else {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
               text_[pos_] != '\r') {
          if (text_[pos_] == '"') return at_line(line_, "a quote inside an unquoted field");
          ++pos_;
        }
        if (pos_ - start > max_field_) return at_line(line_, "a field is too long");
        fields.push_back(text_.substr(start, pos_ - start));
      }
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      // End of record: CRLF, LF, lone CR or end of text.
      if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') {
        ++pos_;
        ++line_;
      }
      break;
    }
    return true;
  }

 private:
  std::string_view text_;
  std::size_t max_field_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::vector<std::string_view> views_;
  // A deque: growing it keeps the earlier fields' buffers where the views point.
  std::deque<std::string> quoted_;
};

std::string lower_trimmed(std::string_view s) {
  std::string out(core::trim(s));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

Result<Vote> parse_vote(std::string_view cell, std::size_t line) {
  const auto v = core::trim(cell);
  if (v == "1" || v == "+1" || v == "1.0") return Vote::kAgree;
  if (v == "-1" || v == "-1.0") return Vote::kDisagree;
  if (v == "0" || v == "-0" || v == "0.0") return Vote::kPass;
  std::string shown(v.substr(0, 20));
  if (!core::is_valid_utf8(shown)) shown = "?";
  return at_line(line, "a vote must be 1, -1, 0 or blank, not \"" + shown + "\"");
}

Status check_id(std::string_view id, std::string_view what, std::size_t line) {
  if (id.empty()) return at_line(line, std::string(what) + " is empty");
  if (id.size() > 200) return at_line(line, std::string(what) + " is longer than 200 bytes");
  if (!core::is_valid_utf8(id)) return at_line(line, std::string(what) + " is not valid UTF-8");
  for (const char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return at_line(line, std::string(what) + " contains a control character");
    }
  }
  return ok();
}

Result<std::vector<std::string>> read_header(CsvReader& reader, std::size_t& line) {
  std::vector<std::string> header;
  VECHE_ASSIGN_OR_RETURN(const bool any, reader.next(header, line));
  if (!any) return invalid_argument("line 1: the file is empty (no header)");
  for (auto& h : header) h = lower_trimmed(h);
  return header;
}

bool is_small_number(std::string_view id) {
  return !id.empty() && id.size() <= 7 && (id.size() == 1 || id[0] != '0') &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Ids written as small decimal numbers (Pol.is numbers its voters and comments) are interned
// through an array indexed by their value instead of the builder's hash map, which took a
// fifth of the parse of 10 million votes. Such ids always pass check_id().
class NumericIds {
 public:
  // The builder's index for `id`, interning it with `intern(id)` the first time; -1 when the
  // id is not a decimal number below 10^7 without leading zeros.
  template <class Intern>
  std::int64_t find_or_add(std::string_view id, Intern&& intern) {
    if (id.empty() || id.size() > 7 || (id.size() > 1 && id[0] == '0')) return -1;
    std::size_t value = 0;
    for (const char c : id) {
      if (c < '0' || c > '9') return -1;
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    if (value >= slots_.size()) slots_.resize(std::max(value + 1, slots_.size() * 2), 0);
    if (slots_[value] == 0) slots_[value] = intern(id) + 1;
    return static_cast<std::int64_t>(slots_[value]) - 1;
  }

 private:
  std::vector<std::uint32_t> slots_;  // index + 1, 0 when not seen
};

constexpr std::string_view kWideFixed[] = {"participant", "group-id", "n-comments",
                                           "n-votes",     "n-agree",  "n-disagree"};

int column_of(const std::vector<std::string>& header, std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

}  // namespace

Result<VoteFileFormat> detect_vote_file_format(std::string_view text) {
  CsvReader reader(text, 64 * 1024);
  std::size_t line = 1;
  VECHE_ASSIGN_OR_RETURN(auto header, read_header(reader, line));
  if (!header.empty() && header[0] == "participant") return VoteFileFormat::kParticipantsVotes;
  if (column_of(header, "voter-id") >= 0 && column_of(header, "comment-id") >= 0 &&
      column_of(header, "vote") >= 0) {
    return VoteFileFormat::kVotes;
  }
  return at_line(line,
                 "unknown vote file: expected a Pol.is participants-votes.csv header "
                 "(participant,group-id,...) or votes.csv (comment-id,voter-id,vote)");
}

Status read_vote_file(std::string_view text, VoteMatrixBuilder& builder, const CsvLimits& limits) {
  VECHE_ASSIGN_OR_RETURN(const auto format, detect_vote_file_format(text));
  return format == VoteFileFormat::kParticipantsVotes
             ? read_participants_votes_csv(text, builder, limits)
             : read_votes_csv(text, builder, limits);
}

Status read_participants_votes_csv(std::string_view text, VoteMatrixBuilder& builder,
                                   const CsvLimits& limits) {
  CsvReader reader(text, limits.max_field_bytes);
  std::size_t line = 1;
  VECHE_ASSIGN_OR_RETURN(const auto header, read_header(reader, line));
  constexpr std::size_t kFixed = std::size(kWideFixed);
  for (std::size_t i = 0; i < kFixed; ++i) {
    if (i >= header.size() || header[i] != kWideFixed[i]) {
      return at_line(line,
                     "the header must start with participant,group-id,n-comments,"
                     "n-votes,n-agree,n-disagree");
    }
  }
  if (header.size() - kFixed > limits.max_statements) {
    return too_large("line " + std::to_string(line) + ": more than " +
                     std::to_string(limits.max_statements) + " statements");
  }
  std::vector<std::uint32_t> statements;
  std::unordered_set<std::string> seen_statements;
  for (std::size_t i = kFixed; i < header.size(); ++i) {
    VECHE_TRY(check_id(header[i], "a statement id in the header", line));
    if (!seen_statements.insert(header[i]).second) {
      return at_line(line, "statement \"" + header[i] + "\" appears twice in the header");
    }
    statements.push_back(builder.statement(header[i]));
  }
  std::unordered_set<std::string> seen_participants;
  std::vector<std::string_view> fields;
  std::size_t votes = 0;
  for (;;) {
    VECHE_ASSIGN_OR_RETURN(const bool any, reader.next(fields, line));
    if (!any) break;
    if (fields.size() != header.size()) {
      return at_line(line, "expected " + std::to_string(header.size()) + " fields, found " +
                               std::to_string(fields.size()));
    }
    const auto id = core::trim(fields[0]);
    VECHE_TRY(check_id(id, "the participant id", line));
    if (!seen_participants.emplace(id).second) {
      return at_line(line, "participant \"" + std::string(id) + "\" appears twice");
    }
    if (seen_participants.size() > limits.max_participants) {
      return too_large("line " + std::to_string(line) + ": more than " +
                       std::to_string(limits.max_participants) + " participants");
    }
    const auto p = builder.participant(id);
    for (std::size_t i = kFixed; i < fields.size(); ++i) {
      if (core::trim(fields[i]).empty()) continue;
      VECHE_ASSIGN_OR_RETURN(const Vote v, parse_vote(fields[i], line));
      if (++votes > limits.max_votes) {
        return too_large("line " + std::to_string(line) + ": more than " +
                         std::to_string(limits.max_votes) + " votes");
      }
      builder.add(p, statements[i - kFixed], v);
    }
  }
  return ok();
}

Status read_votes_csv(std::string_view text, VoteMatrixBuilder& builder, const CsvLimits& limits) {
  CsvReader reader(text, limits.max_field_bytes);
  std::size_t line = 1;
  VECHE_ASSIGN_OR_RETURN(const auto header, read_header(reader, line));
  const int c_comment = column_of(header, "comment-id");
  const int c_voter = column_of(header, "voter-id");
  const int c_vote = column_of(header, "vote");
  const int c_time = column_of(header, "timestamp");
  if (c_comment < 0 || c_voter < 0 || c_vote < 0) {
    return at_line(line, "the header must name the columns comment-id, voter-id and vote");
  }
  builder.reserve(builder.vote_count() +
                  std::min<std::size_t>(limits.max_votes, static_cast<std::size_t>(std::count(
                                                              text.begin(), text.end(), '\n'))));
  std::vector<std::string_view> fields;
  std::size_t votes = 0;
  std::size_t participants = 0;
  std::size_t statements = 0;
  std::string last_voter;
  std::uint32_t last_p = 0;
  bool have_last = false;
  NumericIds voter_ids, statement_ids;
  for (;;) {
    VECHE_ASSIGN_OR_RETURN(const bool any, reader.next(fields, line));
    if (!any) break;
    if (fields.size() != header.size()) {
      return at_line(line, "expected " + std::to_string(header.size()) + " fields, found " +
                               std::to_string(fields.size()));
    }
    const auto voter = core::trim(fields[static_cast<std::size_t>(c_voter)]);
    const auto comment = core::trim(fields[static_cast<std::size_t>(c_comment)]);
    // Exports list a voter's votes together more often than not: the same id as on the line
    // before was checked and interned there.
    const bool same_voter = have_last && voter == last_voter;
    if (!same_voter && !is_small_number(voter)) VECHE_TRY(check_id(voter, "voter-id", line));
    if (!is_small_number(comment)) VECHE_TRY(check_id(comment, "comment-id", line));
    VECHE_ASSIGN_OR_RETURN(const Vote v,
                           parse_vote(fields[static_cast<std::size_t>(c_vote)], line));
    std::int64_t order = 0;
    if (c_time >= 0) {
      const auto t = core::trim(fields[static_cast<std::size_t>(c_time)]);
      if (!t.empty()) {
        // Pol.is writes milliseconds since the epoch; a fraction is ignored.
        const auto dot = t.find('.');
        const auto whole = t.substr(0, dot);
        const auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), order);
        const bool fraction_ok = dot == std::string_view::npos ||
                                 std::all_of(t.begin() + static_cast<std::ptrdiff_t>(dot) + 1,
                                             t.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (ec != std::errc() || ptr != whole.data() + whole.size() || !fraction_ok) {
          return at_line(line, "timestamp must be a number");
        }
      }
    }
    if (++votes > limits.max_votes) {
      return too_large("line " + std::to_string(line) + ": more than " +
                       std::to_string(limits.max_votes) + " votes");
    }
    std::uint32_t p = last_p;
    if (!same_voter) {
      const auto known = voter_ids.find_or_add(
          voter, [&](std::string_view id) { return builder.participant(id); });
      p = known >= 0 ? static_cast<std::uint32_t>(known) : builder.participant(voter);
      last_voter.assign(voter);
      last_p = p;
      have_last = true;
    }
    const auto known = statement_ids.find_or_add(
        comment, [&](std::string_view id) { return builder.statement(id); });
    const auto s = known >= 0 ? static_cast<std::uint32_t>(known) : builder.statement(comment);
    participants = std::max<std::size_t>(participants, p + 1u);
    statements = std::max<std::size_t>(statements, s + 1u);
    if (participants > limits.max_participants) {
      return too_large("line " + std::to_string(line) + ": more than " +
                       std::to_string(limits.max_participants) + " participants");
    }
    if (statements > limits.max_statements) {
      return too_large("line " + std::to_string(line) + ": more than " +
                       std::to_string(limits.max_statements) + " statements");
    }
    builder.add(p, s, v, order);
  }
  return ok();
}

Result<std::vector<StatementText>> read_comments_csv(std::string_view text,
                                                     const CsvLimits& limits) {
  CsvReader reader(text, limits.max_field_bytes);
  std::size_t line = 1;
  VECHE_ASSIGN_OR_RETURN(const auto header, read_header(reader, line));
  const int c_id = column_of(header, "comment-id");
  const int c_body = column_of(header, "comment-body");
  const int c_mod = column_of(header, "moderated");
  if (c_id < 0 || c_body < 0) {
    return at_line(line, "the header must name the columns comment-id and comment-body");
  }
  std::vector<StatementText> out;
  std::unordered_set<std::string> seen;
  std::vector<std::string> fields;
  for (;;) {
    VECHE_ASSIGN_OR_RETURN(const bool any, reader.next(fields, line));
    if (!any) break;
    if (fields.size() != header.size()) {
      return at_line(line, "expected " + std::to_string(header.size()) + " fields, found " +
                               std::to_string(fields.size()));
    }
    StatementText st;
    st.id = std::string(core::trim(fields[static_cast<std::size_t>(c_id)]));
    VECHE_TRY(check_id(st.id, "comment-id", line));
    if (!seen.insert(st.id).second) {
      return at_line(line, "comment \"" + st.id + "\" appears twice");
    }
    st.text = std::move(fields[static_cast<std::size_t>(c_body)]);
    if (!core::is_valid_utf8(st.text)) return at_line(line, "comment-body is not valid UTF-8");
    if (c_mod >= 0) {
      const auto m = core::trim(fields[static_cast<std::size_t>(c_mod)]);
      if (m == "-1") {
        st.moderated_out = true;
      } else if (!m.empty() && m != "0" && m != "1") {
        return at_line(line, "moderated must be -1, 0, 1 or blank");
      }
    }
    out.push_back(std::move(st));
    if (out.size() > limits.max_statements) {
      return too_large("line " + std::to_string(line) + ": more than " +
                       std::to_string(limits.max_statements) + " statements");
    }
  }
  return out;
}

}  // namespace veche::consensus
