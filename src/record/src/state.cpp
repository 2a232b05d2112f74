// docs/protocol.md §7–§14: the replay that checks every event of a board.
#include "veche/record/state.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cstring>
#include <system_error>
#include <thread>

#include "json_reader.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/record/seats.hpp"

namespace veche::record {

namespace json = boost::json;
using crypto::Point;

const char* check_name(int check) {
  switch (check) {
    case kCheckRecord:
      return "record parses and is canonical";
    case kCheckChain:
      return "hash chain and event order";
    case kCheckSetup:
      return "election setup";
    case kCheckSignatures:
      return "event signatures";
    case kCheckTrusteeKeys:
      return "trustee keys and proofs of possession";
    case kCheckDeals:
      return "key generation deals and complaints";
    case kCheckCredentials:
      return "credential lists";
    case kCheckOpening:
      return "joint key and election fingerprint";
    case kCheckBallots:
      return "ballots: credential, signature, proofs, no replay";
    case kCheckClose:
      return "close counts the ballots";
    case kCheckLastBallot:
      return "last ballot per credential counts";
    case kCheckAggregate:
      return "encrypted tally recomputed";
    case kCheckPartials:
      return "partial decryptions and their proofs";
    case kCheckResult:
      return "result decrypts the tally";
    case kCheckSeats:
      return "seat allocation";
    case kCheckEnd:
      return "record complete";
    default:
      return "?";
  }
}

Error ElectionState::fail(int check, const Event& e, const std::string& message) {
  failed_check_ = check;
  return invalid_argument("event " + std::to_string(e.seq) + " (" + e.type + "): " + message);
}

Status ElectionState::check_link(const Event& e, bool hash_matches) {
  if (e.seq != next_seq_) {
    return fail(
        kCheckChain, e,
        "seq " + std::to_string(e.seq) + " where " + std::to_string(next_seq_) + " was expected");
  }
  if (e.prev != head_) return fail(kCheckChain, e, "prev is not the previous event's hash");
  if (!hash_matches && e.hash != event_hash(e.seq, e.prev, e.type, e.payload)) {
    return fail(kCheckChain, e, "hash does not match the event");
  }
  if (phase_ == Phase::kDone) return fail(kCheckEnd, e, "an event after the result");
  return ok();
}

Result<json::object> ElectionState::begin(const Event& e) {
  VECHE_TRY(check_link(e, false));
  json::error_code ec;
  json::value v = json::parse(e.payload, ec);
  if (ec || !v.is_object()) return fail(kCheckRecord, e, "payload is not a JSON object");
  return std::move(v.as_object());
}

Status ElectionState::check_signed(const Event& e, const json::object& payload,
                                   const crypto::VerifyKey& key) {
  auto st = check_payload_signature(payload, e.type, key);
  if (!st) return fail(kCheckSignatures, e, st.error().message);
  return ok();
}

Status ElectionState::apply(const Event& e) {
  VECHE_ASSIGN_OR_RETURN(json::object payload, begin(e));
  Status st;
  if (e.type == "setup") {
    st = apply_setup(e, payload);
  } else if (!setup_) {
    return fail(kCheckSetup, e, "the first event must be the setup");
  } else if (e.type == "trustee_key") {
    st = apply_trustee_key(e, payload);
  } else if (e.type == "trustee_deal") {
    st = apply_deal(e, payload);
  } else if (e.type == "trustee_complaint") {
    st = apply_complaint(e, payload);
  } else if (e.type == "credentials") {
    st = apply_credentials(e, payload);
  } else if (e.type == "open") {
    st = apply_open(e, payload);
  } else if (e.type == "ballot") {
    if (phase_ != Phase::kOpen) return fail(kCheckChain, e, "a ballot outside the voting period");
    auto b = parse_ballot(payload, setup_->questions);
    if (!b) return fail(kCheckBallots, e, b.error().message);
    if (!trust_ballot_proofs_) {
      auto verdict = verify_ballot(*b, payload, setup_->questions, *joint_key_, fingerprint_);
      if (!verdict) return fail(kCheckBallots, e, verdict.error().message);
    }
    st = apply_ballot_checked(e, *b, tracker_of(e.payload));
  } else if (e.type == "close") {
    st = apply_close(e, payload);
  } else if (e.type == "partial_decryption") {
    st = apply_partial(e, payload);
  } else if (e.type == "result") {
    st = apply_result(e, payload);
  } else {
    return fail(kCheckRecord, e, "unknown event type");
  }
  if (!st) return st;
  ++next_seq_;
  head_ = e.hash;
  return ok();
}

Status ElectionState::apply_ballot(const Event& e, const PreparedBallot& prepared) {
  VECHE_TRY(check_link(e, prepared.hash_matches));
  if (e.type != "ballot") return fail(kCheckRecord, e, "not a ballot");
  if (phase_ != Phase::kOpen) return fail(kCheckChain, e, "a ballot outside the voting period");
  if (!prepared.verdict) return fail(kCheckBallots, e, prepared.verdict.error().message);
  VECHE_TRY(apply_ballot_checked(e, prepared.ballot, prepared.tracker));
  ++next_seq_;
  head_ = e.hash;
  return ok();
}

Status ElectionState::apply_setup(const Event& e, const json::object& payload) {
  if (setup_) return fail(kCheckChain, e, "a second setup event");
  if (e.seq != 0) return fail(kCheckSetup, e, "the setup must be event 0");
  auto s = parse_setup(payload);
  if (!s) return fail(kCheckSetup, e, s.error().message);
  VECHE_TRY(check_signed(e, payload, s->administrator));
  setup_ = std::move(s).value();
  setup_hash_ = crypto::h32("setup").add(e.payload).digest32();
  phase_ = Phase::kSetup;
  return ok();
}

namespace {

// Runs f(i) for every i below n, each once: on the machine's cores when n is large, in chunks
// taken from a shared counter. The calling thread works too, so a helper thread the system
// refuses only makes it slower.
template <class F>
void for_each_index(std::size_t n, const F& f) {
  constexpr std::size_t kChunk = 256;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t first = next.fetch_add(kChunk); first < n; first = next.fetch_add(kChunk)) {
      for (std::size_t i = first; i < std::min(n, first + kChunk); ++i) f(i);
    }
  };
  const unsigned helpers =
      n < 2048 ? 0U : std::clamp(std::thread::hardware_concurrency(), 1U, 16U) - 1U;
  std::vector<std::jthread> pool;
  try {
    for (unsigned t = 0; t < helpers; ++t) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // Fewer helpers than asked: the calling thread below finishes what they do not take.
  }
  work();
}

