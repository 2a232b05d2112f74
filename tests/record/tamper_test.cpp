// Tampering with a record, by accident or by a dishonest operator who re-signs and re-chains what
// they can, makes the verifier fail and name the check (docs/protocol.md §14).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>

#include "election_fixture.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/record/verify.hpp"

namespace veche::record {
namespace {

namespace json = boost::json;
using testing::ElectionShape;
using testing::TestElection;

// One small finished election shared by the tests (built once: it is deterministic).
const TestElection& election() {
  static const TestElection* el = [] {
    auto* e = new TestElection(ElectionShape{3, 2, 6, {}}, 5);
    e->open();
    e->vote_all();
    e->cast(2, e->plain_for(2, 1));  // a revote
    e->close();
    e->decrypt({1, 2, 3});
    e->publish();
    return e;
  }();
  return *el;
}

std::vector<Event> events() { return election().board().events(); }

std::string text_of(const std::vector<Event>& ev) {
  std::string out;
  for (const auto& e : ev) out += event_line(e) + "\n";
  return out;
}

// What a dishonest operator can do: recompute seq, prev and hash for everything.
void rechain(std::vector<Event>& ev) {
  crypto::Digest prev{};
  for (std::size_t i = 0; i < ev.size(); ++i) {
    ev[i].seq = i;
    ev[i].prev = prev;
    ev[i].hash = event_hash(ev[i].seq, prev, ev[i].type, ev[i].payload);
    prev = ev[i].hash;
  }
}

// Edits a payload and re-signs it with `key` (the role's own key: a dishonest role).
void edit(Event& e, const crypto::SigningKey& key, const std::function<void(json::object&)>& f) {
  json::object o = json::parse(e.payload).as_object();
  o.erase("sig");
  o.erase("signer");
  f(o);
  sign_payload(o, e.type, key);
  e.payload = json::serialize(o);
}

std::size_t index_of(const std::vector<Event>& ev, std::string_view type, std::size_t nth = 0) {
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].type == type && nth-- == 0) return i;
  }
  ADD_FAILURE() << "no event " << type;
  return 0;
}

VerificationReport verify(const std::vector<Event>& ev) { return verify_record(text_of(ev), {}); }

void expect_fails(const std::vector<Event>& ev, int check, const std::string& needle = "") {
  const auto report = verify(ev);
  EXPECT_FALSE(report.valid);
  EXPECT_EQ(report.failed_check, check) << report.error;
  if (!needle.empty()) {
    EXPECT_NE(report.error.find(needle), std::string::npos) << report.error;
  }
  ASSERT_EQ(report.checks.size(), 16U);
  EXPECT_EQ(report.checks[static_cast<std::size_t>(check - 1)].status, CheckStatus::kFailed);
}

TEST(Tamper, TheUntouchedRecordVerifies) {
  const auto report = verify(events());
  EXPECT_TRUE(report.valid) << report.error;
}

TEST(Tamper, ChangingAnySingleByteFails) {
  const std::string text = election().board().serialize();
  core::SeededRandom rng(99);
  std::vector<std::size_t> positions;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    const std::size_t nl = text.find('\n', line_start);
    positions.push_back(line_start);
    positions.push_back(nl);
    for (int k = 0; k < 6; ++k) positions.push_back(line_start + rng.uniform(nl - line_start));
    line_start = nl + 1;
  }
  for (const std::size_t pos : positions) {
    for (const unsigned flip : {0x01U, 0x20U}) {
      std::string bad = text;
      bad[pos] =
          static_cast<char>(static_cast<unsigned>(static_cast<unsigned char>(bad[pos])) ^ flip);
      const auto report = verify_record(bad, {});
      EXPECT_FALSE(report.valid) << "byte " << pos << " ^ " << int(flip);
      EXPECT_FALSE(report.error.empty());
    }
  }
}

