// docs/protocol.md §7 (key generation), §8 (decryption), §10.3 (payloads).
#include "veche/record/trustee.hpp"

#include <boost/json.hpp>

namespace veche::record {

namespace json = boost::json;
using crypto::to_hex;

json::object make_setup(const Setup& setup, const crypto::SigningKey& admin) {
  json::object o = to_json(setup);
  sign_payload(o, "setup", admin);
  return o;
}

json::object make_trustee_key(const ElectionState& state, std::uint32_t index,
                              const crypto::SecretScalar& enc_secret, const crypto::SigningKey& key,
                              core::Random& rng) {
  const crypto::Point e = crypto::Point::base_mul(enc_secret.expose());
  const auto proof = crypto::SchnorrProof::make(
      crypto::ProofContext::for_trustee(state.setup_hash(), index), enc_secret, e, rng);
  json::object o;
  o["trustee"] = index;
  o["enc_key"] = to_hex(e.to_bytes());
  o["proof"] = to_hex(proof.to_bytes());
  sign_payload(o, "trustee_key", key);
  return o;
}

Result<json::object> make_trustee_deal(const ElectionState& state, std::uint32_t index,
                                       const crypto::Polynomial& poly,
                                       const crypto::SigningKey& key, core::Random& rng) {
  const std::size_t n = state.setup().trustees.size();
  if (state.enc_keys().size() != n) {
    return failed_precondition("not every trustee has published a key yet (" +
                               std::to_string(state.enc_keys().size()) + " of " +
                               std::to_string(n) + ")");
  }
  const auto commitments = poly.commitments();
  json::array cs;
  for (const auto& c : commitments) cs.push_back(json::value(to_hex(c.to_bytes())));
  const auto proof =
      crypto::SchnorrProof::make(crypto::ProofContext::for_trustee(state.setup_hash(), index),
                                 poly.constant(), commitments[0], rng);
  json::array shares;
  for (std::uint32_t j = 1; j <= n; ++j) {
    const crypto::SecretScalar s = poly.evaluate(j);
    const auto enc = crypto::encrypt_share(index, j, state.enc_keys().at(j), s.expose(), rng);
    json::object js;
    js["to"] = j;
    js["r"] = to_hex(enc.r.to_bytes());
    js["ct"] = to_hex(enc.ct);
    shares.push_back(std::move(js));
  }
  json::object o;
  o["trustee"] = index;
  o["commitments"] = std::move(cs);
  o["proof"] = to_hex(proof.to_bytes());
  o["shares"] = std::move(shares);
  sign_payload(o, "trustee_deal", key);
  return o;
}

std::vector<json::object> check_deals(const ElectionState& state, std::uint32_t index,
                                      const crypto::SecretScalar& enc_secret,
                                      const crypto::SigningKey& key, core::Random& rng) {
  std::vector<json::object> complaints;
  const crypto::Point& my_key = state.enc_keys().at(index);
  for (const auto& [i, deal] : state.deals()) {
    if (i == index) continue;
    const auto& share = deal.shares[index - 1];
    auto s = crypto::decrypt_share(i, enc_secret, my_key, share);
    if (s &&
        crypto::Point::base_mul(s->expose()) == crypto::feldman_eval(deal.commitments, index)) {
      continue;
    }
    const auto c =
        crypto::Complaint::make(crypto::ProofContext::for_trustee(state.setup_hash(), index), i,
                                enc_secret, my_key, share, rng);
    json::object o;
    o["trustee"] = index;
    o["against"] = i;
    o["k"] = to_hex(c.k.to_bytes());
    o["proof"] = to_hex(c.proof.to_bytes());
    sign_payload(o, "trustee_complaint", key);
    complaints.push_back(std::move(o));
  }
  return complaints;
}

Result<crypto::SecretScalar> derive_share(const ElectionState& state, std::uint32_t index,
                                          const crypto::SecretScalar& enc_secret) {
  if (state.phase() < Phase::kOpen) return failed_precondition("the election is not open yet");
  const crypto::Point& my_key = state.enc_keys().at(index);
  crypto::SecretScalar acc;
  for (const auto i : state.qualified()) {
    const auto& deal = state.deals().at(i);
    auto s = crypto::decrypt_share(i, enc_secret, my_key, deal.shares[index - 1]);
    if (!s ||
        !(crypto::Point::base_mul(s->expose()) == crypto::feldman_eval(deal.commitments, index))) {
      return failed_precondition("the share from trustee " + std::to_string(i) +
                                 " does not check; it should have been complained about");
    }
    acc = crypto::SecretScalar(acc.expose() + s->expose());
  }
  return acc;
}

json::object make_credentials(std::uint32_t registrar, std::vector<crypto::VerifyKey> credentials,
                              const crypto::SigningKey& key) {
  std::sort(credentials.begin(), credentials.end());
  json::array list;
  list.reserve(credentials.size());
  for (const auto& c : credentials) list.push_back(json::value(to_hex(c.bytes())));
  json::object o;
  o["registrar"] = registrar;
  o["credentials"] = std::move(list);
  sign_payload(o, "credentials", key);
  return o;
}

Result<json::object> make_open(const ElectionState& state, const crypto::SigningKey& admin) {
  if (state.phase() != Phase::kSetup) return failed_precondition("the election is not in setup");
  VECHE_ASSIGN_OR_RETURN(const crypto::Point joint, state.compute_joint_key());
  VECHE_ASSIGN_OR_RETURN(const crypto::Digest fp, state.compute_fingerprint(joint));
  json::array q;
  for (const auto i : state.qualified()) q.push_back(i);
  json::object o;
  o["joint_key"] = to_hex(joint.to_bytes());
  o["qualified"] = std::move(q);
  o["fingerprint"] = to_hex(fp);
  sign_payload(o, "open", admin);
  return o;
}

json::object make_close(const ElectionState& state, const crypto::SigningKey& admin) {
  json::object o;
  o["ballots"] = state.ballot_events();
  sign_payload(o, "close", admin);
  return o;
}

Result<json::object> make_partial_decryption(const ElectionState& state, std::uint32_t index,
                                             const crypto::SecretScalar& share,
                                             const crypto::SigningKey& key, core::Random& rng) {
  if (state.phase() != Phase::kClosed) return failed_precondition("the election is not closed");
  const auto ctx = crypto::ProofContext::for_trustee(state.fingerprint(), index);
  const crypto::Point& xj = state.verification_key(index);
  if (!(crypto::Point::base_mul(share.expose()) == xj)) {
    return failed_precondition("this share does not match trustee " + std::to_string(index) +
                               "'s verification key");
  }
  json::array factors;
  for (const auto& row : state.aggregate()) {
    json::array jr;
    for (const auto& ct : row) {
      const crypto::Point d = share.expose() * ct.alpha;
      const auto proof = crypto::DleqProof::make("dleq", ctx, share, xj, ct.alpha, d, rng);
      json::object jf;
      jf["d"] = to_hex(d.to_bytes());
      jf["proof"] = to_hex(proof.to_bytes());
      jr.push_back(std::move(jf));
    }
    factors.push_back(std::move(jr));
  }
  json::object o;
  o["trustee"] = index;
  o["factors"] = std::move(factors);
  sign_payload(o, "partial_decryption", key);
  return o;
}

Result<json::object> make_result(const ElectionState& state, const crypto::SigningKey& admin) {
  if (state.phase() != Phase::kClosed) return failed_precondition("the election is not closed");
  VECHE_ASSIGN_OR_RETURN(const ResultSummary r, state.compute_result());
  json::array qs;
  for (std::size_t q = 0; q < r.counts.size(); ++q) {
    json::array counts;
    for (const auto c : r.counts[q]) counts.push_back(c);
    json::array seats;
    for (const auto s : r.seats[q]) seats.push_back(s);
    json::object jq;
    jq["counts"] = std::move(counts);
    jq["seats"] = std::move(seats);
    qs.push_back(std::move(jq));
  }
  json::object o;
  o["counted"] = r.counted;
  o["questions"] = std::move(qs);
  sign_payload(o, "result", admin);
  return o;
}

}  // namespace veche::record
