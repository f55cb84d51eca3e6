import { configIssuesFromProps, environmentFieldOf } from '../../config/props-issues';
import { ConfigError } from '../../config/errors';
import { PropsProblem } from '../../constructs/core/validation';

describe('construct props problems mapped back to the environment file', () => {
  test('GIVEN problems of the platform stack of aws-dev WHEN mapped THEN each names environments/aws-dev.yaml and the file field', () => {
    const problems: PropsProblem[] = [
      { constructPath: 'aws-dev-platform/kong', field: 'applicationNamespaces.1.name', value: 'kong', message: 'must differ from the Kong namespace "kong"' },
      {
        constructPath: 'aws-dev-platform/kong',
        field: 'addOns.2(apis).section.apis.0.plugins.1.plugin',
        value: 'tenant-header',
        message: 'custom plugin "tenant-header" is not enabled',
      },
      { constructPath: 'aws-dev-platform/kong', field: 'gateway.replicas', value: NaN, message: 'must be a whole number from 1 to 100' },
    ];
    const error = new ConfigError(configIssuesFromProps(problems, (name) => `environments/${name}.yaml`));
    expect(error.message.split('\n')).toEqual([
      'Invalid environment configuration (3 problems):',
      '  environments/aws-dev.yaml: namespaces.applications.1.name: must differ from the Kong namespace "kong", got "kong"',
      '  environments/aws-dev.yaml: apis.apis.0.plugins.1.plugin: custom plugin "tenant-header" is not enabled, got "tenant-header"',
      '  environments/aws-dev.yaml: gateway.replicas: must be a whole number from 1 to 100, got NaN',
    ]);
  });

  test('GIVEN a construct outside any environment stack THEN the construct path stands in for the file', () => {
    expect(configIssuesFromProps([{ constructPath: 'team/kong', field: 'environment', value: 'A', message: 'must be a DNS-1123 label' }], () => undefined)).toEqual([
      { file: 'team/kong', path: 'environment', message: 'must be a DNS-1123 label, got "A"' },
    ]);
    expect(environmentFieldOf('customPlugins.0')).toBe('plugins.custom.0');
  });
});
