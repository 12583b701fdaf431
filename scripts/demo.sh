#!/usr/bin/env bash
# The rolehop demo: moto as AWS, one IAM user with MFA, three target
# accounts, a file vault in a throw-away HOME, one MFA code for every hop.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --silent
npm run --silent build
# The demo's own process seeds moto with the AWS SDK, whose Node-version
# notice would interrupt the walkthrough on Node 20 (rolehop silences it itself).
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true exec node --import tsx scripts/demo.ts
