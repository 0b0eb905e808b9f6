// The bundled example: an ordinary C program built for wasm32-wasi, which
// wasixc turns into a native executable. It greets, echoes its arguments,
// shows it sees the host environment and clock, and exits with the number
// of arguments it was given.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char** argv) {
  printf("Hello from WebAssembly, running as a native executable!\n");
  printf("argv[0] = %s\n", argv[0]);
  for (int i = 1; i < argc; i++) printf("argument %d: %s\n", i, argv[i]);
  const char* user = getenv("USER");
  printf("USER from the host environment: %s\n", user ? user : "(not set)");
  time_t now = time(NULL);
  printf("host clock: %s", ctime(&now));
  printf("exiting with status %d (the number of arguments)\n", argc - 1);
  return argc - 1;
}
