import { describe, expect, it } from 'vitest';
import { alertsToForm, formToAlerts } from '../src/data/alert-form.ts';
import { lastWeek, PREVIEW_ROWS, previewedSettings, previewSummary } from '../src/data/alert-preview.ts';

describe('the preview of alert settings', () => {
  it('replays the 7 days up to now', () => {
    expect(lastWeek(new Date('2026-11-29T12:34:56.789Z'))).toEqual({
      from: '2026-11-22T12:34:56.789Z',
      to: '2026-11-29T12:34:56.789Z',
    });
  });

  it('tries the form’s settings, or none when the form sets nothing', () => {
    expect(previewedSettings(formToAlerts(alertsToForm(null), true))).toEqual({});
    const settings = { failures: { threshold: 3, period: 'hourly' as const } };
    expect(previewedSettings(formToAlerts(alertsToForm(settings), true))).toEqual(settings);
  });

  it('says how many alerts would have fired, and when only the first are listed', () => {
    expect(previewSummary(0)).toBe('These settings would have fired no alerts last week.');
    expect(previewSummary(1)).toBe('These settings would have fired 1 alert last week.');
    expect(previewSummary(PREVIEW_ROWS)).toBe(
      `These settings would have fired ${PREVIEW_ROWS} alerts last week.`,
    );
    expect(previewSummary(1234)).toBe(
      'These settings would have fired 1,234 alerts last week. The first 200 are listed.',
    );
  });
});
