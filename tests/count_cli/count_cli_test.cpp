// `veche count` end to end: the real binary, its exit codes and what it prints.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;  // stdout and stderr together
};

Outcome run(const std::string& args) {
  Outcome r;
  const std::string cmd = std::string(VECHE_BIN) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CountCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("veche-count-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  fs::path dir_;
};

// The Wikipedia example of the Schulze method: E wins, ranking E A C B D.
const char* kSchulzeWikipedia =
    "5 1\n5 1 3 2 5 4 0\n5 1 4 5 3 2 0\n8 2 5 4 1 3 0\n3 3 1 2 5 4 0\n7 3 1 5 2 4 0\n"
    "2 3 2 1 4 5 0\n7 4 3 5 2 1 0\n8 5 2 1 4 3 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"E\"\n"
    "\"Wikipedia\"\n";

TEST_F(CountCli, PrintsTheRoundTableTheJsonReportAndAnSvgChart) {
  const std::string blt = write("w.blt", kSchulzeWikipedia);
  const Outcome text = run("count " + blt + " --method schulze");
  EXPECT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("Elected: E"), std::string::npos) << text.out;
  const Outcome json = run("count " + blt + " --method schulze --format json");
  EXPECT_EQ(json.status, 0) << json.out;
  EXPECT_NE(json.out.find("\"winner_names\":[\"E\"]"), std::string::npos) << json.out;
  const Outcome svg = run("count " + blt + " --method irv --format svg");
  EXPECT_EQ(svg.status, 0) << svg.out;
  EXPECT_EQ(svg.out.rfind("<svg", 0), 0u) << svg.out.substr(0, 200);
  EXPECT_NE(svg.out.find("</svg>"), std::string::npos);
}

TEST_F(CountCli, TheDefaultSeedIsTheSha256OfTheFile) {
  // Three-way ties everywhere: the lot decides, so the seed shows in the result.
  const std::string blt = write("tie.blt", "3 1\n1 1 0\n1 2 0\n1 3 0\n0\n");
  const Outcome plain = run("count " + blt + " --method plurality --format json");
  ASSERT_EQ(plain.status, 0) << plain.out;
  const Outcome sum = [&] {
    Outcome r;
    FILE* p = ::popen(("sha256sum " + blt).c_str(), "r");
    char buf[128] = {};
    if (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) r.out = buf;
    if (p != nullptr) r.status = ::pclose(p);
    return r;
  }();
  ASSERT_GE(sum.out.size(), 64u);
  const Outcome seeded =
      run("count " + blt + " --method plurality --format json --seed " + sum.out.substr(0, 64));
  EXPECT_EQ(seeded.out, plain.out);
  const Outcome other =
      run("count " + blt + " --method plurality --format json --seed " + std::string(64, '7'));
  EXPECT_EQ(other.status, 0);
  EXPECT_NE(other.out.find("\"lot_order\""), std::string::npos);
}

TEST_F(CountCli, CountsPartyListsWithAThresholdAndAGenderQuota) {
  const std::string lists = write("lists.json", R"({"title": "General list", "seats": 3,
    "parties": [
      {"name": "Alliance", "votes": 900, "candidates": [{"name": "Artem", "gender": "m"},
        {"name": "Boris", "gender": "m"}, {"name": "Gleb", "gender": "m"},
        {"name": "Vera", "gender": "f"}]},
      {"name": "Sprout", "votes": 40, "candidates": ["Kira"]}]})");
  const Outcome r = run("count " + lists + " --method dhondt --threshold 5% --gender-quota 1/2");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Artem, Boris, Vera"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(below threshold)"), std::string::npos) << r.out;
  const Outcome json = run("count " + lists + " --method sainte-lague --format json");
  EXPECT_NE(json.out.find("\"elected_names\""), std::string::npos) << json.out;
}

TEST_F(CountCli, BadInputGetsAClearMessageAndANonZeroExit) {
  const std::string bad = write("bad.blt", "3 1\n1 1 2 0\n1 1 7 0\n0\n");
  Outcome r = run("count " + bad + " --method irv");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("line 3: candidate 7 is not between 1 and 3"), std::string::npos) << r.out;
  r = run("count " + (dir_ / "missing.blt").string() + " --method irv");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("cannot open"), std::string::npos) << r.out;
  r = run("count " + write("x.txt", "1 1\n") + " --method irv");
  EXPECT_NE(r.status, 0);
  r = run("count " + write("l.json", R"({"parties": [{"name": "A", "votes": "many"}]})") +
          " --method dhondt --seats 2");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("parties[0].votes must be a whole number"), std::string::npos) << r.out;
  r = run("count " + write("ok.json", R"({"parties": [{"name": "A", "votes": 1}]})") +
          " --method meek");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("dhondt or sainte-lague"), std::string::npos) << r.out;
  r = run("count " + bad + " --method irv --gender-quota 40%");
  EXPECT_NE(r.status, 0);
  r = run("count " + bad + " --method irv --seed xyz");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("--seed"), std::string::npos) << r.out;
}

TEST_F(CountCli, ReadsABallotFileFromAPipe) {
  const std::string blt = write("w.blt", kSchulzeWikipedia);
  // /dev/stdin is not a regular file: the command reads it instead of mapping it.
  const Outcome r = run("count /dev/stdin --method schulze < " + blt);
  EXPECT_NE(r.status, 0) << "no extension, no format: " << r.out;
  const std::string fifo = (dir_ / "pipe.blt").string();
  ASSERT_EQ(::system(("mkfifo " + fifo).c_str()), 0);
  const Outcome piped =
      run("count " + fifo + " --method schulze & cat " + blt + " > " + fifo + "; wait");
  EXPECT_NE(piped.out.find("Elected: E"), std::string::npos) << piped.out;
}

}  // namespace
