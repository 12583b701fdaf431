#!/usr/bin/env bash
# npm run bench: every benchmark side by side in one run, inside a private
# D-Bus session so the keychain backend is measured too.
# Results: bench/results/latest.json and latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
# The harness seeds moto with the AWS SDK, whose Node-version notice would
# land in the middle of the output on Node 20 (the measured commands get a
# minimal environment of their own).
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true exec bash scripts/with-keyring.sh node --import tsx bench/run.ts "$@"
