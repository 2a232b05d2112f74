// The `veche` command. Only this file picks the database backend, initializes libsodium and
// owns the io_context (through the commands it dispatches to).
#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  CLI::App app{"Veche: a self-hostable platform for a coalition in exile", "veche"};
  app.set_version_flag("--version", std::string("veche ") + VECHE_VERSION);
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
