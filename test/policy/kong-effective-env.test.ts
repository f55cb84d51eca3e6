import { controllerReadsTrue, effectiveControllerSettings, effectiveKongSettings, kongReadsTrue } from '../../constructs/policy/kong-effective-env';

describe('effective Kong settings, as the kong chart 3.4.1 renders the environment', () => {
  test('env keys in any case are the same Kong setting', () => {
    expect(effectiveKongSettings({ env: { Admin_Listen: '0.0.0.0:8001' } })).toEqual({ admin_listen: '0.0.0.0:8001' });
  });

  test('when two spellings meet, the chart keeps the one that sorts last (Go ranges maps in key order)', () => {
    // GIVEN the construct's lower-case key and an upper-case one from extraValues
    const settings = effectiveKongSettings({ env: { trusted_ips: '10.0.0.0/16', TRUSTED_IPS: '0.0.0.0/0' } });
    // THEN the lower-case key (sorting after the upper-case one) is what Kong gets
    expect(settings.trusted_ips).toBe('10.0.0.0/16');
  });

  test('customEnv KONG_ variables win over env', () => {
    const settings = effectiveKongSettings({ env: { trusted_ips: '10.0.0.0/16' }, customEnv: { kong_trusted_ips: '0.0.0.0/0' } });
    expect(settings.trusted_ips).toBe('0.0.0.0/0');
  });

  test('customEnv variables without the KONG_ prefix are not Kong settings', () => {
    expect(effectiveKongSettings({ customEnv: { TRUSTED_IPS: '0.0.0.0/0' } })).toEqual({});
  });

  test('a valueFrom map is a run-time value, not a literal', () => {
    expect(effectiveKongSettings({ env: { pg_password: { valueFrom: { secretKeyRef: { name: 'pg', key: 'password' } } } } }).pg_password).toBe('${runtime}');
  });

  test('controller settings come from ingressController.env and its customEnv with CONTROLLER_', () => {
    const values = { ingressController: { env: { kong_admin_tls_skip_verify: false }, customEnv: { CONTROLLER_KONG_ADMIN_TLS_SKIP_VERIFY: 'TRUE' } } };
    expect(effectiveControllerSettings(values)).toEqual({ kong_admin_tls_skip_verify: 'TRUE' });
  });
});

describe('boolean spellings', () => {
  test.each([true, 1, '1', 't', 'T', 'true', 'TRUE', 'True'])('the controller reads %j as true', (v) => expect(controllerReadsTrue(v)).toBe(true));
  test.each([false, 'false', 'yes', 'on', '0', ''])('the controller reads %j as false', (v) => expect(controllerReadsTrue(v)).toBe(false));
  test.each([true, 'on', 'ON', 'true', 'True'])('Kong reads %j as true', (v) => expect(kongReadsTrue(v)).toBe(true));
  test.each([false, 'off', 'yes', '1'])('Kong reads %j as false', (v) => expect(kongReadsTrue(v)).toBe(false));
});
