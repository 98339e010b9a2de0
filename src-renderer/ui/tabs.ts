import { h } from './dom.ts';

export const TAB_NAMES = ['dictation', 'commands', 'keywords', 'files', 'words', 'retrain', 'models', 'settings'] as const;
export type TabName = (typeof TAB_NAMES)[number];

export interface TabSpec {
  name: TabName;
  label: string;
  icon: string;
  panel: HTMLElement;
}

/**
 * A vertical tab list (WAI-ARIA tabs pattern: roving tabindex, arrow keys / Home / End move and
 * activate). Buttons are data-testid tab-<name>, panels panel-<name>. `onSelect` runs after each
 * change, user or programmatic.
 */
export function createTabs(tabs: TabSpec[], initial: TabName, onSelect: (name: TabName) => void): { nav: HTMLElement; panels: HTMLElement; select(name: TabName): void } {
  const buttons = new Map<TabName, HTMLButtonElement>();
  const nav = h('nav', { class: 'sidebar', 'aria-label': 'Views' });
  const list = h('div', { class: 'tablist', role: 'tablist', 'aria-orientation': 'vertical' });
  const panels = h('main', { class: 'panels' });
  let current: TabName = initial;

  const select = (name: TabName, focus = false) => {
    current = name;
    for (const t of tabs) {
      const selected = t.name === name;
      const b = buttons.get(t.name)!;
      b.setAttribute('aria-selected', String(selected));
      b.tabIndex = selected ? 0 : -1;
      t.panel.hidden = !selected;
    }
    if (focus) buttons.get(name)!.focus();
    onSelect(name);
  };

  for (const t of tabs) {
    const b = h('button', {
      class: 'tab', type: 'button', role: 'tab', id: `tab-${t.name}`, 'data-testid': `tab-${t.name}`, 'aria-controls': `panel-${t.name}`,
    }, h('span', { class: 'tab-icon', 'aria-hidden': 'true' }, t.icon), h('span', { class: 'tab-label' }, t.label));
    b.addEventListener('click', () => select(t.name));
    buttons.set(t.name, b);
    list.appendChild(b);
    t.panel.id = `panel-${t.name}`;
    t.panel.setAttribute('role', 'tabpanel');
    t.panel.setAttribute('aria-labelledby', `tab-${t.name}`);
    t.panel.dataset.testid = `panel-${t.name}`;
    t.panel.tabIndex = 0;
    t.panel.classList.add('panel');
    panels.appendChild(t.panel);
  }
  list.addEventListener('keydown', (e) => {
    const i = tabs.findIndex((t) => t.name === current);
    const moves: Record<string, number> = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    select(tabs[(moves[e.key] + tabs.length) % tabs.length].name, true);
  });
  nav.appendChild(list);
  select(initial);
  return { nav, panels, select: (name) => select(name) };
}
