// docs/protocol.md §14 (verifier checks), §13 (ballots verified once each, in parallel).
#include "veche/record/verify.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <span>
#include <thread>

#include "veche/crypto/random.hpp"

namespace veche::record {

namespace json = boost::json;

namespace {

// Ballots verified between two serial steps: each thread's share (about kChunk / threads) is
// one batch, so one multi-scalar multiplication of about 100 points per ballot (§13).
constexpr std::size_t kChunk = 4096;

struct Slot {
  bool parsed = false;  // false: the serial replay re-reads the event to name the error
  PreparedBallot prepared;
};

// Prepares ballots first, first + step, ... of `ev` with one batch (§13); on a failed batch,
// re-verifies each one alone so the bad ballot is named. The verdicts do not depend on how the
// ballots are shared out, only on each ballot.
void verify_share(const ElectionState& state, std::span<const Event> ev, std::vector<Slot>& out,
                  std::size_t first, std::size_t step) {
  crypto::StreamRandom rng;
  const auto& questions = state.setup().questions;
  crypto::BatchVerifier batch(state.joint_key().point());
  std::vector<std::size_t> batched;
  for (std::size_t k = first; k < ev.size(); k += step) {
    const Event& e = ev[k];
    json::error_code ec;
    json::value v = json::parse(e.payload, ec);
    if (ec || !v.is_object()) continue;
    auto ballot = parse_ballot(v.as_object(), questions);
    if (!ballot) continue;
    Slot& slot = out[k];
    slot.parsed = true;
    slot.prepared.ballot = std::move(ballot).value();
    slot.prepared.hash_matches = e.hash == event_hash(e.seq, e.prev, e.type, e.payload);
    slot.prepared.tracker = tracker_of(e.payload);
    const Status signature =
        check_payload_signature_bytes(e.payload, "ballot", slot.prepared.ballot.credential);
    slot.prepared.verdict =
        verify_ballot_batched(slot.prepared.ballot, signature, questions, state.joint_key(),
                              state.fingerprint(), batch, rng);
    if (slot.prepared.verdict) batched.push_back(k);
    if (batched.size() == 1) batch.reserve(batch.size() * ((ev.size() - first) / step + 1));
  }
  if (batch.verify()) return;
  for (const std::size_t k : batched) {
    out[k].prepared.verdict = verify_ballot(out[k].prepared.ballot, ok(), questions,
                                            state.joint_key(), state.fingerprint());
  }
}

void fill_statuses(VerificationReport& report, const ElectionState& state, int failed,
                   bool parsed) {
  report.checks.clear();
  const Phase p = state.phase();
  for (int c = 1; c <= kCheckCount; ++c) {
    CheckResult r;
    r.number = c;
    r.name = check_name(c);
    bool done = false;
    switch (c) {
      case kCheckRecord:
        done = parsed;
        break;
      case kCheckChain:
      case kCheckSignatures:
        done = parsed && (failed == 0 || p >= Phase::kSetup);  // up to the failing event
        break;
      case kCheckSetup:
        done = p >= Phase::kSetup;
        break;
      case kCheckTrusteeKeys:
      case kCheckDeals:
      case kCheckCredentials:
      case kCheckOpening:
        done = p >= Phase::kOpen;
        break;
      case kCheckBallots:
      case kCheckClose:
      case kCheckAggregate:
        done = p >= Phase::kClosed;
        break;
      default:
        done = p >= Phase::kDone && failed == 0;
        break;
    }
    if (c == failed) {
      r.status = CheckStatus::kFailed;
      r.detail = report.error;
    } else if (done) {
      r.status = CheckStatus::kPassed;  // for checks 2 and 4: up to the failing event
    }
    report.checks.push_back(std::move(r));
  }
  if (!state.has_setup()) return;
  auto detail = [&](int c, std::string d) {
    if (report.checks[static_cast<std::size_t>(c - 1)].status == CheckStatus::kPassed) {
      report.checks[static_cast<std::size_t>(c - 1)].detail = std::move(d);
    }
  };
  const auto& s = state.setup();
  detail(kCheckRecord, std::to_string(state.events()) + " events");
  detail(kCheckSetup, std::to_string(s.questions.size()) + " questions, " +
                          std::to_string(s.threshold) + " of " + std::to_string(s.trustees.size()) +
                          " trustees");
  detail(kCheckDeals, std::to_string(state.qualified().size()) + " qualified trustees");
  detail(kCheckCredentials, std::to_string(state.credentials().size()) + " credentials");
  detail(kCheckBallots, std::to_string(state.ballot_events()) + " ballots");
  detail(kCheckLastBallot, std::to_string(state.counted()) + " counted");
  detail(kCheckPartials, std::to_string(state.partials().size()) + " trustees decrypted");
}

// The election, fingerprint and head hash of what was accepted, for the report.
void identify(VerificationReport& report, const ElectionState& state) {
  report.events = state.events();
  if (report.events == 0) return;
  report.head = crypto::to_hex(state.head());
  if (state.has_setup()) report.election_id = state.setup().election_id;
  if (state.phase() != Phase::kEmpty && state.phase() != Phase::kSetup) {
    report.fingerprint = crypto::to_hex(state.fingerprint());
  }
}

}  // namespace

VerificationReport verify_record(std::string_view record, const VerifyOptions& options) {
  VerificationReport report;
  ElectionState state;
  const unsigned threads = std::clamp(
      options.threads == 0 ? std::thread::hardware_concurrency() : options.threads, 1U, 64U);
  auto events = parse_board(record, threads);
  if (!events) {
    report.error = events.error().message;
    report.failed_check = kCheckRecord;
    fill_statuses(report, state, kCheckRecord, false);
    return report;
  }
  std::uint64_t total_ballots = 0;
  for (const auto& e : *events) total_ballots += e.type == "ballot" ? 1 : 0;
  std::uint64_t done_ballots = 0;
  auto stop = [&](const Status& st, int check) {
    report.error = st.error().message;
    report.failed_check = check;
    fill_statuses(report, state, check, true);
    identify(report, state);
    return report;
  };
  const std::span<const Event> ev(*events);
  std::size_t i = 0;
  while (i < ev.size()) {
    if (ev[i].type != "ballot" || state.phase() != Phase::kOpen) {
      if (auto st = state.apply(ev[i]); !st) return stop(st, state.failed_check());
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < ev.size() && end - i < kChunk && ev[end].type == "ballot") ++end;
    const auto chunk = ev.subspan(i, end - i);
    std::vector<Slot> slots(chunk.size());
    const auto used = static_cast<unsigned>(std::min<std::size_t>(threads, chunk.size()));
    if (used <= 1) {
      verify_share(state, chunk, slots, 0, 1);
    } else {
      std::vector<std::jthread> pool;
      for (unsigned t = 0; t < used; ++t) {
        pool.emplace_back([&, t] { verify_share(state, chunk, slots, t, used); });
      }
    }
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      // An unparsable ballot is re-read by apply() so its error is reported in order.
      const Status st =
          slots[k].parsed ? state.apply_ballot(chunk[k], slots[k].prepared) : state.apply(chunk[k]);
      if (!st) return stop(st, state.failed_check());
    }
    done_ballots += chunk.size();
    if (options.progress) options.progress(done_ballots, total_ballots);
    i = end;
  }
  if (auto st = state.finish(); !st) return stop(st, kCheckEnd);
  report.valid = true;
  report.result = state.published_result();
  for (const auto& q : state.setup().questions) report.question_ids.push_back(q.id);
  fill_statuses(report, state, 0, true);
  identify(report, state);
  return report;
}

}  // namespace veche::record
