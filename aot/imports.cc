#include "imports.h"

#include <algorithm>

#include "diagnostics.h"
#include "wabt/cast.h"

namespace wasixc::aot {
namespace {

std::string wat_signature(const std::string& params, const std::string& results) {
  auto names = [](const std::string& letters) {
    std::string out;
    for (char c : letters) {
      if (!out.empty()) out += ' ';
      out += c == 'i' ? "i32" : c == 'I' ? "i64" : c == 'f' ? "f32" : c == 'F' ? "f64" : "ref";
    }
    return out;
  };
  std::string sig = "(func";
  if (!params.empty()) sig += " (param " + names(params) + ")";
  if (!results.empty()) sig += " (result " + names(results) + ")";
  return sig + ")";
}

}  // namespace

bool built_by_wasix_libc(const wabt::Module& module) {
  bool signal_callback = false, wasixc_guest_library = false;
  for (const wabt::Export* e : module.exports) {
    if (e->kind != wabt::ExternalKind::Func) continue;
    if (e->name == "__wasm_signal") {
      // wasix-libc's is void(int): anything else is not its callback.
      const wabt::Func* f = module.GetFunc(e->var);
      signal_callback = f && type_letters(f->decl.sig.param_types) == "i" &&
                        f->decl.sig.result_types.empty();
    }
    if (e->name == "__wasixc_signal_disposition") wasixc_guest_library = true;
  }
  return signal_callback && !wasixc_guest_library;
}

std::string type_letters(const std::vector<wabt::Type>& types) {
  std::string letters;
  for (const wabt::Type& t : types) {
    switch (t) {
      case wabt::Type::I32: letters += 'i'; break;
      case wabt::Type::I64: letters += 'I'; break;
      case wabt::Type::F32: letters += 'f'; break;
      case wabt::Type::F64: letters += 'F'; break;
      case wabt::Type::V128: letters += 'v'; break;
      default: letters += 'r'; break;
    }
  }
  return letters;
}

ImportPlan resolve_imports(const LoadedModule& m, bool allow_missing, bool embedder) {
  ImportPlan plan;
  ImportContext context;
  context.wasix_libc = built_by_wasix_libc(*m.module);
  std::vector<std::string> missing, problems;
  for (const wabt::Import* imp : m.module->imports) {
    if (std::find(plan.modules.begin(), plan.modules.end(), imp->module_name) ==
        plan.modules.end())
      plan.modules.push_back(imp->module_name);
    std::string where = imp->module_name + "." + imp->field_name;
    switch (imp->kind()) {
      case wabt::ExternalKind::Func: {
        const auto* fi = wabt::cast<wabt::FuncImport>(imp);
        FunctionImport f{imp->module_name, imp->field_name,
                         type_letters(fi->func.decl.sig.param_types),
                         type_letters(fi->func.decl.sig.result_types), nullptr};
        std::vector<const SyscallInfo*> candidates = syscall_overloads(f.module, f.name);
        f.syscall = select_syscall(f.module, f.name, f.params, f.results, context);
        if (candidates.empty() && embedder) {
          // bound by the embedder
        } else if (candidates.empty()) {
          missing.push_back("  " + where + " " + wat_signature(f.params, f.results));
        } else if (!f.syscall) {
          // Every signature wasixc has for this name, so the message says
          // which ABI version the module was built against.
          std::string provided;
          for (const SyscallInfo* s : candidates) {
            std::string sig = wat_signature(syscall_param_letters(*s), syscall_result_letters(*s));
            if (provided.find(sig) == std::string::npos) provided += (provided.empty() ? "" : " or ") + sig;
          }
          problems.push_back(format("import %s has type %s, but wasixc provides %s", where.c_str(),
                                    wat_signature(f.params, f.results).c_str(), provided.c_str()));
        }
        plan.functions.push_back(std::move(f));
        break;
      }
      case wabt::ExternalKind::Memory: {
        const auto* mi = wabt::cast<wabt::MemoryImport>(imp);
        const wabt::Limits& lim = mi->memory.page_limits;
        if (lim.is_64 && !embedder) {
          problems.push_back("import " + where + " is a 64-bit memory (memory64 is not supported)");
          break;
        }
        plan.imports_memory = true;
        plan.memory_module = imp->module_name;
        plan.memory_name = imp->field_name;
        plan.memory_initial_pages = lim.initial;
        plan.memory_max_pages = lim.has_max ? lim.max : 65536;
        plan.memory_shared = lim.is_shared;
        break;
      }
      case wabt::ExternalKind::Table:
        if (embedder) break;
        problems.push_back("import " + where + " is a table; wasixc provides no tables");
        break;
      case wabt::ExternalKind::Global:
        if (embedder) break;
        problems.push_back("import " + where + " is a global; wasixc provides no globals");
        break;
      case wabt::ExternalKind::Tag:
        if (embedder) break;
        problems.push_back("import " + where + " is an exception tag; wasixc provides none");
        break;
    }
  }
  // One diagnostic that names every problem at once.
  if (!problems.empty() || (!missing.empty() && !allow_missing)) {
    std::string msg = m.path + ": ";
    for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "\n  " : "") + problems[i];
    if (!missing.empty() && !allow_missing) {
      if (!problems.empty()) msg += "\n";
      msg += format("%zu import%s not provided by wasixc:\n", missing.size(),
                    missing.size() == 1 ? " is" : "s are");
      for (const std::string& line : missing) msg += line + "\n";
      msg += "(--allow-missing-imports compiles them into traps that name the import when called)";
    }
    fail("%s", msg.c_str());
  }
  return plan;
}

}  // namespace wasixc::aot
