// A section card built from script, with its link in the header's navigation, placed before an existing
// section (or at the end): the concept sections build their own markup so that index.html stays untouched.

export interface CardOptions {
  id: string;
  title: string;
  /** The lead paragraph, as HTML (static text of ours, never user input). */
  lead: string;
  /** The id of the section it goes before; null puts it last. */
  before: string | null;
}

export function addCard({ id, title, lead, before }: CardOptions): HTMLElement {
  const section = document.createElement('section');
  section.id = id;
  section.className = 'card';
  section.setAttribute('aria-labelledby', `${id}-title`);
  const h2 = document.createElement('h2');
  h2.id = `${id}-title`;
  h2.textContent = title;
  const p = document.createElement('p');
  p.className = 'lead';
  p.innerHTML = lead;
  section.append(h2, p);
  const main = document.getElementById('main')!;
  const next = before ? document.getElementById(before) : null;
  main.insertBefore(section, next);

  const nav = document.querySelector('.site-header nav ul');
  if (nav) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#${id}`;
    a.textContent = title;
    li.append(a);
    const nextLink = before ? nav.querySelector(`a[href="#${before}"]`)?.parentElement : null;
    nav.insertBefore(li, nextLink ?? null);
  }
  return section;
}

/** An element with a class and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}
