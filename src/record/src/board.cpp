// docs/protocol.md §10.1 (events, hash chain), §10.2 (canonical form, signatures).
#include "veche/record/board.hpp"

#include <boost/json.hpp>

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
  e.payload = json::serialize(*payload);
  VECHE_ASSIGN_OR_RETURN(e.hash, r.digest("hash"));
  return e;
}

Result<std::vector<Event>> parse_board(std::string_view text) {
  std::vector<Event> events;
  std::size_t pos = 0;
  std::size_t line_no = 1;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      return invalid_argument("line " + std::to_string(line_no) + ": missing final newline");
    }
    if (events.size() >= kMaxEvents) return too_large("more than 10,000,000 events");
    VECHE_ASSIGN_OR_RETURN(Event e, parse_event_line(text.substr(pos, nl - pos), line_no));
    if (e.seq != events.size()) {
      return invalid_argument("line " + std::to_string(line_no) + ": seq " + std::to_string(e.seq) +
                              " where " + std::to_string(events.size()) + " was expected");
    }
    events.push_back(std::move(e));
    pos = nl + 1;
    ++line_no;
  }
  if (events.empty()) return invalid_argument("the record is empty");
  return events;
}

const Event& Board::append(std::string_view type, const json::object& payload) {
  Event e;
  e.seq = events_.size();
  e.prev = head();
  e.type = std::string(type);
  e.payload = json::serialize(payload);
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

crypto::Digest signed_digest(std::string_view type, const json::object& unsigned_payload) {
  return crypto::h32("signed").add(type).add(json::serialize(unsigned_payload)).digest32();
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

}  // namespace veche::record
