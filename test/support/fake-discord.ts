/**
 * A local fake of Discord for end-to-end tests and the Discord benchmark: a node:http REST API
 * under /api/v10 and a WebSocket gateway (ws) on the same port, both on 127.0.0.1.
 *
 * - `GET /api/v10/gateway/bot` points discord.js at the local gateway.
 * - The gateway sends HELLO, answers IDENTIFY with READY (no guilds) then GUILD_CREATE for each
 *   configured guild, acks heartbeats, and dispatches what a test injects. Like Discord it keeps
 *   each session's recent events: a RESUME replays what the client missed (events dispatched
 *   while it was away included), a RESUME of an unknown session is refused with INVALID_SESSION.
 * - REST records interaction callbacks, webhook follow-ups/edits/deletes, channel messages and
 *   command registrations, and serves attachment bytes under /files/. Like Discord it refuses a
 *   second callback for one interaction (400, 40060) and creates one message per `nonce` when
 *   `enforce_nonce` is set.
 * - Faults: `fail()` answers 429 (with Retry-After and the X-RateLimit-* headers) or a 5xx, drops
 *   the connection before or after carrying the call out, or answers late, for the next N matching
 *   calls; the gateway can be cut (`dropGateway`), closed with a code (`closeGateway`), told to
 *   reconnect (`requestReconnect`), made to forget its sessions (`invalidateSessions`), refuse
 *   connections (`refuseGateway`) or stop acknowledging heartbeats (`setHeartbeat`).
 *
 * Fixture factories (`slashInteraction`, `autocompleteInteraction`, `buttonInteraction`,
 * `selectInteraction`, `modalSubmit`, `dmMessage`) build gateway payloads, so tests never paste JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A user as the fake knows it. */
export interface FakeUser {
  id: string;
  username: string;
}

/** A guild the bot is in, sent as GUILD_CREATE after READY. */
export interface FakeGuild {
  id: string;
  name: string;
  /** role ids besides @everyone (which has the guild's id) */
  roles: string[];
  /** text channel ids */
  channels: string[];
}

/** One recorded REST call. */
export interface RecordedCall {
  method: string;
  /** the path after /api/v10, decoded (`/webhooks/1/tok/messages/@original`) */
  path: string;
  /** the path exactly as it arrived (`%40original`) */
  rawPath: string;
  query: URLSearchParams;
  /** the JSON body (for multipart requests: payload_json) */
  body: any;
  /** files of a multipart request */
  files: { name: string; bytes: number }[];
  /** the status the fake answered (0: the connection was dropped before the call was carried out) */
  status: number;
  /** the call was carried out but its answer never left: the connection was dropped instead */
  dropped?: boolean;
  /** held back by a `delayMs` plan, the connection was closed by the client meanwhile: not carried out */
  abandoned?: boolean;
  /** a message POST with an `enforce_nonce` seen before: the existing message was returned, none created */
  deduplicated?: boolean;
  at: number;
}

/** An interaction callback (POST /interactions/:id/:token/callback). */
export interface RecordedCallback extends RecordedCall {
  interactionId: string;
  token: string;
  /** 4 message, 5 deferred message, 6 deferred update, 7 update, 8 autocomplete, 9 modal */
  type: number;
  data: any;
}

/** A planned failure for the next matching calls. */
export interface PlannedFailure {
  /** the HTTP status to answer; 0 drops the connection without an answer (the call is not carried out) */
  status: number;
  /** with status 0: carry the call out first, then drop the connection instead of answering (the answer is lost on its way back) */
  afterCarriedOut?: boolean;
  /** wait this long first (with status 200: then answer normally, a slow Discord; a call whose client left meanwhile is not carried out) */
  delayMs?: number;
  times: number;
  /** matched against the decoded path (default: every call) */
  path?: RegExp;
  /** seconds, for 429 (default 0.25) */
  retryAfter?: number;
  global?: boolean;
}

