/**
 * Which route Kong picks when two routes match one request, as far as it matters for
 * authentication: a public (unauthenticated) route that wins a request an authenticated route
 * also matches serves that request without authentication.
 *
 * The precedence modelled is Kong's for the routes the ingress controller generates: an exact
 * host beats a wildcard host whatever the paths (`*.example.com` matches any deeper name; host
 * specificity ranks above path length), then an exact path beats a prefix, a longer prefix beats a shorter one, and prefixes match whole path segments (an
 * Ingress `Prefix` of `/pay` matches `/pay` and `/pay/...`, not `/payments`). Two routes equally
 * specific for a request are a tie Kong breaks by creation order: counted as shadowing too.
 */

/** One route as the router sees it, with whether authentication runs on it. */
export interface RouteMatch {
  /** Where the route is declared (`apis.apis.0.routes.1`). */
  readonly at: string;
  /** `<api>/<route>`, for messages. */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  readonly exact: boolean;
  /** Undefined: every method. */
  readonly methods?: readonly string[];
  readonly authenticated: boolean;
}

/** A public route winning requests of an authenticated one. */
export interface RouteShadow {
  readonly publicRoute: RouteMatch;
  readonly protectedRoute: RouteMatch;
  /** A request both match that Kong gives to the public route, e.g. `payments.example.com/v1/transfers`. */
  readonly example: string;
}

const normalisePath = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') || '/' : path);
const normaliseHost = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** True when the prefix covers the path (whole segments). */
function prefixCovers(prefix: string, path: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * A host both routes match, and whether the public route's host is strictly more specific (an
 * exact host against a wildcard, or a deeper wildcard): Kong ranks host specificity above path
 * length, so then any overlapping path goes to the public route. Undefined when the hosts do not
 * overlap or the protected host is the more specific.
 */
function hostOverlap(publicHost: string, protectedHost: string): { host: string; publicMoreSpecific: boolean } | undefined {
  const p = normaliseHost(publicHost);
  const a = normaliseHost(protectedHost);
  const sample = (wildcard: string) => `x${wildcard.slice(1)}`;
  if (p === a) return { host: p.startsWith('*.') ? sample(p) : p, publicMoreSpecific: false };
  if (!a.startsWith('*.') || !p.endsWith(a.slice(1))) return undefined; // the public host is not inside the protected one
  return { host: p.startsWith('*.') ? sample(p) : p, publicMoreSpecific: true };
}

/** A path both routes match, the more specific of the two. */
function pathOverlap(publicRoute: RouteMatch, p: string, protectedRoute: RouteMatch, a: string): string | undefined {
  const shown = (path: string, exact: boolean) => (exact || path === '/' ? path : `${path}/`);
  if (publicRoute.exact && protectedRoute.exact) return p === a ? p : undefined;
  if (publicRoute.exact) return prefixCovers(a, p) ? p : undefined;
  if (protectedRoute.exact) return prefixCovers(p, a) ? a : undefined;
  if (prefixCovers(a, p)) return shown(p, false);
  if (prefixCovers(p, a)) return shown(a, false);
  return undefined;
}

/** A path both routes match where the public one wins on equal hosts: it is at least as specific. */
function pathWonByPublic(publicRoute: RouteMatch, p: string, protectedRoute: RouteMatch, a: string): string | undefined {
  if (protectedRoute.exact && !publicRoute.exact) return undefined; // an exact protected path beats any prefix
  if (!publicRoute.exact && !protectedRoute.exact && !prefixCovers(a, p)) return undefined; // a shorter public prefix only takes what the protected one does not match
  return pathOverlap(publicRoute, p, protectedRoute, a);
}

function methodsOverlap(a?: readonly string[], b?: readonly string[]): boolean {
  return a === undefined || b === undefined || a.some((m) => b.includes(m));
}

/** Every (public route, protected route) pair where the public route wins a request of the protected one. */
export function routeShadows(routes: readonly RouteMatch[]): RouteShadow[] {
  const out: RouteShadow[] = [];
  for (const publicRoute of routes.filter((r) => !r.authenticated)) {
    for (const protectedRoute of routes.filter((r) => r.authenticated)) {
      if (!methodsOverlap(publicRoute.methods, protectedRoute.methods)) continue;
      const example = firstShadowedRequest(publicRoute, protectedRoute);
      if (example) {
        out.push({ publicRoute, protectedRoute, example });
        break; // one finding per public route is enough to fix it
      }
    }
  }
  return out;
}

function firstShadowedRequest(publicRoute: RouteMatch, protectedRoute: RouteMatch): string | undefined {
  for (const ph of publicRoute.hosts) {
    for (const ah of protectedRoute.hosts) {
      const hosts = hostOverlap(ph, ah);
      if (!hosts) continue;
      for (const pp of publicRoute.paths.map(normalisePath)) {
        for (const ap of protectedRoute.paths.map(normalisePath)) {
          const path = hosts.publicMoreSpecific ? pathOverlap(publicRoute, pp, protectedRoute, ap) : pathWonByPublic(publicRoute, pp, protectedRoute, ap);
          if (path) return `${hosts.host}${path}`;
        }
      }
    }
  }
  return undefined;
}
