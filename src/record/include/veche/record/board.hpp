// The bulletin board: an append-only, hash-chained log of events, one canonical JSON line each
// (docs/protocol.md §10.1, §10.2).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/sign.hpp"

namespace veche::record {

inline constexpr std::size_t kMaxLineBytes = 16u << 20;
inline constexpr std::size_t kMaxEvents = 10'000'000;

struct Event {
  std::uint64_t seq = 0;
  crypto::Digest prev{};
  std::string type;
  std::string payload;  // the exact canonical bytes of the payload object
  crypto::Digest hash{};
};

// H32("event", u64le(seq), prev, type, payload) (§10.1).
crypto::Digest event_hash(std::uint64_t seq, const crypto::Digest& prev, std::string_view type,
                          std::string_view payload);

// The canonical line of an event, without the trailing newline.
std::string event_line(const Event& e);

// Check 1 (§14): parses a whole board file strictly. Each line must be canonical, `seq` must
// count from 0. kInvalidArgument names the line. The hash chain is NOT checked here (check 2).
Result<std::vector<Event>> parse_board(std::string_view text);
// The same with the lines parsed on `threads` threads; the outcome does not depend on them.
Result<std::vector<Event>> parse_board(std::string_view text, unsigned threads);

// Parses one line (no newline). `line_no` is for messages only.
Result<Event> parse_event_line(std::string_view line, std::size_t line_no);

// An in-memory board that appends events and keeps the chain.
class Board {
 public:
  Board() = default;
  explicit Board(std::vector<Event> events) : events_(std::move(events)) {}
  // Appends an event with the given payload; returns it.
  const Event& append(std::string_view type, const boost::json::object& payload);
  // The same with the payload already serialized canonically (boost::json::serialize).
  const Event& append_serialized(std::string_view type, std::string payload);
  const std::vector<Event>& events() const { return events_; }
  // The whole board as the record file (one line per event, each ending in '\n').
  std::string serialize() const;
  crypto::Digest head() const { return events_.empty() ? crypto::Digest{} : events_.back().hash; }

 private:
  std::vector<Event> events_;
};

// Signs a payload for an event of `type` (§10.2): appends "signer" and "sig".
void sign_payload(boost::json::object& payload, std::string_view type,
                  const crypto::SigningKey& key);
// Checks the "signer" and "sig" keys (the last two) of a payload: the signer must be `expected`
// and the signature valid. kInvalidArgument otherwise.
Status check_payload_signature(const boost::json::object& payload, std::string_view type,
                               const crypto::VerifyKey& expected);
// The same check on a payload's canonical bytes (Event::payload), without copying the object:
// the signed bytes are the payload with its trailing `,"sig":"…"` removed (§10.2).
Status check_payload_signature_bytes(std::string_view payload_bytes, std::string_view type,
                                     const crypto::VerifyKey& expected);
// The signer key named by a payload, parsed (for ballots, whose signer is the credential).
Result<crypto::VerifyKey> payload_signer(const boost::json::object& payload);

}  // namespace veche::record
