// Queue routes: the same operations the devices have over MQTT, for the staff panels.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Role, StaffUser } from '../../auth/roles.ts';
import { assertOwnWindow } from '../../auth/windows.ts';
import {
  CancelTicketBody, CancelTicketParams, HallCalls, IdempotencyHeaders, IssueTicketBody, IssueTicketReply, LineOpenBody,
  LineParams, LineState, LineView, NextReply, SaveLineBody, SaveWindowBody, TransferBody, WindowNumberParams, WindowState, WindowView,
} from './schemas.ts';
import { actorKey, staffActor, type Actor } from '../../domain/actor.ts';

/** Who works a window: the clerks of every window role, and the manager standing in. */
const WINDOW_CLERKS: Role[] = ['intake', 'revenue', 'cashier', 'delivery', 'citizen_service', 'manager', 'admin'];
const ISSUERS: Role[] = ['reception', 'citizen_service', 'manager', 'admin'];

export const queueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { queue, idempotency, sms } = app.hub;
  const actor = (req: { user: StaffUser | null }): Actor => staffActor(req.user!);

  app.get('/lines', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: 'Service lines with their live state', response: { 200: Type.Array(LineView) } },
  }, async () => queue.lines().map((l) => ({ ...l, state: queue.lineState(l.letter) })));

  app.patch('/lines/:letter', {
    config: { access: ['manager', 'admin'] },
    schema: { tags: ['queue'], summary: 'Open or close a line at the kiosk', params: LineParams, body: LineOpenBody, response: { 200: LineState } },
  }, async (req) => queue.setLineOpen(req.params.letter, req.body.open));

  app.put('/lines/:letter', {
    config: { access: ['admin'] },
    schema: { tags: ['queue'], summary: 'Create a line or change its names, priority rule and own opening hours', params: LineParams, body: SaveLineBody, response: { 200: LineState } },
  }, async (req) => queue.saveLine({ letter: req.params.letter, ...req.body }));

  app.get('/windows', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: 'Windows with their live state', response: { 200: Type.Array(WindowView) } },
  }, async () => queue.windowNumbers().map((n) => ({ ...queue.windowInfo(n), state: queue.windowState(n) })));

  app.put('/windows/:n', {
    config: { access: ['admin'] },
    schema: { tags: ['queue'], summary: 'Create a window or change its labels and the lines it serves', params: WindowNumberParams, body: SaveWindowBody, response: { 200: WindowState } },
  }, async (req) => queue.saveWindow({ number: req.params.n, ...req.body }));

  app.get('/hall/calls', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: 'The last calls, newest first', response: { 200: HallCalls } },
  }, async () => queue.hallCalls());

  app.post('/tickets', {
    config: { access: ISSUERS },
    schema: { tags: ['queue'], summary: 'Issue a ticket on a citizen\'s behalf', headers: IdempotencyHeaders, body: IssueTicketBody, response: { 200: IssueTicketReply } },
  }, async (req) => {
    const by = actor(req);
    const { mobile } = req.body;
    return idempotency.once(actorKey(by), req.headers['idempotency-key'], { type: 'ticket.issue', params: req.params, body: req.body }, () => {
      const ticket = queue.issue({ line: req.body.line, priority: req.body.priority, by });
      // Same transaction: the ticket and its SMS, or neither (hub/sms/triggers.ts).
      if (mobile) sms.triggers.subscribeTicket(ticket, mobile);
      return { ticket };
    });
  });

  app.post('/tickets/:label/cancel', {
    config: { access: ISSUERS },
    schema: { tags: ['queue'], summary: 'Cancel a waiting ticket of today', params: CancelTicketParams, body: CancelTicketBody,
      response: { 200: Type.Object({ ticket: Type.Object({ number: Type.String(), status: Type.Literal('cancelled') }) }) } },
  }, async (req) => ({ ticket: queue.cancel({ number: req.params.label, reason: req.body.reason, by: actor(req) }) }));

  const windowAction = (path: string, summary: string, run: (n: number, by: Actor) => unknown, response: object = WindowState) =>
    app.post(`/windows/:n/${path}`, {
      config: { access: WINDOW_CLERKS },
      schema: { tags: ['queue'], summary, params: WindowNumberParams, headers: IdempotencyHeaders, response: { 200: response } },
    }, async (req): Promise<any> => {
      assertOwnWindow(req.user!, req.params.n);
      const by = actor(req);
      return idempotency.once(actorKey(by), req.headers['idempotency-key'], { type: `window.${path}`, params: req.params, body: req.body }, () => run(req.params.n, by));
    });

  windowAction('next', 'Finish the current ticket and call the next (refused with WINDOW_PAUSED on a paused window)', (n, by) => {
    const r = queue.next(n, by);
    return { state: r.state, queueEmpty: r.empty };
  }, NextReply);
  windowAction('recall', 'Call the current ticket again', (n, by) => queue.recall(n, by));
  windowAction('no-show', 'The citizen did not come: requeue or drop', (n, by) => queue.noShow(n, by));
  windowAction('start', 'The citizen arrived at the window', (n, by) => queue.start(n, by));
  windowAction('finish', 'The citizen at the window is served and gone; the window is idle', (n, by) => queue.finish(n, by));
  windowAction('pause', 'Pause the window (refused with TICKET_AT_WINDOW while a citizen is there: finish first)', (n, by) => queue.pause(n, by));
  windowAction('resume', 'Resume the window', (n, by) => queue.resume(n, by));
  windowAction('close', 'Close the window', (n, by) => queue.close(n, by));

  app.post('/windows/:n/transfer', {
    config: { access: WINDOW_CLERKS },
    schema: { tags: ['queue'], summary: 'Send the current ticket to another line, same number', params: WindowNumberParams, headers: IdempotencyHeaders, body: TransferBody, response: { 200: WindowState } },
  }, async (req) => {
    assertOwnWindow(req.user!, req.params.n);
    const by = actor(req);
    return idempotency.once(actorKey(by), req.headers['idempotency-key'], { type: 'window.transfer', params: req.params, body: req.body }, () => queue.transfer(req.params.n, req.body.toLine, by));
  });

};
