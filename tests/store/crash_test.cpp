// SQLite across processes: acknowledged writes survive a SIGKILL, and migrate() run by two
// processes at once applies each migration once. Children are forked; synchronization is
// through pipes only (no sleeps).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "store_fixture.hpp"
#include "veche/store/database.hpp"

namespace veche::store::testing {
namespace {

void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) _exit(3);  // the parent is gone
    done += static_cast<std::size_t>(n);
  }
}

// Child: writes rows 1, 2, ... each in its own kFull transaction and reports "acked N" after
// each commit. Never returns.
[[noreturn]] void writer_child(const std::string& path, int ack_fd) {
  auto db = open(path);
  if (!db) _exit(2);
  for (std::int64_t n = 1; n <= 1000000; ++n) {
    Status s = with_write(
        **db,
        [n](Transaction& tx) -> Status {
          auto r = tx.exec("INSERT INTO acked (n, payload) VALUES (?, ?)",
                           {Value{n}, Value{std::string(200, 'x')}});
          return r ? ok() : Status(std::move(r).error());
        },
        Durability::kFull);
    if (!s) _exit(4);
    write_all(ack_fd, "acked " + std::to_string(n) + "\n");
  }
  _exit(0);
}

TEST(SqliteCrash, EveryAcknowledgedRowSurvivesSigkill) {
  TempDir dir;
  const std::string path = (dir.path() / "crash.db").string();
  {
    ASSERT_OK_AND_ASSIGN(auto db, open(path));
    ASSERT_OK(with_write(*db, [](Transaction& tx) -> Status {
      auto r = tx.exec("CREATE TABLE acked (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
      return r ? ok() : Status(std::move(r).error());
    }));
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    writer_child(path, fds[1]);
  }
  close(fds[1]);

  // Kill the child while it writes, once it has acknowledged this many rows.
  constexpr std::int64_t kKillAfter = 150;
  std::int64_t last_acked = 0;
  bool killed = false;
  std::string buffer;
  char chunk[4096];
  for (;;) {
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;  // EOF: the child is dead and every ack it wrote is read
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      ASSERT_EQ(line.rfind("acked ", 0), 0u) << line;
      last_acked = std::stoll(line.substr(6));
    }
    if (!killed && last_acked >= kKillAfter) {
      ASSERT_EQ(kill(pid, SIGKILL), 0);
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child ended by itself (status " << status << ") before it was killed";
  ASSERT_GE(last_acked, kKillAfter);

  ASSERT_OK_AND_ASSIGN(auto db, open(path));
  ASSERT_OK_AND_ASSIGN(auto tx, db->begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Row row,
                       tx->query_one("SELECT COUNT(*), MIN(n), MAX(n) FROM acked", {}, "counts"));
  // Every acknowledged row is there; at most the one in flight beyond them.
  EXPECT_EQ(row.int64(1), 1);
  EXPECT_GE(row.int64(2), last_acked);
  EXPECT_LE(row.int64(2), last_acked + 1);
  EXPECT_EQ(row.int64(0), row.int64(2));  // no gaps
}

TEST(SqliteCrash, TwoProcessesMigratingAtOnceApplyEachMigrationOnce) {
  TempDir dir;
  const std::string path = (dir.path() / "migrate.db").string();
  std::vector<std::string> sql = {"CREATE TABLE steps (v INTEGER PRIMARY KEY)"};
  for (int v = 2; v <= 30; ++v)
    sql.push_back("INSERT INTO steps (v) VALUES (" + std::to_string(v) + ")");
  std::vector<Migration> list;
  for (int v = 1; v <= 30; ++v) {
    list.push_back(Migration{"steps", v, "step", sql[static_cast<std::size_t>(v - 1)], ""});
  }

  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> children;
  for (int c = 0; c < 2; ++c) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(go[1]);
      char byte = 0;
      if (read(go[0], &byte, 1) != 1) _exit(5);  // wait for the start signal
      OpenOptions options;
      options.busy_timeout = std::chrono::milliseconds(30000);
      auto db = open(path, options);
      if (!db) _exit(2);
      Status s = migrate(**db, list);
      if (!s) {
        std::fprintf(stderr, "child migrate: %s\n", s.error().message.c_str());
        _exit(1);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  close(go[0]);
  ASSERT_EQ(write(go[1], "gg", 2), 2);  // both start together
  close(go[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  ASSERT_OK_AND_ASSIGN(auto db, open(path));
  ASSERT_OK_AND_ASSIGN(auto tx, db->begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Row steps, tx->query_one("SELECT COUNT(*) FROM steps", {}, "steps"));
  EXPECT_EQ(steps.int64(0), 29);
  ASSERT_OK_AND_ASSIGN(Row applied, tx->query_one("SELECT COUNT(*), COUNT(DISTINCT version) FROM "
                                                  "veche_migrations WHERE module = 'steps'",
                                                  {}, "migrations"));
  EXPECT_EQ(applied.int64(0), 30);
  EXPECT_EQ(applied.int64(1), 30);
}

}  // namespace
}  // namespace veche::store::testing
