// docs/protocol.md §7 (key generation, share encryption, complaints), §8 (threshold decryption).
#include "veche/crypto/dkg.hpp"

#include <sodium.h>

#include <algorithm>

namespace veche::crypto {

Polynomial Polynomial::random(std::uint32_t threshold, core::Random& rng) {
  VECHE_CHECK(threshold >= 1, "a threshold of at least one");
  Polynomial p;
  p.coeffs_.reserve(threshold);
  for (std::uint32_t k = 0; k < threshold; ++k) p.coeffs_.push_back(SecretScalar::random(rng));
  return p;
}

SecretScalar Polynomial::evaluate(std::uint32_t x) const {
  VECHE_CHECK(x >= 1, "shares are evaluated at trustee indices >= 1");
  const Scalar sx = Scalar::from_u64(x);
  SecretScalar acc;  // Horner
  for (auto it = coeffs_.rbegin(); it != coeffs_.rend(); ++it) {
    acc = SecretScalar(acc.expose() * sx + it->expose());
  }
  return acc;
}

std::vector<Point> Polynomial::commitments() const {
  std::vector<Point> out;
  out.reserve(coeffs_.size());
  for (const auto& a : coeffs_) out.push_back(Point::base_mul(a.expose()));
  return out;
}

Point feldman_eval(std::span<const Point> commitments, std::uint32_t x) {
  std::vector<Scalar> powers;
  powers.reserve(commitments.size());
  Scalar p = Scalar::from_u64(1);
  const Scalar sx = Scalar::from_u64(x);
  for (std::size_t k = 0; k < commitments.size(); ++k) {
    powers.push_back(p);
    p = p * sx;
  }
  return multi_scalar_mul(powers, commitments);
}

namespace {

Digest share_key(const Point& r, const Point& enc_key_to, const Point& k, std::uint32_t from,
                 std::uint32_t to) {
  return h32("share-key").add(r).add(enc_key_to).add(k).add_u32(from).add_u32(to).digest32();
}

Result<SecretScalar> open_share(const Digest& key, const EncryptedShare& share) {
  if (share.ct.size() != EncryptedShare::kCiphertextBytes) {
    return invalid_argument("an encrypted share is 48 bytes");
  }
  std::array<std::uint8_t, crypto_secretbox_NONCEBYTES> nonce{};
  std::array<std::uint8_t, 32> plain{};
  if (crypto_secretbox_open_easy(plain.data(), share.ct.data(), share.ct.size(), nonce.data(),
                                 key.data()) != 0) {
    return invalid_argument("the encrypted share does not open");
  }
  auto s = SecretScalar::import_secret_bytes(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!s) return invalid_argument("the share is not a canonical scalar");
  return s;
}

}  // namespace

EncryptedShare encrypt_share(std::uint32_t from, std::uint32_t to, const Point& enc_key_to,
                             const Scalar& share, core::Random& rng) {
  const SecretScalar rho = SecretScalar::random(rng);
  EncryptedShare out;
  out.to = to;
  out.r = Point::base_mul(rho.expose());
  const Point k = rho.expose() * enc_key_to;
  Digest key = share_key(out.r, enc_key_to, k, from, to);
  std::array<std::uint8_t, crypto_secretbox_NONCEBYTES> nonce{};  // each key is used once
  ScalarBytes plain = share.to_bytes();
  out.ct.resize(EncryptedShare::kCiphertextBytes);
  crypto_secretbox_easy(out.ct.data(), plain.data(), plain.size(), nonce.data(), key.data());
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(key.data(), key.size());
  return out;
}

Result<SecretScalar> decrypt_share(std::uint32_t from, const SecretScalar& enc_secret_to,
                                   const Point& enc_key_to, const EncryptedShare& share) {
  const Point k = enc_secret_to.expose() * share.r;
  Digest key = share_key(share.r, enc_key_to, k, from, share.to);
  auto s = open_share(key, share);
  sodium_memzero(key.data(), key.size());
  return s;
}

Complaint Complaint::make(const ProofContext& ctx, std::uint32_t against,
                          const SecretScalar& enc_secret, const Point& enc_key,
                          const EncryptedShare& share, core::Random& rng) {
  Complaint c;
  c.by = share.to;
  c.against = against;
  c.k = enc_secret.expose() * share.r;
  c.proof = DleqProof::make("complaint", ctx, enc_secret, enc_key, share.r, c.k, rng);
  return c;
}

ComplaintVerdict judge_complaint(const ProofContext& ctx, const Complaint& complaint,
                                 const Point& enc_key_by, const EncryptedShare& share,
                                 std::span<const Point> dealer_commitments) {
  if (!complaint.proof.verify("complaint", ctx, enc_key_by, share.r, complaint.k)) {
    return ComplaintVerdict::kComplainerCheated;
  }
  const Digest key = share_key(share.r, enc_key_by, complaint.k, complaint.against, complaint.by);
  auto s = open_share(key, share);
  if (!s) return ComplaintVerdict::kDealerCheated;
  if (!(Point::base_mul(s->expose()) == feldman_eval(dealer_commitments, complaint.by))) {
    return ComplaintVerdict::kDealerCheated;
  }
  return ComplaintVerdict::kComplainerCheated;
}

Scalar lagrange_at_zero(std::span<const std::uint32_t> indices, std::uint32_t j) {
  Scalar num = Scalar::from_u64(1);
  Scalar den = Scalar::from_u64(1);
  bool found = false;
  for (const std::uint32_t m : indices) {
    if (m == j) {
      found = true;
      continue;
    }
    num = num * Scalar::from_u64(m);
    den = den * (Scalar::from_u64(m) - Scalar::from_u64(j));
  }
  VECHE_CHECK(found, "j is one of the indices");
  return num * den.inverse();
}

Point combine_partials(std::span<const std::uint32_t> indices, std::span<const Point> partials) {
  VECHE_CHECK(indices.size() == partials.size(), "one partial decryption per index");
  std::vector<Scalar> lambdas;
  lambdas.reserve(indices.size());
  for (const std::uint32_t j : indices) lambdas.push_back(lagrange_at_zero(indices, j));
  return multi_scalar_mul(lambdas, partials);
}

}  // namespace veche::crypto
