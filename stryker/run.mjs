/**
 * `npm run mutation`: StrykerJS over each pure area in turn (rules, keys, the usage fold),
 * then one line per area with its mutation score. Fails when an area scores under MINIMUM.
 * Arguments go to every `stryker run` (e.g. `npm run mutation -- --incremental`, or an area:
 * `npm run mutation -- rules`). Reports: reports/mutation/<area>/index.html and mutation.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MINIMUM = 95;
const AREAS = {
  rules: 'packages/rules',
  keys: 'packages/keys',
  fold: 'packages/usage-fold',
};

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const chosen = args.filter((a) => a in AREAS);
const passed = args.filter((a) => !(a in AREAS));
const areas = chosen.length ? chosen : Object.keys(AREAS);

/** Stryker's mutation score: detected (killed, timed out) of all valid mutants (those plus survived, not covered). */
function score(mutants) {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  return { detected, valid, percent: valid ? (100 * detected) / valid : 100 };
}

const started = Date.now();
const lines = [];
let failed = false;
for (const area of areas) {
  const run = spawnSync('npx', ['stryker', 'run', `stryker/${area}.config.mjs`, ...passed], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    lines.push(`${area.padEnd(6)} ${AREAS[area]}: stryker failed (exit ${run.status})`);
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(`${root}/reports/mutation/${area}/mutation.json`, 'utf8'));
  const files = Object.entries(report.files).map(([name, file]) => [name, score(file.mutants)]);
  const total = score(Object.values(report.files).flatMap((file) => file.mutants));
  const low = total.percent < MINIMUM;
  failed ||= low;
  lines.push(
    `${area.padEnd(6)} ${total.percent.toFixed(2).padStart(6)} % (${total.detected}/${total.valid} killed or timed out)  ${AREAS[area]}${low ? `  UNDER ${MINIMUM} %` : ''}`,
  );
  for (const [name, s] of files)
    lines.push(`         ${s.percent.toFixed(2).padStart(6)} % (${s.detected}/${s.valid})  ${name}`);
}
const seconds = Math.round((Date.now() - started) / 1000);
console.log(
  `\nMutation scores (at least ${MINIMUM} % per area), ${Math.floor(seconds / 60)}m${seconds % 60}s:\n`,
);
console.log(lines.join('\n'));
process.exitCode = failed ? 1 : 0;
