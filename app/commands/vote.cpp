// `veche vote`: the voter's client. Encrypts on this machine, signs with the credential derived
// from the voter's code, appends the ballot and prints the tracker (docs/protocol.md §11).
// `--audit` first makes a ballot, reveals and checks it (Benaloh, §5.4), then encrypts afresh
// and casts that one. `--ballot-file` casts a ballot made elsewhere (the browser's booth, an
// independent client) after checking it exactly as any ballot is checked. `--ballot-out` writes
// the ballot to a file instead of appending it (to send it to the site). `--audit-file` checks
// a browser booth's audit file (docs/protocol.md §5.4) against the board, independently of the
// browser, and prints the choices it encrypts.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
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
  std::string ballot_out;               // write the ballot here instead of appending it
  std::string audit_file;               // a booth's audit file to check
  std::string audit_out;                // with --audit: write the audit file here
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

// The 0/1 selections and the randomness of an audit file, shaped like the questions.
Result<record::PlainBallot> audit_selections(const boost::json::value* v,
                                             const std::vector<record::Question>& qs) {
  if (v == nullptr || !v->is_array() || v->as_array().size() != qs.size()) {
    return invalid_argument("\"selections\" needs one list of 0/1 per question");
  }
  record::PlainBallot plain;
  for (std::size_t q = 0; q < qs.size(); ++q) {
    const auto& row = v->as_array()[q];
    if (!row.is_array() || row.as_array().size() != qs[q].choices.size()) {
      return invalid_argument("\"selections\" of question \"" + qs[q].id +
                              "\" needs one 0/1 per choice");
    }
    auto& out = plain.selections.emplace_back();
    for (const auto& m : row.as_array()) {
      if (!m.is_int64() || (m.as_int64() != 0 && m.as_int64() != 1)) {
        return invalid_argument("a selection is 0 or 1");
      }
      out.push_back(static_cast<std::uint8_t>(m.as_int64()));
    }
  }
  VECHE_TRY(record::validate(plain, qs));
  return plain;
}

Result<std::vector<std::vector<crypto::Scalar>>> audit_randomness(
    const boost::json::value* v, const std::vector<record::Question>& qs) {
  if (v == nullptr || !v->is_array() || v->as_array().size() != qs.size()) {
    return invalid_argument("\"randomness\" needs one list of scalars per question");
  }
  std::vector<std::vector<crypto::Scalar>> out;
  for (std::size_t q = 0; q < qs.size(); ++q) {
    const auto& row = v->as_array()[q];
    if (!row.is_array() || row.as_array().size() != qs[q].choices.size()) {
      return invalid_argument("\"randomness\" of question \"" + qs[q].id +
                              "\" needs one scalar per choice");
    }
    auto& scalars = out.emplace_back();
    for (const auto& r : row.as_array()) {
      if (!r.is_string()) return invalid_argument("randomness is hex");
      VECHE_ASSIGN_OR_RETURN(auto bytes, crypto::from_hex_fixed<32>(r.as_string()));
      VECHE_ASSIGN_OR_RETURN(auto scalar, crypto::Scalar::from_bytes(bytes));
      scalars.push_back(scalar);
    }
  }
  return out;
}

// Checks a booth's audit file (docs/protocol.md §5.4) against the board in `o.board`: the
// ballot is this election's, its signature and proofs verify, the revealed choices and
// randomness reproduce every ciphertext, and it was never cast. Prints the choices.
void check_audit_file(const VoteOptions& o) {
  const std::string text = must(read_file(o.audit_file));
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_object()) fail(invalid_argument("the audit file is not a JSON object"));
  const auto& audit = parsed.as_object();
  const auto* kind = audit.if_contains("kind");
  if (kind == nullptr || !kind->is_string() || kind->as_string() != "veche-ballot-audit") {
    fail(invalid_argument("not a ballot audit file (\"kind\":\"veche-ballot-audit\")"));
  }
  const auto* ballot = audit.if_contains("ballot");
  if (ballot == nullptr || !ballot->is_object()) fail(invalid_argument("no \"ballot\" object"));
  const auto& payload = ballot->as_object();
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  if (state.phase() == record::Phase::kEmpty || state.phase() == record::Phase::kSetup) {
    fail(failed_precondition("voting has not opened on this board"));
  }
  const auto& qs = state.setup().questions;
  const auto* id = audit.if_contains("election_id");
  if (id != nullptr && (!id->is_string() || id->as_string() != state.setup().election_id)) {
    fail(invalid_argument("the audit file is for another election"));
  }
  const auto parsed_ballot = record::parse_ballot(payload, qs);
  if (!parsed_ballot) fail(invalid_argument("bad ballot: " + parsed_ballot.error().message));
  const auto verdict =
      record::verify_ballot(*parsed_ballot, payload, qs, state.joint_key(), state.fingerprint());
  if (!verdict) fail(invalid_argument("bad ballot: " + verdict.error().message));
  const auto plain = must(audit_selections(audit.if_contains("selections"), qs));
  const auto randomness = must(audit_randomness(audit.if_contains("randomness"), qs));
  if (!record::audit_ballot(payload, state.joint_key(), plain, randomness)) {
    fail(invalid_argument(
        "AUDIT FAILED: the revealed choices and randomness do not reproduce the ballot's "
        "ciphertexts (the booth did not encrypt what it showed)"));
  }
  const auto tracker = record::tracker_of(boost::json::serialize(payload));
  const auto* claimed = audit.if_contains("tracker");
  if (claimed != nullptr &&
      (!claimed->is_string() || claimed->as_string() != crypto::to_hex(tracker))) {
    fail(invalid_argument("the audit file's tracker is not its ballot's"));
  }
  if (state.trackers().contains(crypto::to_hex(tracker))) {
    fail(failed_precondition("this audited ballot was cast (event " +
                             std::to_string(state.trackers().at(crypto::to_hex(tracker))) +
                             "): an audited ballot must never be cast"));
  }
  std::printf("audit: ballot %s is valid and encrypts exactly these choices; it was not cast\n",
              record::short_tracker(tracker).c_str());
  for (std::size_t q = 0; q < qs.size(); ++q) {
    std::string chosen;
    for (std::size_t c = 0; c < qs[q].choices.size(); ++c) {
      if (plain.selections[q][c] == 0) continue;
      chosen += (chosen.empty() ? "" : ", ") + qs[q].choices[c];
    }
    std::printf("  %s: %s\n", qs[q].id.c_str(), chosen.empty() ? "(blank)" : chosen.c_str());
  }
}

