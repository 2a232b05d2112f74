// docs/protocol.md §14 (verifier checks), §13 (ballots verified once each, in parallel).
#include "veche/record/verify.hpp"

#include <boost/json.hpp>
#include <thread>

#include "veche/crypto/random.hpp"

namespace veche::record {

namespace json = boost::json;

namespace {

constexpr std::size_t kChunk = 1024;

struct Verified {
  Result<Ballot> ballot = invalid_argument("not verified");
  Status verdict;
};

json::object parse_payload(const Event& e, bool& ok_json) {
  json::error_code ec;
  json::value v = json::parse(e.payload, ec);
  ok_json = !ec && v.is_object();
  return ok_json ? std::move(v.as_object()) : json::object();
}

// Verifies ballots [begin, end) of `ev` with one batch (§13); on a failed batch, re-verifies
// each one alone so the bad ballot is named.
void verify_share(const ElectionState& state, const std::vector<const Event*>& ev,
                  std::vector<Verified>& out, std::size_t first, std::size_t step) {
  crypto::SystemRandom rng;
  crypto::BatchVerifier batch(state.joint_key().point());
  std::vector<std::size_t> batched;
  for (std::size_t k = first; k < ev.size(); k += step) {
    bool ok_json = false;
    const json::object payload = parse_payload(*ev[k], ok_json);
    if (!ok_json) {
      out[k].ballot = invalid_argument("payload is not a JSON object");
      continue;
    }
    out[k].ballot = parse_ballot(payload, state.setup().questions);
    if (!out[k].ballot) continue;
    out[k].verdict = verify_ballot_batched(*out[k].ballot, payload, state.setup().questions,
                                           state.joint_key(), state.fingerprint(), batch, rng);
    if (out[k].verdict) batched.push_back(k);
  }
  if (batch.verify()) return;
  for (const std::size_t k : batched) {
    bool ok_json = false;
    const json::object payload = parse_payload(*ev[k], ok_json);
    out[k].verdict = verify_ballot(*out[k].ballot, payload, state.setup().questions,
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

}  // namespace

VerificationReport verify_record(std::string_view record, const VerifyOptions& options) {
  VerificationReport report;
  auto events = parse_board(record);
  ElectionState state;
  if (!events) {
    report.error = events.error().message;
    report.failed_check = kCheckRecord;
    fill_statuses(report, state, kCheckRecord, false);
    return report;
  }
  std::uint64_t total_ballots = 0;
  for (const auto& e : *events) total_ballots += e.type == "ballot" ? 1 : 0;
  std::uint64_t done_ballots = 0;
  const unsigned threads = std::max(1U, options.threads);
  auto stop = [&](const Status& st, int check) {
    report.error = st.error().message;
    report.failed_check = check;
    fill_statuses(report, state, check, true);
    return report;
  };
  const auto& ev = *events;
  std::size_t i = 0;
  while (i < ev.size()) {
    if (ev[i].type != "ballot" || state.phase() != Phase::kOpen) {
      if (auto st = state.apply(ev[i]); !st) return stop(st, state.failed_check());
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < ev.size() && end - i < kChunk && ev[end].type == "ballot") ++end;
    std::vector<Verified> verified(end - i);
    std::vector<const Event*> chunk;
    for (std::size_t k = i; k < end; ++k) chunk.push_back(&ev[k]);
    {
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] { verify_share(state, chunk, verified, t, threads); });
      }
      for (auto& th : pool) th.join();
    }
    for (std::size_t k = 0; k < verified.size(); ++k) {
      auto& vb = verified[k];
      Status st;
      if (!vb.ballot) {
        st = state.apply(ev[i + k]);  // re-parses to report the chain or parse error in order
      } else {
        st = state.apply_ballot(ev[i + k], std::move(vb.ballot).value(), vb.verdict);
      }
      if (!st) return stop(st, state.failed_check());
    }
    done_ballots += verified.size();
    if (options.progress) options.progress(done_ballots, total_ballots);
    i = end;
  }
  if (auto st = state.finish(); !st) return stop(st, kCheckEnd);
  report.valid = true;
  report.result = state.published_result();
  for (const auto& q : state.setup().questions) report.question_ids.push_back(q.id);
  fill_statuses(report, state, 0, true);
  return report;
}

}  // namespace veche::record
