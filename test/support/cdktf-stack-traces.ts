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
 *
 * cdktf also captures with an unlimited depth (`Error.stackTraceLimit = MAX_SAFE_INTEGER`) and
 * reads `.stack` at once, for every Lazy, Intrinsic and complex list of every resource: walking
 * and formatting jest's deep stacks cost ~2.5 s of a run's CPU. A capture on a plain object keeps
 * its innermost {@link CREATION_STACK_FRAMES} frames: the constructs that made the token, not
 * jest's own frames below the test. Errors keep their depth.
 */
const CREATION_STACK_FRAMES = 20;
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

const capture = Error.captureStackTrace;
Error.captureStackTrace = function captureStackTrace(target: object, constructorOpt?: Parameters<typeof capture>[1]): void {
  if (!isPlainCaptureTarget(target) || Error.stackTraceLimit <= CREATION_STACK_FRAMES) return capture(target, constructorOpt);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CREATION_STACK_FRAMES;
  try {
    capture(target, constructorOpt);
  } finally {
    Error.stackTraceLimit = limit;
  }
};

export {};
