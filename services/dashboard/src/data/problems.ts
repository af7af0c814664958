/**
 * A 400 `invalid_request` names each problem as `field: problem`, joined with `; ` (the field a
 * dotted path such as `alerts.highUsage.threshold` or `ipAllowlist.2`). These turn it into
 * messages per form field.
 */

export interface Problem {
  /** The dotted path, or '' when the message names no field. */
  field: string;
  problem: string;
}

const PART = /^([A-Za-z_$][\w$]*(?:\.[\w$]+)*): ([\s\S]*)$/;

export function parseProblems(message: string): Problem[] {
  const text = message.trim();
  if (!text) return [];
  // Split on "; " only where a new "field: " begins, so a problem may itself hold a "; ".
  const parts = text.split(/; (?=[A-Za-z_$][\w$]*(?:\.[\w$]+)*: )/);
  return parts.map((part) => {
    const m = PART.exec(part);
    return m ? { field: m[1]!, problem: m[2]!.trim() } : { field: '', problem: part.trim() };
  });
}

/** The key of problems that belong to no field of the form. */
export const FORM = '_form';

/**
 * Problems by form field: each goes to the longest of `fields` that is its path or a prefix of it
 * (at a dot); a trailing list index becomes "line n: " (lists are edited one item per line).
 * `body` and unknown fields go to FORM.
 */
export function fieldErrors(message: string, fields: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const sorted = [...fields].sort((a, b) => b.length - a.length);
  for (const { field, problem } of parseProblems(message)) {
    const owner = field ? sorted.find((f) => field === f || field.startsWith(`${f}.`)) : undefined;
    let text = problem;
    if (owner) {
      const rest = field.slice(owner.length + 1);
      if (/^\d+$/.test(rest)) text = `line ${Number(rest) + 1}: ${problem}`;
      else if (rest) text = `${rest}: ${problem}`;
    } else if (field && field !== 'body') {
      text = `${field}: ${problem}`;
    }
    const key = owner ?? FORM;
    const list = out[key] ?? [];
    list.push(text);
    out[key] = list;
  }
  return out;
}
