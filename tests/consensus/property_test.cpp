// Laws the analysis obeys whatever the votes.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "synthetic.hpp"
#include "veche/consensus/analysis.hpp"
#include "veche/consensus/csv.hpp"

namespace veche::consensus {
namespace {

struct RawVote {
  int participant;
  int statement;
  int vote;  // -1, 0, 1
};

// 12..40 participants, 3..12 statements, each cell voted with probability about 0.6.
rc::Gen<std::vector<RawVote>> conversation() {
  return rc::gen::mapcat(
      rc::gen::resize(100, rc::gen::pair(rc::gen::inRange(12, 41), rc::gen::inRange(3, 13))),
      [](std::pair<int, int> size) {
        const auto [n, m] = size;
        return rc::gen::map(
            rc::gen::container<std::vector<int>>(static_cast<std::size_t>(n * m),
                                                 rc::gen::resize(100, rc::gen::inRange(-1, 4))),
            [n, m](const std::vector<int>& cells) {
              std::vector<RawVote> out;
              for (int p = 0; p < n; ++p) {
                for (int s = 0; s < m; ++s) {
                  const int c = cells[static_cast<std::size_t>(p * m + s)];
                  if (c <= 1) out.push_back({p, s, c});  // 2 and 3: missing
                }
              }
              return out;
            });
      });
}

VoteMatrix build(const std::vector<RawVote>& votes) {
  VoteMatrixBuilder b;
  for (const auto& v : votes) {
    b.add("p" + std::to_string(v.participant), "s" + std::to_string(v.statement),
          static_cast<Vote>(v.vote));
  }
  return b.build().value();
}

RC_GTEST_PROP(ConsensusProperties, InputOrderNeverChangesTheReport, ()) {
  auto votes = *conversation();
  const auto a = build(votes);
  const auto order = *rc::gen::arbitrary<std::uint64_t>();
  std::mt19937_64 shuffle(order);
  std::shuffle(votes.begin(), votes.end(), shuffle);
  const auto b = build(votes);
  const auto ra = analyse(a);
  const auto rb = analyse(b);
  RC_ASSERT(ra.has_value() == rb.has_value());
  if (!ra) return;
  RC_ASSERT(ra->assignment == rb->assignment);
  RC_ASSERT(ra->map == rb->map);
  RC_ASSERT(ra->groups.size() == rb->groups.size());
  for (std::size_t g = 0; g < ra->groups.size(); ++g) {
    RC_ASSERT(ra->groups[g].label == rb->groups[g].label);
    RC_ASSERT(ra->groups[g].representatives.size() == rb->groups[g].representatives.size());
  }
  RC_ASSERT(ra->consensus.size() == rb->consensus.size());
  for (std::size_t i = 0; i < ra->consensus.size(); ++i) {
    RC_ASSERT(ra->consensus[i].statement == rb->consensus[i].statement);
  }
}

RC_GTEST_PROP(ConsensusProperties, RenamingParticipantsMovesTheirGroupsWithThem, ()) {
  // Renaming people reverses their canonical order, so k-means++ sees the rows permuted; the
  // grouping, as a partition of people, must follow them.
  const int camps = *rc::gen::inRange(2, 5);
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  auto planted = testing::plant(camps, 40, 30, 0.4, seed);
  const auto a = planted.builder.build().value();
  VoteMatrixBuilder renamed;
  const auto n = a.participant_count();
  for (std::size_t p = 0; p < n; ++p) {
    for (auto c = a.row_begin(p); c != a.row_end(p); ++c) {
      renamed.add("q" + std::to_string(n - 1 - p), a.statement_id(c->index), c->vote);
    }
  }
  const auto b = renamed.build().value();
  const auto ra = analyse(a).value();
  const auto rb = analyse(b).value();
  std::vector<int> la, lb;
  for (std::size_t p = 0; p < n; ++p) {
    la.push_back(ra.assignment[p]);
    lb.push_back(rb.assignment[static_cast<std::size_t>(
        b.find_participant("q" + std::to_string(n - 1 - p)))]);
  }
  // Summation order changes with the row order, so a participant on the border may switch.
  RC_ASSERT(testing::adjusted_rand_index(la, lb) > 0.9);
}

RC_GTEST_PROP(ConsensusProperties, APassVoteChangesNoAgreeOrDisagreeCount, ()) {
  auto votes = *conversation();
  const auto before = build(votes);
  const auto r1 = analyse(before);
  RC_PRE(r1.has_value());
  // A participant who has not voted on some statement passes on it.
  std::vector<std::pair<int, int>> free;
  for (int p = 0; p < 41; ++p) {
    for (int s = 0; s < 13; ++s) {
      const bool voted = std::any_of(votes.begin(), votes.end(), [&](const RawVote& v) {
        return v.participant == p && v.statement == s;
      });
      const bool known_p = std::any_of(votes.begin(), votes.end(),
                                       [&](const RawVote& v) { return v.participant == p; });
      const bool known_s = std::any_of(votes.begin(), votes.end(),
                                       [&](const RawVote& v) { return v.statement == s; });
      if (!voted && known_p && known_s) free.emplace_back(p, s);
    }
  }
  RC_PRE(!free.empty());
  const auto [p, s] = *rc::gen::elementOf(free);
  votes.push_back({p, s, 0});
  const auto after = build(votes);
  const auto r2 = analyse(after);
  RC_ASSERT(r2.has_value());
  for (std::size_t i = 0; i < after.statement_count(); ++i) {
    const auto& c1 = r1->statement_counts[i];
    const auto& c2 = r2->statement_counts[i];
    RC_ASSERT(c1.agree == c2.agree);
    RC_ASSERT(c1.disagree == c2.disagree);
    const bool target = after.statement_id(i) == "s" + std::to_string(s);
    RC_ASSERT(c2.pass == c1.pass + (target ? 1u : 0u));
  }
}

RC_GTEST_PROP(ConsensusProperties, BothPolisFormatsReadTheSameVotes, ()) {
  const auto votes = *conversation();
  const auto m = build(votes);
  std::string wide = "participant,group-id,n-comments,n-votes,n-agree,n-disagree";
  for (std::size_t s = 0; s < m.statement_count(); ++s) wide += "," + m.statement_id(s);
  wide += "\n";
  std::string lng = "timestamp,datetime,comment-id,voter-id,vote\n";
  for (std::size_t p = 0; p < m.participant_count(); ++p) {
    std::vector<std::string> cells(m.statement_count());
    for (auto c = m.row_begin(p); c != m.row_end(p); ++c) {
      cells[c->index] = std::to_string(static_cast<int>(c->vote));
      lng += "1," + std::string(",") + m.statement_id(c->index) + "," + m.participant_id(p) + "," +
             cells[c->index] + "\n";
    }
    wide += m.participant_id(p) + ",,0,0,0,0";
    for (const auto& cell : cells) wide += "," + cell;
    wide += "\n";
  }
  VoteMatrixBuilder bw, bl;
  RC_ASSERT(read_vote_file(wide, bw).has_value());
  RC_ASSERT(read_vote_file(lng, bl).has_value());
  const auto mw = bw.build().value();
  const auto ml = bl.build().value();
  RC_ASSERT(mw.vote_count() == m.vote_count());
  RC_ASSERT(ml.vote_count() == m.vote_count());
  for (std::size_t p = 0; p < m.participant_count(); ++p) {
    RC_ASSERT(mw.participant_id(p) == m.participant_id(p));
    RC_ASSERT(ml.participant_id(p) == m.participant_id(p));
    for (auto c = m.row_begin(p), w = mw.row_begin(p), l = ml.row_begin(p); c != m.row_end(p);
         ++c, ++w, ++l) {
      RC_ASSERT(w->index == c->index && w->vote == c->vote);
      RC_ASSERT(l->index == c->index && l->vote == c->vote);
    }
  }
}

}  // namespace
}  // namespace veche::consensus
