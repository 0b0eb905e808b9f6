"""Writing and taking apart WebAssembly binaries, just enough for the fuzz
driver's mutations and the generated big inputs (no validation: mutants are
meant to be wrong)."""

MAGIC = b"\0asm\x01\0\0\0"
TYPE, IMPORT, FUNC, TABLE, MEMORY, GLOBAL, EXPORT, START, ELEM, CODE, DATA, DATACOUNT = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def read_uleb(data, pos, limit=None):
    """(value, next position), or (None, pos) when it runs off the end."""
    limit = len(data) if limit is None else limit
    value, shift = 0, 0
    while pos < limit and shift < 70:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos
    return None, pos


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


def vec(items):
    return uleb(len(items)) + b"".join(items)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def split_sections(data):
    """[(id, payload)] of a module, or None if it does not parse as one."""
    if len(data) < 8 or data[:8] != MAGIC:
        return None
    sections, pos = [], 8
    while pos < len(data):
        sid = data[pos]
        size, p = read_uleb(data, pos + 1)
        if size is None or p + size > len(data):
            return None
        sections.append((sid, bytes(data[p:p + size])))
        pos = p + size
    return sections


def join_sections(sections):
    return MAGIC + b"".join(section(sid, payload) for sid, payload in sections)


def split_code(payload):
    """The function bodies of a code section payload, or None."""
    count, pos = read_uleb(payload, 0)
    if count is None:
        return None
    bodies = []
    for _ in range(count):
        size, pos = read_uleb(payload, pos)
        if size is None or pos + size > len(payload):
            return None
        bodies.append(payload[pos:pos + size])
        pos += size
    return bodies


def join_code(bodies):
    return vec([uleb(len(b)) + b for b in bodies])


def command_module(body, locals_decl=b"\0"):
    """A module exporting `_start: [] -> []` with the given locals
    declaration (count-prefixed) and instructions (without the final end)."""
    func_type = b"\x60\0\0"
    code = locals_decl + body + b"\x0b"
    return join_sections([
        (TYPE, vec([func_type])),
        (FUNC, vec([uleb(0)])),
        (EXPORT, vec([name("_start") + b"\0" + uleb(0)])),
        (CODE, join_code([code])),
    ])


def nested_blocks(depth, opcode=0x02):
    """`depth` nested blocks (or loops: 0x03, or ifs: 0x04 with a condition)."""
    if opcode == 0x04:
        open_one = b"\x41\x01\x04\x40"  # i32.const 1; if (empty)
    else:
        open_one = bytes([opcode, 0x40])
    return command_module(open_one * depth + b"\x0b" * depth)


def many_locals(count, decls=1):
    """`count` i32 locals in `decls` declarations (each at most 2^32-1)."""
    per = count // decls
    entries = [uleb(per) + b"\x7f" for _ in range(decls - 1)]
    entries.append(uleb(count - per * (decls - 1)) + b"\x7f")
    return command_module(b"", vec(entries))


def bad_local_name():
    """A valid module whose name section names local 7 of a function that
    has one (what a flipped bit in a name section makes): wabt 1.0.32's
    GenerateNames asserts on it."""
    module = command_module(b"", vec([uleb(1) + b"\x7f"]))
    local_names = vec([uleb(0) + vec([uleb(7) + name("x")])])
    names = name("name") + bytes([2]) + uleb(len(local_names)) + local_names
    return module + section(0, names)


def functype(params, results):
    return b"\x60" + vec([bytes([t]) for t in params]) + vec([bytes([t]) for t in results])