// One public credential of a registrar's list: 32 bytes in hex, a point of prime order (§6).
// Empty when it is one; otherwise what is wrong, to follow "credential N".
std::string check_credential(const json::value& item, crypto::VerifyKeyBytes& out) {
  const auto* s = item.if_string();
  if (s == nullptr || s->size() != 64) return " is not 32-byte hex";
  auto b = crypto::from_hex(std::string_view(*s));
  if (!b) return " is not hex";
  auto k = crypto::VerifyKey::from_bytes(*b);
  if (!k) return ": " + k.error().message;
  out = k->bytes();
  return {};
}

Result<std::uint32_t> read_index(const detail::ObjectReader& r, std::string_view key,
                                 std::size_t n) {
  VECHE_ASSIGN_OR_RETURN(const std::uint64_t i, r.integer(key, n));
  if (i < 1) return invalid_argument(r.where() + "." + std::string(key) + ": indices start at 1");
  return static_cast<std::uint32_t>(i);
}

}  // namespace

Status ElectionState::apply_trustee_key(const Event& e, const json::object& payload) {
  if (phase_ != Phase::kSetup || !deals_.empty()) {
    return fail(kCheckChain, e, "trustee keys come before any deal");
  }
  const json::value v(payload);
  detail::ObjectReader r(v, "trustee_key");
  if (auto st = r.expect_keys({"trustee", "enc_key", "proof", "signer", "sig"}); !st) {
    return fail(kCheckTrusteeKeys, e, st.error().message);
  }
  auto i = read_index(r, "trustee", setup_->trustees.size());
  if (!i) return fail(kCheckTrusteeKeys, e, i.error().message);
  VECHE_TRY(check_signed(e, payload, setup_->trustees[*i - 1].key));
  if (enc_keys_.count(*i) != 0) return fail(kCheckTrusteeKeys, e, "a second key for a trustee");
  auto key = r.point("enc_key");
  if (!key) return fail(kCheckTrusteeKeys, e, key.error().message);
  auto pb = r.hex("proof", crypto::SchnorrProof::kBytes);
  if (!pb) return fail(kCheckTrusteeKeys, e, pb.error().message);
  auto proof = crypto::SchnorrProof::from_bytes(*pb);
  if (!proof) return fail(kCheckTrusteeKeys, e, proof.error().message);
  if (auto st = proof->verify(crypto::ProofContext::for_trustee(setup_hash_, *i), *key); !st) {
    return fail(kCheckTrusteeKeys, e, st.error().message);
  }
  enc_keys_.emplace(*i, *key);
  return ok();
}

