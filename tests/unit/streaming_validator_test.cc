// The streaming validator (aot/streaming_validator.h) decides exactly as
// reading into wabt's IR and validating that does (the path it replaces for
// modules read in slices): for every module of the spec suite, valid,
// invalid and malformed alike, with every feature and with wabt's defaults,
// the same verdict and, when both refuse for the same kind of reason, the
// same first message at the same byte offset.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aot/streaming_validator.h"
#include "tests/unit/spec_modules.h"
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/ir.h"
#include "wabt/validator.h"

namespace {

using wasixc::aot::StreamingValidation;

struct Verdict {
  StreamingValidation kind;
  std::string first_error;
};

std::string first_error(const wabt::Errors& errors) {
  for (const wabt::Error& e : errors)
    if (e.error_level == wabt::ErrorLevel::Error) return e.message + " @" + std::to_string(e.loc.offset);
  return "";
}

Verdict through_ir(const std::vector<uint8_t>& bytes, const wabt::Features& features) {
  wabt::Module module;
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/true, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/true);
  if (wabt::Failed(wabt::ReadBinaryIr("m.wasm", bytes.data(), bytes.size(), options, &errors, &module)))
    return {StreamingValidation::kMalformed, first_error(errors)};
  if (wabt::Failed(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(features))))
    return {StreamingValidation::kInvalid, first_error(errors)};
  return {StreamingValidation::kValid, ""};
}

Verdict streaming(const std::vector<uint8_t>& bytes, const wabt::Features& features) {
  wabt::Errors errors;
  StreamingValidation kind = wasixc::aot::validate_streaming(bytes, features, &errors);
  return {kind, kind == StreamingValidation::kValid ? "" : first_error(errors)};
}

const char* name(StreamingValidation v) {
  return v == StreamingValidation::kValid ? "valid" : v == StreamingValidation::kInvalid ? "invalid" : "malformed";
}

size_t offset_of(const std::string& first_error) {
  return std::stoul(first_error.substr(first_error.rfind('@') + 1));
}

TEST(StreamingValidator, DecidesAsTheIrValidatorOnEverySpecModule) {
  wabt::Features all;
  all.EnableAll();
  wabt::Features defaults;
  size_t modules = 0, kinds[3] = {0, 0, 0};
  size_t files = wasixc::test::for_each_spec_module(
      WASIXC_SPEC_DIR, [&](const std::string& wast, const std::string& path, const std::vector<uint8_t>& bytes) {
        ++modules;
        for (const wabt::Features* features : {&all, &defaults}) {
          Verdict want = through_ir(bytes, *features);
          Verdict got = streaming(bytes, *features);
          if (features == &all) ++kinds[static_cast<int>(want.kind)];
          std::string where = wast + " " + path + (features == &all ? " (all features)" : " (defaults)") +
                              ": IR: " + name(want.kind) + " " + want.first_error + "; streaming: " +
                              name(got.kind) + " " + got.first_error;
          if (want.kind == StreamingValidation::kValid) {
            // One difference, where wabt's IR validator is lax: it skips an
            // empty offset expression, which the spec's type rule refuses.
            if (got.kind != StreamingValidation::kValid &&
                got.first_error.find("type mismatch in initializer expression, expected [i32] but got []") == 0)
              continue;
            EXPECT_EQ(got.kind, StreamingValidation::kValid) << where;
          } else if (got.kind == want.kind) {
            EXPECT_EQ(got.first_error, want.first_error) << where;
          } else {
            // Both refuse, for different reasons: the IR path reads the
            // whole module before validating, the streaming pass stops at
            // the first problem in byte order, which is never later.
            ASSERT_NE(got.kind, StreamingValidation::kValid) << where;
            EXPECT_LE(offset_of(got.first_error), offset_of(want.first_error)) << where;
          }
        }
      });
  ASSERT_GT(files, 100u) << "no spec suite in " << WASIXC_SPEC_DIR;
  EXPECT_GT(modules, 1000u);
  // The suite exercises every verdict (with every feature enabled).
  EXPECT_GT(kinds[static_cast<int>(StreamingValidation::kValid)], 1000u);
  EXPECT_GT(kinds[static_cast<int>(StreamingValidation::kInvalid)], 500u);
  EXPECT_GT(kinds[static_cast<int>(StreamingValidation::kMalformed)], 100u);
}

// A data count section whose data section is missing (a fuzzed module
// crashed code generation this way: memory.init of a segment that does not
// exist): refused, as the binary format says, whether or not a body uses it.
TEST(StreamingValidator, DataCountWithoutItsDataSectionIsRefused) {
  const std::vector<uint8_t> header = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  std::vector<uint8_t> missing = header, matching = header;
  for (uint8_t b : {0x05, 0x03, 0x01, 0x00, 0x01}) missing.push_back(b);  // memory 1
  for (uint8_t b : {0x0c, 0x01, 0x01}) missing.push_back(b);              // data count 1
  matching = missing;
  // One passive segment of one byte: the count then holds.
  for (uint8_t b : {0x0b, 0x04, 0x01, 0x01, 0x01, 0x2a}) matching.push_back(b);
  wabt::Features all;
  all.EnableAll();
  Verdict refused = streaming(missing, all);
  EXPECT_NE(refused.kind, StreamingValidation::kValid);
  EXPECT_EQ(refused.first_error.rfind("data count and data section have inconsistent lengths", 0), 0u)
      << refused.first_error;
  EXPECT_EQ(streaming(matching, all).kind, StreamingValidation::kValid) << streaming(matching, all).first_error;
}

}  // namespace
