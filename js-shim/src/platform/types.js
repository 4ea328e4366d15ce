// The contract every platform adapter fulfils. The engine never does I/O; the shim performs what
// the engine asks for through one of these adapters and feeds the results back.

/**
 * @typedef {object} Storage
 * @property {(key: string) => string | null} get
 * @property {(key: string, value: string) => void} set
 * @property {(key: string) => void} remove
 * @property {() => string[]} keys
 */

/**
 * @typedef {object} SocketHandlers
 * @property {() => void} onOpen
 * @property {(data: Uint8Array) => void} onMessage  Binary frames only; text frames are ignored.
 * @property {(code: number) => void} onClose
 * @property {() => void} onError
 */

/**
 * @typedef {object} Socket
 * @property {(data: Uint8Array) => void} send
 * @property {() => void} close
 */

/**
 * @typedef {object} HttpResult
 * @property {number} status  HTTP status; 0 for a network failure or a timeout.
 * @property {string} body
 */

/**
 * @typedef {object} Platform
 * @property {string} name  'wx' | 'browser' | 'node'
 * @property {Storage} storage
 * @property {(url: string, timeoutMs: number, done: (r: HttpResult) => void) => () => void} httpGet
 *   Starts a GET; returns an abort function. `done` is called exactly once unless aborted.
 * @property {(url: string, handlers: SocketHandlers) => Socket} openSocket
 * @property {() => number} now
 * @property {() => number} random  A float in [0, 1), used only to seed the engine.
 * @property {(fn: () => void, ms: number) => unknown} setTimer
 * @property {(handle: unknown) => void} clearTimer
 * @property {(handlers: LifecycleHandlers) => () => void} [lifecycle]  Reports the app going to
 *   the background and back, and the network going and coming back; returns an unsubscribe.
 */

/**
 * @typedef {object} LifecycleHandlers
 * @property {(foreground: boolean) => void} onAppState
 * @property {(online: boolean) => void} onNetwork
 */

export {};
