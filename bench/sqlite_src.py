"""SQLite's speedtest1 for the benchmarks, fetched and built in a scratch
directory at bench time (nothing of it is committed):

- the SQLite amalgamation (sqlite3.c, sqlite3.h) from the `sqlite3` npm
  package (5.1.7 ships SQLite 3.44.2 under deps/), with `npm pack`;
- test/speedtest1.c, which the npm package lacks, from Debian bookworm's
  sqlite3 source package (3.40.1) with `apt-get source` and a private
  deb-src list (the machine's apt configuration is left alone), or from
  $SPEEDTEST1_C. speedtest1 uses only the public API, so the 3.40 driver
  runs on the 3.44 library.

speedtest1(work) -> dict of paths: sources, wasm module, native executable.
"""
import glob
import os
import subprocess
import tarfile

CLANG = "clang-19"
NPM_PACKAGE = "sqlite3@5.1.7"
# Single-threaded, no extension loading; no WAL (it needs shared memory
# mappings wasi-libc lacks). The same options natively and for wasm,
# locking included: a WASI build of SQLite locks with dot files (mkdir/rmdir
# of DB.lock, SQLITE_WASI's default VFS, as WASI has no fcntl locks), so the
# native build is given the same VFS and both do the same file calls.
DEFINES = ["-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_OMIT_WAL",
           "-DSQLITE_OMIT_SHARED_CACHE", "-DSQLITE_DEFAULT_MEMSTATUS=0",
           '-DSQLITE_DEFAULT_UNIX_VFS="unix-dotfile"',
           # Temporary databases (VACUUM's) in memory: SQLite's WASI build
           # calls fchmod, which it leaves null (a trap: "uninitialized
           # element in function robust_open"), on every new temporary file,
           # because wasi-libc's fstat has no permission bits to compare.
           "-DSQLITE_TEMP_STORE=2",
           # pread/pwrite, which SQLite assumes only on Linux and macOS
           # (wasi-libc has both): otherwise the WASI build seeks before
           # every page read and write, one more call than the native one.
           "-DHAVE_PREAD=1", "-DHAVE_PWRITE=1"]
WASM_FLAGS = ["--target=wasm32-wasi", "--sysroot=/usr", "-D_WASI_EMULATED_GETPID", "-D_WASI_EMULATED_MMAN"]
# SQLite's deep recursion (the parser, the VDBE on big statements) needs
# more than wasm-ld's 64 KiB default stack.
WASM_LINK = ["-lwasi-emulated-getpid", "-lwasi-emulated-mman", "-Wl,-z,stack-size=8388608"]


def amalgamation(work):
    """Directory holding sqlite3.c and sqlite3.h."""
    found = glob.glob(os.path.join(work, "sqlite-autoconf-*", "sqlite3.c"))
    if found:
        return os.path.dirname(found[0])
    subprocess.run(["npm", "pack", "--silent", NPM_PACKAGE], cwd=work, check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(glob.glob(os.path.join(work, "sqlite3-*.tgz"))[0]) as t:
        t.extractall(work, members=[m for m in t.getmembers() if m.name.startswith("package/deps/sqlite-autoconf")])
    inner = glob.glob(os.path.join(work, "package", "deps", "sqlite-autoconf-*.tar.gz"))[0]
    with tarfile.open(inner) as t:
        t.extractall(work)
    return os.path.dirname(glob.glob(os.path.join(work, "sqlite-autoconf-*", "sqlite3.c"))[0])


def speedtest1_c(work):
    if os.environ.get("SPEEDTEST1_C"):
        return os.environ["SPEEDTEST1_C"]
    dest = os.path.join(work, "speedtest1.c")
    if os.path.exists(dest):
        return dest
    apt = os.path.join(work, "apt")
    os.makedirs(os.path.join(apt, "lists", "partial"), exist_ok=True)
    with open(os.path.join(apt, "sources.list"), "w") as f:
        f.write("deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
                "http://deb.debian.org/debian bookworm main\n")
    opts = ["-o", f"Dir::Etc::SourceList={apt}/sources.list", "-o", "Dir::Etc::SourceParts=-",
            "-o", f"Dir::State::Lists={apt}/lists", "-qq"]
    subprocess.run(["apt-get"] + opts + ["update"], check=True)
    subprocess.run(["apt-get"] + opts + ["source", "--download-only", "sqlite3"], cwd=apt, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    orig = glob.glob(os.path.join(apt, "sqlite3_*.orig.tar.xz"))[0]
    with tarfile.open(orig) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("/test/speedtest1.c"))
        with t.extractfile(member) as src, open(dest, "wb") as out:
            out.write(src.read())
    return dest


def speedtest1(work):
    os.makedirs(work, exist_ok=True)
    sqlite_dir = amalgamation(work)
    driver = speedtest1_c(work)
    sources = [driver, os.path.join(sqlite_dir, "sqlite3.c")]
    wasm = os.path.join(work, "speedtest1.wasm")
    native = os.path.join(work, "speedtest1.native")
    common = ["-O2", "-I", sqlite_dir] + DEFINES
    # Built once per set of flags: a stamp beside the builds holds the
    # flags they were built with.
    stamp = os.path.join(work, "speedtest1.flags")
    flags = " ".join(common + WASM_FLAGS + WASM_LINK)
    if not os.path.exists(stamp) or open(stamp).read() != flags:
        for out in (wasm, native):
            if os.path.exists(out):
                os.remove(out)
    if not os.path.exists(wasm):
        subprocess.run([CLANG] + WASM_FLAGS + common + sources + ["-o", wasm] + WASM_LINK, check=True,
                       stderr=subprocess.DEVNULL)
    if not os.path.exists(native):
        subprocess.run([CLANG] + common + sources + ["-o", native, "-lm"], check=True, stderr=subprocess.DEVNULL)
    with open(stamp, "w") as f:
        f.write(flags)
    return {"sources": sources, "include": sqlite_dir, "wasm": wasm, "native": native, "defines": DEFINES}
