// `veche serve`: the main job.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <thread>

#include "commands/commands.hpp"
#include "commands/deadlines.hpp"
#include "commands/setup.hpp"
#include "veche/conversations/report_worker.hpp"
#include "veche/coordination/coordination.hpp"
#include "veche/core/clock.hpp"
#include "veche/crypto/random.hpp"
#include "veche/elections/demo.hpp"
#include "veche/http/server.hpp"
#include "veche/http/site.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"

namespace veche::app {
namespace {

struct ServeFlags {
  std::string db, listen, web_root, log_level, locale_dir;
  unsigned threads = 0;
  unsigned deadline_interval = 60;
  bool demo = false;
  bool log_addresses = false;
};

Status serve(const GlobalOptions& global, const ServeFlags& flags, const CLI::App& cmd) {
  VECHE_ASSIGN_OR_RETURN(auto cfg, load_config(global));
  // Flags override the file and the environment.
  if (cmd.count("--db")) cfg.db = flags.db;
  if (cmd.count("--listen")) cfg.listen = flags.listen;
  if (cmd.count("--web-root")) cfg.web_root = flags.web_root;
  if (cmd.count("--log-level")) cfg.log_level = flags.log_level;
  if (cmd.count("--threads")) cfg.threads = flags.threads;
  if (cmd.count("--log-addresses")) cfg.log_addresses = flags.log_addresses;
  VECHE_TRY(core::validate(cfg));
  if (cfg.web_root.empty()) cfg.web_root = VECHE_DEFAULT_WEB_ROOT;
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));

  VECHE_ASSIGN_OR_RETURN(auto hp, core::parse_host_port(cfg.listen));
  VECHE_ASSIGN_OR_RETURN(auto db, open_database(cfg.db));
  VECHE_TRY(crypto::initialize());
  core::SystemClock clock;
  if (flags.demo) {
    auto loaded = registry::load_demo(*db, clock);
    if (loaded) {
      spdlog::info("loaded the demo coalition");
    } else if (loaded.error().code != ErrorCode::kAlreadyExists) {
      return loaded;
    }
  }
  if (flags.demo) VECHE_TRY(load_decisions_demo(*db, clock, cfg.data_key_file, cfg.db));
  if (flags.demo) VECHE_TRY(load_agenda_demo(*db, clock, cfg.data_key_file, cfg.db));
  if (flags.demo) VECHE_TRY(coordination::load_demo(*db, clock));
  if (flags.demo) VECHE_TRY(load_campaigns_demo(*db, clock, cfg.data_key_file, cfg.db));
  if (flags.demo) VECHE_TRY(load_conversations_demo(*db, clock, cfg.data_key_file, cfg.db));
  if (flags.demo) VECHE_TRY(elections::load_demo(*db, clock));
  http::SiteOptions site_options;
  site_options.web_root = cfg.web_root;
  site_options.locale_dir = flags.locale_dir.empty() ? VECHE_DEFAULT_LOCALE_DIR : flags.locale_dir;
  site_options.default_language = cfg.default_language;
  site_options.secure_cookies = cfg.secure_cookies;
  site_options.version = VECHE_VERSION;
  VECHE_ASSIGN_OR_RETURN(site_options.data_key_file,
                         registry::data_key_file_for(cfg.data_key_file, cfg.db));
  VECHE_ASSIGN_OR_RETURN(auto site, http::Site::create(site_options, *db, clock));
  VECHE_ASSIGN_OR_RETURN(auto data_key,
                         registry::load_or_create_data_key(site_options.data_key_file));
  std::optional<DeadlineKeeper> deadlines;
  if (flags.deadline_interval > 0) {
    deadlines.emplace(*db, clock, data_key, std::chrono::seconds(flags.deadline_interval));
  }

  http::ServerOptions server_options;
  server_options.host = hp.host;
  server_options.port = hp.port;
  server_options.io_threads = cfg.threads;
  server_options.worker_threads = cfg.threads == 0 ? 0 : cfg.threads;
  server_options.max_body_bytes = cfg.max_body_bytes;
  server_options.body_limit_for = &http::Site::body_limit;
  server_options.max_header_bytes = cfg.max_header_bytes;
  server_options.request_timeout = std::chrono::seconds(cfg.request_timeout_seconds);
  server_options.log_addresses = cfg.log_addresses;
  http::Server server(server_options, [&site](http::Request& req) { return site->handle(req); });
  VECHE_TRY(server.listen());
  // Conversation reports are recomputed on a thread of their own, never in a request.
  VECHE_ASSIGN_OR_RETURN(auto report_key,
                         registry::load_or_create_data_key(site_options.data_key_file));
  conversations::ReportWorker report_worker(*db, clock, report_key);
  // The open elections' boards are read now rather than by the first ballot after a restart.
  std::jthread warm([&site] {
    if (auto st = site->warm(); !st) spdlog::warn("reading ahead: {}", st.error().message);
  });
  const bool v6 = hp.host.find(':') != std::string::npos;
  std::printf("Veche is serving on http://%s%s%s:%u/\n", v6 ? "[" : "", hp.host.c_str(),
              v6 ? "]" : "", static_cast<unsigned>(server.port()));
  if (flags.demo) {
    // Fictional codes of the open demo election, so that a visitor can try the booth.
    if (auto booth = elections::demo_booth(*db, clock)) {
      for (const auto& code : booth->codes) {
        std::printf("  try the booth: http://%s%s%s:%u/elections/%lld/vote#code=%s\n",
                    v6 ? "[" : "", hp.host.c_str(), v6 ? "]" : "",
                    static_cast<unsigned>(server.port()), static_cast<long long>(booth->election),
                    code.c_str());
      }
    }
  }
  std::fflush(stdout);
  server.run();
  spdlog::info("stopped");
  return ok();
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("serve", "Serve the web site and the JSON API");
  auto flags = std::make_shared<ServeFlags>();
  cmd->add_option("--db", flags->db, "SQLite file or postgresql:// URL (default veche.db)");
  cmd->add_option("--listen", flags->listen,
                  "ADDR:PORT to listen on (default 127.0.0.1:8080; "
                  "port 0 picks a free one)");
  cmd->add_flag("--demo", flags->demo, "Load the fictional demo coalition into an empty database");
  cmd->add_option("--web-root", flags->web_root, "Folder with templates/ and static/");
  cmd->add_option("--locale-dir", flags->locale_dir, "Folder with compiled translation catalogs");
  cmd->add_option("--log-level", flags->log_level, "trace, debug, info, warn, error or off");
  cmd->add_option("--threads", flags->threads, "I/O and worker threads (default: one per core)");
  cmd->add_option("--deadline-interval", flags->deadline_interval,
                  "Seconds between closing what is due: motions, consultations, priority rounds "
                  "(default 60; 0 turns it off, for cron with `veche motion close --due`)")
      ->check(CLI::Range(0u, 86400u));
  cmd->add_flag("--log-addresses", flags->log_addresses,
                "Write client addresses to the access log (off by default: users are hunted)");
  cmd->callback([&global, flags, cmd] {
    auto s = serve(global, *flags, *cmd);
    if (!s) throw CLI::RuntimeError(report_error(s.error()));
  });
}

}  // namespace veche::app
