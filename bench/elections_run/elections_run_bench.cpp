// Times what a site-run election costs the server beyond casting (docs/benchmarks.md, "Site-run
// elections"): the administrator's steps, a trustee's event upload after the close, the manage
// page's progress, the public page's schedule and one deadline-keeper pass, on a board with
// BALLOTS ballots of one approval question with CHOICES choices. Each step replays the stored
// board (ballot proofs trusted: they were checked when cast), so these grow with the board.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/random.hpp"
#include "veche/crypto/password.hpp"
#include "veche/crypto/random.hpp"
#include "veche/elections/lifecycle.hpp"
#include "veche/record/ballot.hpp"
#include "veche/record/trustee.hpp"
#include "veche/store/database.hpp"

using namespace veche;
using namespace std::chrono_literals;

namespace {

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(r).value();
}
void must(const Status& s, const char* what) {
  if (!s) {
    std::fprintf(stderr, "%s: %s\n", what, s.error().message.c_str());
    std::exit(1);
  }
}

double ms(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

record::ElectionState state_of(elections::Elections& e, elections::ElectionId id) {
  auto text = must(e.record(id), "record");
  auto events = must(record::parse_board(text), "parse");
  auto out = record::replay(events, false);
  must(out.status, "replay");
  return std::move(out.state);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: elections_run_bench BALLOTS CHOICES DB_FILE\n");
    return 2;
  }
  const auto ballots = static_cast<std::uint32_t>(std::stoul(argv[1]));
  const auto choices = static_cast<std::uint32_t>(std::stoul(argv[2]));
  must(crypto::initialize(), "sodium");
  auto db = must(store::open(argv[3]), "open");
  must(store::migrate(*db, elections::migrations()), "migrate");
  core::ManualClock clock(core::from_unix(1'800'000'000));
  const std::vector<std::uint8_t> raw(crypto::kDataKeyBytes, 7);
  const crypto::SecretBytes key(raw);
  elections::Elections service(*db, clock);
  elections::Lifecycle life(*db, clock, key, service);  // one state cache, as on the site
  core::SeededRandom rng(3);

  elections::Draft d;
  d.title = "Benchmark election";
  record::Question q{"council", record::QuestionKind::kApproval, {}, 0, 3, true,
                     0,         record::SeatMethod::kNone,       0};
  for (std::uint32_t c = 0; c < choices; ++c) q.choices.push_back("Choice " + std::to_string(c));
  d.questions = {q};
  d.trustees = {"A", "B", "C"};
  d.threshold = 2;
  d.registrars = {"R"};
  d.opens_at = clock.now() + 1h;
  d.closes_at = clock.now() + 48h;
  d.extension = {30, 2};
  const auto id = must(life.create(1, d), "create");
  std::vector<crypto::SigningKey> tk;
  std::vector<crypto::SecretScalar> enc;
  for (int i = 0; i < 3; ++i) {
    tk.push_back(crypto::SigningKey::generate(rng));
    enc.push_back(crypto::SecretScalar::random(rng));
  }
  const auto reg = crypto::SigningKey::generate(rng);
  for (const auto& r : must(life.run(id), "run").roles) {
    const auto& k = r.role == elections::Role::kTrustee ? tk[r.slot - 1] : reg;
    must(life.register_key(id, r.invite_token, crypto::to_hex(k.verify_key().bytes())), "key");
  }
  const double t_setup = ms([&] { must(life.freeze_setup(id), "setup"); });
  auto send = [&](const std::string& type, const boost::json::object& p) {
    must(life.append(id, elections::SubmittedEvent{type, p}), type.c_str());
  };
  for (std::uint32_t i = 1; i <= 3; ++i) {
    send("trustee_key",
         record::make_trustee_key(state_of(service, id), i, enc[i - 1], tk[i - 1], rng));
  }
  for (std::uint32_t i = 1; i <= 3; ++i) {
    auto poly = crypto::Polynomial::random(2, rng);
    send("trustee_deal",
         must(record::make_trustee_deal(state_of(service, id), i, poly, tk[i - 1], rng), "deal"));
  }
  const auto eid = state_of(service, id).setup().election_id;
  std::vector<std::string> codes;
  std::vector<crypto::VerifyKey> pub;
  for (std::uint32_t v = 0; v < ballots; ++v) {
    auto c = crypto::Credential::generate(eid, rng);
    codes.push_back(c.export_secret_code());
    pub.push_back(c.public_credential());
  }
  double t_creds = ms([&] { send("credentials", record::make_credentials(1, pub, reg)); });
  clock.advance(1h);
  const double t_open = ms([&] { must(life.open(id), "open"); });

  // Ballots: encrypted on all cores, cast through the service (proofs verified once).
  const auto st = state_of(service, id);
  std::vector<std::string> payloads(ballots);
  {
    const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < jobs; ++t) {
      pool.emplace_back([&, t] {
        core::SeededRandom r(1000 + t);
        for (std::uint32_t v = t; v < ballots; v += jobs) {
          auto cred = must(crypto::Credential::from_code(eid, codes[v]), "cred");
          record::PlainBallot plain;
          plain.selections = {std::vector<std::uint8_t>(choices, 0)};
          plain.selections[0][v % choices] = 1;
          auto b = must(record::encrypt_ballot(st.setup().questions, st.joint_key(),
                                               st.fingerprint(), cred, plain, r),
                        "encrypt");
          payloads[v] = boost::json::serialize(b.payload);
        }
      });
    }
  }
  const double t_cast = ms([&] {
    for (const auto& p : payloads) must(service.cast(id, p), "cast");
  });
  const double t_run = ms([&] { must(life.run(id), "run"); });
  const double t_progress = ms([&] { must(life.progress(id), "progress"); });
  must(life.keep_deadlines(), "keeper");
  clock.advance(1min);
  const double t_keeper = ms([&] { must(life.keep_deadlines(), "keeper"); });
  clock.advance(48h);
  const double t_close = ms([&] { must(life.close(id), "close"); });
  std::vector<boost::json::object> partials;
  double t_make = 0;
  for (std::uint32_t j : {1U, 2U}) {
    const auto s = state_of(service, id);
    t_make += ms([&] {
      auto share = must(record::derive_share(s, j, enc[j - 1]), "share");
      partials.push_back(
          must(record::make_partial_decryption(s, j, share, tk[j - 1], rng), "partial"));
    });
  }
  const double t_partial = ms([&] { send("partial_decryption", partials[0]); });
  send("partial_decryption", partials[1]);
  const double t_publish = ms([&] { must(life.publish(id), "publish"); });

  std::printf("site-run election: %u ballots, 1 question with %u choices, 3 trustees (2 needed)\n",
              ballots, choices);
  std::printf("  freeze setup                 %9.1f ms\n", t_setup);
  std::printf("  credentials event (%u)     %9.1f ms\n", ballots, t_creds);
  std::printf("  open                         %9.1f ms\n", t_open);
  std::printf("  cast all ballots (serial)    %9.1f ms  (%.0f ballots/s)\n", t_cast,
              ballots / (t_cast / 1000.0));
  std::printf("  run (public page schedule)   %9.1f ms\n", t_run);
  std::printf("  progress (manage page)       %9.1f ms\n", t_progress);
  std::printf("  keeper pass (open election)  %9.1f ms\n", t_keeper);
  std::printf("  close                        %9.1f ms\n", t_close);
  std::printf("  partial decryption upload    %9.1f ms  (making it: %.1f ms each)\n", t_partial,
              t_make / 2);
  std::printf("  publish                      %9.1f ms\n", t_publish);
  return 0;
}
