// rss_probe OUT CMD [ARGS...]: runs CMD and writes "SECONDS PEAK_RSS_KIB"
// to the file OUT. Measuring from Python would count the Python process:
// Linux keeps the pre-exec memory of a vfork'd/forked child in its peak
// RSS, so every program looked at least as big as the interpreter. This
// small launcher is what the child is before exec, so its own ~1 MiB is
// the floor. The time covers fork, exec and exit, as a shell would see.
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rss_probe OUT CMD [ARGS...]\n");
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid < 0) return perror("fork"), 2;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) return perror("wait4"), 2;
  clock_gettime(CLOCK_MONOTONIC, &end);
  FILE* out = fopen(argv[1], "w");
  if (!out) return perror(argv[1]), 2;
  fprintf(out, "%.9f %ld\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9, usage.ru_maxrss);
  fclose(out);
  // The launcher exits as its child did (a signal death as 128+N, as a shell).
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
