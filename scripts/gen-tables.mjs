// Writes js-shim/src/generated/tables.js: the rows the JS façade builds its enums
// (js-shim/src/enum-set.js) and built-in content classes (js-shim/src/messages.js) from, taken from
// the engine's own tables through `protocolTables()` of the Node wasm build (.build/wasm-node,
// feature `diagnostics`): the enums' `NAMES` (crates/wire/src/enums.rs), ERROR_CODES
// (crates/wire/src/error_code.rs) and BUILTIN_TYPES with each class's fields
// (crates/wire/src/content/); and the façade's hand-written rows (js-shim/src/rows.js), packed
// with them. `npm run build` runs it after scripts/build-wasm.sh and before scripts/build-pkg.mjs;
// the file is not checked in.
//
// It checks that every name fits the row formats and that enums.js lists the enums in the
// engine's order, packs the rows (see js-shim/src/unpack.js) and writes the file only when its
// text changes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKS, MIN_COPY, SHORT, unpack } from '../js-shim/src/unpack.js';
import * as handWritten from '../js-shim/src/rows.js';
import { readGlue, signatures } from './slim-glue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);
const glue = at('.build', 'wasm-node', 'im_wasm.js');
const out = at('js-shim', 'src', 'generated', 'tables.js');

function fail(message) {
  console.error(`gen-tables: ${message}`);
  process.exit(1);
}

if (!existsSync(glue)) fail('run scripts/build-wasm.sh first (.build/wasm-node is missing)');
const webGlue = ['im_wasm.js', 'im_wasm_bg.wasm.d.ts'].map((f) => at('.build', 'wasm-web', f));
if (!webGlue.every((f) => existsSync(f))) fail('run scripts/build-wasm.sh first (.build/wasm-web is missing)');
const { enums, builtinTypes } = JSON.parse(createRequire(import.meta.url)(glue).protocolTables());

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One enum as `Name:NAME[=value] …[:PREFIX]` for enum-set.js's `table(rows, prefix)`: a name without a
 * value is one more than the previous one (the first, 0); a `_`-ended prefix every name shares is
 * written once, at the end, when that is shorter.
 */
function enumRows(name, members) {
  if (members.length === 0) fail(`${name} has no members`);
  for (const [member, value] of members) {
    if (!NAME.test(member) || !Number.isSafeInteger(value)) fail(`${name}.${member} = ${value} does not fit a row`);
  }
  const names = members.map(([member]) => member);
  let prefix = names.reduce((p, n) => {
    let i = 0;
    while (i < p.length && p[i] === n[i]) i++;
    return p.slice(0, i);
  });
  prefix = prefix.slice(0, prefix.lastIndexOf('_') + 1);
  // Written once with its `:`, it must save more than that costs, and leave every name non-empty.
  if ((names.length - 1) * prefix.length <= 1 || names.includes(prefix)) prefix = '';
  let last = -1;
  const rows = members.map(([member, value]) => {
    const row = member.slice(prefix.length) + (value === last + 1 ? '' : `=${value}`);
    last = value;
    return row;
  });
  return `${name}:${rows.join(' ')}${prefix && `:${prefix}`}`;
}

/** One built-in type as `typeName objectName tag fields` (see TYPES in messages.js). */
function typeRow({ typeName, objectName, tag, fields, wholeKey }) {
  const short = objectName.startsWith('RC:') ? objectName.slice(3) : objectName;
  // messages.js puts `RC:` back on a name without a colon.
  if (!NAME.test(typeName) || /[\s|]/.test(objectName) || (short.includes(':') ? short : `RC:${short}`) !== objectName) {
    fail(`the type ${typeName} (${objectName}) does not fit a row`);
  }
  if (![0, 1, 2, 3].includes(tag)) fail(`${typeName} has the tag ${tag}`);
  const keys = fields ?? [wholeKey];
  if (keys.length === 0 || !keys.every((k) => typeof k === 'string' && NAME.test(k))) {
    fail(`${typeName} has the fields ${JSON.stringify(keys)}`);
  }
  return `${typeName} ${short} ${tag} ${fields ? fields.join(',') : `=${wholeKey}`}`;
}

// enums.js destructures the enums in this order: its list must be the engine's.
const listed = readFileSync(at('js-shim', 'src', 'enums.js'), 'utf8').match(/^export const \[([^\]]*)\]/m);
const order = enums.map((e) => e.name);
if (!listed || listed[1].split(',').map((s) => s.trim()).filter(Boolean).join() !== order.join()) {
  fail(`js-shim/src/enums.js must export, in this order: export const [${order.join(', ')}]`);
}

/**
 * `text` packed for unpack() (js-shim/src/unpack.js): each back-reference where it makes the
 * result shortest (an optimal parse, from the end), literal characters elsewhere.
 */
