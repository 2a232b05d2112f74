#include "veche/consensus/vote_matrix.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace veche::consensus {

namespace {

bool is_decimal(std::string_view s) noexcept {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view strip_zeros(std::string_view s) noexcept {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  return s;
}

template <class Ids>
std::int64_t find_sorted(const Ids& ids, std::string_view id) {
  const auto it =
      std::lower_bound(ids.begin(), ids.end(), id,
                       [](const std::string& a, std::string_view b) { return id_less(a, b); });
  if (it == ids.end() || *it != id) return -1;
  return static_cast<std::int64_t>(it - ids.begin());
}

// Canonical permutation: rank[old index] = new index.
std::vector<std::uint32_t> canonical_ranks(const std::vector<std::string>& ids) {
  std::vector<std::uint32_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return id_less(ids[a], ids[b]); });
  std::vector<std::uint32_t> rank(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<std::uint32_t>(i);
  return rank;
}

}  // namespace

bool id_less(std::string_view a, std::string_view b) noexcept {
  const bool da = is_decimal(a), db = is_decimal(b);
  if (da != db) return da;
  if (da) {
    const auto sa = strip_zeros(a), sb = strip_zeros(b);
    if (sa.size() != sb.size()) return sa.size() < sb.size();
    if (sa != sb) return sa < sb;
  }
  return a < b;
}

std::int64_t VoteMatrix::find_statement(std::string_view id) const {
  return find_sorted(statement_ids_, id);
}

std::int64_t VoteMatrix::find_participant(std::string_view id) const {
  return find_sorted(participant_ids_, id);
}

std::uint32_t VoteMatrixBuilder::participant(std::string_view id) {
  if (const auto it = participant_index_.find(id); it != participant_index_.end()) {
    return it->second;
  }
  const auto index = static_cast<std::uint32_t>(participants_.size());
  participant_index_.emplace(std::string(id), index);
  participants_.emplace_back(id);
  return index;
}

std::uint32_t VoteMatrixBuilder::statement(std::string_view id) {
  if (const auto it = statement_index_.find(id); it != statement_index_.end()) return it->second;
  const auto index = static_cast<std::uint32_t>(statements_.size());
  statement_index_.emplace(std::string(id), index);
  statements_.emplace_back(id);
  moderated_.push_back(false);
  return index;
}

void VoteMatrixBuilder::add(std::uint32_t p, std::uint32_t s, Vote vote, std::int64_t order) {
  entries_.push_back(Entry{order, p, s, vote});
}

void VoteMatrixBuilder::add(std::string_view participant_id, std::string_view statement_id,
                            Vote vote, std::int64_t order) {
  const auto p = participant(participant_id);
  const auto s = statement(statement_id);
  add(p, s, vote, order);
}

void VoteMatrixBuilder::moderate_out(std::string_view statement_id) {
  moderated_[statement(statement_id)] = true;
}

Result<VoteMatrix> VoteMatrixBuilder::build() const {
  for (const auto& id : participants_) {
    if (id.empty()) return invalid_argument("a participant id is empty");
  }
  for (const auto& id : statements_) {
    if (id.empty()) return invalid_argument("a statement id is empty");
  }
  if (entries_.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return too_large("more than 4294967294 votes");
  }
  const auto prank = canonical_ranks(participants_);
  const auto srank = canonical_ranks(statements_);

  // Entries in canonical cell order, stably (arrival order within a cell), by two counting
  // sorts over indices: by statement, then by participant. Linear in the votes; a comparison
  // sort of 10 million entries took longer than the whole factorization.
  const std::size_t n = participants_.size();
  const std::size_t k = statements_.size();
  std::vector<std::uint32_t> by_cell(entries_.size());
  {
    std::vector<std::uint32_t> by_statement(entries_.size());
    std::vector<std::size_t> start(k + 1, 0);
    for (const Entry& e : entries_) ++start[srank[e.statement] + 1];
    for (std::size_t s = 0; s < k; ++s) start[s + 1] += start[s];
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      by_statement[start[srank[entries_[i].statement]]++] = static_cast<std::uint32_t>(i);
    }
    start.assign(n + 1, 0);
    for (const Entry& e : entries_) ++start[prank[e.participant] + 1];
    for (std::size_t p = 0; p < n; ++p) start[p + 1] += start[p];
    for (const std::uint32_t i : by_statement) by_cell[start[prank[entries_[i].participant]]++] = i;
  }

  VoteMatrix m;
  m.participant_ids_.resize(n);
  for (std::size_t i = 0; i < n; ++i) m.participant_ids_[prank[i]] = participants_[i];
  m.statement_ids_.resize(k);
  m.moderated_out_.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    m.statement_ids_[srank[i]] = statements_[i];
    m.moderated_out_[srank[i]] = moderated_[i];
  }

  // One cell per run of equal (participant, statement): the greatest order wins, ties go to
  // the vote added last (the run is in arrival order).
  m.row_start_.assign(n + 1, 0);
  m.row_cells_.reserve(entries_.size());
  std::vector<std::size_t> col_count(k, 0);
  for (std::size_t i = 0; i < by_cell.size();) {
    const Entry& first = entries_[by_cell[i]];
    std::size_t best = i, j = i + 1;
    for (; j < by_cell.size(); ++j) {
      const Entry& e = entries_[by_cell[j]];
      if (e.participant != first.participant || e.statement != first.statement) break;
      if (e.order >= entries_[by_cell[best]].order) best = j;
    }
    const auto p = prank[first.participant];
    const auto s = srank[first.statement];
    m.row_cells_.push_back(VoteMatrix::Cell{s, entries_[by_cell[best]].vote});
    ++m.row_start_[p + 1];
    ++col_count[s];
    i = j;
  }
  by_cell = {};
  for (std::size_t p = 0; p < n; ++p) m.row_start_[p + 1] += m.row_start_[p];
  m.col_start_.assign(k + 1, 0);
  for (std::size_t s = 0; s < k; ++s) m.col_start_[s + 1] = m.col_start_[s] + col_count[s];
  m.col_cells_.resize(m.row_cells_.size());
  std::vector<std::size_t> fill(m.col_start_.begin(), m.col_start_.end() - 1);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t c = m.row_start_[p]; c < m.row_start_[p + 1]; ++c) {
      const auto& cell = m.row_cells_[c];
      m.col_cells_[fill[cell.index]++] = VoteMatrix::Cell{static_cast<std::uint32_t>(p), cell.vote};
    }
  }
  return m;
}

}  // namespace veche::consensus
