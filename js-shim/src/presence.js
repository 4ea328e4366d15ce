// Files and user status of RongIMClient (api.md §3.8), with 2.5.3's callbacks:
// - `getFileToken(fileType, callback)`: `onSuccess({deadline, token})`, the upload token of a
//   FileType (1–4; another value → `onError(41001)`, nothing sent). The app uploads the file
//   itself (a form POST of `token`, `key` and `file`, as to Qiniu).
// - `getFileUrl(fileType, fileName, oriName, callback)`: `onSuccess({downloadUrl})` of the
//   uploaded file `fileName` (its key); `oriName` (a string, or null for none) is the name a
//   download saves it under.
// - `setUserStatus(status, callback)`: `onSuccess(true)`.
// - `getUserStatus(userId, callback)`: `onSuccess({userId, status: {online, platform, status}})`
//   of the current user: 2.5.3 ignores `userId` and so does this.
// - `setUserStatusListener({userIds, multiple}, listener)`: subscribes to these users' status;
//   `listener({userId, status: {online, platform, status}})` then gets each change, the first
//   with the status at the time of subscribing. A later call for a user replaces its listener
//   unless `multiple` is true. Subscriptions are renewed after a lost connection. Additions: a
//   Promise of `true` once the server agreed (never an unhandled rejection), and exact user ids
//   (2.5.3 also called the listeners of ids that merely start with the user's).
import { outcome, safeCall } from './callbacks.js';
import { isFunction, isObject } from './args.js';
import { num, strs } from './engine.js';
import { requestMethods } from './commands.js';
import { PRESENCE_REQUESTS } from './generated/tables.js';

/** `{userId, status}` of an engine reply or event, as 2.5.3's convertUserStatus made it. */
const userStatus = (r) => ({ userId: r.userId, status: r.status });

/**
 * The instance methods of this group; `ctx.userStatus_(event)` is set to deliver `s_stat`s.
 * @param {{request: Function}} ctx
 */
export function presenceMethods(ctx) {
  /** `[userId, listener]`, in the order added. */
  let watchers = [];
  ctx.userStatus_ = (ev) => {
    for (const [userId, listener] of watchers.slice()) if (userId === ev.userId) safeCall(listener, userStatus(ev));
  };

  // Rows: rows.js's PRESENCE_REQUESTS.
  const methods = requestMethods(
    ctx,
    PRESENCE_REQUESTS,
    {
      token: (r) => [{ deadline: r.deadline, token: r.token }],
      url: (r) => [{ downloadUrl: r.downloadUrl }],
      status: (r) => [userStatus(r)],
    },
  );

  return Object.assign(methods, {
    setUserStatus(status, callback) {
      // No status is 0 (2.5.3 sends none for a falsy one).
      return ctx.request_(outcome(callback), (e, t) => e.setUserStatus(t, status == null ? 0 : num(status)), () => [true]);
    },

    setUserStatusListener(params, listener) {
      const p = isObject(params) ? params : {};
      const userIds = Array.isArray(p.userIds) ? p.userIds : [];
      if (isFunction(listener)) {
        for (const id of userIds) {
          if (!p.multiple) watchers = watchers.filter(([u]) => u !== id);
          watchers.push([id, listener]);
        }
      }
      const out = outcome(null);
      if (!userIds.length) {
        out.ok_(true);
        return out.promise_;
      }
      const promise = ctx.request_(out, (e, t) => e.subscribeUserStatus(t, strs(userIds)), () => [true]);
      promise.catch(() => {});
      return promise;
    },
  });
}
