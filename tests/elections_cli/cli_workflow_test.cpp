// The offline election workflow through the real binaries (issue 8, "What a person must be able
// to do"): `veche election|trustee|registrar|vote` over a board folder, then `veche-verify` on
// the exported record; and each command refusing bad input with a message and an exit status,
// never a crash.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr std::string_view kVoteUrl = "https://veche.example/elections/7/vote";

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;       // exit status; -1 when killed by a signal
  int signal = 0;      // the signal that ended it, if any
  std::string output;  // stdout and stderr together
};

// Runs `argv` in `cwd` with stdin from /dev/null; collects its output.
Outcome run_process(const std::vector<std::string>& argv, const fs::path& cwd) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipefd[0]);
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  Outcome r;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(pipefd[0], buf, sizeof buf);
    if (n <= 0) break;
    r.output.append(buf, static_cast<std::size_t>(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// The value after "public key: " in a keygen's output.
std::string public_key(const Outcome& r) {
  const std::string tag = "public key: ";
  const auto at = r.output.find(tag);
  if (at == std::string::npos) return "";
  return r.output.substr(at + tag.size(), 64);
}

class ElectionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "veche-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // `veche ARGS...`; fails the test when it does not exit 0.
  Outcome veche_ok(std::vector<std::string> args) {
    args.insert(args.begin(), VECHE_BIN);
    Outcome r = run_process(args, dir_);
    EXPECT_EQ(r.code, 0) << args[1] << " " << (args.size() > 2 ? args[2] : "") << ": " << r.output;
    return r;
  }
  Outcome veche(std::vector<std::string> args) {
    args.insert(args.begin(), VECHE_BIN);
    return run_process(args, dir_);
  }
  Outcome verify(const std::string& record) {
    return run_process({VECHE_VERIFY_BIN, record}, dir_);
  }

  // A command that must be refused: a non-zero exit (not a signal) and `needle` in its output.
  void expect_refused(const Outcome& r, const std::string& needle) {
    EXPECT_EQ(r.signal, 0) << "crashed: " << r.output;
    EXPECT_GT(r.code, 0) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos)
        << "wanted \"" << needle << "\" in: " << r.output;
  }

  // Keys, spec, board with setup, key generation by all three trustees, `voters` credentials
  // (codes_ filled), opening.
  void open_election(int voters) {
    const std::string admin = public_key(veche_ok({"election", "admin-key", "--out", "admin.key"}));
    const std::string reg = public_key(veche_ok({"registrar", "keygen", "--out", "registrar.key"}));
    std::vector<std::string> trustees;
    for (const char* t : {"t1.key", "t2.key", "t3.key"}) {
      trustees.push_back(public_key(veche_ok({"trustee", "keygen", "--out", t})));
    }
    ASSERT_EQ(admin.size(), 64U);
    ASSERT_EQ(reg.size(), 64U);
    write_text(
        dir_ / "spec.json",
        R"({"election_id":"cli-test","title":"Coalition council",)"
        R"("questions":[{"id":"council","kind":"approval","choices":["Anna","Boris","Vera","Gleb"],)"
        R"("min":0,"max":2,"blank":true},)"
        R"({"id":"assembly","kind":"party_list","choices":["North","South","East"],"min":1,)"
        R"("max":1,"blank":true,"seats":5,"method":"sainte_lague","threshold_permille":50},)"
        R"({"id":"chamber","kind":"party_list","choices":["Left","Right"],"min":1,)"
        R"("max":1,"blank":true,"seats":1,"method":"dhondt","threshold_permille":0}],)"
        R"("trustees":[{"name":"Faction A","key":")" +
            trustees[0] + R"("},{"name":"Faction B","key":")" + trustees[1] +
            R"("},{"name":"Faction C","key":")" + trustees[2] +
            R"("}],"threshold":2,"registrars":[{"name":"Registrar","key":")" + reg + R"("}]})");
    veche_ok({"election", "create", "--board", "board", "--spec", "spec.json", "--admin-key",
              "admin.key"});
    for (int round = 0; round < 3; ++round) {
      for (const char* t : {"t1.key", "t2.key", "t3.key"}) {
        veche_ok({"trustee", "share", "--board", "board", "--key", t});
      }
    }
    veche_ok({"registrar", "credentials", "--board", "board", "--key", "registrar.key", "--voters",
              std::to_string(voters), "--out", "codes.txt", "--sheets", "sheets.html", "--csv",
              "codes.csv", "--vote-url", std::string(kVoteUrl), "--lang", "ru"});
    std::istringstream codes(read_text(dir_ / "codes.txt"));
    for (std::string line; std::getline(codes, line);) {
      if (!line.empty() && line[0] != '#') codes_.push_back(line);
    }
    ASSERT_EQ(codes_.size(), static_cast<std::size_t>(voters));
    const Outcome opened =
        veche_ok({"election", "open", "--board", "board", "--admin-key", "admin.key"});
    const auto at = opened.output.find("fingerprint: ");
    ASSERT_NE(at, std::string::npos) << opened.output;
    fingerprint_ = opened.output.substr(at + 13, 64);
  }

  Outcome vote(std::size_t voter, const std::vector<std::string>& selects, bool audit = false) {
    std::vector<std::string> args = {"vote", "--board", "board", "--code", codes_[voter]};
    for (const auto& s : selects) {
      args.push_back("--select");
      args.push_back(s);
    }
    if (audit) args.push_back("--audit");
    return veche_ok(args);
  }

  fs::path dir_;
  std::vector<std::string> codes_;
  std::string fingerprint_;
};