void write_ballot(const std::string& path, const boost::json::object& payload) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << boost::json::serialize(payload);
  if (!out.flush()) fail(unavailable("cannot write " + path));
}

// The audited ballot in the booth's audit file format (docs/protocol.md §5.4).
void write_audit_file(const std::string& path, const record::ElectionState& state,
                      const record::EncryptedBallot& audited, const record::PlainBallot& plain) {
  boost::json::array selections;
  boost::json::array randomness;
  for (std::size_t q = 0; q < plain.selections.size(); ++q) {
    boost::json::array ms;
    boost::json::array rs;
    for (std::size_t c = 0; c < plain.selections[q].size(); ++c) {
      ms.emplace_back(static_cast<int>(plain.selections[q][c]));
      rs.emplace_back(crypto::to_hex(audited.randomness[q][c].to_bytes()));
    }
    selections.emplace_back(std::move(ms));
    randomness.emplace_back(std::move(rs));
  }
  write_ballot(path, boost::json::object{{"kind", "veche-ballot-audit"},
                                         {"election_id", state.setup().election_id},
                                         {"fingerprint", crypto::to_hex(state.fingerprint())},
                                         {"tracker", crypto::to_hex(audited.tracker)},
                                         {"ballot", audited.payload},
                                         {"selections", std::move(selections)},
                                         {"randomness", std::move(randomness)}});
}

void run_vote(const VoteOptions& o) {
  init_crypto();
  if (!o.audit_file.empty()) {
    if (!o.code.empty() || !o.code_file.empty() || !o.selections.empty() || o.audit ||
        !o.ballot_file.empty() || !o.ballot_out.empty()) {
      fail(invalid_argument("--audit-file checks an audit: give only --board"));
    }
    if (!o.audit_out.empty()) fail(invalid_argument("--audit-out goes with --audit"));
    check_audit_file(o);
    return;
  }
  if (!o.ballot_file.empty()) {
    if (!o.code.empty() || !o.code_file.empty() || !o.selections.empty() || o.audit ||
        !o.ballot_out.empty()) {
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
  if (!o.audit_out.empty() && !o.audit) fail(invalid_argument("--audit-out goes with --audit"));
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
    if (!o.audit_out.empty()) write_audit_file(o.audit_out, state, audited, plain);
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
  if (!o.ballot_out.empty()) {
    write_ballot(o.ballot_out, ballot.payload);
    std::printf(
        "ballot written to %s (not cast: send it to the site)\ntracker: %s\nfull tracker: %s\n",
        o.ballot_out.c_str(), record::short_tracker(ballot.tracker).c_str(),
        crypto::to_hex(ballot.tracker).c_str());
    return;
  }
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
  cmd->add_option("--ballot-out", opts->ballot_out,
                  "Write the ballot to this file instead of appending it to the board (then send "
                  "it to the site: POST /api/v1/elections/{id}/ballots)");
  cmd->add_option("--audit-out", opts->audit_out,
                  "With --audit: write the audited ballot as an audit file (protocol.md §5.4)");
  cmd->add_option("--audit-file", opts->audit_file,
                  "Check a browser booth's audit file against the board (proofs, ciphertexts "
                  "reproduced, never cast) and print its choices");
  cmd->callback([opts] { run_vote(*opts); });
}

}  // namespace veche::app
