// Small DOM helpers shared by the sections.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

/** Runs `draw` at most once per animation frame, however often it is asked for. */
export function frameScheduler(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
}

/** Calls `redraw` when any of the elements changes size (phone rotation, window resize). */
export function onResize(elements: Element[], redraw: () => void): void {
  const observer = new ResizeObserver(frameScheduler(redraw));
  for (const el of elements) observer.observe(el);
}

/** A Train/Stop toggle button: shows "Stop" while running. */
export function setTrainButton(button: HTMLButtonElement, running: boolean): void {
  button.textContent = running ? 'Stop' : 'Train';
  button.setAttribute('aria-pressed', String(running));
}

export function setStatus(el: HTMLElement, text: string, error = false): void {
  el.textContent = text;
  el.classList.toggle('error', error);
}

/** The checked value of a radio group inside `form`. */
export function radioValue(form: HTMLFormElement, name: string): string {
  const checked = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
  return checked?.value ?? '';
}

/** Shows '—' in each read-out: after a reset the old network's figures no longer apply. */
export function clearReadouts(ids: string[]): void {
  for (const id of ids) byId(id).textContent = '—';
}
