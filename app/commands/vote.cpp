// `veche vote`: the voter's client. Encrypts on this machine, signs with the credential derived
// from the voter's code, appends the ballot and prints the tracker (docs/protocol.md §11).
// `--audit` first makes a ballot, reveals and checks it (Benaloh, §5.4), then encrypts afresh
// and casts that one. `--ballot-file` casts a ballot made elsewhere (the browser's booth, an
// independent client) after checking it exactly as any ballot is checked.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "commands/commands.hpp"
#include "commands/election_board.hpp"
#include "veche/record/ballot.hpp"

namespace veche::app {
namespace {

using namespace elections;

struct VoteOptions {
  std::string board;
  std::string code;
  std::string code_file;
  std::vector<std::string> selections;  // "question=choice[,choice...]"
  std::string ballot_file;              // a ballot payload made elsewhere
  bool audit = false;
};

Result<record::PlainBallot> parse_selections(const std::vector<record::Question>& qs,
                                             const std::vector<std::string>& args) {
  record::PlainBallot b;
  for (const auto& q : qs) b.selections.emplace_back(q.choices.size(), 0);
  for (const auto& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos) return invalid_argument("--select takes question=choice,...");
    const std::string qid = a.substr(0, eq);
    std::size_t q = 0;
    while (q < qs.size() && qs[q].id != qid) ++q;
    if (q == qs.size()) return invalid_argument("no question \"" + qid + "\"");
    std::string rest = a.substr(eq + 1);
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string name = rest.substr(0, comma);
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
      std::size_t c = 0;
      while (c < qs[q].choices.size() && qs[q].choices[c] != name) ++c;
      if (c == qs[q].choices.size()) {
        return invalid_argument("question \"" + qid + "\" has no choice \"" + name + "\"");
      }
      b.selections[q][c] = 1;
    }
  }
  VECHE_TRY(record::validate(b, qs));
  return b;
}

// Casts the ballot in `path` (one JSON payload, protocol.md §11, in canonical form).
void cast_ballot_file(const VoteOptions& o) {
  std::string text = must(read_file(o.ballot_file));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_object()) fail(invalid_argument("the ballot file is not a JSON object"));
  if (boost::json::serialize(parsed) != text) {
    fail(invalid_argument("the ballot is not in canonical form (protocol.md §10.2)"));
  }
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  if (state.phase() != record::Phase::kOpen) fail(failed_precondition("voting is not open"));
  const auto e = must(board.append(state, "ballot", parsed.as_object()));
  const auto tracker = record::tracker_of(text);
  std::printf("ballot cast (event %llu)\ntracker: %s\nfull tracker: %s\n",
              static_cast<unsigned long long>(e.seq), record::short_tracker(tracker).c_str(),
              crypto::to_hex(tracker).c_str());
}

void run_vote(const VoteOptions& o) {
  init_crypto();
  if (!o.ballot_file.empty()) {
    if (!o.code.empty() || !o.code_file.empty() || !o.selections.empty() || o.audit) {
      fail(invalid_argument("--ballot-file casts a finished ballot: give no code or selections"));
    }
    cast_ballot_file(o);
    return;
  }
  std::string code = o.code;
  if (!o.code_file.empty()) {
    code = must(read_file(o.code_file));
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
  }
  if (code.empty()) fail(invalid_argument("give the credential code with --code or --code-file"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  if (state.phase() != record::Phase::kOpen) fail(failed_precondition("voting is not open"));
  const auto& qs = state.setup().questions;
  const auto credential = must(crypto::Credential::from_code(state.setup().election_id, code));
  const auto plain = must(parse_selections(qs, o.selections));
  crypto::SystemRandom rng;
  if (o.audit) {
    const auto audited = must(
        record::encrypt_ballot(qs, state.joint_key(), state.fingerprint(), credential, plain, rng));
    if (!record::audit_ballot(audited.payload, state.joint_key(), plain, audited.randomness)) {
      fail(internal_error("the audited ballot does not match its revealed contents"));
    }
    std::printf("audit: ballot %s encrypts exactly your choices; it is discarded, not cast\n",
                record::short_tracker(audited.tracker).c_str());
    for (std::size_t q = 0; q < qs.size(); ++q) {
      for (std::size_t c = 0; c < qs[q].choices.size(); ++c) {
        std::printf("  %s / %s = %u, r = %s\n", qs[q].id.c_str(), qs[q].choices[c].c_str(),
                    plain.selections[q][c],
                    crypto::to_hex(audited.randomness[q][c].to_bytes()).c_str());
      }
    }
  }
  const auto ballot = must(
      record::encrypt_ballot(qs, state.joint_key(), state.fingerprint(), credential, plain, rng));
  const auto e = must(board.append(state, "ballot", ballot.payload));
  std::printf("ballot cast (event %llu)\ntracker: %s\nfull tracker: %s\n",
              static_cast<unsigned long long>(e.seq), record::short_tracker(ballot.tracker).c_str(),
              crypto::to_hex(ballot.tracker).c_str());
}

}  // namespace

void add_vote_command(CLI::App& app, const GlobalOptions& /*global*/) {
  auto opts = std::make_shared<VoteOptions>();
  auto* cmd = app.add_subcommand("vote", "Cast an encrypted ballot with a credential code");
  cmd->add_option("--board", opts->board, "Board folder")->required();
  cmd->add_option("--code", opts->code, "Credential code (prefer --code-file)");
  cmd->add_option("--code-file", opts->code_file, "File holding the credential code");
  cmd->add_option("--select", opts->selections, "question=choice[,choice]; omitted = blank");
  cmd->add_flag("--audit", opts->audit, "Benaloh audit: reveal and check a ballot, then cast anew");
  cmd->add_option("--ballot-file", opts->ballot_file,
                  "Cast a ballot made elsewhere (the browser's booth, another client), checked "
                  "like any other");
  cmd->callback([opts] { run_vote(*opts); });
}

}  // namespace veche::app
