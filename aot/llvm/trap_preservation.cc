// Keeping out-of-bounds traps of unused loads.
//
// Memory accesses carry no bounds checks: an out-of-bounds access traps by
// faulting on the guard reservation. LLVM may delete a load whose value is
// never used, and with it the trap wasm requires (`(drop (i32.load ...))`
// must trap). So after a function is generated, every guest load whose
// value cannot reach an effect (a store to guest memory, a call, a return,
// a branch condition) becomes volatile. Loads whose values are used, the
// overwhelming majority in real code, stay plain and fully optimizable.
#include <unordered_set>
#include <vector>

#include "aot/llvm/function_codegen.h"
#include "llvm/IR/Instructions.h"

namespace wasixc::aot::llvmgen {

void preserve_load_traps(llvm::Function& fn, const std::vector<llvm::LoadInst*>& guest_loads) {
  std::unordered_set<const llvm::Value*> live;
  std::vector<const llvm::Instruction*> work;
  auto mark = [&](const llvm::Value* v) {
    if (auto* i = llvm::dyn_cast<llvm::Instruction>(v); i && live.insert(i).second) work.push_back(i);
  };
  // Roots: everything with an effect other than writing a local's alloca.
  for (const llvm::BasicBlock& bb : fn)
    for (const llvm::Instruction& i : bb) {
      if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&i)) {
        if (!llvm::isa<llvm::AllocaInst>(store->getPointerOperand())) mark(&i);
      } else if (i.isTerminator() || i.mayHaveSideEffects() || llvm::isa<llvm::CallBase>(i) ||
                 (llvm::isa<llvm::LoadInst>(i) && llvm::cast<llvm::LoadInst>(i).isVolatile())) {
        mark(&i);
      }
    }
  // Stores into each alloca, so a live load of a local makes them live.
  std::unordered_map<const llvm::Value*, std::vector<const llvm::StoreInst*>> stores_to;
  for (const llvm::BasicBlock& bb : fn)
    for (const llvm::Instruction& i : bb)
      if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&i))
        if (llvm::isa<llvm::AllocaInst>(store->getPointerOperand()))
          stores_to[store->getPointerOperand()].push_back(store);
  while (!work.empty()) {
    const llvm::Instruction* i = work.back();
    work.pop_back();
    for (const llvm::Value* op : i->operands()) mark(op);
    if (auto* load = llvm::dyn_cast<llvm::LoadInst>(i))
      if (llvm::isa<llvm::AllocaInst>(load->getPointerOperand()))
        for (const llvm::StoreInst* s : stores_to[load->getPointerOperand()]) mark(s);
  }
  for (llvm::LoadInst* load : guest_loads)
    if (!live.count(load)) load->setVolatile(true);
}

}  // namespace wasixc::aot::llvmgen
