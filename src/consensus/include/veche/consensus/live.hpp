// Keeping a report current between full analyses, one vote at a time (docs/consensus.md,
// "Incremental updates").
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "veche/consensus/analysis.hpp"
#include "veche/consensus/vote_matrix.hpp"
#include "veche/core/result.hpp"

namespace veche::consensus {

// The last full analysis plus the votes cast since, applied one by one. A vote updates the
// voter's position on the map and their group (nearest centre), the statement's counts, the
// lists that follow from the counts (representatives, consensus, divisive) and the
// statement's bridging score. The statement components, the group centres, every other
// participant and the number of groups stay as the full analysis left them, so a full
// recompute (analyse(), off the request path) remains the source of truth: run it from time
// to time and start a new LiveAnalysis from it.
// Not thread-safe: one writer; const methods may run concurrently only without add_vote.
class LiveAnalysis {
 public:
  // Runs the full analysis of `votes` (see analyse()) and keeps what updates need.
  static Result<LiveAnalysis> start(VoteMatrix votes, const AnalysisOptions& options = {});

  LiveAnalysis(LiveAnalysis&&) noexcept;
  LiveAnalysis& operator=(LiveAnalysis&&) noexcept;
  ~LiveAnalysis();

  // Applies one new or changed vote. Returns false and changes nothing when the statement was
  // not in the full analysis (new, moderated out, or without votes then): it counts from the
  // next full analysis on. kInvalidArgument when an id is empty.
  Result<bool> add_vote(std::string_view participant_id, std::string_view statement_id, Vote vote);

  const Report& report() const;
  // The votes of the full analysis (without the ones added since).
  const VoteMatrix& votes() const;
  // Report::assignment and Report::map list the participants of votes(), then those whose
  // first vote came after the full analysis, in the order they came.
  std::size_t participant_count() const;
  const std::string& participant_id(std::size_t p) const;
  std::size_t votes_added() const;

 private:
  struct State;
  explicit LiveAnalysis(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace veche::consensus
