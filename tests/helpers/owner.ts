import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The repository's own source files (.ts, .tsx) under `dirs`, as paths relative to its root. */
const ROOT = path.resolve(__dirname, "../..");
export function sources(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir)).flatMap((name) => {
      const relative = path.join(dir, name);
      if (statSync(path.join(ROOT, relative)).isDirectory()) return sources(relative);
      return /\.(ts|tsx)$/.test(name) ? [relative] : [];
    }),
  );
}

/** Lines of `file` matching any of `patterns`, as `file:line: text` (for "only X writes Y" tests). */
export const linesMatching = (file: string, patterns: RegExp[]) =>
  readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .flatMap((line, i) => (patterns.some((w) => w.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
