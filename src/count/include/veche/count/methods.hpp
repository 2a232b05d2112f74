// The counting methods. Each takes a Profile (see profile.hpp), applies the BallotOptions, and
// returns a Report (see report.hpp). Pure and deterministic: the same profile, options and seed
// give the same report. Thread-safe (no shared state).
//
// Ties "by lot" use the lot order: a permutation of the candidates drawn once per count with
// core::SeededRandom seeded from CountOptions::seed (Fisher-Yates from the last position down,
// j = uniform(i + 1)); earlier in the lot order means favoured (kept, elected first). See
// docs/counting.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"
#include "veche/count/profile.hpp"
#include "veche/count/report.hpp"

namespace veche::count {

struct PartyList {
  std::string name;
  std::int64_t votes = 0;
  // The list in order, with each candidate's gender ("f", "m", ...), for quotas.
  std::vector<std::string> candidates;
  std::vector<std::string> genders;
};

// A party-list file for `veche count FILE.json` (docs/counting.md, "Party lists"):
//   {"title": "...", "seats": 10, "parties": [{"name": "List A", "votes": 1200,
//     "candidates": [{"name": "Ana", "gender": "f"}, "Bo", ...]}, ...]}
// "title", "seats" and "candidates" are optional; a list gives every candidate a gender or none.
struct PartyListFile {
  std::string title;
  int seats = 0;  // 0: not given
  std::vector<PartyList> parties;
};
// kInvalidArgument naming the field for anything malformed; kTooLarge past the limits.
Result<PartyListFile> parse_party_lists(std::string_view json_text);

struct CountOptions {
  int seats = 0;  // 0: the profile's seats
  BallotOptions ballot;
  // Published seed of the lot (for instance an election record's hash).
  std::array<std::byte, 32> seed{};
  // IRV: a majority of the continuing ballots (true) or of all valid ballots (false; if nobody
  // reaches it, the count continues until one candidate remains).
  bool irv_majority_of_continuing = true;
  // Party lists: threshold as a fraction num/den of all valid votes (0/1 = none).
  std::int64_t threshold_num = 0;
  std::int64_t threshold_den = 1;
  // Minimum share of each party's seats per gender, num/den (0/1 = none); see
  // docs/counting.md for how it is applied by list order.
  std::int64_t gender_quota_num = 0;
  std::int64_t gender_quota_den = 1;
  // Majority judgment: grade of an unranked candidate when grades come from rankings.
  std::int32_t mj_unranked_grade = 0;
  // Meek: convergence tolerance omega in units of 10^-9 (the reference rule: 10^-6).
  std::int64_t meek_omega = 1000;
  // Cooperative progress: called now and then with a fraction in [0, 1]; may be empty.
  void (*progress)(void* context, double fraction) = nullptr;
  void* progress_context = nullptr;
};

// The lot order for n candidates from a seed (see the file comment).
std::vector<int> lot_order(std::size_t n, const std::array<std::byte, 32>& seed);

Result<Report> count_plurality(const Profile& profile, const CountOptions& options);
Result<Report> count_approval(const Profile& profile, const CountOptions& options);
Result<Report> count_instant_runoff(const Profile& profile, const CountOptions& options);
Result<Report> count_schulze(const Profile& profile, const CountOptions& options);
Result<Report> count_ranked_pairs(const Profile& profile, const CountOptions& options);
Result<Report> count_majority_judgment(const Profile& profile, const CountOptions& options);
Result<Report> count_scottish_stv(const Profile& profile, const CountOptions& options);
Result<Report> count_meek_stv(const Profile& profile, const CountOptions& options);
// Party lists from a ballot profile: each candidate is a party, its votes are first preferences.
Result<Report> count_party_list(Method method, const Profile& profile, const CountOptions& options);
// Party lists with explicit lists (names, genders) for the quota.
Result<Report> count_party_list(Method method, const std::vector<PartyList>& parties, int seats,
                                const CountOptions& options);

// Dispatches on `method`.
Result<Report> count(Method method, const Profile& profile, const CountOptions& options);

}  // namespace veche::count
