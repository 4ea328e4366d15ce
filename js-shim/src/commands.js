// RongIMClient's instance methods that are one engine command each, defined from rows instead of
// written out one by one (the mini program counts every byte): each row names the method, the
// engine command, how each argument reaches the engine and what the callback gets. The method
// groups (conversations.js, queries.js, local.js) list theirs; a method that does more is
// written out in its group.
import { outcome } from './callbacks.js';
import { num, nums, optNum, str, strs } from './engine.js';
import { hidden } from './props.js';

/** A messageId as the engine reads it (the store's ids are decimal text; numbers are accepted). */
export const mid = (v) => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);

/** How the argument of each letter reaches the engine (engine.js). */
const TO_ENGINE = {
  s: str,
  n: num,
  o: optNum,
  b: (v) => !!v,
  /** A list of numbers (conversation types). */
  l: nums,
  /** A list of user ids. */
  u: strs,
  i: mid,
  /** A JSON value, as its text. */
  j: (v) => (v == null ? undefined : JSON.stringify(v)),
};

/**
 * Methods from `rows`, `|`-separated, each `name command args [result]`: `command` is the engine
 * method (`=`: the method's own name); `args` has a letter per argument of the method, in its
 * order: `c` the callback object (without one the method returns a Promise), `_` an argument the
 * engine does not take, else a letter of TO_ENGINE; a digit is that number for the engine, in
 * no argument's place; `result` is read by `make(command, engineArgs, result)`, which returns
 * the method's body `(callback, args)`.
 */
function define(rows, make) {
  const methods = {};
  for (const row of rows.split('|')) {
    const [name, command, all, result = ''] = row.split(' ');
    const letters = all.replace(/\d/g, '');
    const at = letters.indexOf('c');
    // Called inside the command, so that a refused argument fails the call (−3) as the engine's do.
    const engineArgs = (args) => {
      const out = [];
      let i = 0;
      for (const letter of all) {
        if (letter <= '9') out.push(+letter);
        else if (TO_ENGINE[letter]) out.push(TO_ENGINE[letter](args[i++]));
        else i++;
      }
      return out;
    };
    const body = make(command === '=' ? name : command, engineArgs, result);
    const method = function (...args) {
      return body(args[at], args);
    };
    // The name and arity a method written out would have.
    hidden(hidden(method, 'name', name), 'length', letters.length);
    methods[name] = method;
  }
  return methods;
}

/**
 * Commands the engine completes later (it takes the time first). `result`: what onSuccess gets
 * of the reply `r`: nothing when absent, `true`, `:key` for `r.key`, or the name of a function of
 * `results` mapping `r` to onSuccess's arguments (or of `[function, value]`, where
 * `value(...arguments)` is the Promise's value instead of the first argument).
 */
export function requestMethods(ctx, rows, results) {
  return define(rows, (command, engineArgs, result) => {
    const key = result.slice(1);
    const [map, value] =
      result === 'true' ? [() => [true]] : result[0] === ':' ? [(r) => [r[key]]] : [].concat(results[result] || (() => []));
    return (callback, args) => ctx.request_(outcome(callback), (e, t) => e[command](t, ...engineArgs(args)), map, value);
  });
}

/**
 * Commands the engine answers at once. `result`: what onSuccess gets of the value `v`: `v` when
 * absent, `true`, or the name of a function of `results` mapping `v`.
 */
export function answerMethods(ctx, rows, results) {
  return define(rows, (command, engineArgs, result) => {
    const map = result === 'true' ? () => true : results && results[result];
    return (callback, args) => ctx.answer_(outcome(callback), (e) => e[command](...engineArgs(args)), map);
  });
}

/**
 * A method of `arity` arguments that calls the instance's method `name` with the same arguments
 * (2.x's aliases); client.js names it after its key.
 */
export const alias = (name, arity) =>
  hidden(
    function (...args) {
      return this[name](...args);
    },
    'length',
    arity,
  );
