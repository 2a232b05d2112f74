// Synthetic conversations with planted structure, for the tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "veche/consensus/vote_matrix.hpp"
#include "veche/core/random.hpp"

namespace veche::consensus::testing {

struct Planted {
  VoteMatrixBuilder builder;
  std::vector<std::string> participant_ids;
  std::vector<int> camp;                        // per entry of participant_ids
  std::string consensus_id;                     // every camp agrees
  std::string bridging_id;                      // camps 0 and 1 agree; they disagree elsewhere
  std::vector<std::string> representative_ids;  // camp c alone agrees with representative_ids[c]
};

// `camps` camps of `per_camp` participants, `statements` statements with a random stance per
// camp (camp 1 takes the opposite of camp 0 everywhere), plus the special statements above.
// Each vote is missing with probability `missing`; a present vote follows the camp's stance
// with probability 0.85, the opposite 0.1, pass 0.05.
inline Planted plant(int camps, int per_camp, int statements, double missing, std::uint64_t seed) {
  core::SeededRandom random(seed);
  auto u01 = [&] { return static_cast<double>(random.next_u64() >> 11) * 0x1.0p-53; };
  Planted out;
  // stance[c][s]: +1 agree, -1 disagree, 0 split evenly.
  const int total = statements + 2 + camps;
  std::vector<std::vector<int>> stance(static_cast<std::size_t>(camps),
                                       std::vector<int>(static_cast<std::size_t>(total), 0));
  for (int s = 0; s < statements; ++s) {
    for (int c = 0; c < camps; ++c) {
      stance[static_cast<std::size_t>(c)][static_cast<std::size_t>(s)] =
          random.uniform(2) == 0 ? 1 : -1;
    }
    if (camps > 1) stance[1][static_cast<std::size_t>(s)] = -stance[0][static_cast<std::size_t>(s)];
  }
  std::vector<std::string> ids;
  for (int s = 0; s < statements; ++s) ids.push_back(std::to_string(s));
  out.consensus_id = std::to_string(statements);
  ids.push_back(out.consensus_id);
  for (int c = 0; c < camps; ++c) {
    stance[static_cast<std::size_t>(c)][static_cast<std::size_t>(statements)] = 1;
    stance[static_cast<std::size_t>(c)][static_cast<std::size_t>(statements + 1)] = c < 2 ? 1 : 0;
  }
  out.bridging_id = std::to_string(statements + 1);
  ids.push_back(out.bridging_id);
  for (int c = 0; c < camps; ++c) {
    const int s = statements + 2 + c;
    for (int o = 0; o < camps; ++o) {
      stance[static_cast<std::size_t>(o)][static_cast<std::size_t>(s)] = o == c ? 1 : -1;
    }
    out.representative_ids.push_back(std::to_string(s));
    ids.push_back(out.representative_ids.back());
  }
  for (int c = 0; c < camps; ++c) {
    for (int i = 0; i < per_camp; ++i) {
      const std::string pid = "p" + std::to_string(c * per_camp + i);
      out.participant_ids.push_back(pid);
      out.camp.push_back(c);
      for (int s = 0; s < total; ++s) {
        if (u01() < missing) continue;
        const int st = stance[static_cast<std::size_t>(c)][static_cast<std::size_t>(s)];
        const double x = u01();
        Vote v;
        if (st == 0) {
          v = x < 0.475 ? Vote::kAgree : x < 0.95 ? Vote::kDisagree : Vote::kPass;
        } else {
          const Vote follow = st > 0 ? Vote::kAgree : Vote::kDisagree;
          const Vote against = st > 0 ? Vote::kDisagree : Vote::kAgree;
          v = x < 0.85 ? follow : x < 0.95 ? against : Vote::kPass;
        }
        out.builder.add(pid, ids[static_cast<std::size_t>(s)], v);
      }
    }
  }
  return out;
}

// Adjusted Rand index of two labelings of the same items (labels may be any ints; -1 counts
// as its own label).
inline double adjusted_rand_index(const std::vector<int>& a, const std::vector<int>& b) {
  std::map<std::pair<int, int>, double> joint;
  std::map<int, double> ca, cb;
  for (std::size_t i = 0; i < a.size(); ++i) {
    joint[{a[i], b[i]}] += 1;
    ca[a[i]] += 1;
    cb[b[i]] += 1;
  }
  auto c2 = [](double x) { return x * (x - 1) / 2; };
  double index = 0, sa = 0, sb = 0;
  for (const auto& [k, v] : joint) index += c2(v);
  for (const auto& [k, v] : ca) sa += c2(v);
  for (const auto& [k, v] : cb) sb += c2(v);
  const double expected = sa * sb / c2(static_cast<double>(a.size()));
  const double max = (sa + sb) / 2;
  return max == expected ? 1.0 : (index - expected) / (max - expected);
}

}  // namespace veche::consensus::testing
