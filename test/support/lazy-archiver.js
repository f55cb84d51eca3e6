/**
 * jest moduleNameMapper stand-in for `archiver`: the real module, loaded on first use.
 *
 * cdktf requires archiver when it loads (cdktf/lib/private/fs.js) but calls it only to zip an
 * asset of type ARCHIVE, which this project never creates. Loading it costs about 0.18 s in each
 * of the ~90 suites that import cdktf (jest evaluates every module again per suite). Behaviour is
 * unchanged: the first call, or the first property read, loads the real archiver.
 */
const path = require('path');

// A path, not the package name: the mapper matches only the bare name `archiver`.
const REAL = path.join(__dirname, '..', '..', 'node_modules', 'archiver');
let real;
const load = () => (real ??= require(REAL));

module.exports = new Proxy(function archiver() {}, {
  apply: (_target, thisArg, args) => load().apply(thisArg, args),
  get: (_target, property) => load()[property],
  has: (_target, property) => property in load(),
});
