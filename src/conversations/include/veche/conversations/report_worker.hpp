// The thread that keeps conversation reports fresh, off the request path: it wakes every
// `poll` and recomputes the conversations whose votes changed, each at most once per
// `min_interval` (a debounce: a burst of votes costs one recompute).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "veche/conversations/conversations.hpp"

namespace veche::conversations {

struct WorkerOptions {
  std::chrono::milliseconds poll{1000};
  std::chrono::seconds min_interval{5};
};

class ReportWorker {
 public:
  // `db`, `clock` and `key` must outlive the worker. Starts the thread.
  ReportWorker(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key,
               WorkerOptions options = {});
  // Stops and joins the thread (a recompute under way finishes first).
  ~ReportWorker();
  ReportWorker(const ReportWorker&) = delete;
  ReportWorker& operator=(const ReportWorker&) = delete;

 private:
  void run();

  Conversations service_;
  const WorkerOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace veche::conversations
