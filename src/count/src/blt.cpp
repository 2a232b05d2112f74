// BLT reader and writer. Format: Hill, Wichmann and Woodall, "Algorithm 123: Single Transferable
// Vote by Meek's method", Computer Journal 30(3), 1987, with the extensions of OpenSTV and Droop.
#include <algorithm>
#include <array>
#include <thread>
#include <unordered_map>

#include "lexer.hpp"
#include "raw_lines.hpp"
#include "veche/count/formats.hpp"

namespace veche::count {
namespace {

using detail::Cursor;
using detail::excerpt;
using detail::is_digit;

bool is_token_end(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#' || c == '\0';
}

// Files at least this large are grouped on two threads.
constexpr std::size_t kParallelBytes = std::size_t{4} << 20;

struct BltParser {
  Cursor cur;
  const ParseOptions& options;
  std::size_t num_candidates = 0;
  std::unordered_map<std::string, Item> nicks;
  std::vector<bool> withdrawn;
  bool ballots_started = false;
  const char* scan_end = nullptr;  // just past the buffer's last newline (plain_lines)
  detail::RawLineTable raw_lines;  // line texts seen by plain_lines, to groups of its builder

  std::string_view token() {
    const char* s = cur.position();
    while (!cur.at_end() && !is_token_end(cur.peek())) cur.advance();
    return {s, static_cast<std::size_t>(cur.position() - s)};
  }

  // Resolves one candidate reference: a 1-based number or a nickname. Returns kSkippedRank for
  // a dropped write-in.
  Result<Item> candidate(std::string_view ref, int line) {
    if (!nicks.empty()) {
      auto it = nicks.find(std::string(ref));
      if (it != nicks.end()) return it->second;
    }
    std::uint64_t v = 0;
    const char* e = detail::parse_uint(ref.data(), ref.data() + ref.size(), 1u << 20, v);
    if (e != ref.data() + ref.size()) {
      return cur.error_at(line, "unknown candidate '" + excerpt(ref) + "'");
    }
    if (v == 0 || v > num_candidates) {
      if (v != 0 && options.write_in == ParseOptions::WriteIn::kIgnore) return kSkippedRank;
      return cur.error_at(line, "candidate " + std::to_string(v) + " is not between 1 and " +
                                    std::to_string(num_candidates));
    }
    return static_cast<Item>(v - 1);
  }

  Result<std::string> quoted() {
    const int line = cur.line();
    cur.advance();  // opening quote
    std::string out;
    while (!cur.at_end() && cur.peek() != '"') {
      if (cur.peek() == '\n') return cur.error_at(line, "unterminated quoted name");
      out += cur.peek();
      cur.advance();
    }
    if (cur.at_end()) return cur.error_at(line, "unterminated quoted name");
    cur.advance();
    return out;
  }

  Status option_line() {
    const int line = cur.line();
    cur.advance();  // '['
    const char* s = cur.position();
    while (!cur.at_end() && cur.peek() != ']' && cur.peek() != '\n') cur.advance();
    if (cur.peek() != ']') return cur.error_at(line, "option line without a closing ']'");
    std::string_view body(s, static_cast<std::size_t>(cur.position() - s));
    cur.advance();
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < body.size()) {
      while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
      std::size_t j = i;
      while (j < body.size() && body[j] != ' ' && body[j] != '\t') ++j;
      if (j > i) words.push_back(body.substr(i, j - i));
      i = j;
    }
    if (words.empty()) return ok();
    if (words[0] == "nick") {
      if (words.size() - 1 != num_candidates) {
        return cur.error_at(line, "[nick] lists " + std::to_string(words.size() - 1) +
                                      " names for " + std::to_string(num_candidates) +
                                      " candidates");
      }
      for (std::size_t c = 1; c < words.size(); ++c) {
        if (!nicks.emplace(std::string(words[c]), static_cast<Item>(c - 1)).second) {
          return cur.error_at(line, "nickname '" + excerpt(words[c]) + "' appears twice");
        }
      }
    } else if (words[0] == "withdrawn" || words[0] == "withdraw") {
      for (std::size_t c = 1; c < words.size(); ++c) {
        VECHE_ASSIGN_OR_RETURN(Item w, candidate(words[c], line));
        if (w != kSkippedRank) withdrawn[w] = true;
      }
    }
    // Other options ([tie], [droop], [title ...]) do not change the ballots; they are ignored.
    return ok();
  }

