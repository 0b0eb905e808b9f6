// The LLVM backend's driver: generate IR (codegen.h), optimise it with the
// new pass manager at the chosen level, and emit an object for the host
// with a portable CPU baseline (x86-64) unless --cpu says otherwise.
#include "aot/llvm/llvm_backend.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <thread>

#include "aot/compile_report.h"
#include "aot/diagnostics.h"
#include "aot/llvm/codegen.h"
#include "aot/llvm/pass_pipeline.h"
#include "aot/c_backend.h"
#include "aot/toolchain.h"
#include "aot/work_dir.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/IR/PassTimingInfo.h"
#include "llvm/Pass.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "wabt/cast.h"
#include "llvm/Support/CommandLine.h"
#include "wasixc/abi.h"

namespace wasixc::aot {
namespace {
void initialize_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // Developer knob for tuning experiments: WASIXC_LLVM_ARGS="-opt=value ..."
    // is passed to LLVM's option parser (as clang's -mllvm would).
    const char* argv[] = {"wasixc"};
    llvm::cl::ParseCommandLineOptions(1, argv, "", nullptr, "WASIXC_LLVM_ARGS");
  });
}

std::unique_ptr<llvm::TargetMachine> host_machine(const std::string& cpu, int opt_level) {
  initialize_llvm();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) fail("no LLVM target for %s: %s", triple.c_str(), error.c_str());
  std::string cpu_name = cpu;
  std::string features;
  if (cpu == "native") {
    cpu_name = llvm::sys::getHostCPUName().str();
    for (const auto& f : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") + std::string(f.second ? "+" : "-") + f.first().str();
  }
  llvm::TargetOptions options;
  // -O1, the fast tier: FastISel selects instructions (a block it cannot
  // handle falls back to SelectionDAG), a tenth of the SelectionDAG's time
  // on speedtest1; the greedy register allocator and the machine passes of
  // -O1 stay. -O0's code generator (the fast allocator) would take a fifth
  // of that time but spills every value live across blocks: code twice the
  // size and half the speed (aot/README.md, "Optimisation levels").
  options.EnableFastISel = opt_level == 1;
  auto level = opt_level == 0   ? llvm::CodeGenOptLevel::None
               : opt_level == 1 ? llvm::CodeGenOptLevel::Less
               : opt_level == 3 ? llvm::CodeGenOptLevel::Aggressive
                                : llvm::CodeGenOptLevel::Default;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu_name, features, options, llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm) fail("cannot create an LLVM target machine for CPU '%s'", cpu_name.c_str());
  return tm;
}

void write_object(llvm::Module& module, llvm::TargetMachine& tm, const std::string& path) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec) fail("cannot write %s: %s", path.c_str(), ec.message().c_str());
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile))
    fail("LLVM cannot emit an object file for this target");
  pm.run(module);
  // The code generator runs under the legacy pass manager, whose timers
  // report only when asked (WASIXC_LLVM_ARGS=-time-passes).
  if (llvm::TimePassesIsEnabled) llvm::reportAndResetTimings();
}

void write_ir(llvm::Module& module, const std::string& path) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec) fail("cannot write %s: %s", path.c_str(), ec.message().c_str());
  module.print(out, nullptr);
}