TEST_F(ElectionCli, AWholeElectionVerifiesAndOneChangedByteIsNamed) {
  open_election(7);
  // Final intentions: council Anna 2, Boris 1, Vera 2, Gleb 2; lists North 4, South 1, East 2,
  // which Sainte-Laguë turns into 3, 1, 1 of 5 seats with no equal quotients.
  // The chamber ties 3 to 3 for its one seat: the lot seeded by the fingerprint decides.
  vote(0, {"council=Anna", "assembly=North", "chamber=Right"});
  vote(1, {"council=Boris", "assembly=South", "chamber=Right"});
  vote(2, {"council=Vera", "assembly=East", "chamber=Left"});
  vote(3, {"council=Gleb", "assembly=North", "chamber=Right"});
  vote(4, {"council=Anna", "assembly=North", "chamber=Left"});
  vote(5, {"council=Anna", "assembly=North", "chamber=Right"});
  const Outcome blank = vote(6, {"assembly=North"});
  EXPECT_NE(blank.output.find("tracker: "), std::string::npos) << blank.output;
  // A revote: this one counts.
  vote(0, {"council=Vera,Gleb", "assembly=East", "chamber=Left"});
  const Outcome audited =
      vote(1, {"council=Boris", "assembly=South", "chamber=Right"}, /*audit=*/true);
  EXPECT_NE(audited.output.find("encrypts exactly your choices"), std::string::npos)
      << audited.output;
  vote(5, {"council=Anna", "assembly=North", "chamber=Right"});  // the same choice, cast again
  const Outcome closed =
      veche_ok({"election", "close", "--board", "board", "--admin-key", "admin.key"});
  EXPECT_NE(closed.output.find("10 ballots, 7 counted"), std::string::npos) << closed.output;
  veche_ok({"trustee", "decrypt", "--board", "board", "--key", "t1.key"});
  veche_ok({"trustee", "decrypt", "--board", "board", "--key", "t3.key"});  // trustee 2 absent
  const Outcome tally = veche_ok({"election", "tally", "--board", "board"});
  EXPECT_NE(tally.output.find("counted ballots: 7"), std::string::npos) << tally.output;
  veche_ok({"election", "publish", "--board", "board", "--admin-key", "admin.key"});
  veche_ok({"election", "record", "--board", "board", "--out", "record.jsonl"});

  const Outcome good = verify("record.jsonl");
  EXPECT_EQ(good.code, 0) << good.output;
  EXPECT_NE(good.output.find("verdict: VALID"), std::string::npos) << good.output;
  EXPECT_NE(good.output.find("result (7 ballots counted)"), std::string::npos) << good.output;
  EXPECT_NE(good.output.find("council: 2 1 2 2"), std::string::npos) << good.output;
  EXPECT_NE(good.output.find("assembly: 4 (3 seats) 1 (1 seats) 2 (1 seats)"), std::string::npos)
      << good.output;
  // The registrar's printable sheets and CSV hold the same codes, each with the booth's address
  // and the code in its fragment; only the registrar can read them.
  const std::string sheets = read_text(dir_ / "sheets.html");
  const std::string csv = read_text(dir_ / "codes.csv");
  EXPECT_EQ(fs::status(dir_ / "sheets.html").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(dir_ / "codes.csv").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_TRUE(sheets.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">")) << sheets.substr(0, 80);
  EXPECT_EQ(sheets.find("<script"), std::string::npos);
  EXPECT_TRUE(csv.starts_with("number,code,url\n"));
  std::size_t sheets_seen = 0;
  for (auto at = sheets.find("<article class=\"credential-sheet\">"); at != std::string::npos;
       at = sheets.find("<article class=\"credential-sheet\">", at + 1)) {
    ++sheets_seen;
  }
  EXPECT_EQ(sheets_seen, codes_.size());
  for (std::size_t k = 0; k < codes_.size(); ++k) {
    const std::string link = std::string(kVoteUrl) + "#code=" + codes_[k];
    EXPECT_NE(sheets.find("<strong>" + codes_[k] + "</strong>"), std::string::npos) << k;
    EXPECT_NE(sheets.find("aria-label=\"Адрес: " + link + "\""), std::string::npos) << k;
    EXPECT_NE(csv.find(std::to_string(k + 1) + "," + codes_[k] + "," + link + "\n"),
              std::string::npos)
        << k;
  }

  // The board folder itself verifies too.
  EXPECT_EQ(verify("board").code, 0);
  // The same report as JSON, with the head hash observers compare: the last event's hash.
  const Outcome as_json =
      run_process({VECHE_VERIFY_BIN, "--json", "--quiet", "record.jsonl"}, dir_);
  EXPECT_EQ(as_json.code, 0) << as_json.output;
  {
    const auto report = boost::json::parse(as_json.output).as_object();
    EXPECT_EQ(report.at("verdict").as_string(), "valid");
    EXPECT_EQ(report.at("fingerprint").as_string(), fingerprint_);
    const auto& checks = report.at("checks").as_array();
    ASSERT_EQ(checks.size(), 16U);
    for (const auto& c : checks) EXPECT_EQ(c.at("status").as_string(), "ok") << c;
    const auto& council = report.at("result").at("questions").as_array().at(0).as_object();
    EXPECT_EQ(council.at("id").as_string(), "council");
    EXPECT_EQ(boost::json::serialize(council.at("counts")), "[2,1,2,2]");
    EXPECT_EQ(report.at("result").at("counted").as_int64(), 7);
    const std::string text = read_text(dir_ / "record.jsonl");
    const auto last = boost::json::parse(text.substr(text.rfind('\n', text.size() - 2) + 1));
    EXPECT_EQ(report.at("head").as_string(), last.at("hash").as_string());
    EXPECT_EQ(report.at("events").as_int64(), last.at("seq").as_int64() + 1);
    EXPECT_NE(good.output.find("record head " + std::string(last.at("hash").as_string())),
              std::string::npos)
        << good.output;
  }

  // `veche count` on the same totals, with the fingerprint as the seed of its lot, gives the
  // seat the election gave (the tie included): both are the counting library's count.
  const auto chamber = good.output.find("chamber: 3 (");
  ASSERT_NE(chamber, std::string::npos) << good.output;
  const bool left_won = good.output.compare(chamber, 21, "chamber: 3 (1 seats) ") == 0;
  EXPECT_NE(good.output.find(left_won ? "3 (1 seats) 3 (0 seats)" : "3 (0 seats) 3 (1 seats)"),
            std::string::npos)
      << good.output;
  write_text(dir_ / "chamber.json",
             R"({"seats":1,"parties":[{"name":"Left","votes":3},{"name":"Right","votes":3}]})");
  const Outcome counted = veche_ok(
      {"count", "chamber.json", "--method", "dhondt", "--seed", fingerprint_, "--format", "json"});
  EXPECT_NE(
      counted.output.find(left_won ? R"("winner_names":["Left"])" : R"("winner_names":["Right"])"),
      std::string::npos)
      << counted.output;

  // One hex digit of a ciphertext in the third ballot changes: the chain names that event.
  const std::string text = read_text(dir_ / "record.jsonl");
  std::size_t line_start = 0;
  std::size_t seq = 0;
  int ballots_seen = 0;
  for (;; ++seq) {
    const std::size_t nl = text.find('\n', line_start);
    ASSERT_NE(nl, std::string::npos) << "no third ballot";
    const std::string_view line(text.data() + line_start, nl - line_start);
    if (line.find("\"type\":\"ballot\"") != std::string_view::npos && ++ballots_seen == 3) break;
    line_start = nl + 1;
  }
  const std::size_t at = text.find("\"c\":\"", line_start) + 5;
  std::string tampered = text;
  tampered[at] = tampered[at] == 'a' ? 'b' : 'a';
  write_text(dir_ / "tampered.jsonl", tampered);
  const Outcome bad = verify("tampered.jsonl");
  EXPECT_EQ(bad.code, 1) << bad.output;
  EXPECT_NE(bad.output.find("verdict: INVALID at check 2"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("event " + std::to_string(seq) + " (ballot): hash does not match"),
            std::string::npos)
      << bad.output;
  const Outcome bad_json =
      run_process({VECHE_VERIFY_BIN, "--json", "--quiet", "tampered.jsonl"}, dir_);
  EXPECT_EQ(bad_json.code, 1) << bad_json.output;
  {
    const auto report = boost::json::parse(bad_json.output).as_object();
    EXPECT_EQ(report.at("verdict").as_string(), "invalid");
    EXPECT_EQ(report.at("failed_check").as_int64(), 2);
    EXPECT_EQ(report.at("events").as_int64(), static_cast<std::int64_t>(seq));  // those before
    EXPECT_NE(std::string(report.at("error").as_string()).find("hash does not match"),
              std::string::npos);
    EXPECT_FALSE(report.contains("result"));
  }

  // A byte that breaks the JSON itself is named by its line.
  tampered = text;
  tampered[line_start] = 'x';
  write_text(dir_ / "broken.jsonl", tampered);
  const Outcome broken = verify("broken.jsonl");
  EXPECT_EQ(broken.code, 1) << broken.output;
  EXPECT_NE(broken.output.find("INVALID at check 1"), std::string::npos) << broken.output;
  EXPECT_NE(broken.output.find("line " + std::to_string(seq + 1) + ":"), std::string::npos)
      << broken.output;
}

// A Benaloh audit file (docs/protocol.md §5.4, the web booth's format; here written by
// `veche vote --audit --audit-out`) is checked by `veche vote --audit-file` against the board:
// the choices are printed; changed randomness or changed selections fail; so does a ballot that
// was cast after its audit.
TEST_F(ElectionCli, AnAuditFileIsCheckedAgainstTheBoard) {
  open_election(2);
  const Outcome made = veche_ok({"vote", "--board", "board", "--code", codes_[0], "--select",
                                 "council=Anna", "--select", "assembly=East", "--audit",
                                 "--audit-out", "audit.json", "--ballot-out", "ballot.json"});
  EXPECT_NE(made.output.find("ballot written to ballot.json"), std::string::npos) << made.output;
  const Outcome good = veche_ok({"vote", "--board", "board", "--audit-file", "audit.json"});
  EXPECT_NE(good.output.find("encrypts exactly these choices; it was not cast"), std::string::npos)
      << good.output;
  EXPECT_NE(good.output.find("council: Anna\n  assembly: East\n  chamber: (blank)"),
            std::string::npos)
      << good.output;

  const std::string audit = read_text(dir_ / "audit.json");
  // Changed randomness: the first choice's scalar replaced by the second's.
  const auto r = audit.find("\"randomness\":[[\"");
  ASSERT_NE(r, std::string::npos) << audit;
  std::string tampered = audit;
  tampered.replace(r + 16, 64, audit.substr(r + 16 + 64 + 3, 64));
  write_text(dir_ / "tampered.json", tampered);
  expect_refused(veche({"vote", "--board", "board", "--audit-file", "tampered.json"}),
                 "AUDIT FAILED");
  // Changed selections: Boris instead of Anna.
  std::string lying = audit;
  const auto m = lying.find("\"selections\":[[1,0");
  ASSERT_NE(m, std::string::npos) << audit;
  lying.replace(m + 15, 3, "0,1");
  write_text(dir_ / "lying.json", lying);
  expect_refused(veche({"vote", "--board", "board", "--audit-file", "lying.json"}), "AUDIT FAILED");
  expect_refused(veche({"vote", "--board", "board", "--audit-file", "ballot.json"}),
                 "not a ballot audit file");
  expect_refused(
      veche({"vote", "--board", "board", "--audit-file", "audit.json", "--code", codes_[0]}),
      "give only --board");
  // The audited ballot cast anyway: the check says so.
  const auto b = audit.find("\"ballot\":");
  const auto e = audit.find(",\"selections\"");
  write_text(dir_ / "audited-ballot.json", audit.substr(b + 9, e - b - 9));
  veche_ok({"vote", "--board", "board", "--ballot-file", "audited-ballot.json"});
  expect_refused(veche({"vote", "--board", "board", "--audit-file", "audit.json"}),
                 "an audited ballot must never be cast");
}

TEST_F(ElectionCli, CommandsRefuseBadInputWithAMessage) {
  open_election(2);
  // Files and folders that are not there.
  expect_refused(veche({"vote", "--board", "nowhere", "--code", codes_[0]}), "no board at");
  expect_refused(veche({"trustee", "share", "--board", "board", "--key", "missing.key"}),
                 "cannot read");
  expect_refused(veche({"election", "close", "--board", "board", "--admin-key", "missing.key"}),
                 "cannot read");
  expect_refused(veche({"vote", "--board", "board", "--code-file", "missing.txt"}), "cannot read");
  expect_refused(veche({"election", "create", "--board", "board2", "--spec", "missing.json",
                        "--admin-key", "admin.key"}),
                 "cannot read");
  expect_refused(veche({"registrar", "credentials", "--board", "nowhere", "--key", "registrar.key",
                        "--voters", "3", "--out", "more.txt"}),
                 "no board at");
  // A folder that is not an election's board.
  fs::create_directories(dir_ / "notaboard");
  write_text(dir_ / "notaboard" / "board.jsonl", "this is not a board\n");
  expect_refused(veche({"vote", "--board", "notaboard", "--code", codes_[0]}), "line 1");
  expect_refused(veche({"election", "record", "--board", "notaboard", "--out", "r.jsonl"}),
                 "line 1");
  // The wrong kind of key, a damaged key file, a malformed spec, a second create.
  expect_refused(veche({"election", "close", "--board", "board", "--admin-key", "t1.key"}),
                 "is not a veche-admin-key file");
  write_text(dir_ / "garbage.key", "{\"kind\":");
  expect_refused(veche({"trustee", "decrypt", "--board", "board", "--key", "garbage.key"}),
                 "is not a key file");
  write_text(dir_ / "bad-spec.json", "{\"election_id\":");
  expect_refused(veche({"election", "create", "--board", "board3", "--spec", "bad-spec.json",
                        "--admin-key", "admin.key"}),
                 "is not JSON");
  expect_refused(veche({"election", "create", "--board", "board", "--spec", "spec.json",
                        "--admin-key", "admin.key"}),
                 "exists already");
  // Malformed credentials and choices.
  expect_refused(veche({"vote", "--board", "board", "--code", "not-a-code"}), "24 characters");
  std::string wrong = codes_[0];
  wrong[3] = wrong[3] == 'A' ? 'B' : 'A';
  expect_refused(veche({"vote", "--board", "board", "--code", wrong}), "veche: ");
  expect_refused(
      veche({"vote", "--board", "board", "--code", codes_[0], "--select", "council=Nobody"}),
      "has no choice");
  expect_refused(veche({"vote", "--board", "board", "--code", codes_[0], "--select",
                        "council=Anna,Boris,Vera"}),
                 "allowed 0 to 2");
  expect_refused(veche({"vote", "--board", "board", "--code", codes_[0], "--select", "nothing"}),
                 "question=choice");
  // Steps out of order and out of range.
  expect_refused(veche({"trustee", "decrypt", "--board", "board", "--key", "t1.key"}),
                 "not closed");
  expect_refused(veche({"election", "tally", "--board", "board"}), "not closed");
  expect_refused(veche({"registrar", "credentials", "--board", "board", "--key", "registrar.key",
                        "--voters", "0", "--out", "zero.txt"}),
                 "--voters");
  const std::vector<std::string> more = {"registrar", "credentials",   "--board",  "board",
                                         "--key",     "registrar.key", "--voters", "3",
                                         "--out",     "more.txt"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = more;
    args.insert(args.end(), extra.begin(), extra.end());
    return veche(args);
  };
  expect_refused(with({"--sheets", "more.html"}), "--sheets and --csv need --vote-url");
  expect_refused(with({"--csv", "more.csv", "--vote-url", "javascript:alert(1)"}), "https://");
  expect_refused(with({"--csv", "more.csv", "--vote-url", "https://x.example/vote#code="}),
                 "without a '#'");
  expect_refused(with({"--csv", "more.csv", "--vote-url", "https://x.example/\"><b>"}),
                 "no spaces, quotes");
  expect_refused(
      with({"--sheets", "more.html", "--vote-url", std::string(kVoteUrl), "--lang", "de"}),
      "--lang: en or ru");
  expect_refused(with({"--csv", "codes.csv", "--vote-url", std::string(kVoteUrl)}),
                 "codes.csv exists already");
  EXPECT_FALSE(fs::exists(dir_ / "more.txt"));  // refused before anything was written
  // The verifier: a missing file, an empty one, a directory without a board.
  const Outcome missing = run_process({VECHE_VERIFY_BIN, "missing.jsonl"}, dir_);
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("cannot read"), std::string::npos) << missing.output;
  write_text(dir_ / "empty.jsonl", "");
  const Outcome empty = verify("empty.jsonl");
  EXPECT_EQ(empty.code, 1) << empty.output;
  EXPECT_NE(empty.output.find("the record is empty"), std::string::npos) << empty.output;
  const Outcome notaboard = verify("notaboard");
  EXPECT_EQ(notaboard.code, 1) << notaboard.output;
  EXPECT_NE(notaboard.output.find("INVALID at check 1"), std::string::npos) << notaboard.output;
  // After all that, the board is intact: a vote still goes through and the board verifies so far.
  vote(1, {"council=Anna"});
  EXPECT_EQ(verify("board").code, 1);  // no result yet: check 16, not damage
  EXPECT_NE(verify("board").output.find("INVALID at check 16"), std::string::npos);
}

}  // namespace
