// docs/protocol.md §10.1 (events, hash chain), §10.2 (canonical form, signatures).
#include "veche/record/board.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <thread>

#include "json_reader.hpp"
#include "veche/crypto/hash.hpp"

namespace veche::record {

namespace json = boost::json;

crypto::Digest event_hash(std::uint64_t seq, const crypto::Digest& prev, std::string_view type,
                          std::string_view payload) {
  return crypto::h32("event").add_u64(seq).add(prev).add(type).add(payload).digest32();
}

std::string event_line(const Event& e) {
  std::string out = "{\"seq\":" + std::to_string(e.seq) + ",\"prev\":\"" + crypto::to_hex(e.prev) +
                    "\",\"type\":" + json::serialize(json::value(e.type)) +
                    ",\"payload\":" + e.payload + ",\"hash\":\"" + crypto::to_hex(e.hash) + "\"}";
  return out;
}

Result<Event> parse_event_line(std::string_view line, std::size_t line_no) {
  const std::string where = "line " + std::to_string(line_no);
  if (line.size() > kMaxLineBytes) return invalid_argument(where + ": longer than 16 MiB");
  json::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec) return invalid_argument(where + ": not JSON (" + ec.message() + ")");
  if (json::serialize(v) != line) return invalid_argument(where + ": not in canonical form");
  detail::ObjectReader r(v, where);
  VECHE_TRY(r.expect_keys({"seq", "prev", "type", "payload", "hash"}));
  Event e;
  VECHE_ASSIGN_OR_RETURN(e.seq, r.integer("seq", kMaxEvents));
  VECHE_ASSIGN_OR_RETURN(e.prev, r.digest("prev"));
  VECHE_ASSIGN_OR_RETURN(e.type, r.text("type", 64));
  VECHE_ASSIGN_OR_RETURN(const json::object* payload, r.object("payload"));
  VECHE_ASSIGN_OR_RETURN(e.hash, r.digest("hash"));
  // The line is canonical, so the payload's canonical bytes are the text between the fixed
  // prefix and the fixed `,"hash":"…"}` suffix (event_line): no need to serialize it again.
  const std::string prefix =
      "{\"seq\":" + std::to_string(e.seq) + ",\"prev\":\"" + crypto::to_hex(e.prev) +
      "\",\"type\":" + json::serialize(json::value(e.type)) + ",\"payload\":";
  constexpr std::size_t kSuffix = 9 + 64 + 2;  // ,"hash":" … "}
  if (line.size() >= prefix.size() + kSuffix && line.starts_with(prefix)) {
    e.payload = std::string(line.substr(prefix.size(), line.size() - prefix.size() - kSuffix));
  } else {
    e.payload = json::serialize(*payload);
  }
  return e;
}

Result<std::vector<Event>> parse_board(std::string_view text) { return parse_board(text, 1); }

Result<std::vector<Event>> parse_board(std::string_view text, unsigned threads) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  bool unterminated = false;  // reported after the lines before it, as a serial reader would
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      unterminated = true;
      break;
    }
    if (lines.size() >= kMaxEvents) return too_large("more than 10,000,000 events");
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  if (lines.empty() && !unterminated) return invalid_argument("the record is empty");
  // Lines parse independently; the first bad line (in order) is reported whatever the threads.
  std::vector<Result<Event>> parsed(lines.size(), Result<Event>(invalid_argument("not parsed")));
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < lines.size(); i += step) {
      parsed[i] = parse_event_line(lines[i], i + 1);
    }
  };
  threads = std::clamp<unsigned>(threads, 1, 64);
  if (threads == 1 || lines.size() < 64) {
    work(0, 1);
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t, threads);
  }
  std::vector<Event> events;
  events.reserve(lines.size());
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    if (!parsed[i]) return std::move(parsed[i]).error();
    if (parsed[i]->seq != i) {
      return invalid_argument("line " + std::to_string(i + 1) + ": seq " +
                              std::to_string(parsed[i]->seq) + " where " + std::to_string(i) +
                              " was expected");
    }
    events.push_back(std::move(parsed[i]).value());
  }
  if (unterminated) {
    return invalid_argument("line " + std::to_string(lines.size() + 1) + ": missing final newline");
  }
  return events;
}

const Event& Board::append(std::string_view type, const json::object& payload) {
  return append_serialized(type, json::serialize(payload));
}

