import { readFileSync } from 'fs';
import { join } from 'path';
import { environmentImages } from '../../config/images';
import type { TerraformStack } from '../../constructs/core/cdktf';
import { DEPLOYED_IMAGES_FILE, deployedImages } from '../../constructs/policy/deployed-images';
import { DIGEST_A, DIGEST_B, libraryPlatform } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';
import { parse } from 'yaml';

function platformStack(gatewayExtraValues: Record<string, unknown> = {}, production = false): TerraformStack {
  return libraryPlatform({ gateway: { extraValues: gatewayExtraValues } }, { policy: { production } }).stack;
}

describe('the images a stack deploys, as the charts render them', () => {
  test('GIVEN a platform THEN the gateway and controller images are listed by digest', () => {
    expect(deployedImages(platformStack())).toEqual({
      production: false,
      pinned: [`registry.example.com/kong/kong-gateway:3.9.1@${DIGEST_A}`, `registry.example.com/kong/kubernetes-ingress-controller:3.4.4@${DIGEST_B}`],
      unpinned: [],
    });
  });

  test('GIVEN an image swapped through extraValues THEN the swapped image is what is listed (effective values, not props)', () => {
    const images = deployedImages(platformStack({ image: { unifiedRepoTag: 'docker.io/someone/kong:3.9' } }));
    expect(images.unpinned).toEqual(['docker.io/someone/kong:3.9']);
    expect(images.pinned).toEqual([`registry.example.com/kong/kubernetes-ingress-controller:3.4.4@${DIGEST_B}`]);
  });

  test('GIVEN repository/tag set beside the unifiedRepoTag the chart prefers THEN the image the chart renders is listed, not the decoy', () => {
    const images = deployedImages(platformStack({ image: { repository: 'docker.io/someone/kong', tag: '3.9' } }));
    expect(images.unpinned).toEqual([]);
    expect(images.pinned).toContain(`registry.example.com/kong/kong-gateway:3.9.1@${DIGEST_A}`);
  });

  test('GIVEN a sidecar added through extraValues THEN its image is listed too', () => {
    const images = deployedImages(platformStack({ deployment: { sidecarContainers: [{ name: 'shipper', image: 'docker.io/logs/shipper:1' }] } }));
    expect(images.unpinned).toContain('docker.io/logs/shipper:1');
  });

  test('synth writes images.json beside each platform stack: every image of the environment file, mesh images included', () => {
    // GIVEN the sample aws-dev environment, synthesized to disk like npm run synth does
    const synth = sampleSynth('aws-dev');
    const written = JSON.parse(readFileSync(join(synth.stackDirectory('platform'), 'images.json'), 'utf8'));
    const file = parse(readFileSync(join(__dirname, '..', '..', 'environments', 'aws-dev.yaml'), 'utf8'));
    // THEN
    expect(written.production).toBe(false);
    for (const { image } of environmentImages(file)) {
      expect(written.pinned).toContainEqual(expect.stringContaining(`/${image.repository}:${image.tag}@${image.digest}`));
    }
    expect(written.pinned.length).toBe(environmentImages(file).length);
  });

  test('the delivery script reads the file synth writes (it cannot import the constructs: no node_modules in CI jobs)', () => {
    expect(require('../../scripts/deliver').DEPLOYED_IMAGES_FILE).toBe(DEPLOYED_IMAGES_FILE);
  });
});
