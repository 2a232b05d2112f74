// Known-answer vectors (tests/vectors/crypto/vectors.json): every primitive and proof computed
// from seeded randomness. The file is the reference for other implementations (the browser
// client); regenerate deliberately with VECHE_UPDATE_VECTORS=1 only after a protocol change.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "veche/crypto/dkg.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/crypto/proofs.hpp"
#include "veche/crypto/sign.hpp"

namespace veche::crypto {
namespace {

const char* kPath = VECHE_SOURCE_DIR "/tests/vectors/crypto/vectors.json";

template <class B>
std::string hex(const B& b) {
  return to_hex(ByteView(b.data(), b.size()));
}

boost::json::object compute_vectors() {
  namespace json = boost::json;
  core::SeededRandom rng(20261127);
  json::object v;
  v["group_description"] = to_hex(group_description());
  {
    json::array multiples;
    for (std::uint64_t k : {0U, 1U, 2U, 3U, 255U}) {
      multiples.push_back(json::value(hex(Point::base_mul(Scalar::from_u64(k)).to_bytes())));
    }
    v["base_multiples_0_1_2_3_255"] = std::move(multiples);
  }
  v["h32_tracker_abc"] = hex(h32("tracker").add("abc").digest32());
  v["h64_transcript_abc"] = hex(h64("transcript").add("abc").digest64());
  const Bytes ctx_bytes(32, 0xcc);
  const Bytes cred(32, 0x11);
  const auto voter = ProofContext::for_voter(ctx_bytes, cred);
  const auto trustee = ProofContext::for_trustee(ctx_bytes, 2);
  {
    Transcript t("range", voter);
    t.append("X", Point::generator());
    v["transcript_challenge"] = hex(t.challenge().to_bytes());
  }
  const SecretScalar x = SecretScalar::random(rng);
  const Point h = Point::base_mul(x.expose());
  auto pk = std::move(PublicKey::make(h)).value();
  v["secret_key"] = hex(x.export_secret_bytes());
  v["public_key"] = hex(h.to_bytes());
  const Scalar r = Scalar::random(rng);
  const Ciphertext ct = encrypt(pk, 1, r);
  v["encrypt_m"] = 1;
  v["encrypt_r"] = hex(r.to_bytes());
  v["ciphertext"] = hex(ct.to_bytes());
  const std::vector<std::uint64_t> zero_one = {0, 1};
  v["zero_one_proof"] = to_hex(RangeProof::make(voter, pk, ct, zero_one, 1, r, rng).to_bytes());
  const std::vector<std::uint64_t> sum_values = {0, 1, 2};
  v["sum_proof_values_0_1_2"] =
      to_hex(RangeProof::make(voter, pk, ct, sum_values, 1, r, rng).to_bytes());
  v["schnorr_proof"] = to_hex(SchnorrProof::make(trustee, x, h, rng).to_bytes());
  const Point d = x.expose() * ct.alpha;
  v["partial_decryption"] = hex(d.to_bytes());
  v["dleq_proof"] = to_hex(DleqProof::make("dleq", trustee, x, h, ct.alpha, d, rng).to_bytes());
  const Polynomial poly = Polynomial::random(2, rng);
  json::array commitments;
  for (const auto& c : poly.commitments()) commitments.push_back(json::value(hex(c.to_bytes())));
  v["feldman_commitments"] = std::move(commitments);
  const SecretScalar share = poly.evaluate(3);
  v["share_for_3"] = hex(share.export_secret_bytes());
  const auto enc = encrypt_share(2, 3, h, share.expose(), rng);
  v["encrypted_share_r"] = hex(enc.r.to_bytes());
  v["encrypted_share_ct"] = to_hex(enc.ct);
  v["lagrange_1_of_1_3"] = hex(lagrange_at_zero(std::vector<std::uint32_t>{1, 3}, 1).to_bytes());
  const Credential credential = Credential::generate("vector-election", rng);
  v["credential_code"] = credential.export_secret_code();
  v["credential_public"] = hex(credential.public_credential().bytes());
  v["credential_signature_abc"] = hex(credential.key().sign(as_bytes("abc")));
  v["base32_of_0_to_14"] = to_base32(Bytes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
  return v;
}

TEST(KnownAnswerVectors, MatchTheCheckedInFile) {
  const boost::json::object computed = compute_vectors();
  if (std::getenv("VECHE_UPDATE_VECTORS") != nullptr) {
    std::ofstream out(kPath);
    out << boost::json::serialize(computed) << "\n";
  }
  std::ifstream in(kPath);
  ASSERT_TRUE(in.good()) << kPath;
  std::stringstream ss;
  ss << in.rdbuf();
  const boost::json::value stored = boost::json::parse(ss.str());
  ASSERT_TRUE(stored.is_object());
  EXPECT_EQ(stored.as_object().size(), computed.size());
  for (const auto& [key, value] : computed) {
    ASSERT_TRUE(stored.as_object().contains(key)) << key;
    EXPECT_EQ(stored.as_object().at(key), value) << key;
  }
}

TEST(KnownAnswerVectors, StoredProofsVerify) {
  std::ifstream in(kPath);
  ASSERT_TRUE(in.good()) << kPath;
  std::stringstream ss;
  ss << in.rdbuf();
  const auto v = boost::json::parse(ss.str()).as_object();
  auto bytes = [&](const char* k) { return *from_hex(v.at(k).as_string()); };
  const Bytes ctx_bytes(32, 0xcc);
  const auto voter = ProofContext::for_voter(ctx_bytes, Bytes(32, 0x11));
  auto h = *Point::from_bytes(bytes("public_key"));
  auto pk = std::move(PublicKey::make(h)).value();
  auto ct = *Ciphertext::from_bytes(bytes("ciphertext"));
  const std::vector<std::uint64_t> zero_one = {0, 1};
  auto proof = RangeProof::from_bytes(bytes("zero_one_proof"), 2);
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(proof->verify(voter, pk, ct, zero_one).has_value());
  auto schnorr = SchnorrProof::from_bytes(bytes("schnorr_proof"));
  ASSERT_TRUE(schnorr.has_value());
  EXPECT_TRUE(schnorr->verify(ProofContext::for_trustee(ctx_bytes, 2), h).has_value());
  auto r = *Scalar::from_bytes(bytes("encrypt_r"));
  EXPECT_TRUE(audit_ciphertext(pk, ct, 1, r));
  auto cred = VerifyKey::from_bytes(bytes("credential_public"));
  ASSERT_TRUE(cred.has_value());
  SignatureBytes sig{};
  const Bytes sb = bytes("credential_signature_abc");
  std::copy(sb.begin(), sb.end(), sig.begin());
  EXPECT_TRUE(cred->verify(as_bytes("abc"), sig).has_value());
}

}  // namespace
}  // namespace veche::crypto