Status ElectionState::apply_deal(const Event& e, const json::object& payload) {
  const std::size_t n = setup_->trustees.size();
  if (phase_ != Phase::kSetup || enc_keys_.size() != n) {
    return fail(kCheckChain, e, "deals come after every trustee key and before the opening");
  }
  const json::value v(payload);
  detail::ObjectReader r(v, "trustee_deal");
  if (auto st = r.expect_keys({"trustee", "commitments", "proof", "shares", "signer", "sig"});
      !st) {
    return fail(kCheckDeals, e, st.error().message);
  }
  auto i = read_index(r, "trustee", n);
  if (!i) return fail(kCheckDeals, e, i.error().message);
  VECHE_TRY(check_signed(e, payload, setup_->trustees[*i - 1].key));
  if (deals_.count(*i) != 0) return fail(kCheckDeals, e, "a second deal by a trustee");
  TrusteeDeal deal;
  auto cs = r.array("commitments", kMaxTrustees);
  if (!cs) return fail(kCheckDeals, e, cs.error().message);
  if ((*cs)->size() != setup_->threshold) {
    return fail(kCheckDeals, e, "expected " + std::to_string(setup_->threshold) + " commitments");
  }
  for (std::size_t k = 0; k < (*cs)->size(); ++k) {
    const auto* s = (*cs)->at(k).if_string();
    auto bytes = s != nullptr && s->size() == 64 ? crypto::from_hex(std::string_view(*s))
                                                 : Result<crypto::Bytes>(invalid_argument("hex"));
    if (!bytes) return fail(kCheckDeals, e, "commitment " + std::to_string(k) + " is not hex");
    auto p = Point::from_bytes(*bytes);
    if (!p)
      return fail(kCheckDeals, e, "commitment " + std::to_string(k) + ": " + p.error().message);
    deal.commitments.push_back(*p);
  }
  auto pb = r.hex("proof", crypto::SchnorrProof::kBytes);
  if (!pb) return fail(kCheckDeals, e, pb.error().message);
  auto proof = crypto::SchnorrProof::from_bytes(*pb);
  if (!proof) return fail(kCheckDeals, e, proof.error().message);
  if (auto st =
          proof->verify(crypto::ProofContext::for_trustee(setup_hash_, *i), deal.commitments[0]);
      !st) {
    return fail(kCheckDeals, e, "constant-term proof: " + st.error().message);
  }
  auto shares = r.array("shares", kMaxTrustees);
  if (!shares) return fail(kCheckDeals, e, shares.error().message);
  if ((*shares)->size() != n) return fail(kCheckDeals, e, "expected one share per trustee");
  for (std::size_t j = 0; j < n; ++j) {
    detail::ObjectReader rs((*shares)->at(j), "shares[" + std::to_string(j) + "]");
    if (auto st = rs.expect_keys({"to", "r", "ct"}); !st) {
      return fail(kCheckDeals, e, st.error().message);
    }
    auto to = rs.integer("to", n);
    if (!to) return fail(kCheckDeals, e, to.error().message);
    if (*to != j + 1) return fail(kCheckDeals, e, "shares must be in trustee order");
    crypto::EncryptedShare share;
    share.to = static_cast<std::uint32_t>(*to);
    auto rp = rs.point("r");
    if (!rp) return fail(kCheckDeals, e, rp.error().message);
    share.r = *rp;
    auto ct = rs.hex("ct", crypto::EncryptedShare::kCiphertextBytes);
    if (!ct) return fail(kCheckDeals, e, ct.error().message);
    share.ct = *ct;
    deal.shares.push_back(std::move(share));
  }
  deals_.emplace(*i, std::move(deal));
  return ok();
}