TEST(Tamper, DroppingABallotFailsTheCloseCount) {
  auto ev = events();
  ev.erase(ev.begin() + static_cast<std::ptrdiff_t>(index_of(ev, "ballot", 3)));
  expect_fails(ev, kCheckRecord, "seq");
  rechain(ev);
  expect_fails(ev, kCheckClose, "ballots");
}

TEST(Tamper, DroppingABallotAndFixingTheCloseFailsTheResult) {
  auto ev = events();
  ev.erase(ev.begin() + static_cast<std::ptrdiff_t>(index_of(ev, "ballot", 0)));
  const auto c = index_of(ev, "close");
  edit(ev[c], election().admin(),
       [](json::object& o) { o["ballots"] = o["ballots"].to_number<std::uint64_t>() - 1; });
  rechain(ev);
  const auto report = verify(ev);
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(report.failed_check == kCheckLastBallot || report.failed_check == kCheckPartials)
      << report.failed_check << " " << report.error;
}

TEST(Tamper, DuplicatingABallotFails) {
  auto ev = events();
  const auto b = index_of(ev, "ballot", 1);
  ev.insert(ev.begin() + static_cast<std::ptrdiff_t>(b), ev[b]);
  expect_fails(ev, kCheckRecord);
  rechain(ev);
  expect_fails(ev, kCheckClose);
}

TEST(Tamper, ReorderingAVotersTwoBallotsChangesWhatCountsAndFails) {
  auto ev = events();
  // Voter 2's first ballot is ballot #2, the revote is the last ballot.
  const auto first = index_of(ev, "ballot", 2);
  const auto last = index_of(ev, "close") - 1;
  std::swap(ev[first], ev[last]);
  expect_fails(ev, kCheckRecord);
  rechain(ev);
  const auto report = verify(ev);
  EXPECT_FALSE(report.valid);
  EXPECT_EQ(report.failed_check, kCheckPartials) << report.error;
}

TEST(Tamper, ABallotAfterTheCloseFails) {
  auto ev = events();
  const auto b = index_of(ev, "ballot", 0);
  const Event moved = ev[b];
  ev.erase(ev.begin() + static_cast<std::ptrdiff_t>(b));
  ev.insert(ev.begin() + static_cast<std::ptrdiff_t>(index_of(ev, "close") + 1), moved);
  rechain(ev);
  expect_fails(ev, kCheckClose);
}

TEST(Tamper, SwappingPartialDecryptionsFails) {
  auto ev = events();
  const auto p1 = index_of(ev, "partial_decryption", 0);
  const auto p2 = index_of(ev, "partial_decryption", 1);
  const json::value f1 = json::parse(ev[p1].payload).as_object().at("factors");
  const json::value f2 = json::parse(ev[p2].payload).as_object().at("factors");
  edit(ev[p1], election().trustee_key(1), [&](json::object& o) { o["factors"] = f2; });
  edit(ev[p2], election().trustee_key(2), [&](json::object& o) { o["factors"] = f1; });
  rechain(ev);
  expect_fails(ev, kCheckPartials, "proof");
}

TEST(Tamper, SwappingTwoFactorsWithinAPartialDecryptionFails) {
  auto ev = events();
  const auto p = index_of(ev, "partial_decryption", 1);
  edit(ev[p], election().trustee_key(2), [](json::object& o) {
    auto& row = o["factors"].as_array()[0].as_array();
    std::swap(row[0], row[1]);
  });
  rechain(ev);
  expect_fails(ev, kCheckPartials);
}

TEST(Tamper, ChangingACountFails) {
  auto ev = events();
  const auto r = index_of(ev, "result");
  edit(ev[r], election().admin(), [](json::object& o) {
    auto& counts = o["questions"].as_array()[0].as_object()["counts"].as_array();
    counts[0] = counts[0].to_number<std::uint64_t>() + 1;
  });
  expect_fails(ev, kCheckChain, "hash");
  rechain(ev);
  expect_fails(ev, kCheckResult, "decrypts");
}

