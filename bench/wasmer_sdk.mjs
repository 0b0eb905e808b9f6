// Runs a WASI/WASIX command module under @wasmer/sdk (Wasmer's WASIX runtime
// built to wasm; node's V8 compiles the guest), the second JIT runtime of
// bench/run.py and bench/run_proc.py:
//
//   node bench/wasmer_sdk.mjs [--file HOST::GUEST]... MODULE.wasm ARGS...
//
// --file copies a host file into the sandbox at the absolute guest path
// GUEST (the sandbox has no host directories; procbench spawns itself from
// there). The guest's stdout and stderr are passed through; the exit code is
// the guest's. Errors of the SDK itself are printed as one line starting
// with "wasmer_sdk.mjs:" (exit code 70), so callers can show the reason.
import { readFile } from 'node:fs/promises';
import { argv, stderr, stdout } from 'node:process';

function fail(msg) {
  stderr.write(`wasmer_sdk.mjs: ${msg.split('\n')[0]}\n`);
  process.exit(70);
}

const files = {};
let at = 2;
for (; at < argv.length && argv[at] === '--file'; at += 2) {
  const spec = argv[at + 1] ?? '';
  const sep = spec.indexOf('::');
  if (sep <= 0 || !spec.slice(sep + 2).startsWith('/')) fail(`--file wants HOST::/GUEST/PATH, got "${spec}"`);
  try {
    files[spec.slice(sep + 2)] = await readFile(spec.slice(0, sep));
  } catch (e) {
    fail(`--file ${spec}: ${e.message}`);
  }
}
if (at >= argv.length) fail('usage: node wasmer_sdk.mjs [--file HOST::GUEST]... MODULE.wasm ARGS...');
const [module, ...args] = argv.slice(at);

let sdk;
try {
  sdk = await import('@wasmer/sdk/node');
} catch (e) {
  fail(`@wasmer/sdk is not installed (npm ci --prefix bench): ${e.message}`);
}

// No package cache on disk: every run starts from the same state.
const wasmer = new sdk.Wasmer({ cache: false });
let code = 70;
try {
  // A package of one command, with the --file copies bundled into it
  // (sandbox files may only live under /workspace, package files anywhere).
  const pkg = await wasmer.packages.create({
    modules: { main: await readFile(module) },
    commands: { main: { module: 'main' } },
    files,
  });
  const sandbox = await wasmer.sandboxes.create({ packages: [pkg] });
  const proc = await sandbox.command(pkg, args).spawn({ stdin: 'closed', stdout: 'pipe', stderr: 'pipe' });
  const pump = async (from, to) => {
    for await (const chunk of from) to.write(chunk);
  };
  const pumps = Promise.all([pump(proc.stdout, stdout), pump(proc.stderr, stderr)]);
  const out = await proc.wait();
  // A killed forked child can keep the pipes open: don't wait for EOF forever.
  await Promise.race([pumps, new Promise((done) => setTimeout(done, 1000))]);
  if (out.reason === 'exited') code = out.exitCode;
  else stderr.write(`wasmer_sdk.mjs: guest ${out.reason === 'timeout' ? 'timed out' : 'was terminated'}\n`);
} catch (e) {
  // The SDK's messages can span a whole stack trace: keep the first line.
  stderr.write(`wasmer_sdk.mjs: ${String(e?.message ?? e).split('\n')[0]}\n`);
}
// Pipes to stdout/stderr are written synchronously, so nothing is lost;
// closing the SDK's worker pool would only add to the measured time.
process.exit(code);
