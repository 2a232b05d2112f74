// docs/protocol.md §5 (proofs), with transcripts of §3.
#include "veche/crypto/proofs.hpp"

#include <cstring>

namespace veche::crypto {

namespace {

void put(Bytes& out, const Point& p) {
  const PointBytes b = p.to_bytes();
  out.insert(out.end(), b.begin(), b.end());
}
void put(Bytes& out, const Scalar& s) {
  const ScalarBytes b = s.to_bytes();
  out.insert(out.end(), b.begin(), b.end());
}

Bytes values_bytes(std::span<const std::uint64_t> values) {
  Bytes out;
  for (const std::uint64_t v : values) append_u64le(out, v);
  return out;
}

Scalar schnorr_challenge(const ProofContext& ctx, const Point& big_x, const Point& a) {
  Transcript t("schnorr", ctx);
  t.append("X", big_x);
  t.append("A", a);
  return t.challenge();
}

Scalar dleq_challenge(std::string_view tag, const ProofContext& ctx, const Point& big_x,
                      const Point& p, const Point& y, const Point& a, const Point& b) {
  Transcript t(tag, ctx);
  t.append("X", big_x);
  t.append("P", p);
  t.append("Y", y);
  t.append("A", a);
  t.append("B", b);
  return t.challenge();
}

}  // namespace

SchnorrProof SchnorrProof::make(const ProofContext& ctx, const SecretScalar& x, const Point& big_x,
                                core::Random& rng) {
  const SecretScalar w = SecretScalar::random(rng);
  const Point a = Point::base_mul(w.expose());
  const Scalar c = schnorr_challenge(ctx, big_x, a);
  return {a, w.expose() + c * x.expose()};
}

Status SchnorrProof::verify(const ProofContext& ctx, const Point& big_x) const {
  if (big_x.is_identity()) return invalid_argument("the proven key is the identity");
  const Scalar c = schnorr_challenge(ctx, big_x, a);
  // z·G − c·X == A
  if (!(Point::base_double_mul_vartime(z, big_x, -c) == a)) {
    return invalid_argument("Schnorr proof: z·G != A + c·X");
  }
  return ok();
}

Result<SchnorrProof> SchnorrProof::from_bytes(ByteView bytes) {
  if (bytes.size() != kBytes) return invalid_argument("a Schnorr proof is 64 bytes");
  VECHE_ASSIGN_OR_RETURN(Point a, Point::from_bytes(bytes.first(32)));
  VECHE_ASSIGN_OR_RETURN(Scalar z, Scalar::from_bytes(bytes.subspan(32, 32)));
  return SchnorrProof{a, z};
}

Bytes SchnorrProof::to_bytes() const {
  Bytes out;
  put(out, a);
  put(out, z);
  return out;
}

DleqProof DleqProof::make(std::string_view tag, const ProofContext& ctx, const SecretScalar& x,
                          const Point& big_x, const Point& p, const Point& y, core::Random& rng) {
  const SecretScalar w = SecretScalar::random(rng);
  const Point a = Point::base_mul(w.expose());
  const Point b = w.expose() * p;
  const Scalar c = dleq_challenge(tag, ctx, big_x, p, y, a, b);
  return {a, b, w.expose() + c * x.expose()};
}

Status DleqProof::verify(std::string_view tag, const ProofContext& ctx, const Point& big_x,
                         const Point& p, const Point& y) const {
  const Scalar c = dleq_challenge(tag, ctx, big_x, p, y, a, b);
  if (!(Point::base_double_mul_vartime(z, big_x, -c) == a)) {
    return invalid_argument("Chaum-Pedersen proof: z·G != A + c·X");
  }
  if (!(Point::double_mul(z, p, -c, y) == b)) {
    return invalid_argument("Chaum-Pedersen proof: z·P != B + c·Y");
  }
  return ok();
}

Result<DleqProof> DleqProof::from_bytes(ByteView bytes) {
  if (bytes.size() != kBytes) return invalid_argument("a Chaum-Pedersen proof is 96 bytes");
  VECHE_ASSIGN_OR_RETURN(Point a, Point::from_bytes(bytes.first(32)));
  VECHE_ASSIGN_OR_RETURN(Point b, Point::from_bytes(bytes.subspan(32, 32)));
  VECHE_ASSIGN_OR_RETURN(Scalar z, Scalar::from_bytes(bytes.subspan(64, 32)));
  return DleqProof{a, b, z};
}

Bytes DleqProof::to_bytes() const {
  Bytes out;
  put(out, a);
  put(out, b);
  put(out, z);
  return out;
}

namespace {

Scalar range_challenge(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                       std::span<const std::uint64_t> values,
                       const std::vector<RangeProof::Branch>& branches, ByteView encoded,
                       ByteView ct_bytes) {
  Transcript t("range", ctx);
  t.append("h", key.bytes());
  if (ct_bytes.size() == Ciphertext::kBytes) {
    t.append("alpha", ct_bytes.first(32));
    t.append("beta", ct_bytes.subspan(32, 32));
  } else {
    t.append("alpha", ct.alpha);
    t.append("beta", ct.beta);
  }
  t.append("values", values_bytes(values));
  const bool cached = encoded.size() == branches.size() * 128;
  for (std::size_t j = 0; j < branches.size(); ++j) {
    if (cached) {
      t.append("A", encoded.subspan(j * 128, 32));
      t.append("B", encoded.subspan(j * 128 + 32, 32));
    } else {
      t.append("A", branches[j].a);
      t.append("B", branches[j].b);
    }
  }
  return t.challenge();
}

}  // namespace

RangeProof RangeProof::make(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                            std::span<const std::uint64_t> values, std::size_t true_index,
                            const Scalar& r, core::Random& rng) {
  VECHE_CHECK(true_index < values.size(), "the true value is one of the allowed values");
  RangeProof proof;
  proof.branches.resize(values.size());
  const SecretScalar w = SecretScalar::random(rng);
  Scalar others;
  for (std::size_t j = 0; j < values.size(); ++j) {
    auto& br = proof.branches[j];
    if (j == true_index) {
      br.a = Point::base_mul(w.expose());
      br.b = key.mul(w.expose());
      continue;
    }
    br.c = Scalar::random(rng);
    br.z = Scalar::random(rng);
    const Point shifted = ct.beta - Point::base_mul(Scalar::from_u64(values[j]));
    br.a = Point::base_double_mul_vartime(br.z, ct.alpha, -br.c);
    br.b = key.mul(br.z) - br.c * shifted;
    others += br.c;
  }
  const Scalar c = range_challenge(ctx, key, ct, values, proof.branches, {}, {});
  auto& t = proof.branches[true_index];
  t.c = c - others;
  t.z = w.expose() + t.c * r;
  return proof;
}

Status RangeProof::verify(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                          std::span<const std::uint64_t> values, ByteView ct_bytes) const {
  if (branches.size() != values.size()) {
    return invalid_argument("range proof: " + std::to_string(branches.size()) + " branches for " +
                            std::to_string(values.size()) + " values");
  }
  Scalar sum;
  for (const auto& br : branches) sum += br.c;
  if (!(sum == range_challenge(ctx, key, ct, values, branches, encoded, ct_bytes))) {
    return invalid_argument("range proof: challenges do not sum to the transcript hash");
  }
  for (std::size_t j = 0; j < branches.size(); ++j) {
    const auto& br = branches[j];
    if (!(Point::base_double_mul_vartime(br.z, ct.alpha, -br.c) == br.a)) {
      return invalid_argument("range proof: z·G != A + c·α for value " + std::to_string(values[j]));
    }
    const Point shifted = ct.beta - Point::base_mul(Scalar::from_u64(values[j]));
    if (!(Point::double_mul(br.z, key.point(), -br.c, shifted) == br.b)) {
      return invalid_argument("range proof: z·h != B + c·(β − v·G) for value " +
                              std::to_string(values[j]));
    }
  }
  return ok();
}

Status RangeProof::add_to_batch(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                                std::span<const std::uint64_t> values, BatchVerifier& batch,
                                core::Random& rng, ByteView ct_bytes) const {
  Scalar alpha_coeff;
  Scalar beta_coeff;
  VECHE_TRY(
      add_to_batch_split(ctx, key, ct, values, batch, rng, ct_bytes, alpha_coeff, beta_coeff));
  batch.add(alpha_coeff, ct.alpha);
  batch.add(beta_coeff, ct.beta);
  return ok();
}

Status RangeProof::add_to_batch_split(const ProofContext& ctx, const PublicKey& key,
                                      const Ciphertext& ct, std::span<const std::uint64_t> values,
                                      BatchVerifier& batch, core::Random& rng, ByteView ct_bytes,
                                      Scalar& alpha_coeff, Scalar& beta_coeff) const {
  if (branches.size() != values.size()) {
    return invalid_argument("range proof: " + std::to_string(branches.size()) + " branches for " +
                            std::to_string(values.size()) + " values");
  }
  Scalar sum;
  for (const auto& br : branches) sum += br.c;
  if (!(sum == range_challenge(ctx, key, ct, values, branches, encoded, ct_bytes))) {
    return invalid_argument("range proof: challenges do not sum to the transcript hash");
  }
  // Equations per branch j (weights r1, r2):
  //   z_j·G − c_j·α − A_j = O   and   z_j·h − c_j·β + c_j·v_j·G − B_j = O
  for (std::size_t j = 0; j < branches.size(); ++j) {
    const auto& br = branches[j];
    const Scalar r1 = BatchVerifier::weight(rng);
    const Scalar r2 = BatchVerifier::weight(rng);
    const Scalar r2c = r2 * br.c;
    const Scalar r1z = r1 * br.z;
    if (values[j] == 0) {
      batch.add_g(r1z);
    } else if (values[j] == 1) {
      batch.add_g(r1z + r2c);
    } else {
      batch.add_g(r1z + r2c * Scalar::from_u64(values[j]));
    }
    batch.add_h(r2 * br.z);
    alpha_coeff = alpha_coeff - r1 * br.c;
    beta_coeff = beta_coeff - r2c;
    batch.add(-r1, br.a);
    batch.add(-r2, br.b);
  }
  return ok();
}

Result<RangeProof> RangeProof::from_bytes(ByteView bytes, std::size_t count) {
  if (bytes.size() != count * 128) {
    return invalid_argument("a range proof over " + std::to_string(count) + " values is " +
                            std::to_string(count * 128) + " bytes, got " +
                            std::to_string(bytes.size()));
  }
  RangeProof p;
  p.encoded.assign(bytes.begin(), bytes.end());
  p.branches.reserve(count);
  for (std::size_t j = 0; j < count; ++j) {
    const ByteView b = bytes.subspan(j * 128, 128);
    VECHE_ASSIGN_OR_RETURN(Point a, Point::from_bytes(b.first(32)));
    VECHE_ASSIGN_OR_RETURN(Point bb, Point::from_bytes(b.subspan(32, 32)));
    VECHE_ASSIGN_OR_RETURN(Scalar c, Scalar::from_bytes(b.subspan(64, 32)));
    VECHE_ASSIGN_OR_RETURN(Scalar z, Scalar::from_bytes(b.subspan(96, 32)));
    p.branches.push_back({a, bb, c, z});
  }
  return p;
}

Bytes RangeProof::to_bytes() const {
  Bytes out;
  out.reserve(branches.size() * 128);
  for (const auto& br : branches) {
    put(out, br.a);
    put(out, br.b);
    put(out, br.c);
    put(out, br.z);
  }
  return out;
}

}  // namespace veche::crypto