TEST(Tamper, ChangingTheSeatsFails) {
  auto ev = events();
  const auto r = index_of(ev, "result");
  edit(ev[r], election().admin(), [](json::object& o) {
    auto& seats = o["questions"].as_array()[1].as_object()["seats"].as_array();
    std::size_t from = 0;
    while (seats[from].to_number<std::uint64_t>() == 0) ++from;
    seats[from] = seats[from].to_number<std::uint64_t>() - 1;
    const std::size_t to = (from + 1) % seats.size();
    seats[to] = seats[to].to_number<std::uint64_t>() + 1;
  });
  rechain(ev);
  expect_fails(ev, kCheckSeats, "seats");
}

TEST(Tamper, ChangingTheCountedNumberFails) {
  auto ev = events();
  const auto r = index_of(ev, "result");
  edit(ev[r], election().admin(), [](json::object& o) { o["counted"] = 7; });
  rechain(ev);
  expect_fails(ev, kCheckLastBallot);
}

TEST(Tamper, ASignatureByTheWrongKeyFails) {
  auto ev = events();
  const auto r = index_of(ev, "result");
  edit(ev[r], election().trustee_key(1), [](json::object&) {});
  rechain(ev);
  expect_fails(ev, kCheckSignatures, "wrong key");
}

TEST(Tamper, MissingResultFails) {
  auto ev = events();
  ev.pop_back();
  expect_fails(ev, kCheckEnd);
}

TEST(Tamper, TooFewPartialDecryptionsFail) {
  auto ev = events();
  ev.erase(ev.begin() + static_cast<std::ptrdiff_t>(index_of(ev, "partial_decryption", 0)));
  ev.erase(ev.begin() + static_cast<std::ptrdiff_t>(index_of(ev, "partial_decryption", 0)));
  rechain(ev);
  expect_fails(ev, kCheckPartials, "needed");
}

TEST(Tamper, ABallotFromAnUnlistedCredentialFails) {
  auto ev = events();
  core::SeededRandom rng(5);
  const auto outsider = crypto::Credential::generate("test-election", rng);
  const auto& st = election().state();
  auto b = encrypt_ballot(election().setup().questions, st.joint_key(), st.fingerprint(), outsider,
                          election().plain_for(0), rng);
  ASSERT_TRUE(b.has_value());
  const auto c = index_of(ev, "close");
  Event e;
  e.type = "ballot";
  e.payload = json::serialize(b->payload);
  ev.insert(ev.begin() + static_cast<std::ptrdiff_t>(c), e);
  rechain(ev);
  expect_fails(ev, kCheckBallots, "not on the credential lists");
}

// A dishonest registrar edits and re-signs its list of public credentials.
void edit_credentials(std::vector<Event>& ev, const crypto::SigningKey& registrar,
                      const std::function<void(json::array&)>& f) {
  edit(ev[index_of(ev, "credentials")], registrar,
       [&](json::object& o) { f(o.at("credentials").as_array()); });
  rechain(ev);
}

// 12345·B + T with T of order 8: on the curve and not of small order, so not in libsodium's list
// of small-order points, yet outside the prime-order group (a key with a torsion part).
constexpr const char* kMixedOrderPoint =
    "cdbc161be64c4302f56443ff29ccf36a2075be1a1fa67ff126b56315f5681c38";

TEST(Tamper, ACredentialOutsideThePrimeOrderGroupFails) {
  auto ev = events();
  edit_credentials(ev, election().registrar(),
                   [](json::array& list) { list[2] = kMixedOrderPoint; });
  expect_fails(ev, kCheckCredentials, "credential 2: not a valid Ed25519 public key");
}

TEST(Tamper, AnUnsortedOrRepeatedCredentialListFails) {
  for (const bool repeat : {false, true}) {
    auto ev = events();
    edit_credentials(ev, election().registrar(), [&](json::array& list) {
      if (repeat) {
        list[1] = list[0];
      } else {
        std::swap(list[0], list[1]);
      }
    });
    expect_fails(ev, kCheckCredentials, "sorted and distinct");
  }
}

