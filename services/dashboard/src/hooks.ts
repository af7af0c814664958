/** Loading data for a view: one request per set of inputs, the older one cancelled. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from './api.ts';

// ---- busy: whether the page shown is still loading (main's aria-busy) -------------------------

let pending = 0;
const busyListeners = new Set<() => void>();

/** Marks the page as loading until the returned function is called (once). */
export function beginBusy(): () => void {
  pending++;
  for (const l of busyListeners) l();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    pending--;
    for (const l of busyListeners) l();
  };
}

/**
 * Whether anything the page shows is loading: true at once when a load starts, false once nothing
 * has been loading through the next frame (by then what the answers rendered has started its own
 * loads, so the gap between one load and the next does not read as "done").
 */
export function useBusy(): boolean {
  const [busy, setBusy] = useState(true);
  useEffect(() => {
    let frame: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
      if (pending > 0) setBusy(true);
      else {
        frame = requestAnimationFrame(() => {
          timer = setTimeout(() => pending === 0 && setBusy(false), 0);
        });
      }
    };
    busyListeners.add(update);
    update();
    return () => {
      busyListeners.delete(update);
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return busy;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `key` (a string naming its inputs) changes, or on reload. The last answer
 * stays while the next one loads, so a view does not blank out between ranges (pages are mounted
 * afresh for another path, so it is never another resource's answer).
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // `key` names the inputs of `load`; `nonce` asks for a reload. A layout effect, so the request
  // leaves as the view is committed rather than after the browser's next frame (a whole frame of
  // layout and paint on a busy machine).
  useLayoutEffect(() => {
    const ctrl = new AbortController();
    const done = beginBusy();
    setState((s) => (s.loading && s.error === undefined ? s : { ...s, loading: true, error: undefined }));
    loadRef
      .current(ctrl.signal)
      .then(
        (data) => {
          if (!ctrl.signal.aborted) setState({ data, error: undefined, loading: false });
        },
        (error: unknown) => {
          if (ctrl.signal.aborted || isAbort(error)) return;
          setState((s) => ({ data: s.data, error, loading: false }));
        },
      )
      .finally(done);
    return () => {
      ctrl.abort();
      done();
    };
  }, [key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

/**
 * "Now" for a view's relative ranges and ages: taken when the view's inputs (`key`) change and
 * when refreshed, stable in between (so a range computed from it does not move each render).
 */
export function useNow(key: string): [Date, () => void] {
  const ref = useRef<{ key: string; now: Date } | null>(null);
  const [, setTick] = useState(0);
  if (ref.current === null || ref.current.key !== key) ref.current = { key, now: new Date() };
  const refresh = useCallback(() => {
    if (ref.current) ref.current = { key: ref.current.key, now: new Date() };
    setTick((t) => t + 1);
  }, []);
  return [ref.current.now, refresh];
}

/** Sets the document's title for a page. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · keywatch`;
  }, [title]);
}

/** Saves a text as a file download (built in the browser; nothing is sent anywhere). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  // A byte order mark, so spreadsheets read the UTF-8 (names with accents) as UTF-8.
  const blob = new Blob(['\uFEFF', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies a text to the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
