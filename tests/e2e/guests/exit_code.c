// Ends with the status named on the command line, by one of three routes:
//   exit_code N [return|exit|_Exit]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc < 2) return 99;
  int code = atoi(argv[1]);
  const char* how = argc > 2 ? argv[2] : "return";
  printf("leaving with %d via %s\n", code, how);  // buffered when piped
  if (strcmp(how, "exit") == 0) exit(code);
  if (strcmp(how, "_Exit") == 0) {
    fflush(stdout);
    _Exit(code);
  }
  return code;
}
