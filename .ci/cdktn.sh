#!/usr/bin/env bash
# The CDK Terrain job: the library, its tests and its examples on cdktn
# (https://github.com/open-constructs/cdk-terrain, the fork of the archived
# cdktf) instead of cdktf. Called by .ci/run after the cdktf run; runnable
# alone from a checkout (it needs npm, terraform, cloud-init and shellcheck,
# which .ci/run installs).
#
# In a copy of the checkout it installs, from the npm registry, what a cdktn
# user installs (.ci/cdktn-package.json, the README's "Using CDK Terrain"):
# cdktn and @cdktn/provider-aws, linked under the names cdktf and
# @cdktf/provider-aws (one module instance each), cdktf's docker provider,
# constructs 10.7 and the cdktn CLI, all under Node.js 22 (what cdktn-cli and
# @cdktn/provider-aws require; from the npm package node-linux-<arch>). Then:
#   - the type check of src, test, examples and bench against cdktn's types;
#   - the jest suite, but for the suites that test the host rather than the
#     engine (test/vm: the QEMU VM boot; test/integration/engine and
#     containers: the private Docker engine), which run once, on the cdktf
#     install; the Terraform, cloud-init and shellcheck suites run here too;
#   - every example synthesized by the cdktn CLI (test/demo.test.ts and
#     test/examples-cli.test.ts pick the CLI of the installed engine);
#   - the examples' Terraform compared with the checkout's (cdktf): the same
#     but for the engine's and the aws provider's versions;
#   - a cdktn user's project (.ci/cdktn-consumer): the packed library
#     installed with the README's package.json, synthesized by cdktn synth.
# Any failure exits non-zero, and so fails .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export CI="${CI:-true}"

log() { printf '[cdktn %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

work="$(mktemp -d /tmp/cdktn-job.XXXXXX)"
# CDKTN_JOB_KEEP=1 keeps the copy (to rerun a test there by hand).
trap '[ "${CDKTN_JOB_KEEP:-}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT

# Suites that test the machine (a VM, a Docker engine), not the engine: run once, by .ci/run on the cdktf install.
CDKTF_ONLY=(test/vm/ test/integration/engine.test.ts test/integration/containers.test.ts)

engine_json="$root/.ci/cdktn-package.json"
node_version="$(node -p "require('$engine_json').node")"
case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64) node_arch=arm64 ;;
  *) echo "no Node.js package for $(uname -m)" >&2; exit 1 ;;
esac
log "installing Node.js $node_version (npm package node-linux-$node_arch): cdktn-cli and @cdktn/provider-aws require Node.js 22"
npm install --no-audit --no-fund --no-save --prefix "$work/node" "node-linux-$node_arch@$node_version" >/dev/null
export PATH="$work/node/node_modules/node-linux-$node_arch/bin:$PATH"
[ "$(node --version)" = "v$node_version" ] || { echo "node is $(node --version), not v$node_version" >&2; exit 1; }

