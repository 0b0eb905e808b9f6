// Runs a WASI command module in node (V8) through node:wasi, as the
// JIT-runtime comparison of bench/run.py: node node_wasi.mjs MODULE.wasm ARGS...
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, env } from 'node:process';
const wasi = new WASI({ version: 'preview1', args: argv.slice(2), env, returnOnExit: true });
const wasm = await WebAssembly.compile(await readFile(argv[2]));
const instance = await WebAssembly.instantiate(wasm, wasi.getImportObject());
process.exitCode = wasi.start(instance);
