#!/usr/bin/env bash
# The Shipsafe GitHub Action's scan step (action.yml), runnable anywhere:
#
#   SHIPSAFE_CLI=path/to/dist/cli.js INPUT_PATHS=. INPUT_FAIL_ON=error bash action/scan.sh
#
# Inputs come as the INPUT_* variables action.yml sets (all optional): INPUT_PATHS (spaces or new lines),
# INPUT_FAIL_ON, INPUT_BASELINE, INPUT_MIN_CONFIDENCE, INPUT_SARIF_FILE (default shipsafe.sarif).
# Writes the SARIF report and, when $GITHUB_OUTPUT is set, the outputs sarif-file, findings and exit-code.
# Exits 0 when the scan ran, whatever it found (the action fails the job after uploading the report), and 2 when
# it could not run (bad input, configuration or baseline), with the reason.
set -uo pipefail

cli="${SHIPSAFE_CLI:-}"
if [ -z "$cli" ]; then
  if [ -x node_modules/.bin/shipsafe ]; then cli=node_modules/.bin/shipsafe
  else echo "shipsafe-action: Shipsafe is not installed: set SHIPSAFE_CLI or add it to the project (npm i -D shipsafe)" >&2; exit 2
  fi
fi
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  echo "shipsafe-action: Shipsafe needs Node.js 20 or later (found $(node --version 2>/dev/null || echo none)); add actions/setup-node before it" >&2
  exit 2
fi

sarif="${INPUT_SARIF_FILE:-shipsafe.sarif}"
fail_on="${INPUT_FAIL_ON:-error}"
args=(scan --format sarif --output "$sarif" --fail-on "$fail_on" --no-progress)
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_MIN_CONFIDENCE:-}" ] && args+=(--min-confidence "$INPUT_MIN_CONFIDENCE")
# content-hash cache: unchanged files cost only a hash (kept across runs when the workflow restores
# node_modules/.cache/shipsafe or .shipsafe-cache with actions/cache)
args+=(--cache)
args+=(--)
read -r -d '' -a paths <<< "${INPUT_PATHS:-.}"
[ "${#paths[@]}" -eq 0 ] && paths=(.)
args+=("${paths[@]}")

echo "shipsafe ${args[*]}"
node "$cli" "${args[@]}"
code=$?
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  echo "::error title=Shipsafe::the scan could not run (exit $code); see the message above"
  exit "$code"
fi

findings="$(node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(l.runs.reduce((n, r) => n + (r.results || []).length, 0))' "$sarif")"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "sarif-file=$sarif"; echo "findings=$findings"; echo "exit-code=$code"; } >> "$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  echo "**Shipsafe**: $findings finding(s) in \`${paths[*]}\` (fail-on: $fail_on${INPUT_BASELINE:+, baseline: $INPUT_BASELINE}). Report: \`$sarif\`." >> "$GITHUB_STEP_SUMMARY"
fi
exit 0
