// What the smaller bench commands (bench:workers, bench:ab) share: running a gateway for one
// reading, a watchdog, and the command line's parse / help / signal / failure handling.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gatewayPackages, writeGatewayConfig } from './gateway-config.js';
import { freePort, startGatewayProcess, stopAll, stopChild } from './processes.js';

/**
 * Start the gateway of the checkout at `root` (its own config in a temp directory), hand
 * `use` its origin and pid, then stop it and remove the config whatever happens.
 */
export async function withGateway({ root, emulatorPort, options, cores, workers = 1 }, use) {
  const { packages, disabled } = gatewayPackages(root, options);
  const config = writeGatewayConfig(emulatorPort, packages, disabled, options);
  const port = await freePort();
  const gateway = await startGatewayProcess({ cwd: root, cli: join(root, 'core', 'bin', 'gatehouse.js'), configPath: config.path, port, core: cores, logDir: config.dir, workers });
  try {
    return await use({ origin: `http://127.0.0.1:${port}`, pid: gateway.child.pid });
  } finally {
    await stopChild(gateway.child, 10_000);
    config.remove();
  }
}

/** Give up, stopping every child, if the command runs past `seconds`; clear the returned timer at the end. */
export function watchdog(name, seconds) {
  const timer = setTimeout(() => {
    process.stderr.write(`${name}: still running past its bound, giving up\n`);
    stopAll().then(() => process.exit(1));
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/**
 * Walk `argv` for a command's parse(): `handle(flag, value, number)` sets what `flag` means and
 * answers false for a flag it does not know; `value()` takes the next argument, `number()` takes
 * it as a positive number.
 */
export function readFlags(argv, handle) {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = () => {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got "${argv[i]}"`);
      return n;
    };
    if (!handle(flag, value, number)) throw new Error(`unknown option "${flag}"`);
  }
}

/** Parse the arguments (exit 2 with the usage on a bad one), print the usage for --help, else run `main`. */
export function runCommand(name, usage, parse, main) {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${name}: ${error.message}\n\n${usage}\n`);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage);
    return;
  }
  process.on('SIGINT', () => stopAll().then(() => process.exit(130)));
  main(options).catch(async (error) => {
    process.stderr.write(`\n${name}: ${error.message}\n`);
    await stopAll();
    process.exit(1);
  });
}

/** `--base DIR` of the commands that compare two trees: the directory (with a trailing slash) of a built checkout. */
export function builtCheckout(dir) {
  if (!dir) throw new Error('--base DIR is required: a built checkout to compare with');
  const base = `${resolve(dir)}/`;
  if (!existsSync(join(base, 'core', 'dist', 'src', 'cli', 'main.js'))) throw new Error(`${base} has no built gateway (npm ci there first)`);
  return base;
}
