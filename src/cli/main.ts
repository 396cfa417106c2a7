/**
 * The `shipsafe` command wired to the process. Built into dist/cli-bundle.js and started by the launcher
 * dist/cli.js (launcher.ts), which loads the bundle with a code cache. See run.ts for the command itself and
 * args.ts for the options. Run directly (tsx src/cli/main.ts) it starts too.
 */
import { run } from './run';

export function main(): void {
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
}

if (require.main === module) main();
