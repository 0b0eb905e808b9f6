// Names the guest function that trapped, from the executable's own ELF
// symbol table (.symtab of /proc/self/exe). Runs only on the trap path, so
// it reads the file each time.
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "runtime/runtime.h"

namespace wasixc {
namespace {

// Generated functions keep their wasm names behind a backend prefix: the
// C backend's internal functions are "w2c_<name>", its export wrappers
// "Z_guestZ_<name>" with other bytes escaped as "Z<hex><hex>".
void wasm_name(const char* symbol, char* out, size_t out_size) {
  static const char* const kPlain[] = {"w2c_", "wasm_fn_"};
  for (const char* p : kPlain)
    if (strncmp(symbol, p, strlen(p)) == 0) {
      snprintf(out, out_size, "%s", symbol + strlen(p));
      return;
    }
  const char* kEscaped = "Z_guestZ_";
  if (strncmp(symbol, kEscaped, strlen(kEscaped)) != 0) {
    snprintf(out, out_size, "%s", symbol);
    return;
  }
  size_t n = 0;
  for (const char* s = symbol + strlen(kEscaped); *s && n + 1 < out_size; ++s) {
    unsigned byte;
    if (*s == 'Z' && sscanf(s + 1, "%2x", &byte) == 1) {
      out[n++] = static_cast<char>(byte);
      s += 2;
    } else {
      out[n++] = *s;
    }
  }
  out[n] = 0;
}

class MappedFile {
 public:
  explicit MappedFile(const char* path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<const uint8_t*>(p);
        size_ = static_cast<size_t>(st.st_size);
      }
    }
    close(fd);
  }
  ~MappedFile() {
    if (data_) munmap(const_cast<uint8_t*>(data_), size_);
  }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

bool guest_function_name(uintptr_t pc, char* out, size_t out_size) {
  MappedFile file("/proc/self/exe");
  if (!file.data() || file.size() < sizeof(Elf64_Ehdr)) return false;
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(file.data());
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shoff + uint64_t{eh->e_shnum} * sizeof(Elf64_Shdr) > file.size())
    return false;
  const auto* sections =
      reinterpret_cast<const Elf64_Shdr*>(file.data() + eh->e_shoff);
  for (unsigned i = 0; i < eh->e_shnum; ++i) {
    const Elf64_Shdr& symtab = sections[i];
    if (symtab.sh_type != SHT_SYMTAB || symtab.sh_link >= eh->e_shnum) continue;
    const Elf64_Shdr& strtab = sections[symtab.sh_link];
    if (symtab.sh_offset + symtab.sh_size > file.size() ||
        strtab.sh_offset + strtab.sh_size > file.size())
      return false;
    const auto* syms =
        reinterpret_cast<const Elf64_Sym*>(file.data() + symtab.sh_offset);
    size_t count = symtab.sh_size / sizeof(Elf64_Sym);
    const char* names =
        reinterpret_cast<const char*>(file.data() + strtab.sh_offset);
    // Load bias of this PIE: where report_trap really is minus its link
    // address.
    uintptr_t bias = 0;
    bool have_bias = false;
    for (size_t s = 0; s < count && !have_bias; ++s)
      if (syms[s].st_name < strtab.sh_size &&
          strcmp(names + syms[s].st_name, "wasixc_trap") == 0) {
        bias = reinterpret_cast<uintptr_t>(&wasixc_trap) - syms[s].st_value;
        have_bias = true;
      }
    if (!have_bias) return false;
    for (size_t s = 0; s < count; ++s) {
      const Elf64_Sym& sym = syms[s];
      if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_size == 0 ||
          sym.st_name >= strtab.sh_size)
        continue;
      uintptr_t start = sym.st_value + bias;
      if (pc >= start && pc < start + sym.st_size) {
        wasm_name(names + sym.st_name, out, out_size);
        return true;
      }
    }
  }
  return false;
}

}  // namespace wasixc