TEST(Tamper, TheFirstBadCredentialOfALongListIsNamedWhateverTheCores) {
  // 3,000 credentials are checked on all cores; the first bad one in the list's order is named.
  TestElection el(ElectionShape{3, 2, 3000, {}}, 9);
  el.open();
  auto ev = el.board().events();
  ASSERT_EQ(verify(ev).checks.at(kCheckCredentials - 1).status, CheckStatus::kPassed);
  edit_credentials(ev, el.registrar(), [](json::array& list) {
    list[2999] = "zz";
    list[2222] = std::string(64, 'g');
    list[1777] = kMixedOrderPoint;
  });
  expect_fails(ev, kCheckCredentials, "credential 1777: not a valid Ed25519 public key");
  edit_credentials(ev, el.registrar(), [](json::array& list) { list.erase(list.begin() + 1777); });
  expect_fails(ev, kCheckCredentials, "credential 2221 is not hex");
}

TEST(Tamper, ABallotCopiedToAnotherCredentialFailsItsProofs) {
  auto ev = events();
  const auto b0 = index_of(ev, "ballot", 0);
  const auto b1 = index_of(ev, "ballot", 1);
  const json::value answers = json::parse(ev[b0].payload).as_object().at("answers");
  // The holder of credential 1 copies voter 0's ciphertexts and proofs into their own ballot.
  json::object o = json::parse(ev[b1].payload).as_object();
  o.erase("sig");
  o.erase("signer");
  o["answers"] = answers;
  sign_payload(o, "ballot", election().voter(1).key());
  ev[b1].payload = json::serialize(o);
  rechain(ev);
  expect_fails(ev, kCheckBallots, "proof");
}

TEST(Tamper, AReEncryptedCopyOfACiphertextIsRejectedAsReplay) {
  // Voter 1 reuses voter 0's first ciphertext with a fresh, valid proof (knowing r, e.g.
  // through a coerced Benaloh audit): the α reappears under another credential.
  TestElection el(ElectionShape{1, 1, 2, {}}, 77);
  el.open();
  const auto plain = el.plain_for(0);
  const auto a = el.make_ballot(0, plain);
  el.append("ballot", a.payload);
  // Build voter 1's ballot choice by choice with voter 0's randomness for choice (0, 0).
  const auto& st = el.state();
  const auto& qs = el.setup().questions;
  const auto ctx =
      crypto::ProofContext::for_voter(st.fingerprint(), el.voter(1).public_credential().bytes());
  json::object o;
  o["election"] = crypto::to_hex(st.fingerprint());
  o["credential"] = crypto::to_hex(el.voter(1).public_credential().bytes());
  json::array answers;
  const std::vector<std::uint64_t> zero_one = {0, 1};
  for (std::size_t q = 0; q < qs.size(); ++q) {
    json::array choices;
    crypto::Ciphertext sum{crypto::Point(), crypto::Point()};
    crypto::Scalar sum_r;
    std::uint64_t total = 0;
    for (std::size_t c = 0; c < qs[q].choices.size(); ++c) {
      const std::uint64_t m = plain.selections[q][c];
      const crypto::Scalar r =
          q == 0 && c == 0 ? a.randomness[0][0] : crypto::Scalar::random(el.rng());
      const auto ct = crypto::encrypt(st.joint_key(), m, r);
      const auto proof =
          crypto::RangeProof::make(ctx, st.joint_key(), ct, zero_one, m, r, el.rng());
      json::object jc;
      jc["c"] = crypto::to_hex(ct.to_bytes());
      jc["proof"] = crypto::to_hex(proof.to_bytes());
      choices.push_back(std::move(jc));
      sum += ct;
      sum_r += r;
      total += m;
    }
    const auto values = sum_values(qs[q]);
    const auto idx =
        static_cast<std::size_t>(std::find(values.begin(), values.end(), total) - values.begin());
    json::object ja;
    ja["choices"] = std::move(choices);
    ja["sum"] = crypto::to_hex(
        crypto::RangeProof::make(ctx, st.joint_key(), sum, values, idx, sum_r, el.rng())
            .to_bytes());
    answers.push_back(std::move(ja));
  }
  o["answers"] = std::move(answers);
  sign_payload(o, "ballot", el.voter(1).key());
  auto ballot = parse_ballot(o, qs);
  ASSERT_TRUE(ballot.has_value());
  EXPECT_TRUE(verify_ballot(*ballot, o, qs, st.joint_key(), st.fingerprint()).has_value());
  std::vector<Event> ev = el.board().events();
  Event e;
  e.type = "ballot";
  e.payload = json::serialize(o);
  ev.push_back(e);
  rechain(ev);
  const auto report = verify_record(text_of(ev), {});
  EXPECT_EQ(report.failed_check, kCheckBallots) << report.error;
  EXPECT_NE(report.error.find("replay"), std::string::npos) << report.error;
}

