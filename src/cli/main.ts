/**
 * Entry point of the `shipsafe` command (bundled to dist/cli.js by src/tools/build.ts).
 * See run.ts for the command itself and args.ts for the options.
 */
import { run } from './run';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // `shipsafe scan | head`: the reader went away; stop quietly
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    // one line, no stack trace (set SHIPSAFE_DEBUG=1 for it)
    const detail = process.env.SHIPSAFE_DEBUG ? (e as Error)?.stack ?? String(e) : String((e as Error)?.message ?? e).split('\n')[0];
    process.stderr.write(`shipsafe: internal error (please report it): ${detail}\n`);
    process.exitCode = 2;
  },
);
