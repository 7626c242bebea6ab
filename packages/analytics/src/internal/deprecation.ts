import type { EndpointDescriptor } from '@pc/models';

// One set per process, shared by every copy of the package (its ESM and CJS builds, or two
// installed versions), so "once per process" holds whichever copy a program loads.
const registryKey = Symbol.for('@pc/analytics.deprecationWarnings');
const processGlobals = globalThis as { [registryKey]?: Set<string> };
processGlobals[registryKey] ??= new Set<string>();
const warned: Set<string> = processGlobals[registryKey];

/** Where deprecation warnings go; default `process.emitWarning` as a `DeprecationWarning`. */
export type WarningSink = (message: string) => void;

/** The default sink: a Node.js `DeprecationWarning` with code `PC_ANALYTICS_SUPERSEDED`. */
export const emitDeprecationWarning: WarningSink = (message) => {
  process.emitWarning(message, { type: 'DeprecationWarning', code: 'PC_ANALYTICS_SUPERSEDED' });
};

/** The warning text for a superseded endpoint. */
export function deprecationMessage(
  descriptor: EndpointDescriptor,
  replacement: EndpointDescriptor | undefined,
): string {
  const by = descriptor.supersededBy ?? 'a newer endpoint';
  const target = replacement === undefined ? by : `${by} (${replacement.method} ${replacement.path})`;
  return `${descriptor.id} (${descriptor.method} ${descriptor.path}) is superseded by ${target}; it still works, but move to the replacement.`;
}

/** Warns once per process per endpoint; returns true when it warned. */
export function warnDeprecatedOnce(
  descriptor: EndpointDescriptor,
  options: { readonly replacement: EndpointDescriptor | undefined; readonly sink: WarningSink },
): boolean {
  if (!descriptor.deprecated || warned.has(descriptor.id)) return false;
  warned.add(descriptor.id);
  options.sink(deprecationMessage(descriptor, options.replacement));
  return true;
}

/** Forgets which endpoints have warned (tests only). */
export function resetDeprecationWarnings(): void {
  warned.clear();
}
