#include "veche/count/profile.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>

namespace veche::count {

namespace detail {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

void* allocate_table(std::size_t bytes) {
  if (bytes < kHugePage) {
    void* p = std::malloc(bytes == 0 ? 1 : bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
  ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without it the table still works
#endif
  return p;
}

void free_table(void* p, std::size_t) noexcept { std::free(p); }

}  // namespace detail
namespace {

std::uint64_t hash_ballot(std::span<const Item> items, std::span<const std::int32_t> ratings) {
  // FNV-1a over the raw bytes, then a SplitMix finalizer for the low bits the table uses.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (Item it : items) {
    h ^= it;
    h *= 0x100000001b3ULL;
  }
  for (std::int32_t r : ratings) {
    h ^= static_cast<std::uint32_t>(r);
    h *= 0x100000001b3ULL;
  }
  h ^= items.size();
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace

std::uint64_t Profile::total_weight() const {
  std::uint64_t t = 0;
  for (auto w : weights) t += w;
  return t;
}

void ProfileBuilder::grow() {
  const std::size_t size = table_.empty() ? 1024 : table_.size() * 2;
  table_.assign(size, 0);
  const std::size_t mask = size - 1;
  for (std::size_t k = 0; k < hashes_.size(); ++k) {
    std::size_t i = hashes_[k] & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = (hashes_[k] & 0xffffffff00000000ULL) | (long_groups_[k] + 1);
  }
}

namespace {

// Packs a short ballot (see kMaxPackedItems in profile.hpp); returns false when it does not fit.
bool pack_short(std::span<const Item> ballot, std::uint64_t& key) {
  std::uint64_t k = ballot.size();
  if (ballot.size() <= kMaxPackedItems) {
    for (std::size_t i = 0; i < ballot.size(); ++i) {
      if (ballot[i] >= kMaxPackedCandidate) return false;
      k |= static_cast<std::uint64_t>(ballot[i]) << packed_shift(i);
    }
  } else if (ballot.size() <= kMaxPackedLongItems) {
    for (std::size_t i = 0; i < ballot.size(); ++i) {
      if (ballot[i] >= kMaxPackedLongCandidate) return false;
      k |= static_cast<std::uint64_t>(ballot[i]) << packed_long_shift(i);
    }
  } else {
    return false;
  }
  key = k;
  return true;
}

}  // namespace

void ProfileBuilder::prefetch(std::span<const Item> ballot) const {
  std::uint64_t key = 0;
  if (short_table_.empty() || !pack_short(ballot, key)) return;
  __builtin_prefetch(&short_table_[mix_key(key) & (short_table_.size() - 1)]);
}

bool ProfileBuilder::add_packed_slow(std::uint64_t key, std::span<const Item> ballot,
                                     std::uint64_t weight) {
  if (weight > kMaxTotalWeight || total_ + weight > kMaxTotalWeight) return false;
  if (rated_) return add(ballot, weight).has_value();
  total_ += weight;
  return add_short(key, ballot, weight).has_value();
}

Status ProfileBuilder::add_short(std::uint64_t key, std::span<const Item> ballot,
                                 std::uint64_t weight) {
  if ((short_count_ + 1) * 4 > short_table_.size() * 3) grow_short();
  const std::size_t smask = short_table_.size() - 1;
  std::size_t i = mix_key(key) & smask;
  while (short_table_[i].group != 0) {
    if (short_table_[i].key == key) {
      last_group_ = short_table_[i].group - 1;
      profile_.weights[last_group_] += weight;
      return ok();
    }
    i = (i + 1) & smask;
  }
  last_group_ = static_cast<std::uint32_t>(profile_.weights.size());
  short_table_[i] = ShortSlot{key, last_group_ + 1};
  ++short_count_;
  profile_.weights.push_back(weight);
  profile_.items.insert(profile_.items.end(), ballot.begin(), ballot.end());
  profile_.offsets.push_back(static_cast<std::uint32_t>(profile_.items.size()));
  return ok();
}

std::uint32_t ProfileBuilder::find_short(std::uint64_t key) const {
  if (short_table_.empty()) return ~std::uint32_t{0};
  const std::size_t mask = short_table_.size() - 1;
  for (std::size_t i = mix_key(key) & mask; short_table_[i].group != 0; i = (i + 1) & mask) {
    if (short_table_[i].key == key) return short_table_[i].group - 1;
  }
  return ~std::uint32_t{0};
}

Status ProfileBuilder::merge(const Profile& other) {
  const std::size_t n = other.num_groups();
  std::vector<std::uint64_t> keys(n);
  bool packed = !rated_ && other.ratings.empty() && hashes_.empty();
  for (std::size_t g = 0; packed && g < n; ++g) packed = pack_short(other.ballot(g), keys[g]);
  if (!packed) {
    for (std::size_t g = 0; g < n; ++g) VECHE_TRY(add(other.ballot(g), other.weights[g]));
    return ok();
  }
  // Lookups first, on two threads for a large merge (the table is only read); then the weights
  // and the new groups in `other`'s order on this thread.
  constexpr std::uint32_t kNew = ~std::uint32_t{0};
  std::vector<std::uint32_t> found(n);
  auto look_up = [&](std::size_t from, std::size_t to) {
    constexpr std::size_t kAhead = 8;
    const std::size_t mask = short_table_.empty() ? 0 : short_table_.size() - 1;
    for (std::size_t g = from; g < to; ++g) {
      if (g + kAhead < to && mask != 0) {
        __builtin_prefetch(&short_table_[mix_key(keys[g + kAhead]) & mask]);
      }
      found[g] = find_short(keys[g]);
    }
  };
  constexpr std::size_t kParallelGroups = 20000;
  if (n >= kParallelGroups && std::thread::hardware_concurrency() > 1) {
    std::thread worker([&] { look_up(n / 2, n); });
    look_up(0, n / 2);
    worker.join();
  } else {
    look_up(0, n);
  }
  std::size_t fresh = 0;
  std::uint64_t weight = 0;
  for (std::size_t g = 0; g < n; ++g) {
    fresh += found[g] == kNew ? 1 : 0;
    weight += other.weights[g];
    if (other.weights[g] > kMaxTotalWeight || weight > kMaxTotalWeight) {
      return too_large("more than " + std::to_string(kMaxTotalWeight) + " ballots in total");
    }
  }
  if (total_ + weight > kMaxTotalWeight) {
    return too_large("more than " + std::to_string(kMaxTotalWeight) + " ballots in total");
  }
  total_ += weight;
  reserve_short(short_count_ + fresh);
  const std::size_t mask = short_table_.size() - 1;
  for (std::size_t g = 0; g < n; ++g) {
    if (found[g] != kNew) {
      profile_.weights[found[g]] += other.weights[g];
      continue;
    }
    std::size_t i = mix_key(keys[g]) & mask;
    while (short_table_[i].group != 0) i = (i + 1) & mask;
    last_group_ = static_cast<std::uint32_t>(profile_.weights.size());
    short_table_[i] = ShortSlot{keys[g], last_group_ + 1};
    ++short_count_;
    profile_.weights.push_back(other.weights[g]);
    const auto b = other.ballot(g);
    profile_.items.insert(profile_.items.end(), b.begin(), b.end());
    profile_.offsets.push_back(static_cast<std::uint32_t>(profile_.items.size()));
  }
  return ok();
}

void ProfileBuilder::reserve(std::size_t groups, std::size_t items) {
  profile_.weights.reserve(groups);
  profile_.offsets.reserve(groups + 1);
  profile_.items.reserve(items);
}

void ProfileBuilder::reserve_short(std::size_t groups) {
  while ((groups + 1) * 4 > short_table_.size() * 3) grow_short();
}

void ProfileBuilder::grow_short() {
  const std::size_t size = short_table_.empty() ? 1024 : short_table_.size() * 2;
  auto old = std::move(short_table_);
  short_table_.assign(size, ShortSlot{});
  const std::size_t mask = size - 1;
  for (const auto& slot : old) {
    if (slot.group == 0) continue;
    std::size_t i = mix_key(slot.key) & mask;
    while (short_table_[i].group != 0) i = (i + 1) & mask;
    short_table_[i] = slot;
  }
}

Status ProfileBuilder::add(std::span<const Item> ballot, std::uint64_t weight,
                           std::span<const std::int32_t> ratings) {
  if (weight > kMaxTotalWeight || total_ + weight > kMaxTotalWeight) {
    return too_large("more than " + std::to_string(kMaxTotalWeight) + " ballots in total");
  }
  if (!ratings.empty() && !rated_) {
    // First rated ballot after unrated ones: give earlier items a neutral rating of 0.
    rated_ = true;
    profile_.ratings.resize(profile_.items.size(), 0);
  }
  const bool rated = rated_;
  std::vector<std::int32_t> zero;
  if (rated && ratings.empty() && !ballot.empty()) {
    zero.assign(ballot.size(), 0);
    ratings = zero;
  }
  total_ += weight;
  std::uint64_t key = 0;
  if (!rated && pack_short(ballot, key)) return add_short(key, ballot, weight);
  if ((hashes_.size() + 1) * 2 > table_.size()) grow();
  const std::uint64_t h = hash_ballot(ballot, ratings);
  const std::size_t mask = table_.size() - 1;
  std::size_t i = h & mask;
  const std::uint64_t tag = h & 0xffffffff00000000ULL;
  while (table_[i] != 0) {
    const std::size_t g = (table_[i] & 0xffffffffULL) - 1;
    if ((table_[i] & 0xffffffff00000000ULL) == tag) {
      auto other = profile_.ballot(g);
      if (other.size() == ballot.size() && std::equal(other.begin(), other.end(), ballot.begin()) &&
          (!rated || std::equal(ratings.begin(), ratings.end(),
                                profile_.ratings.begin() + profile_.offsets[g]))) {
        last_group_ = static_cast<std::uint32_t>(g);
        profile_.weights[g] += weight;
        return ok();
      }
    }
    i = (i + 1) & mask;
  }
  last_group_ = static_cast<std::uint32_t>(profile_.weights.size());
  table_[i] = tag | (profile_.weights.size() + 1);
  hashes_.push_back(h);
  long_groups_.push_back(static_cast<std::uint32_t>(profile_.weights.size()));
  profile_.weights.push_back(weight);
  profile_.items.insert(profile_.items.end(), ballot.begin(), ballot.end());
  if (rated) profile_.ratings.insert(profile_.ratings.end(), ratings.begin(), ratings.end());
  profile_.offsets.push_back(static_cast<std::uint32_t>(profile_.items.size()));
  return ok();
}

Profile ProfileBuilder::finish() {
  Profile out = std::move(profile_);
  profile_ = Profile{};
  table_.clear();
  hashes_.clear();
  long_groups_.clear();
  short_table_.clear();
  short_count_ = 0;
  rated_ = false;
  total_ = 0;
  if (out.withdrawn.size() != out.candidates.size()) out.withdrawn.resize(out.candidates.size());
  return out;
}

const Profile& normalized(const Profile& in, const BallotOptions& options, bool strict,
                          Profile& storage) {
  const std::size_t n = in.num_candidates();
  bool clean = in.withdrawn.size() == n;
  // Candidates a ballot may not hold: withdrawn ones (when withdrawals apply), as a byte table.
  std::vector<char> removed(n, 0);
  if (clean && options.apply_withdrawals) {
    for (std::size_t c = 0; c < n; ++c) removed[c] = in.withdrawn[c] ? 1 : 0;
  }
  std::vector<std::uint32_t> seen(n, 0);
  for (std::size_t g = 0; g < in.num_groups() && clean; ++g) {
    const auto stamp = static_cast<std::uint32_t>(g + 1);
    for (Item it : in.ballot(g)) {
      const Item c = candidate_of(it);
      if (c >= n || seen[c] == stamp || (strict && is_tied(it)) || removed[c] != 0) {
        clean = false;
        break;
      }
      seen[c] = stamp;
    }
  }
  if (clean) return in;
  storage = normalize(in, options, strict);
  return storage;
}

Profile normalize(const Profile& in, const BallotOptions& options, bool strict) {
  ProfileBuilder builder;
  Profile& out = builder.profile();
  out.title = in.title;
  out.candidates = in.candidates;
  out.withdrawn = in.withdrawn;
  out.withdrawn.resize(out.candidates.size());
  out.seats = in.seats;
  out.invalid_ballots = in.invalid_ballots;
  const bool rated = !in.ratings.empty();
  std::vector<Item> level;
  std::vector<std::int32_t> level_ratings;
  std::vector<Item> items;
  std::vector<std::int32_t> ratings;
  std::vector<char> seen(in.num_candidates(), 0);
  for (std::size_t g = 0; g < in.num_groups(); ++g) {
    auto ballot = in.ballot(g);
    items.clear();
    ratings.clear();
    std::fill(seen.begin(), seen.end(), 0);
    bool invalid = false;
    bool stop = false;
    int blank_run = 0;
    std::size_t k = 0;
    while (k < ballot.size() && !stop && !invalid) {
      // Collect one rank level.
      level.clear();
      level_ratings.clear();
      std::size_t end = k + 1;
      while (end < ballot.size() && is_tied(ballot[end])) ++end;
      bool blank = true;
      for (std::size_t j = k; j < end; ++j) {
        const Item c = candidate_of(ballot[j]);
        if (c == kSkippedRank) continue;
        if (c >= in.num_candidates()) continue;
        if (options.apply_withdrawals && in.withdrawn[c]) {
          blank = false;  // a withdrawn candidate is passed over, not a blank rank
          continue;
        }
        blank = false;
        if (seen[c]) {
          if (options.repeated == BallotOptions::Repeated::kInvalid) invalid = true;
          continue;
        }
        seen[c] = 1;  // also catches a candidate repeated within one level (`2=2`)
        level.push_back(c);
        level_ratings.push_back(rated ? in.ratings[in.offsets[g] + j] : 0);
      }
      k = end;
      if (blank) {
        ++blank_run;
        if (options.skipped == BallotOptions::SkippedRank::kExhaust ||
            (options.skipped == BallotOptions::SkippedRank::kExhaustAfterTwo && blank_run >= 2)) {
          stop = true;
        }
        continue;
      }
      blank_run = 0;
      if (level.empty()) continue;
      if (strict && level.size() > 1) {
        switch (options.overvote) {
          case BallotOptions::Overvote::kExhaust:
            stop = true;
            continue;
          case BallotOptions::Overvote::kSkip:
            for (Item c : level) seen[c] = 1;
            continue;
          case BallotOptions::Overvote::kInvalid:
            invalid = true;
            continue;
        }
      }
      for (std::size_t j = 0; j < level.size(); ++j) {
        seen[level[j]] = 1;
        items.push_back(static_cast<Item>(level[j] | (j > 0 ? kTiedWithPrevious : 0)));
        ratings.push_back(level_ratings[j]);
      }
    }
    if (invalid) {
      out.invalid_ballots += in.weights[g];
      continue;
    }
    // Cannot fail: the input total already fit the limit.
    auto added = builder.add(
        items, in.weights[g],
        rated ? std::span<const std::int32_t>(ratings) : std::span<const std::int32_t>());
    VECHE_CHECK(added.has_value(), "the input profile's total already fit the limit");
  }
  return builder.finish();
}

}  // namespace veche::count
