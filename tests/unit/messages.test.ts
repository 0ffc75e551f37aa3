import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CATALOGS, translatorFor } from "@/app/i18n/catalog";
import { AUDIT_ACTIONS } from "@/db/vocabulary";
import { INSTALL_PROBLEMS } from "@/lib/installations/problems";
import { LOCALES } from "@/lib/locale";
import { MESSAGE_CODES } from "@/lib/messages";

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ""): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === "string" ? [[`${prefix}${k}`, v]] : Object.entries(leaves(v, `${prefix}${k}.`)),
    ),
  );
/** The ICU argument names of a message (`{number}`, `{entryType, select, …}`), sorted. */
function argumentsOf(text: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if ("value" in e && typeof e.value === "string" && e.type !== 0) names.add(e.value);
      if ("options" in e) for (const option of Object.values(e.options)) walk(option.value);
      if ("children" in e) walk(e.children);
    }
  };
  walk(parse(text, { ignoreTag: false }));
  return [...names].sort();
}

describe("message catalogs", () => {
  const flat = Object.fromEntries(LOCALES.map((l) => [l, leaves(CATALOGS[l] as unknown as Tree)]));

  it("have the same keys and the same arguments in every language", () => {
    const keys = Object.keys(flat.en).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(flat[locale]).sort()).toEqual(keys);
      for (const key of keys)
        expect([key, argumentsOf(flat[locale][key])]).toEqual([key, argumentsOf(flat.en[key])]);
    }
  });

  it("word every outcome code of lib/, every install problem and every audit action", () => {
    for (const locale of LOCALES) {
      for (const code of MESSAGE_CODES) expect(flat[locale]).toHaveProperty([`codes.${code}`]);
      for (const code of Object.keys(INSTALL_PROBLEMS)) {
        expect(flat[locale]).toHaveProperty([`problem.${code}.title`]);
        expect(flat[locale]).toHaveProperty([`problem.${code}.text`]);
      }
      for (const action of AUDIT_ACTIONS) expect(flat[locale]).toHaveProperty([`audit.${action}`]);
    }
  });

  it("format every message in every language without an error", () => {
    for (const locale of LOCALES) {
      const t = translatorFor(locale) as unknown as (key: string, values: Record<string, string>) => string;
      for (const [key, text] of Object.entries(flat[locale])) {
        if (text.includes("<")) continue; // rich text (tags) is formatted with t.rich by its page
        const values = Object.fromEntries(argumentsOf(text).map((a) => [a, "x"]));
        expect(t(key, values)).not.toBe(key);
      }
    }
  });

  it("are really translated: Danish differs from English wherever there are words to translate", () => {
    const same = Object.keys(flat.en).filter(
      (k) => flat.en[k] === flat.da[k] && /[a-z]{4,} [a-z]{3,} [a-z]{3,}/i.test(flat.en[k]),
    );
    expect(same).toEqual([]);
  });
});

/**
 * No sentence is built in lib/: every string literal there that reads like prose (three words or more)
 * must be an error for the log, a log line, or a comment. Operator messages of the configuration
 * (lib/env.ts) are English for whoever deploys, and are the one exception.
 */
describe("lib/ speaks in codes", () => {
  const EXEMPT_FILES = new Set(["lib/env.ts"]);
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") ? [full] : [];
    });
  const prose = (text: string) => /[A-Za-zæøåÆØÅ]+\s+[A-Za-zæøåÆØÅ]+\s+[A-Za-zæøåÆØÅ]+/.test(text);
  const allowedContext = (node: ts.Node): boolean => {
    for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
      if (ts.isNewExpression(p) && /Error$/.test(p.expression.getText())) return true;
      if (
        ts.isCallExpression(p) &&
        /^(logger\(\)|log)\.\w+$|\.(info|warn|error|debug)$/.test(p.expression.getText())
      )
        return true;
      if (ts.isCallExpression(p) && /^super$/.test(p.expression.getText())) return true;
      if (ts.isImportDeclaration(p)) return true;
      // SQL is for the database, not for people.
      if (ts.isTaggedTemplateExpression(p) && /^sql(\.raw)?$/.test(p.tag.getText())) return true;
    }
    return false;
  };

  it("has no sentence in a string literal", () => {
    const offenders: string[] = [];
    for (const file of files("lib")) {
      if (EXEMPT_FILES.has(file)) continue;
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (
          (ts.isStringLiteral(node) ||
            ts.isNoSubstitutionTemplateLiteral(node) ||
            ts.isTemplateExpression(node)) &&
          prose(node.getText()) &&
          !allowedContext(node)
        ) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          offenders.push(`${file}:${line + 1} ${node.getText().slice(0, 80)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });
});