// A voter's own client could send a ballot with a broken proof and a valid signature; the
// batch then fails, and the one-by-one fallback must name the same (first) bad ballot however
// the ballots were shared out among threads.
TEST(Tamper, ABadBallotIsNamedTheSameWhateverTheThreadCount) {
  TestElection el(ElectionShape{3, 2, 40, {}}, 21);
  el.open();
  el.vote_all();
  el.close();
  el.decrypt({1, 2});
  el.publish();
  std::vector<Event> ev = el.board().events();
  for (const std::uint32_t voter : {17U, 12U}) {  // in different threads' shares with 2 threads
    edit(ev[index_of(ev, "ballot", voter)], el.voter(voter).key(), [](json::object& o) {
      auto& choice = o["answers"].as_array()[0].as_object()["choices"].as_array()[1].as_object();
      std::string proof(choice["proof"].as_string());
      proof[192] = proof[192] == '0' ? '1' : '0';  // the low byte of z in the first branch
      choice["proof"] = proof;
    });
  }
  rechain(ev);
  const std::string text = text_of(ev);
  const std::string first_bad = "event " + std::to_string(ev[index_of(ev, "ballot", 12)].seq);
  std::string error;
  for (const unsigned threads : {1U, 2U, 3U, 8U}) {
    VerifyOptions options;
    options.threads = threads;
    const auto report = verify_record(text, options);
    EXPECT_FALSE(report.valid);
    EXPECT_EQ(report.failed_check, kCheckBallots) << threads << " threads: " << report.error;
    EXPECT_EQ(report.error.rfind(first_bad + " ", 0), 0U) << report.error;
    EXPECT_NE(report.error.find("question 1 choice 2: range proof"), std::string::npos)
        << report.error;
    if (error.empty()) error = report.error;
    EXPECT_EQ(report.error, error) << threads << " threads";
  }
}

TEST(Tamper, AValidRecordVerifiesTheSameWhateverTheThreadCount) {
  const std::string text = election().board().serialize();
  for (const unsigned threads : {1U, 2U, 5U}) {
    VerifyOptions options;
    options.threads = threads;
    const auto report = verify_record(text, options);
    EXPECT_TRUE(report.valid) << threads << " threads: " << report.error;
    ASSERT_TRUE(report.result.has_value());
    EXPECT_EQ(report.result->counts, election().state().published_result()->counts);
  }
}

TEST(Tamper, AWrongJointKeyInTheOpeningFails) {
  auto ev = events();
  const auto o = index_of(ev, "open");
  edit(ev[o], election().admin(), [](json::object& p) {
    p["joint_key"] = crypto::to_hex(crypto::Point::generator().to_bytes());
  });
  rechain(ev);
  expect_fails(ev, kCheckOpening, "joint key");
}

TEST(Tamper, AForgedTrusteeKeyProofFails) {
  auto ev = events();
  const auto k = index_of(ev, "trustee_key", 1);
  edit(ev[k], election().trustee_key(2), [](json::object& p) {
    p["enc_key"] = crypto::to_hex(crypto::Point::generator().to_bytes());
  });
  rechain(ev);
  expect_fails(ev, kCheckTrusteeKeys, "Schnorr");
}

}  // namespace
}  // namespace veche::record
