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
    expect(images.controller.tag).toBe(built);
  });

  test.each(environments)('$name deploys a gateway release of the line the gateway Dockerfile builds', ({ images }) => {
    // GIVEN the upstream gateway line (e.g. "3.9-debian": the 3.9 line, pinned by digest)
    const line = /^(\d+\.\d+)/.exec(upstreamTag('kong'))![1];
    // THEN the environment's gateway tag is a release of that line
    expect(String(images.gateway.tag)).toMatch(new RegExp(`^${line.replace('.', '\\.')}(\\.|$)`));
  });
});
