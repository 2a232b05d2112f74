// `veche registrar keygen|credentials`: a registrar makes one credential per voter, writes the
// secret codes to a sheet only the registrar reads (0600) and publishes only the sorted public
// credentials (docs/protocol.md §6).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "commands/commands.hpp"
#include "commands/election_board.hpp"
#include "veche/record/trustee.hpp"

namespace veche::app {
namespace {

constexpr std::uint32_t kProgressStep = 10'000;  // credentials between progress lines

using namespace elections;

struct RegistrarOptions {
  std::string board;
  std::string key;
  std::string out;
  std::uint32_t voters = 0;
};

void run_keygen(const RegistrarOptions& o) {
  init_crypto();
  print_public_key(must(create_role_key(o.out, "veche-registrar-key", false)));
}

void run_credentials(const RegistrarOptions& o, const GlobalOptions& g) {
  init_crypto();
  if (o.voters == 0 || o.voters > 10'000'000) fail(invalid_argument("--voters: 1 to 10,000,000"));
  const RoleKey key = must(read_role_key(o.key, "veche-registrar-key"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  if (!state.has_setup()) fail(failed_precondition("the board has no setup yet"));
  std::uint32_t index = 0;
  const auto& rs = state.setup().registrars;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    if (rs[i].key == key.sign.verify_key()) index = static_cast<std::uint32_t>(i + 1);
  }
  if (index == 0) fail(permission_denied("this key is not one of the election's registrars"));
  crypto::SystemRandom rng;
  std::vector<crypto::VerifyKey> pub;
  std::string sheet = "# Voter credentials for election " + state.setup().election_id +
                      ". One per voter; hand each out privately.\n";
  for (std::uint32_t v = 0; v < o.voters; ++v) {
    auto c = crypto::Credential::issue(state.setup().election_id, rng);
    sheet += c.code + "\n";
    pub.push_back(c.credential);
    if (!g.quiet && o.voters >= kProgressStep &&
        ((v + 1) % kProgressStep == 0 || v + 1 == o.voters)) {
      std::fprintf(stderr, "\rmaking credentials %u/%u", v + 1, o.voters);
      if (v + 1 == o.voters) std::fputc('\n', stderr);
    }
  }
  const int fd = ::open(o.out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail(already_exists("cannot create " + o.out + " (does it exist already?)"));
  const bool wrote = ::write(fd, sheet.data(), sheet.size()) == static_cast<ssize_t>(sheet.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!wrote || !synced) fail(unavailable("cannot write " + o.out));
  must(board.append(state, "credentials",
                    record::make_credentials(index, std::move(pub), key.sign)));
  std::printf("%u credentials: codes in %s, public credentials on the board\n", o.voters,
              o.out.c_str());
}

}  // namespace

void add_registrar_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("registrar", "A registrar's steps: keygen, credentials");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<RegistrarOptions>();
  auto* keygen = cmd->add_subcommand("keygen", "Create this registrar's key file");
  keygen->add_option("--out", opts->out, "Key file to create (0600)")->required();
  keygen->callback([opts] { run_keygen(*opts); });
  auto* creds =
      cmd->add_subcommand("credentials", "Make voter credentials, publish the public ones");
  creds->add_option("--board", opts->board, "Board folder")->required();
  creds->add_option("--key", opts->key, "This registrar's key file")->required();
  creds->add_option("--voters", opts->voters, "Number of voters")->required();
  creds->add_option("--out", opts->out, "Sheet of secret codes to create (0600)")->required();
  creds->callback([opts, &global] { run_credentials(*opts, global); });
}

}  // namespace veche::app
