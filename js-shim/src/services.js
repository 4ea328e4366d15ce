// Customer service and public services of RongIMClient (api.md §3.1, §3.8), one engine command
// each, with 2.5.3's callbacks:
// - `startCustomService(custId, callback, content)`, `stopCustomeService(custId, callback)`,
//   `switchToHumanMode(custId, callback)`, `evaluateRebotCustomService(custId, isRobotResolved,
//   suggest, callback)`, `evaluateHumanCustomService(custId, humanValue, suggest, callback)`:
//   `onSuccess()` once the server took the message. Without the session the service's
//   `RC:CsHsR` brought, the last four answer `onError(33001)` (2.5.3 never called back).
// - `getRemotePublicServiceList(callback, time)`, `getPublicServiceList(callback)`,
//   `searchPublicService(searchType, keyword, callback)`, `searchPublicServiceByType(psType,
//   searchType, keyword, callback)`: `onSuccess(profiles)`, filled when called back (2.5.3
//   filled them 100 ms later).
// - `subscribePublicService(psType, id, callback)`, `unsubscribePublicService`: `onSuccess()`.
// - `getPublicServiceProfile(psType, id, callback)`: `onSuccess(profile)` from the last list,
//   `undefined` when it holds none.
import { answerMethods, requestMethods } from './commands.js';
import { SERVICE_ANSWERS, SERVICE_REQUESTS } from './generated/tables.js';

export function serviceMethods(ctx) {
  // Rows: rows.js's SERVICE_REQUESTS and SERVICE_ANSWERS.
  return Object.assign(requestMethods(ctx, SERVICE_REQUESTS, {}), answerMethods(ctx, SERVICE_ANSWERS));
}
