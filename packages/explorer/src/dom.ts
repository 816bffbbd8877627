// Elements are built with textContent and attributes only, never innerHTML: everything shown comes
// from a node or a file the page does not trust, so no string is ever parsed as markup.

export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type AttributeValue = string | number | boolean | null | undefined;
export type Attributes = Record<string, AttributeValue | ((event: Event) => void)>;

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const item of child as readonly Child[]) append(parent, item);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

/** h('a', { href: '#/', class: 'x', onclick: f }, 'text', child): an element; true/false toggle boolean attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) append(element, child);
  return element;
}

/** Replaces an element's content. */
export function fill(element: Element, ...children: Child[]): void {
  element.replaceChildren();
  for (const child of children) append(element, child);
}

/** A table with a header row; wide tables scroll sideways inside their wrapper on a phone. */
export function table(label: string, headings: readonly string[], rows: readonly (readonly Child[])[], empty = 'None'): HTMLElement {
  const body = rows.length === 0
    ? [h('tr', null, h('td', { colspan: headings.length }, empty))]
    : rows.map((cells) => h('tr', null, cells.map((cell) => h('td', null, cell))));
  // The wrapper takes keyboard focus so a table wider than the screen can be scrolled without a mouse;
  // it has no name of its own, so the table keeps the only accessible name.
  return h('div', { class: 'table-scroll', tabindex: 0 },
    h('table', { 'aria-label': label },
      h('thead', null, h('tr', null, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
      h('tbody', null, body)));
}

/** A definition list of label → value pairs; undefined values are left out. */
export function fields(entries: ReadonlyArray<readonly [string, Child]>): HTMLElement {
  return h('dl', { class: 'fields' }, entries.filter(([, value]) => value !== undefined).map(([name, value]) => [h('dt', null, name), h('dd', null, value)]));
}

/** A page's h1: focused after navigation so screen readers announce the new page. */
export function heading(text: string): HTMLHeadingElement {
  return h('h1', { tabindex: -1 }, text);
}

/** A long hex value, shown in full but allowed to wrap. */
export function hex(value: string): HTMLElement {
  return h('code', { class: 'hex' }, value);
}
