// The analysis of a conversation: opinion groups, the statements that represent each group,
// group-informed consensus, bridging and divisive statements. The method and why each choice
// was made: docs/consensus.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "veche/consensus/vote_matrix.hpp"
#include "veche/core/result.hpp"

namespace veche::consensus {

struct AnalysisOptions {
  std::uint64_t seed = 1;  // seeds the factorizations and k-means++; same seed, same report
  int min_groups = 2;      // k is chosen by silhouette in [min_groups, max_groups]
  int max_groups = 8;
  int dimensions = 0;       // clustering dimensions; 0 = chosen by explained variance
  int max_dimensions = 8;   // rank of the embedding
  int kmeans_restarts = 4;  // k-means++ restarts per k; the lowest inertia wins
  int representatives = 5;  // statements per group
  int top_statements = 10;  // consensus, bridging and divisive statements listed
  int threads = 2;          // worker threads (results do not depend on it)
  // Labels of a previous analysis (participant id -> group label): new groups take the label
  // of the previous group they overlap most, and k stays the same unless another k is clearly
  // better (silhouette higher by more than `k_hysteresis`).
  std::unordered_map<std::string, int> previous_groups;
  double k_hysteresis = 0.03;
};

struct Counts {
  std::uint32_t agree = 0;
  std::uint32_t disagree = 0;
  std::uint32_t pass = 0;
  std::uint32_t seen() const { return agree + disagree + pass; }
};

// One statement that sets a group apart (Pol.is "repness").
struct Representative {
  std::uint32_t statement = 0;
  bool agree = true;  // the group agrees (true) or disagrees (false) more than others
  Counts in_group;
  Counts others;             // participants in every other group
  double probability = 0;    // (agree+1)/(seen+2) in the group (disagree for !agree)
  double ratio = 0;          // probability over the same quantity among the others
  double z_probability = 0;  // one-proportion test: the group leans this way (> 1/2)
  double z_ratio = 0;        // two-proportion test: more than the others
  double metric = 0;         // ratio * z_ratio * probability * z_probability
  bool significant = false;  // both tests pass at 90% (one-sided)
};

struct Group {
  int label = 0;  // stable across recomputations; shown as A, B, C, ...
  std::size_t size = 0;
  std::vector<Representative> representatives;  // agrees first, then by metric
};

struct ConsensusStatement {
  std::uint32_t statement = 0;
  bool agree = true;                      // everyone agrees (true) or everyone disagrees (false)
  double score = 0;                       // product over groups of (n+1)/(seen+2)
  std::vector<double> group_probability;  // per group, in Report::groups order
  double confidence = 0;                  // smallest over groups of P(the group leans this way)
  Counts counts;                          // all participants
};

struct BridgingStatement {
  std::uint32_t statement = 0;
  double intercept = 0;       // agreement left after the factors explain the camp lines
  double factor = 0;          // length of its loading on the opinion axes (near 0: bridges)
  double standard_error = 0;  // of the intercept
  // 90% sure the intercept is at least kBridgingIntercept: intercept - 1.2816 * standard_error.
  bool bridges = false;
  Counts counts;
};

struct DivisiveStatement {
  std::uint32_t statement = 0;
  double score = 0;        // largest minus smallest agree probability among groups
  int agreeing_group = 0;  // index in Report::groups
  int disagreeing_group = 0;
  double z = 0;  // two-proportion test between those two groups
  double confidence = 0;
  Counts counts;
};

// On the rating scale agree 1, pass 1/2, disagree 0: agreement about 15 points above the
// average statement that the opinion axes do not explain.
inline constexpr double kBridgingIntercept = 0.15;

struct Report {
  std::size_t participants = 0;            // with at least one vote on an active statement
  std::size_t statements = 0;              // active: not moderated out, at least one vote
  std::size_t votes = 0;                   // on active statements
  std::size_t clustered = 0;               // participants with enough votes to be grouped
  int dimensions = 0;                      // used for clustering
  std::vector<double> explained_variance;  // share per embedding component, largest first
  double silhouette = 0;                   // of the chosen clustering (on a sample when large)
  std::vector<Group> groups;               // ordered by label
  // Per participant (VoteMatrix order): index into `groups`, or -1 when not clustered.
  std::vector<int> assignment;
  // Per participant: position on the map (the first two components), for drawing only.
  std::vector<std::array<float, 2>> map;
  std::vector<ConsensusStatement> consensus;
  std::vector<BridgingStatement> bridging;
  std::vector<DivisiveStatement> divisive;
  std::vector<Counts> statement_counts;  // per statement (VoteMatrix order), all participants
};

// Runs the full analysis. kInvalidArgument for bad options; kFailedPrecondition when there are
// fewer than 2 active statements or too few participants to form 2 groups. Deterministic for
// the same matrix, options and seed, whatever `threads` is.
Result<Report> analyse(const VoteMatrix& votes, const AnalysisOptions& options = {});

// Group label as shown to people: 0 -> "A", 25 -> "Z", 26 -> "AA".
std::string group_name(int label);

// Previous labels in the form AnalysisOptions::previous_groups wants.
std::unordered_map<std::string, int> group_labels(const VoteMatrix& votes, const Report& report);

}  // namespace veche::consensus
