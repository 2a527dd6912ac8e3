/** Tiny DOM helpers. Text goes in with textContent only: API data is never parsed as HTML. */

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [k, v] of Object.entries(options.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) if (c) node.appendChild(c);
  return node;
}

export function icon(name: string): HTMLSpanElement {
  return el('span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

export function iconButton(
  iconName: string,
  label: string,
  onClick: () => void,
  className = 'icon-button',
): HTMLButtonElement {
  const b = el('button', { className, title: label, attrs: { 'aria-label': label, type: 'button' } }, [icon(iconName)]);
  b.addEventListener('click', onClick);
  return b;
}

export function textButton(
  text: string,
  onClick: () => void,
  options: { primary?: boolean; iconName?: string; title?: string } = {},
): HTMLButtonElement {
  const b = el(
    'button',
    {
      className: options.primary ? 'button primary' : 'button secondary',
      attrs: { type: 'button' },
      ...(options.title ? { title: options.title } : {}),
    },
    [options.iconName ? icon(options.iconName) : undefined, el('span', { text })],
  );
  b.addEventListener('click', onClick);
  return b;
}

export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
