// The lowering pass (aot/lowering/): modules that need nothing pass through
// untouched, wide arithmetic becomes calls of appended intrinsics without
// moving any index, and the decoder takes apart every module of the spec
// suite that wabt reads.
#include <dirent.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aot/diagnostics.h"
#include "aot/lowering/lowering.h"
#include "aot/module_loader.h"
#include "aot/toolchain.h"
#include "aot/work_dir.h"
#include "tests/unit/spec_modules.h"
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/cast.h"
#include "wabt/ir.h"
#include "wabt/validator.h"

namespace {

using wasixc::aot::lowering::first_decode_error;
using wasixc::aot::lowering::Intrinsic;
using wasixc::aot::lowering::lower_module;
using Bytes = std::vector<uint8_t>;

void uleb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
}
void section(Bytes& out, uint8_t id, const Bytes& payload) {
  out.push_back(id);
  uleb(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

// A module of function type 0 = `type` (encoded), functions with `bodies`
// (instructions, `end` added), exporting function i as "f<i>", and a name
// section naming function 0.
Bytes module_with(const Bytes& type, const std::vector<Bytes>& bodies) {
  Bytes m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  Bytes types = {1};
  types.insert(types.end(), type.begin(), type.end());
  section(m, 1, types);
  Bytes funcs;
  uleb(funcs, bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) funcs.push_back(0);
  section(m, 3, funcs);
  Bytes exports;
  uleb(exports, bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) {
    std::string name = "f" + std::to_string(i);
    uleb(exports, name.size());
    exports.insert(exports.end(), name.begin(), name.end());
    exports.push_back(0);
    uleb(exports, i);
  }
  section(m, 7, exports);
  Bytes code;
  uleb(code, bodies.size());
  for (const Bytes& b : bodies) {
    Bytes body = {0};  // no locals
    body.insert(body.end(), b.begin(), b.end());
    body.push_back(0x0b);
    uleb(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  section(m, 10, code);
  Bytes names = {4, 'n', 'a', 'm', 'e', 1};
  Bytes map = {1, 0, 5, 'f', 'i', 'r', 's', 't'};
  uleb(names, map.size());
  names.insert(names.end(), map.begin(), map.end());
  section(m, 0, names);
  return m;
}

const Bytes kType4to2 = {0x60, 4, 0x7e, 0x7e, 0x7e, 0x7e, 2, 0x7e, 0x7e};
const Bytes kArgs4 = {0x20, 0, 0x20, 1, 0x20, 2, 0x20, 3};

std::unique_ptr<wabt::Module> read_valid(const Bytes& bytes, std::string* why) {
  auto m = std::make_unique<wabt::Module>();
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(wasixc::aot::wasixc_features(), nullptr, true, true, true);
  bool ok = wabt::Succeeded(wabt::ReadBinaryIr("t.wasm", bytes.data(), bytes.size(), options, &errors, m.get())) &&
            wabt::Succeeded(wabt::ValidateModule(m.get(), &errors, wabt::ValidateOptions(wasixc::aot::wasixc_features())));
  if (!ok) *why = errors.empty() ? "?" : errors[0].message;
  return ok ? std::move(m) : nullptr;
}

TEST(Lowering, ModuleWithoutWideArithmeticPassesThroughUntouched) {
  // (Every module of the spec suite is another case: see below.)
  Bytes m = module_with({0x60, 2, 0x7e, 0x7e, 1, 0x7e}, {{0x20, 0, 0x20, 1, 0x7c}});
  auto lowered = lower_module("t.wasm", m);
  EXPECT_FALSE(lowered.rewritten());
  EXPECT_TRUE(lowered.bytes.empty());  // nothing copied
  EXPECT_TRUE(lowered.intrinsics.empty());
}

TEST(Lowering, WideArithmeticBecomesCallsOfAppendedIntrinsics) {
  Bytes add = kArgs4, sub = kArgs4, add_again = kArgs4;
  add.insert(add.end(), {0xfc, 19});
  sub.insert(sub.end(), {0xfc, 20});
  add_again.insert(add_again.end(), {0xfc, 19});
  Bytes calls_first = kArgs4;
  calls_first.insert(calls_first.end(), {0x10, 0});  // call 0: must stay function 0
  Bytes original = module_with(kType4to2, {add, sub, add_again, calls_first});
  auto lowered = lower_module("t.wasm", original);
  ASSERT_TRUE(lowered.rewritten());
  ASSERT_EQ(lowered.features, std::vector<std::string>{"wide arithmetic"});
  // One appended function per intrinsic used, after the module's own four.
  ASSERT_EQ(lowered.intrinsics.size(), 2u);
  EXPECT_EQ(lowered.intrinsics[0].func_index, 4u);
  EXPECT_EQ(lowered.intrinsics[0].kind, Intrinsic::kI64Add128);
  EXPECT_EQ(lowered.intrinsics[1].func_index, 5u);
  EXPECT_EQ(lowered.intrinsics[1].kind, Intrinsic::kI64Sub128);
  EXPECT_EQ(wasixc::aot::lowering::find_intrinsic(lowered.intrinsics, 5), Intrinsic::kI64Sub128);
  EXPECT_FALSE(wasixc::aot::lowering::find_intrinsic(lowered.intrinsics, 3).has_value());
  std::string why;
  std::unique_ptr<wabt::Module> m = read_valid(lowered.bytes, &why);
  ASSERT_TRUE(m) << why;
  ASSERT_EQ(m->funcs.size(), 6u);
  // Exports, names and calls of the original functions are where they were.
  ASSERT_EQ(m->exports.size(), 4u);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(m->GetFuncIndex(m->exports[i]->var), i);
  EXPECT_EQ(m->funcs[0]->name, "$first");
  const wabt::Expr& call = m->funcs[3]->exprs.back();
  ASSERT_EQ(call.type(), wabt::ExprType::Call);
  EXPECT_EQ(m->GetFuncIndex(wabt::cast<wabt::CallExpr>(&call)->var), 0u);
  const wabt::Expr& lowered_add = m->funcs[2]->exprs.back();
  ASSERT_EQ(lowered_add.type(), wabt::ExprType::Call);
  EXPECT_EQ(m->GetFuncIndex(wabt::cast<wabt::CallExpr>(&lowered_add)->var), 4u);
  // The appended functions have the instructions' types.
  EXPECT_EQ(m->funcs[4]->GetNumParams(), 4u);
  EXPECT_EQ(m->funcs[4]->GetNumResults(), 2u);
}

TEST(Lowering, MalformedAfterAWideInstructionIsAClearError) {
  Bytes body = {0x20, 0, 0x20, 1, 0xfc, 22, 0xfc, 0x80};  // a truncated LEB opcode
  Bytes m = module_with({0x60, 2, 0x7e, 0x7e, 2, 0x7e, 0x7e}, {body});
  try {
    lower_module("t.wasm", m);
    FAIL() << "lowered a malformed module";
  } catch (const wasixc::aot::CompileError& e) {
    EXPECT_NE(e.message.find("t.wasm: malformed module: "), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("(at byte offset 0x"), std::string::npos) << e.message;
  }
  // Malformed before anything to lower: passed through for wabt to report.
  Bytes early = {0xfc, 0x80};
  EXPECT_FALSE(lower_module("t.wasm", module_with({0x60, 0, 0}, {early})).rewritten());
}

TEST(Lowering, HostileCountsAreErrorsNotAllocations) {
  // A br_table of 2^32-1 targets in a few bytes, after a wide instruction.
  Bytes body = {0x20, 0, 0x20, 1, 0xfc, 21, 0x1a, 0x1a, 0x41, 0, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f};
  try {
    lower_module("t.wasm", module_with({0x60, 2, 0x7e, 0x7e, 0}, {body}));
    FAIL() << "accepted";
  } catch (const wasixc::aot::CompileError& e) {
    EXPECT_NE(e.message.find("unexpected end"), std::string::npos) << e.message;
  }
}

// A module of types [] -> [i32] (0) and [i32] -> [] (1), a tag of type 1,
// and one function of type 0 with `locals` (encoded groups) and `body`.
Bytes module_with_tag(const Bytes& locals, const Bytes& body) {
  Bytes m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  section(m, 1, {2, 0x60, 0, 1, 0x7f, 0x60, 1, 0x7f, 0});
  section(m, 3, {1, 0});
  section(m, 13, {1, 0, 1});
  Bytes code = locals;
  code.insert(code.end(), body.begin(), body.end());
  code.push_back(0x0b);
  Bytes entries = {1};
  uleb(entries, code.size());
  entries.insert(entries.end(), code.begin(), code.end());
  section(m, 10, entries);
  return m;
}

// The code section's only body (locals and instructions) of `m`.
Bytes only_body(const Bytes& m) {
  size_t at = 8;
  while (at < m.size()) {
    uint8_t id = m[at++];
    uint64_t size = 0;
    for (unsigned shift = 0;; shift += 7) {
      uint8_t b = m[at++];
      size |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (id == 10) {
      size_t p = at + 1;  // one body
      uint64_t body_size = 0;
      for (unsigned shift = 0;; shift += 7) {
        uint8_t b = m[p++];
        body_size |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
      }
      return Bytes(m.begin() + p, m.begin() + p + body_size);
    }
    at += size;
  }
  return {};
}

TEST(Lowering, TryTableBecomesALegacyTryWithBranchesOneDeeper) {
  Bytes body = {
      0x02, 0x7f,                    // block (result i32)        label 1 seen from the try_table
      0x02, 0x40,                    //   block                   label 0
      0x1f, 0x40, 1, 0, 0, 1,        //     try_table (catch tag 0 -> label 1)
      0x41, 5, 0x08, 0,              //       i32.const 5  throw 0
      0x0c, 0,                       //       br 0 (the try_table itself)
      0x0b,                          //     end
      0x0b,                          //   end
      0x41, 0,                       //   i32.const 0
      0x0b};                         // end
  auto lowered = lower_module("t.wasm", module_with_tag({0}, body));
  ASSERT_TRUE(lowered.rewritten());
  EXPECT_EQ(lowered.features, std::vector<std::string>{"exnref exceptions"});
  EXPECT_TRUE(lowered.intrinsics.empty());  // a plain catch needs no exnref
  // The try takes the try_table's label (br 0 inside is unchanged); the
  // clause's branch sits inside the try: label 1 becomes br 2.
  Bytes want = {0, 0x02, 0x7f, 0x02, 0x40, 0x06, 0x40, 0x41, 5, 0x08, 0, 0x0c, 0,
                0x07, 0, 0x0c, 2, 0x0b, 0x0b, 0x41, 0, 0x0b, 0x0b};
  EXPECT_EQ(only_body(lowered.bytes), want);
  std::string why;
  EXPECT_TRUE(read_valid(lowered.bytes, &why)) << why;
}

TEST(Lowering, ExnrefBecomesExternrefWithCatchRefAndThrowRefIntrinsics) {
  Bytes locals = {1, 1, 0x69};     // (local exnref)
  Bytes body = {
      0x02, 0x69,                    // block (result exnref)
      0x1f, 0x40, 1, 3, 0,           //   try_table (catch_all_ref -> label 0)
      0x41, 5, 0x08, 0,              //     i32.const 5  throw 0
      0x0b,                          //   end
      0x00,                          //   unreachable
      0x0b,                          // end
      0x21, 0,                       // local.set 0
      0x20, 0, 0x0a,                 // local.get 0  throw_ref
      0xd0, 0x69, 0x0a};             // ref.null exn  throw_ref
  auto lowered = lower_module("t.wasm", module_with_tag(locals, body));
  ASSERT_TRUE(lowered.rewritten());
  ASSERT_EQ(lowered.intrinsics.size(), 2u);
  EXPECT_EQ(lowered.intrinsics[0].kind, Intrinsic::kExnCurrent);
  EXPECT_EQ(lowered.intrinsics[1].kind, Intrinsic::kThrowRef);
  uint8_t current = lowered.intrinsics[0].func_index, throw_ref = lowered.intrinsics[1].func_index;
  Bytes want = {1, 1, 0x6f,                                   // the local is an externref
                0x02, 0x6f, 0x06, 0x40, 0x41, 5, 0x08, 0,
                0x19, 0x10, current, 0x0c, 1, 0x0b,          // catch_all  call exn.current  br 1
                0x00, 0x0b, 0x21, 0, 0x20, 0,
                0x10, throw_ref, 0x00,                       // call throw_ref  unreachable
                0xd0, 0x6f, 0x10, throw_ref, 0x00, 0x0b};
  EXPECT_EQ(only_body(lowered.bytes), want);
  std::string why;
  EXPECT_TRUE(read_valid(lowered.bytes, &why)) << why;
}

TEST(Lowering, CatchClauseArityMismatchIsAClearError) {
  // catch_ref of tag 0 (an i32, then the exnref) to a label taking one value.
  Bytes body = {0x02, 0x7f, 0x1f, 0x40, 1, 1, 0, 0, 0x0b, 0x41, 0, 0x0b};
  try {
    lower_module("t.wasm", module_with_tag({0}, body));
    FAIL() << "lowered a try_table whose clause does not fit its label";
  } catch (const wasixc::aot::CompileError& e) {
    EXPECT_NE(e.message.find("t.wasm: malformed module: try_table catch clause: a payload of 2 values for label 0, "
                             "which takes 1"),
              std::string::npos)
        << e.message;
  }
}

// exnref becomes externref, so a module that also names externref could
// pass an externref where an exnref is due (throw_ref of a host reference:
// invalid, and it would be accepted after the rewrite): refused by name.
TEST(Lowering, ExnrefTogetherWithExternrefIsRefusedByName) {
  Bytes locals = {1, 1, 0x6f};       // (local externref)
  Bytes body = {0x20, 0, 0x0a,       // local.get 0  throw_ref
                0x0b};
  try {
    lower_module("t.wasm", module_with_tag(locals, body));
    FAIL() << "lowered throw_ref in a module that names externref";
  } catch (const wasixc::aot::CompileError& e) {
    EXPECT_NE(e.message.find("t.wasm: the module uses exnref exceptions together with externref, which wasixc "
                             "does not support yet"),
              std::string::npos)
        << e.message;
  }
  // The same module without exnref constructs is no business of the
  // lowering: passed through untouched.
  EXPECT_FALSE(lower_module("t.wasm", module_with_tag(locals, {0x20, 0, 0x1a, 0x0b})).rewritten());
}

// The decoder is complete: every binary module of the spec suite (and its
// proposals) that wabt reads with every feature decodes, and passes through
// the lowering untouched.
TEST(Lowering, DecoderTakesApartEverySpecModuleWabtReads) {
  size_t modules = 0;
  size_t files = wasixc::test::for_each_spec_module(
      WASIXC_SPEC_DIR, [&](const std::string& wast, const std::string& path, const Bytes& bytes) {
        wabt::Features all;
        all.EnableAll();
        if (!wasixc::aot::reads_with(bytes, all)) return;
        ++modules;
        EXPECT_EQ(first_decode_error(bytes), "") << wast << ": " << path;
        EXPECT_FALSE(lower_module(path, bytes).rewritten()) << wast;
      });
  ASSERT_GT(files, 100u) << "no spec suite in " << WASIXC_SPEC_DIR;
  EXPECT_GT(modules, 1000u);
}

}  // namespace

namespace {

std::string write_temp(const std::string& dir, const char* name, const Bytes& bytes) {
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return path;
}

// What the compiler sees: load_module keeps a module without wide
// arithmetic byte for byte (nothing lowered, no intrinsics), and for one
// with it, the rewritten module and the side table.
TEST(Lowering, LoadModuleKeepsUntouchedBytesAndCarriesTheSideTable) {
  std::string dir = wasixc::aot::make_temp_dir();
  Bytes plain = module_with({0x60, 2, 0x7e, 0x7e, 1, 0x7e}, {{0x20, 0, 0x20, 1, 0x7c}});
  wasixc::aot::LoadedModule m = wasixc::aot::load_module(write_temp(dir, "plain.wasm", plain));
  EXPECT_EQ(m.bytes, plain);
  EXPECT_TRUE(m.intrinsics.empty());
  EXPECT_TRUE(m.lowered_features.empty());
  Bytes wide_body = kArgs4;
  wide_body.insert(wide_body.end(), {0xfc, 20});
  Bytes wide = module_with(kType4to2, {wide_body});
  wasixc::aot::LoadedModule w = wasixc::aot::load_module(write_temp(dir, "wide.wasm", wide));
  EXPECT_NE(w.bytes, wide);
  ASSERT_EQ(w.intrinsics.size(), 1u);
  EXPECT_EQ(w.intrinsics[0].func_index, 1u);
  EXPECT_EQ(w.module->funcs.size(), 2u);
  EXPECT_EQ(w.lowered_features, std::vector<std::string>{"wide arithmetic"});
  wasixc::aot::remove_tree(dir);
}

}  // namespace
