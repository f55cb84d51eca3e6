import { labelKeyProblem, labelValueProblem } from '../../constructs/core/kubernetes-labels';
import { problems, rawEnvironment } from '../support/platform-fixture';
import { awsSectionSchema } from '../../config/sections/aws';
import { awsInput } from '../aws/fixture';

describe('Kubernetes label syntax, checked before the API server refuses it at apply', () => {
  test.each([
    ['team', undefined],
    ['app.kubernetes.io/part-of', undefined],
    ['example.com/tier_1', undefined],
    ['-team', 'the name must be 1-63 characters'],
    ['Example.com/team', 'the prefix before "/" must be a DNS subdomain'],
    ['/team', 'the prefix before "/" must be a DNS subdomain'],
    ['a'.repeat(64), 'the name must be 1-63 characters'],
  ])('key %p', (key, problem) => {
    const found = labelKeyProblem(key);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test.each([
    ['', undefined],
    ['payments_v2.1', undefined],
    ['trailing-', 'starting and ending with a letter or digit'],
    ['with space', 'at most 63 characters of letters'],
    ['x'.repeat(64), 'at most 63 characters'],
  ])('value %p', (value, problem) => {
    const found = labelValueProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test('GIVEN a namespace label value with a space in an environment file THEN the file names the label', () => {
    const found = problems(rawEnvironment({ namespaces: { applications: [{ name: 'payments', labels: { team: 'pay ments' } }] } }));
    expect(found).toContainEqual(expect.stringMatching(/^test-env\.yaml: namespaces\.applications\.0\.labels\.team: label value "pay ments": .*\(Kubernetes label syntax\)/));
  });

  test('GIVEN an EKS node group label key with a bad prefix THEN the aws section refuses it', () => {
    const result = awsSectionSchema.safeParse(awsInput({ nodeGroups: [{ name: 'system', labels: { 'Nodes.Example/pool': 'a' } }] }));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['nodeGroups', 0, 'labels', 'Nodes.Example/pool'], message: expect.stringContaining('must be a DNS subdomain') });
  });
});
