import { RouteMatch, routeShadows } from '../../constructs/apis/route-shadowing';
import { libraryPlatform, problems } from '../support/platform-fixture';
import { section } from './fixtures';

const route = (name: string, overrides: Partial<RouteMatch>): RouteMatch => ({
  at: name,
  name,
  hosts: ['api.example.com'],
  paths: ['/'],
  exact: false,
  authenticated: false,
  ...overrides,
});
const PROTECTED = route('payments/v1', { paths: ['/v1'], authenticated: true });
const shadows = (publicRoute: RouteMatch, protectedRoute: RouteMatch = PROTECTED) => routeShadows([publicRoute, protectedRoute]).map((s) => s.example);

describe('route shadowing: which route Kong gives a request', () => {
  test('a longer public prefix inside a protected prefix takes its requests', () => {
    expect(shadows(route('open', { paths: ['/v1/status'] }))).toEqual(['api.example.com/v1/status/']);
  });
  test('the same host and prefix is a tie, counted as shadowing (also with a trailing slash or other host case)', () => {
    expect(shadows(route('open', { paths: ['/v1'] }))).toEqual(['api.example.com/v1/']);
    expect(shadows(route('open', { paths: ['/v1/'] }))).toEqual(['api.example.com/v1/']);
    expect(shadows(route('open', { hosts: ['API.example.com.'], paths: ['/v1'] }))).toEqual(['api.example.com/v1/']);
  });
  test('an exact public path inside a protected prefix takes that path', () => {
    expect(shadows(route('open', { paths: ['/v1/health'], exact: true }))).toEqual(['api.example.com/v1/health']);
  });
  test('an exact host beats a protected wildcard host, whatever the paths', () => {
    const wildcard = route('payments/any', { hosts: ['*.example.com'], paths: ['/v1'], authenticated: true });
    expect(shadows(route('open', { hosts: ['api.example.com'], paths: ['/'] }), wildcard)).toEqual(['api.example.com/v1/']);
    expect(shadows(route('open', { hosts: ['*.eu.example.com'], paths: ['/'] }), wildcard)).toEqual(['x.eu.example.com/v1/']);
  });
  test('a shorter public prefix only takes what the protected route does not match', () => {
    expect(shadows(route('landing', { paths: ['/'] }))).toEqual([]);
    expect(shadows(route('docs', { paths: ['/v'] }))).toEqual([]);
  });
  test('prefixes match whole segments: /v1 does not cover /v10', () => {
    expect(shadows(route('open', { paths: ['/v10'] }))).toEqual([]);
  });
  test('a wildcard public host loses to an exact protected host, other hosts and disjoint methods do not meet', () => {
    expect(shadows(route('open', { hosts: ['*.example.com'], paths: ['/v1'] }))).toEqual([]);
    expect(shadows(route('open', { hosts: ['status.example.com'], paths: ['/v1'] }))).toEqual([]);
    expect(shadows(route('open', { paths: ['/v1'], methods: ['GET'] }), { ...PROTECTED, methods: ['POST'] })).toEqual([]);
    expect(shadows(route('open', { paths: ['/v1'], methods: ['GET'] }), { ...PROTECTED, methods: ['GET', 'POST'] })).toEqual(['api.example.com/v1/']);
  });
  test('an exact protected path beats a public prefix over it', () => {
    expect(shadows(route('open', { paths: ['/v1'] }), { ...PROTECTED, paths: ['/v1/pay'], exact: true })).toEqual([]);
  });
});

describe('route shadowing: the apis section refuses it in production', () => {
  const NAMESPACES = { namespaces: { applications: [{ name: 'payments' }] } };
  const PROD = { production: true, backend: { type: 's3', bucket: 'state-bucket', region: 'eu-west-1' } };
  const statusApi = (paths: string[], hosts = ['payments.example.com']) => ({
    name: 'status',
    namespace: 'payments',
    public: true,
    service: { name: 'status', port: 8080 },
    routes: [{ name: 'open', hosts, paths }],
  });
  const check = (apis: Record<string, unknown>, extra: Record<string, unknown> = PROD) => {
    const { rawEnvironment } = require('../support/platform-fixture');
    return problems({ ...rawEnvironment(), ...NAMESPACES, ...extra, apis }).filter((p: string) => p.includes('apis'));
  };

  test('a public API routed under a protected API is refused, naming both routes and a request', () => {
    const found = check(section({ apis: [...section().apis!, statusApi(['/v1/status'])] }));
    expect(found).toEqual([
      expect.stringContaining(
        'apis.apis.1.routes.0: public route status/open takes requests of the authenticated route payments/read (apis.apis.0.routes.0): Kong sends payments.example.com/v1/status/ to it without authentication',
      ),
    ]);
  });
  test('variants: the same path with a trailing slash, an exact path, a wildcard protected host', () => {
    expect(check(section({ apis: [...section().apis!, statusApi(['/v1/'])] }))).toEqual([expect.stringContaining('Kong sends payments.example.com/v1/ to it')]);
    const exact = { ...statusApi([]), routes: [{ name: 'open', hosts: ['payments.example.com'], paths: ['/v1/health'], pathType: 'Exact' }] };
    expect(check(section({ apis: [...section().apis!, exact] }))).toEqual([expect.stringContaining('Kong sends payments.example.com/v1/health to it')]);
    const wildcard = { ...section().apis![0], routes: [{ name: 'read', hosts: ['*.example.com'], paths: ['/v1'] }] };
    expect(check(section({ apis: [wildcard, statusApi(['/'])] }))).toEqual([expect.stringContaining('payments.example.com/v1/')]);
  });
  test('a public API beside the protected one is fine, and shadowing is not judged outside production', () => {
    expect(check(section({ apis: [...section().apis!, statusApi(['/status'])] }))).toEqual([]);
    expect(check(section({ apis: [...section().apis!, statusApi(['/v1/status'])] }), {})).toEqual([]);
  });
  test('a global authentication plugin leaves no public route to shadow with', () => {
    expect(check(section({ apis: [...section().apis!, statusApi(['/v1/status'])], globalPlugins: [{ plugin: 'key-auth' }] }))).toEqual([]);
  });
});

describe('route shadowing: library use (KongPlatform with an ApiAddOn, no environment file)', () => {
  test('a production platform refuses a public route under a protected one, naming the add-on field', () => {
    // GIVEN
    const { ApiAddOn } = require('../../constructs/apis/api-add-on');
    const apis = section({
      apis: [
        ...section().apis!,
        {
          name: 'status',
          namespace: 'payments',
          public: true,
          service: { name: 'status', port: 8080 },
          routes: [{ name: 'open', hosts: ['payments.example.com'], paths: ['/v1/status'] }],
        },
      ],
    });
    // WHEN / THEN
    expect(() => libraryPlatform({ production: true, applicationNamespaces: [{ name: 'payments' }], addOns: [new ApiAddOn({ section: apis })] })).toThrow(
      'team-stack/kong: addOns.0(apis).section.apis.1.routes.0: public route status/open takes requests of the authenticated route payments/read',
    );
  });
});
