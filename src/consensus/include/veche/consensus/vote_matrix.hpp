// The sparse vote matrix: participants x statements, each cell agree / disagree / pass or
// missing, plus the statements a moderator took out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "veche/core/result.hpp"

namespace veche::consensus {

enum class Vote : std::int8_t { kDisagree = -1, kPass = 0, kAgree = 1 };

// Immutable, compressed both by participant (rows) and by statement (columns); the memory it
// needs grows with the number of votes, never with participants x statements.
// Participants and statements are held in a canonical order (ids compared numerically when
// both are decimal numbers, else as bytes), so the order the votes arrived in never changes
// an analysis. Thread-safety: const methods may be called from many threads.
class VoteMatrix {
 public:
  struct Cell {
    std::uint32_t index;  // the statement (in a row) or the participant (in a column)
    Vote vote;
  };

  std::size_t participant_count() const { return participant_ids_.size(); }
  std::size_t statement_count() const { return statement_ids_.size(); }
  std::size_t vote_count() const { return row_cells_.size(); }

  const std::string& participant_id(std::size_t p) const { return participant_ids_[p]; }
  const std::string& statement_id(std::size_t s) const { return statement_ids_[s]; }
  // Index of a statement or participant id, or -1 when absent.
  std::int64_t find_statement(std::string_view id) const;
  std::int64_t find_participant(std::string_view id) const;

  bool moderated_out(std::size_t s) const { return moderated_out_[s]; }

  // The votes of participant `p`, ordered by statement.
  const Cell* row_begin(std::size_t p) const { return row_cells_.data() + row_start_[p]; }
  const Cell* row_end(std::size_t p) const { return row_cells_.data() + row_start_[p + 1]; }
  // The votes on statement `s`, ordered by participant.
  const Cell* column_begin(std::size_t s) const { return col_cells_.data() + col_start_[s]; }
  const Cell* column_end(std::size_t s) const { return col_cells_.data() + col_start_[s + 1]; }

 private:
  friend class VoteMatrixBuilder;
  std::vector<std::string> participant_ids_;
  std::vector<std::string> statement_ids_;
  std::vector<bool> moderated_out_;
  std::vector<std::size_t> row_start_;
  std::vector<Cell> row_cells_;
  std::vector<std::size_t> col_start_;
  std::vector<Cell> col_cells_;
};

// Collects votes in any order and builds the canonical matrix. When one participant votes on
// one statement more than once, the vote with the greatest `order` wins (ties: the one added
// last), as in Pol.is where a changed vote replaces the earlier one. Not thread-safe.
class VoteMatrixBuilder {
 public:
  // Interns ids; returns the builder's own index for the id.
  std::uint32_t participant(std::string_view id);
  std::uint32_t statement(std::string_view id);
  void add(std::uint32_t participant, std::uint32_t statement, Vote vote, std::int64_t order = 0);
  // Adds a vote by ids (a convenience for tests and small inputs).
  void add(std::string_view participant_id, std::string_view statement_id, Vote vote,
           std::int64_t order = 0);
  // Takes a statement out of every analysis; it keeps its votes and id.
  void moderate_out(std::string_view statement_id);

  std::size_t vote_count() const { return entries_.size(); }
  // Room for this many votes in all (an estimate; saves the copies of a growing buffer).
  void reserve(std::size_t votes) { entries_.reserve(votes); }

  // kInvalidArgument when an id is empty; kTooLarge above 2^32 - 1 votes.
  Result<VoteMatrix> build() const;

 private:
  struct Entry {
    std::int64_t order;
    std::uint32_t participant;
    std::uint32_t statement;
    Vote vote;
  };
  // Looked up by string_view without building a string (the parse does this once per vote).
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  using IdIndex = std::unordered_map<std::string, std::uint32_t, IdHash, std::equal_to<>>;
  IdIndex participant_index_;
  IdIndex statement_index_;
  std::vector<std::string> participants_;
  std::vector<std::string> statements_;
  std::vector<bool> moderated_;
  std::vector<Entry> entries_;
};

// Canonical order of ids: decimal numbers by value (before anything else), then bytes.
bool id_less(std::string_view a, std::string_view b) noexcept;

}  // namespace veche::consensus