const Event& Board::append_serialized(std::string_view type, std::string payload) {
  Event e;
  e.seq = events_.size();
  e.prev = head();
  e.type = std::string(type);
  e.payload = std::move(payload);
  e.hash = event_hash(e.seq, e.prev, e.type, e.payload);
  events_.push_back(std::move(e));
  return events_.back();
}

std::string Board::serialize() const {
  std::string out;
  for (const auto& e : events_) {
    out += event_line(e);
    out += '\n';
  }
  return out;
}

namespace {

crypto::Digest signed_digest_of_bytes(std::string_view type, std::string_view unsigned_bytes) {
  return crypto::h32("signed").add(type).add(unsigned_bytes).digest32();
}

crypto::Digest signed_digest(std::string_view type, const json::object& unsigned_payload) {
  return signed_digest_of_bytes(type, json::serialize(unsigned_payload));
}

}  // namespace

void sign_payload(json::object& payload, std::string_view type, const crypto::SigningKey& key) {
  payload["signer"] = crypto::to_hex(key.verify_key().bytes());
  const crypto::Digest d = signed_digest(type, payload);
  payload["sig"] = crypto::to_hex(key.sign(d));
}

Result<crypto::VerifyKey> payload_signer(const json::object& payload) {
  if (payload.size() < 2) return invalid_argument("payload: not signed");
  auto it = payload.end();
  --it;
  const auto sig_it = it;
  --it;
  if (it->key() != "signer" || sig_it->key() != "sig") {
    return invalid_argument("payload: must end with \"signer\" and \"sig\"");
  }
  const auto* s = it->value().if_string();
  if (s == nullptr || s->size() != 64) return invalid_argument("payload.signer: 64 hex digits");
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes b, crypto::from_hex(std::string_view(*s)));
  return crypto::VerifyKey::from_bytes(b);
}

Status check_payload_signature(const json::object& payload, std::string_view type,
                               const crypto::VerifyKey& expected) {
  VECHE_ASSIGN_OR_RETURN(crypto::VerifyKey signer, payload_signer(payload));
  if (!(signer == expected)) return invalid_argument("signed by the wrong key");
  const auto* sig_text = payload.at("sig").if_string();
  if (sig_text == nullptr) return invalid_argument("payload.sig: expected hex");
  VECHE_ASSIGN_OR_RETURN(auto sig, crypto::from_hex_fixed<64>(std::string_view(*sig_text)));
  json::object unsigned_payload = payload;
  unsigned_payload.erase("sig");
  const crypto::Digest d = signed_digest(type, unsigned_payload);
  return signer.verify(d, sig);
}

Status check_payload_signature_bytes(std::string_view payload_bytes, std::string_view type,
                                     const crypto::VerifyKey& expected) {
  // ...,"signer":"<64 hex>","sig":"<128 hex>"}
  constexpr std::string_view kSigner = ",\"signer\":\"";
  constexpr std::string_view kSig = "\",\"sig\":\"";
  constexpr std::size_t kTail = kSigner.size() + 64 + kSig.size() + 128 + 2;
  const std::size_t n = payload_bytes.size();
  if (n < kTail + 1 || payload_bytes.substr(n - kTail, kSigner.size()) != kSigner ||
      payload_bytes.substr(n - 130 - kSig.size(), kSig.size()) != kSig ||
      payload_bytes.substr(n - 2) != "\"}") {
    json::error_code ec;
    json::value v = json::parse(payload_bytes, ec);
    if (ec || !v.is_object()) return invalid_argument("payload is not a JSON object");
    return check_payload_signature(v.as_object(), type, expected);
  }
  auto signer_bytes =
      crypto::from_hex_fixed<32>(payload_bytes.substr(n - kTail + kSigner.size(), 64));
  if (!signer_bytes) return invalid_argument("payload.signer: 64 hex digits");
  VECHE_ASSIGN_OR_RETURN(crypto::VerifyKey signer, crypto::VerifyKey::from_bytes(*signer_bytes));
  if (!(signer == expected)) return invalid_argument("signed by the wrong key");
  VECHE_ASSIGN_OR_RETURN(auto sig, crypto::from_hex_fixed<64>(payload_bytes.substr(n - 130, 128)));
  std::string unsigned_bytes(payload_bytes.substr(0, n - 130 - kSig.size() + 1));
  unsigned_bytes += '}';
  return signer.verify(signed_digest_of_bytes(type, unsigned_bytes), sig);
}

}  // namespace veche::record
