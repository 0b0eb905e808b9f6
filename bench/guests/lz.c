// A small LZ77 compressor and decompressor (hash-chain match finder,
// byte copies), round-tripping a generated text-like buffer.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WINDOW = 1 << 15, MIN_MATCH = 4, MAX_MATCH = 255, HASH_BITS = 15 };

static uint32_t hash4(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return (v * 2654435761u) >> (32 - HASH_BITS); }

// Output: literal runs and (offset, length) pairs; returns compressed size.
static size_t compress(const uint8_t* in, size_t n, uint8_t* out) {
  int32_t* head = malloc(sizeof(int32_t) << HASH_BITS);
  for (size_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
  size_t o = 0, i = 0, lit_start = 0;
  while (i + MIN_MATCH <= n) {
    uint32_t h = hash4(in + i);
    int32_t cand = head[h];
    head[h] = (int32_t)i;
    size_t len = 0;
    if (cand >= 0 && i - cand < WINDOW)
      while (len < MAX_MATCH && i + len < n && in[cand + len] == in[i + len]) len++;
    if (len >= MIN_MATCH) {
      while (lit_start < i) { size_t run = i - lit_start > 255 ? 255 : i - lit_start; out[o++] = 0; out[o++] = (uint8_t)run; memcpy(out + o, in + lit_start, run); o += run; lit_start += run; }
      size_t off = i - cand;
      out[o++] = (uint8_t)len; out[o++] = (uint8_t)(off >> 8); out[o++] = (uint8_t)off;
      i += len;
      lit_start = i;
    } else {
      i++;
    }
  }
  while (lit_start < n) { size_t run = n - lit_start > 255 ? 255 : n - lit_start; out[o++] = 0; out[o++] = (uint8_t)run; memcpy(out + o, in + lit_start, run); o += run; lit_start += run; }
  free(head);
  return o;
}

static size_t decompress(const uint8_t* in, size_t n, uint8_t* out) {
  size_t i = 0, o = 0;
  while (i < n) {
    uint8_t tag = in[i++];
    if (tag == 0) { size_t run = in[i++]; memcpy(out + o, in + i, run); i += run; o += run; }
    else { size_t off = (size_t)in[i] << 8 | in[i + 1]; i += 2; for (size_t k = 0; k < tag; k++, o++) out[o] = out[o - off]; }
  }
  return o;
}

int main(int argc, char** argv) {
  size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 80u << 20;
  static const char* words[] = {"wasm ", "native ", "process ", "signal ", "fork ", "the ", "of ", "and ", "memory ", "\n"};
  uint8_t* text = malloc(n + 16);
  uint32_t s = 1;
  size_t at = 0;
  while (at < n) { s = s * 1664525u + 1013904223u; const char* w = words[(s >> 24) % 10]; size_t l = strlen(w); if (at + l > n) l = n - at; memcpy(text + at, w, l); at += l; }
  uint8_t* packed = malloc(n * 2 + 64);
  uint8_t* back = malloc(n + 16);
  size_t c = compress(text, n, packed);
  size_t d = decompress(packed, c, back);
  printf("%zu -> %zu, round trip %s\n", n, c, d == n && memcmp(text, back, n) == 0 ? "ok" : "BROKEN");
  return 0;
}
