// Enumerations of RongIMLib 2.x with their 2.x names and values (api.md §7, transport.md §9).
// They are plain data the app uses before the engine is loaded, built in enum-set.js from rows
// that scripts/gen-tables.mjs generates from the engine's own tables when the package is built.
import { enumSet } from './enum-set.js';

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
] = Object.values(enumSet);
