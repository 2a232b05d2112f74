// The demo elections (demo.hpp): made with the same functions as the command-line roles, with
// seeded randomness (fictional keys, never a real election's), then imported like any board.
#include "veche/elections/demo.hpp"

#include "veche/crypto/dkg.hpp"
#include "veche/record/ballot.hpp"
#include "veche/record/board.hpp"
#include "veche/record/trustee.hpp"

namespace veche::elections {
namespace {

using record::Question;
using record::QuestionKind;
using record::SeatMethod;

constexpr std::string_view kCountedId = "demo-council-spring";
constexpr std::string_view kOpenId = "demo-fund-priorities";
constexpr std::uint32_t kOpenVoters = 40;
constexpr std::uint32_t kOpenVoted = 6;  // the first codes are used; the booth gets the next
constexpr std::uint64_t kCountedSeed = 2026;
constexpr std::uint64_t kOpenSeed = 2027;
// Voters' codes come from their own seeded stream, so demo_booth() can make them again.
constexpr std::uint64_t codes_seed(std::uint64_t seed) { return seed ^ 0x5eed'c0deU; }

// One election's secrets and board, advanced step by step.
class DemoRun {
 public:
  DemoRun(std::string_view election_id, std::string_view title, std::vector<Question> questions,
          std::uint64_t seed)
      : rng_(seed),
        codes_rng_(codes_seed(seed)),
        admin_(crypto::SigningKey::generate(rng_)),
        registrar_(crypto::SigningKey::generate(rng_)) {
    setup_.election_id = std::string(election_id);
    setup_.title = std::string(title);
    setup_.questions = std::move(questions);
    const char* factions[] = {"Northern Civic Forum", "Volga Federalists", "Democratic Platform"};
    for (const char* name : factions) {
      keys_.push_back(crypto::SigningKey::generate(rng_));
      enc_.push_back(crypto::SecretScalar::random(rng_));
      setup_.trustees.push_back({name, keys_.back().verify_key()});
    }
    setup_.threshold = 2;
    setup_.registrars.push_back({"Legal Aid Abroad", registrar_.verify_key()});
    setup_.administrator = admin_.verify_key();
  }

  void open(std::uint32_t voters) {
    state_.trust_ballot_proofs(true);  // made here; the import checks every proof
    add("setup", record::make_setup(setup_, admin_));
    for (std::uint32_t i = 1; i <= keys_.size(); ++i) {
      add("trustee_key", record::make_trustee_key(state_, i, enc_[i - 1], keys_[i - 1], rng_));
    }
    for (std::uint32_t i = 1; i <= keys_.size(); ++i) {
      const auto poly = crypto::Polynomial::random(setup_.threshold, rng_);
      add("trustee_deal", must(record::make_trustee_deal(state_, i, poly, keys_[i - 1], rng_)));
    }
    std::vector<crypto::VerifyKey> credentials;
    for (std::uint32_t v = 0; v < voters; ++v) {
      auto c = crypto::Credential::issue(setup_.election_id, codes_rng_);
      codes_.push_back(std::move(c.code));
      credentials.push_back(c.credential);
    }
    add("credentials", record::make_credentials(1, std::move(credentials), registrar_));
    add("open", must(record::make_open(state_, admin_)));
  }

  // Voter v's choices: for each question, the choices whose bit in `pattern` is set.
  void vote(std::uint32_t v, const std::vector<std::uint32_t>& patterns) {
    record::PlainBallot plain;
    for (std::size_t q = 0; q < setup_.questions.size(); ++q) {
      std::vector<std::uint8_t> sel(setup_.questions[q].choices.size(), 0);
      for (std::size_t c = 0; c < sel.size(); ++c) sel[c] = (patterns[q] >> c) & 1U;
      plain.selections.push_back(std::move(sel));
    }
    auto voter = must(crypto::Credential::from_code(setup_.election_id, codes_[v]));
    auto ballot = must(record::encrypt_ballot(setup_.questions, state_.joint_key(),
                                              state_.fingerprint(), voter, plain, rng_));
    add("ballot", ballot.payload);
  }

  // Closes, decrypts with trustees 1 and 3 (trustee 2 is absent) and publishes the result.
  void count() {
    add("close", record::make_close(state_, admin_));
    for (const std::uint32_t j : {1U, 3U}) {
      const auto share = must(record::derive_share(state_, j, enc_[j - 1]));
      add("partial_decryption",
          must(record::make_partial_decryption(state_, j, share, keys_[j - 1], rng_)));
    }
    add("result", must(record::make_result(state_, admin_)));
  }

  std::string text() const { return board_.serialize(); }
  const std::vector<std::string>& codes() const { return codes_; }

 private:
  template <class T>
  static T must(Result<T> r) {
    VECHE_CHECK(r.has_value(), "the demo election is well formed");
    return std::move(r).value();
  }
  void add(std::string_view type, const boost::json::object& payload) {
    const auto st = state_.apply(board_.append(type, payload));
    VECHE_CHECK(st.has_value(), "the demo election is well formed");
  }

  core::SeededRandom rng_;
  core::SeededRandom codes_rng_;
  crypto::SigningKey admin_;
  crypto::SigningKey registrar_;
  std::vector<crypto::SigningKey> keys_;
  std::vector<crypto::SecretScalar> enc_;
  std::vector<std::string> codes_;
  record::Setup setup_;
  record::Board board_;
  record::ElectionState state_;
};

DemoRun counted_election() {
  std::vector<Question> questions = {
      {"Coordinating council (up to 3)",
       QuestionKind::kApproval,
       {"Irina Vetrova", "Pavel Lisin", "Olga Kedrova", "Timur Sadykov", "Nadia Orlik"},
       0,
       3,
       true,
       0,
       SeatMethod::kNone,
       0},
      {"Assembly (9 seats)",
       QuestionKind::kPartyList,
       {"Forum list", "Federalist list", "Rights and Press", "Women for Peace"},
       1,
       1,
       true,
       9,
       SeatMethod::kSainteLague,
       50},
      {"Adopt the joint charter",
       QuestionKind::kYesNo,
       {"yes", "no"},
       1,
       1,
       true,
       0,
       SeatMethod::kNone,
       0},
  };
  DemoRun run(kCountedId, "Coordinating council, spring round (demo)", std::move(questions),
              kCountedSeed);
  run.open(48);
  // Approval sets as bits of the five candidates; one list; yes (1) or no (2); 0 is blank.
  const std::uint32_t council[] = {0b00011, 0b00101, 0b10001, 0b01010, 0b00110, 0b10100,
                                   0b00001, 0b01100, 0b10010, 0b00000, 0b11000, 0b00111};
  const std::uint32_t lists[] = {1, 2, 1, 4, 8, 1, 2, 4, 1, 2, 8, 1, 4, 2, 0, 1};
  const std::uint32_t charter[] = {1, 1, 2, 1, 1, 0, 1, 2, 1, 1, 1};
  for (std::uint32_t v = 0; v < 48; ++v) {
    run.vote(v, {council[v % 12], lists[v % 16], charter[v % 11]});
  }
  for (std::uint32_t v : {3U, 17U, 30U}) run.vote(v, {0b11100, 4, 2});  // revotes: the last counts
  run.count();
  return run;
}

DemoRun open_election() {
  std::vector<Question> questions = {
      {"What the fund supports first (up to 2)",
       QuestionKind::kApproval,
       {"Legal aid for asylum cases", "Grants for independent media",
        "Weekend schools in Russian abroad", "Help for the families of political prisoners",
        "A hotline for people leaving Russia"},
       0,
       2,
       true,
       0,
       SeatMethod::kNone,
       0},
  };
  DemoRun run(kOpenId, "Diaspora fund priorities (demo, open)", std::move(questions), kOpenSeed);
  run.open(kOpenVoters);
  const std::uint32_t picks[] = {0b00011, 0b01001, 0b00110, 0b10001, 0b01010, 0b00001};
  for (std::uint32_t v = 0; v < kOpenVoted; ++v) run.vote(v, {picks[v]});
  return run;
}

Result<std::vector<Summary>> demo_elections(Elections& service) {
  VECHE_ASSIGN_OR_RETURN(auto all, service.list());
  std::erase_if(all, [](const Summary& s) {
    return s.election_id != kCountedId && s.election_id != kOpenId;
  });
  return all;
}

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock) {
  Elections service(db, clock);
  VECHE_ASSIGN_OR_RETURN(auto existing, service.list());
  if (!existing.empty()) return ok();
  VECHE_TRY(service.import_board(counted_election().text()));
  VECHE_TRY(service.import_board(open_election().text()));
  return ok();
}

Result<DemoBooth> demo_booth(store::Database& db, const core::Clock& clock) {
  Elections service(db, clock);
  VECHE_ASSIGN_OR_RETURN(auto demos, demo_elections(service));
  for (const auto& s : demos) {
    if (s.election_id != kOpenId || s.phase != "open") continue;
    DemoBooth booth;
    booth.election = s.id;
    core::SeededRandom codes(codes_seed(kOpenSeed));
    for (std::uint32_t v = 0; v < kOpenVoted + 3; ++v) {
      auto c = crypto::Credential::issue(kOpenId, codes);
      if (v >= kOpenVoted) booth.codes.push_back(std::move(c.code));
    }
    return booth;
  }
  return not_found("the open demo election is not on this site");
}

}  // namespace veche::elections
