// The WebAssembly spec-suite harness for the LLVM backend.
//
//   spec_runner [--jobs N] [-O N] FILE.wast...
//   spec_runner --help
//
// Each .wast file runs in a child process: wast2json turns it into a
// command list and .wasm modules; every module is compiled by the LLVM
// backend (in-process) into a shared object, loaded with dlopen and
// instantiated with imports from the `spectest` module and from registered
// modules; every assertion is checked. Traps come back to the harness
// through the runtime's trap recovery point. Prints a line per file, the
// failures, and the totals; exits 1 if a file not on the expected-failure
// list fails.
#include <dlfcn.h>
#include <link.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aot/diagnostics.h"
#include "aot/imports.h"
#include "aot/llvm/codegen.h"
#include "aot/llvm/llvm_backend.h"
#include "aot/module_loader.h"
#include "wabt/feature.h"
#include "aot/toolchain.h"
#include "runtime/runtime.h"
#include "spec/expected_failures.h"
#include "wasixc/abi.h"

using json = nlohmann::json;
using namespace wasixc;

namespace {

int g_opt_level = 2;

// The features a file's modules are validated with: the threads
// proposal's tests were written before reference types (they expect
// "multiple tables" to be invalid).
wabt::Features features_for(const std::string& wast) {
  wabt::Features f = aot::wasixc_features();
  // Later proposals make some of the core suite's invalid modules valid
  // (an i32.add in a constant expression): each is enabled for its own
  // directory only.
  if (wast.find("/proposals/extended-const/") == std::string::npos) f.disable_extended_const();
  if (wast.find("/proposals/tail-call/") == std::string::npos) f.disable_tail_call();
  if (wast.find("/proposals/exception-handling/") == std::string::npos && wast.find("exnref") == std::string::npos)
    f.disable_exceptions();  // exnref.json: tests/spec/generated/exnref.py
  // Last: wabt turns reference types back on while exceptions are enabled.
  if (wast.find("/proposals/threads/") != std::string::npos) f.disable_reference_types();
  return f;
}
constexpr unsigned kFileTimeoutSeconds = 600;

// ---- externs: what an import can be bound to -----------------------------

struct Extern {
  uint32_t kind = 0;
  void* object = nullptr;  // wasixc_funcref*, wasixc_table*, wasixc_memory*, or a cell
  std::string type;        // as in wasixc_import_desc::type
};

struct Instance {
  void* memory = nullptr;  // the instance block
  const wasixc_module_info* info = nullptr;
  std::map<std::string, Extern> exports;
};

// The `spectest` module the suite imports from: its functions are compiled
// from wasm (kSpectestFunctions) like every module, because a funcref's
// code follows the generated code's calling convention (LLVM's tailcc in
// the tail-call files, aot/llvm/codegen.h), which no C++ function is
// guaranteed to have; the rest is host objects.
constexpr const char* kSpectestFunctions = R"((module
  (func (export "print"))
  (func (export "print_i32") (param i32))
  (func (export "print_i64") (param i64))
  (func (export "print_f32") (param f32))
  (func (export "print_f64") (param f64))
  (func (export "print_i32_f32") (param i32 f32))
  (func (export "print_f64_f64") (param f64 f64))))";

Instance make_spectest() {
  Instance s;
  auto global = [&](const char* name, uint64_t bits, const char* type) {
    s.exports[name] = Extern{WASIXC_EXTERN_GLOBAL, new uint64_t(bits), type};
  };
  global("global_i32", 666, "i");
  global("global_i64", 666, "I");
  float f = 666.6f;
  uint32_t fbits;
  memcpy(&fbits, &f, 4);
  global("global_f32", fbits, "f");
  double d = 666.6;
  uint64_t dbits;
  memcpy(&dbits, &d, 8);
  global("global_f64", dbits, "F");
  auto* table = new wasixc_table;
  wasixc_table_allocate(table, 10, 20);
  s.exports["table"] = Extern{WASIXC_EXTERN_TABLE, table, "r"};
  auto* memory = new wasixc_memory{};
  wasixc_memory_allocate(memory, 1, 2, 0);
  s.exports["memory"] = Extern{WASIXC_EXTERN_MEMORY, memory, ""};
  auto* shared = new wasixc_memory{};
  wasixc_memory_allocate(shared, 1, 2, 1);
  s.exports["shared_memory"] = Extern{WASIXC_EXTERN_MEMORY, shared, ""};
  return s;
}

// ---- running one .wast file ----------------------------------------------