Status ElectionState::apply_complaint(const Event& e, const json::object& payload) {
  const std::size_t n = setup_->trustees.size();
  if (phase_ != Phase::kSetup) return fail(kCheckChain, e, "a complaint after the opening");
  const json::value v(payload);
  detail::ObjectReader r(v, "trustee_complaint");
  if (auto st = r.expect_keys({"trustee", "against", "k", "proof", "signer", "sig"}); !st) {
    return fail(kCheckDeals, e, st.error().message);
  }
  auto j = read_index(r, "trustee", n);
  if (!j) return fail(kCheckDeals, e, j.error().message);
  VECHE_TRY(check_signed(e, payload, setup_->trustees[*j - 1].key));
  auto i = read_index(r, "against", n);
  if (!i) return fail(kCheckDeals, e, i.error().message);
  if (*i == *j || deals_.count(*i) == 0) {
    return fail(kCheckDeals, e, "a complaint must be against another trustee's deal");
  }
  if (!complaints_.emplace(*j, *i).second) return fail(kCheckDeals, e, "a repeated complaint");
  auto k = r.point("k");
  if (!k) return fail(kCheckDeals, e, k.error().message);
  auto pb = r.hex("proof", crypto::DleqProof::kBytes);
  if (!pb) return fail(kCheckDeals, e, pb.error().message);
  auto proof = crypto::DleqProof::from_bytes(*pb);
  if (!proof) return fail(kCheckDeals, e, proof.error().message);
  const crypto::Complaint c{*j, *i, *k, *proof};
  const auto& deal = deals_.at(*i);
  const auto verdict =
      crypto::judge_complaint(crypto::ProofContext::for_trustee(setup_hash_, *j), c,
                              enc_keys_.at(*j), deal.shares[*j - 1], deal.commitments);
  disqualified_.insert(verdict == crypto::ComplaintVerdict::kDealerCheated ? *i : *j);
  return ok();
}

Status ElectionState::apply_credentials(const Event& e, const json::object& payload) {
  if (phase_ != Phase::kSetup) return fail(kCheckChain, e, "credentials after the opening");
  const json::value v(payload);
  detail::ObjectReader r(v, "credentials");
  if (auto st = r.expect_keys({"registrar", "credentials", "signer", "sig"}); !st) {
    return fail(kCheckCredentials, e, st.error().message);
  }
  auto reg = read_index(r, "registrar", setup_->registrars.size());
  if (!reg) return fail(kCheckCredentials, e, reg.error().message);
  VECHE_TRY(check_signed(e, payload, setup_->registrars[*reg - 1].key));
  if (!registrars_done_.insert(*reg).second) {
    return fail(kCheckCredentials, e, "a second list from a registrar");
  }
  auto list = r.array("credentials", kMaxEvents);
  if (!list) return fail(kCheckCredentials, e, list.error().message);
  // Each credential's prime-order check costs about 45 µs, 9 s for a list of 200,000: the checks
  // are spread over the machine's cores, and the first bad credential in order is named.
  const json::array& items = **list;
  std::vector<crypto::VerifyKeyBytes> mine(items.size());
  std::vector<std::string> bad(items.size());
  for_each_index(items.size(),
                 [&](std::size_t c) { bad[c] = check_credential(items[c], mine[c]); });
  for (std::size_t c = 0; c < items.size(); ++c) {
    if (!bad[c].empty()) {
      return fail(kCheckCredentials, e, "credential " + std::to_string(c) + bad[c]);
    }
    if (c > 0 && !(mine[c - 1] < mine[c])) {
      return fail(kCheckCredentials, e, "credentials must be sorted and distinct");
    }
  }
  std::vector<crypto::VerifyKeyBytes> merged;
  merged.reserve(credentials_.size() + mine.size());
  std::merge(credentials_.begin(), credentials_.end(), mine.begin(), mine.end(),
             std::back_inserter(merged));
  if (std::adjacent_find(merged.begin(), merged.end()) != merged.end()) {
    return fail(kCheckCredentials, e, "a credential listed by two registrars");
  }
  credentials_ = std::move(merged);
  return ok();
}

