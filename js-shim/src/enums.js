// Enumerations of RongIMLib 2.x with their 2.x names and values (api.md §7, transport.md §9).
// They are plain data the app uses before the engine is loaded, built from rows that
// scripts/gen-tables.mjs generates from the engine's own tables (the `NAMES` of
// crates/wire/src/enums.rs, ERROR_CODES of crates/wire/src/error_code.rs) when the package is built.
import { ENUMS } from './generated/tables.js';

/**
 * A frozen enum from `'NAME=value NAME NAME=value …'`: a name without a value is one more than
 * the previous one (the first, 0). Shorter in the bundle than object literals. Like a TypeScript
 * enum it maps each value back to a name (`ConversationType[1] === 'PRIVATE'`); where names share
 * a value the first listed gets it, so the name TypeScript keeps (the last declared) goes first
 * (the generated rows list them so). `prefix` starts every name; a generated row carries it after
 * a `:` (`'IDLE INCOMING …:RC_REAL_TIME_LOCATION_STATUS_'`).
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

/**
 * Every enum of 2.5.3, in the order of the generated rows (scripts/gen-tables.mjs checks this list
 * against the engine's). ErrorCode has all 125 members of 2.5.3 (51001 and 61001 have two names
 * each), and the four names 2.x's connect sample switches on but 2.5.3 never defined:
 * `UNKNOWN_ERROR` (−2, what an unknown failure passes) and the raw CONNACK refusals `connect`
 * passes to onError, `UNACCEPTABLE_PaROTOCOL_VERSION` (sic) 1, `IDENTIFIER_REJECTED` 2,
 * `SERVER_UNAVAILABLE` 3. ReadStatus is its own object with the ReceivedStatus members.
 */
export const [
  ConversationType,
  ConnectionStatus,
  ConnectionState,
  MessageDirection,
  ReceivedStatus,
  ReadStatus,
  SentStatus,
  MentionedType,
  DiscussionInviteStatus,
  GetChatRoomType,
  BlacklistStatus,
  ConversationNotificationStatus,
  ConnectionChannel,
  MethodType,
  CustomerType,
  FileType,
  MediaType,
  SearchType,
  VoIPMediaType,
  RealTimeLocationErrorCode,
  RealTimeLocationStatus,
  ErrorCode,
] = ENUMS.split('|').map((rows) => table(...rows.split(':')));