struct Failure {
  int line;
  std::string what;
};

class FileRun {
 public:
  explicit FileRun(std::string wast) : wast_(std::move(wast)) {}
  void run();
  int passed = 0, failed = 0, skipped = 0;
  std::vector<Failure> failures;

 private:
  void command(const json& c);
  void fail(const json& c, const std::string& what) {
    ++failed;
    failures.push_back({c.value("line", 0), what});
  }
  // Compiles and loads a module; throws CompileError if it does not load.
  const wasixc_module_info* load(const std::string& filename);
  // Links and instantiates; returns "" or why it failed ("trap: ..." for a
  // trap during instantiation).
  std::string instantiate(const wasixc_module_info* info, Instance* out);
  // Runs an action; returns false and sets *trap on a trap.
  bool act(const json& action, std::vector<uint64_t>* results, wasixc_trap_code* trap, std::string* error);
  Instance* instance_named(const json& c, const char* key);

  std::string wast_, dir_;
  std::string modules_dir_;  // where the commands' module files are
  int module_count_ = 0;
  std::map<std::string, Instance> registry_;  // registered module names
  std::map<std::string, Instance*> named_;
  Instance* current_ = nullptr;
  std::vector<std::unique_ptr<Instance>> instances_;
};

const wasixc_module_info* FileRun::load(const std::string& filename) {
  aot::LoadedModule m = aot::load_module(modules_dir_ + "/" + filename, features_for(wast_));
  aot::ImportPlan plan = aot::resolve_imports(m, /*allow_missing=*/true, /*embedder=*/true);
  aot::llvmgen::CodegenOptions codegen;
  codegen.dynamic_imports = true;
  codegen.module_name = filename;
  // Modules of one file share funcrefs: in the tail-call files all use
  // tailcc, also those without return_call (codegen.h).
  codegen.tail_call_convention = wast_.find("/proposals/tail-call/") != std::string::npos;
  std::string stem = dir_ + "/m" + std::to_string(module_count_++);
  aot::compile_to_object(m, plan, codegen, "wasixc_spec_info", g_opt_level, "x86-64", stem + ".o");
  std::string out;
  if (aot::run_command({aot::find_clang(), "-shared", "-fuse-ld=lld", "-nostdlib", stem + ".o", "-o",
                        stem + ".so"},
                       false, &out) != 0)
    aot::fail("linking %s failed: %s", filename.c_str(), out.c_str());
  void* handle = dlopen((stem + ".so").c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) aot::fail("dlopen: %s", dlerror());
  // Its executable segments are guest code for the fault handler.
  std::string so = stem + ".so";
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* name) {
        if (!info->dlpi_name || strcmp(info->dlpi_name, static_cast<const char*>(name)) != 0) return 0;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
            register_guest_code(info->dlpi_addr + ph.p_vaddr, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        }
        return 1;
      },
      so.data());
  return static_cast<const wasixc_module_info*>(dlsym(handle, "wasixc_spec_info"));
}

bool limits_match(uint64_t actual_min, uint64_t actual_max, uint64_t want_min, uint64_t want_max) {
  if (actual_min < want_min) return false;
  if (want_max == UINT64_MAX) return true;
  return actual_max != UINT64_MAX && actual_max <= want_max;
}

