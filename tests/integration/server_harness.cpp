#include "server_harness.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace veche::testing {
namespace {

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

HttpResponse parse_response(const std::string& raw) {
  HttpResponse r;
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  const std::string head = raw.substr(0, head_end);
  std::sscanf(head.c_str(), "HTTP/1.%*d %d", &r.status);
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    const auto next = head.find("\r\n", pos + 2);
    const std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      auto [it, inserted] = r.headers.emplace(name, value);
      if (!inserted) it->second += "\n" + value;
    }
    pos = next;
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra_args, std::string config_toml) {
  char tmpl[] = "/tmp/veche-it-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::vector<std::string> args = {VECHE_BIN};
  if (!config_toml.empty()) {
    std::ofstream(dir_ + "/veche.toml") << config_toml;
    args.push_back("--config");
    args.push_back(dir_ + "/veche.toml");
  }
  for (const char* a : {"serve", "--db"}) args.emplace_back(a);
  args.push_back(dir_ + "/veche.db");
  for (const char* a : {"--listen", "127.0.0.1:0", "--demo", "--log-level", "warn"}) {
    args.emplace_back(a);
  }
  for (auto& a : extra_args) args.push_back(std::move(a));

  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  ::close(out[1]);
  // The server prints "Veche is serving on http://127.0.0.1:PORT/" once it listens.
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  ::close(out[0]);
  const auto colon = line.rfind(':');
  if (line.find("serving on") == std::string::npos || colon == std::string::npos) {
    throw std::runtime_error("veche serve did not start: '" + line + "'");
  }
  port_ = std::atoi(line.c_str() + colon + 1);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) terminate();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int ServerProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {
int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}
}  // namespace

bool server_hangs_up(int port, const std::string& partial, int max_seconds) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  timeval tv{max_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  char buf[256];
  ssize_t n = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
  }
  const bool closed = n == 0 || (n < 0 && errno == ECONNRESET);
  ::close(fd);
  return closed;
}

int send_and_hold(int port, const std::string& partial) {
  const int fd = connect_loopback(port);
  if (fd >= 0) ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  return fd;
}

HttpResponse raw_request(int port, const std::string& raw) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  std::size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  const std::string reply = read_all(fd);
  ::close(fd);
  return parse_response(reply);
}

HttpResponse request(int port, const std::string& method, const std::string& target,
                     const std::map<std::string, std::string>& headers, const std::string& body) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) raw += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST")
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  raw += "\r\n" + body;
  return raw_request(port, raw);
}

std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string csrf_in(const std::string& html) {
  const std::string marker = "name=\"csrf\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

std::string cookie_pair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

std::string by_id(const std::string& html, const std::string& id) {
  const auto at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return {};
  const auto start = html.find('>', at) + 1;
  return html.substr(start, html.find('<', start) - start);
}

std::string join_and_login(const ServerProcess& server, const std::string& handle,
                           const std::string& passphrase) {
  auto [status, code] = run(std::string(VECHE_BIN) + " invitations issue --db " + server.dir() +
                            "/veche.db --org northern-forum --count 1 --days 3");
  EXPECT_EQ(status, 0) << code;
  while (!code.empty() && code.back() == '\n') code.pop_back();
  const int port = server.port();
  auto form = request(port, "GET", "/join");
  const auto csrf_cookie = cookie_pair(form.header("set-cookie"));
  const std::map<std::string, std::string> headers = {
      {"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", csrf_cookie}};
  auto joined = request(port, "POST", "/join", headers,
                        "csrf=" + csrf_in(form.body) + "&code=" + code + "&handle=" + handle +
                            "&passphrase=" + passphrase);
  EXPECT_EQ(joined.status, 303) << joined.body;
  auto login_form = request(port, "GET", "/login", {{"Cookie", csrf_cookie}});
  auto in = request(
      port, "POST", "/login", headers,
      "csrf=" + csrf_in(login_form.body) + "&handle=" + handle + "&passphrase=" + passphrase);
  EXPECT_EQ(in.status, 303) << in.body;
  return cookie_pair(in.header("set-cookie"));
}

}  // namespace veche::testing
