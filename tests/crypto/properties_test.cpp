// Laws that hold for all inputs (rapidcheck).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "veche/crypto/dkg.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/proofs.hpp"

namespace veche::crypto {
namespace {

struct Fixture {
  core::SeededRandom rng;
  SecretScalar x;
  PublicKey pk;
  explicit Fixture(std::uint64_t seed)
      : rng(seed),
        x(SecretScalar::random(rng)),
        pk(std::move(PublicKey::make(Point::base_mul(x.expose()))).value()) {}
};

RC_GTEST_PROP(ElGamalLaws, EncryptDecryptRoundTrip, (std::uint64_t seed, std::uint16_t m)) {
  Fixture f(seed);
  const Ciphertext ct = encrypt(f.pk, m, Scalar::random(f.rng));
  RC_ASSERT(decrypt_to_point(ct, f.x) == Point::base_mul(Scalar::from_u64(m)));
}

RC_GTEST_PROP(ElGamalLaws, HomomorphicSum, (std::uint64_t seed, std::vector<std::uint8_t> ms)) {
  Fixture f(seed);
  Ciphertext sum{Point(), Point()};
  std::uint64_t total = 0;
  for (const auto m : ms) {
    sum += encrypt(f.pk, m, Scalar::random(f.rng));
    total += m;
  }
  RC_ASSERT(*DiscreteLog(total).solve(decrypt_to_point(sum, f.x)) == total);
}

RC_GTEST_PROP(ProofLaws, RangeProofCompleteness, (std::uint64_t seed)) {
  Fixture f(seed);
  const auto k = *rc::gen::inRange<std::size_t>(1, 6);
  std::vector<std::uint64_t> values;
  for (std::size_t i = 0; i < k; ++i) values.push_back(i * 2);
  const auto t = *rc::gen::inRange<std::size_t>(0, k);
  const Scalar r = Scalar::random(f.rng);
  const Ciphertext ct = encrypt(f.pk, values[t], r);
  const auto ctx = ProofContext::for_voter(Bytes{1}, Bytes(32, 2));
  const auto proof = RangeProof::make(ctx, f.pk, ct, values, t, r, f.rng);
  RC_ASSERT(proof.verify(ctx, f.pk, ct, values).has_value());
}

RC_GTEST_PROP(ProofLaws, DleqCompleteness, (std::uint64_t seed)) {
  Fixture f(seed);
  const Point p = Point::base_mul(Scalar::random(f.rng));
  const auto ctx = ProofContext::for_trustee(Bytes{3}, 1);
  const Point y = f.x.expose() * p;
  const auto proof = DleqProof::make("dleq", ctx, f.x, f.pk.point(), p, y, f.rng);
  RC_ASSERT(proof.verify("dleq", ctx, f.pk.point(), p, y).has_value());
}

RC_GTEST_PROP(ThresholdLaws, AnyTOfNSharesInterpolateTheSecret, (std::uint64_t seed)) {
  core::SeededRandom rng(seed);
  const auto n = *rc::gen::inRange<std::uint32_t>(1, 6);
  const auto t = *rc::gen::inRange<std::uint32_t>(1, n + 1);
  const Polynomial poly = Polynomial::random(t, rng);
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t i = 1; i <= n && chosen.size() < t; ++i) {
    if (rng.uniform(2) == 0 || n - i + 1 + chosen.size() <= t) chosen.push_back(i);
  }
  std::vector<Point> partials;
  for (const auto j : chosen) partials.push_back(Point::base_mul(poly.evaluate(j).expose()));
  RC_ASSERT(combine_partials(chosen, partials) == Point::base_mul(poly.constant().expose()));
}

}  // namespace
}  // namespace veche::crypto
