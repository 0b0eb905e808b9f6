// Runs a wasm32-wasi command under node's WASI with one directory
// preopened as "/" (and as "." for wasi-libc's relative paths):
//   node node_wasi.mjs MODULE.wasm DIR [args...]
// Exits with the guest's exit code. (wasiImport, not getImportObject():
// Debian bookworm's node 18 predates the latter.)
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [module, dir, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [module, ...args], env: {}, preopens: { '/': dir, '.': dir },
                        returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(await readFile(module)),
                                               { wasi_snapshot_preview1: wasi.wasiImport });
process.exitCode = wasi.start(instance);