function pack(text) {
  for (const c of MARKS) if (text.includes(c)) fail(`the tables contain ${c}, one of unpack()'s marks`);
  const BASE = 95;
  const groups = [
    { marks: MARKS.slice(0, SHORT), digits: 1 },
    { marks: MARKS.slice(SHORT), digits: 2 },
  ];
  const n = text.length;
  // cost[i]: the fewest characters that encode text.slice(i); step[i]: how.
  const cost = new Array(n + 1).fill(0);
  const step = new Array(n + 1).fill(null);
  for (let i = n - 1; i >= 0; i--) {
    cost[i] = cost[i + 1] + 1;
    for (let from = Math.max(0, i - BASE ** 2); from < i; from++) {
      const distance = i - from - 1;
      let same = 0;
      while (i + same < n && text[from + same] === text[i + same]) same++;
      for (const group of groups) {
        if (distance >= BASE ** group.digits) continue;
        const longest = Math.min(same, MIN_COPY + group.marks.length - 1);
        for (let length = MIN_COPY; length <= longest; length++) {
          const c = 1 + group.digits + cost[i + length];
          if (c < cost[i]) {
            cost[i] = c;
            step[i] = { group, length, distance };
          }
        }
      }
    }
  }
  let out = '';
  const digit = (d) => String.fromCharCode(32 + d);
  for (let i = 0; i < n; ) {
    const s = step[i];
    if (!s) {
      out += text[i++];
      continue;
    }
    out += s.group.marks[s.length - MIN_COPY];
    out += s.group.digits === 1 ? digit(s.distance) : digit(Math.floor(s.distance / BASE)) + digit(s.distance % BASE);
    i += s.length;
  }
  if (unpack(out) !== text) fail('the packed tables do not unpack to the rows');
  return out;
}

/** `words` as comment lines of at most 100 columns, each starting with `lead`. */
function comment(words, lead = ' *') {
  const lines = [lead];
  for (const word of words) {
    if (lines.at(-1).length + 1 + word.length > 100 && lines.at(-1) !== lead) lines.push(lead);
    lines[lines.length - 1] += ` ${word}`;
  }
  return lines.join('\n');
}

const enumRowList = enums.map((e) => enumRows(e.name, e.members));
const typeRowList = builtinTypes.map(typeRow);
const ENUMS = enumRowList.join('|');
const TYPES = typeRowList.join('|');
// The package glue's EngineCore signatures (scripts/slim-glue.mjs), and js-shim/src/rows.js's
// strings, packed with the engine's tables (back-references reach across them all) and exported
// under their names.
let SIGNATURES;
try {
  SIGNATURES = signatures(readGlue(...webGlue.map((f) => readFileSync(f, 'utf8'))).methods);
} catch (err) {
  fail(`the wasm-bindgen glue: ${err.message}`);
}
const rowNames = Object.keys(handWritten);
for (const name of rowNames) {
  const value = handWritten[name];
  if (!/^[A-Z][A-Z_]*$/.test(name) || typeof value !== 'string' || value.includes('\n')) {
    fail(`js-shim/src/rows.js: ${name} must be a string without a line break, named in capitals`);
  }
}
/** The rows as comment lines, one row (wrapped) after another. */
const asComment = (rows) => rows.map((r) => comment(r.split(' '), ' *  ')).join('\n');

const text = `// Generated by scripts/gen-tables.mjs from the engine's protocolTables() (crates/wasm/src/lib.rs)
// and js-shim/src/rows.js when the package is built. Do not edit; it is not checked in.
import { unpack } from '../unpack.js';

/**
 * ENUMS: the ${enums.length} 2.x enums, \`|\`-separated, in the engine's order (enums.js lists it), each
 * \`Name:NAME[=value] …[:PREFIX]\` (see enum-set.js). TYPES: the ${builtinTypes.length} built-in content
 * types, \`|\`-separated (see messages.js). SIGNATURES: EngineCore's method signatures (see
 * scripts/slim-glue.mjs). Then the strings of rows.js, under their names. All
 * packed into one string (see unpack.js); the tables unpack to these rows:
 *
 * ENUMS
${asComment(enumRowList)}
 *
 * TYPES
${asComment(typeRowList)}
 */
export const [ENUMS, TYPES, SIGNATURES, ${rowNames.join(', ')}] = unpack(
  ${JSON.stringify(pack([ENUMS, TYPES, SIGNATURES, ...rowNames.map((name) => handWritten[name])].join('\n')))},
).split('\\n');
`;

mkdirSync(dirname(out), { recursive: true });
if (!existsSync(out) || readFileSync(out, 'utf8') !== text) writeFileSync(out, text);
console.log(`gen-tables: js-shim/src/generated/tables.js (${enums.length} enums, ${builtinTypes.length} content types)`);
