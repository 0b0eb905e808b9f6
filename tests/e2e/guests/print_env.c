// Prints its whole environment, one entry a line, then its arguments.
// Built for wasm32-wasi (and natively); started by env_escape.c.
#include <stdio.h>

extern char** environ;

int main(int argc, char** argv) {
  for (char** e = environ; e && *e; ++e) printf("env %s\n", *e);
  for (int i = 0; i < argc; i++) printf("arg %s\n", argv[i]);
  return 0;
}
