// The generated tables (generated/tables.js) are text packed by scripts/gen-tables.mjs with
// LZ77-style back-references, since the mini program counts every byte: half the size of the
// plain rows, which repeat many words (`_ERROR`, `RC_CONN_`, `Message`, field names).

/** The marks of a back-reference; the packed text has no other use for these characters. */
export const MARKS = '!"#$%&()*+./;<>?@[]^`{}~';
/** The first SHORT marks take one distance digit, the others two. */
export const SHORT = 10;
/** The shortest copy; a mark's index within its group adds to it. */
export const MIN_COPY = 3;

/**
 * The text `packed` stands for: a character that is not a mark stands for itself; a mark copies
 * MIN_COPY + (its index in its group) characters from `distance` characters back, where
 * `distance` − 1 is written after the mark in base 95 (one or two digits, each a character
 * from ' ' as 0 to '~' as 94).
 */
export function unpack(packed) {
  let out = '';
  for (let i = 0; i < packed.length; i++) {
    let mark = MARKS.indexOf(packed[i]);
    if (mark < 0) {
      out += packed[i];
      continue;
    }
    const digit = () => packed.charCodeAt(++i) - 32;
    let distance = digit();
    if (mark >= SHORT) {
      mark -= SHORT;
      distance = distance * 95 + digit();
    }
    // One character at a time: a copy may overlap what it writes.
    for (let n = MIN_COPY + mark; n--; ) out += out[out.length - distance - 1];
  }
  return out;
}
