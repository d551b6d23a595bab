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
 * - Strict like Discord (each rule cites its page of the API docs, see DISCORD_RULES): a first
 *   interaction callback more than 3 s after the interaction (autocomplete included) is 404 10062;
 *   follow-ups and edits after 15 minutes are 404 10015; content, embed, component, autocomplete
 *   and attachment-count limits are 400 50035 with Discord's nested `errors`; a file over the
 *   interaction's `attachment_size_limit` (10 MiB for channel messages) or a request over 25 MiB
 *   is 413 40005. Refusals are kept in `refused()`.
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
  /** a follow-up sent while the original response was still "thinking…": Discord edited the original instead, ignoring its flags */
  editedOriginal?: boolean;
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
  communityGuild: {
    id: '1200000000000000001',
    name: 'Community',
    roles: ['1200000000000000101'],
    channels: ['1200000000000000201'],
  } as FakeGuild,
  triageGuild: {
    id: '1300000000000000001',
    name: 'Triage',
    roles: ['1300000000000000101', '1300000000000000102', '1300000000000000103'],
    channels: ['1300000000000000201', '1300000000000000202'],
  } as FakeGuild,
  /** the triage team's role (in triageGuild) */
  triageRole: '1300000000000000101',
  /** the team's reviewers' role (in triageGuild): the queue, not exports or reporters' mailboxes */
  reviewerRole: '1300000000000000103',
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
  /** calls the fake refused by Discord's rules (late, too large, too long…), with the status and body it answered */
  refused(): (RecordedCall & { refusal: Refusal['body'] })[];
  /** moves the fake's clock on: interactions and their tokens seem `ms` older (the 15-minute token rule) */
  advanceClock(ms: number): void;
  /** the user blocked the bot or closed their DMs: messages to their DM channel are 403 50007 */
  closeDms(user: FakeUser): void;
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
  /** per-file upload limit of channel messages (interactions carry their own `attachment_size_limit`) */
  channelFileLimit?: number;
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

// ── Discord's rules, as the real API enforces them ─────────────────────────────────────────

/** A refusal: the HTTP status and the JSON body Discord answers with. */
interface Refusal {
  status: number;
  body: { message: string; code: number; errors?: Payload };
}

/**
 * Discord's limits (https://discord.com/developers/docs/resources/message#create-message,
 * …/resources/message#embed-object-embed-limits, …/interactions/message-components,
 * …/reference#uploading-files, …/interactions/receiving-and-responding#responding-to-an-interaction).
 */
export const DISCORD_RULES = {
  /** "Interaction tokens are valid for 15 minutes"; the first response must come "within 3 seconds" */
  firstResponseMs: 3_000,
  tokenMs: 15 * 60_000,
  content: 2_000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  author: 256,
  embedTotal: 6_000,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectLabel: 100,
  attachments: 10,
  /** "The maximum request size when sending a message is 25 MiB" (reference#uploading-files) */
  requestBytes: 25 * 1024 * 1024,
  /** a bot's default per-file limit outside interactions (10 MiB) */
  fileBytes: 10 * 1024 * 1024,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
} as const;

