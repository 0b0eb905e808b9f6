// Prints its arguments and a few environment variables; exits with argc.
// Built both for wasm32-wasi and natively: the e2e tests compare the runs.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("hello from a guest\n");
  for (int i = 0; i < argc; i++) printf("argv[%d] = \"%s\"\n", i, argv[i]);
  const char* names[] = {"WASIXC_E2E_A", "WASIXC_E2E_B", "WASIXC_E2E_EMPTY"};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char* v = getenv(names[i]);
    printf("%s=%s\n", names[i], v ? v : "(unset)");
  }
  return argc;
}