log "copying the checkout to $work/repo"
mkdir "$work/repo"
git ls-files -z --cached --others --exclude-standard |
  (while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
  tar --null -T - -cf - | tar -xf - -C "$work/repo"
cd "$work/repo"

log "replacing the cdktf packages by the cdktn ones (.ci/cdktn-package.json)"
node - "$engine_json" <<'EOF'
const fs = require('fs');
const engine = require(process.argv[2]);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
// The copy is a consumer of the engine: the library's peer ranges name cdktf's versions.
delete pkg.peerDependencies;
// jsii-pacmak: the library's packaging tool (not run here); cdktn-cli wants its own version as a peer.
for (const name of ['cdktf', 'cdktf-cli', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-docker', 'jsii-pacmak']) delete pkg.devDependencies[name];
Object.assign(pkg.devDependencies, engine.dependencies, engine.devDependencies);
pkg.overrides = engine.overrides;
fs.writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
EOF
# The lock keeps every other package at the version `npm ci` installs for the cdktf run.
npm install --no-audit --no-fund >"$work/npm-install.log" 2>&1 || { cat "$work/npm-install.log" >&2; exit 1; }
grep -v 'EBADENGINE\|^npm warn install-scripts' "$work/npm-install.log" || true
[ -d node_modules/cdktn ] || { echo "npm install did not install cdktn" >&2; exit 1; }

log "checking the install: one cdktn, one constructs, one provider-aws"
node <<'EOF'
const fs = require('fs');
const assert = require('assert');
const real = (m) => fs.realpathSync(require.resolve(m));
assert.strictEqual(require('cdktf/package.json').name, 'cdktn');
assert.strictEqual(require('cdktf'), require('cdktn'), 'cdktf and cdktn are two module instances');
assert.strictEqual(real('cdktf/lib/synthesize/synthesizer'), real('cdktn/lib/synthesize/synthesizer'));
assert.strictEqual(require('@cdktf/provider-aws/package.json').name, '@cdktn/provider-aws');
assert.strictEqual(real('@cdktf/provider-aws/lib/instance'), real('@cdktn/provider-aws/lib/instance'));
// The docker provider (cdktf's; there is no @cdktn one) and the aws provider load this same engine.
const { createRequire } = require('module');
assert.strictEqual(createRequire(real('@cdktf/provider-docker/lib/container'))('cdktf'), require('cdktn'), 'the docker provider loads another engine instance');
assert.strictEqual(createRequire(real('@cdktf/provider-aws/lib/instance'))('cdktn'), require('cdktn'), 'the aws provider loads another engine instance');
// constructs: the one the library, the engine and both providers load (the CLI and projen have copies of their own, in other processes).
for (const p of ['cdktn', '@cdktn/provider-aws/lib/instance', '@cdktf/provider-docker/lib/container']) {
  assert.strictEqual(fs.realpathSync(createRequire(real(p)).resolve('constructs')), real('constructs'), `${p} loads another constructs`);
}
console.log(`cdktn ${require('cdktn/package.json').version}, @cdktn/provider-aws ${require('@cdktn/provider-aws/package.json').version}, ` +
  `@cdktf/provider-docker ${require('@cdktf/provider-docker/package.json').version}, constructs ${require('constructs/package.json').version}, ` +
  `cdktn-cli ${require('cdktn-cli/package.json').version}, node ${process.version}`);
EOF

log "type check against cdktn (src, test, examples, bench)"
npx tsc --noEmit -p test/tsconfig.json

# The package as npm would publish it: lib/ compiled (here against cdktn's
# types) and its lazy index (the compile task's second step); the jest run
# checks that index (test/lazy-index.test.ts), the consumer project installs it.
log "compiling lib/ against cdktn, with the lazy index"
npx tsc -p tsconfig.json
npx ts-node --transpile-only --project projenrc/tsconfig.json projenrc/lazy-index.ts

log "jest on cdktn (all suites but ${CDKTF_ONLY[*]}: those run on the cdktf install)"
export CDKTF_ISOLATION_SUITE_LOG="$work/suites.log"
: >"$CDKTF_ISOLATION_SUITE_LOG"
# The CLI asks Terraform its version; an empty CLI configuration keeps that offline and quiet.
export TF_CLI_CONFIG_FILE="$work/empty.tfrc" CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1
: >"$TF_CLI_CONFIG_FILE"
npx jest --ci --coverage=false --testPathIgnorePatterns /node_modules/ "${CDKTF_ONLY[@]}"

expected="$(grep -rlE 'requireTools\(|requireEngineOrSkip\(|requireTerraform\(' test --include='*.test.ts' | sort)"
for skip in "${CDKTF_ONLY[@]}"; do expected="$(printf '%s\n' "$expected" | grep -v "^$skip" || true)"; done
ran="$(cut -f1 "$CDKTF_ISOLATION_SUITE_LOG" | sort -u)"
log "real-tool suites that ran on cdktn: $(printf '%s\n' "$ran" | grep -c .) of $(printf '%s\n' "$expected" | grep -c .)"
missing="$(comm -23 <(printf '%s\n' "$expected") <(printf '%s\n' "$ran"))"
if [ -n "$missing" ]; then
  echo "real-tool suites that did not run on cdktn: $missing" >&2
  exit 1
fi

log "the examples' Terraform is the same on cdktn as on cdktf, but for the engine's and the aws provider's versions"
# examples/<name>/main.ts's synthesize(outdir), in the checkout (cdktf) and in the copy (cdktn).
synth_examples() {
  mkdir -p "$2"
  (cd "$1" && TS_NODE_PROJECT=examples/tsconfig.json node -r ts-node/register/transpile-only -e '
    for (const ex of ["vm-host", "containers", "fleet"]) require(`${process.cwd()}/examples/${ex}/main`).synthesize(`${process.argv[1]}/${ex}`);
  ' "$2" >/dev/null)
}
synth_examples "$root" "$work/synth/cdktf"
synth_examples "$work/repo" "$work/synth/cdktn"
node - "$work/synth" <<'EOF'
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const [dir] = process.argv.slice(2);
/** A stack's Terraform without what names the engine: its metadata, the state path, the aws provider's version and source spelling. */
function normal(file) {
  const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete tf['//'];
  delete tf.terraform.backend;
  for (const p of Object.values(tf.terraform.required_providers ?? {})) {
    delete p.version;
    p.source = p.source.replace(/^hashicorp\//, '');
  }
  return tf;
}
const stacks = (root) => fs.readdirSync(root, { recursive: true }).filter((f) => f.endsWith('cdk.tf.json')).sort();
const cdktf = stacks(`${dir}/cdktf`);
assert.deepStrictEqual(stacks(`${dir}/cdktn`), cdktf);
assert.ok(cdktf.length >= 4, `only ${cdktf.length} stacks synthesized`);
for (const f of cdktf) {
  assert.deepStrictEqual(normal(path.join(dir, 'cdktn', f)), normal(path.join(dir, 'cdktf', f)), `${f} differs between cdktf and cdktn`);
}
console.log(`the same Terraform on both engines: ${cdktf.join(', ')}`);
EOF

log "a cdktn user's project (.ci/cdktn-consumer): the packed library and the README's package.json, through cdktn synth"
# The package as npm would publish it: lib/ as compiled above, the
# library's own package.json (its peer ranges), yaml bundled.
mkdir -p "$work/pkg/node_modules" "$work/consumer"
cp -r "$work/repo/lib" "$work/repo/README.md" "$work/repo/LICENSE" "$work/pkg/"
cp "$root/package.json" "$work/pkg/package.json"
cp -r "$work/repo/node_modules/yaml" "$work/pkg/node_modules/"
tarball="$(cd "$work/pkg" && npm pack --silent --pack-destination "$work")"
cp "$root/.ci/cdktn-consumer/main.js" "$root/.ci/cdktn-consumer/cdktf.json" "$work/consumer/"
node - "$engine_json" "$work/$tarball" "$work/consumer/package.json" <<'EOF'
const fs = require('fs');
const [engineJson, tarball, out] = process.argv.slice(2);
const engine = require(engineJson);
fs.writeFileSync(out, `${JSON.stringify({
  name: 'cdktn-consumer', version: '0.0.0', private: true,
  dependencies: { 'cdktf-isolation': `file:${tarball}`, ...engine.dependencies },
  devDependencies: engine.devDependencies,
  overrides: engine.overrides,
}, null, 2)}\n`);
EOF
(cd "$work/consumer" && npm install --no-audit --no-fund >"$work/consumer-install.log" 2>&1) || { cat "$work/consumer-install.log" >&2; exit 1; }
(cd "$work/consumer" && npx cdktn synth --output "$work/consumer/out" >"$work/consumer-synth.log" 2>&1) || { cat "$work/consumer-synth.log" >&2; exit 1; }
(cd "$work/consumer" && node - "$work/consumer/out") <<'EOF'
const fs = require('fs');
const assert = require('assert');
const { createRequire } = require('module');
const [out] = process.argv.slice(2);
const lib = fs.realpathSync(require.resolve('cdktf-isolation'));
assert.ok(!lib.includes('/repo/'), `cdktf-isolation resolves to ${lib}, not the installed package`);
assert.strictEqual(createRequire(lib)('cdktf'), require('cdktn'), 'the installed library loads another engine instance');
assert.strictEqual(fs.realpathSync(createRequire(lib).resolve('constructs')), fs.realpathSync(require.resolve('constructs')), 'the installed library loads another constructs');
const manifest = JSON.parse(fs.readFileSync(`${out}/manifest.json`, 'utf8'));
assert.strictEqual(manifest.version, require('cdktn/package.json').version);
assert.deepStrictEqual(Object.keys(manifest.stacks).sort(), ['local', 'on-aws']);
const tf = (s) => JSON.parse(fs.readFileSync(`${out}/stacks/${s}/cdk.tf.json`, 'utf8'));
const count = (json, type) => Object.keys(json.resource?.[type] ?? {}).length;
const aws = tf('on-aws');
const local = tf('local');
// VmHost and the pool's host; the fleet's launch template and group; the local container.
assert.deepStrictEqual([count(aws, 'aws_instance'), count(aws, 'aws_launch_template'), count(aws, 'aws_autoscaling_group'), count(local, 'docker_container')], [2, 1, 1, 1]);
const report = JSON.parse(fs.readFileSync(`${out}/stacks/on-aws/isolation-report.json`, 'utf8'));
assert.deepStrictEqual(report.apps.map((a) => [a.name, a.isolation]), [['api', 'container']]);
console.log(`synthesized on-aws (${Object.keys(aws.resource).length} resource types) and local, with the isolation report, by cdktn ${manifest.version}`);
EOF
log "done"
