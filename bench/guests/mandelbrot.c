// Mandelbrot set membership over a grid (float, tight loops).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4000;
  uint32_t hash = 2166136261u;
  for (int y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    uint8_t bits = 0;
    for (int x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5, zr = 0, zi = 0;
      int i = 0;
      for (; i < 50 && zr * zr + zi * zi <= 4.0; i++) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
      }
      bits = (uint8_t)(bits << 1 | (i == 50));
      if (x % 8 == 7) { hash = (hash ^ bits) * 16777619u; bits = 0; }
    }
  }
  printf("%08x\n", hash);
  return 0;
}