std::vector<std::uint32_t> ElectionState::qualified() const {
  std::vector<std::uint32_t> q;
  for (const auto& [i, deal] : deals_) {
    if (disqualified_.count(i) == 0) q.push_back(i);
  }
  return q;
}

Result<Point> ElectionState::compute_joint_key() const {
  const auto q = qualified();
  if (q.size() < setup_->threshold) {
    return failed_precondition(std::to_string(q.size()) + " qualified trustees, " +
                               std::to_string(setup_->threshold) + " needed");
  }
  Point h;
  for (const auto i : q) h += deals_.at(i).commitments[0];
  if (h.is_identity()) return failed_precondition("the joint key is the identity");
  return h;
}

Result<crypto::Digest> ElectionState::compute_fingerprint(const Point& joint) const {
  crypto::Hasher creds = crypto::h32("credentials");
  crypto::Bytes all;
  all.reserve(credentials_.size() * 32);
  for (const auto& c : credentials_) all.insert(all.end(), c.begin(), c.end());
  creds.add(all);
  const crypto::Digest cred_hash = creds.digest32();
  const auto q = qualified();
  crypto::Bytes qbytes;
  crypto::append_u32le(qbytes, static_cast<std::uint32_t>(q.size()));
  crypto::Bytes cbytes;
  for (const auto i : q) {
    crypto::append_u32le(qbytes, i);
    const auto enc = deals_.at(i).commitments[0].to_bytes();
    cbytes.insert(cbytes.end(), enc.begin(), enc.end());
  }
  return crypto::h32("fingerprint")
      .add(setup_hash_)
      .add(joint)
      .add(cred_hash)
      .add(qbytes)
      .add(cbytes)
      .digest32();
}

Status ElectionState::apply_open(const Event& e, const json::object& payload) {
  if (phase_ != Phase::kSetup) return fail(kCheckChain, e, "a second opening");
  if (registrars_done_.size() != setup_->registrars.size()) {
    return fail(kCheckCredentials, e, "opened before every registrar published credentials");
  }
  const json::value v(payload);
  detail::ObjectReader r(v, "open");
  if (auto st = r.expect_keys({"joint_key", "qualified", "fingerprint", "signer", "sig"}); !st) {
    return fail(kCheckOpening, e, st.error().message);
  }
  VECHE_TRY(check_signed(e, payload, setup_->administrator));
  auto joint = compute_joint_key();
  if (!joint) return fail(kCheckDeals, e, joint.error().message);
  auto published = r.point("joint_key");
  if (!published) return fail(kCheckOpening, e, published.error().message);
  if (!(*published == *joint)) return fail(kCheckOpening, e, "the joint key is not recomputed");
  auto q = r.array("qualified", kMaxTrustees);
  if (!q) return fail(kCheckOpening, e, q.error().message);
  const auto expected_q = qualified();
  if ((*q)->size() != expected_q.size()) {
    return fail(kCheckOpening, e, "the qualified set is not recomputed");
  }
  for (std::size_t k = 0; k < expected_q.size(); ++k) {
    auto idx = detail::as_integer((*q)->at(k), kMaxTrustees, "qualified");
    if (!idx || *idx != expected_q[k]) {
      return fail(kCheckOpening, e, "the qualified set is not recomputed");
    }
  }
  auto fp = compute_fingerprint(*joint);
  auto published_fp = r.digest("fingerprint");
  if (!published_fp) return fail(kCheckOpening, e, published_fp.error().message);
  if (*published_fp != *fp) return fail(kCheckOpening, e, "the fingerprint is not recomputed");
  joint_key_.emplace(std::move(crypto::PublicKey::make(*joint)).value());
  fingerprint_ = *fp;
  const std::size_t n = setup_->trustees.size();
  verification_keys_.assign(n, Point());
  for (std::uint32_t j = 1; j <= n; ++j) {
    for (const auto i : expected_q) {
      verification_keys_[j - 1] += crypto::feldman_eval(deals_.at(i).commitments, j);
    }
  }
  aggregate_.clear();
  for (const auto& question : setup_->questions) {
    aggregate_.emplace_back(question.choices.size(), crypto::Ciphertext{Point(), Point()});
  }
  phase_ = Phase::kOpen;
  return ok();
}

