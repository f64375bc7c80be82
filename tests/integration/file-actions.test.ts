// Issue 12 item 3: the file view's `actions` and the routes' access come from the same
// declarations (hub/domain/file-actions.ts, hub/domain/file-workflow.ts). Each action a
// route takes is open to exactly the roles the route lets in, and what a role's view of
// a file lists is what the hub accepts from that role: the listed delivery ticket is
// issued, an unlisted one is refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROLES } from '../../hub/auth/roles.ts';
import { deskRoles, fileActions, type DeskAction } from '../../hub/domain/file-actions.ts';
import { FILE_ACTIONS, FILE_STATUSES, rolesFor } from '../../hub/domain/file-workflow.ts';
import { actorDisplay, actorKey, parseActorKey, staffActor, type Actor } from '../../hub/domain/actor.ts';
import { startTestHub } from '../helpers/hub.ts';
import { signIn } from '../helpers/staff.ts';
import { expectError, expectOk, readyFile, type DeliveryTicketReply, type FileReply } from './files-support.ts';

/** The route of each action a route takes (the print actions are the browser's own). */
const ROUTES: Partial<Record<DeskAction | (typeof FILE_ACTIONS)[number], string>> = {
  upload: 'POST /api/files/:id/attachments', payment_order: 'POST /api/files/:id/payment-order', delivery_ticket: 'POST /api/files/:id/delivery-ticket',
  forward: 'POST /api/files/:id/forward', return: 'POST /api/files/:id/return', resubmit: 'POST /api/files/:id/resubmit', refuse: 'POST /api/files/:id/refuse',
  review: 'POST /api/files/:id/review', approve: 'POST /api/files/:id/approve', dispatch: 'POST /api/files/:id/dispatch', decide: 'POST /api/files/:id/decide',
  mark_ready: 'POST /api/files/:id/ready', deliver: 'POST /api/files/:id/deliver',
};

describe("a file's actions come from the routes' own access rules", () => {
  test('each listed action is open to exactly the roles its route lets in', async (t) => {
    const hub = await startTestHub(t);
    const access = new Map(hub.app.accessTable.map((e) => [`${e.method} ${e.url}`, e.access]));
    for (const [action, route] of Object.entries(ROUTES)) {
      const routeRoles = access.get(route!);
      assert.ok(Array.isArray(routeRoles), `${route} is registered with a role list`);
      const declared = (FILE_ACTIONS as readonly string[]).includes(action) ? rolesFor(action as (typeof FILE_ACTIONS)[number]) : deskRoles(action as DeskAction);
      assert.deepEqual([...routeRoles].sort(), [...declared].sort(), action);
      // And a role sees the action listed at some stage exactly when the route lets it in.
      for (const role of ROLES) {
        const listedSomewhere = FILE_STATUSES.some((s) => (fileActions(s, role) as string[]).includes(action));
        assert.equal(listedSomewhere, declared.includes(role), `${action} for ${role}`);
      }
    }
  });

  test('what the view lists is what the hub accepts: the manager\'s delivery ticket, and the cashier\'s refused', async (t) => {
    const hub = await startTestHub(t);
    const f = await readyFile(hub);
    const manager = await signIn(hub, 'manager');
    const cashier = await signIn(hub, 'cashier');
    assert.ok(expectOk<FileReply>(await manager.inject({ method: 'GET', url: `/api/files/${f.id}` })).actions.includes('delivery_ticket'));
    assert.ok(!expectOk<FileReply>(await cashier.inject({ method: 'GET', url: `/api/files/${f.id}` })).actions.includes('delivery_ticket'));
    assert.equal(expectOk<DeliveryTicketReply>(await manager.inject({ method: 'POST', url: `/api/files/${f.id}/delivery-ticket` }), 201).ticket.line, 'C');
    expectError(await cashier.inject({ method: 'POST', url: `/api/files/${f.id}/delivery-ticket` }), 403);
  });

  test('an actor\'s stored key reads back as the same actor, and each kind has words for people', () => {
    const actors: Actor[] = [{ kind: 'staff', id: 5 }, { kind: 'device', id: 'kiosk-1' }, { kind: 'system' }, { kind: 'citizen', via: 'open311' }, { kind: 'anonymous', ip: '10.0.0.9' }];
    assert.deepEqual(actors.map(actorKey), ['user:5', 'device:kiosk-1', 'system', 'citizen:open311', 'ip:10.0.0.9']);
    for (const a of actors) assert.deepEqual(parseActorKey(actorKey(a)), a);
    assert.equal(parseActorKey('user:abc'), null);
    assert.deepEqual(actorDisplay(staffActor({ id: 5, name: 'سارة أحمد', role: 'manager' })), { name: 'سارة أحمد', nameEn: 'سارة أحمد', role: 'manager', roleAr: 'مدير المركز التكنولوجي', roleEn: 'Center manager' });
    assert.equal(actorDisplay({ kind: 'staff', id: 9 }).name, 'موظف سابق');
    assert.equal(actorDisplay({ kind: 'device', id: 'kiosk-1' }).name, 'الجهاز kiosk-1');
  });
});
