// Starts `veche serve` as a child process on a free loopback port with a temporary database,
// and speaks plain HTTP/1.1 to it. Used by every HTTP integration test.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace veche::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string header(const std::string& lowercase) const {
    auto it = headers.find(lowercase);
    return it == headers.end() ? std::string() : it->second;
  }
};

class ServerProcess {
 public:
  // Starts the server with `extra_args` after `serve --db <tmp> --listen 127.0.0.1:0 --demo`.
  // `config_toml`, when not empty, is written to a file passed with --config.
  explicit ServerProcess(std::vector<std::string> extra_args = {}, std::string config_toml = "");
  ~ServerProcess();
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  // Sends SIGTERM and waits; returns the exit status (or -1 when killed by a signal).
  int terminate();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

// One request on a fresh connection. `raw_request`, when given, is sent as is.
HttpResponse request(int port, const std::string& method, const std::string& target,
                     const std::map<std::string, std::string>& headers = {},
                     const std::string& body = "");
HttpResponse raw_request(int port, const std::string& raw);
// Sends `partial` and keeps the connection open; true when the server closes it within
// `max_seconds`.
bool server_hangs_up(int port, const std::string& partial, int max_seconds);
// Sends `partial` on a new connection and leaves it open: the caller closes the returned socket
// (-1 when the connection failed).
int send_and_hold(int port, const std::string& partial);

// Helpers the tests share.
// Runs a shell command; returns its exit status and stdout.
std::pair<int, std::string> run(const std::string& cmd);
// The value of the first form's csrf field in a page, or "".
std::string csrf_in(const std::string& html);
// "name=value; Path=/; ..." -> "name=value"
std::string cookie_pair(const std::string& set_cookie);
// The text of the element with the id `id` up to its first tag ("" when there is none).
std::string by_id(const std::string& html, const std::string& id);
// Issues an invitation code of northern-forum with the CLI on the server's database, joins as
// `handle` with `passphrase` (percent-encoded) and logs in; returns the session cookie
// ("veche_session=...").
std::string join_and_login(const ServerProcess& server, const std::string& handle,
                           const std::string& passphrase);

}  // namespace veche::testing
