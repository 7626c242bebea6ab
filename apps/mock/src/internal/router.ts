/** A path template compiled to a matcher: `{param}` placeholders, an optional trailing slash, any case. */
export interface Route<Target> {
  readonly template: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly target: Target;
}

/** What matched a path: the route's target and the decoded path parameters. */
export interface RouteMatch<Target> {
  readonly target: Target;
  readonly template: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Compiles a template such as `/v1/customers/{customerId}/analytics/licenses/usage`. */
export function compileRoute<Target>(template: string, target: Target): Route<Target> {
  const params: string[] = [];
  const source = template
    .replace(/\/+$/, '')
    .split(/(\{\w+\})/)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (param !== null) {
        params.push(param[1]!);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { template, pattern: new RegExp(`^${source}/?$`, 'i'), params, target };
}

/** The first route whose template matches `pathname`. */
export function matchRoute<Target>(
  routes: readonly Route<Target>[],
  pathname: string,
): RouteMatch<Target> | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (match === null) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, index) => {
      const raw = match[index + 1] ?? '';
      let value = raw;
      try {
        value = decodeURIComponent(raw);
      } catch (error) {
        if (!(error instanceof URIError)) throw error;
      }
      params[name] = value;
    });
    return { target: route.target, template: route.template, params };
  }
  return undefined;
}