// wasixc_guest_module for an executable: points the runtime's main() at
// the module descriptor and carries the --dir/--env configuration.
void emit_executable_glue(llvm::Module& module, const CompileOptions& options) {
  llvm::LLVMContext& ctx = module.getContext();
  llvm::PointerType* ptr = llvm::PointerType::get(ctx, 0);
  llvm::Type* i32 = llvm::Type::getInt32Ty(ctx);
  auto str = [&](const std::string& s) -> llvm::Constant* {
    llvm::Constant* data = llvm::ConstantDataArray::getString(ctx, s, true);
    return new llvm::GlobalVariable(module, data->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                    data, ".str");
  };
  auto array = [&](llvm::Type* ty, const std::vector<llvm::Constant*>& items) -> llvm::Constant* {
    llvm::ArrayType* at = llvm::ArrayType::get(ty, items.size());
    return new llvm::GlobalVariable(module, at, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(at, items), "config");
  };
  std::vector<llvm::Constant*> env;
  for (const std::string& e : options.env) env.push_back(str(e));
  env.push_back(llvm::ConstantPointerNull::get(ptr));
  llvm::StructType* dir_ty = llvm::StructType::get(ctx, {ptr, ptr});
  std::vector<llvm::Constant*> dirs;
  for (const auto& [host, guest] : options.dirs)
    dirs.push_back(llvm::ConstantStruct::get(dir_ty, {str(host), str(guest)}));
  dirs.push_back(llvm::ConstantStruct::get(dir_ty, {llvm::ConstantPointerNull::get(ptr),
                                                    llvm::ConstantPointerNull::get(ptr)}));
  llvm::StructType* config_ty = llvm::StructType::get(ctx, {ptr, i32, ptr, i32, i32, ptr, i32});
  auto* config = new llvm::GlobalVariable(
      module, config_ty, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantStruct::get(config_ty, {array(ptr, env), llvm::ConstantInt::get(i32, options.env.size()),
                                            array(dir_ty, dirs), llvm::ConstantInt::get(i32, options.dirs.size()),
                                            llvm::ConstantInt::get(i32, options.allow_host_exec ? 1 : 0),
                                            str(recorded_driver_path()),
                                            llvm::ConstantInt::get(i32, options.net_policy)}),
      "config");
  llvm::GlobalVariable* stamp = module.getNamedGlobal("wasixc_runtime_abi_v" + std::to_string(WASIXC_ABI_VERSION));
  llvm::Constant* null = llvm::ConstantPointerNull::get(ptr);
  llvm::StructType* module_ty = llvm::StructType::get(ctx, {ptr, ptr, ptr, ptr, ptr, ptr, ptr});
  new llvm::GlobalVariable(
      module, module_ty, true, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantStruct::get(module_ty, {stamp, str(options.input), str("llvm"), null, null, config,
                                            module.getNamedGlobal("wasixc_guest_info")}),
      "wasixc_guest_module");
}

}  // namespace

wabt::Features llvm_backend_features() {
  return wasixc_features();
}

void require_llvm_features(const LoadedModule& m) {
  // The binary reader alone, no second IR: cheap even for a large module.
  if (reads_with(m.bytes, llvm_backend_features()) || !reads_with(m.bytes, wasixc_features())) return;
  std::vector<std::string> needed = reader_features_beyond(m, wasixc_features(), llvm_backend_features());
  if (!needed.empty())
    fail("%s: the module uses %s, which the llvm backend does not support yet", m.path.c_str(),
         join(needed).c_str());
}

namespace {

// Generates, optimises and hands the module to `write` (object or IR).
void compile_module(const LoadedModule& m, const ImportPlan& imports, const llvmgen::CodegenOptions& codegen,
                    const std::string& info_symbol, int opt_level, const std::string& cpu,
                    const std::function<void(llvm::Module&)>& extend,
                    const std::function<void(llvm::Module&, llvm::TargetMachine&)>& write) {
  // Once: it re-reads the module (a slice's bytes are not kept; the whole
  // module's were checked before it was sliced).
  if (codegen.main_partition && !m.bytes.empty()) require_llvm_features(m);
  llvm::LLVMContext ctx;
  std::optional<CompileReport::Scope> phase(std::in_place, compile_report(), Phase::kIrBuild);
  llvmgen::ModuleCodegen mc(m, imports, codegen, ctx);
  std::unique_ptr<llvm::Module> module = mc.generate(info_symbol);
  if (extend) extend(*module);
  std::unique_ptr<llvm::TargetMachine> tm = host_machine(cpu, opt_level);
  module->setDataLayout(tm->createDataLayout());
  module->setTargetTriple(tm->getTargetTriple().str());
  phase.emplace(compile_report(), Phase::kOptimise);
  llvmgen::optimize(*module, *tm, opt_level);
  phase.emplace(compile_report(), Phase::kCodegen);
  write(*module, *tm);
}

}  // namespace

