// Copies of a module in which only chosen function bodies are real, so a
// large module can be read into libwabt's IR a slice at a time (bounded
// memory, aot/README.md "Partitions, jobs and memory").
//
// A slice is the module's own bytes with the code section re-encoded: the
// bodies asked for are copied as they are, every other body becomes its
// local declarations and `unreachable end` (valid for any signature; the
// locals stay, so the name section's local names still fit). Every
// other section is copied unchanged, so function indices, types, imports,
// tables, globals, exports, segments and names are those of the module.
// Byte offsets into a slice map back to the module's (for error messages).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace wasixc::aot {

struct ModuleSlice {
  std::vector<uint8_t> bytes;
  // The module's offset of byte `offset` of the slice (inside a stub, the
  // start of the code section).
  size_t original_offset(size_t offset) const;

  struct Run {
    size_t slice_begin, original_begin, size;
  };
  std::vector<Run> runs;  // copied byte ranges, in order
  size_t code_section = 0;  // the module's offset of the code section
};

class ModuleSlicer {
 public:
  // Finds the code section and each body in it. Nothing if the layout is
  // not the binary format's (section sizes past the end, a body count that
  // does not fit): the whole module's read then reports what is wrong.
  static std::optional<ModuleSlicer> scan(const std::vector<uint8_t>& bytes);

  // Bodies in the code section (defined functions, in order).
  size_t num_bodies() const { return bodies_.size(); }
  // The function index of body 0 (the imported functions come first),
  // once the module's import section has been read.
  uint32_t first_body_function() const { return imported_functions_; }
  void set_imported_functions(uint32_t n) { imported_functions_ = n; }
  // Bytes of body `body` (its size prefix excluded).
  size_t body_size(size_t body) const { return bodies_[body].size; }
  // The body holding byte `offset` of the module, if one does.
  std::optional<size_t> body_at(size_t offset) const;

  struct Segment {
    size_t payload;  // offset of the payload's size prefix
    size_t prefix;   // bytes of that prefix
    uint64_t size;   // bytes of the payload
  };

  // Data segments, and each one's payload size (its bytes).
  size_t num_data_segments() const { return segments_.size(); }
  uint64_t data_size(size_t segment) const { return segments_[segment].size; }
  // Whether slices can leave the data segments' payloads out (the data
  // section's layout is understood).
  bool can_leave_data_out() const { return data_understood_; }

  // A copy of `module` (the bytes scan() read) in which body `i` is real
  // when keep(i) holds. Without `with_data` (and can_leave_data_out()),
  // every data segment is there with its payload left out (empty): the
  // bytes of a mostly-data module are then not copied into every slice.
  ModuleSlice slice(const std::vector<uint8_t>& module, const std::function<bool(size_t body)>& keep,
                    bool with_data = true) const;

 private:
  struct Range {
    size_t begin, size;  // the body with its size prefix: [begin, begin + prefix + size)
    size_t prefix;
    size_t locals;       // bytes of its local declarations (after the prefix)
    size_t stub_size() const;  // bytes of its stub, size prefix included
  };
  uint32_t imported_functions_ = 0;
  bool has_code_ = false, has_data_ = false, data_understood_ = false;
  size_t data_begin_ = 0, data_end_ = 0;  // the data section, as for code
  size_t data_payload_begin_ = 0;          // its segment count
  size_t data_segments_begin_ = 0;         // its first segment
  std::vector<Segment> segments_;
  size_t code_begin_ = 0;  // offset of the code section's id byte
  size_t code_end_ = 0;    // one past its last byte
  std::vector<Range> bodies_;
};

}  // namespace wasixc::aot
