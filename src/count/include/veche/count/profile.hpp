// The input of a count: candidates, seats and ballots grouped by identical content.
//
// A ballot is a sequence of rank levels, most preferred first. Each level holds one candidate,
// or several candidates ranked equal (an "overvote" in US usage), or is a skipped rank. Ballots
// with identical content are stored once with a weight, so memory and time grow with the number
// of distinct ballots, not with the number of voters. Ratings (ABIF `A/5`) ride along per item.
//
// Storage is flat: ballot g occupies items[offsets[g] .. offsets[g+1]). Each item is a candidate
// index (0-based) in the low 15 bits, with kTiedWithPrevious set when it shares the rank level
// of the item before it; kSkippedRank marks a rank level left blank.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "veche/core/result.hpp"

namespace veche::count {

namespace detail {
// Memory for large hash tables: 2 MiB aligned and marked for transparent huge pages, so that
// random probes into a table of several megabytes do not each miss the TLB (profile.cpp).
void* allocate_table(std::size_t bytes);
void free_table(void* p, std::size_t bytes) noexcept;

template <class T>
struct TableAllocator {
  using value_type = T;
  TableAllocator() = default;
  template <class U>
  TableAllocator(const TableAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_table(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_table(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const TableAllocator<U>&) const noexcept {
    return true;
  }
};
}  // namespace detail

using Item = std::uint16_t;
inline constexpr Item kTiedWithPrevious = 0x8000;
inline constexpr Item kSkippedRank = 0x7fff;
inline constexpr Item kCandidateMask = 0x7fff;
// Upper bounds every parser enforces (kTooLarge beyond them): Schulze is cubic in candidates and
// every fixed-point total must fit 63 bits at 9 decimal places.
inline constexpr std::size_t kMaxCandidates = 1000;
inline constexpr std::uint64_t kMaxTotalWeight = 2'000'000'000;
inline constexpr std::size_t kMaxBallotLength = 4000;

inline constexpr Item candidate_of(Item item) { return item & kCandidateMask; }
inline constexpr bool is_tied(Item item) { return (item & kTiedWithPrevious) != 0; }

struct Profile {
  std::string title;
  std::vector<std::string> candidates;
  std::vector<bool> withdrawn;  // same size as candidates
  int seats = 1;

  // Grouped ballots (see the file comment).
  std::vector<std::uint64_t> weights;     // voters per distinct ballot
  std::vector<std::uint32_t> offsets{0};  // size = groups + 1
  std::vector<Item> items;
  std::vector<std::int32_t> ratings;  // empty, or parallel to items (ABIF ratings)
  std::uint64_t invalid_ballots = 0;  // voters whose ballot a rule set aside

  std::size_t num_candidates() const { return candidates.size(); }
  std::size_t num_groups() const { return weights.size(); }
  std::span<const Item> ballot(std::size_t g) const {
    return {items.data() + offsets[g], items.data() + offsets[g + 1]};
  }
  std::span<const std::int32_t> ballot_ratings(std::size_t g) const {
    return {ratings.data() + offsets[g], ratings.data() + offsets[g + 1]};
  }
  std::uint64_t total_weight() const;
};

// Builds a Profile, merging identical ballots in an open-addressing hash table keyed on the
// ballot's items (and ratings). Not thread-safe.
class ProfileBuilder {
 public:
  ProfileBuilder() = default;
  // Adds `weight` voters casting `ballot` (and `ratings`, empty or parallel). Returns kTooLarge
  // once the total weight exceeds kMaxTotalWeight. Empty ballots are kept (they count as cast).
  Status add(std::span<const Item> ballot, std::uint64_t weight,
             std::span<const std::int32_t> ratings = {});
  // Same as add(ballot, weight) for a short unrated ballot already packed by a parser: `key`
  // must be the packed key of `ballot` (see kMaxPackedItems below) and weight at most
  // kMaxTotalWeight. Returns false, adding nothing, once the total weight would exceed
  // kMaxTotalWeight. The hot path of the BLT reader: a hit costs one table probe.
  bool add_packed(std::uint64_t key, std::span<const Item> ballot, std::uint64_t weight) {
    if (total_ + weight > kMaxTotalWeight || rated_ || short_table_.empty()) {
      return add_packed_slow(key, ballot, weight);
    }
    const std::size_t mask = short_table_.size() - 1;
    for (std::size_t i = mix_key(key) & mask; short_table_[i].group != 0; i = (i + 1) & mask) {
      if (short_table_[i].key == key) {
        total_ += weight;
        last_group_ = short_table_[i].group - 1;
        profile_.weights[last_group_] += weight;
        return true;
      }
    }
    return add_packed_slow(key, ballot, weight);
  }
  // The group of the ballot that the last successful add or add_packed went to.
  std::uint32_t last_group() const { return last_group_; }
  // Adds `weight` voters to group `group` (an index below profile().num_groups()), as add_packed
  // would for a ballot already known to be in it. Returns false, adding nothing, once the total
  // weight would exceed kMaxTotalWeight.
  bool add_to_group(std::uint32_t group, std::uint64_t weight) {
    if (weight > kMaxTotalWeight || total_ + weight > kMaxTotalWeight) return false;
    total_ += weight;
    profile_.weights[group] += weight;
    return true;
  }
  // Hints that add_to_group(group, ...) will be called soon.
  void prefetch_group(std::uint32_t group) const { __builtin_prefetch(&profile_.weights[group]); }
  // Hints that `key` (a packed short ballot) will be added soon.
  void prefetch_packed(std::uint64_t key) const {
    if (!short_table_.empty()) {
      __builtin_prefetch(&short_table_[mix_key(key) & (short_table_.size() - 1)]);
    }
  }
  // Hints that `ballot` will be added soon (loads its table slot into cache). Optional; lets a
  // parser overlap the memory latency of several lookups.
  void prefetch(std::span<const Item> ballot) const;
  // Adds every group of `other` (unrated, built by another builder), in its order: the same as
  // add(other.ballot(g), other.weights[g]) for each g, but the lookups run on two threads when
  // there are many.
  Status merge(const Profile& other);
  // Reserves the profile's storage for about `groups` distinct ballots of `items` marks in all:
  // growing by reallocation would copy them and touch twice the memory.
  void reserve(std::size_t groups, std::size_t items);
  Profile& profile() { return profile_; }
  // Moves the profile out; the builder is empty afterwards.
  Profile finish();

