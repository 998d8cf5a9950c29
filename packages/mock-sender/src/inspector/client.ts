/**
 * The inspector page's script. It runs in the browser: served as the source of this
 * function (no build step, no dependency), so it must not use anything outside itself.
 * Every value that came from a delivery reaches the DOM through textContent or a form
 * field's value, never as HTML.
 */
export function client(): void {
  interface Delivery {
    seq: number;
    at: string;
    vendor: string;
    method: string;
    path: string;
    headers: [string, string][];
    bodyBase64: string;
    source: string;
    replayOf?: number;
    status: number;
    answer: string;
    verdict: 'verified' | 'duplicate' | 'rejected';
    code?: string;
    message?: string;
    cause?: string;
    summary?: string;
    type?: string;
    eventId?: string;
    ms: number;
    forwarded?: { url: string; status?: number; body?: string; ms: number; error?: string };
    drift?: { unknownType: boolean; fields: string[] };
  }
  interface State {
    vendor: string;
    vendorName: string;
    receiver: string;
    forwardTo: string | null;
    canResign: boolean;
    signsTimestamp: boolean;
    events: string[];
    deliveries: Delivery[];
  }

  const token = document.querySelector('meta[name="hookproof-token"]')?.getAttribute('content') ?? '';
  const $ = (id: string): HTMLElement => {
    const el = document.getElementById(id);
    if (el === null) throw new Error('missing #' + id);
    return el;
  };
  function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string | undefined)[]): HTMLElement {
    const el = document.createElement(tag);
    for (const k of Object.keys(attrs)) el.setAttribute(k, attrs[k]!);
    for (const c of children) if (c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return el;
  }

  let state: State | undefined;
  const deliveries: Delivery[] = [];
  let selected: number | undefined;
  const marked: number[] = [];

  const bytesOf = (d: Delivery): Uint8Array => {
    const bin = atob(d.bodyBase64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  const textOf = (d: Delivery): string => new TextDecoder().decode(bytesOf(d));
  const jsonOf = (d: Delivery): unknown => {
    try {
      return JSON.parse(textOf(d));
    } catch {
      return undefined;
    }
  };
  const hex = (bytes: Uint8Array): string => {
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 16) {
      const row = Array.from(bytes.slice(i, i + 16));
      const ascii = row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
      lines.push(
        i.toString(16).padStart(8, '0') +
          '  ' +
          row
            .map((b) => b.toString(16).padStart(2, '0'))
            .join(' ')
            .padEnd(48) +
          '  ' +
          ascii,
      );
    }
    return lines.join('\n');
  };
  const time = (iso: string): string => iso.slice(11, 23);
  const verdictLabel = (d: Delivery): string => (d.verdict === 'rejected' ? 'refused ' + (d.code ?? '') : d.verdict);

  function filters(): { vendor: string; type: string; verdict: string } {
    return {
      vendor: ($('f-vendor') as HTMLSelectElement).value,
      type: ($('f-type') as HTMLSelectElement).value,
      verdict: ($('f-verdict') as HTMLSelectElement).value,
    };
  }
  function visible(): Delivery[] {
    const f = filters();
    return deliveries.filter(
      (d) =>
        (f.vendor === '' || d.vendor === f.vendor) &&
        (f.type === '' || d.type === f.type) &&
        (f.verdict === '' || d.verdict === f.verdict),
    );
  }
  function fillSelect(id: string, values: string[]): void {
    const sel = $(id) as HTMLSelectElement;
    const current = sel.value;
    const have = new Set(Array.from(sel.options).map((o) => o.value));
    for (const v of values) if (!have.has(v)) sel.append(h('option', { value: v }, v));
    sel.value = current;
  }

  function renderList(): void {
    fillSelect('f-vendor', Array.from(new Set(deliveries.map((d) => d.vendor))));
    fillSelect(
      'f-type',
      Array.from(new Set(deliveries.map((d) => d.type).filter((t): t is string => t !== undefined))),
    );
    const body = $('rows');
    body.replaceChildren();
    const rows = visible();
    for (const d of rows) {
      const box = h('input', {
        type: 'checkbox',
        'aria-label': 'compare #' + d.seq,
        'data-testid': 'mark',
      }) as HTMLInputElement;
      box.checked = marked.includes(d.seq);
      box.tabIndex = -1;
      box.addEventListener('click', (e) => {
        e.stopPropagation();
        toggleMark(d.seq);
      });
      const drift = d.drift !== undefined && (d.drift.unknownType || d.drift.fields.length > 0);
      const tr = h(
        'tr',
        {
          'data-seq': String(d.seq),
          'data-testid': 'row',
          class: 'v-' + d.verdict,
          'aria-selected': String(d.seq === selected),
        },
        h('td', {}, box),
        h('td', {}, '#' + d.seq),
        h('td', {}, time(d.at)),
        h('td', {}, d.vendor),
        h(
          'td',
          {},
          d.type ?? '—',
          drift ? h('span', { class: 'flag', title: 'drift from the documented types' }, ' drift') : undefined,
        ),
        h('td', { class: 'verdict' }, verdictLabel(d)),
        h('td', {}, String(d.status)),
        h('td', {}, d.ms.toFixed(1) + ' ms'),
      );
      tr.tabIndex = d.seq === (selected ?? rows[rows.length - 1]?.seq) ? 0 : -1;
      tr.addEventListener('click', () => select(d.seq, true));
      body.append(tr);
    }
    $('count').textContent = rows.length + ' of ' + deliveries.length + ' deliveries';
    ($('diff-btn') as HTMLButtonElement).disabled = marked.length !== 2;
  }

  function toggleMark(seq: number): void {
    const i = marked.indexOf(seq);
    if (i >= 0) marked.splice(i, 1);
    else {
      marked.push(seq);
      if (marked.length > 2) marked.shift();
    }
    renderList();
  }

  function select(seq: number, focus: boolean): void {
    selected = seq;
    renderList();
    renderDetail();
    if (focus) (document.querySelector('tr[data-seq="' + seq + '"]') as HTMLElement | null)?.focus();
  }

  function section(title: string, ...content: (Node | string | undefined)[]): HTMLElement {
    return h('section', {}, h('h3', {}, title), ...content);
  }
  function pre(text: string, testid: string): HTMLElement {
    return h('pre', { 'data-testid': testid }, text);
  }

  function shellQuote(s: string): string {
    return "'" + s.split("'").join("'\\''") + "'";
  }
  function curlOf(d: Delivery): string {
    const skip = ['host', 'content-length', 'connection', 'transfer-encoding'];
    const parts = ['curl -sS -X POST ' + shellQuote(state?.receiver ?? '')];
    for (const [k, v] of d.headers) if (!skip.includes(k.toLowerCase())) parts.push('-H ' + shellQuote(k + ': ' + v));
    parts.push('--data-binary ' + shellQuote(textOf(d)));
    return parts.join(' \\\n  ');
  }

  async function replay(d: Delivery, mode: string, body?: string): Promise<void> {
    const times = Number(($('repeat') as HTMLInputElement).value) || 1;
    const out = $('action-result');
    out.textContent = 'sending…';
    const res = await fetch('/api/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hookproof-token': token },
      body: JSON.stringify(body === undefined ? { seq: d.seq, mode, times } : { seq: d.seq, mode, times, body }),
    });
    const answer = (await res.json()) as { deliveries?: Delivery[]; message?: string; signed?: string };
    if (!res.ok || answer.deliveries === undefined) {
      out.textContent = 'failed: ' + (answer.message ?? res.status);
      return;
    }
    out.textContent =
      answer.deliveries.map((r) => '#' + r.seq + ' → ' + r.status + ' ' + verdictLabel(r)).join(', ') +
      ' (signed ' +
      (answer.signed ?? '') +
      ')';
  }

  function renderDetail(): void {
    const pane = $('detail');
    pane.replaceChildren();
    const d = deliveries.find((x) => x.seq === selected);
    if (d === undefined) {
      pane.append(h('p', { class: 'hint' }, 'Select a delivery (↑/↓, Enter). Space marks two for a diff.'));
      return;
    }
    const payload = jsonOf(d);
    pane.append(
      h(
        'h2',
        {},
        '#' + d.seq + ' ' + (d.type ?? '(no type)') + ' ',
        h('span', { class: 'badge v-' + d.verdict, 'data-testid': 'verdict' }, verdictLabel(d)),
      ),
    );
    const verdict = section(
      'Verdict',
      h(
        'p',
        {},
        'Answered ' +
          d.status +
          ' in ' +
          d.ms.toFixed(1) +
          ' ms' +
          (d.source === 'network' ? '' : ' (' + d.source + ' of #' + d.replayOf + ')'),
      ),
      d.message === undefined ? undefined : h('p', { 'data-testid': 'message' }, d.message),
      d.cause === undefined
        ? undefined
        : h('p', { class: 'cause', 'data-testid': 'cause' }, 'Likely cause: ' + d.cause),
      d.summary === undefined ? undefined : h('p', { class: 'fix', 'data-testid': 'fix' }, d.summary),
      pre(d.answer, 'answer'),
    );
    pane.append(verdict);
    if (d.drift !== undefined && (d.drift.unknownType || d.drift.fields.length > 0)) {
      const list = h('ul', { 'data-testid': 'drift' });
      if (d.drift.unknownType)
        list.append(
          h('li', {}, 'Event type "' + (d.type ?? '') + '" is not one ' + (state?.vendorName ?? '') + ' documents'),
        );
      for (const f of d.drift.fields) list.append(h('li', {}, 'Field ' + f + ' is not in the documented payload'));
      pane.append(section('Drift from the documented types', list));
    }
    if (d.forwarded !== undefined) {
      const f = d.forwarded;
      pane.append(
        section(
          'Forwarded to the app',
          h(
            'p',
            { 'data-testid': 'forwarded' },
            f.url +
              ': ' +
              (f.status === undefined ? 'no answer (' + (f.error ?? '') + ')' : String(f.status)) +
              ' in ' +
              f.ms.toFixed(1) +
              ' ms',
          ),
          f.body === undefined ? undefined : pre(f.body, 'forwarded-body'),
        ),
      );
    }
    const repeat = h('input', {
      id: 'repeat',
      type: 'number',
      min: '1',
      max: '100',
      value: '1',
      'aria-label': 'times',
    }) as HTMLInputElement;
    const btn = (label: string, testid: string, fn: () => void, disabled = false): HTMLButtonElement => {
      const b = h('button', { type: 'button', 'data-testid': testid }, label) as HTMLButtonElement;
      b.disabled = disabled;
      b.addEventListener('click', fn);
      return b;
    };
    const editor = h('textarea', {
      id: 'editor',
      'aria-label': 'body to send',
      spellcheck: 'false',
      hidden: '',
    }) as HTMLTextAreaElement;
    const sendEdited = btn('Send signed', 'send-edited', () => void replay(d, 'edited', editor.value));
    sendEdited.hidden = true;
    const curl = h('pre', { 'data-testid': 'curl', hidden: '' });
    pane.append(
      section(
        'Send again',
        h(
          'div',
          { class: 'actions' },
          btn('Replay as captured', 'replay', () => void replay(d, 'captured')),
          btn(
            state?.canResign === true ? 'Replay re-signed now' : 'Replay (no secret: unsigned)',
            'replay-resigned',
            () => void replay(d, 'resigned'),
          ),
          h('label', {}, '× ', repeat),
          btn('Edit body…', 'edit', () => {
            editor.hidden = false;
            sendEdited.hidden = false;
            editor.value = payload === undefined ? textOf(d) : JSON.stringify(payload, null, 2);
            editor.focus();
          }),
          btn('Copy as curl', 'copy-curl', () => {
            curl.textContent = curlOf(d);
            curl.hidden = false;
            void navigator.clipboard?.writeText(curl.textContent).catch(() => undefined);
          }),
        ),
        editor,
        sendEdited,
        curl,
        h('p', { id: 'action-result', 'data-testid': 'action-result', role: 'status' }),
      ),
    );
    const headers = h('table', { class: 'headers', 'data-testid': 'headers' });
    for (const [k, v] of d.headers) headers.append(h('tr', {}, h('th', {}, k), h('td', {}, v)));
    pane.append(section('Headers', headers));
    if (payload !== undefined)
      pane.append(section('Payload (pretty JSON)', pre(JSON.stringify(payload, null, 2), 'pretty')));
    const bytes = bytesOf(d);
    pane.append(section('Raw body (' + bytes.length + ' bytes)', pre(textOf(d), 'raw')));
    pane.append(section('Hex', pre(hex(bytes), 'hex')));
  }

  function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
    if (
      typeof value === 'object' &&
      value !== null &&
      (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)
    ) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        flatten(v, prefix === '' ? k : prefix + (Array.isArray(value) ? '[' + k + ']' : '.' + k), out);
    } else out.set(prefix === '' ? '(body)' : prefix, JSON.stringify(value));
    return out;
  }

  function renderDiff(): void {
    const [a, b] = marked.map((s) => deliveries.find((d) => d.seq === s));
    if (a === undefined || b === undefined) return;
    const left = flatten(jsonOf(a) ?? textOf(a), '', new Map());
    const right = flatten(jsonOf(b) ?? textOf(b), '', new Map());
    const table = h(
      'table',
      { class: 'diff', 'data-testid': 'diff' },
      h('tr', {}, h('th', {}, 'field'), h('th', {}, 'change'), h('th', {}, '#' + a.seq), h('th', {}, '#' + b.seq)),
    );
    const keys = Array.from(new Set([...left.keys(), ...right.keys()])).sort();
    let changes = 0;
    for (const k of keys) {
      const l = left.get(k);
      const r = right.get(k);
      if (l === r) continue;
      changes++;
      const kind = l === undefined ? 'added' : r === undefined ? 'removed' : 'changed';
      table.append(
        h('tr', { class: kind }, h('td', {}, k), h('td', {}, kind), h('td', {}, l ?? ''), h('td', {}, r ?? '')),
      );
    }
    const pane = $('detail');
    pane.replaceChildren(
      h('h2', {}, 'Diff #' + a.seq + ' → #' + b.seq),
      h(
        'p',
        { 'data-testid': 'diff-summary' },
        changes === 0 ? 'The payloads are identical.' : changes + ' field(s) differ.',
      ),
      table,
    );
  }

  function onKey(e: KeyboardEvent): void {
    const row = (e.target as HTMLElement).closest('tr[data-seq]');
    if (row === null) return;
    const rows = Array.from(document.querySelectorAll<HTMLElement>('tr[data-seq]'));
    const i = rows.indexOf(row as HTMLElement);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown' || e.key === 'j') next = rows[Math.min(rows.length - 1, i + 1)];
    else if (e.key === 'ArrowUp' || e.key === 'k') next = rows[Math.max(0, i - 1)];
    else if (e.key === 'Home') next = rows[0];
    else if (e.key === 'End') next = rows[rows.length - 1];
    else if (e.key === 'Enter') {
      select(Number((row as HTMLElement).dataset['seq']), true);
      e.preventDefault();
      return;
    } else if (e.key === ' ') {
      toggleMark(Number((row as HTMLElement).dataset['seq']));
      (
        document.querySelector('tr[data-seq="' + (row as HTMLElement).dataset['seq'] + '"]') as HTMLElement | null
      )?.focus();
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    if (next !== undefined) select(Number(next.dataset['seq']), true);
  }

  /** Deliveries from the stream and from the first state load may overlap: one row per number, in order. */
  function add(d: Delivery, render = true): void {
    if (deliveries.some((x) => x.seq === d.seq)) return;
    deliveries.push(d);
    deliveries.sort((a, b) => a.seq - b.seq);
    if (deliveries.length > 1000) deliveries.shift();
    if (!render) return;
    renderList();
    if (selected === undefined) renderDetail();
  }

  async function start(): Promise<void> {
    // The stream first, then the state: a delivery that arrives in between is in one or both.
    const stream = new EventSource('/api/stream?token=' + encodeURIComponent(token));
    stream.addEventListener('delivery', (e) =>
      add(JSON.parse((e as MessageEvent<string>).data) as Delivery, state !== undefined),
    );
    stream.addEventListener('open', () => ($('live').textContent = 'live'));
    stream.addEventListener('error', () => ($('live').textContent = 'reconnecting…'));
    const res = await fetch('/api/state?token=' + encodeURIComponent(token));
    state = (await res.json()) as State;
    $('vendor').textContent = state.vendorName;
    $('receiver').textContent = state.receiver;
    $('forward').textContent = state.forwardTo === null ? 'not forwarded' : 'forwarded to ' + state.forwardTo;
    ($('export') as HTMLAnchorElement).href = '/api/export?token=' + encodeURIComponent(token);
    for (const d of state.deliveries) add(d, false);
    renderList();
    renderDetail();
  }

  $('rows').addEventListener('keydown', onKey);
  for (const id of ['f-vendor', 'f-type', 'f-verdict']) $(id).addEventListener('change', renderList);
  $('diff-btn').addEventListener('click', renderDiff);
  void start();
}