  // A plain ballot line: `W c1 c2 ... 0` (a weight of 1 to 9 digits, not 0; up to 15 candidate
  // numbers of one or two digits separated by blanks, more than 12 only with 16 candidates or
  // fewer; the 0; blanks; the end of the line), with its packed key (profile.hpp).
  struct PlainBallot {
    std::uint64_t key = 0;
    std::uint64_t weight = 0;
    std::size_t length = 0;
    std::array<Item, kMaxPackedLongItems> items{};
    std::span<const Item> ballot() const { return {items.data(), length}; }
  };

  // Reads the plain ballot line at `p`; returns the start of the next line, or nullptr when the
  // line is not plain. Only called on lines before the buffer's last newline, so every scan
  // meets a newline (which stops it) before the buffer ends: no bounds checks per byte.
  const char* plain_line(const char* p, PlainBallot& b) const {
    const auto max_candidate = static_cast<std::uint32_t>(num_candidates);
    auto digit = [](char c) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(c)) - '0';
    };
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    const char* q = p;
    std::uint64_t weight = 0;
    std::uint32_t d = digit(*q);
    while (d <= 9 && q - p < 9) {
      weight = weight * 10 + d;
      d = digit(*++q);
    }
    if (q == p || weight == 0 || !blank(*q)) return nullptr;
    std::uint64_t key = 0;
    std::size_t length = 0;
    for (;;) {
      ++q;  // a blank: checked after the weight and after each candidate
      while (blank(*q)) ++q;
      const std::uint32_t d0 = digit(q[0]);
      if (d0 > 9) return nullptr;
      std::uint32_t v = d0;
      const std::uint32_t d1 = digit(q[1]);
      if (d1 <= 9) {
        if (digit(q[2]) <= 9) return nullptr;  // three digits or more: the general path
        v = d0 * 10 + d1;
        q += 2;
      } else {
        q += 1;
      }
      if (v == 0) break;
      if (!blank(*q) || v > max_candidate || length == kMaxPackedLongItems) return nullptr;
      const auto item = static_cast<Item>(v - 1);
      b.items[length] = item;
      if (length < kMaxPackedItems) key |= static_cast<std::uint64_t>(item) << packed_shift(length);
      ++length;
    }
    while (blank(*q) || *q == '\r') ++q;
    if (*q != '\n') return nullptr;
    if (length > kMaxPackedItems) {
      // 13 to 15 candidates: the 4-bit form, when every candidate fits it.
      if (max_candidate > kMaxPackedLongCandidate) return nullptr;
      key = 0;
      for (std::size_t i = 0; i < length; ++i) {
        key |= static_cast<std::uint64_t>(b.items[i]) << packed_long_shift(i);
      }
    }
    b.key = key | length;
    b.weight = weight;
    b.length = length;
    return q + 1;
  }

  // The hot path for the bulk of real files: consumes plain ballot lines. A line whose text
  // after `W ` is short digits and spaces is looked up by that text (raw_lines.hpp), sixteen
  // lines at a time so the table slots of a batch are fetched together; only its first
  // occurrence is parsed. Other plain lines are parsed one by one. Stops before the first line
  // that is not plain, or the first line starting at or after `stop_at`, leaving it to the
  // general path; it accepts nothing the general path would read differently.
  Status plain_lines(ProfileBuilder& builder, const char* stop_at) {
    constexpr std::size_t kBatch = 16;
    struct Pending {
      detail::RawKey key;
      std::uint64_t weight = 0;
      const char* line = nullptr;
      std::uint32_t group = 0;
    };
    std::array<Pending, kBatch> pending;
    std::array<PlainBallot, kBatch> parsed;
    const char* p = cur.position();
    if (scan_end == nullptr) {
      scan_end = cur.end();
      while (scan_end > p && scan_end[-1] != '\n') --scan_end;
    }
    const char* end = scan_end;
    if (stop_at != nullptr && stop_at < end) end = stop_at;
    const char* const buffer_end = cur.end();
    auto too_many = [] {
      return too_large("more than " + std::to_string(kMaxTotalWeight) + " ballots in total");
    };
    PlainBallot& b = parsed[0];
    int lines = 0;
    for (;;) {
      // 1. Lines keyed by their text, their table slots prefetched.
      std::size_t n = 0;
      while (n < kBatch && p < end) {
        const char* q = p;
        std::uint64_t weight = 0;
        while (q - p < 9 && is_digit(*q))
          weight = weight * 10 + static_cast<std::uint64_t>(*q++ - '0');
        if (q == p || weight == 0 || *q != ' ' || buffer_end - q < 33) break;
        std::size_t length = 0;
        if (!detail::raw_line_key(q + 1, pending[n].key, length)) break;
        raw_lines.prefetch(pending[n].key);
        pending[n].weight = weight;
        pending[n].line = p;
        ++n;
        p = q + 1 + length + 1;
      }
      // 2. First occurrences are parsed; the builder's slots of all are prefetched. A line
      // that is not plain ends the batch before it.
      std::size_t stop = n;
      for (std::size_t k = 0; k < n; ++k) {
        pending[k].group = raw_lines.find(pending[k].key);
        if (pending[k].group != detail::RawLineTable::kAbsent) {
          builder.prefetch_group(pending[k].group);
          continue;
        }
        if (plain_line(pending[k].line, parsed[k]) == nullptr) {
          stop = k;
          break;
        }
        builder.prefetch_packed(parsed[k].key);
      }
      // 3. In file order: repeats add their weight, first occurrences are added and remembered
      // (a line repeated within the batch is found by the builder and remembered once).
      for (std::size_t k = 0; k < stop; ++k) {
        if (pending[k].group != detail::RawLineTable::kAbsent) {
          if (!builder.add_to_group(pending[k].group, pending[k].weight)) return too_many();
        } else {
          if (!builder.add_packed(parsed[k].key, parsed[k].ballot(), parsed[k].weight)) {
            return too_many();
          }
          if (raw_lines.find(pending[k].key) == detail::RawLineTable::kAbsent) {
            raw_lines.insert(pending[k].key, builder.last_group());
          }
        }
        ++lines;
      }
      if (stop < n) {
        cur.jump(pending[stop].line, lines);
        return ok();
      }
      if (n == kBatch) continue;
      // 4. A plain line the text key does not cover (long, tabs, carriage returns).
      if (p >= end) break;
      const char* next = plain_line(p, b);
      if (next == nullptr) break;
      if (!builder.add_packed(b.key, b.ballot(), b.weight)) return too_many();
      ++lines;
      p = next;
    }
    cur.jump(p, lines);
    return ok();
  }

  // Parses ballot lines (and option or withdrawn lines before the first ballot) until the lone
  // 0 that ends them (`ended` = true) or, with `stop_at`, until a ballot line starts at or after
  // stop_at. A `worker` (the second half of a split file) refuses option lines with
  // kFailedPrecondition so the caller can fall back to a sequential parse.
  Status ballots(ProfileBuilder& builder, const char* stop_at, bool worker, bool& ended) {
    // Ballots wait in a small ring after parsing so that their table slots can be prefetched
    // a few ballots ahead of the lookup (the lookups are memory-latency bound).
    constexpr std::size_t kRing = 16;
    std::array<std::vector<Item>, kRing> ring;
    std::array<std::uint64_t, kRing> ring_weight{};
    std::size_t ring_head = 0;
    std::size_t ring_size = 0;
    for (auto& b : ring) b.reserve(64);
    auto flush_one = [&]() -> Status {
      const std::size_t k = ring_head;
      ring_head = (ring_head + 1) % kRing;
      --ring_size;
      return builder.add(ring[k], ring_weight[k]);
    };
    ended = false;
    const bool fast = nicks.empty() && num_candidates < kMaxPackedCandidate;
    for (;;) {
      cur.skip_space(true);
      if (cur.at_end()) return cur.error("missing the lone 0 that ends the ballots");
      const int line = cur.line();
      const char ch = cur.peek();
      if (stop_at != nullptr && cur.position() >= stop_at && ch != '[' && ch != '-') break;
      if (worker && (ch == '[' || ch == '-')) {
        return failed_precondition("option line in the second half: parse sequentially");
      }
      if (ch == '[') {
        VECHE_TRY(option_line());
        continue;
      }
      if (fast && is_digit(ch)) {
        // Ballots still in the ring go first, so groups keep the order of first appearance.
        while (ring_size > 0) VECHE_TRY(flush_one());
        const char* before = cur.position();
        VECHE_TRY(plain_lines(builder, stop_at));
        if (cur.position() != before) {
          ballots_started = true;
          continue;
        }
      }
      if (ch == '-' && !ballots_started) {
        // The withdrawn line: negative candidate numbers.
        std::string_view t = token();
        std::uint64_t v = 0;
        const char* e = detail::parse_uint(t.data() + 1, t.data() + t.size(), 1u << 20, v);
        if (e != t.data() + t.size() || v == 0 || v > num_candidates) {
          return cur.error_at(line, "bad withdrawn candidate '" + excerpt(t) + "'");
        }
        withdrawn[v - 1] = true;
        continue;
      }
      if (ch == '(') {  // ballot id, ignored
        while (!cur.at_end() && cur.peek() != ')' && cur.peek() != '\n') cur.advance();
        if (cur.peek() != ')') return cur.error_at(line, "ballot id without a closing ')'");
        cur.advance();
        cur.skip_blanks();
      }
      std::uint64_t weight = 0;
      const char* e = detail::parse_uint(cur.position(), cur.end(), kMaxTotalWeight, weight);
      if (e == nullptr || !is_token_end(e < cur.end() ? *e : '\0')) {
        std::string_view t = token();
        return cur.error_at(line,
                            "expected a ballot weight (a whole number), got '" + excerpt(t) + "'");
      }
      cur.set_position(e);
      if (weight == 0) {
        ended = true;
        break;
      }
      ballots_started = true;
      if (ring_size == kRing) VECHE_TRY(flush_one());
      std::vector<Item>& ballot = ring[(ring_head + ring_size) % kRing];
      ballot.clear();
      // Items up to the terminating 0, on the same line.
      bool terminated = false;
      for (;;) {
        // Fast path over raw pointers: plain candidate numbers separated by blanks.
        const char* q = cur.position();
        const char* const end = cur.end();
        if (nicks.empty()) {
          for (;;) {
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
            if (q >= end || !is_digit(*q)) break;
            const char* s0 = q;
            std::uint32_t v = 0;
            while (q < end && is_digit(*q) && q - s0 < 9) {
              v = v * 10 + static_cast<std::uint32_t>(*q - '0');
              ++q;
            }
            if (q < end && !is_token_end(*q)) {
              q = s0;  // `1=2`, a long number or junk: the general path below
              break;
            }
            if (v == 0) {
              terminated = true;
              break;
            }
            if (v > num_candidates) {
              if (options.write_in != ParseOptions::WriteIn::kIgnore) {
                return cur.error_at(line, "candidate " + std::to_string(v) +
                                              " is not between 1 and " +
                                              std::to_string(num_candidates));
              }
              ballot.push_back(kSkippedRank);
            } else {
              ballot.push_back(static_cast<Item>(v - 1));
            }
            if (ballot.size() > kMaxBallotLength) {
              return cur.error_at(
                  line, "ballot longer than " + std::to_string(kMaxBallotLength) + " marks");
            }
          }
          cur.set_position(q);
          if (terminated) break;
        }
        cur.skip_blanks();
        if (cur.at_end() || cur.peek() == '\n' || cur.peek() == '#') break;
        std::string_view t = token();
        if (t == "0") {
          terminated = true;
          break;
        }
        // Equal ranks `a=b=c`; `-` a skipped rank.
        std::size_t i = 0;
        bool first = true;
        while (i <= t.size()) {
          std::size_t j = t.find('=', i);
          if (j == std::string_view::npos) j = t.size();
          std::string_view part = t.substr(i, j - i);
          if (part.empty()) return cur.error_at(line, "empty rank in '" + excerpt(t) + "'");
          Item item = kSkippedRank;
          if (part != "-") {
            VECHE_ASSIGN_OR_RETURN(item, candidate(part, line));
          }
          ballot.push_back(static_cast<Item>(item | (first ? 0 : kTiedWithPrevious)));
          first = false;
          i = j + 1;
        }
        if (ballot.size() > kMaxBallotLength) {
          return cur.error_at(line,
                              "ballot longer than " + std::to_string(kMaxBallotLength) + " marks");
        }
      }
      if (!terminated) return cur.error_at(line, "ballot does not end with 0");
      ring_weight[(ring_head + ring_size) % kRing] = weight;
      ++ring_size;
      builder.prefetch(ballot);
    }
    while (ring_size > 0) VECHE_TRY(flush_one());
    return ok();
  }

  Result<Profile> run() {
    ProfileBuilder builder;
    cur.skip_space(true);
    std::uint64_t c = 0;
    std::uint64_t s = 0;
    {
      const char* e = detail::parse_uint(cur.position(), cur.end(), 1u << 30, c);
      if (e == nullptr) return cur.error("expected the number of candidates");
      if (c > kMaxCandidates) {
        return too_large("line " + std::to_string(cur.line()) + ": more than " +
                         std::to_string(kMaxCandidates) + " candidates");
      }
      cur.set_position(e);
      cur.skip_blanks();
      e = detail::parse_uint(cur.position(), cur.end(), 1u << 20, s);
      if (e == nullptr) return cur.error("expected the number of seats after the candidates");
      cur.set_position(e);
      if (c == 0) return cur.error("an election needs at least one candidate");
      if (s == 0 || s > c) return cur.error("seats must be between 1 and the candidate count");
    }
    num_candidates = c;
    withdrawn.assign(c, false);
    bool ended = false;
    // Option and withdrawn lines first, then the ballots: split in two halves counted on two
    // threads when the file is large (grouping is memory-latency bound); the halves' groups are
    // merged, which changes only the order of groups, never a count.
    VECHE_TRY(ballots(builder, cur.position(), false, ended));
    const std::size_t remaining = static_cast<std::size_t>(cur.end() - cur.position());
    // Storage for the groups, reserved from the file's size (a distinct ballot takes about 16
    // bytes of text or more, a mark at least 2); pages never written cost nothing. (The hash
    // tables are not sized ahead: small tables that grow stay in cache while the common
    // rankings are found, which measured faster.)
    auto reserve_for = [](ProfileBuilder& b, std::size_t bytes) {
      constexpr std::size_t kCap = std::size_t{1} << 24;
      b.reserve(std::min(bytes / 16, kCap), std::min(bytes / 2, 4 * kCap));
    };
    if (!ended && nicks.empty() && remaining >= kParallelBytes &&
        std::thread::hardware_concurrency() > 1) {
      const char* mid = cur.position() + remaining / 2;
      while (mid < cur.end() && *mid != '\n') ++mid;
      if (mid < cur.end()) ++mid;
      // The second half counts lines from 1; its line numbers are rebased once the first half
      // (which counts the real ones) has reached `mid`. On any error there, the second half is
      // parsed again sequentially, so an error names its real line.
      BltParser second{
          Cursor(mid, cur.end(), 1), options, num_candidates, {}, withdrawn, false, nullptr, {}};
      ProfileBuilder second_builder;
      reserve_for(builder, remaining / 2);
      reserve_for(second_builder, remaining / 2);
      bool second_ended = false;
      Status second_status;
      std::thread worker(
          [&] { second_status = second.ballots(second_builder, nullptr, true, second_ended); });
      const Status first_status = ballots(builder, mid, false, ended);
      worker.join();

      VECHE_TRY(first_status);
      if (!ended && second_status.has_value()) {
        // The first half stopped at the first ballot line at or after `mid`; lines it skipped
        // past `mid` (blank or comment lines) the second half counted too.
        const int mid_line =
            cur.line() - static_cast<int>(std::count(mid, std::max(mid, cur.position()), '\n'));
        const Profile& half = second_builder.profile();
        VECHE_TRY(builder.merge(half));
        cur = Cursor(second.cur.position(), second.cur.end(), mid_line + second.cur.line() - 1);
        ended = second_ended;
      }
    }
    if (!ended) VECHE_TRY(ballots(builder, nullptr, false, ended));
    // Names and title.
    Profile& profile = builder.profile();
    std::vector<std::string> strings;
    for (;;) {
      cur.skip_space(true);
      if (cur.at_end()) break;
      if (cur.peek() != '"') {
        std::string_view t = token();
        return cur.error("expected a quoted candidate name or title, got '" + excerpt(t) + "'");
      }
      VECHE_ASSIGN_OR_RETURN(std::string name, quoted());
      strings.push_back(std::move(name));
      if (strings.size() > num_candidates + 1) {
        return cur.error("more quoted strings than candidates plus a title");
      }
    }
    if (!strings.empty() && strings.size() < num_candidates) {
      return cur.error("expected " + std::to_string(num_candidates) + " candidate names, found " +
                       std::to_string(strings.size()));
    }
    profile.candidates.resize(num_candidates);
    for (std::size_t i = 0; i < num_candidates; ++i) {
      profile.candidates[i] = strings.empty() ? "Candidate " + std::to_string(i + 1) : strings[i];
    }
    if (strings.size() > num_candidates) profile.title = strings.back();
    profile.withdrawn = withdrawn;
    profile.seats = static_cast<int>(s);
    return builder.finish();
  }
};

}  // namespace