std::string FileRun::instantiate(const wasixc_module_info* info, Instance* out) {
  auto* bytes = static_cast<uint8_t*>(aligned_alloc(64, info->instance_size));
  memset(bytes, 0, info->instance_size);
  for (uint32_t i = 0; i < info->import_count; ++i) {
    const wasixc_import_desc& imp = info->imports[i];
    if (imp.kind == WASIXC_EXTERN_FUNC && imp.resolved) continue;
    auto mod = registry_.find(std::string(imp.module, imp.module_length));
    if (mod == registry_.end()) return "unknown import";
    auto ext = mod->second.exports.find(std::string(imp.name, imp.name_length));
    if (ext == mod->second.exports.end()) return "unknown import";
    const Extern& e = ext->second;
    if (e.kind != imp.kind) return "incompatible import type";
    switch (e.kind) {
      case WASIXC_EXTERN_FUNC:
      case WASIXC_EXTERN_GLOBAL:
      case WASIXC_EXTERN_TAG:
        if (e.type != imp.type) return "incompatible import type";
        break;
      case WASIXC_EXTERN_TABLE: {
        auto* t = static_cast<wasixc_table*>(e.object);
        uint64_t max = t->max == UINT32_MAX ? UINT64_MAX : t->max;
        if (e.type != imp.type || !limits_match(t->size, max, imp.min, imp.max))
          return "incompatible import type";
        break;
      }
      case WASIXC_EXTERN_MEMORY: {
        auto* m = static_cast<wasixc_memory*>(e.object);
        uint64_t max = m->max_pages == WASIXC_MAX_PAGES ? UINT64_MAX : m->max_pages;
        if (!limits_match(m->pages, max, imp.min, imp.max) || m->is_shared != imp.shared)
          return "incompatible import type";
        break;
      }
    }
    memcpy(bytes + imp.slot, &e.object, sizeof(void*));
  }
  info->init(bytes);
  sigjmp_buf point;
  if (sigsetjmp(point, 1) == 0) {
    set_trap_recovery(&point);
    info->run_segments_and_start(bytes);
    set_trap_recovery(nullptr);
  } else {
    return std::string("trap: ") + trap_message(last_trap());
  }
  out->memory = bytes;
  out->info = info;
  for (uint32_t i = 0; i < info->export_count; ++i) {
    const wasixc_export_desc& e = info->exports[i];
    void* object;
    memcpy(&object, bytes + e.offset, sizeof object);
    out->exports[std::string(e.name, e.name_length)] = Extern{e.kind, object, e.type};
  }
  return "";
}

Instance* FileRun::instance_named(const json& c, const char* key) {
  if (c.contains(key)) {
    auto it = named_.find(c[key].get<std::string>());
    return it == named_.end() ? nullptr : it->second;
  }
  return current_;
}

// A v128 travels in two 64-bit slots, low half first (abi.h).
size_t slots_of(char type_letter) { return type_letter == 'v' ? 2 : 1; }

unsigned lane_bits(const std::string& lane_type) {
  if (lane_type == "i8") return 8;
  if (lane_type == "i16") return 16;
  if (lane_type == "i32" || lane_type == "f32") return 32;
  return 64;
}

// The lanes of a v128 as wast2json writes them: a lane type and one
// decimal string per lane (floats by bit pattern).
void put_lane(uint64_t* halves, unsigned bits, size_t lane, uint64_t v) {
  size_t bit = lane * bits;
  uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
  halves[bit / 64] |= (v & mask) << (bit % 64);
}
uint64_t get_lane(const uint64_t* halves, unsigned bits, size_t lane) {
  size_t bit = lane * bits;
  uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
  return (halves[bit / 64] >> (bit % 64)) & mask;
}

void parse_value(const json& v, std::vector<uint64_t>* out) {
  std::string type = v["type"];
  if (type == "v128") {
    uint64_t halves[2] = {0, 0};
    unsigned bits = lane_bits(v["lane_type"]);
    for (size_t i = 0; i < v["value"].size(); ++i) put_lane(halves, bits, i, std::stoull(v["value"][i].get<std::string>()));
    out->push_back(halves[0]);
    out->push_back(halves[1]);
    return;
  }
  std::string value = v.value("value", "0");
  if (type == "externref" || type == "funcref") return out->push_back(value == "null" ? 0 : std::stoull(value) + 1);
  out->push_back(std::stoull(value));
}