Status ElectionState::apply_ballot_checked(const Event& e, const Ballot& b,
                                           const crypto::Digest& tracker) {
  const auto it = std::lower_bound(credentials_.begin(), credentials_.end(), b.credential.bytes());
  if (it == credentials_.end() || *it != b.credential.bytes()) {
    return fail(kCheckBallots, e, "the credential is not on the credential lists");
  }
  const auto cred = static_cast<std::uint32_t>(it - credentials_.begin());
  std::vector<std::array<std::uint8_t, 64>> encoded;
  for (const auto& ans : b.answers) {
    for (const auto& bytes : ans.choice_bytes) {
      AlphaPrefix key;
      std::memcpy(&key.lo, bytes.data(), 8);
      std::memcpy(&key.hi, bytes.data() + 8, 8);
      const auto [pos, inserted] = alpha_owner_.emplace(key, cred);
      if (!inserted && pos->second != cred) {
        return fail(kCheckBallots, e,
                    "a ciphertext copied from another credential's ballot (replay)");
      }
      encoded.push_back(bytes);
    }
  }
  // Revote: the previous ballot of this credential no longer counts (§12).
  auto prev = last_ballot_.find(cred);
  if (prev != last_ballot_.end()) {
    std::size_t k = 0;
    for (auto& row : aggregate_) {
      for (auto& cell : row) {
        auto old = crypto::Ciphertext::from_bytes(prev->second[k++]);
        VECHE_CHECK(old.has_value(), "stored ciphertexts were parsed before");
        cell.alpha = cell.alpha - old->alpha;
        cell.beta = cell.beta - old->beta;
      }
    }
  }
  std::size_t q = 0;
  for (const auto& ans : b.answers) {
    for (std::size_t c = 0; c < ans.choices.size(); ++c) aggregate_[q][c] += ans.choices[c];
    ++q;
  }
  last_ballot_[cred] = std::move(encoded);
  trackers_[crypto::to_hex(tracker)] = e.seq;
  ++ballot_events_;
  return ok();
}

Status ElectionState::apply_close(const Event& e, const json::object& payload) {
  if (phase_ != Phase::kOpen) return fail(kCheckChain, e, "a close outside the voting period");
  const json::value v(payload);
  detail::ObjectReader r(v, "close");
  if (auto st = r.expect_keys({"ballots", "signer", "sig"}); !st) {
    return fail(kCheckClose, e, st.error().message);
  }
  VECHE_TRY(check_signed(e, payload, setup_->administrator));
  auto n = r.integer("ballots", kMaxEvents);
  if (!n) return fail(kCheckClose, e, n.error().message);
  if (*n != ballot_events_) {
    return fail(
        kCheckClose, e,
        "says " + std::to_string(*n) + " ballots, the board has " + std::to_string(ballot_events_));
  }
  phase_ = Phase::kClosed;
  return ok();
}

