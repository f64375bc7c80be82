// The public status lookup behind GET /api/public/status: each kind of case (files,
// complaints) registers how to find one by inquiry number. The citizen proves they own it
// with the last four digits of their national ID; a wrong number and wrong digits get the
// same "not found", so the lookup cannot be used to probe which numbers exist.
import { timingSafeEqual } from 'node:crypto';

export type PublicStatus = {
  kind: string;
  inquiry: string;
  /** Machine stage ('registered', 'with_department', ...) and its words for the citizen. */
  stage: string;
  stageAr: string;
  stageEn: string;
  /** Last day of the legal period, 'YYYY-MM-DD', or null if not started. */
  dueDate: string | null;
  /** Notes written for the citizen; never internal notes. */
  publicNotes: { at: number; textAr: string }[];
};

export type StatusRecord = { nationalId: string | null; status: PublicStatus };

/** Find a case by its (already normalized) inquiry number; null when unknown to this kind. */
export type StatusLookup = (inquiry: string) => StatusRecord | null;

export class PublicStatusRegistry {
  private readonly lookups = new Map<string, StatusLookup>();

  register(kind: string, lookup: StatusLookup): void {
    if (this.lookups.has(kind)) throw new Error(`public status for ${kind} registered twice`);
    this.lookups.set(kind, lookup);
  }

  kinds(): string[] {
    return [...this.lookups.keys()];
  }

  /** The status when the inquiry number exists and the last four digits match; otherwise null. */
  find(inquiry: string, nid4: string): PublicStatus | null {
    for (const lookup of this.lookups.values()) {
      const hit = lookup(inquiry);
      if (!hit) continue;
      const last4 = (hit.nationalId ?? '').slice(-4);
      if (last4.length === 4 && timingSafeEqual(Buffer.from(last4), Buffer.from(nid4.padEnd(4).slice(0, 4)))) return hit.status;
      return null;
    }
    return null;
  }
}
