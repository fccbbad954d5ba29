// Checks Grafana dashboard JSON files against Grafana's dashboard schema: the
// Dashboard type that @grafana/schema generates from Grafana's CUE schema of
// the dashboard JSON model, checked by the TypeScript compiler.
//
// Usage: node check-dashboards.mjs NODE_MODULES FILE.json...
//   NODE_MODULES holds @grafana/schema and typescript (npm ci of
//   tests/schema/package-lock.json). Prints "PASS FILE" or "FAIL FILE" and
//   then its errors as "  FILE:LINE:COL: message", for each file; exits 1 if
//   any file fails.
//
// Each file becomes, in memory, a TypeScript module whose only expression is
// the file's text as an object literal, `satisfies` the schema's type:
//   const dashboard = { ...the JSON... } satisfies Dashboard;
// so the compiler checks every value's type, every required key, and, since
// a literal is checked for excess properties, every key against the keys the
// schema declares, at every level the schema closes (panels, grid positions,
// variables, field configs, ...; not inside a panel's `options`, a field's
// `custom` or a query target, which the schema leaves to each plugin as
// Record<string, unknown>). The JSON text starts on the module's first line,
// so the compiler's line numbers are the file's.
//
// Two adaptations, both about JSON rather than the schema:
// - TypeScript string enums are nominal: no JSON string is ever assignable
//   to one, not even one of its values. Json<T> turns every string enum into
//   the union of its values (`${T}`); numeric enums stay, TypeScript checks a
//   number literal against their members.
// - __inputs, __elements and __requires are the wrapper Grafana's "Export for
//   sharing externally" adds around the model (and its import consumes); they
//   are not part of the schema, which does not check them. They are allowed
//   at the top level only.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [modules, ...files] = process.argv.slice(2);
if (!modules || files.length === 0) {
  console.error('usage: check-dashboards.mjs NODE_MODULES FILE.json...');
  process.exit(2);
}
const ts = createRequire(path.resolve(modules, 'x.js'))('typescript');

// The raw type generated from the CUE schema, not the hand-written "veneer"
// the package's root exports for Grafana's own frontend.
const SCHEMA = '@grafana/schema/dist/esm/raw/dashboard/x/Dashboard_types.gen';
const prefix =
  `import type { Dashboard as Schema } from '${SCHEMA}'; ` +
  'type Json<T> = T extends string ? `${T}` : T extends Array<infer U> ? ' +
  'Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T; ' +
  'type Export = { __inputs?: unknown; __elements?: unknown; __requires?: unknown }; ' +
  'export const dashboard = ';
const suffix = ' satisfies Json<Schema> & Export;\n';

// Virtual modules beside NODE_MODULES, so that the import resolves there.
const base = path.join(path.dirname(path.resolve(modules)), 'dashboard-check');
const sources = new Map();
files.forEach((file, i) => {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trimEnd();
  sources.set(path.join(base, `${i}.ts`), { file, text: prefix + text + suffix });
});

const options = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: [],
  // JSON needs no more than ES5's declarations (Array); the later ones
  // cost a second of loading.
  lib: ['lib.es5.d.ts'],
};
const host = ts.createCompilerHost(options);
const { getSourceFile, fileExists, readFile } = host;
host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
host.readFile = (name) => sources.get(name)?.text ?? readFile.call(host, name);
host.getSourceFile = (name, version, ...rest) =>
  sources.has(name)
    ? ts.createSourceFile(name, sources.get(name).text, version)
    : getSourceFile.call(host, name, version, ...rest);

const program = ts.createProgram([...sources.keys()], options, host);
const errors = new Map(files.map((file) => [file, []]));
let stray = 0;
for (const d of ts.getPreEmitDiagnostics(program)) {
  // One line each, the whole types the compiler spells out cut short.
  const message = ts
    .flattenDiagnosticMessageText(d.messageText, '\n')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/'\{[^']{60,}'/g, "'{...}'");
  const source = d.file && sources.get(d.file.fileName);
  const at = source && d.file.getLineAndCharacterOfPosition(d.start);
  if (!source || (at.line === 0 && at.character < prefix.length)) {
    // Not in a dashboard (the schema's files, the options, the import of the
    // schema): fails them all.
    console.log(`error: ${d.file ? d.file.fileName + ': ' : ''}${message}`);
    stray++;
    continue;
  }
  const col = at.line === 0 ? at.character - prefix.length : at.character;
  errors.get(source.file).push(`${source.file}:${at.line + 1}:${col + 1}: ${message}`);
}
let failed = 0;
for (const [file, list] of errors) {
  const ok = list.length === 0 && stray === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${file}`);
  for (const e of list) console.log(`  ${e}`);
  if (!ok) failed++;
}
process.exit(failed ? 1 : 0);
