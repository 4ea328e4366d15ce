// The enums of RongIMLib 2.x by name, built from the rows scripts/gen-tables.mjs generates from
// the engine's own tables (the `NAMES` of crates/wire/src/enums.rs, ERROR_CODES of
// crates/wire/src/error_code.rs) when the package is built. enums.js exports each of them; this
// object is what the namespace gets, in a module of its own since enums.js exports exactly the
// enums.
import { ENUMS } from './generated/tables.js';

/**
 * A frozen enum from `'NAME=value NAME NAME=value …'`: a name without a value is one more than
 * the previous one (the first, 0). Shorter in the bundle than object literals. Like a TypeScript
 * enum it maps each value back to a name (`ConversationType[1] === 'PRIVATE'`); where names share
 * a value the first listed gets it, so the name TypeScript keeps (the last declared) goes first
 * (the generated rows list them so). `prefix` starts every name; a generated row carries it after
 * a `:` (`'RealTimeLocationStatus:IDLE INCOMING …:RC_REAL_TIME_LOCATION_STATUS_'`).
 */
function table(rows, prefix = '') {
  const out = {};
  let value = -1;
  for (const row of rows.split(' ')) {
    const [short, given] = row.split('=');
    const name = prefix + short;
    value = given === undefined ? value + 1 : Number(given);
    out[name] = value;
    if (!(value in out)) out[value] = name;
  }
  return Object.freeze(out);
}

/** Every enum of 2.5.3 by name, in the engine's order. */
export const enumSet = {};
for (const row of ENUMS.split('|')) {
  const [name, rows, prefix] = row.split(':');
  enumSet[name] = table(rows, prefix);
}
