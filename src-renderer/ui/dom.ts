/** Attributes for h(): strings/numbers become attributes, booleans toggle them, on* are listeners. */
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
export type Child = Node | string | null | undefined | false;

/**
 * Creates an element. `class`, `data-*`, `aria-*` and other attributes are set as attributes
 * (never inline style: the page's CSP forbids style attributes); `onclick` etc. add listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends children, skipping empty ones; strings become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** Restarts a one-shot CSS animation class (e.g. a "fired" flash) on `el`. */
export function flash(el: Element, className: string): void {
  el.classList.remove(className);
  void (el as HTMLElement).offsetWidth; // forces a style flush so the animation starts again
  el.classList.add(className);
}
