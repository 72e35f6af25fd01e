// npm run generate:context -- <name>: a new bounded context in the shape of src/shopping-carts, with its
// module, migration and role registered. A plain Node script rather than a Nest schematics collection:
// `nest generate` loads collections through require(), which cannot load this repository's TypeScript
// sources or the ESM-only @nestjs packages under the same toolchain, and a script needs no build step.
// Every file is computed and checked first; a bad name, or an anchor missing from a file to edit, stops it
// before anything is written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { templates } from './context-templates.mjs';

const root = process.env.GENERATE_CONTEXT_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');

const RESERVED = new Set([
  // JavaScript and TypeScript words
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await any boolean number string symbol object undefined never unknown type namespace module declare abstract readonly async constructor'.split(
    ' ',
  ),
  // names the generated code or the service already uses
  ...'app main test tests spec config database http health migrations migration auth event events event-sourcing event-log event-catalog integrity command commands query queries module controller entity column index role roles read write admin subscription subscriptions snapshot snapshots asyncapi docs projection saga aggregate repository transaction transactions request response body param date map set promise error record array'.split(
    ' ',
  ),
]);

function fail(message) {
  console.error(`generate:context: ${message}`);
  process.exit(1);
}

function pluralOf(word) {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function namesOf(kebab) {
  const words = kebab.split('-');
  const pluralWords = [...words.slice(0, -1), pluralOf(words.at(-1))];
  const pascal = (parts) => parts.map((part) => part[0].toUpperCase() + part.slice(1)).join('');
  const camel = (parts) => parts[0] + pascal(parts.slice(1));
  return {
    kebab,
    plural: pluralWords.join('-'),
    Pascal: pascal(words),
    Plural: pascal(pluralWords),
    camel: camel(words),
    snake: words.join('_'),
    CONST: words.join('_').toUpperCase(),
    title: words.join(' '),
    titlePlural: pluralWords.join(' '),
  };
}

/** Why the name cannot be a context's, or undefined when it can. */
function refusal(name) {
  if (name === undefined) return 'give the name of the context, e.g. npm run generate:context -- inventory-item';
  if (!/^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/.test(name)) {
    return `"${name}" is not kebab-case (lower-case words of letters and digits joined by "-", e.g. inventory-item)`;
  }
  if (name.length > 40) return `"${name}" is longer than 40 characters`;
  const last = name.split('-').at(-1);
  if (/[^su]s$/.test(last)) return `"${name}" looks plural: give the singular, e.g. "${name.replace(/s$/, '')}"`;
  if (RESERVED.has(name)) return `"${name}" is a reserved word`;
  const names = namesOf(name);
  for (const folder of [name, names.plural]) {
    if (existsSync(join(root, 'src', folder))) return `src/${folder} exists already: "${name}" is taken`;
  }
  if (existsSync(join(root, 'test', `${names.plural}.e2e-spec.ts`))) return `test/${names.plural}.e2e-spec.ts exists`;
  const roles = readFileSync(join(root, 'src', 'auth', 'roles.ts'), 'utf8');
  if (roles.includes(`'${name}:write'`)) return `the role ${name}:write exists already`;
  return undefined;
}

/** `text` with `addition` put right before `anchor`; stops everything when the anchor is gone. */
function insertBefore(file, text, anchor, addition) {
  const at = text.indexOf(anchor);
  if (at < 0) fail(`cannot find where to register the context in ${file} (looked for ${JSON.stringify(anchor)})`);
  return text.slice(0, at) + addition + text.slice(at);
}

function afterLastImport(file, text, line) {
  const imports = [...text.matchAll(/^import [^;]+;\n/gm)];
  if (imports.length === 0) fail(`${file} has no imports to add to`);
  const end = imports.at(-1).index + imports.at(-1)[0].length;
  return text.slice(0, end) + line + text.slice(end);
}

function edits(n, migration) {
  const read = (file) => readFileSync(join(root, file), 'utf8');
  const app = 'src/app.module.ts';
  let appText = afterLastImport(
    app,
    read(app),
    `import { ${n.Plural}Module } from './${n.plural}/${n.plural}.module';\n`,
  );
  appText = insertBefore(app, appText, '  ],\n})\nexport class AppModule', `    ${n.Plural}Module,\n`);
  const index = 'src/migrations/index.ts';
  let indexText = afterLastImport(
    index,
    read(index),
    `import { ${migration.className} } from './${migration.file}';\n`,
  );
  indexText = insertBefore(index, indexText, '];', `  ${migration.className},\n`);
  const roles = 'src/auth/roles.ts';
  const rolesText = insertBefore(roles, read(roles), '} as const;', `  ${n.Pascal}Write: '${n.kebab}:write',\n`);
  const readme = 'README.md';
  const row = `| \`${n.kebab}:write\` | \`POST /${n.plural}\`, \`POST /${n.plural}/{id}/name\` |\n`;
  const readmeText = insertBefore(readme, read(readme), '| `admin`', row);
  return { [app]: appText, [index]: indexText, [roles]: rolesText, [readme]: readmeText };
}

async function main() {
  const name = process.argv[2];
  const problem = refusal(name);
  if (problem !== undefined) fail(problem);
  const n = namesOf(name);
  const stamp = Date.now();
  const migration = { className: `Create${n.Pascal}Details${stamp}`, file: `${stamp}-create-${n.kebab}-details` };
  const files = { ...templates(n, migration), ...edits(n, migration) };
  const config = (await prettier.resolveConfig(join(root, 'package.json'))) ?? {};
  const formatted = {};
  for (const [file, text] of Object.entries(files)) {
    formatted[file] = await prettier.format(text, { ...config, filepath: join(root, file) });
  }
  for (const [file, text] of Object.entries(formatted)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  console.log(`Generated the ${n.title} context:`);
  for (const file of Object.keys(formatted)) console.log(`  ${relative(root, join(root, file))}`);
  console.log(`Role ${n.kebab}:write; routes under /${n.plural}. Run npm test.`);
}

await main();
