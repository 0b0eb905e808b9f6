// What a compile tells about itself while and after it runs:
//   --time-report  per phase (read, validate, imports, IR build, optimise,
//                  codegen, link): wall and CPU seconds summed over the
//                  threads that ran it, the partitions, peak RSS;
//   progress       on a terminal, for a compile longer than ~2 s, one line
//                  on stderr refreshed in place: the current phase and the
//                  partitions done / total. Nothing when stderr is not a tty
//                  or with -q.
// One report per compiler process (compile_report()); the LLVM backend's
// workers add to it from their threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <thread>

namespace wasixc::aot {

enum class Phase { kRead, kValidate, kImports, kIrBuild, kOptimise, kCodegen, kLink, kCount };

const char* phase_name(Phase p);

class CompileReport {
 public:
  // Starts timing. `progress_on_tty`: show progress if stderr is a
  // terminal (WASIXC_PROGRESS_DELAY_MS overrides the 2 s delay, for tests).
  void start(bool time_report, bool progress_on_tty);
  // Stops the progress line (erasing it) and prints the time report if asked.
  void finish(FILE* out);

  // Measures one phase on the calling thread (wall and thread CPU time);
  // `child_processes`: count the CPU of children waited for meanwhile.
  class Scope {
   public:
    Scope(CompileReport& report, Phase phase, bool child_processes = false);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CompileReport& report_;
    Phase phase_;
    bool children_;
    std::chrono::steady_clock::time_point wall_;
    double cpu_;
  };

  void set_partitions(size_t total, unsigned threads);
  void partition_done();
  bool enabled() const { return time_report_ || progress_; }

 private:
  void add(Phase phase, double wall, double cpu);
  void progress_loop();
  void draw_locked();

  std::mutex lock_;
  std::condition_variable wake_;
  bool time_report_ = false, progress_ = false, stopping_ = false, drawn_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::milliseconds delay_{2000};
  double wall_[static_cast<int>(Phase::kCount)] = {};
  double cpu_[static_cast<int>(Phase::kCount)] = {};
  int running_[static_cast<int>(Phase::kCount)] = {};
  Phase current_ = Phase::kRead;
  size_t partitions_ = 1, done_ = 0;
  unsigned threads_ = 1;
  std::thread ticker_;
};

// The compiler process's report (inactive until start()).
CompileReport& compile_report();

}  // namespace wasixc::aot
