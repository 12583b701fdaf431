#!/usr/bin/env bash
# The rolehop demo: moto as AWS, one IAM user with MFA, three target
# accounts, a file vault in a throw-away HOME, one MFA code for every hop.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --silent
npm run --silent build
exec node --import tsx scripts/demo.ts
