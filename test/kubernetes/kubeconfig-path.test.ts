import * as path from 'path';
import { parse } from 'yaml';
import { readFileSync } from 'fs';
import { Testing, TerraformStack } from '../../constructs/core/cdktf';
import { ClusterAccess } from '../../constructs/kubernetes/cluster-access';
import { loadEnvironments, validateEnvironment } from '../../config/load';
import { PLUGINS_DIR, REPO_ROOT, problems, rawEnvironment, synthEnvironment } from '../support/platform-fixture';
import { sampleSynth } from '../support/sample-synth';
import { synthJson } from '../support/terraform-json';

// Hybrid environments: the kubernetes and helm providers read KUBE_CONFIG_PATH themselves when
// config_path is unset, so the environment file need not (and the samples do not) hard-wire one.

/** The platform stack of a hybrid environment whose `kubernetes:` section is exactly `kubernetes`. */
function hybrid(kubernetes: Record<string, string>) {
  const result = validateEnvironment({ ...rawEnvironment(), kubernetes }, 'test-env.yaml', { pluginsDirectory: PLUGINS_DIR });
  if (!result.environment) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return synthEnvironment(result.environment).stack('platform');
}

describe('kubeconfig of hybrid environments', () => {
  test('without kubeconfigPath no config_path is written: the providers read KUBE_CONFIG_PATH, the context stays pinned', () => {
    // WHEN
    const json = hybrid({ context: 'onprem-admin' });
    // THEN
    expect(json.provider.kubernetes).toEqual([{ config_context: 'onprem-admin' }]);
    expect(json.provider.helm).toEqual([{ kubernetes: { config_context: 'onprem-admin' } }]);
  });

  test('the onprem-hybrid sample names no kubeconfig file', () => {
    // GIVEN
    const file = parse(readFileSync(path.join(REPO_ROOT, 'environments', 'onprem-hybrid.yaml'), 'utf8'));
    const [env] = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR, only: ['onprem-hybrid'] });
    // WHEN
    const json = sampleSynth(env.name).stack('platform');
    // THEN
    expect(file.kubernetes).not.toHaveProperty('kubeconfigPath');
    expect(json.provider.kubernetes[0]).not.toHaveProperty('config_path');
    expect(json.provider.helm[0].kubernetes).not.toHaveProperty('config_path');
    expect(JSON.stringify(json.provider)).not.toContain('.kube/config');
  });

  test('a relative kubeconfigPath is relative to the repository root, written as seen from the stack directory', () => {
    // WHEN
    const json = hybrid({ kubeconfigPath: 'kube/onprem.yaml', context: 'onprem-admin' });
    // THEN
    expect(json.provider.kubernetes[0].config_path).toBe('../../../kube/onprem.yaml');
    expect(json.provider.helm[0].kubernetes.config_path).toBe('../../../kube/onprem.yaml');
    expect(path.resolve(REPO_ROOT, 'cdktf.out/stacks/test-env-platform', json.provider.kubernetes[0].config_path)).toBe(path.join(REPO_ROOT, 'kube/onprem.yaml'));
  });

  test.each(['~/.kube/onprem', '/etc/kube/onprem.yaml'])('a home-relative or absolute kubeconfigPath (%s) is written as given', (kubeconfigPath) => {
    // WHEN
    const json = hybrid({ kubeconfigPath, context: 'onprem-admin' });
    // THEN
    expect(json.provider.kubernetes[0].config_path).toBe(kubeconfigPath);
  });

  test('an empty kubeconfigPath or a missing context is refused, naming the field', () => {
    // WHEN
    const empty = problems({ ...rawEnvironment(), kubernetes: { kubeconfigPath: '', context: 'x' } });
    const noContext = problems({ ...rawEnvironment(), kubernetes: {} });
    // THEN
    expect(empty.join('\n')).toMatch(/test-env\.yaml: kubernetes\.kubeconfigPath: /);
    expect(noContext.join('\n')).toMatch(/test-env\.yaml: kubernetes\.context: /);
  });

  test('ClusterAccess.fromKubeconfig: undefined reads KUBE_CONFIG_PATH, an empty string is an error', () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), 's');
    // WHEN
    ClusterAccess.fromKubeConfigPathEnvironment('ctx').configureProviders(stack);
    const json = synthJson(stack);
    // THEN
    expect(json.provider.kubernetes).toEqual([{ config_context: 'ctx' }]);
    expect(() => ClusterAccess.fromKubeconfig('', 'ctx')).toThrow(/configPath must not be empty \(leave it undefined to read KUBE_CONFIG_PATH\)/);
  });
});
