import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The dependency rules of packages/core (README.md, "Map"), checked on the source files themselves:
// no import cycles; an area uses another only through its public entry (index.ts), the access
// kernel, the event builder or a repository port; ids come from the Ids port only.

const SRC = join(import.meta.dirname, "../src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
const SOURCES = files(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, "utf8") }));

/** Relative imports (value and type) of a file, as paths relative to src. */
function importsOf(file: { path: string; text: string }): string[] {
  return [...file.text.matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gs)].map((m) =>
    normalize(join(dirname(file.path), m[1]!)).replace(/\.js$/, ".ts"),
  );
}

const area = (path: string) => (path.includes("/") ? path.split("/")[0]! : "(root)");
/**
 * What one area may import of another: its public entry, the access kernel, the event builder,
 * repository ports, and an aggregate's type file (`twins/twin.ts`: ports name other aggregates).
 */
const PUBLIC = [/^[^/]+\/index\.ts$/, /^access\/kernel\.ts$/, /^events\/new-event\.ts$/, /\/repositor(y|ies)\.ts$/, /^(\w+)s\/\1\.ts$/];

describe("core's dependency rules", () => {
  it("has no import cycles", () => {
    const graph = new Map(SOURCES.map((f) => [f.path, importsOf(f)]));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "open") {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      state.set(node, "open");
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("areas use each other only through their public entries", () => {
    const reaching: string[] = [];
    for (const file of SOURCES) {
      const from = area(file.path);
      if (from === "(root)" || from === "shared") continue; // the root wires everything; shared imports no area
      for (const target of importsOf(file)) {
        const to = area(target);
        if (to === from || to === "(root)" || to === "shared") continue;
        if (!PUBLIC.some((p) => p.test(target))) reaching.push(`${file.path} → ${target}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it("draws ids only from the Ids port (randomness for ids lives in shared/ids.ts)", () => {
    const random = SOURCES.filter((f) => /\brandomUUID\b/.test(f.text) || (/\brandomBytes\b/.test(f.text) && !f.path.startsWith("access/credentials"))).map((f) => f.path);
    expect(random).toEqual(["shared/ids.ts"]);
  });
});
