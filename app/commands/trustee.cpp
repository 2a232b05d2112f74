// `veche trustee keygen|share|decrypt`: run by each trustee on their own machine
// (docs/protocol.md §7, §8). The key file never leaves it; the polynomial is not stored at all:
// each deal includes a share for its own dealer, so the encryption secret is all a trustee keeps.
#include "veche/record/trustee.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "commands/commands.hpp"
#include "commands/election_board.hpp"

namespace veche::app {
namespace {

using namespace elections;

struct TrusteeOptions {
  std::string board;
  std::string key;
  std::string out;
};

std::uint32_t my_index(const record::ElectionState& state, const crypto::VerifyKey& key) {
  if (!state.has_setup()) fail(failed_precondition("the board has no setup yet"));
  const auto& ts = state.setup().trustees;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (ts[i].key == key) return static_cast<std::uint32_t>(i + 1);
  }
  fail(permission_denied("this key is not one of the election's trustees"));
  return 0;
}

void run_keygen(const TrusteeOptions& o) {
  init_crypto();
  print_public_key(must(create_role_key(o.out, "veche-trustee-key", true)));
}

// Advances this trustee through key generation: publish the key, then the deal, then check
// the other deals and complain in public about bad shares.
void run_share(const TrusteeOptions& o) {
  init_crypto();
  const RoleKey key = must(read_role_key(o.key, "veche-trustee-key"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  const std::uint32_t i = my_index(state, key.sign.verify_key());
  if (state.phase() != record::Phase::kSetup) fail(failed_precondition("key generation is over"));
  crypto::SystemRandom rng;
  if (state.enc_keys().count(i) == 0) {
    must(board.append(state, "trustee_key",
                      record::make_trustee_key(state, i, key.enc, key.sign, rng)));
    std::printf("trustee %u: key published; run `share` again once every trustee has\n", i);
    return;
  }
  const std::size_t n = state.setup().trustees.size();
  if (state.deals().count(i) == 0) {
    if (state.enc_keys().size() < n) {
      std::printf("trustee %u: waiting for keys (%zu of %zu)\n", i, state.enc_keys().size(), n);
      return;
    }
    const auto poly = crypto::Polynomial::random(state.setup().threshold, rng);
    must(board.append(state, "trustee_deal",
                      must(record::make_trustee_deal(state, i, poly, key.sign, rng))));
    std::printf("trustee %u: deal published; run `share` again once every trustee has dealt\n", i);
    return;
  }
  if (state.deals().size() < n) {
    std::printf("trustee %u: waiting for deals (%zu of %zu)\n", i, state.deals().size(), n);
    return;
  }
  const auto complaints = record::check_deals(state, i, key.enc, key.sign, rng);
  for (const auto& c : complaints) must(board.append(state, "trustee_complaint", c));
  std::printf("trustee %u: every deal checked; %zu complaint(s) published\n", i, complaints.size());
}

void run_decrypt(const TrusteeOptions& o) {
  init_crypto();
  const RoleKey key = must(read_role_key(o.key, "veche-trustee-key"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  const std::uint32_t j = my_index(state, key.sign.verify_key());
  if (state.phase() != record::Phase::kClosed)
    fail(failed_precondition("the election is not closed"));
  if (state.partials().count(j) != 0) fail(already_exists("this trustee has decrypted already"));
  crypto::SystemRandom rng;
  const auto share = must(record::derive_share(state, j, key.enc));
  must(board.append(state, "partial_decryption",
                    must(record::make_partial_decryption(state, j, share, key.sign, rng))));
  std::printf("trustee %u: partial decryption of the tally published (%zu of %u needed)\n", j,
              state.partials().size(), state.setup().threshold);
}

}  // namespace

void add_trustee_command(CLI::App& app, const GlobalOptions& /*global*/) {
  auto* cmd = app.add_subcommand("trustee", "A trustee's steps: keygen, share, decrypt");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<TrusteeOptions>();
  auto* keygen = cmd->add_subcommand("keygen", "Create this trustee's key file");
  keygen->add_option("--out", opts->out, "Key file to create (0600)")->required();
  keygen->callback([opts] { run_keygen(*opts); });
  auto* share = cmd->add_subcommand("share", "Key generation: publish key, deal, check deals");
  share->add_option("--board", opts->board, "Board folder")->required();
  share->add_option("--key", opts->key, "This trustee's key file")->required();
  share->callback([opts] { run_share(*opts); });
  auto* decrypt = cmd->add_subcommand("decrypt", "Publish a partial decryption of the tally");
  decrypt->add_option("--board", opts->board, "Board folder")->required();
  decrypt->add_option("--key", opts->key, "This trustee's key file")->required();
  decrypt->callback([opts] { run_decrypt(*opts); });
}

}  // namespace veche::app
