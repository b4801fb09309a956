#!/usr/bin/env node
// Generates parser.generated.js from rules.peggy with peggy's API. The generated parser is committed
// (tests and tsx run from source, without a build) and never edited by hand: a test runs this script
// with --check, so a grammar change without regeneration fails the suite.
//
//   node src/rules/generate.mjs              write src/rules/parser.generated.js
//   node src/rules/generate.mjs --check      exit 1 when the committed parser is stale
//   node src/rules/generate.mjs --out DIR    also copy the parser (and its .d.ts) into DIR, which the
//                                            build uses for dist/rules: tsc does not copy .js files
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import peggy from "peggy";

const here = dirname(fileURLToPath(import.meta.url));
const grammarPath = join(here, "rules.peggy");
const parserPath = join(here, "parser.generated.js");
const typesPath = join(here, "parser.generated.d.ts");

const HEADER = "// generated from rules.peggy by generate.mjs — do not edit\n";

/** The parser source that rules.peggy produces today. */
export function generateParserSource() {
  const grammar = readFileSync(grammarPath, "utf8");
  const source = peggy.generate(grammar, {
    output: "source",
    format: "es",
    grammarSource: "rules.peggy",
    allowedStartRules: ["Rule"],
  });
  return HEADER + source;
}

function main(args) {
  const source = generateParserSource();
  if (args.includes("--check")) {
    const committed = readFileSync(parserPath, "utf8");
    if (committed !== source) {
      console.error("parser.generated.js is stale: run `pnpm --filter @idhub/core generate:rules`");
      process.exit(1);
    }
    return;
  }
  writeFileSync(parserPath, source);
  const outIndex = args.indexOf("--out");
  if (outIndex >= 0) {
    const outDir = resolve(process.cwd(), args[outIndex + 1] ?? "");
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "parser.generated.js"), source);
    copyFileSync(typesPath, join(outDir, "parser.generated.d.ts"));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
