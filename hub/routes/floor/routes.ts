// The live floor's staff-only facts beside the public queue state: who is signed in at
// each window (the clerk who last worked it, or the one assigned to it, while their
// session lives) and the device alerts open now, critical first (a kiosk printer out of
// paper stops the center's intake, so the manager sees it on the floor, not only under
// Reports). The panel refetches on the staff stream's 'staff', 'alerts' and 'devices'.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role } from '../../auth/roles.ts';
import { actorDisplay, staffActor, staffKey } from '../../domain/actor.ts';

const FLOOR_READERS: Role[] = ['manager', 'supervisor', 'information', 'admin'];

/** A signed-in clerk as the floor shows them: the stored key and the actor's display. */
function clerkOf(u: { id: number; name: string; role: Role }) {
  const d = actorDisplay(staffActor(u));
  return { actor: staffKey(u), name: d.name, role: u.role, roleAr: d.roleAr, roleEn: d.roleEn };
}

const Clerk = Type.Object({ actor: Type.String(), name: Type.String(), role: Type.String(), roleAr: Type.String(), roleEn: Type.String() });
const FloorAlert = Type.Object({
  id: Type.Integer(), deviceId: Type.String(), deviceLabel: Type.String(), kind: Type.String(), severity: Type.String(),
  messageAr: Type.String(), messageEn: Type.String(), raisedAt: Type.Integer(), acknowledgedAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const floorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { queue, staff, alerts, devices } = app.hub;

  app.get('/floor', {
    config: { access: FLOOR_READERS },
    schema: {
      tags: ['queue'], summary: 'The live floor: the clerk signed in at each window and the open device alerts (critical first)',
      response: { 200: Type.Object({ windows: Type.Array(Type.Object({ number: Type.Integer(), clerk: Type.Union([Clerk, Type.Null()]) })), alerts: Type.Array(FloorAlert) }) },
    },
  }, async () => {
    const inNow = staff.signedIn();
    const byActor = new Map(inNow.map((u) => [staffKey(u), u]));
    const windows = queue.windowNumbers().map((n) => {
      const info = queue.windowInfo(n);
      const u = (info.clerk ? byActor.get(info.clerk) : undefined) ?? inNow.find((x) => x.window === n);
      return { number: n, clerk: u ? clerkOf(u) : null };
    });
    const labels = new Map(devices.list().map((d) => [d.id, d.label]));
    const open = alerts.open()
      .sort((a, b) => Number(b.severity === 'critical') - Number(a.severity === 'critical') || a.raisedAt - b.raisedAt)
      .map((a) => ({ id: a.id, deviceId: a.deviceId, deviceLabel: labels.get(a.deviceId) ?? a.deviceId, kind: a.kind, severity: a.severity,
        messageAr: a.messageAr, messageEn: a.messageEn, raisedAt: a.raisedAt, acknowledgedAt: a.acknowledgedAt }));
    return { windows, alerts: open };
  });
};
