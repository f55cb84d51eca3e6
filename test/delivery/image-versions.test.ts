/**
 * One source for image versions: the Dockerfiles under images/ name the upstream release each
 * hardened image is built from; every sample environment must deploy that release (a mismatch
 * means the environment runs a version the pipeline never built, scanned or signed).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { DockerfileParser } from 'dockerfile-ast';
import { loadEnvironments } from '../../config/load';

const ROOT = join(__dirname, '..', '..');

/** The tag of the upstream image a Dockerfile builds FROM (`image:tag@digest`). */
function upstreamTag(dockerfile: string): string {
  const from = DockerfileParser.parse(readFileSync(join(ROOT, 'images', dockerfile, 'Dockerfile'), 'utf8')).getFROMs();
  const tag = from[from.length - 1].getImageTag();
  if (!tag) throw new Error(`images/${dockerfile}/Dockerfile: the last FROM has no tag`);
  return tag;
}

/**
 * The upstream release a deployed tag is built from: the publish jobs record `<upstream>-kp.<commit>`
 * (.gitlab-ci.yml, .github/workflows/images.yml), so a freshly recorded environment still names its release.
 */
function upstreamRelease(tag: string): string {
  return tag.replace(/-kp\.[0-9a-f]{7,40}$/, '');
}

// Read through the project's loader: the versions the platform is given, not the file's spelling.
const environments = loadEnvironments({ directory: join(ROOT, 'environments'), pluginsDirectory: join(ROOT, 'plugins') });

describe('image versions have one source (images/*/Dockerfile)', () => {
  test('there are sample environments', () => {
    expect(environments.length).toBeGreaterThan(0);
  });

  test.each(environments)('$name deploys the controller release the KIC Dockerfile builds', ({ images }) => {
    // GIVEN the upstream KIC release the hardened image is built from (e.g. 3.3.1)
    const built = upstreamTag('kong-ingress-controller');
    // THEN the environment's controller tag is that release
    expect(upstreamRelease(String(images.controller.tag))).toBe(built);
  });

  test.each(environments)('$name deploys a gateway release of the line the gateway Dockerfile builds', ({ images }) => {
    // GIVEN the upstream gateway line (e.g. "3.9-debian": the 3.9 line, pinned by digest)
    const line = /^(\d+\.\d+)/.exec(upstreamTag('kong'))![1];
    // THEN the environment's gateway tag is a release of that line
    expect(upstreamRelease(String(images.gateway.tag))).toMatch(new RegExp(`^${line.replace('.', '\\.')}(\\.|$)`));
  });
});

test.each([
  ['3.3.1-kp.abc1234', '3.3.1'],
  ['3.9-kp.0123456789abcdef0123456789abcdef01234567', '3.9'],
  ['3.9.1', '3.9.1'],
  ['3.9.1-kp.notasha', '3.9.1-kp.notasha'],
])('a tag the publish jobs record (%s) counts as its upstream release (%s)', (tag, release) => {
  expect(upstreamRelease(tag)).toBe(release);
});
