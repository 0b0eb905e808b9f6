// Table-driven CRC-32 and FNV-1a over a generated buffer (byte
// processing, table lookups, hashing).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 64u << 20;
  uint32_t table[256];
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  uint8_t* buf = malloc(n);
  uint32_t s = 7;
  for (size_t i = 0; i < n; i++) { s = s * 1103515245u + 12345u; buf[i] = (uint8_t)(s >> 16); }
  uint32_t crc = 0xffffffffu, fnv = 2166136261u;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
      fnv = (fnv ^ buf[i]) * 16777619u;
    }
  printf("%08x %08x\n", crc ^ 0xffffffffu, fnv);
  return 0;
}