 private:
  void grow();
  Profile profile_;
  // Slots hold (hash >> 32) << 32 | (group index + 1); 0 = empty. Keeping the hash tag in the
  // slot avoids touching the ballot itself on most mismatches.
  std::vector<std::uint64_t, detail::TableAllocator<std::uint64_t>> table_;
  std::vector<std::uint64_t> hashes_;       // per long-table entry
  std::vector<std::uint32_t> long_groups_;  // per long-table entry: its group index
  // Short unrated ballots of small candidate numbers (the bulk of real files) are keyed by their
  // packed content in a second table: one memory access per lookup instead of three.
  struct ShortSlot {
    std::uint64_t key = 0;
    std::uint32_t group = 0;  // group index + 1, 0 = empty
  };
  std::vector<ShortSlot, detail::TableAllocator<ShortSlot>> short_table_;
  std::size_t short_count_ = 0;
  static std::size_t mix_key(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  bool add_packed_slow(std::uint64_t key, std::span<const Item> ballot, std::uint64_t weight);
  void grow_short();
  void reserve_short(std::size_t groups);
  // The group of the packed `key`, or ~0u (reads the table only: safe on several threads).
  std::uint32_t find_short(std::uint64_t key) const;
  Status add_short(std::uint64_t key, std::span<const Item> ballot, std::uint64_t weight);
  std::uint64_t total_ = 0;
  std::uint32_t last_group_ = 0;
  bool rated_ = false;  // a ballot came with ratings: every group carries them from then on
};

// The packed key of a short ballot: its length in the low 4 bits and, for a length up to
// kMaxPackedItems, its candidates (each below kMaxPackedCandidate, no flags) in 5 bits each
// above it; a parser may build it item by item as `key |= item << packed_shift(i)` and add the
// length at the end. A ranking of 13 to 15 candidates each below kMaxPackedLongCandidate packs
// in 4 bits each instead (`item << packed_long_shift(i)`); the length tells the two apart.
inline constexpr std::size_t kMaxPackedItems = 12;
inline constexpr std::size_t kMaxPackedLongItems = 15;
inline constexpr Item kMaxPackedCandidate = 31;
inline constexpr Item kMaxPackedLongCandidate = 16;
inline constexpr unsigned packed_long_shift(std::size_t i) {
  return static_cast<unsigned>(4 + 4 * i);
}
inline constexpr unsigned packed_shift(std::size_t i) { return static_cast<unsigned>(4 + 5 * i); }

// How ballots are read before a method sees them: the explicit settings of issue 4.
struct BallotOptions {
  // A rank level holding several candidates, for methods that need one candidate per level
  // (plurality, instant-runoff, STV). Pairwise methods and majority judgment read ties as ties.
  enum class Overvote {
    kExhaust,  // the ballot stops before the tied level (the usual US rule)
    kSkip,     // the tied level is passed over, later levels still count
    kInvalid,  // the whole ballot is set aside as invalid
  };
  // A rank level left blank (`-` in BLT).
  enum class SkippedRank {
    kContinue,         // move on to the next level
    kExhaustAfterTwo,  // two consecutive blank levels end the ballot (Maine/San Francisco)
    kExhaust,          // any blank level ends the ballot
  };
  // A candidate listed again further down: later occurrences are ignored, or the ballot is
  // invalid.
  enum class Repeated { kIgnoreLater, kInvalid };

  Overvote overvote = Overvote::kExhaust;
  SkippedRank skipped = SkippedRank::kContinue;
  Repeated repeated = Repeated::kIgnoreLater;
  // Withdrawn candidates are removed from every ballot (preferences below move up). When false,
  // the withdrawal is ignored and they stand as ordinary candidates.
  bool apply_withdrawals = true;
  // Empty ballots (after the rules above) are kept for methods that count them (plurality and
  // approval turnout); STV/IRV treat them as exhausted from the start either way.
};

// Applies the options: the result holds no skipped ranks and no withdrawn candidates, no repeated
// candidates; with `strict` it also holds no tied levels (per `overvote`). Regroups identical
// ballots. Ballots set aside are added to invalid_ballots.
Profile normalize(const Profile& in, const BallotOptions& options, bool strict);

// Same as normalize, but when `in` already satisfies the options (the common case: strict
// rankings with nothing to remove) returns `in` itself without copying; otherwise fills
// `storage` and returns it.
const Profile& normalized(const Profile& in, const BallotOptions& options, bool strict,
                          Profile& storage);

}  // namespace veche::count