Status ElectionState::apply_partial(const Event& e, const json::object& payload) {
  if (phase_ != Phase::kClosed) {
    return fail(kCheckChain, e, "partial decryptions come after the close");
  }
  const json::value v(payload);
  detail::ObjectReader r(v, "partial_decryption");
  if (auto st = r.expect_keys({"trustee", "factors", "signer", "sig"}); !st) {
    return fail(kCheckPartials, e, st.error().message);
  }
  auto j = read_index(r, "trustee", setup_->trustees.size());
  if (!j) return fail(kCheckPartials, e, j.error().message);
  VECHE_TRY(check_signed(e, payload, setup_->trustees[*j - 1].key));
  if (partials_.count(*j) != 0) return fail(kCheckPartials, e, "a second partial decryption");
  auto factors = r.array("factors", kMaxQuestions);
  if (!factors) return fail(kCheckPartials, e, factors.error().message);
  if ((*factors)->size() != aggregate_.size()) {
    return fail(kCheckPartials, e, "one row of factors per question");
  }
  const auto ctx = crypto::ProofContext::for_trustee(fingerprint_, *j);
  const Point& xj = verification_keys_[*j - 1];
  std::vector<std::vector<Point>> ds;
  for (std::size_t q = 0; q < aggregate_.size(); ++q) {
    const auto* row = (*factors)->at(q).if_array();
    if (row == nullptr || row->size() != aggregate_[q].size()) {
      return fail(kCheckPartials, e, "one factor per choice");
    }
    std::vector<Point> out;
    for (std::size_t c = 0; c < row->size(); ++c) {
      const std::string where = "factors[" + std::to_string(q) + "][" + std::to_string(c) + "]";
      detail::ObjectReader rf(row->at(c), where);
      if (auto st = rf.expect_keys({"d", "proof"}); !st) {
        return fail(kCheckPartials, e, st.error().message);
      }
      auto d = rf.point("d");
      if (!d) return fail(kCheckPartials, e, d.error().message);
      auto pb = rf.hex("proof", crypto::DleqProof::kBytes);
      if (!pb) return fail(kCheckPartials, e, pb.error().message);
      auto proof = crypto::DleqProof::from_bytes(*pb);
      if (!proof) return fail(kCheckPartials, e, proof.error().message);
      if (auto st = proof->verify("dleq", ctx, xj, aggregate_[q][c].alpha, *d); !st) {
        return fail(kCheckPartials, e, where + ": " + st.error().message);
      }
      out.push_back(*d);
    }
    ds.push_back(std::move(out));
  }
  partials_.emplace(*j, std::move(ds));
  return ok();
}

Result<ResultSummary> ElectionState::compute_result() const {
  if (partials_.size() < setup_->threshold) {
    return failed_precondition(std::to_string(partials_.size()) + " partial decryptions, " +
                               std::to_string(setup_->threshold) + " needed");
  }
  std::vector<std::uint32_t> used;
  for (const auto& [j, d] : partials_) {
    if (used.size() < setup_->threshold) used.push_back(j);
  }
  ResultSummary out;
  out.counted = counted();
  const crypto::DiscreteLog dlog(out.counted);
  for (std::size_t q = 0; q < aggregate_.size(); ++q) {
    std::vector<std::uint64_t> counts;
    for (std::size_t c = 0; c < aggregate_[q].size(); ++c) {
      std::vector<Point> ds;
      for (const auto j : used) ds.push_back(partials_.at(j)[q][c]);
      const Point m = aggregate_[q][c].beta - crypto::combine_partials(used, ds);
      VECHE_ASSIGN_OR_RETURN(const std::uint64_t count, dlog.solve(m));
      counts.push_back(count);
    }
    const auto& question = setup_->questions[q];
    std::vector<std::uint32_t> seats;
    if (question.kind == QuestionKind::kPartyList) {
      VECHE_ASSIGN_OR_RETURN(seats, allocate_seats(counts, question.seats, question.method,
                                                   question.threshold_permille, fingerprint_));
    }
    out.seats.push_back(std::move(seats));
    out.counts.push_back(std::move(counts));
  }
  return out;
}