bool scalar_matches(const std::string& type, const std::string& value, uint64_t got) {
  if (type == "i8") return (got & 0xff) == (std::stoull(value) & 0xff);
  if (type == "i16") return (got & 0xffff) == (std::stoull(value) & 0xffff);
  if (type == "i32") return static_cast<uint32_t>(got) == static_cast<uint32_t>(std::stoull(value));
  if (type == "i64") return got == std::stoull(value);
  if (type == "f32") {
    uint32_t bits = static_cast<uint32_t>(got);
    if (value == "nan:canonical") return (bits & 0x7fffffffu) == 0x7fc00000u;
    if (value == "nan:arithmetic") return (bits & 0x7fc00000u) == 0x7fc00000u;
    return bits == static_cast<uint32_t>(std::stoull(value));
  }
  if (type == "f64") {
    if (value == "nan:canonical") return (got & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
    if (value == "nan:arithmetic") return (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
    return got == std::stoull(value);
  }
  return false;
}

// `got` points at the value's slots (two for a v128).
bool value_matches(const json& expected, const uint64_t* got) {
  std::string type = expected["type"];
  if (type == "v128") {
    std::string lane_type = expected["lane_type"];
    unsigned bits = lane_bits(lane_type);
    const json& lanes = expected["value"];
    if (lanes.size() != 128 / bits) return false;
    for (size_t i = 0; i < lanes.size(); ++i)
      if (!scalar_matches(lane_type, lanes[i].get<std::string>(), get_lane(got, bits, i))) return false;
    return true;
  }
  std::string value = expected.value("value", "");
  if (type == "externref") return value == "null" ? *got == 0 : *got == std::stoull(value) + 1;
  if (type == "funcref") return value == "null" ? *got == 0 : *got != 0;
  return scalar_matches(type, value, *got);
}

std::string describe_slots(const uint64_t* got, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (i ? ":" : "") + std::to_string(got[i]);
  return s;
}

bool FileRun::act(const json& action, std::vector<uint64_t>* results, wasixc_trap_code* trap,
                  std::string* error) {
  Instance* inst = instance_named(action, "module");
  if (!inst) {
    *error = "no such module";
    return false;
  }
  auto it = inst->exports.find(action["field"].get<std::string>());
  if (it == inst->exports.end()) {
    *error = "no export " + action["field"].get<std::string>();
    return false;
  }
  if (action["type"] == "get") {
    const uint64_t* cell = static_cast<uint64_t*>(it->second.object);
    results->assign(cell, cell + slots_of(it->second.type[0]));
    return true;
  }
  const wasixc_export_desc* desc = nullptr;
  for (uint32_t i = 0; i < inst->info->export_count; ++i) {
    const wasixc_export_desc& e = inst->info->exports[i];
    if (action["field"] == std::string(e.name, e.name_length)) desc = &e;
  }
  std::vector<uint64_t> args;
  for (const json& a : action["args"]) parse_value(a, &args);
  std::string sig = desc->type;
  size_t result_slots = 0;
  for (size_t i = sig.find(':') + 1; i < sig.size(); ++i) result_slots += slots_of(sig[i]);
  results->assign(result_slots, 0);
  sigjmp_buf point;
  if (sigsetjmp(point, 1) == 0) {
    set_trap_recovery(&point);
    desc->invoke(inst->memory, args.data(), results->data());
    set_trap_recovery(nullptr);
    return true;
  }
  *trap = last_trap();
  return false;
}

bool message_matches(const std::string& ours, const std::string& expected) {
  return ours.rfind(expected, 0) == 0 || expected.rfind(ours, 0) == 0;
}

void FileRun::command(const json& c) {
  std::string type = c["type"];
  if (type == "module") {
    try {
      const wasixc_module_info* info = load(c["filename"]);
      auto inst = std::make_unique<Instance>();
      std::string why = instantiate(info, inst.get());
      if (!why.empty()) return fail(c, "module did not instantiate: " + why);
      current_ = inst.get();
      if (c.contains("name")) named_[c["name"]] = current_;
      instances_.push_back(std::move(inst));
      ++passed;
    } catch (const aot::CompileError& e) {
      fail(c, "module did not compile: " + e.message);
    }
  } else if (type == "register") {
    Instance* inst = instance_named(c, "name");
    if (inst) registry_[c["as"]] = *inst;
  } else if (type == "action" || type == "assert_return") {
    std::vector<uint64_t> results;
    wasixc_trap_code trap = WASIXC_TRAP_NONE;
    std::string error;
    if (!act(c["action"], &results, &trap, &error))
      return fail(c, error.empty() ? std::string("unexpected trap: ") + trap_message(trap) : error);
    if (type == "assert_return") {
      const json& expected = c["expected"];
      size_t want_slots = 0;
      for (const json& e : expected) want_slots += e["type"] == "v128" ? 2 : 1;
      if (want_slots != results.size()) return fail(c, "wrong number of results");
      size_t at = 0;
      for (size_t i = 0; i < expected.size(); ++i) {
        size_t n = expected[i]["type"] == "v128" ? 2 : 1;
        if (!value_matches(expected[i], &results[at]))
          return fail(c, "result " + std::to_string(i) + " is " + describe_slots(&results[at], n) + ", expected " +
                             expected[i].dump());
        at += n;
      }
    }
    ++passed;
  } else if (type == "assert_exception") {
    // A wasm exception that leaves the exported function: the invoke
    // thunk turns it into this trap (aot/llvm/emit_exceptions.cc).
    std::vector<uint64_t> results;
    wasixc_trap_code trap = WASIXC_TRAP_NONE;
    std::string error;
    if (act(c["action"], &results, &trap, &error)) return fail(c, "expected an exception");
    if (!error.empty()) return fail(c, error);
    if (trap != WASIXC_TRAP_UNCAUGHT_EXCEPTION)
      return fail(c, std::string("trapped with '") + trap_message(trap) + "', expected an exception");
    ++passed;
  } else if (type == "assert_trap" || type == "assert_exhaustion") {
    std::vector<uint64_t> results;
    wasixc_trap_code trap = WASIXC_TRAP_NONE;
    std::string error;
    if (act(c["action"], &results, &trap, &error)) return fail(c, "expected a trap: " + c["text"].get<std::string>());
    if (!error.empty()) return fail(c, error);
    if (!message_matches(trap_message(trap), c["text"]))
      return fail(c, std::string("trapped with '") + trap_message(trap) + "', expected '" +
                         c["text"].get<std::string>() + "'");
    ++passed;
  } else if (type == "assert_invalid" || type == "assert_malformed") {
    if (c["module_type"] != "binary") return void(++skipped);  // text format: not our input
    try {
      aot::load_module(modules_dir_ + "/" + c["filename"].get<std::string>(), features_for(wast_));
      fail(c, "module loaded, expected: " + c["text"].get<std::string>());
    } catch (const aot::CompileError&) {
      ++passed;
    }
  } else if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
    try {
      const wasixc_module_info* info = load(c["filename"]);
      Instance inst;
      std::string why = instantiate(info, &inst);
      bool want_trap = type == "assert_uninstantiable";
      if (why.empty()) return fail(c, "instantiated, expected: " + c["text"].get<std::string>());
      if (want_trap != (why.rfind("trap: ", 0) == 0)) return fail(c, "failed the wrong way: " + why);
      ++passed;
    } catch (const aot::CompileError& e) {
      fail(c, "module did not compile: " + e.message);
    }
  } else {
    ++skipped;
  }
}

void FileRun::run() {
  dir_ = aot::make_temp_dir();
  if (getenv("SPEC_RUNNER_TRACE")) fprintf(stderr, "files in %s\n", dir_.c_str());
  registry_["spectest"] = make_spectest();
  modules_dir_ = dir_;
  {
    std::ofstream(dir_ + "/spectest.wat") << kSpectestFunctions;
    std::string why;
    if (aot::run_command({"/usr/bin/wat2wasm", dir_ + "/spectest.wat", "-o", dir_ + "/spectest.wasm"}, false,
                         &why) != 0) {
      failures.push_back({0, "wat2wasm failed on the spectest functions: " + why});
      ++failed;
      return;
    }
    Instance functions;
    why = instantiate(load("spectest.wasm"), &functions);
    if (!why.empty()) {
      failures.push_back({0, "the spectest functions did not instantiate: " + why});
      ++failed;
      return;
    }
    for (auto& [name, e] : functions.exports) registry_["spectest"].exports[name] = e;
  }
  std::string out, commands = dir_ + "/commands.json";
  if (wast_.size() > 5 && wast_.compare(wast_.size() - 5, 5, ".json") == 0) {
    // Commands already in wast2json's form, beside their modules: tests of
    // proposals wast2json cannot parse, written by a generator.
    commands = wast_;
    modules_dir_ = wast_.find('/') == std::string::npos ? "." : wast_.substr(0, wast_.find_last_of('/'));
  } else if (aot::run_command({"/usr/bin/wast2json", "--enable-all", wast_, "-o", commands}, false, &out) != 0) {
    failures.push_back({0, "wast2json failed: " + out});
    ++failed;
    return;
  }
  std::ifstream in(commands);
  json doc = json::parse(in);
  // SPEC_RUNNER_TRACE=1: each command's line before it runs (to find
  // the one that crashes a file).
  bool trace = getenv("SPEC_RUNNER_TRACE") != nullptr;
  for (const json& c : doc["commands"]) {
    if (trace) fprintf(stderr, "%s:%d: %s\n", wast_.c_str(), c.value("line", 0), c["type"].get<std::string>().c_str()), fflush(stderr);
    command(c);
  }
  if (trace) fprintf(stderr, "kept %s\n", dir_.c_str());
  else aot::remove_tree(dir_);
}

struct ChildResult {
  int passed = 0, failed = 0, skipped = 0;
  bool crashed = false;
};

// Runs one file in this (child) process, on a guarded stack; writes the
// report to stdout and the counts to `fd`.
void run_child(const std::string& wast, int fd) {
  struct Job {
    std::string wast;
    FileRun* run;
  };
  FileRun run(wast);
  Job job{wast, &run};
  run_on_guest_stack(
      [](void* p) -> void* {
        static_cast<Job*>(p)->run->run();
        return nullptr;
      },
      &job);
  std::string name = wast.substr(wast.find_last_of('/') + 1);
  std::string report = "  " + name + ": " + std::to_string(run.passed) + "/" +
                       std::to_string(run.passed + run.failed) + " passed";
  if (run.skipped) report += " (" + std::to_string(run.skipped) + " skipped: text-format)";
  report += "\n";
  int shown = 0;
  for (const Failure& f : run.failures)
    if (shown++ < 15) report += "      line " + std::to_string(f.line) + ": " + f.what.substr(0, 300) + "\n";
  fputs(report.c_str(), stdout);
  fflush(stdout);
  int counts[3] = {run.passed, run.failed, run.skipped};
  (void)!write(fd, counts, sizeof counts);
}

}  // namespace