Result<Profile> parse_blt(std::string_view text, const ParseOptions& options) {
  BltParser parser{Cursor(text), options, 0, {}, {}, false, nullptr, {}};
  return parser.run();
}

std::string write_blt(const Profile& profile) {
  std::string out;
  out += std::to_string(profile.num_candidates()) + " " + std::to_string(profile.seats) + "\n";
  bool any = false;
  for (std::size_t c = 0; c < profile.withdrawn.size(); ++c) {
    if (profile.withdrawn[c]) {
      out += (any ? " -" : "-") + std::to_string(c + 1);
      any = true;
    }
  }
  if (any) out += "\n";
  for (std::size_t g = 0; g < profile.num_groups(); ++g) {
    out += std::to_string(profile.weights[g]);
    for (Item it : profile.ballot(g)) {
      out += is_tied(it) ? "=" : " ";
      const Item c = candidate_of(it);
      out += c == kSkippedRank ? std::string("-") : std::to_string(c + 1);
    }
    out += " 0\n";
  }
  out += "0\n";
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char ch : s) q += (ch == '"' || ch == '\n') ? '\'' : ch;
    return q + "\"\n";
  };
  for (const auto& name : profile.candidates) out += quote(name);
  out += quote(profile.title);
  return out;
}

}  // namespace veche::count
