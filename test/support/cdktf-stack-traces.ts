/**
 * cdktf records a creation stack for every token (`Lazy`, `Intrinsic`) and constructs records one
 * for metadata, each by `Error.captureStackTrace` on a plain object with an unlimited depth. Under
 * jest every such trace goes through source-map-support, which parses the inline source maps of
 * each cdktf and provider file once per test file: about a third of `npm test`'s CPU time.
 * Those traces are read only when cdktf reports a token error, so they are formatted the way V8
 * does by default; stacks of real errors (test failures, our own errors) stay source-mapped.
 *
 * V8 formats a stack lazily, when `.stack` is first read, after cdktf has restored
 * `Error.stackTraceLimit`; what identifies the capture is its target: a plain object, not an Error.
 */
const sourceMapped = Error.prepareStackTrace;

function isPlainCaptureTarget(target: unknown): boolean {
  return Object.prototype.toString.call(target) === '[object Object]';
}

if (sourceMapped) {
  Error.prepareStackTrace = function prepareStackTrace(target: Error, frames: NodeJS.CallSite[]): unknown {
    if (isPlainCaptureTarget(target)) {
      return `${String(target)}${frames.map((frame) => `\n    at ${String(frame)}`).join('')}`;
    }
    return sourceMapped(target, frames);
  };
}

export {};
