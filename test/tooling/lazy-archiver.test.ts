// jest maps `archiver` to test/support/lazy-archiver.js (jest.config.js): it must behave as the real one.
test('GIVEN the lazy archiver stand-in WHEN it is called THEN the real archiver answers', () => {
  // GIVEN
  const archiver = require('archiver');
  // WHEN
  const zip = archiver('zip');
  // THEN
  expect(typeof zip.append).toBe('function');
  expect(archiver.isRegisteredFormat('zip')).toBe(true);
  expect(archiver.isRegisteredFormat('no-such-format')).toBe(false);
});