const char kUsage[] =
    "usage: spec_runner [--jobs N] [-O N] FILE.wast|FILE.json...\n"
    "Runs WebAssembly spec-suite .wast files against wasixc's LLVM backend\n"
    "(wast2json must be on PATH), or commands in wast2json's JSON form beside\n"
    "their modules. Prints a line per file and the totals;\n"
    "exits 1 if a file fails, 2 on bad usage or when no file is given.\n"
    "The suite is expected in ../shared/spec-testsuite beside the checkout\n"
    "(the WebAssembly/testsuite repository); configure with\n"
    "-DWASIXC_SPEC_DIR=DIR to use another place.\n";

int main(int argc, char** argv) {
  int jobs = 2;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      fputs(kUsage, stdout);
      return 0;
    } else if (a == "--jobs" && i + 1 < argc) {
      jobs = atoi(argv[++i]);
      if (jobs < 1) jobs = 1;
    } else if (a.rfind("-O", 0) == 0 && a.size() == 3 && a[2] >= '0' && a[2] <= '3') {
      g_opt_level = a[2] - '0';
    } else if (a.rfind("-", 0) == 0) {
      fprintf(stderr, "spec_runner: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else if (access(a.c_str(), R_OK) != 0) {
      fprintf(stderr, "spec_runner: cannot read '%s': %s\n", a.c_str(), strerror(errno));
      return 2;
    } else {
      files.push_back(a);
    }
  }
  // No files means the suite is missing: that is a failure, never an
  // empty success.
  if (files.empty()) {
    fprintf(stderr, "spec_runner: no .wast files given\n%s", kUsage);
    return 2;
  }
  install_trap_handlers();
  int total_passed = 0, total_failed = 0, total_skipped = 0, files_failed = 0, files_expected = 0;
  std::map<pid_t, std::pair<std::string, int>> running;  // pid -> file, read end
  size_t next = 0;
  auto reap_one = [&] {
    int status;
    pid_t pid = wait(&status);
    auto [file, fd] = running[pid];
    running.erase(pid);
    int counts[3] = {0, 0, 0};
    bool ok = read(fd, counts, sizeof counts) == sizeof counts;
    close(fd);
    std::string name = file.substr(file.find_last_of('/') + 1);
    if (!ok) printf("  %s: CRASHED (status %d)\n", name.c_str(), status);
    total_passed += counts[0];
    total_failed += counts[1];
    total_skipped += counts[2];
    bool bad = !ok || counts[1] > 0;
    if (const char* reason = expected_failure_reason(name.c_str())) {
      if (bad) {
        ++files_expected;
        printf("      expected to fail: %s\n", reason);
      } else {
        printf("      listed as expected to fail (%s) but passed: remove it from the list\n", reason);
        ++files_failed;
      }
    } else if (bad) {
      ++files_failed;
    }
    fflush(stdout);
  };
  while (next < files.size() || !running.empty()) {
    while (next < files.size() && static_cast<int>(running.size()) < jobs) {
      int fds[2];
      if (pipe(fds) != 0) return 2;
      fflush(stdout);
      pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        alarm(kFileTimeoutSeconds);  // a hang fails the file, not the run
        run_child(files[next], fds[1]);
        _exit(0);
      }
      close(fds[1]);
      running[pid] = {files[next], fds[0]};
      ++next;
    }
    reap_one();
  }
  printf("spec total: %d of %d assertions passed in %zu files (%d skipped); %d files failed, %d failed as expected\n",
         total_passed, total_passed + total_failed, files.size(), total_skipped, files_failed, files_expected);
  printf("%d passed, %d failed\n", total_passed, total_failed);
  return files_failed ? 1 : 0;
}
