// The program exec_wasm starts: a plain WASI program (any libc), exec'd
// or spawned as a .wasm file and compiled on demand by the runtime.
// Natively the same name holds the native build. Prints its arguments
// and one variable of its environment, then exits with 3 (or argv[1]'s
// number if it is "code=N").
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  const char* base = strrchr(argv[0], '/');
  printf("target %s:", base ? base + 1 : argv[0]);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  const char* v = getenv("EXEC_WASM_VAR");
  printf(" EXEC_WASM_VAR=%s\n", v ? v : "(unset)");
  int code = 3;
  if (argc > 1 && !strncmp(argv[1], "code=", 5)) code = atoi(argv[1] + 5);
  return code;
}
