#include "aot/compile_report.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace wasixc::aot {
namespace {

double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double children_cpu_seconds() {
  rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kRead: return "read";
    case Phase::kValidate: return "validate";
    case Phase::kImports: return "imports";
    case Phase::kIrBuild: return "IR build";
    case Phase::kOptimise: return "optimise";
    case Phase::kCodegen: return "codegen";
    case Phase::kLink: return "link";
    case Phase::kCount: break;
  }
  return "?";
}

CompileReport& compile_report() {
  static CompileReport report;
  return report;
}

void CompileReport::start(bool time_report, bool progress_on_tty) {
  std::lock_guard<std::mutex> guard(lock_);  // a new compile in this process starts afresh
  time_report_ = time_report;
  stopping_ = drawn_ = false;
  for (int p = 0; p < static_cast<int>(Phase::kCount); ++p) wall_[p] = cpu_[p] = running_[p] = 0;
  partitions_ = threads_ = 1;
  done_ = 0;
  started_ = std::chrono::steady_clock::now();
  progress_ = progress_on_tty && isatty(STDERR_FILENO);
  if (const char* d = getenv("WASIXC_PROGRESS_DELAY_MS"); d && *d)
    delay_ = std::chrono::milliseconds(strtoul(d, nullptr, 10));
  if (progress_) ticker_ = std::thread([this] { progress_loop(); });
}

void CompileReport::finish(FILE* out) {
  if (ticker_.joinable()) {
    {
      std::lock_guard<std::mutex> guard(lock_);
      stopping_ = true;
    }
    wake_.notify_all();
    ticker_.join();
  }
  if (!time_report_) return;
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  fprintf(out, "wasixc: time report: %.2f s wall, %zu partition%s on %u thread%s, peak RSS %ld MiB\n",
          seconds_since(started_), partitions_, partitions_ == 1 ? "" : "s", threads_, threads_ == 1 ? "" : "s",
          ru.ru_maxrss / 1024);
  fprintf(out, "  %-10s %10s %10s\n", "phase", "wall s", "cpu s");
  for (int p = 0; p < static_cast<int>(Phase::kCount); ++p)
    fprintf(out, "  %-10s %10.3f %10.3f\n", phase_name(static_cast<Phase>(p)), wall_[p], cpu_[p]);
  fprintf(out, "  (wall and cpu are summed over the threads that ran a phase; link counts its child processes)\n");
}

CompileReport::Scope::Scope(CompileReport& report, Phase phase, bool child_processes)
    : report_(report), phase_(phase), children_(child_processes) {
  if (!report_.enabled()) return;
  wall_ = std::chrono::steady_clock::now();
  cpu_ = children_ ? children_cpu_seconds() : thread_cpu_seconds();
  std::lock_guard<std::mutex> guard(report_.lock_);
  report_.running_[static_cast<int>(phase_)]++;
  report_.current_ = phase_;
}

CompileReport::Scope::~Scope() {
  if (!report_.enabled()) return;
  double cpu = (children_ ? children_cpu_seconds() : thread_cpu_seconds()) - cpu_;
  report_.add(phase_, seconds_since(wall_), cpu);
}

void CompileReport::add(Phase phase, double wall, double cpu) {
  std::lock_guard<std::mutex> guard(lock_);
  int p = static_cast<int>(phase);
  wall_[p] += wall;
  cpu_[p] += cpu;
  running_[p]--;
  // The phase shown is the latest one still running on some thread.
  if (current_ == phase && running_[p] == 0)
    for (int q = static_cast<int>(Phase::kCount) - 1; q >= 0; --q)
      if (running_[q] > 0) {
        current_ = static_cast<Phase>(q);
        break;
      }
}

void CompileReport::set_partitions(size_t total, unsigned threads) {
  std::lock_guard<std::mutex> guard(lock_);
  partitions_ = total;
  threads_ = threads;
  done_ = 0;
}

void CompileReport::partition_done() {
  std::lock_guard<std::mutex> guard(lock_);
  ++done_;
  if (drawn_) draw_locked();
}

void CompileReport::draw_locked() {
  // \r and erase-line: one line rewritten in place.
  fprintf(stderr, "\r\33[2Kwasixc: %s, %zu/%zu partitions done, %.0f s", phase_name(current_), done_, partitions_,
          seconds_since(started_));
  fflush(stderr);
  drawn_ = true;
}

void CompileReport::progress_loop() {
  std::unique_lock<std::mutex> guard(lock_);
  if (wake_.wait_for(guard, delay_, [this] { return stopping_; })) return;
  while (!stopping_) {
    draw_locked();
    wake_.wait_for(guard, std::chrono::milliseconds(500), [this] { return stopping_; });
  }
  fprintf(stderr, "\r\33[2K");
  fflush(stderr);
}

}  // namespace wasixc::aot