Status ElectionState::apply_result(const Event& e, const json::object& payload) {
  if (phase_ != Phase::kClosed) return fail(kCheckChain, e, "a result before the close");
  if (partials_.size() < setup_->threshold) {
    return fail(kCheckPartials, e,
                std::to_string(partials_.size()) + " partial decryptions, " +
                    std::to_string(setup_->threshold) + " needed");
  }
  const json::value v(payload);
  detail::ObjectReader r(v, "result");
  if (auto st = r.expect_keys({"counted", "questions", "signer", "sig"}); !st) {
    return fail(kCheckResult, e, st.error().message);
  }
  VECHE_TRY(check_signed(e, payload, setup_->administrator));
  auto counted_n = r.integer("counted", kMaxEvents);
  if (!counted_n) return fail(kCheckResult, e, counted_n.error().message);
  if (*counted_n != counted()) {
    return fail(kCheckLastBallot, e,
                "says " + std::to_string(*counted_n) +
                    " ballots counted; the last ballots per credential are " +
                    std::to_string(counted()));
  }
  auto qs = r.array("questions", kMaxQuestions);
  if (!qs) return fail(kCheckResult, e, qs.error().message);
  if ((*qs)->size() != aggregate_.size()) return fail(kCheckResult, e, "one entry per question");
  std::vector<std::uint32_t> used;
  for (const auto& [j, d] : partials_) {
    if (used.size() < setup_->threshold) used.push_back(j);
  }
  ResultSummary published;
  published.counted = *counted_n;
  for (std::size_t q = 0; q < aggregate_.size(); ++q) {
    const std::string where = "questions[" + std::to_string(q) + "]";
    detail::ObjectReader rq((*qs)->at(q), where);
    if (auto st = rq.expect_keys({"counts", "seats"}); !st) {
      return fail(kCheckResult, e, st.error().message);
    }
    auto counts = rq.array("counts", kMaxChoices);
    if (!counts) return fail(kCheckResult, e, counts.error().message);
    if ((*counts)->size() != aggregate_[q].size()) {
      return fail(kCheckResult, e, where + ": one count per choice");
    }
    std::vector<std::uint64_t> cs;
    for (std::size_t c = 0; c < aggregate_[q].size(); ++c) {
      auto count = detail::as_integer((*counts)->at(c), kMaxEvents, where + ".counts");
      if (!count) return fail(kCheckResult, e, count.error().message);
      std::vector<Point> ds;
      for (const auto j : used) ds.push_back(partials_.at(j)[q][c]);
      const Point m = aggregate_[q][c].beta - crypto::combine_partials(used, ds);
      if (!(m == Point::base_mul(crypto::Scalar::from_u64(*count)))) {
        return fail(kCheckResult, e,
                    where + ": count " + std::to_string(c + 1) + " (" + std::to_string(*count) +
                        ") is not what the tally decrypts to");
      }
      cs.push_back(*count);
    }
    const auto& question = setup_->questions[q];
    auto seats = rq.array("seats", kMaxChoices);
    if (!seats) return fail(kCheckSeats, e, seats.error().message);
    std::vector<std::uint32_t> expected;
    if (question.kind == QuestionKind::kPartyList) {
      auto allocated = allocate_seats(cs, question.seats, question.method,
                                      question.threshold_permille, fingerprint_);
      if (!allocated) return fail(kCheckSeats, e, where + ": " + allocated.error().message);
      expected = std::move(allocated).value();
    }
    if ((*seats)->size() != expected.size()) {
      return fail(kCheckSeats, e, where + ": seats for each list (party lists only)");
    }
    std::vector<std::uint32_t> got;
    for (std::size_t c = 0; c < expected.size(); ++c) {
      auto s = detail::as_integer((*seats)->at(c), 1'000'000, where + ".seats");
      if (!s || *s != expected[c]) {
        return fail(kCheckSeats, e,
                    where + ": list " + std::to_string(c + 1) + " gets " +
                        std::to_string(expected[c]) + " seats, not what the result says");
      }
      got.push_back(expected[c]);
    }
    published.counts.push_back(std::move(cs));
    published.seats.push_back(std::move(got));
  }
  result_ = std::move(published);
  phase_ = Phase::kDone;
  return ok();
}

Status ElectionState::finish() const {
  if (phase_ != Phase::kDone) {
    return invalid_argument("the record ends before a result was published");
  }
  return ok();
}

ReplayOutcome replay(const std::vector<Event>& events, bool require_finished) {
  ReplayOutcome out;
  for (const auto& e : events) {
    auto st = out.state.apply(e);
    if (!st) {
      out.status = std::move(st);
      out.check = out.state.failed_check();
      return out;
    }
  }
  if (require_finished) {
    auto st = out.state.finish();
    if (!st) {
      out.status = std::move(st);
      out.check = kCheckEnd;
    }
  }
  return out;
}

}  // namespace veche::record
