/**
 * `npm run test:regex`: every regex in src/ through recheck (automaton proof where it can build one, else a
 * fuzzer seeded with 0). A fuzzer verdict of "vulnerable" is re-checked with the automaton checker and larger
 * limits; a proof of linearity overrides it. Prints what is left; exits 1 when anything is. Takes minutes.
 */
import { checkSync } from 'recheck';
import { regexesIn } from '../test/helpers/regexes';

const all = regexesIn(process.cwd());
const distinct = new Map<string, typeof all>();
for (const r of all) { const k = `/${r.source}/${r.flags}`; const l = distinct.get(k); if (l) l.push(r); else distinct.set(k, [r]); }
let left = 0;
for (const [k, rs] of distinct) {
  const flags = rs[0].flags.replace(/[gy]/g, '');
  let d = checkSync(rs[0].source, flags, { timeout: 60_000, randomSeed: 0 });
  if (d.status !== 'safe' && d.checker === 'fuzz') {
    const proof = checkSync(rs[0].source, flags, { checker: 'automaton', timeout: 60_000, maxNFASize: 200_000, maxPatternSize: 20_000 });
    if (proof.status === 'safe') d = proof;
  }
  if (d.status === 'safe') continue;
  left++;
  const why = d.status === 'vulnerable' ? `${d.complexity.summary}; attack ${d.attack.pattern.slice(0, 100)}` : d.status;
  console.log(`${k.slice(0, 160)} — ${why}\n    at ${rs.map((r) => `${r.file}:${r.line}`).join(', ')}`);
}
console.log(`${distinct.size - left} passed, ${left} failed`);
process.exitCode = left ? 1 : 0;
