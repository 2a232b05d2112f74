// `veche registrar keygen|credentials`: a registrar makes one credential per voter, writes the
// secret codes to a sheet only the registrar reads (0600) and publishes only the sorted public
// credentials (docs/protocol.md §6).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "commands/commands.hpp"
#include "commands/credential_sheets.hpp"
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
  std::string sheets;    // printable HTML, one voter per page
  std::string csv;       // for a mail merge
  std::string vote_url;  // the booth's address, for the sheets' QR codes and the CSV
  std::string lang = "en";
};

// A new file only the registrar reads (0600), written whole and fsync'd; never an existing one.
void write_private_file(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail(already_exists("cannot create " + path + " (does it exist already?)"));
  bool wrote = true;
  while (wrote && !text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    wrote = n > 0;
    if (wrote) text.remove_prefix(static_cast<std::size_t>(n));
  }
  const bool synced = wrote && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) fail(unavailable("cannot write " + path));
}

void run_keygen(const RegistrarOptions& o) {
  init_crypto();
  print_public_key(must(create_role_key(o.out, "veche-registrar-key", false)));
}

void run_credentials(const RegistrarOptions& o, const GlobalOptions& g) {
  init_crypto();
  if (o.voters == 0 || o.voters > 10'000'000) fail(invalid_argument("--voters: 1 to 10,000,000"));
  if (!o.sheets.empty() || !o.csv.empty()) {
    if (o.vote_url.empty()) fail(invalid_argument("--sheets and --csv need --vote-url"));
    must(check_vote_url(o.vote_url));
    if (o.lang != "en" && o.lang != "ru") fail(invalid_argument("--lang: en or ru"));
  }
  for (const auto* path : {&o.out, &o.sheets, &o.csv}) {
    std::error_code ec;
    if (!path->empty() && std::filesystem::exists(*path, ec)) {
      fail(already_exists(*path + " exists already: choose a new file"));
    }
  }
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
  std::vector<std::string> codes;
  for (std::uint32_t v = 0; v < o.voters; ++v) {
    auto c = crypto::Credential::issue(state.setup().election_id, rng);
    codes.push_back(std::move(c.code));
    pub.push_back(c.credential);
    if (!g.quiet && o.voters >= kProgressStep &&
        ((v + 1) % kProgressStep == 0 || v + 1 == o.voters)) {
      std::fprintf(stderr, "\rmaking credentials %u/%u", v + 1, o.voters);
      if (v + 1 == o.voters) std::fputc('\n', stderr);
    }
  }
  // Every file the codes go to is written before the credentials are published.
  std::string list = "# Voter credentials for election " + state.setup().election_id +
                     ". One per voter; hand each out privately.\n";
  for (const auto& c : codes) list += c + "\n";
  write_private_file(o.out, list);
  if (!o.sheets.empty()) {
    write_private_file(
        o.sheets, must(credential_sheets_html(state.setup().title, o.vote_url, codes, o.lang)));
  }
  if (!o.csv.empty()) write_private_file(o.csv, credential_csv(o.vote_url, codes));
  must(board.append(state, "credentials",
                    record::make_credentials(index, std::move(pub), key.sign)));
  std::printf("%u credentials: codes in %s%s%s%s%s, public credentials on the board\n", o.voters,
              o.out.c_str(), o.sheets.empty() ? "" : ", printable sheets in ", o.sheets.c_str(),
              o.csv.empty() ? "" : ", CSV in ", o.csv.c_str());
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
  creds->add_option("--sheets", opts->sheets,
                    "Also printable sheets to create (HTML, 0600): one voter per page, the code "
                    "and a QR code that opens the booth with it");
  creds->add_option("--csv", opts->csv, "Also a CSV for a mail merge to create (0600)");
  creds->add_option("--vote-url", opts->vote_url,
                    "The booth's address for the sheets and the CSV "
                    "(https://SITE/elections/ID/vote)");
  creds->add_option("--lang", opts->lang, "The sheets' language: en (default) or ru");
  creds->callback([opts, &global] { run_credentials(*opts, global); });
}

}  // namespace veche::app