void compile_to_object(const LoadedModule& m, const ImportPlan& imports,
                       const llvmgen::CodegenOptions& codegen, const std::string& info_symbol,
                       int opt_level, const std::string& cpu, const std::string& object_path,
                       const std::function<void(llvm::Module&)>& extend) {
  compile_module(m, imports, codegen, info_symbol, opt_level, cpu, extend,
                 [&](llvm::Module& module, llvm::TargetMachine& tm) { write_object(module, tm, object_path); });
}

namespace {

// Partitions (codegen units). A module of a few hundred functions or
// fewer compiles as one LLVM module (best code: LLVM sees every call);
// a larger one is split into runs of consecutive functions (wasm-ld keeps
// a translation unit's functions together, so most calls stay inside a
// run) of about `target` instructions, chosen from the module alone, never
// from the number of workers, so the output is the same for any -j. The
// target gives about kPartitionsWanted partitions, within [kMinPartition,
// kMaxPartition]: the upper bound bounds each worker's LLVM IR, so peak
// memory grows with the partition size and the worker count, not the
// module. Equal instruction counts are not equal work (an interpreter's
// dispatch loop costs LLVM far more per instruction), so there are three
// times as many partitions as 8 workers need: the workers then finish
// together. speedtest1 -O2 on 2 cores, 24 partitions against 8: 10-15%
// less wall time, the same code (cachegrind: 799.9M instructions both).
constexpr size_t kMinFunctionsToSplit = 300;
constexpr size_t kPartitionsWanted = 24;
constexpr size_t kMinPartition = 10'000;
constexpr size_t kMaxPartition = 150'000;

struct Partition {
  uint32_t first, end;
};

std::vector<Partition> partition_functions(const wabt::Module& m, const llvmgen::BodyFacts& facts,
                                          size_t requested_target) {
  size_t total = 0;
  std::vector<size_t> sizes(m.funcs.size(), 0);
  for (uint32_t i = m.num_func_imports; i < m.funcs.size(); ++i) total += sizes[i] = facts.instructions(i);
  size_t defined = m.funcs.size() - m.num_func_imports;
  size_t target = requested_target ? requested_target
                                   : std::clamp(total / kPartitionsWanted, kMinPartition, kMaxPartition);
  // An explicit --partition-size splits whatever the function count.
  if (total <= 2 * target || (!requested_target && defined <= kMinFunctionsToSplit))
    return {{0, static_cast<uint32_t>(m.funcs.size())}};
  std::vector<Partition> parts;
  uint32_t start = 0;
  size_t acc = 0;
  for (uint32_t i = 0; i < m.funcs.size(); ++i) {
    acc += sizes[i];
    if (acc >= target) {
      parts.push_back({start, i + 1});
      start = i + 1;
      acc = 0;
    }
  }
  if (start < m.funcs.size() || parts.empty()) parts.push_back({start, static_cast<uint32_t>(m.funcs.size())});
  return parts;
}

// The cores this process may run on (its affinity mask, as nproc).
unsigned available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

std::vector<std::string> compile_with_llvm_backend(LoadedModule& m, const ImportPlan& imports,
                                                   const CompileOptions& options,
                                                   const std::string& work_dir,
                                                   std::shared_ptr<const llvmgen::BodyFacts> facts) {
  llvmgen::CodegenOptions codegen;
  codegen.safepoints = options.safepoints;
  codegen.interruptible = options.interrupts;
  codegen.fixed_memory_base = options.fixed_memory;
  codegen.module_name = m.path;
  if (options.emit == "ll") {
    compile_module(m, imports, codegen, "wasixc_guest_info", options.opt_level, options.cpu,
                   [&](llvm::Module& module) { emit_executable_glue(module, options); },
                   [&](llvm::Module& module, llvm::TargetMachine&) { write_ir(module, options.output); });
    return {};
  }

  // Gathered once for every partition (slice by slice when the module was
  // read so).
  if (!facts) facts = std::make_shared<const llvmgen::BodyFacts>(llvmgen::BodyFacts::of(*m.module));
  codegen.facts = facts;
  std::vector<Partition> parts = partition_functions(*m.module, *facts, options.partition_size);
  // Every partition inlines the checkpoint helpers it calls: their bodies
  // are in every slice.
  std::vector<bool> helpers = llvmgen::plan_checkpoints(*m.module, imports, *facts).helper;
  // Only the main partition's slice holds the data segments' bytes.
  if (m.slicer && m.slicer->can_leave_data_out()) {
    auto sizes = std::make_shared<std::vector<uint64_t>>();
    for (size_t i = 0; i < m.slicer->num_data_segments(); ++i) sizes->push_back(m.slicer->data_size(i));
    codegen.data_sizes = sizes;
  }
  // The main partition emits the export table, whose host callbacks skip
  // wasm-ld's command-export wrappers (command_exports.h): it reads the
  // exported functions' bodies (the wrappers) wherever they are compiled.
  std::vector<bool> exported(m.module->funcs.size(), false);
  for (const wabt::Export* e : m.module->exports)
    if (e->kind == wabt::ExternalKind::Func) {
      uint32_t f = m.module->GetFuncIndex(e->var);
      if (f < exported.size()) exported[f] = true;
    }
  // Each partition reads a slice of its own, which declares every
  // function too: the module's copy is not needed any more.
  if (m.slicer) m.module.reset();
  std::vector<std::string> objects(parts.size());
  std::atomic<size_t> next{0};
  std::mutex error_lock;
  std::optional<CompileError> error;
  auto worker = [&] {
    for (size_t p; (p = next++) < parts.size();) {
      try {
        llvmgen::CodegenOptions part = codegen;
        part.partitioned = parts.size() > 1;
        part.first_function = parts[p].first;
        part.end_function = parts[p].end;
        part.main_partition = p == 0;
        objects[p] = work_dir + "/guest" + (p ? "." + std::to_string(p) : "") + ".o";
        auto glue = [&](llvm::Module& module) {
          if (p != 0) return;
          emit_executable_glue(module, options);
          if (options.save_temps) write_ir(module, work_dir + "/guest.ll");  // before optimisation
        };
        if (m.slicer) {
          // This partition's bodies only: the IR held grows with the
          // partition, not the module.
          LoadedModule slice;
          slice.path = m.path;
          slice.intrinsics = m.intrinsics;  // appended by the lowering pass
          {
            CompileReport::Scope read(compile_report(), Phase::kRead);
            slice.module = read_slice(m, wasixc_features(), [&](uint32_t f) {
              return (f >= parts[p].first && f < parts[p].end) || helpers[f] || (p == 0 && exported[f]);
            }, /*with_data=*/p == 0);
          }
          compile_to_object(slice, imports, part, "wasixc_guest_info", options.opt_level, options.cpu, objects[p],
                            glue);
        } else {
          compile_to_object(m, imports, part, "wasixc_guest_info", options.opt_level, options.cpu, objects[p], glue);
        }
        compile_report().partition_done();
      } catch (const CompileError& e) {
        std::lock_guard<std::mutex> guard(error_lock);
        if (!error) error = e;
        next = parts.size();
      } catch (const std::bad_alloc&) {
        // Escaping a thread would terminate the compiler.
        std::lock_guard<std::mutex> guard(error_lock);
        if (!error) error = CompileError{m.path + ": out of memory compiling this module"};
        next = parts.size();
      }
    }
  };
  unsigned jobs = options.jobs ? options.jobs : available_cores();
  unsigned workers = std::min<unsigned>(parts.size(), jobs);
  compile_report().set_partitions(parts.size(), workers);
  if (options.verbose && parts.size() > 1)
    fprintf(stderr, "wasixc: compiling %zu partitions on %u threads\n", parts.size(), workers);
  // Workers recurse over wabt's IR like the main compiler thread: same stack.
  std::vector<std::unique_ptr<CompilerThread>> threads;
  for (unsigned i = 1; i < workers; ++i) threads.push_back(std::make_unique<CompilerThread>(worker));
  worker();
  for (auto& t : threads) t->join();
  if (error) throw *error;
  return objects;
}

}  // namespace wasixc::aot
