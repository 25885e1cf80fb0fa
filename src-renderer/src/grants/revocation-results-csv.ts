import type { RevocationReport } from '../../../src-shared/contract/grants';

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The per-item result of a revocation as RFC 4180 CSV (UTF-8 with BOM, as main's exports). */
export function revocationResultsCsv(report: RevocationReport): string {
  const header = ['app', 'user', 'provider', 'outcome', 'verified', 'message', 'error_code'];
  const lines = report.items.map((item) =>
    [item.appName, item.user ?? 'everyone (tenant-wide)', item.provider, item.outcome, item.verified ? 'yes' : 'no', item.message, item.errorCode ?? ''].map(cell).join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
