/**
 * The script of the HTML page. It runs in the browser: the page inlines this function's source
 * text, so it must not reference anything outside itself (only its parameters and browser
 * globals). It draws the treemap of the node at the zoom path, nested a few levels deep, and
 * zooms on clicks.
 */

/**
 * A node as the page carries it: [name, size, role letter, colour, children, baseline size].
 * Roles are one letter (d, f, b, m, p, r: see ROLE_LETTERS) to keep 100,000-file pages small.
 */
export type CompactNode = [string, number, string, number | string, CompactNode[]?, number?];

export function pageMain(
  tree: CompactNode,
  squarify: (sizes: readonly number[], x: number, y: number, w: number, h: number) => number[],
  kinds: Record<string, string>,
  layerColour: (layer: number) => string,
  roles: Record<string, string>,
): void {
  const box = document.getElementById('treemap') as HTMLElement;
  const crumbs = document.getElementById('crumbs') as HTMLElement;
  const MAX_DEPTH = 3;
  const MAX_NODES = 4000;
  const HEADER = 16;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  const human = (n: number): string => {
    let v = n;
    let i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
  };
  const colourOf = (c: number | string): string =>
    typeof c === 'number' ? layerColour(c) : (kinds[c] ?? '#d9d9d9');
  const nodeAt = (path: number[]): CompactNode => {
    let n = tree;
    for (const i of path) n = (n[4] as CompactNode[])[i] as CompactNode;
    return n;
  };
  let zoom: number[] = [];
  let drawn = 0;

  const draw = (
    node: CompactNode,
    path: number[],
    x: number,
    y: number,
    w: number,
    h: number,
    depth: number,
  ) => {
    const kids = node[4] ?? [];
    const rects = squarify(
      kids.map((k) => k[1]),
      x,
      y,
      w,
      h,
    );
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i] as CompactNode;
      const [rx, ry, rw, rh] = [
        rects[i * 4],
        rects[i * 4 + 1],
        rects[i * 4 + 2],
        rects[i * 4 + 3],
      ] as number[];
      if (rw < 2 || rh < 2 || drawn >= MAX_NODES) continue;
      drawn++;
      const el = document.createElement('div');
      const role = roles[k[2]] ?? k[2];
      el.className = `node role-${role}`;
      el.style.left = `${rx}px`;
      el.style.top = `${ry}px`;
      el.style.width = `${rw}px`;
      el.style.height = `${rh}px`;
      el.style.background = colourOf(k[3]);
      const childPath = [...path, i];
      el.dataset.ix = childPath.join('.');
      el.dataset.name = k[0];
      el.dataset.size = String(k[1]);
      el.dataset.role = role;
      const was = k[5] === undefined ? '' : ` (was ${human(k[5])})`;
      el.title = `${k[0]}\n${human(k[1])}${was}${role === 'binary' ? '\nGo binary: click to see its modules' : ''}`;
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = rw > 40 && rh > 14 ? `${k[0]} ${human(k[1])}` : '';
      el.appendChild(label);
      box.appendChild(el);
      const open = (k[4]?.length ?? 0) > 0 && depth < MAX_DEPTH && rw > 30 && rh > HEADER + 12;
      if (open) draw(k, childPath, rx + 2, ry + HEADER, rw - 4, rh - HEADER - 2, depth + 1);
    }
  };

  const render = () => {
    box.textContent = '';
    drawn = 0;
    const node = nodeAt(zoom);
    draw(node, zoom, 0, 0, box.clientWidth, box.clientHeight, 1);
    crumbs.textContent = '';
    for (let d = 0; d <= zoom.length; d++) {
      const n = nodeAt(zoom.slice(0, d));
      const a = document.createElement('a');
      a.href = '#';
      a.dataset.depth = String(d);
      a.textContent = `${n[0]} (${human(n[1])})`;
      crumbs.appendChild(a);
      if (d < zoom.length) crumbs.appendChild(document.createTextNode(' › '));
    }
    box.dataset.zoom = zoom.join('.');
  };

  /** From the current zoom, a click goes one level down, or straight to a Go binary on the way. */
  const target = (path: number[]): number[] => {
    const inBinary = zoom.some((_, d) => nodeAt(zoom.slice(0, d + 1))[2] === 'b');
    if (!inBinary) {
      for (let d = zoom.length + 1; d <= path.length; d++) {
        if (nodeAt(path.slice(0, d))[2] === 'b') return path.slice(0, d);
      }
    }
    return path.slice(0, zoom.length + 1);
  };

  box.addEventListener('click', (ev) => {
    const el = (ev.target as HTMLElement).closest('.node') as HTMLElement | null;
    if (!el?.dataset.ix) return;
    const next = target(el.dataset.ix.split('.').map(Number));
    if ((nodeAt(next)[4]?.length ?? 0) === 0) return;
    zoom = next;
    render();
  });
  crumbs.addEventListener('click', (ev) => {
    const a = (ev.target as HTMLElement).closest('a') as HTMLElement | null;
    if (!a) return;
    ev.preventDefault();
    zoom = zoom.slice(0, Number(a.dataset.depth));
    render();
  });
  document.addEventListener('click', (ev) => {
    const a = (ev.target as HTMLElement).closest('[data-zoom]') as HTMLElement | null;
    if (!a) return;
    ev.preventDefault();
    const z = a.dataset.zoom as string;
    zoom = z === '' ? [] : z.split('.').map(Number);
    render();
    box.scrollIntoView();
  });
  window.addEventListener('resize', render);
  render();
}