const EPOCH = 1420070400000n;
let counter = 0n;
/** A fresh snowflake (monotonic across the process). */
export function snowflake(): string {
  counter = (counter + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - EPOCH) << 22n) | (BigInt(process.pid & 0x1f) << 17n) | counter);
}

/** Defaults used by the fixture factories. */
export const FAKE = {
  applicationId: '1100000000000000001',
  botUser: { id: '1100000000000000001', username: 'lantern' },
  communityGuild: { id: '1200000000000000001', name: 'Community', roles: ['1200000000000000101'], channels: ['1200000000000000201'] } as FakeGuild,
  triageGuild: { id: '1300000000000000001', name: 'Triage', roles: ['1300000000000000101', '1300000000000000102'], channels: ['1300000000000000201', '1300000000000000202'] } as FakeGuild,
  /** the triage team's role (in triageGuild) */
  triageRole: '1300000000000000101',
  /** another role in the triage guild that is not the team */
  otherRole: '1300000000000000102',
  /** the triage notice channel (in triageGuild) */
  triageChannel: '1300000000000000201',
  user: { id: '1400000000000000001', username: 'person' } as FakeUser,
};

/** The running fake. */
export interface FakeDiscord {
  /** for `rest: { api }` and DISCORD_API_ROOT (no version) */
  apiRoot: string;
  /** base URL of served files (attachments) */
  filesRoot: string;
  calls: RecordedCall[];
  callbacks(): RecordedCallback[];
  /** channel messages the bot posted (POST /channels/:id/messages that created a message: not refused, not a nonce's repeat) */
  channelMessages(channelId?: string): RecordedCall[];
  /** webhook follow-ups and edits for an interaction token */
  webhookCalls(token?: string): RecordedCall[];
  /** what the gateway received (op 2 IDENTIFY payloads) */
  identifies: any[];
  /** resolves once `count` clients in all have identified and been sent READY + GUILD_CREATE */
  ready(count?: number): Promise<void>;
  /** dispatches an event to every identified session */
  dispatch(event: string, data: unknown): void;
  /** dispatches MESSAGE_CREATE for a DM built by dmMessage() */
  dm(message: Record<string, any>): void;
  /** dispatches INTERACTION_CREATE and resolves with its (first accepted) callback */
  interact(payload: InteractionPayload, timeoutMs?: number): Promise<RecordedCallback>;
  /** resolves with the first recorded call matching, waiting for it */
  waitFor(match: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** the next `times` calls matching `path` answer `status` */
  fail(plan: PlannedFailure): void;
  /** how many calls a `delayMs` plan is holding back right now (received, not yet answered) */
  delayed(): number;
  /** serves bytes at `${filesRoot}/${name}` (an attachment's url) */
  serveFile(name: string, bytes: Uint8Array, contentType?: string): string;
  /** how many times a served file was downloaded */
  downloads(name: string): number;
  /** drops the recorded calls */
  reset(): void;
  /** cuts every gateway connection abruptly (no close frame, as a network failure would: discord.js sees 1006) */
  dropGateway(): void;
  /** closes every gateway connection with a close frame: 4000 (unknown error) lets the client resume, 1000 and 4007 make it identify again; 1006 cannot be sent, use dropGateway() */
  closeGateway(code: number, reason?: string): void;
  /** sends RECONNECT (op 7) on every open gateway connection */
  requestReconnect(): void;
  /** forgets every session: open connections get INVALID_SESSION (d: false), a later RESUME is refused the same way; the client must identify again */
  invalidateSessions(): void;
  /** answers the next `times` gateway connection attempts with an HTTP error instead of upgrading them (a gateway outage) */
  refuseGateway(times: number, status?: number): void;
  /** the heartbeat interval sent in later HELLOs, and whether heartbeats are acknowledged (false: a zombie connection) */
  setHeartbeat(opts: { intervalMs?: number; ack?: boolean }): void;
  /** what happened on the gateway, in order: `connect`, `refused <status>`, `identify`, `resume`, `resume refused`, `replayed <n>`, `closed <code>` (heartbeats left out) */
  gatewayLog: string[];
  /** gateway sessions identified or resumed and still open */
  openSessions(): number;
  /** how many RESUMEs the gateway has answered */
  resumes(): number;
  /** stops listening and closes every open connection */
  close(): Promise<void>;
}

/** Options of the fake. */
export interface FakeDiscordOptions {
  guilds?: FakeGuild[];
  /** record each call (the benchmark turns it off) */
  record?: boolean;
  /** heartbeat interval sent in HELLO */
  heartbeatMs?: number;
}

type Payload = Record<string, any>;

/** A gateway session: its sequence, its connection when connected, and its recent events (for RESUME). */
interface GatewaySession {
  id: string;
  seq: number;
  ws: WebSocket | null;
  backlog: { s: number; t: string; d: unknown }[];
}
/** how many recent events a session keeps for a RESUME */
const BACKLOG = 1_000;
/** A gateway interaction payload built by a factory. */
export type InteractionPayload = Payload & { id: string; token: string };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(req: IncomingMessage, raw: Buffer): Promise<{ body: any; files: { name: string; bytes: number }[] }> {
  const type = req.headers['content-type'] ?? '';
  if (!raw.length) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: { name: string; bytes: number }[] = [];
    let body: any;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') body = JSON.parse(String(value));
      else if (typeof value !== 'string') files.push({ name: value.name, bytes: value.size });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

/** A full message object as Discord returns it. */
function messageObject(channelId: string, body: any, author: FakeUser, extra: Payload = {}): Payload {
  return {
    id: snowflake(),
    channel_id: channelId,
    author: { id: author.id, username: author.username, discriminator: '0', global_name: null, avatar: null, bot: true },
    content: body?.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: body?.embeds ?? [],
    components: body?.components ?? [],
    pinned: false,
    type: 0,
    flags: body?.flags ?? 0,
    ...extra,
  };
}

function guildCreate(g: FakeGuild): Payload {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '1999999999999999999',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [g.id, ...g.roles].map((id, i) => ({ id, name: i === 0 ? '@everyone' : `role-${i}`, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null, position: i, permissions: i === 0 ? '1024' : '0', managed: false, mentionable: false, flags: 0 })),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 3,
    voice_states: [],
    members: [],
    channels: g.channels.map((id, i) => ({ id, type: 0, guild_id: g.id, name: `channel-${i}`, position: i, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, last_message_id: null, rate_limit_per_user: 0 })),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const guilds = opts.guilds ?? [FAKE.communityGuild, FAKE.triageGuild];
  const record = opts.record ?? true;
  const calls: RecordedCall[] = [];
  const identifies: any[] = [];
  const plans: PlannedFailure[] = [];
  const files = new Map<string, { bytes: Uint8Array; type: string; downloads: number }>();
  const callbackWaiters = new Map<string, (c: RecordedCallback) => void>();
  let callWaiters: { match: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  /** gateway sessions by session_id, connected or not (a disconnected one can be resumed) */
  const sessions = new Map<string, GatewaySession>();
  const gatewayLog: string[] = [];
  let resumeCount = 0;
  let held = 0;
  let heartbeatMs = opts.heartbeatMs ?? 41_250;
  let ackHeartbeats = true;
  let refusals: { times: number; status: number } = { times: 0, status: 503 };
  /** interactions that have been answered once (a second callback is refused, as Discord does) */
  const acknowledged = new Set<string>();
  /** messages created with enforce_nonce, by channel and nonce */
  const nonces = new Map<string, Payload>();
  let readyWaiters: { count: number; resolve: () => void }[] = [];
  const interactionChannels = new Map<string, string>();
  const tokenChannels = new Map<string, string>();
  /** channels the bot may fetch: guild text channels and DM channels seen in fixtures */
  const channels = new Map<string, Payload>();
  for (const g of guilds) for (const [i, id] of g.channels.entries()) channels.set(id, { id, type: 0, guild_id: g.id, name: `channel-${i}`, position: i, permission_overwrites: [], nsfw: false, parent_id: null });

  const server: Server = createServer((req, res) => void handle(req, res));
  const wss = new WebSocketServer({
    server,
    path: '/gateway',
    verifyClient: (_info, done) => {
      if (refusals.times <= 0) return done(true);
      refusals.times--;
      gatewayLog.push(`refused ${refusals.status}`);
      done(false, refusals.status);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  function recordCall(c: RecordedCall) {
    if (record) calls.push(c);
    const still: typeof callWaiters = [];
    for (const w of callWaiters) (w.match(c) ? w.resolve(c) : still.push(w));
    callWaiters = still;
  }

  function planned(path: string): PlannedFailure | undefined {
    const p = plans.find((x) => x.times > 0 && (!x.path || x.path.test(path)));
    if (p) p.times--;
    return p;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/files/')) {
      const f = files.get(decodeURIComponent(url.pathname.slice('/files/'.length)));
      if (!f) return void res.writeHead(404).end();
      f.downloads++;
      return void res.writeHead(200, { 'content-type': f.type, 'content-length': String(f.bytes.byteLength) }).end(Buffer.from(f.bytes));
    }
    if (!url.pathname.startsWith('/api/v10/')) return void res.writeHead(404).end();
    const rawPath = url.pathname.slice('/api/v10'.length);
    const path = decodeURIComponent(rawPath);
    const raw = await readBody(req);
    let parsed: { body: any; files: { name: string; bytes: number }[] };
    try {
      parsed = await parseBody(req, raw);
    } catch {
      return json(res, 400, { message: 'bad body', code: 50109 });
    }
    const call: RecordedCall = { method, path, rawPath, query: url.searchParams, body: parsed.body, files: parsed.files, status: 200, at: performance.now() };

    const failure = planned(path);
    if (failure?.delayMs) {
      let gone = false;
      res.once('close', () => (gone = true));
      held++;
      await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      held--;
      // The bot went away while Discord was slow (it exited): nothing says the call arrived whole.
      if (gone) {
        call.status = 0;
        call.abandoned = true;
        return recordCall(call);
      }
    }
    if (failure?.status === 0 && failure.afterCarriedOut) {
      // Carry the call out below, but never let its answer leave: the socket goes instead.
      call.dropped = true;
      res.writeHead = (() => res) as unknown as typeof res.writeHead;
      res.end = (() => (req.socket.destroy(), res)) as unknown as typeof res.end;
    } else if (failure?.status === 0) {
      call.status = 0;
      recordCall(call);
      return void req.socket.destroy();
    }
    if (failure && failure.status >= 300) {
      call.status = failure.status;
      recordCall(call);
      if (failure.status === 429) {
        const after = failure.retryAfter ?? 0.25;
        const headers: Record<string, string> = {
          'retry-after': String(after),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Date.now() / 1000 + after),
          'x-ratelimit-reset-after': String(after),
          'x-ratelimit-bucket': 'fakebucket',
          'x-ratelimit-scope': failure.global ? 'global' : 'user',
        };
        if (failure.global) headers['x-ratelimit-global'] = 'true';
        return json(res, 429, { message: 'You are being rate limited.', retry_after: after, global: Boolean(failure.global) }, headers);
      }
      const errors: Record<number, { message: string; code: number }> = { 401: { message: '401: Unauthorized', code: 0 }, 403: { message: 'Missing Access', code: 50001 }, 404: { message: 'Unknown Application', code: 10002 } };
      return json(res, failure.status, errors[failure.status] ?? { message: 'Internal Server Error', code: 0 });
    }

    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      recordCall(call);
      return json(res, 200, { url: `ws://127.0.0.1:${port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } });
    }
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      if (acknowledged.has(m[1]!)) {
        call.status = 400;
        recordCall(call);
        return json(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      }
      acknowledged.add(m[1]!);
      const cb: RecordedCallback = { ...call, status: 204, interactionId: m[1]!, token: m[2]!, type: call.body?.type, data: call.body?.data };
      const withResponse = url.searchParams.get('with_response') === 'true';
      if (withResponse) cb.status = 200;
      recordCall(cb);
      callbackWaiters.get(cb.interactionId)?.(cb);
      callbackWaiters.delete(cb.interactionId);
      if (!withResponse) return void res.writeHead(204).end();
      const message = cb.type === 4 ? messageObject(interactionChannels.get(cb.interactionId) ?? FAKE.triageChannel, cb.data, FAKE.botUser, { webhook_id: FAKE.applicationId, application_id: FAKE.applicationId }) : undefined;
      return json(res, 200, {
        interaction: { id: cb.interactionId, type: 2, response_message_id: message?.id, response_message_loading: cb.type === 5, response_message_ephemeral: Boolean((cb.data?.flags ?? 0) & 64) },
        ...(message ? { resource: { type: cb.type, message } } : {}),
      });
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path))) {
      recordCall(call);
      if (method === 'DELETE') return void res.writeHead(204).end();
      return json(res, 200, messageObject(tokenChannels.get(m[2]!) ?? FAKE.triageChannel, call.body, FAKE.botUser, { id: m[3] && m[3] !== '@original' ? m[3] : snowflake(), webhook_id: m[1], application_id: m[1] }));
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      const nonce = call.body?.enforce_nonce && call.body?.nonce !== undefined ? `${m[1]}:${call.body.nonce}` : undefined;
      const existing = nonce ? nonces.get(nonce) : undefined;
      if (existing) call.deduplicated = true;
      recordCall(call);
      if (existing) return json(res, 200, existing);
      const message = messageObject(m[1]!, call.body, FAKE.botUser);
      if (nonce) nonces.set(nonce, message);
      return json(res, 200, message);
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'DELETE') {
      recordCall(call);
      return void res.writeHead(204).end();
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      recordCall(call);
      const ch = channels.get(m[1]!);
      return ch ? json(res, 200, ch) : json(res, 404, { message: 'Unknown Channel', code: 10003 });
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && method === 'PUT') {
      recordCall(call);
      const list = Array.isArray(call.body) ? call.body : [];
      return json(res, 200, list.map((c: Payload) => ({ ...c, id: snowflake(), application_id: m![1], version: snowflake(), ...(m![2] ? { guild_id: m![2] } : {}) })));
    }
    call.status = 404;
    recordCall(call);
    return json(res, 404, { message: '404: Not Found', code: 0 });
  }

  /** Sends a dispatch to a session (if connected), keeping it for a later RESUME. */
  function deliver(session: GatewaySession, t: string, d: unknown) {
    const event = { s: ++session.seq, t, d };
    session.backlog.push(event);
    if (session.backlog.length > BACKLOG) session.backlog.shift();
    if (session.ws !== null && session.ws.readyState === session.ws.OPEN) session.ws.send(JSON.stringify({ op: 0, ...event }));
  }

  wss.on('connection', (ws) => {
    gatewayLog.push('connect');
    let session: GatewaySession | undefined;
    const send = (op: number, d: unknown, t: string | null = null) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify({ op, d, s: t && session ? ++session.seq : null, t }));
    };
    send(10, { heartbeat_interval: heartbeatMs });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: any };
      if (msg.op === 1) return ackHeartbeats ? send(11, null) : undefined;
      if (msg.op === 2) {
        gatewayLog.push('identify');
        identifies.push(msg.d);
        session = { id: `session-${snowflake()}`, seq: 0, ws, backlog: [] };
        sessions.set(session.id, session);
        send(0, {
          v: 10,
          user: { id: FAKE.botUser.id, username: FAKE.botUser.username, discriminator: '0', global_name: null, avatar: null, bot: true, verified: true, flags: 0 },
          guilds: [],
          session_id: session.id,
          resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
          shard: [0, 1],
          application: { id: FAKE.applicationId, flags: 0 },
        }, 'READY');
        for (const g of guilds) send(0, guildCreate(g), 'GUILD_CREATE');
        readyWaiters = readyWaiters.filter((w) => (w.count <= identifies.length ? (w.resolve(), false) : true));
        return;
      }
      if (msg.op === 6) {
        const known = sessions.get(msg.d?.session_id);
        if (!known) {
          gatewayLog.push('resume refused');
          return send(9, false);
        }
        gatewayLog.push('resume');
        resumeCount++;
        if (known.ws && known.ws !== ws) known.ws.terminate();
        session = known;
        known.ws = ws;
        const missed = known.backlog.filter((e) => e.s > (msg.d.seq ?? 0));
        gatewayLog.push(`replayed ${missed.length}`);
        for (const e of missed) ws.send(JSON.stringify({ op: 0, ...e }));
        return send(0, {}, 'RESUMED');
      }
    });
    ws.on('close', (code) => {
      gatewayLog.push(`closed ${code}`);
      if (!session || session.ws !== ws) return;
      session.ws = null;
      // A client that closes normally ends its session (Discord does the same); others may resume.
      if (code === 1000 || code === 1001) sessions.delete(session.id);
    });
  });

  const fake: FakeDiscord = {
    apiRoot: `${base}/api`,
    filesRoot: `${base}/files`,
    calls,
    identifies,
    callbacks: () => calls.filter((c): c is RecordedCallback => 'interactionId' in c),
    channelMessages: (channelId) =>
      calls.filter((c) => c.method === 'POST' && c.status < 300 && c.status > 0 && !c.deduplicated && /^\/channels\/\d+\/messages$/.test(c.path) && (!channelId || c.path === `/channels/${channelId}/messages`)),
    webhookCalls: (token) => calls.filter((c) => c.path.startsWith('/webhooks/') && (!token || c.path.split('/')[3] === token)),
    ready: (count = 1) => (identifies.length >= count ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push({ count, resolve }))),
    dm(message) {
      channels.set(message.channel_id, { id: message.channel_id, type: 1, recipients: [message.author], last_message_id: null });
      fake.dispatch('MESSAGE_CREATE', message);
    },
    dispatch(event, data) {
      for (const s of sessions.values()) deliver(s, event, data);
    },
    interact(payload, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          callbackWaiters.delete(payload.id);
          reject(new Error(`no callback for interaction ${payload.id} within ${timeoutMs} ms`));
        }, timeoutMs);
        callbackWaiters.set(payload.id, (c) => {
          clearTimeout(timer);
          resolve(c);
        });
        interactionChannels.set(payload.id, payload.channel_id);
        tokenChannels.set(payload.token, payload.channel_id);
        if (payload.channel?.type === 1) channels.set(payload.channel.id, { id: payload.channel.id, type: 1, recipients: [payload.user], last_message_id: null });
        fake.dispatch('INTERACTION_CREATE', payload);
      });
    },
    waitFor(match, timeoutMs = 10_000) {
      const found = calls.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const entry = { match, resolve: (c: RecordedCall) => (clearTimeout(timer), resolve(c)) };
        const timer = setTimeout(() => {
          callWaiters = callWaiters.filter((w) => w !== entry);
          reject(new Error(`no matching REST call within ${timeoutMs} ms`));
        }, timeoutMs);
        callWaiters.push(entry);
      });
    },
    fail: (plan) => void plans.push({ ...plan }),
    delayed: () => held,
    serveFile(name, bytes, contentType = 'application/octet-stream') {
      files.set(name, { bytes, type: contentType, downloads: 0 });
      return `${base}/files/${encodeURIComponent(name)}`;
    },
    downloads: (name) => files.get(name)?.downloads ?? 0,
    reset() {
      calls.length = 0;
      plans.length = 0;
    },
    dropGateway() {
      for (const c of wss.clients) c.terminate();
    },
    closeGateway(code, reason) {
      for (const c of wss.clients) c.close(code, reason);
    },
    requestReconnect() {
      for (const c of wss.clients) if (c.readyState === c.OPEN) c.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
    },
    invalidateSessions() {
      sessions.clear();
      for (const c of wss.clients) if (c.readyState === c.OPEN) c.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
    },
    refuseGateway(times, status = 503) {
      refusals = { times, status };
    },
    setHeartbeat({ intervalMs, ack }) {
      if (intervalMs !== undefined) heartbeatMs = intervalMs;
      if (ack !== undefined) ackHeartbeats = ack;
    },
    gatewayLog,
    openSessions: () => [...sessions.values()].filter((s) => s.ws !== null && s.ws.readyState === s.ws.OPEN).length,
    resumes: () => resumeCount,
    async close() {
      for (const s of sessions.values()) s.ws?.terminate();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}

// ── fixture factories ──────────────────────────────────────────────────────────────────────

/** Where an interaction happens: a guild channel (with the member's roles) or the bot's DMs. */
export interface Where {
  /** a guild id, or null for the bot's DMs (default: the community guild) */
  guild?: string | null;
  channel?: string;
  user?: FakeUser;
  roles?: string[];
  /** the person's Discord client language (default en-US) */
  locale?: string;
}

function dmChannelOf(user: FakeUser): string {
  // one DM channel per user, stable across calls
  return String(BigInt(user.id) + 7n);
}

function userObject(u: FakeUser) {
  return { id: u.id, username: u.username, discriminator: '0', global_name: null, avatar: null };
}

function base(type: number, where: Where = {}): InteractionPayload {
  const user = where.user ?? FAKE.user;
  const guild = where.guild === undefined ? FAKE.communityGuild.id : where.guild;
  const common = {
    id: snowflake(),
    application_id: FAKE.applicationId,
    type,
    token: `tok-${snowflake()}`,
    version: 1,
    locale: where.locale ?? 'en-US',
    app_permissions: '2248473465835073',
    entitlements: [],
    authorizing_integration_owners: guild ? { '0': guild } : { '1': user.id },
    attachment_size_limit: 10_485_760,
  };
  if (!guild) {
    const channelId = where.channel ?? dmChannelOf(user);
    return { ...common, context: 1, user: userObject(user), channel_id: channelId, channel: { id: channelId, type: 1, recipients: [userObject(user)], last_message_id: null, flags: 0 } };
  }
  const channelId = where.channel ?? (guild === FAKE.triageGuild.id ? FAKE.triageGuild.channels[1]! : FAKE.communityGuild.channels[0]!);
  return {
    ...common,
    context: 0,
    guild_id: guild,
    guild: { id: guild, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guild, name: 'general', position: 0, permission_overwrites: [], nsfw: false, parent_id: null, flags: 0, last_message_id: null, rate_limit_per_user: 0, topic: null },
    member: { user: userObject(user), roles: where.roles ?? [], permissions: '2248473465835073', joined_at: '2024-01-01T00:00:00.000Z', premium_since: null, deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, communication_disabled_until: null },
  };
}

/** A file option value for slashInteraction: an attachment served by the fake. */
export interface AttachmentOption {
  attachment: { url: string; filename: string; size: number; contentType: string };
}

/** A slash command: `slashInteraction('lookup', { place: 'Prato' })`. */
export function slashInteraction(name: string, options: Record<string, string | AttachmentOption> = {}, where: Where = {}): InteractionPayload {
  const p = base(2, where);
  const attachments: Record<string, Payload> = {};
  const opts = Object.entries(options).map(([n, v]) => {
    if (typeof v === 'string') return { name: n, type: 3, value: v };
    const id = snowflake();
    attachments[id] = { id, filename: v.attachment.filename, size: v.attachment.size, url: v.attachment.url, proxy_url: v.attachment.url, content_type: v.attachment.contentType };
    return { name: n, type: 11, value: id };
  });
  return { ...p, data: { id: snowflake(), name, type: 1, options: opts, ...(Object.keys(attachments).length ? { resolved: { attachments } } : {}), ...(p.guild_id ? { guild_id: p.guild_id } : {}) } };
}

/** Typing into an autocomplete option: `autocompleteInteraction('lookup', 'place', 'Tor')`. */
export function autocompleteInteraction(name: string, option: string, partial: string, where: Where = {}): InteractionPayload {
  const p = base(4, where);
  return { ...p, data: { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value: partial, focused: true }] } };
}

/** The message a component sits on. `ephemeral` sets the flag Discord sends for ephemeral messages. */
function componentMessage(p: InteractionPayload, components: Payload[], ephemeral: boolean): Payload {
  return messageObject(p.channel_id, { components, flags: ephemeral ? 64 : 0 }, FAKE.botUser, { application_id: FAKE.applicationId, webhook_id: FAKE.applicationId, interaction_metadata: { id: snowflake(), type: 2, user: p.user ?? p.member.user, authorizing_integration_owners: {} } });
}

/** Pressing a button: `buttonInteraction('language:zh-Hant', { ephemeral: true })`. */
export function buttonInteraction(customId: string, opts: { ephemeral?: boolean; label?: string } = {}, where: Where = {}): InteractionPayload {
  const p = base(3, where);
  const button = { type: 2, style: 2, custom_id: customId, label: opts.label ?? 'button' };
  return { ...p, data: { custom_id: customId, component_type: 2 }, message: componentMessage(p, [{ type: 1, components: [button] }], opts.ephemeral ?? false) };
}

/** Choosing in a string select: `selectInteraction('dc:s:0', 'rp:1:cat:other', { ephemeral: true })`. */
export function selectInteraction(customId: string, value: string, opts: { ephemeral?: boolean } = {}, where: Where = {}): InteractionPayload {
  const p = base(3, where);
  const select = { type: 3, custom_id: customId, options: [{ label: 'option', value }] };
  return { ...p, data: { custom_id: customId, component_type: 3, values: [value] }, message: componentMessage(p, [{ type: 1, components: [select] }], opts.ephemeral ?? false) };
}

/** Submitting a modal opened from a button on a message: `modalSubmit('dc:modal', { 'dc:text': '2025-11' })`. */
export function modalSubmit(customId: string, fields: Record<string, string>, opts: { ephemeral?: boolean } = {}, where: Where = {}): InteractionPayload {
  const p = base(5, where);
  const components = Object.entries(fields).map(([id, value], i) => ({ type: 18, id: i * 2 + 1, component: { type: 4, id: i * 2 + 2, custom_id: id, value } }));
  return { ...p, data: { custom_id: customId, components }, message: componentMessage(p, [], opts.ephemeral ?? false) };
}

/** A message a person sends in their DM with the bot (text and/or image attachments). */
export function dmMessage(content: string, attachments: AttachmentOption['attachment'][] = [], user: FakeUser = FAKE.user): Payload {
  const channelId = dmChannelOf(user);
  return {
    id: snowflake(),
    channel_id: channelId,
    // discord.js 14.28 builds an uncached DM channel from this field; without it the message is dropped
    channel_type: 1,
    author: userObject(user),
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: attachments.map((a) => ({ id: snowflake(), filename: a.filename, size: a.size, url: a.url, proxy_url: a.url, content_type: a.contentType })),
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}

/** A new person (distinct pseudonym, language preference and drafts). */
export function newUser(name = 'person'): FakeUser {
  return { id: snowflake(), username: name };
}

/** The DM channel id the factories use for a user. */
export const dmChannel = (user: FakeUser = FAKE.user) => dmChannelOf(user);