/** 50035 Invalid Form Body, with the error at `path` (Discord nests errors by field). */
function invalid(path: (string | number)[], code: string, message: string): Refusal {
  let errors: Payload = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) errors = { [String(key)]: errors };
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } };
}
const tooLong = (path: (string | number)[], max: number) => invalid(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
const badLength = (path: (string | number)[], min: number, max: number) =>
  invalid(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);

/** Embed limits (resources/message#embed-object-embed-limits). */
function checkEmbeds(embeds: Payload[], at: string): Refusal | undefined {
  const R = DISCORD_RULES;
  if (embeds.length > R.embeds) return tooLong([at], R.embeds);
  let total = 0;
  for (const [n, e] of embeds.entries()) {
    if (len(e.title) > R.embedTitle) return tooLong([at, n, 'title'], R.embedTitle);
    if (len(e.description) > R.embedDescription) return tooLong([at, n, 'description'], R.embedDescription);
    if (len(e.footer?.text) > R.footer) return tooLong([at, n, 'footer', 'text'], R.footer);
    if (len(e.author?.name) > R.author) return tooLong([at, n, 'author', 'name'], R.author);
    const fields: Payload[] = e.fields ?? [];
    if (fields.length > R.embedFields) return tooLong([at, n, 'fields'], R.embedFields);
    for (const [k, f] of fields.entries()) {
      if (len(f.name) > R.fieldName) return tooLong([at, n, 'fields', k, 'name'], R.fieldName);
      if (len(f.value) > R.fieldValue) return tooLong([at, n, 'fields', k, 'value'], R.fieldValue);
    }
    total +=
      len(e.title) +
      len(e.description) +
      len(e.footer?.text) +
      len(e.author?.name) +
      fields.reduce((s, f) => s + len(f.name) + len(f.value), 0);
  }
  // "The combined sum of characters in all title, description, field.name, field.value, footer.text, and author.name fields across all embeds attached to a message must not exceed 6000"
  if (total > R.embedTotal) return invalid([at], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${R.embedTotal}`);
  return undefined;
}

/** Component limits (interactions/message-components: 5 rows, 5 buttons a row, ids, labels, options). */
function checkComponents(rows: Payload[]): Refusal | undefined {
  const R = DISCORD_RULES;
  if (rows.length > R.rows) return badLength(['components'], 1, R.rows);
  for (const [r, row] of rows.entries()) {
    const inner: Payload[] = row.components ?? [];
    if (inner.length < 1 || inner.length > R.buttonsPerRow) return badLength(['components', r, 'components'], 1, R.buttonsPerRow);
    for (const [c, comp] of inner.entries()) {
      const at = ['components', r, 'components', c];
      if (comp.custom_id !== undefined && (len(comp.custom_id) < 1 || len(comp.custom_id) > R.customId))
        return badLength([...at, 'custom_id'], 1, R.customId);
      if (comp.type === 2 && len(comp.label) > R.buttonLabel) return tooLong([...at, 'label'], R.buttonLabel);
      if (comp.type === 3) {
        if (inner.length > 1) return badLength(['components', r, 'components'], 1, 1);
        const options: Payload[] = comp.options ?? [];
        if (options.length < 1 || options.length > R.selectOptions) return badLength([...at, 'options'], 1, R.selectOptions);
        for (const [o, opt] of options.entries()) {
          if (len(opt.label) > R.selectLabel) return tooLong([...at, 'options', o, 'label'], R.selectLabel);
          if (len(opt.value) > R.selectLabel) return tooLong([...at, 'options', o, 'value'], R.selectLabel);
        }
      }
    }
  }
  return undefined;
}

/**
 * A message body and its files (create message, interaction response, follow-up, edit): content
 * ≤ 2,000, embeds, components, ≤ 10 attachments, each file ≤ `fileLimit` (413 40005, as Discord
 * answers an upload over the limit).
 */
export function checkMessage(body: Payload | undefined, files: { bytes: number }[], fileLimit: number): Refusal | undefined {
  const R = DISCORD_RULES;
  if (files.length > R.attachments) return tooLong(['attachments'], R.attachments);
  if (files.some((f) => f.bytes > fileLimit)) return { status: 413, body: { message: 'Request entity too large', code: 40005 } };
  if (!body) return undefined;
  if (len(body.content) > R.content) return tooLong(['content'], R.content);
  return checkEmbeds(body.embeds ?? [], 'embeds') ?? checkComponents(body.components ?? []);
}

/** An autocomplete result (type 8): at most 25 choices, names 1-100, values ≤ 100. */
function checkChoices(choices: Payload[]): Refusal | undefined {
  const R = DISCORD_RULES;
  if (choices.length > R.autocompleteChoices) return tooLong(['data', 'choices'], R.autocompleteChoices);
  for (const [n, c] of choices.entries()) {
    if (len(c.name) < 1 || len(c.name) > R.choiceName) return badLength(['data', 'choices', n, 'name'], 1, R.choiceName);
    if (len(c.value) > R.choiceValue) return tooLong(['data', 'choices', n, 'value'], R.choiceValue);
  }
  return undefined;
}

/** An interaction callback's body by type: messages (4, 7), autocomplete (8), modal (9). */
function checkCallback(body: Payload | undefined, files: { bytes: number }[], fileLimit: number): Refusal | undefined {
  const type = body?.type;
  if (type === 4 || type === 7) return checkMessage(body?.data, files, fileLimit);
  if (type === 8) return checkChoices(body?.data?.choices ?? []);
  if (type === 9 && len(body?.data?.title) > DISCORD_RULES.modalTitle) return tooLong(['data', 'title'], DISCORD_RULES.modalTitle);
  return undefined;
}

/** When Discord created an object: the timestamp in its snowflake (reference#snowflakes). */
export function createdAt(id: string): number {
  return Number((BigInt(id) >> 22n) + EPOCH);
}

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
    roles: [g.id, ...g.roles].map((id, i) => ({
      id,
      name: i === 0 ? '@everyone' : `role-${i}`,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: i,
      permissions: i === 0 ? '1024' : '0',
      managed: false,
      mentionable: false,
      flags: 0,
    })),
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
    channels: g.channels.map((id, i) => ({
      id,
      type: 0,
      guild_id: g.id,
      name: `channel-${i}`,
      position: i,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
    })),
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
  /** interactions dispatched: their token, the upload limit they carry, their creation time */
  const interactions = new Map<string, { token: string; fileLimit: number; at: number }>();
  const byToken = new Map<string, string>();
  const refusedCalls: (RecordedCall & { refusal: Refusal['body'] })[] = [];
  /** the original response of each interaction: still deferred ("thinking…"), sent, or deleted */
  const originals = new Map<string, 'deferred' | 'sent' | 'deleted'>();
  let skew = 0;
  const clock = () => Date.now() + skew;
  const fileLimit = opts.channelFileLimit ?? DISCORD_RULES.fileBytes;
  /** interactions that have been answered once (a second callback is refused, as Discord does) */
  const acknowledged = new Set<string>();
  /** messages created with enforce_nonce, by channel and nonce */
  const nonces = new Map<string, Payload>();
  let readyWaiters: { count: number; resolve: () => void }[] = [];
  const interactionChannels = new Map<string, string>();
  const tokenChannels = new Map<string, string>();
  /** channels the bot may fetch: guild text channels and DM channels seen in fixtures */
  const channels = new Map<string, Payload>();
  const closedDms = new Set<string>();
  for (const g of guilds)
    for (const [i, id] of g.channels.entries())
      channels.set(id, {
        id,
        type: 0,
        guild_id: g.id,
        name: `channel-${i}`,
        position: i,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
      });

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
    for (const w of callWaiters) {
      if (w.match(c)) w.resolve(c);
      else still.push(w);
    }
    callWaiters = still;
  }

  /** Answers a refusal and keeps it for `refused()`. */
  function refuse(res: ServerResponse, call: RecordedCall, r: Refusal) {
    call.status = r.status;
    recordCall(call);
    refusedCalls.push({ ...call, refusal: r.body });
    json(res, r.status, r.body);
  }

  /**
   * An interaction's response window: the first callback within 3 s of its creation, then the
   * token for 15 minutes ("Interaction tokens are valid for 15 minutes", interactions/receiving-and-responding).
   */
  function expired(interactionId: string, limitMs: number): boolean {
    const known = interactions.get(interactionId);
    const at = known?.at ?? createdAt(interactionId);
    return clock() - at > limitMs;
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
    const call: RecordedCall = {
      method,
      path,
      rawPath,
      query: url.searchParams,
      body: parsed.body,
      files: parsed.files,
      status: 200,
      at: performance.now(),
    };
    // "The maximum request size when sending a message is 25 MiB" (reference#uploading-files)
    if (raw.length > DISCORD_RULES.requestBytes)
      return refuse(res, call, { status: 413, body: { message: 'Request entity too large', code: 40005 } });
    const arrivedAt = clock();

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
      const errors: Record<number, { message: string; code: number }> = {
        401: { message: '401: Unauthorized', code: 0 },
        403: { message: 'Missing Access', code: 50001 },
        404: { message: 'Unknown Application', code: 10002 },
      };
      return json(res, failure.status, errors[failure.status] ?? { message: 'Internal Server Error', code: 0 });
    }

    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      recordCall(call);
      return json(res, 200, {
        url: `ws://127.0.0.1:${port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      // "you must send an initial response within 3 seconds of receiving the event"; autocomplete
      // cannot be deferred (interactions/receiving-and-responding): a late one is 10062.
      const known = interactions.get(m[1]!);
      if (arrivedAt - (known?.at ?? createdAt(m[1]!)) > DISCORD_RULES.firstResponseMs) {
        refuse(res, call, { status: 404, body: { message: 'Unknown interaction', code: 10062 } });
        return void callbackWaiters.get(m[1]!)?.({ ...call, interactionId: m[1]!, token: m[2]!, type: -1, data: undefined });
      }
      const wrong = checkCallback(call.body, call.files, known?.fileLimit ?? DISCORD_RULES.fileBytes);
      if (wrong) return refuse(res, call, wrong);
      if (acknowledged.has(m[1]!)) {
        call.status = 400;
        recordCall(call);
        return json(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      }
      acknowledged.add(m[1]!);
      if (call.body?.type === 5 || call.body?.type === 4) originals.set(m[1]!, call.body.type === 5 ? 'deferred' : 'sent');
      const cb: RecordedCallback = {
        ...call,
        status: 204,
        interactionId: m[1]!,
        token: m[2]!,
        type: call.body?.type,
        data: call.body?.data,
      };
      const withResponse = url.searchParams.get('with_response') === 'true';
      if (withResponse) cb.status = 200;
      recordCall(cb);
      callbackWaiters.get(cb.interactionId)?.(cb);
      callbackWaiters.delete(cb.interactionId);
      if (!withResponse) return void res.writeHead(204).end();
      const message =
        cb.type === 4
          ? messageObject(interactionChannels.get(cb.interactionId) ?? FAKE.triageChannel, cb.data, FAKE.botUser, {
              webhook_id: FAKE.applicationId,
              application_id: FAKE.applicationId,
            })
          : undefined;
      return json(res, 200, {
        interaction: {
          id: cb.interactionId,
          type: 2,
          response_message_id: message?.id,
          response_message_loading: cb.type === 5,
          response_message_ephemeral: Boolean((cb.data?.flags ?? 0) & 64),
        },
        ...(message ? { resource: { type: cb.type, message } } : {}),
      });
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path))) {
      const id = byToken.get(m[2]!);
      // follow-ups and edits use the token, "valid for 15 minutes"; after that the webhook is gone
      if (id && expired(id, DISCORD_RULES.tokenMs))
        return refuse(res, call, { status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
      if (id && !acknowledged.has(id))
        return refuse(res, call, {
          status: 404,
          body: { message: m[3] ? 'Unknown Message' : 'Unknown Webhook', code: m[3] ? 10008 : 10015 },
        });
      const wrong =
        method === 'DELETE'
          ? undefined
          : checkMessage(call.body, call.files, (id && interactions.get(id)?.fileLimit) || DISCORD_RULES.fileBytes);
      if (wrong) return refuse(res, call, wrong);
      const original = id ? originals.get(id) : undefined;
      const isOriginal = m[3] === '@original';
      // Reported against a deleted deferred response (issue #13): the follow-up is Unknown Message.
      if (id && original === 'deleted' && method === 'POST' && !m[3])
        return refuse(res, call, { status: 404, body: { message: 'Unknown Message', code: 10008 } });
      // "When using this endpoint directly after responding to an interaction with
      // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit Original
      // Interaction Response" and the ephemeral flag is ignored (resources/webhook#execute-webhook).
      if (id && original === 'deferred' && method === 'POST' && !m[3]) call.editedOriginal = true;
      if (id && isOriginal) originals.set(id, method === 'DELETE' ? 'deleted' : 'sent');
      if (call.editedOriginal) originals.set(id!, 'sent');
      recordCall(call);
      if (method === 'DELETE') return void res.writeHead(204).end();
      return json(
        res,
        200,
        messageObject(tokenChannels.get(m[2]!) ?? FAKE.triageChannel, call.body, FAKE.botUser, {
          id: m[3] && m[3] !== '@original' ? m[3] : snowflake(),
          webhook_id: m[1],
          application_id: m[1],
        }),
      );
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      // "Cannot send messages to this user" (topics/opcodes-and-status-codes#json, 50007)
      if (closedDms.has(m[1]!))
        return refuse(res, call, { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
      const wrong = checkMessage(call.body, call.files, fileLimit);
      if (wrong) return refuse(res, call, wrong);
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
    if (path === '/users/@me/channels' && method === 'POST') {
      // Create DM: the one DM channel with that user (resources/user#create-dm)
      recordCall(call);
      const id = String(call.body?.recipient_id);
      const recipient = { id, username: `user-${id}` } as FakeUser;
      const dm = { id: dmChannelOf(recipient), type: 1, recipients: [userObject(recipient)], last_message_id: null };
      channels.set(dm.id, dm);
      return json(res, 200, dm);
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && method === 'PUT') {
      recordCall(call);
      const list = Array.isArray(call.body) ? call.body : [];
      return json(
        res,
        200,
        list.map((c: Payload) => ({
          ...c,
          id: snowflake(),
          application_id: m![1],
          version: snowflake(),
          ...(m![2] ? { guild_id: m![2] } : {}),
        })),
      );
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
        send(
          0,
          {
            v: 10,
            user: {
              id: FAKE.botUser.id,
              username: FAKE.botUser.username,
              discriminator: '0',
              global_name: null,
              avatar: null,
              bot: true,
              verified: true,
              flags: 0,
            },
            guilds: [],
            session_id: session.id,
            resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
            shard: [0, 1],
            application: { id: FAKE.applicationId, flags: 0 },
          },
          'READY',
        );
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
      calls.filter(
        (c) =>
          c.method === 'POST' &&
          c.status < 300 &&
          c.status > 0 &&
          !c.deduplicated &&
          /^\/channels\/\d+\/messages$/.test(c.path) &&
          (!channelId || c.path === `/channels/${channelId}/messages`),
      ),
    webhookCalls: (token) => calls.filter((c) => c.path.startsWith('/webhooks/') && (!token || c.path.split('/')[3] === token)),
    ready: (count = 1) =>
      identifies.length >= count ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push({ count, resolve })),
    dm(message) {
      channels.set(message.channel_id, { id: message.channel_id, type: 1, recipients: [message.author], last_message_id: null });
      fake.dispatch('MESSAGE_CREATE', message);
    },
    dispatch(event, data) {
      if (event === 'INTERACTION_CREATE') {
        const p = data as InteractionPayload;
        interactions.set(p.id, { token: p.token, fileLimit: p.attachment_size_limit ?? DISCORD_RULES.fileBytes, at: clock() });
        byToken.set(p.token, p.id);
      }
      for (const s of sessions.values()) deliver(s, event, data);
    },
    closeDms(user) {
      closedDms.add(dmChannelOf(user));
    },
    interact(payload, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          callbackWaiters.delete(payload.id);
          reject(new Error(`no callback for interaction ${payload.id} within ${timeoutMs} ms`));
        }, timeoutMs);
        callbackWaiters.set(payload.id, (c) => {
          clearTimeout(timer);
          callbackWaiters.delete(payload.id);
          // a refused late callback (type -1): the person saw "The application did not respond"
          if (c.type === -1)
            reject(new Error(`interaction ${payload.id} answered after ${DISCORD_RULES.firstResponseMs} ms: 10062 Unknown interaction`));
          else resolve(c);
        });
        interactionChannels.set(payload.id, payload.channel_id);
        tokenChannels.set(payload.token, payload.channel_id);
        if (payload.channel?.type === 1)
          channels.set(payload.channel.id, { id: payload.channel.id, type: 1, recipients: [payload.user], last_message_id: null });
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
    refused: () => refusedCalls,
    advanceClock: (ms) => void (skew += ms),
    delayed: () => held,
    serveFile(name, bytes, contentType = 'application/octet-stream') {
      files.set(name, { bytes, type: contentType, downloads: 0 });
      return `${base}/files/${encodeURIComponent(name)}`;
    },
    downloads: (name) => files.get(name)?.downloads ?? 0,
    reset() {
      calls.length = 0;
      refusedCalls.length = 0;
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
  /** the interaction's `attachment_size_limit` in bytes (default 10 MiB, a server without boosts) */
  attachmentSizeLimit?: number;
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
    attachment_size_limit: where.attachmentSizeLimit ?? 10_485_760,
  };
  if (!guild) {
    const channelId = where.channel ?? dmChannelOf(user);
    return {
      ...common,
      context: 1,
      user: userObject(user),
      channel_id: channelId,
      channel: { id: channelId, type: 1, recipients: [userObject(user)], last_message_id: null, flags: 0 },
    };
  }
  const channelId = where.channel ?? (guild === FAKE.triageGuild.id ? FAKE.triageGuild.channels[1]! : FAKE.communityGuild.channels[0]!);
  return {
    ...common,
    context: 0,
    guild_id: guild,
    guild: { id: guild, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    channel_id: channelId,
    channel: {
      id: channelId,
      type: 0,
      guild_id: guild,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      flags: 0,
      last_message_id: null,
      rate_limit_per_user: 0,
      topic: null,
    },
    member: {
      user: userObject(user),
      roles: where.roles ?? [],
      permissions: '2248473465835073',
      joined_at: '2024-01-01T00:00:00.000Z',
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
      communication_disabled_until: null,
    },
  };
}

/** A file option value for slashInteraction: an attachment served by the fake. */
export interface AttachmentOption {
  attachment: { url: string; filename: string; size: number; contentType: string };
}

/** A slash command: `slashInteraction('lookup', { place: 'Prato' })`. */
export function slashInteraction(
  name: string,
  options: Record<string, string | AttachmentOption> = {},
  where: Where = {},
): InteractionPayload {
  const p = base(2, where);
  const attachments: Record<string, Payload> = {};
  const opts = Object.entries(options).map(([n, v]) => {
    if (typeof v === 'string') return { name: n, type: 3, value: v };
    const id = snowflake();
    attachments[id] = {
      id,
      filename: v.attachment.filename,
      size: v.attachment.size,
      url: v.attachment.url,
      proxy_url: v.attachment.url,
      content_type: v.attachment.contentType,
    };
    return { name: n, type: 11, value: id };
  });
  return {
    ...p,
    data: {
      id: snowflake(),
      name,
      type: 1,
      options: opts,
      ...(Object.keys(attachments).length ? { resolved: { attachments } } : {}),
      ...(p.guild_id ? { guild_id: p.guild_id } : {}),
    },
  };
}

/** Typing into an autocomplete option: `autocompleteInteraction('lookup', 'place', 'Tor')`. */
export function autocompleteInteraction(name: string, option: string, partial: string, where: Where = {}): InteractionPayload {
  const p = base(4, where);
  return { ...p, data: { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value: partial, focused: true }] } };
}

/** The message a component sits on. `ephemeral` sets the flag Discord sends for ephemeral messages. */
function componentMessage(p: InteractionPayload, components: Payload[], ephemeral: boolean): Payload {
  return messageObject(p.channel_id, { components, flags: ephemeral ? 64 : 0 }, FAKE.botUser, {
    application_id: FAKE.applicationId,
    webhook_id: FAKE.applicationId,
    interaction_metadata: { id: snowflake(), type: 2, user: p.user ?? p.member.user, authorizing_integration_owners: {} },
  });
}

/** Pressing a button: `buttonInteraction('language:zh-Hant', { ephemeral: true })`. */
export function buttonInteraction(
  customId: string,
  opts: { ephemeral?: boolean; label?: string } = {},
  where: Where = {},
): InteractionPayload {
  const p = base(3, where);
  const button = { type: 2, style: 2, custom_id: customId, label: opts.label ?? 'button' };
  return {
    ...p,
    data: { custom_id: customId, component_type: 2 },
    message: componentMessage(p, [{ type: 1, components: [button] }], opts.ephemeral ?? false),
  };
}

/** Choosing in a string select: `selectInteraction('dc:s:0', 'rp:1:cat:other', { ephemeral: true })`. */
export function selectInteraction(
  customId: string,
  value: string,
  opts: { ephemeral?: boolean } = {},
  where: Where = {},
): InteractionPayload {
  const p = base(3, where);
  const select = { type: 3, custom_id: customId, options: [{ label: 'option', value }] };
  return {
    ...p,
    data: { custom_id: customId, component_type: 3, values: [value] },
    message: componentMessage(p, [{ type: 1, components: [select] }], opts.ephemeral ?? false),
  };
}

/** Submitting a modal opened from a button on a message: `modalSubmit('dc:modal', { 'dc:text': '2025-11' })`. */
export function modalSubmit(
  customId: string,
  fields: Record<string, string>,
  opts: { ephemeral?: boolean } = {},
  where: Where = {},
): InteractionPayload {
  const p = base(5, where);
  const components = Object.entries(fields).map(([id, value], i) => ({
    type: 18,
    id: i * 2 + 1,
    component: { type: 4, id: i * 2 + 2, custom_id: id, value },
  }));
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
    attachments: attachments.map((a) => ({
      id: snowflake(),
      filename: a.filename,
      size: a.size,
      url: a.url,
      proxy_url: a.url,
      content_type: a.contentType,
    })),
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
