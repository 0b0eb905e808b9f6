// Binary trees: allocation-heavy recursion (malloc/free, pointer chasing).
#include <stdio.h>
#include <stdlib.h>

typedef struct Node { struct Node *l, *r; } Node;

static Node* make(int d) {
  Node* n = malloc(sizeof *n);
  if (d > 0) { n->l = make(d - 1); n->r = make(d - 1); } else { n->l = n->r = NULL; }
  return n;
}
static long check(Node* n) { return 1 + (n->l ? check(n->l) + check(n->r) : 0); }
static void drop(Node* n) { if (n->l) { drop(n->l); drop(n->r); } free(n); }

int main(int argc, char** argv) {
  int max_depth = argc > 1 ? atoi(argv[1]) : 18;
  Node* longlived = make(max_depth);
  long total = 0;
  for (int d = 4; d <= max_depth; d += 2) {
    int iters = 1 << (max_depth - d + 4);
    for (int i = 0; i < iters; i++) { Node* t = make(d); total += check(t); drop(t); }
  }
  printf("%ld %ld\n", total, check(longlived));
  return 0;
}
