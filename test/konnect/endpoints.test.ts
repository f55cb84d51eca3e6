import { TerraformOutput } from '../../constructs/core/cdktf';
import { endpointHost, endpointHostPort, endpointHostPortToken, endpointHostToken, konnectKicApiHostname, konnectServerUrl } from '../../constructs/konnect/endpoints';
import { GatewayControlPlane } from '../../constructs/konnect/provider/gateway-control-plane';
import { newStack, synth } from './fixtures';

// Endpoint shapes as Konnect reports them per region (config.control_plane_endpoint / telemetry_endpoint).
const REGION_ENDPOINTS = [
  { region: 'us', cp: 'https://1a2b3c4d5e.us.cp0.konghq.com', tp: 'https://1a2b3c4d5e.us.tp0.konghq.com' },
  { region: 'eu', cp: 'https://6f7a8b9c0d.eu.cp0.konghq.com', tp: 'https://6f7a8b9c0d.eu.tp0.konghq.com' },
  { region: 'au', cp: 'https://0e1f2a3b4c.au.cp0.konghq.com', tp: 'https://0e1f2a3b4c.au.tp0.konghq.com' },
] as const;

describe('Konnect endpoint derivation', () => {
  it.each(REGION_ENDPOINTS)('strips the scheme and adds :443 for $region', ({ region, cp, tp }) => {
    // GIVEN the endpoints of a control plane in the region
    // WHEN deriving kong.conf values
    // THEN host names without scheme, and host:443
    expect(endpointHost(cp)).toBe(cp.slice('https://'.length));
    expect(endpointHostPort(cp)).toBe(`${cp.slice('https://'.length)}:443`);
    expect(endpointHost(tp)).toBe(`${tp.slice('https://'.length)}`);
    expect(endpointHostPort(tp)).toMatch(new RegExp(`^[0-9a-f]{10}\\.${region}\\.tp0\\.konghq\\.com:443$`));
  });

  it('ignores a trailing slash', () => {
    expect(endpointHostPort('https://1a2b3c4d5e.eu.cp0.konghq.com/')).toBe('1a2b3c4d5e.eu.cp0.konghq.com:443');
  });

  it('gives the regional API and KIC hosts', () => {
    expect(konnectServerUrl('eu')).toBe('https://eu.api.konghq.com');
    expect(konnectKicApiHostname('au')).toBe('au.kic.api.konghq.com');
  });

  it('token and pure forms agree on plain strings', () => {
    for (const { cp } of REGION_ENDPOINTS) {
      expect(endpointHostToken(cp)).toBe(endpointHost(cp));
      expect(endpointHostPortToken(cp)).toBe(endpointHostPort(cp));
    }
  });

  it('derives from an apply-time endpoint with Terraform functions', () => {
    // GIVEN a control plane whose endpoint is only known after apply
    const stack = newStack();
    const cp = new GatewayControlPlane(stack, 'cp', { name: 'x' });
    // WHEN deriving host:port
    new TerraformOutput(stack, 'host_port', { value: endpointHostPortToken(cp.controlPlaneEndpoint) });
    // THEN the expression trims the scheme from the nested config attribute and appends :443
    const value = synth(stack).output.host_port.value;
    expect(value).toBe('${trimsuffix(trimprefix(konnect_gateway_control_plane.cp.config.control_plane_endpoint, "https://"), "/")}:443');
  });
});
